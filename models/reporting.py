"""Where the database meets the form definitions: read a report as the rule
engine wants it, evaluate it, and accept typed values cell by cell.

The GUI and the CLI both come through here, so a value refused in the grid
is refused in ``main.py load`` with the same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from forms import vnformat
from forms.engine import Cell, Evaluation, ReportData, evaluate
from forms.library import default_library
from forms.plausibility import History
from forms.schema import NUMERIC_KINDS, FormDef
from forms.values import ValueRejected, coerce
from models.carry_forward import carried_cells
from models.errors import BadInput
from models.form_store import library_of, version_in_use
from models.gateway import Gateway
from models.history import plausibility_history, report_history
from models.periods import Period, parse_period
from models.report_records import Change, Edit, ReportRef
from models.units import Unit
from models.vocabulary import PeriodKind, Tier


@dataclass(frozen=True)
class ReportView:
    """One report with everything needed to show, check or export it."""

    report: ReportRef
    form: FormDef
    unit: Unit
    villages: list[Unit]
    data: ReportData
    evaluation: Evaluation
    reasons: dict[tuple[str, str, str], str]  # (rule, indicator, unit code) -> why a warned figure stands
    # (indicator, unit code) -> models.carry_forward.CarriedCell: taken from the last period, not confirmed yet.
    carried: dict = field(default_factory=dict)
    history: History | None = None  # the earlier periods the plausibility warnings compare with
    # The nearest of them as the note beside the grid words them (models/history.Earlier: a merged
    # village's parts, a renamed one's old name); read once with the history above.
    earlier: tuple = ()

    def reason_for(self, finding) -> str | None:
        return self.reasons.get((finding.rule, finding.cell.indicator, finding.cell.village or self.unit.code))

    @property
    def empty_cells(self) -> list[Cell]:
        """The cells still to type, in the grid's order (villages first, then the commune's rows): a required
        count, amount or yes/no cell with no value, of an indicator that applies to this unit. Text and date
        cells, cells that do not apply and figures computed from the villages are not counted. The one count
        the status bar, the signing dialog and the CLI say (“… ô chưa nhập”). A value carried from the last
        period and not confirmed yet counts as empty too (``carried_empty``)."""
        empty = [
            cell
            for cell in self.evaluation.missing
            if (ind := self.form.indicator(cell.indicator)).kind in NUMERIC_KINDS and ind.applies(self.data.unit_kind)
        ]
        if not self.carried:
            return empty
        order = {code: n for n, code in enumerate(self.data.villages)}
        rows = {ind.id: n for n, ind in enumerate(self.form.indicators)}
        cells = set(empty) | set(self.carried_empty)
        return sorted(cells, key=lambda c: (c.village is None, order.get(c.village, 0), rows.get(c.indicator, 0)))

    @property
    def carried_empty(self) -> list[Cell]:
        """The cells carried from the last period and not confirmed yet, that still count (“… chưa xác nhận”)."""
        return [
            Cell(ind, None if unit == self.unit.code else unit)
            for ind, unit in self.carried
            if self.form.has_indicator(ind) and (unit == self.unit.code or unit in self.data.village_values)
        ]

    def villages_complete(self) -> int:
        """How many of the report's villages have no empty cell left (“15/18 bản đã nhập đủ”)."""
        empty = {cell.village for cell in self.empty_cells if cell.village is not None}
        return sum(1 for code in self.data.villages if code not in empty)


def report_data(
    gw: Gateway, report: ReportRef, form: FormDef, values: dict | None = None
) -> tuple[Unit, list[Unit], ReportData]:
    """The report's unit, villages and figures as the engine takes them; ``values`` ((indicator, unit code)
    -> value) in place of the report's own, for its second pass (models/second_pass_session.py)."""
    unit = gw.require_unit(report.unit_code)
    villages = gw.report_villages(report)
    village_values: dict[str, dict] = {v.code: {} for v in villages}
    commune_values: dict = {}
    for (indicator, unit_code), value in (gw.values(report) if values is None else values).items():
        if not form.has_indicator(indicator):
            continue  # a row dropped from a later version of the form
        if unit_code == unit.code:
            commune_values[indicator] = value
        elif unit_code in village_values:
            village_values[unit_code][indicator] = value
    data = ReportData(unit.kind, unit.tier, tuple(v.code for v in villages), village_values, commune_values)
    return unit, villages, data


