"""The figures typed once for the whole commune (staff, agencies, schools,
stations...), each with its total, computed percentage and target."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from forms import vnformat
from forms.messages import target_text
from ui.cell_look import CENTER, COMPUTED_BRUSH, RIGHT, submit, value_cell_data
from ui.commune.entry_controller import EntryController
from ui.commune.village_grid import CHECKABLE, DISPLAY, EDIT, EDITABLE, READ_ONLY, REFRESHED_ROLES, emit_changed_cells

VALUE_COLUMN = 3


class CommuneFieldsModel(QAbstractTableModel):
    def __init__(self, controller: EntryController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.indicators = [i for i in controller.session.form.commune_indicators]
        self._headers = [
            self.tr("Stt"), self.tr("Chỉ tiêu"), self.tr("ĐVT"), self.tr("Số liệu"),
            self.tr("Tổng số"), self.tr("Tỷ lệ (%)"), self.tr("Mục tiêu"),
        ]  # fmt: skip
        self._shown = self._rows_state()
        controller.changed.connect(self.refresh)

    @property
    def view(self):
        return self.controller.session.view

    def refresh(self, changes=None) -> None:
        before, self._shown = self._shown, self._rows_state()
        if changes is None:
            if self.indicators:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self.indicators) - 1, 6), REFRESHED_ROLES)
            return
        differ = [n for n, (a, b) in enumerate(zip(before, self._shown, strict=True)) if a != b]
        emit_changed_cells(self, [(row, column) for row in differ for column in range(VALUE_COLUMN, 7)])

    def _rows_state(self) -> list[tuple]:
        """Everything a row shows: its figure, its target, its findings and their reasons."""
        evaluation = self.view.evaluation
        targets = {t.indicator: t for t in evaluation.targets}
        findings = {}
        for f in evaluation.findings:
            if f.cell.village is None:
                findings.setdefault(f.cell.indicator, []).append((f, self.view.reason_for(f)))
        missing = {c.indicator for c in evaluation.missing if c.village is None}
        return [
            (
                evaluation.figures[i.id],
                targets.get(i.id),
                tuple(findings.get(i.id, ())),
                i.id in missing,
                (i.id, self.view.unit.code) in self.view.carried,
            )
            for i in self.indicators
        ]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.indicators)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self._headers[section]
        return None

    def cell(self, index) -> tuple[str, str] | None:
        if not index.isValid() or index.column() != VALUE_COLUMN:
            return None
        ind = self.indicators[index.row()]
        return (ind.id, self.view.unit.code) if ind.applies(self.view.unit.kind) else None

    def locate(self, indicator: str):
        ids = [i.id for i in self.indicators]
        return self.index(ids.index(indicator), VALUE_COLUMN) if indicator in ids else QModelIndex()

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.cell(index) is None or self.controller.locked:
            return READ_ONLY
        return CHECKABLE if self.indicators[index.row()].kind == "yesno" else EDITABLE

    def yes_no_column(self, column: int) -> bool:
        """Whether ``column`` holds yes/no cells (the view draws those with SheetView's yes/no delegate)."""
        return column == VALUE_COLUMN and any(i.kind == "yesno" for i in self.indicators)

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        ind = self.indicators[index.row()]
        column = index.column()
        figure = self.view.evaluation.figures[ind.id]
        if column == VALUE_COLUMN:
            return self._value_data(ind, figure, role)
        if role == DISPLAY:
            return self._computed_text(ind, figure, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 4:
            return RIGHT if column < 6 else CENTER
        if role == Qt.ItemDataRole.BackgroundRole and column >= 4:
            return COMPUTED_BRUSH
        return None

    def _value_data(self, ind, figure, role):
        if not figure.applicable:
            return self.tr("Không áp dụng") if role == DISPLAY else None
        value = self.view.data.commune_values.get(ind.id)
        findings = [f for f in self.view.evaluation.findings if f.cell.village is None and f.cell.indicator == ind.id]
        missing = any(c.indicator == ind.id and c.village is None for c in self.view.evaluation.missing)
        carried = self.view.carried.get((ind.id, self.view.unit.code))
        return value_cell_data(self.view, ind, value, findings, missing, role, carried)

    def _computed_text(self, ind, figure, column) -> str:
        if column == 0:
            return ind.code or ""
        if column == 1:
            return ind.label
        if column == 2:
            return ind.unit
        if not figure.applicable:
            return ""
        if column == 4:
            return vnformat.number(figure.total)
        if column == 5:
            return vnformat.percent(figure.percent)
        result = next((t for t in self.view.evaluation.targets if t.indicator == ind.id), None)
        return target_text(self.view.form, result) if result else ""

    def setData(self, index, value, role=EDIT) -> bool:
        return submit(self, self.cell(index), value, role)
