"""The officer's decision on one packet, and voiding one, from the inbox.

“Quyết định...” is for a packet that waits for the officer (models.vocabulary
DECIDABLE) other than a conflict, which keeps its side-by-side comparison
(conflict_dialog.py): figures with errors counted anyway, a held packet
confirmed, an older sequence taken back. “Hủy gói...” sets any packet aside
for good. Each dialog says what it does to this packet in the officer's
words, asks why (recorded with who decided), and calls the same library
function as the command line (exports/collect/decisions.py); a refusal is
said in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from exports.collect.decisions import decide, void
from exports.collect.received import ReceivedPacket, received_packet
from forms.library import FormLibrary
from models.errors import UserError
from models.gateway import Gateway
from models.vocabulary import PacketStatus
from ui.widgets import ERROR_STYLE, button_row, message_label, say

HEADING_STYLE = "font-weight: bold; font-size: 13pt;"
ACTION_STYLE = "font-weight: bold;"
REASON_STYLE = "color: #444;"

# The decisions this dialog takes, in the officer's words: (what it does, what follows, an example reason).
DECISIONS = {
    PacketStatus.FLAWED: (
        "Cộng số liệu của gói này vào tổng hợp dù có lỗi",
        "Chỉ cộng khi đã hỏi xã và biết số liệu là đúng. Nếu số liệu sai, bấm Hủy bỏ rồi trả lại gói để xã "
        "sửa (nút “Trả lại để xã sửa các lỗi...”).",
        "Ví dụ: đã gọi điện, xã xác nhận số liệu đúng vì bản mới sáp nhập",
    ),
    PacketStatus.HELD: (
        "Xác nhận gói (đã gọi điện hỏi xã)",
        "Gói được xếp như mọi gói khác của xã: là lần gửi mới nhất thì được nhận, số liệu có lỗi thì "
        "chờ quyết định cộng hoặc trả lại.",
        "Ví dụ: đã gọi điện cho ông Lò Văn A, xã xác nhận đã gửi gói này",
    ),
    PacketStatus.STALE: (
        "Nhận lại bản cũ này; các lần gửi sau bị hủy",
        "Dùng khi xã đã khôi phục bản sao lưu và gửi lại số liệu cũ làm bản đúng.",
        "Ví dụ: xã khôi phục bản sao lưu, xác nhận lần gửi này là bản đúng",
    ),
}


def packet_heading(gw: Gateway, packet: ReceivedPacket) -> str:
    """“Gói số 5: Xã Mường Tè, biểu kl224, Năm 2024, lần gửi 2”."""
    unit = gw.unit(packet.unit_code or "")
    parts = [unit.name if unit else packet.unit_code or packet.file_name]
    if packet.form_id:
        parts.append(f"biểu {packet.form_id}")
    if packet.period_code:
        try:
            parts.append(gw.period(packet.period_code).label)
        except UserError:
            parts.append(packet.period_code)
    if packet.sequence is not None:
        parts.append(f"lần gửi {packet.sequence}")
    return f"Gói số {packet.id}: {', '.join(parts)}"


class ReasonDialog(QDialog):
    """A packet, what the action does to it, a required reason, and two buttons."""

    done_with = Signal(str)  # the library's sentence saying what became of the packet

    def __init__(self, gw: Gateway, packet: ReceivedPacket, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.packet, self.who = gw, packet, who
        self.said = ""
        heading = QLabel(packet_heading(gw, packet))
        heading.setStyleSheet(HEADING_STYLE)
        heading.setWordWrap(True)
        state = self.tr("Trạng thái: %1.").replace("%1", packet.status.words)
        self.state_label = QLabel(f"{state} {packet.reason}".strip())
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet(REASON_STYLE)
        self.action_label = QLabel()
        self.action_label.setWordWrap(True)
        self.action_label.setStyleSheet(ACTION_STYLE)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.error_label = message_label(ERROR_STYLE)
        self.ok_button = QPushButton(self.tr("Đồng ý"))
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Hủy bỏ"))

        reason = QFormLayout()
        reason.addRow(self.tr("Lý do (bắt buộc):"), self.reason_edit)
        buttons = button_row(self.ok_button, self.cancel_button)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(self.state_label)
        column.addSpacing(6)
        column.addWidget(self.action_label)
        column.addWidget(self.explanation)
        column.addLayout(reason)
        column.addWidget(self.error_label)
        column.addLayout(buttons)
        self.setMinimumWidth(620)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

    def act(self, note: str) -> str:
        raise NotImplementedError

    def submit(self) -> bool:
        """Record the decision with the reason typed; a refusal is said here and nothing typed is lost."""
        say(self.error_label, "")
        try:
            self.said = self.act(self.reason_edit.text())
        except UserError as exc:
            say(self.error_label, str(exc))
            self.reason_edit.setFocus()
            self.adjustSize()
            return False
        self.done_with.emit(self.said)
        self.accept()
        return True


class DecisionDialog(ReasonDialog):
    """“Quyết định...”: count a flawed packet, confirm a held one, take back an older sequence."""

    def __init__(self, gw: Gateway, library: FormLibrary, packet: ReceivedPacket, who: str, parent=None):
        super().__init__(gw, packet, who, parent)
        self.library = library
        self.setWindowTitle(self.tr("Quyết định về gói"))
        action, consequence, example = DECISIONS.get(packet.status, ("", "", ""))
        self.action_label.setText(self.tr("Quyết định: %1.").replace("%1", action) if action else "")
        self.explanation.setText(" ".join(t for t in (self._facts(), consequence) if t))
        self.reason_edit.setPlaceholderText(example)

    def _facts(self) -> str:
        """What the decision touches beyond the words of its status."""
        packet = self.packet
        if packet.status == PacketStatus.FLAWED and packet.error_count:
            return self.tr("Kiểm tra lại ở cấp này thấy %1 lỗi (xem ở hộp thư).").replace("%1", str(packet.error_count))
        if packet.status == PacketStatus.STALE:
            later = sorted(
                received_packet(self.gw, other).sequence or 0 for other in self.gw.inbox.later_trusted(packet.id)
            )
            if later:
                return (
                    self.tr("Sẽ hủy %1 gói gửi sau (lần gửi %2); các gói đó vẫn được lưu kèm lý do.")
                    .replace("%1", str(len(later)))
                    .replace("%2", ", ".join(str(s) for s in later))
                )
        return ""

    def act(self, note: str) -> str:
        return decide(self.gw, self.packet.id, note, self.who, self.library)


class VoidDialog(ReasonDialog):
    """“Hủy gói...”: a forged or mistaken packet set aside for good."""

    def __init__(self, gw: Gateway, packet: ReceivedPacket, who: str, parent=None):
        super().__init__(gw, packet, who, parent)
        self.setWindowTitle(self.tr("Hủy gói"))
        self.action_label.setText(self.tr("Hủy gói này: gói được để riêng và không bao giờ được cộng vào tổng hợp."))
        self.explanation.setText(
            self.tr(
                "Dùng khi gói bị làm giả hoặc xã gửi nhầm. Các gói khác của cùng báo cáo được xếp lại như thể "
                "gói này chưa từng đến: nếu gói này đang được nhận, lần gửi trước đó được nhận lại. "
                "Gói đã hủy vẫn được lưu kèm lý do."
            )
        )
        self.reason_edit.setPlaceholderText(self.tr("Ví dụ: gọi điện, xã xác nhận không gửi gói này"))
        self.ok_button.setText(self.tr("Hủy gói"))
        self.cancel_button.setText(self.tr("Không hủy"))

    def act(self, note: str) -> str:
        return void(self.gw, self.packet.id, note, self.who)
