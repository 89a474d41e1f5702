"""What the inbox shows before the first packet: the three things to do to
start receiving reports, a button each (the window's own actions, so a
read-only file disables them here too) with a line on what it does, and what
is already being collected. At the top of the tab, centred: the empty table
and the packet description are hidden until something arrives."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from forms import vnformat
from models.gateway import Gateway

STEPS = (
    ("collection", "Chọn biểu và kỳ các đơn vị cấp dưới phải nộp, đặt hạn nộp."),
    (
        "import",
        "Chọn các tệp gói (.sctg) đơn vị cấp dưới gửi lên, hoặc kéo thả tệp, cả thư mục vào cửa sổ này.",
    ),
    (
        "enrol",
        "Nhận tệp đăng ký khóa (.sctk) của từng đơn vị, gọi điện đọc lại mã khóa rồi đăng ký. "
        "Gói ký bằng khóa chưa đăng ký được giữ lại và nhận ngay khi đăng ký.",
    ),
)


class StartPane(QWidget):
    def __init__(self, gw: Gateway, parent=None):
        super().__init__(parent)
        self.gw = gw
        self.heading = QLabel(self.tr("Hộp thư chưa có gói nào. Để bắt đầu nhận báo cáo:"))
        self.heading.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.collecting = QLabel()
        self.collecting.setWordWrap(True)
        self.buttons: dict[str, QToolButton] = {}
        self.lines: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(12)
        for row, (name, words) in enumerate(STEPS):
            button = QToolButton()
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # as wide as the widest
            line = QLabel(self.tr(words))
            line.setWordWrap(True)
            self.buttons[name], self.lines[name] = button, line
            grid.addWidget(button, row, 0)
            grid.addWidget(line, row, 1)
        body = QWidget()  # at most 900 px wide, centred; the tab's height below it stays blank
        body.setMaximumWidth(900)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 24, 0, 8)
        column.addWidget(self.heading)
        column.addWidget(self.collecting)
        column.addLayout(grid)
        column.addStretch(1)
        centred = QHBoxLayout(self)
        centred.setContentsMargins(0, 0, 0, 0)
        centred.addStretch(1)
        centred.addWidget(body, 100)
        centred.addStretch(1)

    def use_actions(self, collection: QAction, import_files: QAction, enrol: QAction) -> None:
        """The window's actions behind the buttons: same words, same enabled state."""
        for name, action in (("collection", collection), ("import", import_files), ("enrol", enrol)):
            self.buttons[name].setDefaultAction(action)

    def refresh(self) -> None:
        """What is being collected, under the heading: the first step, or already done."""
        opened = self.gw.collections.all()
        if not opened:
            self.collecting.setText(self.tr("Chưa mở kỳ thu biểu nào: hãy bắt đầu bằng “Mở kỳ thu biểu...”."))
            return
        said = []
        for form_id, period_code, deadline in opened:
            text = f"{form_id} {self.gw.period(period_code).label.lower()}"
            if deadline:
                text += self.tr(" (hạn %1)").replace("%1", vnformat.date(deadline))
            said.append(text)
        self.collecting.setText(self.tr("Đang thu: %1.").replace("%1", "; ".join(said)))
