"""The upper level's table: the accepted packets of its units, summed.

Each unit's figures are recomputed by the rule engine from the values its
packet carries, then added up indicator by indicator: counts with counts,
denominators with denominators, so a percentage is the share of the summed
counts, never an average of percentages. Only accepted packets count; a
quarantined, rejected or stale one never reaches the table.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace

from forms.engine import Evaluation, Figure, ReportData, TargetResult, compare_targets, evaluate
from forms.schema import FormDef, TargetSet
from models.errors import BadInput, DatabaseError
from models.form_store import find_form, library_of
from models.gateway import Gateway
from models.periods import Period, previous_period
from models.reporting import filling_tiers, fills, require_form, target_set_for
from models.units import Unit
from models.vocabulary import PacketStatus, Tier

JUMP_SHARE = 0.3  # a unit's figure that moves more than this against the previous period is flagged


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    packet_id: int | None  # None: nothing accepted yet
    sequence: int | None
    figures: dict[str, Figure] | None


@dataclass(frozen=True)
class Jump:
    unit: Unit
    indicator: str
    previous: int
    current: int

    @property
    def change(self) -> float:
        return (self.current - self.previous) / self.previous


@dataclass(frozen=True)
class VersionGap:
    """A unit whose accepted packet was filled with another version of the form: the indicators of the
    table's version it has no figure for (not summed for it), and those of its version the table has not."""

    version: int
    publisher: str
    not_in_packet: tuple[str, ...]
    not_in_table: tuple[str, ...]

    def words(self, form: FormDef) -> str:
        """“theo phiên bản 1: không có 6.4 Bản có cụm loa”."""
        issued = f" (đơn vị {self.publisher} ban hành)" if self.publisher else ""
        parts = []
        if self.not_in_packet:
            parts.append("không có " + ", ".join(_indicator_words(form, i) for i in self.not_in_packet))
        if self.not_in_table:
            parts.append("bỏ " + ", ".join(self.not_in_table) + " (không có trong biểu tổng hợp)")
        return f"theo phiên bản {self.version}{issued}: " + "; ".join(parts or ["cùng các chỉ tiêu"])


def _indicator_words(form: FormDef, indicator_id: str) -> str:
    ind = form.indicator(indicator_id)
    return f"{ind.code} {ind.label}" if ind.code and ind.code != "-" else ind.label


@dataclass(frozen=True)
class MergedTable:
    parent: Unit
    form: FormDef
    period: Period
    units: list[UnitFigures]
    totals: dict[str, Figure]
    targets: list[TargetResult]
    target_set: TargetSet | None
    jumps: list[Jump]
    # Units whose packet is in but not summed, and why: figures with errors,
    # held for a check, returned, in conflict, waiting for a key.
    left_out: dict[str, PacketStatus] = field(default_factory=dict)
    # Units whose packet was filled with another version of the form: summed on the indicators both share.
    version_gaps: dict[str, VersionGap] = field(default_factory=dict)

    @property
    def received(self) -> list[UnitFigures]:
        return [u for u in self.units if u.figures is not None]

    def require_received(self) -> MergedTable:
        """The table, or BadInput while no packet of the units below has been accepted."""
        if not self.received:
            raise BadInput(
                f"Chưa có gói nào được nhận cho biểu {self.form.id}, {self.period.in_sentence}; chưa tổng hợp."
            )
        return self

    def to_dict(self) -> dict:
        """Who is in the table, the totals with their denominators, the jumps (``merge --json``)."""
        return {
            "received": [u.unit.code for u in self.received],
            "missing": [u.unit.code for u in self.units if u.figures is None],
            "left_out": {code: {"status": status, "words": status.words} for code, status in self.left_out.items()},
            "other_versions": {
                code: {
                    "version": gap.version,
                    "publisher": gap.publisher,
                    "not_in_packet": list(gap.not_in_packet),
                    "not_in_table": list(gap.not_in_table),
                }
                for code, gap in self.version_gaps.items()
            },
            "totals": {
                k: {"achieved": f.value, "total": f.total, "percent": f.percent}
                for k, f in self.totals.items()
                if f.applicable and self.form.indicator(k).is_numeric
            },
            "jumps": [
                {"unit": j.unit.code, "indicator": j.indicator, "previous": j.previous, "current": j.current}
                for j in self.jumps
            ],
        }

    def evaluation(self) -> Evaluation:
        """The totals in the shape of one report's evaluation, for the printed form."""
        return Evaluation(self.totals, [], [], self.target_set, list(self.targets))

    def left_out_sentence(self) -> str:
        """“Chưa cộng 2 đơn vị: Xã Mường Tè (số liệu có lỗi, chưa cộng), ...”, or "" when none."""
        if not self.left_out:
            return ""
        names = {u.unit.code: u.unit.name for u in self.units}
        listed = ", ".join(f"{names[code]} ({status.words})" for code, status in self.left_out.items())
        return f"Chưa cộng {len(self.left_out)} đơn vị đã gửi gói: {listed}."

    def versions_sentence(self) -> str:
        """“Cộng trên các chỉ tiêu chung với 1 đơn vị gửi theo phiên bản khác: Xã Mường Tè theo phiên bản 1:
        không có 6.4 Bản có cụm loa.”, or "" when every packet has the table's version."""
        if not self.version_gaps:
            return ""
        names = {u.unit.code: u.unit.name for u in self.units}
        listed = "; ".join(f"{names[code]} {gap.words(self.form)}" for code, gap in self.version_gaps.items())
        count = len(self.version_gaps)
        return f"Cộng trên các chỉ tiêu chung với {count} đơn vị gửi theo phiên bản khác của biểu: {listed}."


