"""The follow-up list: every plausibility warning of a form and period at this level.

For each unit's standing packet (the accepted one, the one the merged table counts): the warnings it
was sent with (its so-lieu.json findings of a plausibility rule, with the commune's reason and the
history values it used), the warnings this level finds itself from the same figures against the
same unit's accepted packets of earlier periods that it holds (never from what the commune says of
its past), and where the two disagree: a warning one side has and the other not, or the same
warning with other earlier values (the commune says Năm 2024: 61, the 2024 packet here says 65).

Read from what the inbox stored; the packet's JSON within bounds (exports/collect/sent_plausibility.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from exports.collect.merge import child_units, table_form
from exports.collect.sent_plausibility import finding_key, sent_plausibility
from exports.collect.standing import StandingPackets
from forms import vnformat
from forms.engine import ReportData
from forms.messages import finding_text, label_of
from forms.plausibility import (
    RULE_RATIO,
    RULE_SET_RANGE,
    History,
    plausibility_findings,
)
from forms.schema import FormDef
from models.errors import BadInput
from models.gateway import Gateway
from models.periods import Period
from models.reporting import fills
from models.units import Unit

SENT, HERE, BOTH = "sent", "here", "both"
SIDE_WORDS = {SENT: "xã gửi", HERE: "cấp này thấy", BOTH: "xã gửi, cấp này cũng thấy"}


@dataclass(frozen=True)
class Earlier:
    """One earlier value of a cell: the period it is of and the value (None: none held for it)."""

    period: str
    label: str
    value: object

    def words(self) -> str:
        return f"{self.label}: {_number(self.value)}"


@dataclass(frozen=True)
class FollowupRow:
    unit_code: str
    unit_name: str
    village_code: str | None  # None: the commune's own figure
    village_name: str
    indicator: str
    label: str
    value: object
    rule: str
    side: str  # SENT, HERE or BOTH
    message: str  # the commune's words when it sent the warning, else this level's
    reason: str  # what the commune wrote; "" when none (always for a warning only this level found)
    sent_history: tuple[Earlier, ...] = ()  # the earlier values the commune's warning used
    here_history: tuple[Earlier, ...] = ()  # the same cells in the packets this level holds
    difference: str = ""  # why the two sides disagree, in words; "" when they agree

    @property
    def differs(self) -> bool:
        return bool(self.difference)

    @property
    def side_words(self) -> str:
        return SIDE_WORDS[self.side]

    @property
    def where(self) -> str:
        return f"{self.unit_name}, {self.village_name}" if self.village_code else self.unit_name

    def check_words(self) -> str:
        """The column that compares the two sides: “xã gửi, cấp này cũng thấy”, or
        “KHÁC NHAU: xã ghi Năm 2024: 61, gói Năm 2024 cấp này nhận: 65”."""
        return f"KHÁC NHAU: {self.difference}" if self.difference else self.side_words

    def value_words(self) -> str:
        return _number(self.value)

    def history_words(self) -> str:
        """“xã ghi Năm 2024: 61; cấp này: Năm 2024: 65”, or one side alone."""
        parts = []
        if self.sent_history:
            parts.append("xã ghi " + ", ".join(e.words() for e in self.sent_history))
        if self.here_history:
            parts.append("cấp này: " + ", ".join(e.words() for e in self.here_history))
        return "; ".join(parts)

    def to_dict(self) -> dict:
        return {
            "unit": self.unit_code,
            "unit_name": self.unit_name,
            "village": self.village_code,
            "village_name": self.village_name,
            "indicator": self.indicator,
            "label": self.label,
            "value": self.value,
            "rule": self.rule,
            "side": self.side,
            "side_words": self.side_words,
            "message": self.message,
            "reason": self.reason,
            "sent_history": [_earlier_dict(e) for e in self.sent_history],
            "here_history": [_earlier_dict(e) for e in self.here_history],
            "differs": self.differs,
            "difference": self.difference,
        }


def _earlier_dict(earlier: Earlier) -> dict:
    return {"period": earlier.period, "label": earlier.label, "value": earlier.value}


@dataclass(frozen=True)
class Counted:
    """A unit's plausibility warnings: sent by the commune, found here, and how many disagree."""

    sent: int = 0
    here: int = 0
    differing: int = 0
    both: int = 0  # found on both sides: counted once in the total

    @property
    def total(self) -> int:
        return self.sent + self.here - self.both

    def words(self) -> str:
        """“Bất thường: 3 (xã ghi 2, cấp này thấy 3, 1 chỗ khác nhau)”; "" when there is none."""
        if not self.total:
            return ""
        text = f"Bất thường: {self.total} (xã ghi {self.sent}, cấp này thấy {self.here}"
        return text + (f", {self.differing} chỗ khác nhau)" if self.differing else ")")

    def to_dict(self) -> dict:
        return {"sent": self.sent, "found_here": self.here, "differing": self.differing, "total": self.total}


