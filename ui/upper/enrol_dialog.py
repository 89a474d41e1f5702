"""Trust the key of a unit below, from its key file (.sctk).

A key file can come from anyone; what makes it trustworthy is the phone
call. The dialog shows the key code large and asks the officer to read it
back with the key holder; “Đăng ký” stays off until they tick that both
sides matched. Packets that were waiting for the key are filed at once and
the dialog says what became of them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exports.collect.inbox import enrol_and_refile
from exports.collect.trust import Enrolled
from exports.packets.enrolment import SUFFIX, Enrolment, read_enrolment
from forms.library import FormLibrary
from models.errors import UserError
from models.gateway import Gateway
from ui.export_folder import ask_file
from ui.widgets import (
    DONE_STYLE,
    ERROR_STYLE,
    WARNING_STYLE,
    day_of,
    fingerprint_label,
    message_label,
    say,
    wait_cursor,
)

HEADING_STYLE = "font-weight: bold; font-size: 13pt;"


class EnrolDialog(QDialog):
    enrolled = Signal(object)  # the Enrolled, once the key is trusted

    def __init__(self, gw: Gateway, library: FormLibrary, who: str, path: str | Path | None = None, parent=None):
        super().__init__(parent)
        self.gw, self.library, self.who = gw, library, who
        self.enrolment: Enrolment | None = None
        self.result_of: Enrolled | None = None
        self.refiled: list[tuple[int, str, str]] = []
        self.setWindowTitle(self.tr("Đăng ký khóa của đơn vị cấp dưới"))

        self.file_label = QLabel(self.tr("Chưa chọn tệp đăng ký khóa (.sctk)."))
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Chọn tệp..."))
        self.facts: dict[str, QLabel] = {}
        self.fingerprint = fingerprint_label(scale=2.2)
        self.instruction = QLabel(
            self.tr(
                "Gọi điện thoại cho người giữ khóa, đọc to từng nhóm bốn chữ số của mã khóa dưới đây và để họ "
                "so với mã khóa trên máy của họ (mục Khóa ký). Chỉ đăng ký khi hai bên khớp nhau từng chữ số: "
                "mã khác nhau nghĩa là tệp không phải của họ hoặc đã bị tráo."
            )
        )
        self.instruction.setWordWrap(True)
        self.replaced_label = message_label(WARNING_STYLE)
        self.confirm_box = QCheckBox(self.tr("Tôi đã đọc lại mã khóa với người giữ khóa và hai bên khớp nhau"))
        self.error_label = message_label(ERROR_STYLE)
        self.done_label = message_label(DONE_STYLE + " font-weight: bold;")
        self.refiled_list = QListWidget()
        self.refiled_list.setWordWrap(True)
        self.refiled_list.setMaximumHeight(160)
        self.refiled_list.hide()
        self.enrol_button = QPushButton(self.tr("Đăng ký"))
        self.enrol_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Hủy"))
        self.key_area = self._build_key_area()

        choose = QHBoxLayout()
        choose.addWidget(self.file_label, 1)
        choose.addWidget(self.choose_button)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.enrol_button)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        heading = QLabel(self.tr("Đăng ký khóa ký của đơn vị cấp dưới"))
        heading.setStyleSheet(HEADING_STYLE)
        column.addWidget(heading)
        column.addLayout(choose)
        column.addWidget(self.key_area)
        column.addWidget(self.error_label)
        column.addWidget(self.done_label)
        column.addWidget(self.refiled_list, 1)
        column.addLayout(buttons)
        self.setMinimumWidth(640)

        self.choose_button.clicked.connect(self._ask_file)
        self.confirm_box.toggled.connect(self._update_state)
        self.enrol_button.clicked.connect(self.enrol)
        self.close_button.clicked.connect(self.reject)
        if path is not None:
            self.load(path)
        self._update_state()

    def _build_key_area(self) -> QWidget:
        area = QWidget()
        form = QFormLayout(area)
        form.setContentsMargins(0, 0, 0, 0)
        for name, label in (
            ("unit", self.tr("Đơn vị:")),
            ("holder", self.tr("Người giữ khóa:")),
            ("title", self.tr("Chức vụ:")),
            ("created", self.tr("Ngày tạo khóa:")),
        ):
            self.facts[name] = QLabel()
            self.facts[name].setWordWrap(True)
            form.addRow(label, self.facts[name])
        form.addRow(self.tr("Mã khóa:"), self.fingerprint)
        form.addRow(self.instruction)
        form.addRow(self.replaced_label)
        form.addRow(self.confirm_box)
        area.hide()
        return area

    # ---- the file ---------------------------------------------------------------------------

    def load(self, path: str | Path) -> bool:
        """Read the key file and show what it holds; a bad file is said here, nothing kept."""
        say(self.error_label, "")
        say(self.done_label, "")
        self.confirm_box.setChecked(False)
        self.enrolment = None
        self.key_area.hide()
        self.file_label.setText(self.tr("Tệp: %1").replace("%1", str(path)))
        try:
            enrolment = read_enrolment(path)
        except UserError as exc:
            say(self.error_label, str(exc))
            self._update_state()
            return False
        self.enrolment = enrolment
        self.facts["unit"].setText(f"{enrolment.unit_name} ({self.tr('mã')} {enrolment.unit_code})")
        self.facts["holder"].setText(enrolment.holder_name)
        self.facts["title"].setText(enrolment.holder_title or self.tr("(không ghi)"))
        self.facts["created"].setText(day_of(enrolment.created_at))
        self.fingerprint.setText(enrolment.spoken)
        say(
            self.replaced_label,
            self.tr(
                "Khóa này đã được thay bằng khóa mới ngày %1: gói ký bằng nó sau ngày đó sẽ không được nhận."
            ).replace("%1", day_of(enrolment.replaced_at))
            if enrolment.replaced_at
            else "",
        )
        self.key_area.show()
        self._update_state()
        return True

    def _ask_file(self) -> None:
        path = ask_file(
            self,
            self.gw,
            self.tr("Chọn tệp đăng ký khóa"),
            self.tr("Tệp đăng ký khóa (*%1);;Mọi tệp (*)").replace("%1", SUFFIX),
        )
        if path:
            self.load(path)

    def _update_state(self) -> None:
        done = self.result_of is not None
        self.enrol_button.setVisible(not done)
        self.enrol_button.setEnabled(self.enrolment is not None and self.confirm_box.isChecked())
        self.confirm_box.setEnabled(not done)
        self.choose_button.setEnabled(not done)
        self.close_button.setText(self.tr("Đóng") if done else self.tr("Hủy"))

    # ---- the work -------------------------------------------------------------------------------

    def enrol(self) -> bool:
        """Trust the key, then file the packets that were waiting for a key; a refusal is said here."""
        say(self.error_label, "")
        if self.enrolment is None:
            say(self.error_label, self.tr("Hãy chọn tệp đăng ký khóa (.sctk) của đơn vị."))
            return False
        if not self.confirm_box.isChecked():
            say(self.error_label, self.tr("Hãy đọc lại mã khóa với người giữ khóa qua điện thoại trước khi đăng ký."))
            return False
        try:
            with wait_cursor():
                enrolled, refiled = enrol_and_refile(self.gw, self.enrolment, self.library, self.who)
        except UserError as exc:
            say(self.error_label, str(exc))
            return False
        self.result_of, self.refiled = enrolled, refiled
        e = enrolled.enrolment
        said = (
            self.tr("Đã đăng ký khóa của %1 (%2), %3.")
            if enrolled.new
            else self.tr("Khóa này của %1 (%2), %3 đã được đăng ký từ trước.")
        )
        say(self.done_label, said.replace("%1", e.unit_name).replace("%2", e.unit_code).replace("%3", e.holder_name))
        self.refiled_list.clear()
        if refiled:
            for packet_id, status, note in refiled:
                self.refiled_list.addItem(
                    self.tr("Gói số %1 đang chờ khóa: %2. %3")
                    .replace("%1", str(packet_id))
                    .replace("%2", status.words)
                    .replace("%3", note)
                )
        else:
            self.refiled_list.addItem(self.tr("Không có gói nào đang chờ khóa này."))
        self.refiled_list.show()
        self._update_state()
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        self.close_button.setFocus()
        self.enrolled.emit(enrolled)
        return True

    def refiled_lines(self) -> list[str]:
        return [self.refiled_list.item(i).text() for i in range(self.refiled_list.count())]
