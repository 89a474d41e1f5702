"""Last period beside each cell: what the same unit reported for the same
indicator in the period just before (2024 for 2025, 2025-H1 for 2025-H2)
and, where that is another one, in the same period a year before (2024-H2
for 2025-H2). Read once when a report opens, so the window can show the
current cell's earlier values on every move without asking the database.

An earlier report's values are read as today's villages stand (``values_as_today``): a village that others
were merged into since shows their sum, “133 (gồm Bản A 70, Bản B 63)”; a renamed one keeps its code and
its own history, with the name it had then.

The plausibility warnings read further back (``plausibility_history``), once too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms import vnformat
from forms.plausibility import WHY_HISTORY, EarlierPeriod, History
from forms.schema import PLAUSIBLE_KINDS, FormDef
from models.errors import BadInput
from models.form_store import library_of
from models.gateway import Gateway
from models.periods import Period, parse_period, previous_period
from models.report_records import ReportRef
from models.vocabulary import PeriodKind


@dataclass(frozen=True)
class Earlier:
    """One earlier period of a report and every value its report held, (indicator, unit code) -> value."""

    period: Period
    why: str  # “kỳ trước”, “cùng kỳ năm trước”
    values: dict
    # (indicator, unit code) -> [(name, value)] of a sum over villages merged since: the unit's own first.
    parts: dict = field(default_factory=dict)
    old_names: dict = field(default_factory=dict)  # unit code -> its name then, for one renamed since


SUMMED_KINDS = ("count", "amount")  # a yes/no or a text of merged villages has no sum


@dataclass(frozen=True)
class AsToday:
    """An earlier report's values per today's villages, what each sum was made of, and the names then."""

    values: dict
    parts: dict
    old_names: dict


def values_as_today(gw: Gateway, earlier: ReportRef, period: Period, form: FormDef | None = None) -> AsToday:
    """The values of ``earlier`` (a report of ``period``) as today's villages stand: each village's own
    value plus those of every village merged into it after the period ended, recursively (a count or an
    amount only); the villages merged away keep their own. ``form`` says which indicators add up (default:
    the version the report was filled with)."""
    values = gw.values(earlier)
    ended = period.ends.isoformat()
    merged, renamed = _changes_since(gw, ended)
    if not merged and not renamed:
        return AsToday(values, {}, {})
    if form is None:
        form = library_of(gw).get(earlier.form_id, earlier.form_version, earlier.form_publisher)
    summed = {i.id for i in form.indicators if i.kind in SUMMED_KINDS} if form is not None else set()
    names = gw.unit_names()
    today, parts = dict(values), {}
    for (indicator, code), value in sorted(values.items()):
        if code not in merged or indicator not in summed or not isinstance(value, int):
            continue
        target, seen = code, {code}
        while target in merged and merged[target] not in seen:  # merged again since: to the last one
            target = merged[target]
            seen.add(target)
        own = values.get((indicator, target))
        found = parts.setdefault(
            (indicator, target), [] if own is None else [(_name_then(names, renamed, target), own)]
        )
        found.append((_name_then(names, renamed, code), value))
        today[(indicator, target)] = today.get((indicator, target), 0) + value
    old_names = {code: old for code, old in renamed.items() if old != names.get(code)}
    return AsToday(today, parts, old_names)


def _changes_since(gw: Gateway, ended: str) -> tuple[dict[str, str], dict[str, str]]:
    """Villages merged after the day ``ended`` (code -> the one it went into) and the names units had then
    (code -> the old name of its first renaming since)."""
    rows = gw.db.execute(
        "SELECT unit_code, event, old_name, other_code FROM unit_history "
        "WHERE event IN ('gop', 'doi_ten') AND substr(at, 1, 10) > ? ORDER BY at, id",
        [ended],
    ).fetchall()
    merged = {code: other for code, event, _old, other in rows if event == "gop" and other}
    renamed: dict[str, str] = {}
    for code, event, old, _other in rows:
        if event == "doi_ten" and old:
            renamed.setdefault(code, old)
    return merged, renamed


def _name_then(names: dict, renamed: dict, code: str) -> str:
    return renamed.get(code) or names.get(code, code)


def earlier_periods(code: str) -> list[tuple[Period, str]]:
    """The period just before, of the same kind, and where different the same period a year before."""
    before = previous_period(code)
    found = [(before, "kỳ trước")]
    period = parse_period(code)
    if period.kind in (PeriodKind.HALF_YEAR, PeriodKind.QUARTER):
        year_before = parse_period(f"{period.starts.year - 1}{period.code[4:]}")
        if year_before.code != before.code:
            found.append((year_before, "cùng kỳ năm trước"))
    return found


def report_history(gw: Gateway, report: ReportRef) -> list[Earlier]:
    """The earlier periods of ``report`` this unit reported on the same form, with their values."""
    found = []
    for period, why in earlier_periods(report.period_code):
        earlier = gw.find_report(report.unit_code, report.form_id, period.code)
        if earlier is not None:
            today = values_as_today(gw, earlier, period)
            found.append(Earlier(period, why, today.values, today.parts, today.old_names))
    return found


def cell_history(history: list[Earlier], form: FormDef, indicator: str, unit_code: str) -> list[str]:
    """“Kỳ trước (Năm 2024): 133” for each earlier period holding a value of this cell, as the officer
    reads it (1.234, Có / Không); a sum of villages merged since says what it is made of, “133 (gồm Bản A
    70, Bản B 63)”, and a village renamed since its name then, “61 (khi đó tên Bản Cũ)”."""
    if not form.has_indicator(indicator):
        return []
    ind = form.indicator(indicator)
    lines = []
    for earlier in history:
        value = earlier.values.get((indicator, unit_code))
        if value is None:
            continue
        shown = _shown(ind, value)
        parts = earlier.parts.get((indicator, unit_code))
        if parts:
            shown += f" (gồm {', '.join(f'{name} {_shown(ind, part)}' for name, part in parts)})"
        elif unit_code in earlier.old_names:
            shown += f" (khi đó tên {earlier.old_names[unit_code]})"
        lines.append(f"{earlier.why.capitalize()} ({earlier.period.label}): {shown}")
    return lines


def _shown(ind, value) -> str:
    if ind.kind == "yesno":
        return vnformat.yes_no(value)
    if ind.kind in ("count", "amount") and isinstance(value, int):
        return vnformat.number(value)
    return str(value)


def plausibility_history(
    gw: Gateway, report: ReportRef, form: FormDef, earlier: list[Earlier] | None = None
) -> History:
    """The earlier periods the plausibility warnings compare with (forms/plausibility.History), read once
    when a report opens: those of report_history() (``earlier``, if already read) and further back, the
    form's ``history_years`` periods of the same kind in all."""
    earlier = report_history(gw, report) if earlier is None else earlier
    periods = [EarlierPeriod(e.period.code, e.period.label, e.why, e.values) for e in earlier]
    seen = {p.code for p in periods} | {period.code for period, _ in earlier_periods(report.period_code)}
    code = report.period_code
    for _ in range(form.plausibility.history_years):
        try:
            code = previous_period(code).code
        except BadInput:
            break  # before 1945: nothing was reported
        if code in seen:
            continue
        found = gw.find_report(report.unit_code, report.form_id, code)
        if found is not None:
            period = parse_period(code)  # as today's villages stand, as the nearer periods are
            periods.append(
                EarlierPeriod(code, period.label, WHY_HISTORY, values_as_today(gw, found, period, form).values)
            )
    return History(report.unit_code, periods)


def history_range(history: History | None, form: FormDef, indicator: str, unit_code: str) -> str | None:
    """“Các kỳ trước (3 kỳ): thấp nhất 58, cao nhất 61” for a count or amount with two earlier values or
    more, beside the cell's own lines: the range its plausibility warning compares with. None otherwise."""
    if history is None or not form.has_indicator(indicator) or form.indicator(indicator).kind not in PLAUSIBLE_KINDS:
        return None
    cell = history.cell(indicator, unit_code)
    if cell is None or cell.count < 2:
        return None
    low, high = vnformat.number(cell.low), vnformat.number(cell.high)
    return f"Các kỳ trước ({cell.count} kỳ): thấp nhất {low}, cao nhất {high}"
