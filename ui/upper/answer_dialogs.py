"""The upper level's signed answers, in the window: a receipt or a return
with its query for one received packet, and the merged table signed upward.

Both dialogs sign with this unit's key, so both ask for its passphrase and a
folder, and say in Vietnamese why nothing was written when it was not.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from exports.collect.merge import MergedTable
from exports.collect.receipts import IssuedReceipt, Query, issue_receipt
from exports.collect.received import ReceivedPacket, packet_villages
from exports.collect.upward import export_upward, upward_blockers
from exports.packets.write import ExportedPacket
from forms.library import FormLibrary
from forms.messages import label_of
from models.errors import UserError
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.vocabulary import PacketStatus, ReceiptKind
from ui.export_folder import dialog_options, export_folder, remember_folder
from ui.widgets import DONE_STYLE, ERROR_STYLE, button_row, fit_height, message_label, say, wait_cursor

if TYPE_CHECKING:
    from exports.publications.publish import Published

HEADING_STYLE = "font-weight: bold; font-size: 13pt;"


def as_folder(folder: str | Path) -> str:
    # A trailing separator: a folder that does not exist is refused, never written as a file of that name.
    return str(folder).rstrip("/\\") + os.sep


class SigningFields:
    """Passphrase and destination folder, shared by both dialogs; with the demo's key, its passphrase."""

    def __init__(self, dialog: QDialog, gw: Gateway, unit_code: str | None):
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        key = key_in_use(gw, unit_code) if unit_code else None
        self.demo_hint = QLabel(dialog.tr("Dữ liệu mẫu: mật khẩu khóa là %1").replace("%1", DEMO_PASSPHRASE))
        self.demo_hint.setStyleSheet("color: #555;")
        self.demo_hint.setVisible(bool(key and key.demo))
        self.folder = QLineEdit(str(export_folder(gw)))
        self.browse = QPushButton(dialog.tr("Chọn..."))
        self.browse.clicked.connect(lambda: self._ask_folder(dialog))

    def add_to(self, form: QFormLayout, dialog: QDialog) -> None:
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        passphrase = QVBoxLayout()
        passphrase.addWidget(self.passphrase)
        passphrase.addWidget(self.demo_hint)
        form.addRow(dialog.tr("Mật khẩu khóa ký:"), passphrase)
        form.addRow(dialog.tr("Lưu vào thư mục:"), row)

    def publish(self, gw: Gateway, sign: Callable[[str, str], Published], error_label, done_label) -> Published | None:
        """Run ``sign(passphrase, folder)`` under the wait cursor: what it published, said in ``done_label``
        with its folder remembered; or None, the refusal said in ``error_label``. The passphrase is cleared
        either way."""
        say(error_label, "")
        say(done_label, "")
        try:
            with wait_cursor():
                done = sign(self.passphrase.text(), self.folder.text().strip())
        except UserError as exc:
            say(error_label, str(exc))
            return None
        finally:
            self.passphrase.clear()
        remember_folder(gw, done.path.parent)
        say(done_label, done.sentence)
        return done

    def _ask_folder(self, dialog: QDialog) -> None:
        chosen = QFileDialog.getExistingDirectory(
            dialog, dialog.tr("Chọn thư mục lưu"), self.folder.text(), dialog_options(QFileDialog.Option.ShowDirsOnly)
        )
        if chosen:
            self.folder.setText(chosen)


