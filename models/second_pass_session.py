"""The second pass of a double entry open for typing: a ReportSession's face over the second-pass values.

The window's grid, commune fields, undo and findings work on it unchanged: the grid starts blank (the
first pass is not read), each accepted value is checked with the typing rules and saved to the second
pass (models/double_entry.py), never to the report. Reasons for warnings belong to the first pass.
"""

from __future__ import annotations

from dataclasses import replace

from forms.engine import ReportData, evaluate
from forms.schema import FormDef
from models.double_entry import put_second, second_values, status
from models.errors import BadInput
from models.gateway import Gateway
from models.report_records import Change, ReportRef
from models.reporting import ReportView, check_edits, report_data, target_set_for
from models.session import changed_data


class SecondPassSession:
    second_pass = True  # the views refuse pasting and filling down for it

    def __init__(self, gw: Gateway, report: ReportRef, form: FormDef, who: str, target_set_id: str | None = None):
        self.gw, self.report, self.form = gw, report, form
        self.status = status(gw, report, form)
        self.who = self.status.second_by or who  # the values are the second typist's
        self.target_note = ""
        unit, villages, first = report_data(gw, report, form)
        village_values: dict[str, dict] = {v.code: {} for v in villages}
        commune_values: dict = {}
        for (indicator, unit_code), value in second_values(gw, report).items():
            if unit_code == unit.code:
                commune_values[indicator] = value
            elif unit_code in village_values:
                village_values[unit_code][indicator] = value
        data = ReportData(first.unit_kind, first.unit_tier, first.villages, village_values, commune_values)
        try:
            target_set = target_set_for(gw, form, target_set_id, report.period_code)
        except BadInput as exc:
            target_set, self.target_note = None, str(exc)
        self.view = ReportView(report, form, unit, villages, data, evaluate(form, data, target_set), {})

    @property
    def unit_code(self) -> str:
        return self.view.unit.code

    def value(self, indicator: str, unit_code: str):
        if unit_code == self.unit_code:
            return self.view.data.commune_values.get(indicator)
        return self.view.data.village_values.get(unit_code, {}).get(indicator)

    def apply(self, edits: list[tuple[str, str, object]]) -> list[Change]:
        """Check and save into the second pass; BadInput (nothing saved) if any value is refused."""
        checked = check_edits(self.form, self.view.unit, self.view.villages, edits)
        changes = put_second(self.gw, self.report, checked, self.who)
        if changes:
            data = changed_data(self.view.data, self.unit_code, changes)
            self.view = replace(
                self.view, data=data, evaluation=evaluate(self.form, data, self.view.evaluation.target_set)
            )
        return changes

    def set_target_set(self, target_set_id: str | None) -> None:
        try:
            target_set = target_set_for(self.gw, self.form, target_set_id, self.report.period_code)
        except BadInput as exc:
            target_set, self.target_note = None, str(exc)
        else:
            self.target_note = ""
        self.view = replace(self.view, evaluation=evaluate(self.form, self.view.data, target_set))

    def set_reason(self, _finding, _reason: str) -> None:
        raise BadInput("Lần nhập thứ hai chỉ nhập số liệu; lý do của cảnh báo ghi ở báo cáo sau khi đối chiếu.")