def count_rows(rows: Iterable[FollowupRow]) -> Counted:
    rows = list(rows)
    return Counted(
        sent=sum(1 for r in rows if r.side in (SENT, BOTH)),
        here=sum(1 for r in rows if r.side in (HERE, BOTH)),
        differing=sum(1 for r in rows if r.differs),
        both=sum(1 for r in rows if r.side == BOTH),
    )


@dataclass(frozen=True)
class Followup:
    parent: Unit
    form: FormDef
    period: Period
    units: list[Unit]  # the units with a standing packet, in the order of the level's units
    rows: list[FollowupRow] = field(default_factory=list)

    @property
    def differing(self) -> list[FollowupRow]:
        return [r for r in self.rows if r.differs]

    def counted(self, unit_code: str) -> Counted:
        return count_rows(r for r in self.rows if r.unit_code == unit_code)

    def summary_line(self) -> str:
        """“12 cảnh báo bất thường ở 3 đơn vị; xã gửi 10, cấp này thấy 11, 2 chỗ khác nhau”."""
        if not self.rows:
            return f"Không có cảnh báo bất thường nào trong {len(self.units)} gói đã nhận"
        counted = count_rows(self.rows)
        units = len({r.unit_code for r in self.rows})
        return (
            f"{len(self.rows)} cảnh báo bất thường ở {units} đơn vị; xã gửi {counted.sent}, "
            f"cấp này thấy {counted.here}, {counted.differing} chỗ khác nhau"
        )

    def title(self) -> str:
        return f"DANH SÁCH CẦN THEO DÕI - BIỂU {self.form.id.upper()} - {self.period.label.upper()}"

    def to_dict(self) -> dict:
        return {
            "parent": {"code": self.parent.code, "name": self.parent.name},
            "form": {"id": self.form.id, "version": self.form.version},
            "period": {"code": self.period.code, "label": self.period.label},
            "units": [u.code for u in self.units],
            "summary": {**count_rows(self.rows).to_dict(), "rows": len(self.rows)},
            "rows": [r.to_dict() for r in self.rows],
        }


# ---- the list ----------------------------------------------------------------------------------


def followup(gw: Gateway, form_id: str, period_code: str, parent_code: str | None = None) -> Followup:
    """The follow-up list of a form and period at this level (``parent_code``: the home unit when None)."""
    parent_code = parent_code or gw.setting("home_unit")
    if not parent_code:
        raise BadInput("Cơ sở dữ liệu này chưa có đơn vị cấp trên; danh sách cần theo dõi chỉ lập ở cấp trên.")
    parent = gw.require_unit(parent_code)
    period = gw.period(period_code)
    form = table_form(gw, form_id, period.code)
    packets = StandingPackets(gw, form)
    standing = packets.of(period.code, whole=False)
    units = [u for u in child_units(gw, parent.code, form.tiers_for(period.starts, period.ends)) if u.code in standing]
    rows: list[FollowupRow] = []
    for unit in units:
        rows += unit_followup(gw, form, period, unit, packets)
    return Followup(parent, form, period, units, rows)


def unit_followup(
    gw: Gateway, form: FormDef, period: Period, unit: Unit, packets: StandingPackets | None = None
) -> list[FollowupRow]:
    """The rows of one unit's standing packet: the merged table's drill-down marks its cells with them."""
    packets = packets or StandingPackets(gw, form)
    standing = packets.of(period.code).get(unit.code)
    if standing is None or not fills(form, unit, period):
        return []  # nothing accepted; or a district's merged table, its communes' warnings in their own lists
    history = packets.history(unit.code, period.code)
    own: dict = {}
    cells = None  # its figures, parsed only when there is something to check or list
    if history.periods or _checks_without_history(form):
        cells = standing.cells()
        data = ReportData(unit.kind, unit.tier, tuple(c for c in cells if c != unit.code),
                          {c: row for c, row in cells.items() if c != unit.code}, cells.get(unit.code, {}))  # fmt: skip
        own = {
            finding_key(f.rule, f.cell.indicator, f.cell.village): f for f in plausibility_findings(form, data, history)
        }
    sent_findings, sent_history = sent_plausibility(gw, standing.packet_id) if standing.sent else ({}, {})
    if not own and not sent_findings:
        return []  # most units: nothing to list, and nothing more read
    cells = cells if cells is not None else standing.cells()
    listed = standing.villages(unit.code)
    names = dict(listed)
    rows = []
    for key in sorted(set(own) | set(sent_findings), key=_order(tuple(code for code, _ in listed))):
        rule, indicator, village = key
        mine, theirs = own.get(key), sent_findings.get(key)
        side = BOTH if mine and theirs else (HERE if mine else SENT)
        used = _history_cells(rule, indicator, mine.params if mine else theirs.get("params", {}))
        where = village or unit.code
        said = _joined(used, where, lambda cell: sent_history.get(cell, {}))
        here = _here_history(history, used, where, said)
        rows.append(
            FollowupRow(
                unit_code=unit.code,
                unit_name=unit.name,
                village_code=village,
                village_name=names.get(village, village or "") if village else "",
                indicator=indicator,
                label=label_of(form, indicator) if form.has_indicator(indicator) else indicator,
                value=_value(cells.get(where, {}).get(indicator), mine.params if mine else theirs["params"]),
                rule=rule,
                side=side,
                message=theirs["message"] if theirs else finding_text(form, mine),
                reason=(theirs or {}).get("reason") or "",
                sent_history=said,
                here_history=here,
                difference=_difference(side, rule, said, here, history),
            )
        )
    return rows