class ReceiptDialog(QDialog):
    """Answer one accepted packet: “received”, or “returned, correct these cells”."""

    issued = Signal(object)  # IssuedReceipt
    MAX_CELLS = 8

    def __init__(self, gw: Gateway, library: FormLibrary, packet: ReceivedPacket, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.library, self.packet, self.who = gw, library, packet, who
        self.form = library.get(packet.form_id, packet.form_version, packet.form_publisher)
        self.setWindowTitle(self.tr("Biên nhận hoặc trả lại gói"))
        unit = gw.unit(packet.unit_code)
        heading = QLabel(
            self.tr("Gói lần %1 của %2, biểu %3, %4")
            .replace("%1", str(packet.sequence))
            .replace("%2", unit.name if unit else packet.unit_code)
            .replace("%3", packet.form_id)
            .replace("%4", gw.period(packet.period_code).label)
        )
        heading.setStyleSheet(HEADING_STYLE)
        heading.setWordWrap(True)
        self.receipt_choice = QRadioButton(self.tr("Biên nhận: đã nhận, số liệu dùng được"))
        self.return_choice = QRadioButton(self.tr("Trả lại, yêu cầu sửa"))
        self.receipt_choice.setChecked(packet.status == PacketStatus.ACCEPTED)
        self.return_choice.setChecked(packet.status != PacketStatus.ACCEPTED)
        self.receipt_choice.setEnabled(
            packet.status == PacketStatus.ACCEPTED
        )  # a returned packet waits for its correction
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Vì sao trả lại (bắt buộc khi trả lại)"))
        self.cells = [self._cell_row() for _ in range(3)]
        self.more_button = QPushButton(self.tr("Thêm ô"))
        self.more_button.clicked.connect(self.add_cell)
        self.signing = SigningFields(self, gw, gw.setting("home_unit"))  # a receipt is signed with the home unit's key
        self.sign_button = QPushButton(self.tr("Ký và lưu"))
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self._sign_clicked)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        self.done_label = message_label(DONE_STYLE)
        self.error_label = message_label(ERROR_STYLE)

        # The cells in a scrolled area: a return built from many errors stays within the screen.
        cell_area = QWidget()
        self.cell_grid = QGridLayout(cell_area)
        self.cell_grid.setContentsMargins(0, 0, 0, 0)
        for column, caption in enumerate((self.tr("Chỉ tiêu"), self.tr("Ở đâu"), self.tr("Cần sửa gì"))):
            self.cell_grid.addWidget(QLabel(caption), 0, column)
        for row, widgets in enumerate(self.cells, start=1):
            for column, widget in enumerate(widgets):
                self.cell_grid.addWidget(widget, row, column)
        self.cell_grid.setColumnStretch(0, 2)
        self.cell_grid.setColumnStretch(2, 3)
        self.cell_scroll = QScrollArea()
        self.cell_scroll.setWidget(cell_area)
        self.cell_scroll.setWidgetResizable(True)
        self.cell_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.cell_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.query_box = QVBoxLayout()
        self.query_box.addWidget(QLabel(self.tr("Lý do trả lại:")))
        self.query_box.addWidget(self.note)
        self.query_box.addWidget(QLabel(self.tr("Các ô cần sửa (để trống nếu không chỉ ra ô nào):")))
        self.query_box.addWidget(self.cell_scroll)
        more_row = QHBoxLayout()
        more_row.addWidget(self.more_button)
        more_row.addStretch(1)
        self.query_box.addLayout(more_row)
        form = QFormLayout()
        self.signing.add_to(form, self)
        buttons = button_row(self.sign_button, close)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(self.receipt_choice)
        column.addWidget(self.return_choice)
        column.addLayout(self.query_box)
        column.addLayout(form)
        column.addWidget(self.done_label)
        column.addWidget(self.error_label)
        column.addLayout(buttons)
        self.return_choice.toggled.connect(self._kind_changed)
        self._fit_cells()
        self._kind_changed()
        self.setMinimumWidth(760)  # the cells' three columns stay readable when the dialog fits its rows

    def _cell_row(self) -> tuple[QComboBox, QComboBox, QLineEdit]:
        indicator = QComboBox()
        indicator.setMinimumContentsLength(28)  # long labels would push the reason field off the dialog
        indicator.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        indicator.addItem(self.tr("(chọn chỉ tiêu)"), None)
        for ind in self.form.indicators if self.form else ():
            if ind.is_row or ind.grain == "village":
                indicator.addItem(label_of(self.form, ind.id), ind.id)
        place = QComboBox()
        unit = self.gw.unit(self.packet.unit_code)
        place.addItem(self.tr("Cả %1").replace("%1", unit.name if unit else self.packet.unit_code), "")
        for code, name in packet_villages(self.gw, self.packet.id):
            place.addItem(name, code)
        why = QLineEdit()
        return indicator, place, why

    def add_cell(self) -> None:
        if len(self.cells) >= self.MAX_CELLS:
            return
        self._append_cell()
        self.more_button.setEnabled(len(self.cells) < self.MAX_CELLS)
        self._fit_cells()

    def _append_cell(self) -> tuple[QComboBox, QComboBox, QLineEdit]:
        widgets = self._cell_row()
        self.cells.append(widgets)
        for column, widget in enumerate(widgets):
            self.cell_grid.addWidget(widget, len(self.cells), column)
            widget.setVisible(self.return_choice.isChecked())
        return widgets

    def _fit_cells(self) -> None:
        """The cell area as tall as its rows, up to MAX_CELLS of them; more scroll."""
        grid = self.cell_grid
        row_height = max(w.sizeHint().height() for w in self.cells[0]) + grid.verticalSpacing() if self.cells else 0
        caption = grid.itemAtPosition(0, 0).widget().sizeHint().height() + grid.verticalSpacing()
        self.cell_scroll.setFixedHeight(caption + row_height * min(len(self.cells), self.MAX_CELLS))
        self.cell_scroll.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if len(self.cells) > self.MAX_CELLS
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

    def ask_to_correct(self, queries: list[Query], note: str) -> None:
        """A return filled in: the reason and one row per cell to correct (the officer may edit all of it).
        Rows beyond MAX_CELLS are added for the queries given; an indicator or a place the lists lack joins them."""
        self.return_choice.setChecked(True)
        self.note.setText(note)
        self.note.setCursorPosition(0)
        while len(self.cells) < len(queries):
            self._append_cell()
        for (indicator, place, why), query in zip(self.cells, queries, strict=False):
            _choose(indicator, query.indicator, label_of(self.form, query.indicator) if self.form else query.indicator)
            where = "" if query.unit_code in ("", self.packet.unit_code) else query.unit_code
            _choose(place, where, where)
            why.setText(query.note)
            why.setCursorPosition(0)  # the sentence read from its start
            why.setToolTip(query.note)
        self.more_button.setEnabled(len(self.cells) < self.MAX_CELLS)
        self._fit_cells()
        self.adjustSize()

    def _kind_changed(self) -> None:
        returning = self.return_choice.isChecked()
        for index in range(self.query_box.count()):
            item = self.query_box.itemAt(index)
            widget = item.widget()
            if widget is not None:
                widget.setVisible(returning)
        self.more_button.setVisible(returning)
        for widgets in self.cells:
            for widget in widgets:
                widget.setVisible(returning)
        for column in range(3):
            caption = self.cell_grid.itemAtPosition(0, column)
            if caption is not None:
                caption.widget().setVisible(returning)
        self.adjustSize()

    def queries(self) -> list[Query]:
        """The cells filled in; a row with no indicator chosen is left out."""
        return [
            Query(indicator.currentData(), place.currentData() or "", why.text())
            for indicator, place, why in self.cells
            if indicator.currentData()
        ]

    def _sign_clicked(self) -> None:
        self.sign(self.signing.passphrase.text(), self.signing.folder.text())

    def sign(self, passphrase: str, folder: str | Path) -> IssuedReceipt | None:
        kind = ReceiptKind.RETURN if self.return_choice.isChecked() else ReceiptKind.RECEIPT
        say(self.error_label, "")
        try:
            issued = issue_receipt(
                self.gw,
                self.packet.id,
                kind,
                passphrase,
                as_folder(folder),
                self.library,
                self.who,
                note=self.note.text() if kind == ReceiptKind.RETURN else "",
                queries=self.queries() if kind == ReceiptKind.RETURN else [],
            )
        except UserError as exc:
            say(self.error_label, str(exc))
            return None
        remember_folder(self.gw, issued.path.parent)
        say(
            self.done_label,
            self.tr("Đã ký và lưu “%1”. Gửi tệp này cho xã (USB hoặc thư điện tử).").replace("%1", str(issued.path)),
        )
        self.sign_button.setEnabled(False)
        self.signing.passphrase.clear()
        self.issued.emit(issued)
        return issued