def child_units(gw: Gateway, parent_code: str, tiers: tuple[str, ...]) -> list[Unit]:
    """Who sends this level a form filled at ``tiers`` (for one period): each active unit directly
    below, its own report when it is of one of those tiers, its merged table when it is above the
    lowest of them (a district under a province sends the table of its communes). The level itself
    is never among them: where it fills the form too (a province since 1/7/2025), its own report is
    a report of its own, apart from the table of its units."""
    order = list(Tier)
    below = max((order.index(t) for t in tiers if t in order), default=-1)
    return [u for u in gw.children(parent_code) if order.index(u.tier) <= below]


def merged_table(
    gw: Gateway, parent_code: str, form_id: str, period_code: str, target_set_id: str | None = None
) -> MergedTable:
    """merge() for a form and target set named by their ids, as typed on the command line, with the
    version of the form the table of that period is summed with (table_form) and the target set in the
    version in force for the period."""
    form = table_form(gw, form_id, period_code)
    return merge(gw, parent_code, form, period_code, target_set_for(gw, form, target_set_id, period_code))


def table_form(gw: Gateway, form_id: str, period_code: str) -> FormDef:
    """The version of a form a level sums a period's table with: the one its collection notice named, else
    the one most of the period's accepted packets were filled with (the newest on a tie), else this unit's
    own latest version, else the program's. 2025 filled with version 1 is summed with version 1, 2026 with
    the province's version 2."""
    require_form(form_id, gw)  # an unknown id is said with the forms there are
    library = library_of(gw)
    collected = gw.collections.get(form_id, period_code)
    if collected and collected["form_version"] is not None:
        named = library.get(form_id, collected["form_version"], collected["form_publisher"] or "")
        if named is not None:
            return named
    used = gw.inbox.versions_used(form_id, period_code)  # counted in SQL: the figures are read once, by merge
    for (version, publisher), _count in sorted(used.items(), key=lambda kv: (kv[1], kv[0][0]), reverse=True):
        form = library.get(form_id, version, publisher)
        if form is not None:
            return form
    return find_form(library, form_id, None, None, gw.setting("home_unit") or "")


def merge(
    gw: Gateway,
    parent_code: str,
    form: FormDef,
    period_code: str,
    target_set: TargetSet | None = None,
    jump_share: float = JUMP_SHARE,
) -> MergedTable:
    parent = gw.require_unit(parent_code)
    period = gw.period(period_code)
    units = child_units(gw, parent.code, filling_tiers(form, period))
    if not units:
        raise BadInput(f"{parent.name} không có đơn vị cấp dưới nào lập biểu {form.id} cho {period.in_sentence}.")
    gaps: dict[str, VersionGap] = {}
    accepted = accepted_figures(gw, form, period.code, units, gaps)
    figures = [accepted.get(u.code, UnitFigures(u, None, None, None)) for u in units]
    totals = sum_figures(form, [f.figures for f in figures if f.figures is not None])
    targets = compare_targets(form, totals, target_set, parent.tier) if target_set else []
    previous = accepted_figures(gw, form, previous_period(period.code).code, units)
    jumps = find_jumps(form, figures, previous, jump_share)
    waiting = gw.inbox.awaiting(form.id, period.code)
    left_out = {u.code: waiting[u.code] for u in units if u.code in waiting and u.code not in accepted}
    return MergedTable(parent, form, period, figures, totals, targets, target_set, jumps, left_out, gaps)


def accepted_figures(
    gw: Gateway, form: FormDef, period_code: str, units: list[Unit], gaps: dict[str, VersionGap] | None = None
) -> dict[str, UnitFigures]:
    """unit code -> its figures, for the units with an accepted packet of this form and period: as this
    level evaluated them when the packet was filed, or evaluated now from the packet's figures when it
    was filed with another version of the form. A packet of another version counts on the indicators both
    versions share; the others are not summed for it, and ``gaps`` (when given) says which. A packet filed
    before its figures were kept (by an earlier version of the program) has them kept now, once."""
    by_code = {u.code: u for u in units}
    found, evaluated = {}, {}
    library = library_of(gw)
    for packet_id, unit_code, sequence, version, kept in gw.inbox.evaluated(form.id, period_code):
        unit = by_code.get(unit_code)
        if unit is None:
            continue
        same = version == (form.version, form.publisher)
        if kept is not None and same:
            figures = figures_from_json(kept)
        else:
            figures = packet_figures(gw, form, packet_id, unit, gw.period(period_code))
            if kept is None and same:
                evaluated[packet_id] = (form.version, figures_to_json(figures))
        if not same:
            gap = version_gap(form, library.get(form.id, *version), version)
            figures = {k: replace(f, applicable=False) if k in gap.not_in_packet else f for k, f in figures.items()}
            if gaps is not None:
                gaps[unit_code] = gap
        found[unit_code] = UnitFigures(unit, packet_id, sequence, figures)
    if evaluated:
        with contextlib.suppress(DatabaseError):  # a database only read here (locked, read-only): next time
            gw.inbox.keep_figures(evaluated)
    return found


