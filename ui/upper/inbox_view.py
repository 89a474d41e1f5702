"""The inbox: every packet received, with how it was filed.

Filtered by status, sortable by any column (statuses by urgency, periods by
date, not alphabetically). The row chosen is described under the table
(packet_panel.py). The actions on it are buttons in a bar over the table,
always laid out and enabled only when they apply, so none moves as a packet
is chosen or its description grows; the same actions are in the window's
Hộp thư menu: a conflict opens the side-by-side comparison, another packet
that waits for the officer the decision dialog (decision_dialog.py); any
packet can be voided, answered with a receipt or a return, printed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
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

from exports.collect.received import ReceivedPacket
from forms.library import FormLibrary
from models.gateway import Gateway
from models.reporting import fills
from models.vocabulary import ANSWERABLE, DECIDABLE, PacketStatus
from ui.upper.inbox_model import (
    FORM,
    PERIOD,
    RECEIVED,
    SEQUENCE,
    STATUS,
    UNIT,
    InboxModel,
    InboxProxy,
)
from ui.upper.packet_panel import PacketPanel
from ui.upper.start_pane import StartPane
from ui.widgets import compact_rows, open_modeless

# “Quyết định...”: a conflict has its own comparison (“Xem trùng lần gửi...”).
DECIDING = tuple(s for s in DECIDABLE if s != PacketStatus.CONFLICT)
NOT_VOIDABLE = (PacketStatus.VOIDED, PacketStatus.REJECTED)


class InboxView(QWidget):
    changed = Signal()  # a decision was recorded: the window refreshes every tab
    said = Signal(str)  # what became of a packet decided or voided, for the window to show
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
        # The actions on the chosen packet: a button each, always shown and enabled only when it applies,
        # and the same action in the window's Hộp thư menu (menu_actions).
        self._packet_actions: list[tuple[QPushButton, QAction, Callable[[ReceivedPacket], bool]]] = []
        self.menu_actions: list[QAction] = []
        self.conflict_button = self._packet_action(
            self.tr("Xem trùng lần gửi..."), self.open_conflict_dialog, lambda p: p.status == PacketStatus.CONFLICT
        )
        self.decide_button = self._packet_action(
            self.tr("Quyết định..."), self.open_decision_dialog, lambda p: self._writable and p.status in DECIDING
        )
        self.answer_button = self._packet_action(
            self.tr("Biên nhận / Trả lại..."),
            self.open_receipt_dialog,
            lambda p: self._writable and p.status in ANSWERABLE,
        )
        self.void_button = self._packet_action(
            self.tr("Hủy gói..."), self.open_void_dialog, lambda p: self._writable and p.status not in NOT_VOIDABLE
        )
        # For a report this level sent a receipt for: the lock exception, signed and sent down.
        self.reopen_button = self._packet_action(
            self.tr("Mở lại báo cáo..."), self.open_reopen_dialog, lambda p: self._writable and self._receipted(p)
        )
        # For an accepted packet of a unit's own form.
        self.print_button = self._packet_action(
            self.tr("In biểu của gói..."), self.open_print_dialog, lambda p: self._printable(p) is not None
        )
        self.panel = PacketPanel(gw)
        self.start_pane = StartPane(gw)  # before the first packet, in place of the empty table

        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Trạng thái:")))
        filters.addWidget(self.status_box)
        filters.addWidget(self.only_chosen)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        # The buttons over the table, under the filters: nothing above them changes height, so they stay
        # where they are whether a packet is chosen or not, and whatever its description says.
        bar = QWidget()
        self.button_row = QHBoxLayout(bar)
        self.button_row.setContentsMargins(0, 0, 0, 0)
        for button, _action, _applies in self._packet_actions:
            self.button_row.addWidget(button)
        self.button_row.addStretch(1)
        bar.setFixedHeight(self.conflict_button.sizeHint().height())
        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addWidget(bar)
        self.button_bar = bar
        column.addWidget(self.start_pane, 1)  # in the hidden table's room, at its top
        column.addWidget(self.table, 1)
        column.addWidget(self.panel)
        self.start_pane.hide()

        self.status_box.currentIndexChanged.connect(self._status_chosen)
        self.only_chosen.toggled.connect(lambda _on: self.refresh())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.panel.return_asked.connect(lambda: self.open_receipt_dialog(from_findings=True))
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
        self.show_start(not self.model.rowCount() and not self.only_chosen.isChecked())
        self._count()
        if chosen is not None:
            self.select_packet(chosen)
        self._selection_changed()

    def show_start(self, empty: bool) -> None:
        """The first steps in place of an empty inbox (an empty choice of form and period keeps the table)."""
        if empty:
            self.start_pane.refresh()
        self.start_pane.setVisible(empty)
        for widget in (self.button_bar, self.table, self.panel):
            widget.setVisible(not empty)

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

    def _packet_action(self, text: str, slot, applies: Callable[[ReceivedPacket], bool]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        self._packet_actions.append((button, action, applies))
        self.menu_actions.append(action)
        return button

    @property
    def _writable(self) -> bool:
        return self.gw.writable

    @property
    def detail(self):
        """The chosen packet's description under the table."""
        return self.panel.detail

    @property
    def fingerprint(self):
        """The signer's key code, large, under the description."""
        return self.panel.fingerprint

    def _selection_changed(self, *_args) -> None:
        packet = self.selected_packet()
        for button, action, applies in self._packet_actions:
            on = packet is not None and applies(packet)
            button.setEnabled(on)
            action.setEnabled(on)
        self.panel.show_packet(packet, self._writable)

    def _double_clicked(self, _index) -> None:
        packet = self.selected_packet()
        if packet is not None and packet.status == PacketStatus.CONFLICT:
            self.open_conflict_dialog()

    def _printable(self, packet: ReceivedPacket | None):
        """(unit, form) when the packet is an accepted report of a unit's own form, else None."""
        if packet is None or packet.status != PacketStatus.ACCEPTED or not packet.unit_code:
            return None
        unit = self.gw.unit(packet.unit_code)
        form = self.library.get(packet.form_id or "", packet.form_version, packet.form_publisher)
        if unit is None or form is None or not fills(form, unit, self.gw.period(packet.period_code)):
            return None  # a merged table from below prints with the level's own merged table
        return unit, form

    def open_print_dialog(self):
        """“In biểu của gói...”: the unit's form as its packet holds it, with that packet's code in the footer,
        headed and laid out as it was signed (the officer may change either for this print)."""
        from exports.paper.received import received_document, signed_layout, signed_page
        from exports.paper.report import has_amounts
        from ui.print_dialog import PrintDialog

        packet = self.selected_packet()
        printable = self._printable(packet)
        if printable is None:
            return None
        unit, form = printable
        period = self.gw.period(packet.period_code)
        manifest = json.loads(self.gw.inbox.get(packet.id)["manifest"])

        def build(settings, _blank: bool, words: bool, layout):
            today = dt.date.today()
            return received_document(
                self.gw, packet.id, unit, form, period, settings, words=words, printed_on=today, layout=layout
            )

        dialog = PrintDialog(
            self.gw,
            unit,
            build,
            title=self.tr("In biểu của %1").replace("%1", unit.name),
            form=form,
            modes=("report", "annex"),  # a packet's figures: never blank, never village sheets
            has_money=has_amounts(form),
            signed=signed_page(manifest, self.gw, unit)[0],
            layout=signed_layout(manifest),
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

    def open_decision_dialog(self):
        """“Quyết định...”: count figures with errors, confirm a held packet, take back an older sequence."""
        from ui.upper.decision_dialog import DecisionDialog

        packet = self.selected_packet()
        if packet is None or packet.status not in DECIDING:
            return None
        return self._open_reason_dialog(DecisionDialog(self.gw, self.library, packet, self.who, self))

    def open_void_dialog(self):
        """“Hủy gói...”: a forged or mistaken packet set aside for good, with the reason."""
        from ui.upper.decision_dialog import VoidDialog

        packet = self.selected_packet()
        if packet is None or packet.status in NOT_VOIDABLE:
            return None
        return self._open_reason_dialog(VoidDialog(self.gw, packet, self.who, self))

    def _open_reason_dialog(self, dialog):
        dialog.done_with.connect(self._decided)
        open_modeless(dialog)
        return dialog

    def _decided(self, sentence: str) -> None:
        self.changed.emit()
        self.said.emit(sentence)

    def _receipted(self, packet: ReceivedPacket) -> bool:
        """Whether this level's last answer to the packet's report is a receipt (the report is locked below)."""
        if packet.unit_code is None or packet.form_id is None or packet.period_code is None:
            return False
        return self.gw.receipts.standing_issued(packet.unit_code, packet.form_id, packet.period_code) is not None

    def open_reopen_dialog(self):
        """The reopening of the chosen packet's report, shown without waiting."""
        from ui.upper.reopen_dialog import ReopenDialog

        packet = self.selected_packet()
        if packet is None or not self._receipted(packet):
            return None
        dialog = ReopenDialog(self.gw, packet, self.who, self)
        dialog.published.connect(lambda done: self._decided(done.sentence))
        open_modeless(dialog)
        return dialog

    def open_receipt_dialog(self, from_findings: bool = False):
        """The receipt-or-return dialog for the chosen packet, shown without waiting; ``from_findings``:
        a return already listing the cells whose figures break the form's rules (return_queries)."""
        from exports.collect.receipts import return_queries
        from ui.upper.answer_dialogs import ReceiptDialog

        packet = self.selected_packet()
        if packet is None or packet.status not in ANSWERABLE:
            return None
        dialog = ReceiptDialog(self.gw, self.library, packet, self.who, self)
        if from_findings:
            dialog.ask_to_correct(
                return_queries(self.gw, packet.id),
                self.tr("Số liệu có lỗi khi kiểm tra lại ở cấp trên: đề nghị xã sửa các ô dưới đây, ký và gửi lại."),
            )
        dialog.issued.connect(lambda _issued: self.changed.emit())
        open_modeless(dialog)
        return dialog
