"""“Gửi xuống cấp dưới”: the upper level signs what its units below need, as
one .sctp file each (docs/packet-format.md): a version of a form it issued
(Biểu mẫu › Nhập biểu từ Excel...), a target set it set (Đơn vị › Bộ mục
tiêu của đơn vị...), or a collection notice (form, period, deadline, note)
that also opens or extends the same collection here. The command line's
twins are ``forms publish``, ``targets publish`` and ``collection publish``."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from forms.library import FormLibrary
from models.errors import UserError
from models.gateway import Gateway
from models.target_store import kept_target_sets
from ui.upper.answer_dialogs import SigningFields
from ui.widgets import DONE_STYLE, ERROR_STYLE, button_row, fit_height, message_label, say

FORM, NOTICE, TARGETS = "form", "collection", "target_set"
NO_TARGET_SET = "Đơn vị chưa đặt bộ mục tiêu nào cho biểu này (Đơn vị › Bộ mục tiêu của đơn vị...)."
SHIPPED_ALREADY_THERE = "Biểu kèm theo chương trình thì các đơn vị đã có; chỉ gửi phiên bản đơn vị ban hành."


class PublishDialog(QDialog):
    published = Signal(object)  # exports.publications.publish.Published

    def __init__(self, gw: Gateway, library: FormLibrary, form_id: str, what: str, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.library, self.form_id, self.who = gw, library, form_id, who
        home = gw.setting("home_unit") or ""
        self.setWindowTitle(self.tr("Gửi xuống cấp dưới"))
        self.form_choice = QRadioButton(self.tr("Biểu mẫu: một phiên bản đơn vị đã ban hành"))
        self.notice_choice = QRadioButton(self.tr("Thông báo thu biểu: kỳ, hạn nộp, lời dặn"))
        self.targets_choice = QRadioButton(self.tr("Bộ mục tiêu đơn vị đã đặt cho biểu này"))
        {FORM: self.form_choice, NOTICE: self.notice_choice, TARGETS: self.targets_choice}[what].setChecked(True)
        self.set_box = QComboBox()
        for stored in kept_target_sets(gw, form_id):
            if stored.owner == home and self.set_box.findData(stored.set_id) < 0:
                self.set_box.addItem(f"{stored.name} ({stored.set_id})", stored.set_id)
        self.version_box = QComboBox()
        own = [key for key in library.keys() if key[0] == form_id and key[1] == home]
        for _id, _publisher, version in reversed(own):
            self.version_box.addItem(self.tr("phiên bản %1 của đơn vị").replace("%1", str(version)), version)
        self.shipped_version = library.get(form_id)
        if self.shipped_version is not None:  # a notice may ask for the program's version
            self.version_box.addItem(
                self.tr("phiên bản %1 của chương trình").replace("%1", str(self.shipped_version.version)), None
            )
        today = dt.date.today()
        self.period_edit = QLineEdit(str(today.year))  # this year's report, due in the new year
        self.period_edit.setPlaceholderText(self.tr("2026, 2026-H1, 2026-Q3 hoặc 2026-2030"))
        self.deadline_edit = QDateEdit(QDate(today.year + 1, 1, 15))
        self.deadline_edit.setDisplayFormat("dd/MM/yyyy")
        self.deadline_edit.setCalendarPopup(True)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("ví dụ: nộp cùng báo cáo năm"))
        self.signing = SigningFields(self, gw, home or None)
        self.error_label = message_label(ERROR_STYLE)
        self.done_label = message_label(DONE_STYLE + " font-weight: bold;")
        self.sign_button = QPushButton(self.tr("Ký và lưu"))
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self.sign)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        heading = QLabel(
            self.tr("Biểu %1: ký bằng khóa của đơn vị, gửi tệp .sctp cho các đơn vị cấp dưới.").replace("%1", form_id)
        )
        heading.setWordWrap(True)
        fields = QFormLayout()
        fields.addRow(self.tr("Phiên bản:"), self.version_box)
        fields.addRow(self.tr("Bộ mục tiêu:"), self.set_box)
        fields.addRow(self.tr("Kỳ báo cáo:"), self.period_edit)
        fields.addRow(self.tr("Hạn nộp:"), self.deadline_edit)
        fields.addRow(self.tr("Lời dặn:"), self.note_edit)
        self.notice_rows = [self.period_edit, self.deadline_edit, self.note_edit]
        self.signing.add_to(fields, self)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(self.form_choice)
        column.addWidget(self.notice_choice)
        column.addWidget(self.targets_choice)
        column.addLayout(fields)
        column.addWidget(self.error_label)
        column.addWidget(self.done_label)
        column.addLayout(button_row(self.sign_button, close))
        for choice in (self.form_choice, self.notice_choice, self.targets_choice):
            choice.toggled.connect(self._kind_chosen)
        self._kind_chosen()
        fit_height(self, 620)

    def what(self) -> str:
        if self.targets_choice.isChecked():
            return TARGETS
        return FORM if self.form_choice.isChecked() else NOTICE

    def _kind_chosen(self, *_args) -> None:
        what = self.what()
        for widget in self.notice_rows:
            widget.setEnabled(what == NOTICE)
        self.version_box.setEnabled(what != TARGETS)
        self.set_box.setEnabled(what == TARGETS)
        if what == FORM and self.version_box.currentData() is None:
            say(self.error_label, self.tr("Đơn vị chưa ban hành phiên bản nào của biểu này: nhập biểu từ Excel trước."))
        elif what == TARGETS and self.set_box.count() == 0:
            say(
                self.error_label,
                self.tr("Đơn vị chưa đặt bộ mục tiêu nào cho biểu này (Đơn vị › Bộ mục tiêu của đơn vị...)."),
            )
        else:
            say(self.error_label, "")

    def sign(self):
        """Sign what was chosen into the folder given; the Published, or None with the reason in the dialog."""
        done = self.signing.publish(self.gw, self._publish, self.error_label, self.done_label)
        if done is not None:
            self.published.emit(done)
            fit_height(self)
        return done

    def _publish(self, passphrase: str, folder: str):
        from exports.publications.publish import publish_collection, publish_form, publish_target_set

        if self.what() == TARGETS:
            if self.set_box.currentData() is None:
                raise UserError(self.tr("Chưa có bộ mục tiêu nào của đơn vị để gửi."))
            return publish_target_set(self.gw, self.form_id, self.set_box.currentData(), passphrase, folder, self.who)
        if self.what() == FORM:
            version = self.version_box.currentData()
            if version is None:
                raise UserError(
                    self.tr("Biểu kèm theo chương trình thì các đơn vị đã có; chỉ gửi phiên bản đơn vị ban hành.")
                )
            return publish_form(self.gw, self.form_id, version, passphrase, folder, self.who)
        return publish_collection(
            self.gw, self.form_id, self.version_box.currentData(), self.period_edit.text().strip(),
            self.deadline_edit.date().toPython(), self.note_edit.text().strip(), passphrase, folder, self.who,
        )  # fmt: skip
