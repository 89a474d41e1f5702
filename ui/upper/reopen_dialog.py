"""“Mở lại báo cáo...”: the upper level lets one unit correct a report it
already received (the lock exception). It signs a reopening (.sctp, kind
reopening) naming the unit, the form, the period and why; the unit imports
it, corrects, and sends the next sequence, which the inbox then files
instead of holding it. The command line's twin is ``reopening publish``."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout

from exports.collect.received import ReceivedPacket
from forms import vnformat
from models.gateway import Gateway
from ui.upper.answer_dialogs import SigningFields
from ui.widgets import DONE_STYLE, ERROR_STYLE, button_row, fit_height, message_label


class ReopenDialog(QDialog):
    published = Signal(object)  # exports.publications.publish.Published

    def __init__(self, gw: Gateway, packet: ReceivedPacket, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.packet, self.who = gw, packet, who
        self.setWindowTitle(self.tr("Mở lại báo cáo"))
        unit = gw.require_unit(packet.unit_code)
        period = gw.period(packet.period_code)
        self.heading = heading = QLabel(
            self.tr("Mở lại báo cáo biểu %1, %2 của %3.")
            .replace("%1", packet.form_id)
            .replace("%2", period.label)
            .replace("%3", unit.name)
        )
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        receipt = gw.receipts.standing_issued(packet.unit_code, packet.form_id, packet.period_code)
        said = (
            self.tr("Đơn vị đã gửi biên nhận lần gửi %1 ngày %2: báo cáo đang khóa ở đơn vị cấp dưới.")
            .replace("%1", str(receipt["sequence"]))
            .replace("%2", vnformat.date(receipt["issued_at"].date()))
            if receipt
            else self.tr("Đơn vị chưa gửi biên nhận cho báo cáo này.")
        )
        explain = QLabel(
            said
            + " "
            + self.tr(
                "Thông báo mở lại được ký bằng khóa của đơn vị; đơn vị cấp dưới nhập tệp .sctp, sửa số liệu "
                "rồi ký và gửi lần tiếp theo. Hộp thư sẽ nhận lần gửi đó, không giữ lại chờ xác nhận."
            )
        )
        explain.setWordWrap(True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(self.tr("ví dụ: Số hộ của Bản Nà Sáng chưa khớp biên bản họp bản."))
        self.reason_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.signing = SigningFields(self, gw, gw.setting("home_unit"))
        self.error_label = message_label(ERROR_STYLE)
        self.done_label = message_label(DONE_STYLE + " font-weight: bold;")
        self.sign_button = QPushButton(self.tr("Ký và lưu"))
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self.sign)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        fields = QFormLayout()
        fields.addRow(self.tr("Lý do mở lại:"), self.reason_edit)
        self.signing.add_to(fields, self)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(explain)
        column.addLayout(fields)
        column.addWidget(self.error_label)
        column.addWidget(self.done_label)
        column.addLayout(button_row(self.sign_button, close))
        fit_height(self, 560)

    def sign(self):
        """Sign the reopening into the folder given; the Published, or None with the reason in the dialog."""
        from exports.publications.publish import publish_reopening

        packet, reason = self.packet, self.reason_edit.toPlainText()

        def reopen(passphrase: str, folder: str):
            return publish_reopening(
                self.gw, packet.unit_code, packet.form_id, packet.period_code, reason, passphrase, folder, self.who
            )

        done = self.signing.publish(self.gw, reopen, self.error_label, self.done_label)
        if done is not None:
            self.sign_button.setEnabled(False)  # one reopening per decision: a second click would sign it again
            self.published.emit(done)
            fit_height(self)
        return done
