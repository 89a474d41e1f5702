"""The village grid: one row per village, one column per village indicator,
and under it the commune's computed rows (total, percentage, target) with
the same columns, so they stay in sight while the officer types."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from forms import vnformat
from forms.messages import target_text
from ui.cell_look import CENTER, COMPUTED_BRUSH, MET_BRUSH, RIGHT, UNMET_BRUSH, submit, value_cell_data
from ui.commune.entry_controller import EntryController

DISPLAY, EDIT, CHECK = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.CheckStateRole
REFRESHED_ROLES = [
    DISPLAY, EDIT, CHECK, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole
]  # fmt: skip
# Combined once: or-ing PySide enums on every paint costs more than the paint.
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDITABLE = READ_ONLY | Qt.ItemFlag.ItemIsEditable
CHECKABLE = EDITABLE | Qt.ItemFlag.ItemIsUserCheckable


HEADER_WIDTH = 17  # characters a header line holds: the columns widen to it (sheet_view.fit_headers)
HEADER_LINES = 3  # of the label; the code and unit above make four


def header_text(ind) -> str:
    """The code and unit on the first line, the form's own label under it in at
    most three lines, cut with “…”: the words, not only “2.3”, without making
    a figure column as wide as the sentence. The tooltip has it whole."""
    label = textwrap.fill(ind.label, HEADER_WIDTH, max_lines=HEADER_LINES, placeholder=" …")
    return f"{ind.code} ({ind.unit})\n{label}" if ind.code not in (None, "-") else f"({ind.unit})\n{label}"


def emit_changed_cells(model, cells) -> None:
    """One dataChanged per cell: the view then repaints that cell, not the whole table."""
    for row, column in cells:
        index = model.index(row, column)
        model.dataChanged.emit(index, index, REFRESHED_ROLES)


class _IndicatorColumns(QAbstractTableModel):
    """Column 0 names the row; columns 1.. are the form's village indicators."""

    def __init__(self, controller: EntryController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.indicators = list(controller.session.form.village_indicators)
        controller.changed.connect(self.refresh)

    @property
    def view(self):
        return self.controller.session.view

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.indicators) + 1

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return self.tr("Bản, tổ dân phố") if role == DISPLAY else None
        ind = self.indicators[section - 1]
        if role == DISPLAY:
            return header_text(ind)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{ind.code or ''} {ind.label} ({ind.unit})".strip()
        return None

    def refresh(self, changes=None) -> None:
        if self.rowCount() and self.columnCount():
            last = self.index(self.rowCount() - 1, self.columnCount() - 1)
            self.dataChanged.emit(self.index(0, 0), last, REFRESHED_ROLES)


