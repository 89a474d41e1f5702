"""The inbox as a table: one row per packet received, a column each for the
unit, form, period, sequence, status (coloured), time received and reason;
sorted by what each column means (statuses by urgency, periods by date), and
filtered by status.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from exports.collect.received import ReceivedPacket, received_list
from models.errors import UserError
from models.gateway import Gateway
from models.vocabulary import AWAITING_OFFICER, PacketStatus
from ui.upper.status_look import STATUS_COLOURS, STATUS_ORDER
from ui.widgets import time_of

DISPLAY = Qt.ItemDataRole.DisplayRole
SortRole = Qt.ItemDataRole.UserRole + 1
StatusRole = Qt.ItemDataRole.UserRole + 2
PacketIdRole = Qt.ItemDataRole.UserRole + 3

_BRUSHES = {status: QBrush(QColor(colour)) for status, colour in STATUS_COLOURS.items()}
UNIT, FORM, PERIOD, SEQUENCE, STATUS, RECEIVED, REASON = range(7)


def reason_text(packet: ReceivedPacket) -> str:
    """The filing reason; a packet waiting for its key always names the key to read back."""
    text = packet.reason
    if packet.status == PacketStatus.QUARANTINED and packet.signer_spoken and packet.signer_spoken not in text:
        text = f"{text} Mã khóa người ký: {packet.signer_spoken}.".strip()
    if packet.decision and packet.decided_by:
        text += f" (quyết định của {packet.decided_by})"
    return text


class InboxModel(QAbstractTableModel):
    HEADERS = ("Đơn vị", "Biểu", "Kỳ", "Lần gửi", "Trạng thái", "Nhận lúc", "Lý do")

    def __init__(self, gw: Gateway, parent=None):
        super().__init__(parent)
        self.gw = gw
        self.packets: list[ReceivedPacket] = []
        self._names: dict[str, str] = {}
        self._periods: dict[str, tuple[str, str]] = {}  # code -> (label, sort key)
        self._order: tuple[int, Qt.SortOrder] | None = None  # the column and order chosen, kept on reload

    def reload(self, form_id: str | None = None, period_code: str | None = None) -> None:
        self.beginResetModel()
        self.packets = received_list(self.gw, form_id=form_id, period_code=period_code)
        self._names = self.gw.unit_names()
        if self._order is not None:
            self._sorted(*self._order)
        self.endResetModel()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here, one key per packet: a proxy sorting 3,321 rows asks Python for a key at
        every comparison, ten times slower."""
        self.layoutAboutToBeChanged.emit()
        self._sorted(column, order)
        self.layoutChanged.emit()

    def _sorted(self, column: int, order: Qt.SortOrder) -> None:
        self._order = (column, order)
        descending = order == Qt.SortOrder.DescendingOrder
        self.packets.sort(key=lambda packet: self._sort_key(packet, column), reverse=descending)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.packets)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.tr(self.HEADERS[section])
        return None

    def packet(self, row: int) -> ReceivedPacket:
        return self.packets[row]

    def row_of(self, packet_id: int) -> int | None:
        return next((n for n, p in enumerate(self.packets) if p.id == packet_id), None)

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        packet = self.packets[index.row()]
        column = index.column()
        if role == DISPLAY:
            return self._text(packet, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == UNIT:
                return packet.file_name
            return self._text(packet, column) or None
        if role == SortRole:
            return self._sort_key(packet, column)
        if role == StatusRole:
            return packet.status
        if role == PacketIdRole:
            return packet.id
        if role == Qt.ItemDataRole.BackgroundRole and column == STATUS:
            return _BRUSHES.get(packet.status)
        if role == Qt.ItemDataRole.FontRole and column == STATUS and packet.status in AWAITING_OFFICER:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SEQUENCE:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _text(self, packet: ReceivedPacket, column: int) -> str:
        if column == UNIT:
            if not packet.unit_code:
                return packet.file_name
            return f"{packet.unit_code} {self._names.get(packet.unit_code, '')}".strip()
        if column == FORM:
            return packet.form_id or ""
        if column == PERIOD:
            return self._period(packet.period_code)[0]
        if column == SEQUENCE:
            return self.tr("lần %1").replace("%1", str(packet.sequence)) if packet.sequence is not None else ""
        if column == STATUS:
            return packet.status.words
        if column == RECEIVED:
            return time_of(packet.received_at)
        return reason_text(packet)

    def _sort_key(self, packet: ReceivedPacket, column: int):
        if column == UNIT:
            return packet.unit_code or ""
        if column == PERIOD:
            return self._period(packet.period_code)[1]
        if column == SEQUENCE:
            return packet.sequence or 0
        if column == STATUS:
            return STATUS_ORDER.index(packet.status) if packet.status in STATUS_ORDER else len(STATUS_ORDER)
        if column == RECEIVED:
            return f"{packet.received_at}#{packet.id:09d}"  # ISO stamps of one machine sort as text
        return self._text(packet, column)

    def _period(self, code: str | None) -> tuple[str, str]:
        if not code:
            return "", ""
        if code not in self._periods:
            try:
                period = self.gw.period(code)
                self._periods[code] = (period.label, f"{period.ends.isoformat()}{period.starts.isoformat()}")
            except UserError:
                self._periods[code] = (code, code)
        return self._periods[code]


class InboxProxy(QSortFilterProxyModel):
    """Rows of one status when a status is chosen; sorting is the source model's (InboxModel.sort)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.status: str | None = None
        self.setSortRole(SortRole)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def set_status(self, status: str | None) -> None:
        self.beginFilterChange()
        self.status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        if self.status is None:
            return True
        return self.sourceModel().index(row, STATUS, parent).data(StatusRole) == self.status
