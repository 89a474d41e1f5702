"""Start collecting a form for a period, with its deadline: until then the
units' packets for it are refused (kept out, to be imported again later)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from forms.library import FormLibrary
from models.errors import BadInput, UserError
from models.gateway import Gateway
from ui.widgets import ERROR_STYLE, button_row, message_label, say


def open_collection_said(gw: Gateway, library: FormLibrary, form_id: str, period_code: str, deadline) -> str:
    """Open the collection; what to tell the officer. UserError when refused."""
    form = library.get(form_id)
    if form is None:
        raise BadInput(f"Không có biểu “{form_id}”.")
    if not period_code.strip():
        raise BadInput("Hãy nhập kỳ báo cáo, ví dụ 2025, 2025-H1 hoặc 2021-2025.")
    from exports.collect.inbox import open_collection  # the import's machinery waits until it is needed

    return open_collection(gw, form, gw.period(period_code).code, deadline)


class CollectionDialog(QDialog):
    opened = Signal(str, str)  # form id, period code

    def __init__(self, gw: Gateway, library: FormLibrary, parent=None):
        super().__init__(parent)
        self.gw, self.library = gw, library
        self.said = ""
        self.setWindowTitle(self.tr("Mở kỳ thu biểu"))
        self.form_box = QComboBox()
        for form in library.all():
            self.form_box.addItem(f"{form.id} — {form.title}", form.id)
        self.period_edit = QLineEdit(str(dt.date.today().year))
        self.period_edit.setPlaceholderText(self.tr("2025, 2025-H1, 2025-Q3 hoặc 2021-2025"))
        self.has_deadline = QCheckBox(self.tr("Có hạn nộp"))
        self.has_deadline.setChecked(True)
        self.deadline_edit = QDateEdit()
        self.deadline_edit.setDisplayFormat("dd/MM/yyyy")
        self.deadline_edit.setCalendarPopup(True)
        self.deadline_edit.setDate(QDate(dt.date.today().year + 1, 1, 15))
        self.error_label = message_label(ERROR_STYLE)
        self.open_button = QPushButton(self.tr("Mở kỳ"))
        self.open_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Hủy"))
        explanation = QLabel(
            self.tr(
                "Chỉ nhận gói của biểu và kỳ đã mở; gói đến trước khi mở kỳ bị từ chối, nhập lại sau khi mở. "
                "Đơn vị gửi sau hạn nộp được ghi là nộp trễ."
            )
        )
        explanation.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Biểu:"), self.form_box)
        form.addRow(self.tr("Kỳ báo cáo:"), self.period_edit)
        deadline = QHBoxLayout()
        deadline.addWidget(self.has_deadline)
        deadline.addWidget(self.deadline_edit, 1)
        form.addRow(self.tr("Hạn nộp:"), deadline)
        buttons = button_row(self.open_button, self.cancel_button)
        column = QVBoxLayout(self)
        column.addWidget(explanation)
        column.addLayout(form)
        column.addWidget(self.error_label)
        column.addLayout(buttons)
        self.setMinimumWidth(560)
        self.has_deadline.toggled.connect(self.deadline_edit.setEnabled)
        self.open_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

    def deadline(self) -> dt.date | None:
        return self.deadline_edit.date().toPython() if self.has_deadline.isChecked() else None

    def submit(self) -> bool:
        say(self.error_label, "")
        form_id, period_code = self.form_box.currentData(), self.period_edit.text().strip()
        try:
            self.said = open_collection_said(self.gw, self.library, form_id, period_code, self.deadline())
        except UserError as exc:
            say(self.error_label, str(exc))
            return False
        self.opened.emit(form_id, self.gw.period(period_code).code)
        self.accept()
        return True
