"""The cells where the two passes of a double entry differ, side by side (bản / chỉ tiêu / lần 1 / lần 2), each
with its choice: Giữ lần 1, Giữ lần 2, Nhập số khác. A resolved row leaves; when none is left the report is
double-entered and can be signed. Each decision goes through models.double_entry.resolve, so the audit
trail names it and the officer who made it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.schema import FormDef
from models import double_entry as de
from models.errors import UserError
from models.gateway import Gateway
from models.report_records import ReportRef
from ui.widgets import DONE_STYLE, ERROR_STYLE, button_row, fit_to_screen, message_label, say

COLUMNS = ("Bản / xã", "Chỉ tiêu", "Lần 1", "Lần 2", "Chọn")


class DifferencesDialog(QDialog):
    resolved = Signal()  # one more difference resolved; its value is in the report

    def __init__(self, gw: Gateway, report: ReportRef, form: FormDef, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.report, self.form, self.who = gw, report, form, who
        self.setWindowTitle(self.tr("Đối chiếu hai lần nhập"))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.error = message_label(ERROR_STYLE)
        self.done_label = message_label(DONE_STYLE)  # not “done”: that is QDialog.done(), which closing calls
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.close)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.table, 1)
        column.addWidget(self.error)
        column.addWidget(self.done_label)
        column.addLayout(button_row(close))
        fit_to_screen(self, 980, 520)
        self.rows: list[de.Difference] = []
        self.refresh()

    def refresh(self) -> None:
        """The differences not resolved yet, and the heading that counts them."""
        status = de.status(self.gw, self.report, self.form)
        self.rows = [d for d in de.differences(self.gw, self.report, self.form) if not d.resolved]
        self.table.setRowCount(len(self.rows))
        for row, difference in enumerate(self.rows):
            texts = (difference.unit_name, difference.label, difference.first_text, difference.second_text)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column >= 2:  # the two values, right-aligned as figures are
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
            self.table.setCellWidget(row, 4, self._choices(row))
        self.table.resizeRowsToContents()
        self.heading.setText(
            self.tr(
                "Lần 1 do %1 nhập, lần 2 do %2 nhập: %3 ô khác nhau, đã đối chiếu %4. "
                "Xem lại giấy và chọn giá trị đúng cho từng ô."
            )
            .replace("%1", status.first_by or "")
            .replace("%2", status.second_by or "")
            .replace("%3", str(status.differences))
            .replace("%4", str(status.resolved))
        )
        if status.state == de.DoubleEntryState.DONE:
            say(self.done_label, status.sentence() + " " + self.tr("Báo cáo đã ký được."))

    def _choices(self, row: int) -> QWidget:
        cell = QWidget()
        line = QHBoxLayout(cell)
        line.setContentsMargins(2, 0, 2, 0)
        for text, choice in (
            (self.tr("Giữ lần 1"), de.Choice.FIRST),
            (self.tr("Giữ lần 2"), de.Choice.SECOND),
            (self.tr("Nhập số khác..."), de.Choice.OTHER),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, c=choice: self._chosen(row, c))
            line.addWidget(button)
        return cell

    def _chosen(self, row: int, choice: de.Choice) -> None:
        if choice != de.Choice.OTHER:
            self.resolve_row(row, choice)
            return
        difference = self.rows[row]
        value, ok = QInputDialog.getText(
            self,
            self.tr("Nhập số khác"),
            self.tr("%1, %2 (lần 1: %3; lần 2: %4):")
            .replace("%1", difference.unit_name)
            .replace("%2", difference.label)
            .replace("%3", difference.first_text)
            .replace("%4", difference.second_text),
        )
        if ok:
            self.resolve_row(row, choice, value)

    def resolve_row(self, row: int, choice: str, value: str | None = None) -> bool:
        """Keep the first, the second or ``value`` for the row's cell; False (and why) if refused."""
        difference = self.rows[row]
        try:
            de.resolve(
                self.gw, self.report, self.form, difference.indicator, difference.unit_code, choice, value, self.who
            )
        except UserError as exc:
            say(self.error, str(exc))
            return False
        say(self.error, "")
        self.refresh()
        self.resolved.emit()
        return True