def _value(typed, params: dict):
    """The figure as typed, or (a commune figure summed from its villages) as the warning names it."""
    return typed if typed is not None else params.get("num_value", params.get("value"))


def _checks_without_history(form: FormDef) -> bool:
    """Whether a figure can warn with no earlier period at all: a range the province set, a ratio's bounds."""
    return bool(form.ranges) or any(r.low is not None or r.high is not None for r in form.ratios)


def _order(villages: tuple[str, ...]):
    place = {code: n for n, code in enumerate(villages)}
    return lambda key: (key[2] is None, place.get(key[2], len(place)), key[2] or "", key[1], key[0])


def _history_cells(rule: str, indicator: str, params: dict) -> tuple[str, ...]:
    """The indicators whose earlier values a warning used: both sides of a ratio, else its own."""
    if rule == RULE_SET_RANGE:
        return ()
    if rule == RULE_RATIO and isinstance(params.get("numerator"), str) and isinstance(params.get("denominator"), str):
        return (params["numerator"], params["denominator"])
    return (indicator,)


def _joined(cells: tuple[str, ...], where: str, values_of) -> tuple[Earlier, ...]:
    """The earlier values of a warning's cells, one per period: a ratio's as (numerator, denominator).
    ``values_of(cell)`` gives {period code: (label, value)}."""
    by_cell = [values_of((cell, where)) for cell in cells]
    periods = dict.fromkeys(code for found in by_cell for code in found)
    joined = []
    for code in periods:
        label = next(found[code][0] for found in by_cell if code in found)
        values = tuple(found[code][1] if code in found else None for found in by_cell)
        joined.append(Earlier(code, label, values[0] if len(values) == 1 else values))
    return tuple(joined)


def _here_history(history: History, cells: tuple[str, ...], where: str, said: tuple[Earlier, ...]):
    """The same cells in the packets this level holds: of every earlier period it read, and of any
    period the commune named that it did not read (shown as none held)."""
    read = {p.code for p in history.periods}

    def values_of(cell):
        found = {
            p.code: (p.label, history.values[p.code][cell]) for p in history.periods if cell in history.values[p.code]
        }
        return found | {e.period: (e.label, None) for e in said if e.period not in read}

    return _joined(cells, where, values_of)


def _difference(side: str, rule: str, said: tuple[Earlier, ...], here: tuple[Earlier, ...], history: History) -> str:
    """Why the commune and this level disagree, in words; "" when they agree."""
    held = {e.period: e.value for e in here}
    other = [e for e in said if e.period in held and held[e.period] != e.value]
    if other:
        return "; ".join(
            f"xã ghi {e.label}: {_number(e.value)}, "
            + (
                f"gói {e.label} cấp này nhận: {_number(held[e.period])}"
                if held[e.period] is not None
                else f"cấp này không có gói {e.label}"
            )
            for e in other
        )
    if side == SENT:
        if rule != RULE_SET_RANGE and not history.periods:
            return "cấp này chưa nhận gói kỳ trước của đơn vị để đối chiếu"
        return "xã ghi cảnh báo này, cấp này không thấy"
    if side == HERE:
        return "cấp này thấy, xã không ghi cảnh báo này"
    return ""


def _number(value) -> str:
    if isinstance(value, tuple):  # a ratio's numerator and denominator
        return "/".join(_number(v) for v in value)
    if isinstance(value, bool) or value is None:
        return "không có" if value is None else str(value)
    if isinstance(value, (int, float)):
        return vnformat.number(value)
    return str(value)
