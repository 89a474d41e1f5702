"""The inbox: every packet received, with how it was filed.

Filtered by status, sortable by any column (statuses by urgency, periods by
date, not alphabetically: inbox_model.py). The row chosen is described under the table,
with the signer's key code large for a packet waiting for its key; a packet
in conflict opens the side-by-side comparison.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from exports.collect.received import ReceivedPacket, packet_code
from forms.library import FormLibrary
from models.gateway import Gateway
from models.vocabulary import PacketStatus
from ui.upper.inbox_model import (
    FORM,
    PERIOD,
    RECEIVED,
    SEQUENCE,
    STATUS,
    UNIT,
    InboxModel,
    InboxProxy,
    reason_text,
)
from ui.widgets import compact_rows, fingerprint_label, open_modeless, time_of


class InboxView(QWidget):
    changed = Signal()  # a decision was recorded: the window refreshes every tab
    conflict_dialog_opened = Signal(object)

    def __init__(self, gw: Gateway, library: FormLibrary, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.library, self.who = gw, library, who
        self.form_id: str | None = None
        self.period_code: str | None = None
        self.model = InboxModel(gw, self)
        self.proxy = InboxProxy(self)
        self.proxy.setSourceModel(self.model)

        self.status_box = QComboBox()
        self.status_box.addItem(self.tr("Tất cả"), None)
        for status in PacketStatus:
            self.status_box.addItem(status.words, status)
        self.only_chosen = QCheckBox(self.tr("Chỉ biểu và kỳ đang chọn"))
        self.count_label = QLabel()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RECEIVED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((UNIT, 190), (FORM, 60), (PERIOD, 90), (SEQUENCE, 60), (STATUS, 190), (RECEIVED, 120)):
            self.table.setColumnWidth(column, width)
        self.conflict_button = QPushButton(self.tr("Xem trùng lần gửi..."))
        self.conflict_button.setEnabled(False)
        self.print_button = QPushButton(self.tr("In biểu của gói..."))
        self.print_button.setEnabled(False)  # for an accepted packet of a unit's own form
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint_caption = QLabel(self.tr("Mã khóa người ký:"))
        self.fingerprint = fingerprint_label(scale=1.4)
        self.fingerprint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.empty_note = QLabel(
            self.tr("Hộp thư chưa có gói nào. Kéo thả tệp gói (.sctg) hoặc cả thư mục vào cửa sổ này để nhập.")
        )
        self.empty_note.setWordWrap(True)
        self.empty_note.setStyleSheet("color: #555;")

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Trạng thái:")))
        filters.addWidget(self.status_box)
        filters.addWidget(self.only_chosen)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        # The actions on the chosen packet; more buttons join this row.
        self.button_row = QHBoxLayout()
        self.button_row.addWidget(self.conflict_button)
        self.button_row.addWidget(self.print_button)
        self.button_row.addStretch(1)
        key_row = QHBoxLayout()
        key_row.addWidget(self.fingerprint_caption)
        key_row.addWidget(self.fingerprint, 1)
        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addWidget(self.empty_note)
        column.addWidget(self.table, 1)
        column.addLayout(self.button_row)
        column.addWidget(self.detail)
        column.addLayout(key_row)

        self.status_box.currentIndexChanged.connect(self._status_chosen)
        self.only_chosen.toggled.connect(lambda _on: self.refresh())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.conflict_button.clicked.connect(self.open_conflict_dialog)
        self.print_button.clicked.connect(self.open_print_dialog)
        self._selection_changed()

    # ---- what is shown --------------------------------------------------------------

    def set_scope(self, form_id: str | None, period_code: str | None) -> None:
        """The form and period chosen in the window's bar (used when “only chosen” is ticked)."""
        self.form_id, self.period_code = form_id, period_code
        if self.only_chosen.isChecked():
            self.refresh()

    def refresh(self) -> None:
        chosen = self.selected_packet_id()
        if self.only_chosen.isChecked():
            self.model.reload(self.form_id or "-", self.period_code or "-")
        else:
            self.model.reload()
        self.empty_note.setVisible(not self.model.rowCount())
        self._count()
        if chosen is not None:
            self.select_packet(chosen)
        self._selection_changed()

    def _status_chosen(self) -> None:
        self.proxy.set_status(self.status_box.currentData())
        self._count()
        self._selection_changed()

    def set_status_filter(self, status: str | None) -> None:
        self.status_box.setCurrentIndex(max(self.status_box.findData(status), 0))

    def _count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = self.tr("%1 gói").replace("%1", str(total))
        if shown != total:
            text = self.tr("%1/%2 gói").replace("%1", str(shown)).replace("%2", str(total))
        self.count_label.setText(text)

    def rows(self) -> list[ReceivedPacket]:
        """The packets as listed now, in the order shown."""
        return [
            self.model.packet(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]

    # ---- the chosen packet --------------------------------------------------------------

    def selected_packet_id(self) -> int | None:
        packet = self.selected_packet()
        return packet.id if packet else None

    def selected_packet(self) -> ReceivedPacket | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.packet(self.proxy.mapToSource(rows[0]).row())

    def select_packet(self, packet_id: int) -> bool:
        row = self.model.row_of(packet_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, *_args) -> None:
        packet = self.selected_packet()
        self.conflict_button.setEnabled(packet is not None and packet.status == PacketStatus.CONFLICT)
        self.print_button.setEnabled(self._printable(packet) is not None)
        if packet is None:
            self.detail.setText(self.tr("Chọn một gói để xem chi tiết."))
            self.fingerprint_caption.hide()
            self.fingerprint.hide()
            return
        lines = [
            self.tr("Gói số %1, tệp “%2”, nhận lúc %3.")
            .replace("%1", str(packet.id))
            .replace("%2", packet.file_name)
            .replace("%3", time_of(packet.received_at)),
        ]
        code = packet_code(self.gw, packet.id)
        if code:
            lines.append(self.tr("Mã gói %1: bản giấy in từ gói này mang cùng mã ở chân trang.").replace("%1", code))
        if packet.signer_name:
            signer = f"{packet.signer_name}, {packet.signer_title}" if packet.signer_title else packet.signer_name
            lines.append(self.tr("Người ký: %1.").replace("%1", signer))
        if packet.reason:
            lines.append(reason_text(packet))
        if packet.status == PacketStatus.QUARANTINED:
            lines.append(
                self.tr(
                    "Gọi điện cho người giữ khóa, đọc lại mã khóa dưới đây; khớp thì đăng ký tệp khóa của đơn vị "
                    "(Gói › Đăng ký khóa cấp dưới...): gói sẽ được nhận ngay."
                )
            )
        self.detail.setText("\n".join(lines))
        self.fingerprint.setText(packet.signer_spoken or "")
        self.fingerprint_caption.setVisible(bool(packet.signer_spoken))
        self.fingerprint.setVisible(bool(packet.signer_spoken))

    def _double_clicked(self, _index) -> None:
        packet = self.selected_packet()
        if packet is not None and packet.status == PacketStatus.CONFLICT:
            self.open_conflict_dialog()

    def _printable(self, packet: ReceivedPacket | None):
        """(unit, form) when the packet is an accepted report of a unit's own form, else None."""
        if packet is None or packet.status != PacketStatus.ACCEPTED or not packet.unit_code:
            return None
        unit = self.gw.unit(packet.unit_code)
        form = self.library.get(packet.form_id or "", packet.form_version)
        if unit is None or form is None or unit.tier != form.report_tier:
            return None  # a merged table from below prints with the level's own merged table
        return unit, form

    def open_print_dialog(self):
        """“In biểu của gói...”: the unit's form as its packet holds it, with that packet's code in the footer."""
        from exports.paper.received import received_document
        from exports.paper.report import has_amounts
        from ui.print_dialog import PrintDialog

        packet = self.selected_packet()
        printable = self._printable(packet)
        if printable is None:
            return None
        unit, form = printable
        period = self.gw.period(packet.period_code)

        def build(settings, _blank: bool, words: bool):
            today = dt.date.today()
            return received_document(self.gw, packet.id, unit, form, period, settings, words=words, printed_on=today)

        dialog = PrintDialog(
            self.gw,
            unit,
            build,
            title=self.tr("In biểu của %1").replace("%1", unit.name),
            has_money=has_amounts(form),
            parent=self,
        )
        open_modeless(dialog)
        return dialog

    def open_conflict_dialog(self):
        """The side-by-side comparison for the chosen packet in conflict, shown without waiting."""
        from ui.upper.conflict_dialog import ConflictDialog

        packet = self.selected_packet()
        if packet is None or packet.status != PacketStatus.CONFLICT:
            return None
        dialog = ConflictDialog(self.gw, self.library, packet.id, self.who, self)
        dialog.decided.connect(lambda _packet_id: self.changed.emit())
        open_modeless(dialog)
        self.conflict_dialog_opened.emit(dialog)
        return dialog