class VillageGridModel(_IndicatorColumns):
    def __init__(self, controller: EntryController, parent=None):
        super().__init__(controller, parent)
        self._index_findings()

    def yes_no_column(self, column: int) -> bool:
        """Whether ``column`` holds yes/no cells (the view draws those with SheetView's yes/no delegate)."""
        return column > 0 and self.indicators[column - 1].kind == "yesno"

    def refresh(self, changes=None) -> None:
        before = self._looks()
        self._index_findings()
        if changes is None:
            super().refresh()
            return
        # Only the edited cells and those whose finding or emptiness changed look different.
        keys = {(c.indicator, c.unit_code) for c in changes}
        after = self._looks()
        keys |= {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        emit_changed_cells(self, [(i.row(), i.column()) for i in (self.locate(*k) for k in keys) if i.isValid()])

    def _looks(self) -> dict[tuple[str, str], tuple]:
        """What, besides its value, decides how a cell looks: its findings, reasons, emptiness."""
        looks = {k: (tuple(findings), tuple(self.view.reason_for(f) for f in findings))
                 for k, findings in self._findings.items()}  # fmt: skip
        for key in self._missing:
            looks[key] = (*looks.get(key, ()), "missing")
        for key in self._carried:
            looks[key] = (*looks.get(key, ()), "carried")
        return looks

    def _index_findings(self) -> None:
        self._findings: dict[tuple[str, str], list] = {}
        for finding in self.view.evaluation.findings:
            if finding.cell.village is not None:
                key = (finding.cell.indicator, finding.cell.village)
                self._findings.setdefault(key, []).append(finding)
        self._missing = {(c.indicator, c.village) for c in self.view.evaluation.missing}
        self._carried = set(self.view.carried)  # taken from the last period, not confirmed yet
        self._rows = {v.code: n for n, v in enumerate(self.view.villages)}
        self._columns = {ind.id: n + 1 for n, ind in enumerate(self.indicators)}

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.view.villages)

    def cell(self, index) -> tuple[str, str] | None:
        """(indicator, village code) of an editable cell; None for the name column."""
        if not index.isValid() or index.column() == 0:
            return None
        return self.indicators[index.column() - 1].id, self.view.villages[index.row()].code

    def locate(self, indicator: str, village: str):
        """The index of a cell, to jump to it from a finding."""
        if village not in self._rows or indicator not in self._columns:
            return QModelIndex()
        return self.index(self._rows[village], self._columns[indicator])

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == 0 or self.controller.locked:
            return READ_ONLY
        return CHECKABLE if self.indicators[index.column() - 1].kind == "yesno" else EDITABLE

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        village = self.view.villages[index.row()]
        if index.column() == 0:
            if role == DISPLAY:
                return village.name if village.active else self.tr("%1 (đã ngừng)").replace("%1", village.name)
            return None
        ind = self.indicators[index.column() - 1]
        value = self.view.data.village_values.get(village.code, {}).get(ind.id)
        findings = self._findings.get((ind.id, village.code), [])
        missing, carried = (ind.id, village.code) in self._missing, self.view.carried.get((ind.id, village.code))
        return value_cell_data(self.view, ind, value, findings, missing, role, carried)

    def setData(self, index, value, role=EDIT) -> bool:
        return submit(self, self.cell(index), value, role)


class SummaryModel(_IndicatorColumns):
    """Three computed rows under the grid: total for the commune, percentage, target."""

    ROWS = ("total", "percent", "target")

    def __init__(self, controller: EntryController, parent=None):
        super().__init__(controller, parent)
        self._shown = self._columns_state()

    def refresh(self, changes=None) -> None:
        before, self._shown = self._shown, self._columns_state()
        differ = [n + 1 for n, (a, b) in enumerate(zip(before, self._shown, strict=True)) if a != b]
        if changes is None:
            super().refresh()
        else:
            emit_changed_cells(self, [(row, column) for column in differ for row in range(len(self.ROWS))])

    def _columns_state(self) -> list[tuple]:
        evaluation = self.view.evaluation
        targets = {t.indicator: t for t in evaluation.targets}
        return [(evaluation.figures[i.id], targets.get(i.id)) for i in self.indicators]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ROWS)

    def flags(self, index):
        return READ_ONLY if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        row = self.ROWS[index.row()]
        if index.column() == 0:
            labels = {"total": self.tr("Cộng toàn xã"), "percent": self.tr("Tỷ lệ (%)"), "target": self.tr("Mục tiêu")}
            return (
                labels[row] if role == DISPLAY else (COMPUTED_BRUSH if role == Qt.ItemDataRole.BackgroundRole else None)
            )
        ind = self.indicators[index.column() - 1]
        figure = self.view.evaluation.figures[ind.id]
        result = next((t for t in self.view.evaluation.targets if t.indicator == ind.id), None)
        if role == DISPLAY:
            if row == "total":
                return vnformat.number(figure.value) if ind.is_numeric else ""
            if row == "percent":
                return vnformat.percent(figure.percent)
            return _short_target(result)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if row != "target" else CENTER
        if role == Qt.ItemDataRole.BackgroundRole:
            if row == "target" and result is not None and result.status in ("dat", "chua_dat"):
                return MET_BRUSH if result.status == "dat" else UNMET_BRUSH
            return COMPUTED_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole and row == "target" and result is not None:
            return target_text(self.view.form, result)
        return None


def _short_target(result) -> str:
    """“đạt” or “thiếu 3” in a narrow column; the tooltip has the sentence."""
    if result is None:
        return ""
    if result.status == "dat":
        return "đạt"
    if result.status == "chua_dat":
        return f"thiếu {result.gap}" if result.gap and result.gap > 0 else "chưa đạt"
    return "-"