def report_form(gw: Gateway, report: ReportRef) -> FormDef | None:
    """The form version a report was filled with (a kept one, whichever unit issued it)."""
    return library_of(gw).get(report.form_id, report.form_version, report.form_publisher)


def require_form(form_id: str, gw: Gateway | None = None) -> FormDef:
    """The version of a form a new report is filled with (models.form_store.version_in_use: the upper
    level's where it sent one, else the program's newest); without ``gw`` the program's. BadInput naming
    the forms there are for an id not known: a form only a province sent is known where it was kept."""
    library = library_of(gw) if gw is not None else default_library()
    form = version_in_use(gw, form_id) if gw is not None else library.get(form_id)
    if form is None:
        raise BadInput(f"Không có biểu “{form_id}” (các biểu hiện có: {', '.join(library.ids())}).")
    return form


def find_target_set(form: FormDef, target_set_id: str | None, ends: dt.date | None = None):
    """The set named, in the version in force for a period ending on ``ends`` (models/target_store.py)."""
    if not target_set_id:
        return None
    target_set = form.target_set(target_set_id)
    if target_set is None:
        known = ", ".join(s.id for s in form.target_sets) or "không có"
        raise BadInput(f"Biểu “{form.id}” không có bộ mục tiêu “{target_set_id}” (có: {known}).")
    in_force = target_set.in_force_for(ends) if ends is not None else target_set
    if in_force is None:
        first = (*target_set.earlier, target_set)[0]
        raise BadInput(
            f"Bộ mục tiêu “{target_set.name}” áp dụng từ ngày {vnformat.date(first.starts)}, "
            f"sau ngày cuối của kỳ báo cáo ({vnformat.date(ends)}): chưa so được với kỳ này."
        )
    return in_force


def target_set_for(gw: Gateway, form: FormDef, target_set_id: str | None, period_code: str):
    """find_target_set() over ``form`` as this database knows it (with the sets kept here), in the version
    in force for the period."""
    known = library_of(gw).get(form.id, form.version, form.publisher) or form
    return find_target_set(known, target_set_id, gw.period(period_code).ends)


def view_report(gw: Gateway, report: ReportRef, form: FormDef, target_set_id: str | None = None) -> ReportView:
    target_set = find_target_set(form, target_set_id, gw.period(report.period_code).ends)
    unit, villages, data = report_data(gw, report, form)
    earlier = report_history(gw, report)
    history = plausibility_history(gw, report, form, earlier)
    evaluation = evaluate(form, data, target_set, history)
    reasons, carried = gw.reasons(report), carried_cells(gw, report)
    return ReportView(report, form, unit, villages, data, evaluation, reasons, carried, history, tuple(earlier))


def find_report_view(
    gw: Gateway, unit_code: str, form_id: str, period_code: str, target_set_id: str | None = None
) -> ReportView | None:
    """The report of a unit, form and period, read with the form version it was made with; None if
    there is none. BadInput for a unit, form, period or target set that does not exist."""
    unit = gw.require_unit(unit_code)
    period = gw.period(period_code)
    form = require_form(form_id, gw)
    report = gw.find_report(unit.code, form.id, period.code)
    if report is None:
        return None
    form = report_form(gw, report) or form
    return view_report(gw, report, form, target_set_id)


