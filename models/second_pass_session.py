"""The second pass of a double entry open for typing: a ReportSession's face over the second-pass values.

The window's grid, commune fields, undo and findings work on it unchanged: the grid starts blank (the
first pass is not read), each accepted value is checked with the typing rules and saved to the second
pass (models/double_entry.py), never to the report. Reasons for warnings belong to the first pass.
"""

from __future__ import annotations

from forms.engine import evaluate
from forms.schema import FormDef
from models.double_entry import put_second, second_values, status
from models.errors import BadInput
from models.gateway import Gateway
from models.report_records import Change, ReportRef
from models.reporting import ReportView, check_edits, report_data, target_set_for
from models.session import ReportSession, changed_data


class SecondPassSession(ReportSession):
    second_pass = True  # the views refuse pasting and filling down for it

    def __init__(self, gw: Gateway, report: ReportRef, form: FormDef, who: str, target_set_id: str | None = None):
        self.gw, self.report, self.form = gw, report, form
        self.status = status(gw, report, form)
        self.who = self.status.second_by or who  # the values are the second typist's
        self.target_note = ""
        unit, villages, data = report_data(gw, report, form, second_values(gw, report))
        try:
            target_set = target_set_for(gw, form, target_set_id, report.period_code)
        except BadInput as exc:
            target_set, self.target_note = None, str(exc)
        self.view = ReportView(report, form, unit, villages, data, evaluate(form, data, target_set), {})

    def apply(self, edits: list[tuple[str, str, object]]) -> list[Change]:
        """Check and save into the second pass; BadInput (nothing saved) if any value is refused."""
        checked = check_edits(self.form, self.view.unit, self.view.villages, edits)
        changes = put_second(self.gw, self.report, checked, self.who)
        if changes:
            self._reevaluate(changed_data(self.view.data, self.unit_code, changes))
        return changes

    def set_reason(self, _finding, _reason: str) -> None:
        raise BadInput("Lần nhập thứ hai chỉ nhập số liệu; lý do của cảnh báo ghi ở báo cáo sau khi đối chiếu.")

    def confirm_carried(self, _cells) -> int:
        raise BadInput("Lần nhập thứ hai chỉ nhập số liệu; số chuyển từ kỳ trước xác nhận ở báo cáo sau khi đối chiếu.")
