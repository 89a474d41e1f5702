"""Last period beside each cell: what the same unit reported for the same
indicator in the period just before (2024 for 2025, 2025-H1 for 2025-H2)
and, where that is another one, in the same period a year before (2024-H2
for 2025-H2). Read once when a report opens, so the window can show the
current cell's earlier values on every move without asking the database.
The plausibility warnings read further back (``plausibility_history``), once too.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms import vnformat
from forms.plausibility import WHY_HISTORY, EarlierPeriod, History
from forms.schema import FormDef
from models.errors import BadInput
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
            found.append(Earlier(period, why, gw.values(earlier)))
    return found


def cell_history(history: list[Earlier], form: FormDef, indicator: str, unit_code: str) -> list[str]:
    """“Kỳ trước (Năm 2024): 133” for each earlier period holding a value of this cell, as the officer
    reads it (1.234, Có / Không)."""
    if not form.has_indicator(indicator):
        return []
    ind = form.indicator(indicator)
    lines = []
    for earlier in history:
        value = earlier.values.get((indicator, unit_code))
        if value is None:
            continue
        shown = vnformat.yes_no(value) if ind.kind == "yesno" else str(value)
        if ind.kind in ("count", "amount") and isinstance(value, int):
            shown = vnformat.number(value)
        lines.append(f"{earlier.why.capitalize()} ({earlier.period.label}): {shown}")
    return lines


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
            periods.append(EarlierPeriod(code, parse_period(code).label, WHY_HISTORY, gw.values(found)))
    return History(report.unit_code, periods)