def open_report_view(
    gw: Gateway, unit_code: str, form_id: str, period_code: str, target_set_id: str | None = None
) -> ReportView:
    """find_report_view(), or BadInput saying that the report has not been started."""
    view = find_report_view(gw, unit_code, form_id, period_code, target_set_id)
    if view is None:
        unit, period = gw.require_unit(unit_code), gw.period(period_code)
        raise BadInput(f"Chưa có báo cáo biểu {form_id} của {unit.name} cho {period.in_sentence}.")
    return view


def start_report(gw: Gateway, unit_code: str, form: FormDef, period_code: str) -> ReportRef:
    """The report of this unit, form and period, made if new: only for the
    level that fills the form and the kinds of period it is made for."""
    unit = gw.require_unit(unit_code)
    period = parse_period(period_code)
    require_filler(form, unit, period)
    require_period_kind(form, period)
    return gw.ensure_report(unit.code, form.id, form.version, period.code, form.publisher)


def filling_tiers(form: FormDef, period: Period) -> tuple[str, ...]:
    """The tiers that fill the form for this period (a district's form is a commune's and the
    province's since 1/7/2025, where its definition says so)."""
    return form.tiers_for(period.starts, period.ends)


def fills(form: FormDef, unit: Unit, period: Period) -> bool:
    """Whether the unit fills the form itself for this period (rather than merging its units' reports)."""
    return unit.tier in filling_tiers(form, period)


def require_filler(form: FormDef, unit: Unit, period: Period) -> None:
    """BadInput, naming the tiers that do fill it for this period, unless the unit fills the form then."""
    if fills(form, unit, period):
        return
    tiers = [Tier(t).words for t in filling_tiers(form, period)]
    if not tiers:
        raise BadInput(f"Biểu {form.id} không có cấp nào lập cho {period.in_sentence}.")
    who = " hoặc ".join(tiers)
    raise BadInput(f"Biểu {form.id} cho {period.in_sentence} do {who} lập; {unit.name} là {unit.tier.words}.")


def require_period_kind(form: FormDef, period) -> None:
    """BadInput unless the form is made for this kind of period (year, half-year, quarter, phase)."""
    if period.kind not in form.period_kinds:
        allowed = ", ".join(PeriodKind(k).words for k in form.period_kinds)
        raise BadInput(
            f"Biểu {form.id} không lập theo kỳ {period.kind.words} ({period.code}); các kỳ được phép: {allowed}."
        )


def enter_values(
    gw: Gateway, report: ReportRef, form: FormDef, edits: list[tuple[str, str, object]], who: str
) -> list[Change]:
    """Check every (indicator, unit code, raw value) first, then write them all or none."""
    checked = check_edits(form, gw.require_unit(report.unit_code), gw.report_villages(report), edits)
    return gw.set_values(report, checked, who)


def check_edits(form: FormDef, unit: Unit, villages: list[Unit], edits: list[tuple[str, str, object]]) -> list[Edit]:
    """The stored values for typed ones; BadInput naming the cell for the first refused."""
    by_code = {v.code: v for v in villages}
    checked = []
    for indicator_id, unit_code, raw in edits:
        if not form.has_indicator(indicator_id):
            raise BadInput(f"Biểu “{form.id}” không có chỉ tiêu “{indicator_id}”.")
        indicator = form.indicator(indicator_id)
        if unit_code == unit.code:
            where = unit.name
        elif unit_code in by_code and indicator.grain == "village":
            where = by_code[unit_code].name
        elif unit_code in by_code:
            raise BadInput(f"Chỉ tiêu “{indicator.label}” nhập cho cả xã, không nhập theo bản.")
        else:
            raise BadInput(f"“{unit_code}” không phải bản của {unit.name}, cũng không phải chính đơn vị này.")
        if not indicator.applies(unit.kind):
            raise BadInput(f"Chỉ tiêu “{indicator.label}” không áp dụng cho {unit.kind}.")
        try:
            value = coerce(indicator, raw)
        except ValueRejected as exc:
            raise BadInput(f"{where}: {exc}") from None
        checked.append(Edit(indicator_id, unit_code, value))
    return checked
