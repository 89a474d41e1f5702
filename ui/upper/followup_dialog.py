"""The follow-up list of the chosen form and period (exports/collect/followup.py): one row per
plausibility warning, sent by the commune, found here or both, the disagreements coloured and
said in words; printed through the print dialog, saved as a workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from exports.atomic import write_atomically
from exports.collect.followup import Followup, FollowupRow
from models.gateway import Gateway
from ui.export_folder import ask_xlsx_path, save_workbook
from ui.widgets import (
    DONE_STYLE,
    ERROR_STYLE,
    button_row,
    compact_rows,
    fit_to_screen,
    message_label,
    open_modeless,
)

if TYPE_CHECKING:
    from exports.paper.page import PrintedDocument
    from ui.print_dialog import PrintDialog

DIFFERS = QBrush(QColor("#F4C7C3"))  # as the workbook colours a disagreement
HEADINGS = (
    "Đơn vị",
    "Thôn, bản",
    "Chỉ tiêu",
    "Số liệu",
    "Ai thấy",
    "Khác nhau",  # beside who saw it, in sight without scrolling
    "Cảnh báo",
    "Số liệu các kỳ trước",
    "Giải trình của xã",
)
WIDTHS = (110, 110, 150, 60, 100, 230, 300, 150, 170)
DIFFERENCE_COLUMN = 5


def row_cells(row: FollowupRow) -> tuple[str, ...]:
    return (
        row.unit_name,
        row.village_name or "(cả xã)",
        row.label,
        row.value_words(),
        row.side_words,
        row.difference,
        row.message,
        row.history_words(),
        row.reason,
    )


class FollowupDialog(QDialog):
    def __init__(self, gw: Gateway, listed: Followup, parent=None):
        super().__init__(parent)
        self.gw, self.listed = gw, listed
        self.today: dt.date | None = None  # None: the real date (tests fix it)
        self.setWindowTitle(self.tr("Danh sách cần theo dõi — %1").replace("%1", listed.period.label))
        heading = QLabel(
            self.tr("Cảnh báo bất thường biểu %1, %2, %3")
            .replace("%1", listed.form.id)
            .replace("%2", listed.parent.name)
            .replace("%3", listed.period.in_sentence)
        )
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        heading.setWordWrap(True)
        self.summary = QLabel(listed.summary_line() + ".")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(listed.rows), len(HEADINGS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADINGS])
        bold = QFont()
        bold.setBold(True)
        for n, row in enumerate(listed.rows):
            for column, text in enumerate(row_cells(row)):
                item = QTableWidgetItem(text)
                item.setToolTip(text if len(text) > 30 else "")
                if row.differs:
                    item.setBackground(DIFFERS)
                    if column == DIFFERENCE_COLUMN:
                        item.setFont(bold)
                self.table.setItem(n, column, item)
        for column, width in enumerate(WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.resizeRowsToContents()
        self.print_button = QPushButton(self.tr("In..."))
        self.export_button = QPushButton(self.tr("Xuất Excel..."))
        close = QPushButton(self.tr("Đóng"))
        self.print_button.clicked.connect(self.print_preview)
        self.export_button.clicked.connect(self._ask_export)
        close.clicked.connect(self.accept)
        self.message = message_label(DONE_STYLE)
        self.error = message_label(ERROR_STYLE)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        column.addWidget(self.error)
        column.addLayout(button_row(self.print_button, self.export_button, close))
        fit_to_screen(self, 1280, 640)

    def shown_rows(self) -> list[list[str]]:
        return [
            [self.table.item(r, c).text() for c in range(self.table.columnCount())]
            for r in range(self.table.rowCount())
        ]

    def marked_rows(self) -> list[int]:
        """The rows coloured as a disagreement."""
        return [r for r in range(self.table.rowCount()) if self.table.item(r, 0).background() == DIFFERS]

    # ---- saving and printing --------------------------------------------------------------------

    def default_name(self) -> str:
        listed = self.listed
        return f"{listed.parent.code}_{listed.form.id}_{listed.period.code}_can-theo-doi.xlsx"

    def export_xlsx(self, path: str | Path) -> Path | None:
        """Write the workbook; a refusal (folder missing, file open elsewhere) is said under the table."""
        from exports.paper.xlsx_followup import followup_workbook  # openpyxl: only when asked for

        made_on = self.today or dt.date.today()

        def write(to: Path) -> Path:
            return write_atomically(to, followup_workbook(self.listed, made_on=made_on))

        return save_workbook(self, self.gw, write, path, self.message, self.error)

    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, self.gw, self.tr("Lưu danh sách cần theo dõi"), self.default_name())
        if path:
            self.export_xlsx(path)

    def document(self, settings=None) -> PrintedDocument:
        from exports.paper.followup_printed import followup_document
        from exports.paper.letterhead import page_settings

        settings = settings or page_settings(self.gw, self.listed.parent)
        return followup_document(self.listed, settings, printed_on=self.today or dt.date.today())

    def print_preview(self) -> PrintDialog:
        """The print dialog (header lines, preview, PDF), shown without waiting."""
        from ui.print_dialog import PrintDialog

        dialog = PrintDialog(
            self.gw,
            self.listed.parent,
            lambda settings, _blank, _words: self.document(settings),
            title=self.tr("In danh sách cần theo dõi"),
            parent=self,
        )
        open_modeless(dialog)
        return dialog
