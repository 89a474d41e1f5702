"""The merged table for the chosen form, period and targets: the total of the
accepted packets on top, one row per unit below, the targets compared at
this level, and the figures that jumped against the previous period.
Double-clicking a unit shows the villages its packet carried
(villages_dialog.py). The units whose packet is in but not summed are named
over the table, in a place of fixed height."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from exports.collect.merge import JUMP_SHARE, Jump, MergedTable, UnitFigures, merge, table_form
from exports.collect.received import received_list
from forms import vnformat
from forms.library import FormLibrary
from forms.messages import label_of, target_text
from forms.schema import FormDef, Indicator
from models.errors import UserError
from models.gateway import Gateway
from models.reporting import target_set_for
from models.vocabulary import PacketStatus
from ui.cell_look import COMPUTED_BRUSH, MET_BRUSH, RIGHT, UNMET_BRUSH
from ui.export_folder import ask_xlsx_path, save_workbook
from ui.widgets import (
    DONE_STYLE,
    ERROR_STYLE,
    WARNING_STYLE,
    BuiltWhenShown,
    LinesLabel,
    compact_rows,
    message_label,
    open_modeless,
    say,
)

if TYPE_CHECKING:  # printing and the workbook load openpyxl and the page painter: loaded when first used
    from exports.paper.page import PrintedDocument
    from ui.print_dialog import PrintDialog
    from ui.upper.villages_dialog import PacketVillagesDialog

DISPLAY = Qt.ItemDataRole.DisplayRole
UnitCodeRole = Qt.ItemDataRole.UserRole + 1
TOTAL_ROWS = 2  # “Tổng cộng”, then “Tỷ lệ”; the units below them
FIXED_COLUMNS = 2  # Đơn vị, Gói; then one column per numeric row of the form
PACKET_COLUMN_WIDEST = 240  # the “Gói” column: longer words stay in its tooltip
MISSING_BRUSH = QBrush(QColor("#f6f6f6"))


def jump_text(form: FormDef, jump: Jump) -> str:
    """“Xã Sìn Hồ: 3.1. Số hộ gia đình văn hóa từ 1.200 lên 1.740 (+45%)”."""
    direction = "lên" if jump.current > jump.previous else "xuống"
    change = ("+" if jump.change > 0 else "-") + vnformat.percent(abs(jump.change) * 100)
    return (
        f"{jump.unit.name}: {label_of(form, jump.indicator)} từ {vnformat.number(jump.previous)} "
        f"{direction} {vnformat.number(jump.current)} ({change})"
    )


class MergedModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.table: MergedTable | None = None
        self.indicators: list[Indicator] = []
        self.waiting: dict[str, str] = {}  # unit code -> status of a packet not (yet) counted

    def set_table(self, table: MergedTable | None, waiting: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.table = table
        self.waiting = waiting or {}
        self.indicators = [i for i in table.form.indicators if i.is_row and i.is_numeric] if table else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self.table is None else TOTAL_ROWS + len(self.table.units)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else FIXED_COLUMNS + len(self.indicators)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation != Qt.Orientation.Horizontal or self.table is None:
            return None
        if section < FIXED_COLUMNS:
            return (self.tr("Đơn vị"), self.tr("Gói"))[section] if role == DISPLAY else None
        ind = self.indicators[section - FIXED_COLUMNS]
        if role == DISPLAY:
            return f"{ind.code}\n{ind.unit}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return label_of(self.table.form, ind.id)
        return None

    def unit_at(self, row: int) -> UnitFigures | None:
        if self.table is None or row < TOTAL_ROWS:
            return None
        return self.table.units[row - TOTAL_ROWS]

    def data(self, index, role=DISPLAY):
        if not index.isValid() or self.table is None:
            return None
        row, column = index.row(), index.column()
        if row < TOTAL_ROWS:
            return self._total_data(row, column, role)
        unit = self.table.units[row - TOTAL_ROWS]
        if role == DISPLAY:
            if column == 0:
                return unit.unit.name
            if column == 1:
                if unit.figures is not None:
                    return self.tr("lần %1").replace("%1", str(unit.sequence))
                status = self.waiting.get(unit.unit.code)
                if status:
                    return self.tr("chưa nhận: %1").replace("%1", PacketStatus(status).words)
                return self.tr("chưa gửi")
            if unit.figures is None:
                return ""
            figure = unit.figures[self.indicators[column - FIXED_COLUMNS].id]
            return vnformat.number(figure.value) if figure.applicable and figure.value is not None else ""
        if role == UnitCodeRole:
            return unit.unit.code
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= FIXED_COLUMNS:
            return RIGHT
        if role == Qt.ItemDataRole.BackgroundRole and unit.figures is None:
            return MISSING_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and unit.figures is None:
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return self.tr("Nhấp đúp để xem số liệu từng bản") if unit.figures is not None else None
            if column == 1:
                return self.data(index, DISPLAY)  # “chưa nhận: ...” is wider than its column
            if column >= FIXED_COLUMNS and unit.figures is not None:
                figure = unit.figures[self.indicators[column - FIXED_COLUMNS].id]
                return self.tr("Không áp dụng") if not figure.applicable else _figure_tip(figure)
        return None

    def _total_data(self, row: int, column: int, role):
        if role == DISPLAY:
            if column == 0:
                return self.tr("Tổng cộng") if row == 0 else self.tr("Tỷ lệ")
            if column == 1:
                received = len(self.table.received)
                shown = self.tr("%1/%2 đã gửi").replace("%1", str(received)).replace("%2", str(len(self.table.units)))
                return shown if row == 0 else ""
            figure = self.table.totals[self.indicators[column - FIXED_COLUMNS].id]
            if row == 0:
                return vnformat.number(figure.value) if figure.value is not None else ""
            return vnformat.percent(figure.percent) if figure.percent is not None else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(row == 0)
            font.setItalic(row == 1)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return COMPUTED_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= FIXED_COLUMNS:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column >= FIXED_COLUMNS:
            return _figure_tip(self.table.totals[self.indicators[column - FIXED_COLUMNS].id])
        return None


def _figure_tip(figure) -> str | None:
    if figure.value is None:
        return None
    text = vnformat.number(figure.value)
    if figure.total is not None:
        text += f" / {vnformat.number(figure.total)}"
    if figure.percent is not None:
        text += f" = {vnformat.percent(figure.percent)}"
    return text


class MergedView(BuiltWhenShown, QWidget):
    drill_down_opened = Signal(object)

    def __init__(self, gw: Gateway, library: FormLibrary, parent=None):
        super().__init__(parent)
        self.gw, self.library = gw, library
        self._table: MergedTable | None = None
        # Merging thousands of packets takes seconds: in the window (lazy) the table is merged when this
        # tab is shown, or when asked for.
        self.waiting: dict[str, str] = {}
        self.jump_share = JUMP_SHARE  # how far a unit's figure may move against the previous period unflagged
        self.model = MergedModel(self)

        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.title.setWordWrap(True)
        # Who sent a packet that is not summed, and why: two lines always kept, so the grid never moves.
        self.left_out = LinesLabel(2)
        self.left_out.setStyleSheet(WARNING_STYLE)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(WARNING_STYLE + " font-weight: bold;")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        compact_rows(self.view)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.targets = QListWidget()
        self.targets.setWordWrap(True)
        self.jumps = QListWidget()
        self.jumps.setWordWrap(True)
        self.targets_caption = QLabel(self.tr("So với mục tiêu (tính trên số tổng hợp)"))
        self.jumps_caption = QLabel(self.tr("Cảnh báo: số liệu thay đổi nhiều so với kỳ trước"))
        for caption in (self.targets_caption, self.jumps_caption):
            caption.setStyleSheet("font-weight: bold;")
        self.export_button = QPushButton(self.tr("Xuất Excel..."))
        self.print_button = QPushButton(self.tr("In..."))
        self.message = message_label(DONE_STYLE)
        self.error = message_label(ERROR_STYLE)

        # Actions on the merged table; more buttons join this row.
        self.button_row = QHBoxLayout()
        self.button_row.addWidget(self.export_button)
        self.button_row.addWidget(self.print_button)
        self.button_row.addStretch(1)
        lists = QHBoxLayout()
        for caption, widget in ((self.targets_caption, self.targets), (self.jumps_caption, self.jumps)):
            box = QVBoxLayout()
            box.addWidget(caption)
            box.addWidget(widget)
            lists.addLayout(box, 1)
        column = QVBoxLayout(self)
        column.addWidget(self.title)
        column.addWidget(self.left_out)
        column.addWidget(self.note)
        column.addWidget(self.view, 3)
        column.addLayout(lists, 1)
        column.addLayout(self.button_row)
        column.addWidget(self.message)
        column.addWidget(self.error)

        self.view.doubleClicked.connect(lambda index: self.open_drill_down(index.row()))
        self.export_button.clicked.connect(self._ask_export)
        self.print_button.clicked.connect(self.open_print_dialog)
        self._show_table("")

    # ---- what is shown --------------------------------------------------------------------------

    def refresh(self, form_id: str | None, period_code: str | None, target_set_id: str | None) -> None:
        """The table of this form, period and target set: merged now, or, when lazy and hidden, when next
        shown or asked for (``table``)."""
        self.request_build(form_id, period_code, target_set_id)

    @property
    def table(self) -> MergedTable | None:
        self.ensure_built()
        return self._table

    def _build(self, form_id: str | None, period_code: str | None, target_set_id: str | None) -> None:
        say(self.error, "")
        form = table_form(self.gw, form_id, period_code) if form_id and period_code else None
        home = self.gw.setting("home_unit")
        table, note = None, ""
        if form is None or not period_code or home is None:
            note = self.tr("Chưa mở kỳ thu biểu nào: vào Gói › Mở kỳ thu biểu... để bắt đầu nhận báo cáo.")
        else:
            try:
                target_set = target_set_for(self.gw, form, target_set_id, period_code)
                table = merge(self.gw, home, form, period_code, target_set, jump_share=self.jump_share)
            except UserError as exc:
                note = str(exc)
        if table is not None and not table.received:
            note = (
                self.tr("Chưa nhận gói nào cho biểu %1, %2: bảng tổng hợp còn trống.")
                .replace("%1", table.form.id)
                .replace("%2", table.period.in_sentence)
                + " "
                + self.tr(
                    "Chỉ gói đã nhận mới được cộng (không cộng gói có lỗi, chờ xác nhận, chờ khóa, trùng "
                    "hay không hợp lệ)."
                )
            )
        self._table = table
        self.waiting = self._waiting(table) if table is not None else {}
        self._show_table(note)

    def _waiting(self, table: MergedTable) -> dict[str, str]:
        """Units whose packets arrived but do not count, with the most pressing reason: the merge's
        left_out (errors, held, returned, in conflict, waiting for a key), and a unit whose packets were refused."""
        waiting: dict[str, str] = dict(table.left_out)
        for packet in received_list(self.gw, form_id=table.form.id, period_code=table.period.code):
            if packet.status == PacketStatus.REJECTED and packet.unit_code and packet.unit_code not in waiting:
                waiting[packet.unit_code] = packet.status
        return waiting

    def _show_table(self, note: str) -> None:
        table = self.table
        self.model.set_table(table, self.waiting)
        said = (table.left_out_sentence(), table.versions_sentence()) if table is not None else ()
        self.left_out.set_full_text(" ".join(sentence for sentence in said if sentence))
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.export_button.setEnabled(table is not None and bool(table.received))
        self.print_button.setEnabled(table is not None and bool(table.received))
        self.targets.clear()
        self.jumps.clear()
        if table is None:
            self.title.setText(self.tr("Biểu tổng hợp"))
            for widget in (self.targets, self.jumps, self.targets_caption, self.jumps_caption):
                widget.hide()
            return
        self.title.setText(
            self.tr("%1 — %2 — %3: %4 đơn vị đã gửi")
            .replace("%1", table.parent.name)
            .replace("%2", table.form.id)
            .replace("%3", table.period.label)
            .replace("%4", f"{len(table.received)}/{len(table.units)}")
        )
        for result in table.targets:
            item = QListWidgetItem(f"{label_of(table.form, result.indicator)}: {target_text(table.form, result)}")
            if result.status in ("dat", "chua_dat"):
                item.setBackground(MET_BRUSH if result.status == "dat" else UNMET_BRUSH)
            self.targets.addItem(item)
        for line in self.jump_lines():
            self.jumps.addItem(line)
        for caption, widget in ((self.targets_caption, self.targets), (self.jumps_caption, self.jumps)):
            caption.setVisible(widget.count() > 0)
            widget.setVisible(widget.count() > 0)
        self.view.setColumnWidth(0, 200)
        self.view.resizeColumnToContents(1)  # “chưa nhận: chờ đăng ký khóa” whole, within reason
        self.view.setColumnWidth(1, min(max(self.view.columnWidth(1), 90), PACKET_COLUMN_WIDEST))
        for column in range(FIXED_COLUMNS, self.model.columnCount()):
            self.view.setColumnWidth(column, 74)
        self.view.horizontalHeader().setMinimumHeight(44)

    def target_lines(self) -> list[str]:
        return [self.targets.item(i).text() for i in range(self.targets.count())]

    def jump_lines(self) -> list[str]:
        return [jump_text(self.table.form, j) for j in self.table.jumps] if self.table else []

    # ---- one unit's villages -----------------------------------------------------------------------

    def open_drill_down(self, row: int) -> PacketVillagesDialog | None:
        """The villages of the unit on this row of the table, shown without waiting (None: nothing accepted)."""
        unit = self.model.unit_at(row)
        if unit is None or unit.packet_id is None or self.table is None:
            return None
        from ui.upper.villages_dialog import PacketVillagesDialog

        dialog = PacketVillagesDialog(self.gw, self.table.form, unit, self, self.table.period)
        open_modeless(dialog)
        self.drill_down_opened.emit(dialog)
        return dialog

    def row_of(self, unit_code: str) -> int | None:
        for row in range(TOTAL_ROWS, self.model.rowCount()):
            if self.model.index(row, 0).data(UnitCodeRole) == unit_code:
                return row
        return None

    # ---- saving ------------------------------------------------------------------------------------

    def default_name(self) -> str:
        from exports.paper.xlsx_merged import merged_file_name

        return merged_file_name(self.table) if self.table else "tong-hop.xlsx"

    def export_xlsx(self, path: str | Path, signed_on: dt.date | None = None) -> Path | None:
        """Write the merged workbook; a refusal is said under the table."""
        say(self.message, "")
        say(self.error, "")
        if self.table is None or not self.table.received:
            say(self.error, self.tr("Chưa có gói nào được nhận: chưa có gì để tổng hợp."))
            return None
        from exports.paper.xlsx_merged import save_merged_workbook

        def write(to: Path) -> Path:
            return save_merged_workbook(self.gw, self.table, to, signed_on)

        return save_workbook(self, self.gw, write, path, self.message, self.error)

    def document(self, settings=None, words: bool = False, layout=None) -> PrintedDocument:
        """The merged table on the official page, then each unit's figures; as a report or an annex
        (``layout``; else what was chosen last for this form, as its xlsx is written)."""
        from exports.paper.layout import layout_for
        from exports.paper.letterhead import page_settings
        from exports.paper.merged import merged_document

        today = dt.date.today()
        settings = settings or page_settings(self.gw, self.table.parent, on=today)
        layout = layout or layout_for(self.gw, self.table.parent, self.table.form)
        return merged_document(self.gw, self.table, settings, printed_on=today, words=words, layout=layout)

    def open_print_dialog(self) -> PrintDialog | None:
        """“In...”: header lines, preview, PDF; None while nothing is merged."""
        if self.table is None or not self.table.received:
            return None
        from exports.paper.report import has_amounts
        from ui.print_dialog import PrintDialog

        dialog = PrintDialog(
            self.gw,
            self.table.parent,
            lambda settings, _blank, words, layout: self.document(settings, words, layout),
            title=self.tr("In biểu tổng hợp"),
            form=self.table.form,
            modes=("report", "annex"),  # as its xlsx; a merged table is never blank nor a village sheet
            has_money=has_amounts(self.table.form),
            parent=self,
        )
        open_modeless(dialog)
        return dialog

    def _ask_export(self) -> None:
        path = ask_xlsx_path(self, self.gw, self.tr("Lưu biểu tổng hợp"), self.default_name())
        if path:
            self.export_xlsx(path)
