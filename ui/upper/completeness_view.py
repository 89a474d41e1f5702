"""Who has sent what for the chosen period: one row per unit below, one column
per form collected, coloured by state and sortable by urgency; saved as a
workbook or printed (A4 landscape, the header row on every page)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from exports.atomic import write_atomically
from exports.collect.completeness import Completeness, completeness
from exports.paper.completeness_words import STATE_COLOURS, form_heading, state_rank, state_text, summary_line
from forms.library import FormLibrary
from models.errors import UserError
from models.gateway import Gateway
from ui.export_folder import ask_xlsx_path, save_workbook
from ui.widgets import (
    DONE_STYLE,
    ERROR_STYLE,
    BuiltWhenShown,
    compact_rows,
    message_label,
    open_modeless,
    say,
    time_of,
)

if TYPE_CHECKING:  # the page painter and the print dialog: loaded when first used
    from exports.paper.page import PrintedDocument
    from ui.print_dialog import PrintDialog

DISPLAY = Qt.ItemDataRole.DisplayRole
SortRole = Qt.ItemDataRole.UserRole + 1
StateRole = Qt.ItemDataRole.UserRole + 2
_BRUSHES = {state: QBrush(QColor(f"#{colour}")) for state, colour in STATE_COLOURS.items()}
FIXED_COLUMNS = 2  # Mã, Đơn vị; then one column per form


class CompletenessModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.table: Completeness | None = None

    def set_table(self, table: Completeness | None) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self.table is None else len(self.table.units)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else FIXED_COLUMNS + len(self.table.forms)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation != Qt.Orientation.Horizontal or role != DISPLAY or self.table is None:
            return None
        if section == 0:
            return self.tr("Mã")
        if section == 1:
            return self.tr("Đơn vị")
        return form_heading(self.table, self.table.forms[section - FIXED_COLUMNS].form_id)

    def state_at(self, index):
        """The State of a form cell, or None (a name cell, or a form the unit does not fill)."""
        if self.table is None or index.column() < FIXED_COLUMNS:
            return None
        unit = self.table.units[index.row()]
        return self.table.states.get((unit.code, self.table.forms[index.column() - FIXED_COLUMNS].form_id))

    def data(self, index, role=DISPLAY):
        if not index.isValid() or self.table is None:
            return None
        unit = self.table.units[index.row()]
        column = index.column()
        state = self.state_at(index)
        if role == DISPLAY:
            if column == 0:
                return unit.code
            if column == 1:
                return unit.name
            return state_text(state) if state else self.tr("không lập biểu này")
        if role == SortRole:
            if column < FIXED_COLUMNS:
                return unit.code if column == 0 else unit.name
            return state_rank(state.state) if state else len(STATE_COLOURS) + 1
        if role == StateRole:
            return state.state if state else None
        if role == Qt.ItemDataRole.BackgroundRole and state is not None:
            return _BRUSHES.get(state.state)
        if role == Qt.ItemDataRole.ToolTipRole and state is not None and state.received_at:
            lines = [self.tr("Nhận lúc %1").replace("%1", time_of(state.received_at))]
            if state.plausibility and state.plausibility.total:
                lines.append(state.plausibility.words() + self.tr(": xem Danh sách cần theo dõi..."))
            if state.explained:
                lines.append(self.tr("Cảnh báo đã giải trình:"))
                lines += [f"- {warning} {self.tr('Giải trình:')} {reason}" for warning, reason in state.explained]
            return "\n".join(lines)
        return None


class CompletenessView(BuiltWhenShown, QWidget):
    def __init__(self, gw: Gateway, library: FormLibrary, parent=None):
        super().__init__(parent)
        self.gw, self.library = gw, library
        self.today: dt.date | None = None  # None: the real date (tests fix it)
        self._table: Completeness | None = None
        # In the window (lazy) the matrix is built when this tab is shown, or when asked for.
        self.model = CompletenessModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.title.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setStyleSheet("font-weight: bold;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        compact_rows(self.view)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.export_button = QPushButton(self.tr("Xuất Excel..."))
        self.print_button = QPushButton(self.tr("In..."))
        self.message = message_label(DONE_STYLE)
        self.error = message_label(ERROR_STYLE)

        self.button_row = QHBoxLayout()
        self.button_row.addWidget(self.export_button)
        self.button_row.addWidget(self.print_button)
        self.button_row.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.summary)
        column.addWidget(self.note)
        column.addWidget(self.view, 1)
        column.addLayout(self.button_row)
        column.addWidget(self.message)
        column.addWidget(self.error)

        self.export_button.clicked.connect(self._ask_export)
        self.print_button.clicked.connect(self.print_preview)
        self._show_table()

    # ---- what is shown ------------------------------------------------------------------------

    def refresh(self, period_code: str | None) -> None:
        """The matrix of this period: built now, or, when lazy and hidden, when next shown or asked for."""
        self.request_build(period_code)

    @property
    def table(self) -> Completeness | None:
        self.ensure_built()
        return self._table

    def _build(self, period_code: str | None) -> None:
        say(self.error, "")
        table, note = None, ""
        home = self.gw.setting("home_unit")
        if not period_code or home is None:
            note = self.tr("Chưa mở kỳ thu biểu nào: vào Gói › Mở kỳ thu biểu... để bắt đầu nhận báo cáo.")
        else:
            try:
                table = completeness(self.gw, home, period_code, self.library, today=self.today)
            except UserError as exc:
                note = str(exc)
        self._table = table
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self._show_table()

    def _show_table(self) -> None:
        table = self.table
        self.model.set_table(table)
        self.export_button.setEnabled(table is not None)
        self.print_button.setEnabled(table is not None)
        if table is None:
            self.title.setText(self.tr("Tình hình nhận báo cáo"))
            self.summary.setText("")
            return
        self.title.setText(
            self.tr("Tình hình nhận báo cáo — %1 — %2")
            .replace("%1", table.parent.name)
            .replace("%2", table.period.label)
        )
        self.summary.setText(self.summary_text())
        header = self.view.horizontalHeader()
        self.view.setColumnWidth(0, 70)
        self.view.setColumnWidth(1, 220)
        for column in range(FIXED_COLUMNS, self.model.columnCount()):
            header.resizeSection(column, 280)

    def summary_text(self) -> str:
        """“Đã nhận 3/38; quá hạn 35”, for each form when several are collected."""
        if self.table is None:
            return ""
        forms = [c.form_id for c in self.table.forms]
        if len(forms) == 1:
            return summary_line(self.table, forms[0])
        return " — ".join(f"{f}: {summary_line(self.table, f)}" for f in forms)

    def shown_rows(self) -> list[list[str]]:
        """The cells as displayed, in the order shown (after sorting)."""
        return [
            [self.proxy.index(r, c).data() for c in range(self.proxy.columnCount())]
            for r in range(self.proxy.rowCount())
        ]

    # ---- saving and printing --------------------------------------------------------------------

    def default_name(self) -> str:
        table = self.table
        return f"{table.parent.code}_{table.period.code}_tinh-hinh-nop.xlsx" if table else "tinh-hinh-nop.xlsx"

    def export_xlsx(self, path: str | Path) -> Path | None:
        """Write the workbook; a refusal (folder missing, file open elsewhere) is said under the table."""
        say(self.message, "")
        say(self.error, "")
        if self.table is None:
            say(self.error, self.tr("Chưa có gì để xuất: hãy chọn một kỳ đã mở thu biểu."))
            return None
        from exports.paper.xlsx_completeness import completeness_workbook  # openpyxl: only when asked for

        made_on = self.today or dt.date.today()

        def write(to: Path) -> Path:
            return write_atomically(to, completeness_workbook(self.table, made_on=made_on))

        return save_workbook(self, self.gw, write, path, self.message, self.error)

    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, self.gw, self.tr("Lưu tình hình nhận báo cáo"), self.default_name())
        if path:
            self.export_xlsx(path)

    def document(self, settings=None) -> PrintedDocument:
        """The matrix on the official page: what “In...” previews, prints and saves as PDF."""
        from exports.paper.letterhead import page_settings
        from exports.paper.merged import completeness_document

        settings = settings or page_settings(self.gw, self.table.parent)
        return completeness_document(self.table, settings, printed_on=self.today or dt.date.today())

    def render_pdf(self, path: str | Path) -> Path:
        from ui.printing import write_pdf

        return write_pdf(self.document(), path)

    def print_preview(self) -> PrintDialog | None:
        """The print dialog (header lines, preview, PDF), shown without waiting; None with no table."""
        if self.table is None:
            return None
        from ui.print_dialog import PrintDialog

        dialog = PrintDialog(
            self.gw,
            self.table.parent,
            lambda settings, _blank, _words: self.document(settings),
            title=self.tr("In tình hình nhận báo cáo"),
            parent=self,
        )
        open_modeless(dialog)
        return dialog
