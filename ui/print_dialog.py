"""“In...”: choose what to print, check the lines of the official header, then preview or save a PDF.

The header and signature lines start from the level's defaults (or what was
typed last time) and are remembered when the officer prints. The preview and
the PDF are painted by ui/printing.py from the same PrintedDocument.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from exports.paper.letterhead import PageSettings, page_settings, save_page_settings
from exports.paper.page import PrintedDocument
from models.errors import UserError, os_error_words
from models.gateway import Gateway
from models.units import Unit
from ui.export_folder import export_folder, remember_folder, with_suffix
from ui.printing import preview, write_pdf

# What a printout is built from: the page settings, whether blank, whether amounts go in words.
Builder = Callable[[PageSettings, bool, bool], PrintedDocument]

FIELDS = (
    ("superior", "Cơ quan cấp trên:"),
    ("issuer", "Cơ quan ban hành:"),
    ("number", "Số, ký hiệu:"),
    ("place", "Địa danh:"),
    ("on_behalf", "Thẩm quyền ký (T/M...):"),
    ("signer_title", "Chức vụ người ký:"),
    ("signer_name", "Họ tên người ký:"),
)


class PrintDialog(QDialog):
    def __init__(
        self,
        gw: Gateway,
        unit: Unit,
        build: Builder,
        *,
        title: str,
        can_blank: bool = False,
        has_money: bool = False,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.gw, self.unit, self.build = gw, unit, build
        self.setWindowTitle(title)
        settings = page_settings(gw, unit)
        self.filled = QRadioButton(self.tr("Biểu đã điền số liệu"))
        self.blank = QRadioButton(self.tr("Biểu trắng để ghi tay tại bản (tên các bản, ô để trống)"))
        self.filled.setChecked(True)
        self.words = QCheckBox(self.tr("Ghi số tiền (đồng) bằng chữ"))
        self.words.setVisible(has_money)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, label in FIELDS:
            edit = QLineEdit(getattr(settings, name))
            self.edits[name] = edit
            form.addRow(self.tr(label), edit)
        self.recipients = QPlainTextEdit("\n".join(settings.recipients))
        self.recipients.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form.addRow(self.tr("Nơi nhận (mỗi dòng một nơi):"), self.recipients)
        self.preview_button = QPushButton(self.tr("Xem trước và in..."))
        self.pdf_button = QPushButton(self.tr("Xuất PDF..."))
        self.preview_button.setDefault(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.preview_button.clicked.connect(self.open_preview)
        self.pdf_button.clicked.connect(self._ask_pdf)
        column = QVBoxLayout(self)
        if can_blank:
            kind = QGroupBox(self.tr("In"))
            kind_column = QVBoxLayout(kind)
            kind_column.addWidget(self.filled)
            kind_column.addWidget(self.blank)
            column.addWidget(kind)
        column.addWidget(self.words)
        header = QGroupBox(self.tr("Tiêu đề và chữ ký (theo Hướng dẫn 36-HD/VPTW; lưu cho lần in sau)"))
        header.setLayout(form)
        column.addWidget(header)
        hint = QLabel(self.tr("Để trống số văn bản nếu văn thư ghi tay khi ban hành."))
        hint.setWordWrap(True)
        column.addWidget(hint)
        column.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def settings(self) -> PageSettings:
        typed = {name: edit.text().strip() for name, edit in self.edits.items()}
        lines = tuple(line.strip() for line in self.recipients.toPlainText().splitlines() if line.strip())
        return replace(page_settings(self.gw, self.unit), **typed, recipients=lines)

    def document(self) -> PrintedDocument:
        """The printout as chosen; the header lines are remembered for next time."""
        settings = self.settings()
        try:
            save_page_settings(self.gw, self.unit, settings)
        except UserError:
            pass  # a database that cannot be written still prints, it only forgets the lines
        return self.build(settings, self.blank.isChecked(), self.words.isChecked())

    def open_preview(self):
        """The print preview over this dialog; None (with a message) when the page cannot be built."""
        try:
            return preview(self.document(), self)
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return None

    def export_pdf(self, path: str | Path, document: PrintedDocument | None = None) -> Path | None:
        """Write the PDF; None, with a message, when it cannot be written (nothing is left half-written)."""
        try:
            written = write_pdf(document or self.document(), with_suffix(path, ".pdf"))
        except (UserError, OSError) as exc:
            why = os_error_words(exc) if isinstance(exc, OSError) else str(exc)
            QMessageBox.warning(self, self.windowTitle(), self.tr("Không ghi được tệp PDF: {0}").format(why))
            return None
        remember_folder(self.gw, written.parent)
        return written

    def _ask_pdf(self) -> None:
        try:
            document = self.document()
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Xuất PDF"), str(export_folder(self.gw) / f"{document.name}.pdf"), self.tr("Tệp PDF (*.pdf)")
        )
        if path:
            written = self.export_pdf(path, document)
            if written:
                QMessageBox.information(self, self.windowTitle(), self.tr("Đã lưu “{0}”.").format(written))
