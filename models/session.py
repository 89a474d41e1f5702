"""One report open for entry: its values in memory, evaluated after every
accepted edit, written through the gateway before anyone is told.

The window keeps one session per open report; undo and redo are ordinary
edits that put the old values back, so they are saved and audited too.
"""

from __future__ import annotations

from dataclasses import replace

from forms.engine import Finding, ReportData, evaluate
from forms.schema import FormDef
from models.carry_forward import carried_cells, confirm_carried
from models.errors import BadInput
from models.gateway import Gateway
from models.report_records import Change, ReportRef
from models.reporting import ReportView, check_edits, target_set_for, view_report


class ReportSession:
    def __init__(self, gw: Gateway, report: ReportRef, form: FormDef, who: str, target_set_id: str | None = None):
        self.gw, self.report, self.form, self.who = gw, report, form, who
        # Why the chosen target set is not compared (none of its versions in force for this period): the
        # report opens without it and the window says so.
        self.target_note = ""
        try:
            self.view: ReportView = view_report(gw, report, form, target_set_id)
        except BadInput as exc:
            if not target_set_id:
                raise
            self.view, self.target_note = view_report(gw, report, form), str(exc)

    @property
    def unit_code(self) -> str:
        return self.view.unit.code

    def value(self, indicator: str, unit_code: str):
        if unit_code == self.unit_code:
            return self.view.data.commune_values.get(indicator)
        return self.view.data.village_values.get(unit_code, {}).get(indicator)

    def apply(self, edits: list[tuple[str, str, object]]) -> list[Change]:
        """Check, save and evaluate; BadInput (nothing saved) if any value is refused."""
        # The unit and its villages are already here: the keystroke path reads nothing back.
        checked = check_edits(self.form, self.view.unit, self.view.villages, edits)
        changes = self.gw.set_values(self.report, checked, self.who)
        typed_over = {(e.indicator, e.unit_code) for e in checked} & self.view.carried.keys()
        if typed_over:  # confirmed by set_values, even where the figure stayed the same
            carried = {k: c for k, c in self.view.carried.items() if k not in typed_over}
            self.view = replace(self.view, carried=carried)
        if changes:
            self._reevaluate(changed_data(self.view.data, self.unit_code, changes))
        return changes

    def set_target_set(self, target_set_id: str | None) -> None:
        try:
            target_set = target_set_for(self.gw, self.form, target_set_id, self.report.period_code)
        except BadInput as exc:
            target_set, self.target_note = None, str(exc)
        else:
            self.target_note = ""
        self._reevaluate(self.view.data, target_set)

    def set_reason(self, finding: Finding, reason: str) -> None:
        unit = finding.cell.village or self.unit_code
        self.gw.set_reason(self.report, finding.rule, finding.cell.indicator, unit, reason, self.who)
        self.view = replace(self.view, reasons=self.gw.reasons(self.report))  # the figures did not change

    def confirm_carried(self, cells: list[tuple[str, str]] | None) -> int:
        """Confirm carried cells as they stand (None: all); how many (models/carry_forward.confirm_carried)."""
        count = confirm_carried(self.gw, self.report, cells, self.who)
        self.view = replace(self.view, carried=carried_cells(self.gw, self.report))
        return count

    def _reevaluate(self, data: ReportData, target_set=...) -> None:
        if target_set is ...:
            target_set = self.view.evaluation.target_set
        # The history was read once when the report opened: a keystroke only looks it up.
        evaluation = evaluate(self.form, data, target_set, self.view.history)
        self.view = replace(self.view, data=data, evaluation=evaluation)


def changed_data(data: ReportData, unit_code: str, changes: list[Change]) -> ReportData:
    """``data`` with the saved ``changes`` in it (a new value, or a cell emptied): what the next evaluation
    reads, without reading the report back. The second pass's session (models/second_pass_session.py) too."""
    commune = dict(data.commune_values)
    villages = {code: dict(values) for code, values in data.village_values.items()}
    for change in changes:
        cells = commune if change.unit_code == unit_code else villages[change.unit_code]
        if change.new is None:
            cells.pop(change.indicator, None)
        else:
            cells[change.indicator] = change.new
    return ReportData(data.unit_kind, data.unit_tier, data.villages, villages, commune)
