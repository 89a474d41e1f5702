"""A new period started from the last one: the values of the indicators that
rarely change (the form's ``carry_forward = true``: households, agencies,
schools, staff) copied into the empty cells of the report, for its villages
and the commune row, and marked carried forward (table ``carried_cells``).

A carried cell counts as empty when signing (models/reporting.ReportView.empty_cells)
until the officer confirms it (``confirm_carried``) or types over it, even with the
same figure (Gateway.set_values confirms it in the same transaction). The village
list itself needs nothing carried: a new report already lists the commune's
villages as they stand (Gateway.report_villages), and a village that others were
merged into since starts from their sum (models/history.values_as_today).
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.schema import FormDef
from forms.values import ValueRejected, coerce
from models.clock import now
from models.errors import BadInput
from models.gateway import Gateway
from models.history import values_as_today
from models.report_lock import refuse_if_locked
from models.report_records import Edit, ReportRef


@dataclass(frozen=True)
class CarriedCell:
    """A value taken from ``from_period`` and not confirmed yet."""

    indicator: str
    unit_code: str
    from_period: str  # the period's code, 2024
    value: object

    def to_list(self) -> list:
        """[indicator, unit code, from period]: the packet's so-lieu.json “carried_forward”."""
        return [self.indicator, self.unit_code, self.from_period]


def carried_cells(gw: Gateway, report: ReportRef) -> dict[tuple[str, str], CarriedCell]:
    """(indicator, unit code) -> the cells of ``report`` carried forward and not confirmed yet."""
    rows = gw.db.execute(
        "SELECT indicator, unit_code, from_period, value FROM carried_cells "
        "WHERE report_id = ? AND confirmed_at IS NULL ORDER BY rowid",
        [report.id],
    )
    return {(ind, unit): CarriedCell(ind, unit, period, value) for ind, unit, period, value in rows}


def source_report(gw: Gateway, report: ReportRef) -> ReportRef | None:
    """The unit's last report on the same form for an earlier period of the same kind (2024 for 2025, or
    2023 when 2024 was never made), or None."""
    period = gw.period(report.period_code)
    earlier = [
        r
        for r in gw.reports(report.unit_code)
        if r.form_id == report.form_id
        and (p := gw.period(r.period_code)).kind == period.kind
        and p.ends < period.starts
    ]
    return max(earlier, key=lambda r: gw.period(r.period_code).ends, default=None)


def carry_forward(gw: Gateway, report: ReportRef, form: FormDef, who: str) -> int:
    """Copy the last period's values of the form's carry-forward indicators into the empty cells of
    ``report`` and mark them carried; the number of cells carried (0 with no earlier report). Written
    through Gateway.set_values, so the audit trail says who carried them and from which period; a report
    the upper level received is refused (models.report_lock.ReportLocked)."""
    refuse_if_locked(gw, report)
    source = source_report(gw, report)
    if source is None:
        return 0
    period = gw.period(source.period_code)
    earlier = values_as_today(gw, source, period).values
    unit = gw.require_unit(report.unit_code)
    villages = [v.code for v in gw.report_villages(report) if v.active]
    current = gw.values(report)
    edits = []
    for ind in form.indicators:
        if not ind.carry_forward or not ind.applies(unit.kind):
            continue
        for code in villages if ind.grain == "village" else [unit.code]:
            value = earlier.get((ind.id, code))
            if value is None or current.get((ind.id, code)) is not None:
                continue
            try:
                edits.append(Edit(ind.id, code, coerce(ind, value)))
            except ValueRejected:
                continue  # this version of the form takes it no more: left for the officer
    if not edits:
        return 0
    stamp = now()
    with gw.transaction():
        changes = gw.set_values(report, edits, f"{who} (chuyển từ {period.label})")
        for change in changes:
            gw.db.execute(
                "INSERT OR REPLACE INTO carried_cells (report_id, indicator, unit_code, from_period, value, at, who) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [report.id, change.indicator, change.unit_code, period.code, change.new, stamp, who],
            )
    return len(changes)


def confirm_carried(gw: Gateway, report: ReportRef, cells: list[tuple[str, str]] | None, who: str) -> int:
    """Confirm carried cells as they stand (``cells`` as (indicator, unit code); None: every one); each
    confirmation is an audit row with the value unchanged. The number confirmed; BadInput for a cell that
    is not carried and unconfirmed; a locked report is refused."""
    waiting = carried_cells(gw, report)
    chosen = list(waiting) if cells is None else [tuple(c) for c in cells]
    unknown = [c for c in chosen if c not in waiting]
    if unknown:
        indicator, unit_code = unknown[0]
        raise BadInput(f"Ô {indicator} của {unit_code} không phải số chuyển từ kỳ trước đang chờ xác nhận.")
    stamp = now()
    with gw.transaction():
        refuse_if_locked(gw, report)
        for indicator, unit_code in chosen:
            value = waiting[(indicator, unit_code)].value
            gw.db.execute(
                "UPDATE carried_cells SET confirmed_at = ?, confirmed_by = ? "
                "WHERE report_id = ? AND indicator = ? AND unit_code = ?",
                [stamp, who, report.id, indicator, unit_code],
            )
            gw.db.execute(
                "INSERT INTO audit (report_id, indicator, unit_code, old_value, new_value, at, who) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [report.id, indicator, unit_code, value, value, stamp, f"{who} (xác nhận số chuyển từ kỳ trước)"],
            )
    return len(chosen)