def _choose(box: QComboBox, data: str, text: str) -> None:
    """Choose the item holding ``data``, added at the end (shown as ``text``) when the list lacks it."""
    index = box.findData(data)
    if index < 0:
        box.addItem(text, data)
        index = box.count() - 1
    box.setCurrentIndex(index)


class UpwardDialog(QDialog):
    """Sign the merged table with this unit's key as a packet for the level above."""

    exported = Signal(object)  # ExportedPacket

    def __init__(self, gw: Gateway, table: MergedTable, parent=None):
        super().__init__(parent)
        self.gw, self.table = gw, table
        self.setWindowTitle(self.tr("Ký bảng tổng hợp gửi cấp trên"))
        heading = QLabel(
            self.tr("%1, biểu %2, %3")
            .replace("%1", table.parent.name)
            .replace("%2", table.form.id)
            .replace("%3", table.period.label)
        )
        heading.setStyleSheet(HEADING_STYLE)
        key = key_in_use(gw, table.parent.code)
        missing = len(table.units) - len(table.received)
        facts = [
            self.tr(
                "Tổng hợp từ %1/%2 đơn vị đã gửi; gói kèm danh sách %1 gói của đơn vị cấp dưới, "
                "mỗi gói với mã gói in ở chân trang của nó, để cấp trên đối chiếu."
            )
            .replace("%1", str(len(table.received)))
            .replace("%2", str(len(table.units))),
            self.tr("Còn %1 đơn vị chưa có số liệu được nhận.").replace("%1", str(missing)) if missing else "",
            self.tr("Ký bằng khóa %1 của %2.").replace("%1", key.spoken).replace("%2", key.holder_name)
            if key
            else self.tr("Đơn vị chưa có khóa ký: tạo khóa trước (Gói › Khóa ký của đơn vị...)."),
        ]
        self.blockers = upward_blockers(gw, table) + ([] if key else ["chưa có khóa ký."])
        summary = QLabel("\n".join(f for f in facts if f))
        summary.setWordWrap(True)
        self.blocked_label = message_label(ERROR_STYLE)
        self.signing = SigningFields(self, gw, table.parent.code)
        self.sign_button = QPushButton(self.tr("Ký và lưu"))
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(lambda: self.sign(self.signing.passphrase.text(), self.signing.folder.text()))
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        self.done_label = message_label(DONE_STYLE)
        self.error_label = message_label(ERROR_STYLE)
        form = QFormLayout()
        self.signing.add_to(form, self)
        buttons = button_row(self.sign_button, close)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(summary)
        column.addWidget(self.blocked_label)
        column.addLayout(form)
        column.addWidget(self.done_label)
        column.addWidget(self.error_label)
        column.addLayout(buttons)
        if self.blockers:
            say(self.blocked_label, self.tr("Chưa ký được: ") + " ".join(self.blockers))
            self.sign_button.setEnabled(False)
        fit_height(self, 640)

    def sign(self, passphrase: str, folder: str | Path) -> ExportedPacket | None:
        say(self.error_label, "")
        if self.blockers:
            return None
        try:
            packet = export_upward(self.gw, self.table, passphrase, as_folder(folder))
        except UserError as exc:
            say(self.error_label, str(exc))
            return None
        remember_folder(self.gw, packet.path.parent)
        say(
            self.done_label,
            self.tr("Đã ký và lưu gói “%1” (lần gửi %2).")
            .replace("%1", str(packet.path))
            .replace("%2", str(packet.sequence)),
        )
        self.sign_button.setEnabled(False)
        self.signing.passphrase.clear()
        self.exported.emit(packet)
        return packet
