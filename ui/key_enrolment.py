"""Trusting another unit's key from its key file (.sctk), in both windows: the
upper level enrols the keys of the units below (ui/upper/enrol_dialog.py),
a commune the key of its upper level (ui/commune/upper_key_dialog.py).

A key file can come from anyone; what makes it trustworthy is the phone
call. The dialog shows the key code large, computed from the key in the
file (never the file's own “spoken” text), and asks the officer to read it
back with the key holder; “Đăng ký” stays off until they tick that both
sides matched. When a different key is already on file for that unit, both
codes and their holders are shown, with what enrolling the new one means.
Each wing says what the enrolment changed (packets refiled, receipts
checked) through ``enrol_file`` and ``result_lines``.
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

from exports.collect.trust import Enrolled, KeyOnFile, other_keys_on_file
from exports.packets.enrolment import SUFFIX, Enrolment, read_enrolment
from models.errors import UserError
from models.gateway import Gateway
from models.keys import fingerprint_of, spoken_fingerprint
from ui.export_folder import ask_file
from ui.widgets import (
    DONE_STYLE,
    ERROR_STYLE,
    WARNING_STYLE,
    button_row,
    day_of,
    fingerprint_label,
    message_label,
    say,
    wait_cursor,
)

HEADING_STYLE = "font-weight: bold; font-size: 13pt;"
CHANGED_KEY_STYLE = WARNING_STYLE + " background: #fff4e0; border: 1px solid #e0b070; padding: 6px;"


def holder_words(name: str, title: str) -> str:
    return f"{name}, {title}" if title else name


class KeyEnrolmentDialog(QDialog):
    """What both wings share; a subclass gives its words and ``enrol_file``."""

    enrolled = Signal(object)  # the Enrolled, once the key is trusted
    TITLE = ""
    HEADING = ""
    NO_FILE = ""

    def __init__(self, gw: Gateway, who: str, path: str | Path | None = None, parent=None):
        super().__init__(parent)
        self.gw, self.who = gw, who
        self.enrolment: Enrolment | None = None
        self.result_of: Enrolled | None = None
        self.others: list[KeyOnFile] = []
        self.setWindowTitle(self.tr(self.TITLE))

        self.file_label = QLabel(self.tr("Chưa chọn tệp đăng ký khóa (.sctk)."))
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Chọn tệp..."))
        self.facts: dict[str, QLabel] = {}
        self.fingerprint = fingerprint_label(scale=2.2)
        self.instruction = QLabel(self.instruction_text())
        self.instruction.setWordWrap(True)
        self.replaced_label = message_label(WARNING_STYLE)
        self.changed_label = message_label(CHANGED_KEY_STYLE)  # another key already on file for the unit
        self.confirm_box = QCheckBox(self.tr("Tôi đã đọc lại mã khóa với người giữ khóa và hai bên khớp nhau"))
        self.error_label = message_label(ERROR_STYLE)
        self.done_label = message_label(DONE_STYLE + " font-weight: bold;")
        self.result_list = QListWidget()
        self.result_list.setWordWrap(True)
        self.result_list.setMaximumHeight(160)
        self.result_list.hide()
        self.enrol_button = QPushButton(self.tr("Đăng ký"))
        self.enrol_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Hủy"))
        self.key_area = self._build_key_area()

        choose = QHBoxLayout()
        choose.addWidget(self.file_label, 1)
        choose.addWidget(self.choose_button)
        buttons = button_row(self.enrol_button, self.close_button)
        column = QVBoxLayout(self)
        heading = QLabel(self.tr(self.HEADING))
        heading.setStyleSheet(HEADING_STYLE)
        column.addWidget(heading)
        column.addLayout(choose)
        column.addWidget(self.key_area)
        column.addWidget(self.error_label)
        column.addWidget(self.done_label)
        column.addWidget(self.result_list, 1)
        column.addLayout(buttons)
        self.setMinimumWidth(680)

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
        form.addRow(self.changed_label)
        form.addRow(self.replaced_label)
        form.addRow(self.confirm_box)
        area.hide()
        return area

    # ---- what each wing says and does -----------------------------------------------------

    def instruction_text(self) -> str:
        return self.tr(
            "Gọi điện thoại cho người giữ khóa, đọc to từng nhóm bốn chữ số của mã khóa ở trên và để họ "
            "so với mã khóa trên máy của họ (mục Khóa ký). Chỉ đăng ký khi hai bên khớp nhau từng chữ số: "
            "mã khác nhau nghĩa là tệp không phải của họ hoặc đã bị tráo."
        )

    def refusal(self, enrolment: Enrolment) -> str:
        """Why this wing will not enrol the file, said as soon as it is read ('' when it may)."""
        return ""

    def enrol_file(self, enrolment: Enrolment) -> tuple[Enrolled, list[str]]:
        """Trust the key; what it changed, one line each."""
        raise NotImplementedError

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
        refused = self.refusal(enrolment)
        if refused:
            say(self.error_label, refused)
            self._update_state()
            return False
        self.enrolment = enrolment
        self.facts["unit"].setText(f"{enrolment.unit_name} ({self.tr('mã')} {enrolment.unit_code})")
        self.facts["holder"].setText(enrolment.holder_name)
        self.facts["title"].setText(enrolment.holder_title or self.tr("(không ghi)"))
        self.facts["created"].setText(day_of(enrolment.created_at))
        self.fingerprint.setText(spoken_fingerprint(fingerprint_of(enrolment.public_key)))  # the key's own code
        say(
            self.replaced_label,
            self.tr(
                "Khóa này đã được thay bằng khóa mới ngày %1: những gì ký bằng nó sau ngày đó sẽ không được nhận."
            ).replace("%1", day_of(enrolment.replaced_at))
            if enrolment.replaced_at
            else "",
        )
        self.others = other_keys_on_file(self.gw, enrolment)
        say(self.changed_label, self.changed_key_text(enrolment, self.others) if self.others else "")
        self.key_area.show()
        self._update_state()
        return True

    def changed_key_text(self, enrolment: Enrolment, others: list[KeyOnFile]) -> str:
        """Both codes and who holds each, and what enrolling the new one means."""
        lines = [
            self.tr("Chú ý: máy này đã đăng ký khóa khác cho %1:").replace("%1", enrolment.unit_name),
            *(
                self.tr("• Khóa cũ, mã %1: %2; đăng ký ngày %3.")
                .replace("%1", k.spoken)
                .replace("%2", holder_words(k.holder_name, k.holder_title))
                .replace("%3", day_of(k.enrolled_at))
                for k in others
            ),
            self.tr("• Khóa trong tệp này, mã %1: %2; tạo ngày %3.")
            .replace("%1", spoken_fingerprint(fingerprint_of(enrolment.public_key)))
            .replace("%2", holder_words(enrolment.holder_name, enrolment.holder_title))
            .replace("%3", day_of(enrolment.created_at)),
            self.tr(
                "Đăng ký khóa mới này sẽ thay khóa cũ. Chỉ đăng ký khi người giữ khóa xác nhận qua điện thoại "
                "rằng đơn vị đã đổi khóa (quên mật khẩu, đổi người giữ khóa); nếu họ không đổi khóa, tệp này có "
                "thể là giả mạo."
            ),
        ]
        return "\n".join(lines)

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
        """Trust the key, then say what it changed; a refusal is said here."""
        say(self.error_label, "")
        if self.enrolment is None:
            say(self.error_label, self.tr("Hãy chọn tệp đăng ký khóa (.sctk) của đơn vị."))
            return False
        if not self.confirm_box.isChecked():
            say(self.error_label, self.tr("Hãy đọc lại mã khóa với người giữ khóa qua điện thoại trước khi đăng ký."))
            return False
        try:
            with wait_cursor():
                enrolled, lines = self.enrol_file(self.enrolment)
        except UserError as exc:
            say(self.error_label, str(exc))
            return False
        self.result_of = enrolled
        e = enrolled.enrolment
        said = (
            self.tr("Đã đăng ký khóa của %1 (%2), %3.")
            if enrolled.new
            else self.tr("Khóa này của %1 (%2), %3 đã được đăng ký từ trước.")
        )
        said = said.replace("%1", e.unit_name).replace("%2", e.unit_code).replace("%3", e.holder_name)
        say(self.done_label, f"{said} {enrolled.retired_sentence()}".strip())
        self.result_list.clear()
        self.result_list.addItems(lines)
        self.result_list.show()
        self._update_state()
        self.layout().activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        self.close_button.setFocus()
        self.enrolled.emit(enrolled)
        return True

    def result_lines(self) -> list[str]:
        return [self.result_list.item(i).text() for i in range(self.result_list.count())]