def version_gap(form: FormDef, sent_with: FormDef | None, version: tuple[int, str]) -> VersionGap:
    """What a packet filled with ``sent_with`` lacks of ``form``'s indicators, and has that ``form`` lacks."""
    has = {i.id for i in sent_with.indicators} if sent_with is not None else set()
    table = {i.id for i in form.indicators}
    return VersionGap(
        version[0],
        version[1],
        tuple(i.id for i in form.indicators if i.id not in has),
        tuple(i.id for i in (sent_with.indicators if sent_with else ()) if i.id not in table),
    )


def packet_figures(gw: Gateway, form: FormDef, packet_id: int, unit: Unit, period: Period) -> dict[str, Figure]:
    """A received packet's figures for ``unit``, evaluated now from what it carries: its own report
    where it fills the form for that period, else the totals of its merged table."""
    if fills(form, unit, period):
        return evaluate(form, packet_report_data(gw, packet_id, unit)).figures
    return sent_totals(form, [(i, unit.code, v, t) for i, (v, t) in gw.inbox.totals(packet_id).items()])


def packet_report_data(gw: Gateway, packet_id: int, unit: Unit) -> ReportData:
    """A commune's packet as the commune's own program evaluated it: every village it listed."""
    listed = [code for code, _, _ in gw.inbox.villages(packet_id)]
    return _report_data(unit, [(i, c, v, None) for (i, c), v in gw.inbox.values(packet_id).items()], listed)


def sent_totals(form: FormDef, values: list[tuple]) -> dict[str, Figure]:
    """The totals a district or province sent in its merged packet, (indicator, unit code, value,
    total) each, as figures to add up again."""
    sent = {indicator: (value, total) for indicator, _, value, total in values}
    figures = {}
    for ind in form.indicators:
        value, total = sent.get(ind.id, (None, None))
        percent = value * 100 / total if value is not None and total else None
        figures[ind.id] = Figure(ind.id, value, total, percent, typed=False, applicable=ind.id in sent)
    return figures


def figures_to_json(figures: dict[str, Figure]) -> dict[str, list]:
    """{indicator: [value, denominator, percent, typed, applicable]}, as the inbox keeps a unit's figures."""
    return {k: [f.value, f.total, f.percent, f.typed, f.applicable] for k, f in figures.items()}


def figures_from_json(kept: dict[str, list]) -> dict[str, Figure]:
    return {k: Figure(k, *row) for k, row in kept.items()}


def _report_data(unit: Unit, values: list[tuple], listed: list[str] = ()) -> ReportData:
    commune: dict = {}
    villages: dict[str, dict] = {code: {} for code in listed}
    for indicator, code, value, _ in values:
        if code == unit.code:
            commune[indicator] = value
        else:
            villages.setdefault(code, {})[indicator] = value
    return ReportData(unit.kind, unit.tier, tuple(listed or sorted(villages)), villages, commune)


def sum_figures(form: FormDef, reports: list[dict[str, Figure]]) -> dict[str, Figure]:
    totals = {}
    for ind in form.indicators:
        applicable = [r[ind.id] for r in reports if r[ind.id].applicable]
        if not ind.is_numeric:
            totals[ind.id] = Figure(ind.id, None, None, None, typed=False, applicable=bool(applicable))
            continue
        values = [f.value for f in applicable if f.value is not None]
        bases = [f.total for f in applicable if f.total is not None]
        value = sum(values) if values else None
        total = sum(bases) if bases and len(bases) == len(applicable) else None
        percent = value * 100 / total if value is not None and total else None
        totals[ind.id] = Figure(ind.id, value, total, percent, typed=False, applicable=bool(applicable))
    return totals


def find_jumps(form: FormDef, current: list[UnitFigures], previous: dict[str, UnitFigures], share: float) -> list[Jump]:
    jumps = []
    for now in current:
        before = previous.get(now.unit.code)
        if now.figures is None or before is None:
            continue
        for ind in form.indicators:
            if not (ind.is_row and ind.is_numeric):
                continue
            old, new = before.figures[ind.id].value, now.figures[ind.id].value
            if isinstance(old, int) and isinstance(new, int) and old > 0 and abs(new - old) > share * old:
                jumps.append(Jump(now.unit, ind.id, old, new))
    return jumps
