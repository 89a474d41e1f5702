"""The chosen packet, described under the inbox: where it came from, who
signed it, why it was filed as it was, what this level found checking its
figures again (the errors, and the warnings with the commune's written
reason), and the signer's key code large for a packet waiting for its key.

For a packet whose figures have errors, one button builds a return from
them: the receipt dialog opens with those cells to correct.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from exports.collect.received import ReceivedPacket, declared_lines, packet_code
from models.gateway import Gateway
from models.vocabulary import PacketStatus
from ui.upper.inbox_model import reason_text
from ui.widgets import ERROR_STYLE, fingerprint_label, time_of

ERROR_BRUSH = QBrush(QColor("#f4cccc"))
WARNING_BRUSH = QBrush(QColor("#fff2cc"))
FINDINGS_HEIGHT = 130  # px at most: a few lines, then the list scrolls; the inbox table keeps its room
# A return can be built from the errors of a packet in these statuses (a counted one included).
RETURNABLE = (PacketStatus.FLAWED, PacketStatus.ACCEPTED)


def finding_lines(packet: ReceivedPacket) -> list[tuple[str, str]]:
    """(severity, sentence) of each finding, errors first; a warning with the commune's reason after it."""
    lines = [("error", f"Lỗi: {f.get('message', '')}") for f in packet.errors]
    for f in packet.warnings:
        text = f"Cảnh báo: {f.get('message', '')}"
        reason = (f.get("reason") or "").strip()
        text += f" — Xã giải trình: “{reason}”" if reason else " — Xã chưa ghi giải trình."
        lines.append(("warning", text))
    return lines


class PacketPanel(QWidget):
    return_asked = Signal()  # “Trả lại để xã sửa các lỗi...”: a return built from the errors

    def __init__(self, gw: Gateway, parent=None):
        super().__init__(parent)
        self.gw = gw
        self.packet: ReceivedPacket | None = None
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings_caption = QLabel()
        self.findings_caption.setStyleSheet("font-weight: bold;")
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.findings.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.return_button = QPushButton(self.tr("Trả lại để xã sửa các lỗi..."))
        self.return_button.setToolTip(self.tr("Mở hộp trả lại gói, điền sẵn các ô có lỗi; sửa được trước khi ký."))
        self.fingerprint_caption = QLabel(self.tr("Mã khóa người ký:"))
        self.fingerprint = fingerprint_label(scale=1.4)
        self.fingerprint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        caption_row = QHBoxLayout()
        caption_row.addWidget(self.findings_caption, 1)
        caption_row.addWidget(self.return_button)
        key_row = QHBoxLayout()
        key_row.addWidget(self.fingerprint_caption)
        key_row.addWidget(self.fingerprint, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.detail)
        column.addLayout(caption_row)
        column.addWidget(self.findings)
        column.addLayout(key_row)
        self.return_button.clicked.connect(self.return_asked)
        self.show_packet(None)

    def show_packet(self, packet: ReceivedPacket | None, writable: bool = True) -> None:
        self.packet = packet
        if packet is None:
            self.detail.setText(self.tr("Chọn một gói để xem chi tiết."))
            for widget in (self.findings_caption, self.findings, self.return_button):
                widget.hide()
            self.fingerprint_caption.hide()
            self.fingerprint.hide()
            return
        self.detail.setText("\n".join(self._lines(packet)))
        self._show_findings(packet, writable)
        self.fingerprint.setText(packet.signer_spoken or "")
        self.fingerprint_caption.setVisible(bool(packet.signer_spoken))
        self.fingerprint.setVisible(bool(packet.signer_spoken))

    def _lines(self, packet: ReceivedPacket) -> list[str]:
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
        lines += declared_lines(self.gw, packet.id)  # double entry, explained plausibility warnings
        if packet.reason:
            lines.append(reason_text(packet))
        if packet.status == PacketStatus.QUARANTINED:
            lines.append(
                self.tr(
                    "Gọi điện cho người giữ khóa, đọc lại mã khóa dưới đây; khớp thì đăng ký tệp khóa của đơn vị "
                    "(Gói › Đăng ký khóa cấp dưới...): gói sẽ được nhận ngay."
                )
            )
        elif packet.status == PacketStatus.HELD:
            lines.append(
                self.tr(
                    "Gọi điện hỏi xã: đúng là xã gửi thì bấm “Quyết định...” để xác nhận; "
                    "không phải thì bấm “Hủy gói...”."
                )
            )
        elif packet.status == PacketStatus.FLAWED:
            lines.append(
                self.tr(
                    "Số liệu của gói chưa được cộng. Trả lại để xã sửa các lỗi dưới đây, hoặc bấm “Quyết định...” "
                    "để cộng dù có lỗi."
                )
            )
        return lines

    def _show_findings(self, packet: ReceivedPacket, writable: bool) -> None:
        lines = finding_lines(packet)
        self.findings.clear()
        for severity, text in lines:
            item = QListWidgetItem(text)
            item.setBackground(ERROR_BRUSH if severity == "error" else WARNING_BRUSH)
            item.setToolTip(text)
            self.findings.addItem(item)
        errors, warnings = len(packet.errors), len(packet.warnings)
        self.findings_caption.setText(
            self.tr("Kiểm tra lại số liệu ở cấp này: %1 lỗi, %2 cảnh báo")
            .replace("%1", str(errors))
            .replace("%2", str(warnings))
        )
        self.findings_caption.setStyleSheet(("font-weight: bold; " + ERROR_STYLE) if errors else "font-weight: bold;")
        self.findings_caption.setVisible(bool(lines))
        self.findings.setVisible(bool(lines))
        rows = sum(self.findings.sizeHintForRow(i) for i in range(self.findings.count()))
        self.findings.setFixedHeight(min(FINDINGS_HEIGHT, rows + 2 * self.findings.frameWidth() + 4))
        self.return_button.setVisible(bool(errors) and packet.status in RETURNABLE and writable)

    def finding_texts(self) -> list[str]:
        """The findings as listed (for reading them back)."""
        return [self.findings.item(i).text() for i in range(self.findings.count())]
