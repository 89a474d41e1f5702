"""The commune table of one report as a Qt table model (read-only for now).

Rows are the form's sections and printed rows; columns are the form's six
columns plus the target comparison. The model only reads a ReportView.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from forms import vnformat
from forms.messages import target_text
from models.reporting import ReportView

ERROR_BRUSH = QBrush(QColor("#f8d0d0"))
WARNING_BRUSH = QBrush(QColor("#fbeec1"))
SectionRole = Qt.ItemDataRole.UserRole + 1


class ReportTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._view: ReportView | None = None
        self._rows: list[tuple[str, object]] = []  # ("section", Section) | ("row", Indicator)
        self._headers: list[str] = []

    def set_view(self, view: ReportView | None) -> None:
        self.beginResetModel()
        self._view = view
        self._rows, self._headers = [], []
        if view is not None:
            sections = {s.code: s for s in view.form.sections}
            current = None
            for ind in view.form.indicators:
                if ind.section != current:
                    current = ind.section
                    self._rows.append(("section", sections[current]))
                if ind.is_row:
                    self._rows.append(("row", ind))
            self._headers = [*view.form.columns[:6], self.tr("Mục tiêu")]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._view is None:
            return None
        kind, item = self._rows[index.row()]
        if kind == "section":
            return self._section_data(item, index.column(), role)
        return self._row_data(item, index.column(), role)

    def _section_data(self, section, column, role):
        if role == Qt.ItemDataRole.DisplayRole:
            return {0: section.code, 1: section.title.upper() if section.level == 1 else section.title}.get(column)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == SectionRole:
            return True
        return None

    def _row_data(self, ind, column, role):
        view = self._view
        figure = view.evaluation.figures[ind.id]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(ind, figure, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and 3 <= column <= 5:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            severities = {f.severity for f in view.evaluation.findings if f.cell.indicator == ind.id}
            if "error" in severities:
                return ERROR_BRUSH
            if "warning" in severities:
                return WARNING_BRUSH
        if role == SectionRole:
            return False
        return None

    def _display(self, ind, figure, column):
        if column == 0:
            return ind.code
        if column == 1:
            return ind.label
        if column == 2:
            return ind.unit
        if column == 6:
            result = next((t for t in self._view.evaluation.targets if t.indicator == ind.id), None)
            return target_text(self._view.form, result) if result else ""
        if not figure.applicable:
            return self.tr("Không áp dụng") if column == 4 else ""
        if column == 3:
            return vnformat.number(figure.total)
        if column == 4:
            if ind.kind == "date":
                return vnformat.date(figure.value)
            return figure.value if ind.kind == "text" else vnformat.number(figure.value)
        return vnformat.percent(figure.percent)
