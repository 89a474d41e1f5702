"""“In...”: choose what to print, check the lines of the official header, then preview or save a PDF.

The header and signature lines start from the level's defaults (or what was
typed last time) and are remembered when the officer prints. A unit's form
also chooses how it prints (exports/paper/layout.py): a report with a short
text of the clerk's, an annex of a document, or the village sheets, starting
from the form's default or the last choice for this unit and form, and
remembered the same way. The preview and the PDF are painted by
ui/printing.py from the same PrintedDocument.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from exports.paper.layout import MODE_WORDS, MODES, VILLAGES_PER_SHEET, Layout, layout_for, save_layout
from exports.paper.letterhead import PageSettings, page_settings, save_page_settings
from exports.paper.page import PrintedDocument
from forms.schema import FormDef
from models.errors import UserError, os_error_words
from models.gateway import Gateway
from models.units import Unit
from ui.export_folder import dialog_options, export_folder, remember_folder, with_suffix
from ui.printing import preview, write_pdf
from ui.widgets import fit_to_screen, scrolling

# What a printout is built from: the page settings, whether blank, whether amounts go in words; for a
# unit's form (the dialog given ``form``), the layout as well.
Builder = Callable[[PageSettings, bool, bool], PrintedDocument]
FormBuilder = Callable[[PageSettings, bool, bool, Layout], PrintedDocument]

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
        build: Builder | FormBuilder,
        *,
        title: str,
        can_blank: bool = False,
        form: FormDef | None = None,
        has_money: bool = False,
        signed: PageSettings | None = None,
        modes: tuple[str, ...] = MODES,
        layout: Layout | None = None,
        parent: QWidget | None = None,
    ):
        """``form``: a unit's form, which may be printed blank and chooses its layout (``build`` then takes it).
        ``signed``: the page a packet was signed with, for a reprint of it: the lines start from it and are
        not remembered as the unit's lines for new pages. ``modes``: the ways it may print (a merged table:
        a report or an annex, never blank nor village sheets). ``layout``: where the choice starts, for a
        reprint (not remembered then); else what was chosen last for this unit and form."""
        super().__init__(parent)
        self.gw, self.unit, self.build, self.form = gw, unit, build, form
        self.signed_lines, self.modes = signed, modes
        can_blank = can_blank or (form is not None and "village" in modes)
        self.can_blank = can_blank
        self.setWindowTitle(title)
        settings = signed or page_settings(gw, unit)
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
        content = QWidget()  # scrolls where the screen is too low for it (1366×768 at 125%)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        if self.form is not None:
            column.addWidget(self._layout_box(layout or layout_for(gw, unit, self.form)))
        if can_blank:
            self.kind_box = QGroupBox(self.tr("In"))
            kind_column = QVBoxLayout(self.kind_box)
            kind_column.addWidget(self.filled)
            kind_column.addWidget(self.blank)
            column.addWidget(self.kind_box)
        column.addWidget(self.words)
        header = QGroupBox(self.tr("Tiêu đề và chữ ký (theo Hướng dẫn 36-HD/VPTW; lưu cho lần in sau)"))
        header.setLayout(form)
        column.addWidget(header)
        self.header_box = header
        hint = QLabel(self.tr("Để trống số văn bản nếu văn thư ghi tay khi ban hành."))
        hint.setWordWrap(True)
        column.addWidget(hint)
        column.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(scrolling(content), 1)
        outer.addWidget(buttons)
        wanted = content.sizeHint().height() + buttons.sizeHint().height() + 3 * outer.spacing() + 24
        fit_to_screen(self, 640, wanted)
        if self.form is not None:
            self._mode_chosen()

    def _layout_box(self, layout: Layout) -> QGroupBox:
        """The choice of mode and, under it, the fields of the chosen mode only."""
        box = QGroupBox(self.tr("Dạng in (lưu cho lần in sau của biểu này)"))
        rows = QFormLayout(box)
        self.mode = QComboBox()
        for mode in self.modes:
            self.mode.addItem(self.tr(MODE_WORDS[mode]), mode)
        self.mode.setCurrentIndex(max(self.mode.findData(layout.mode), 0))
        rows.addRow(self.tr("In dạng:"), self.mode)
        self.body = QPlainTextEdit(layout.body)
        self.body.setPlaceholderText(self.tr("Đoạn văn in giữa tên biểu và bảng số liệu (có thể để trống)"))
        self.body.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.annex_number = QLineEdit(layout.annex_number)
        self.annex_number.setPlaceholderText(self.tr("ví dụ 01"))
        self.annex_of = QLineEdit(layout.annex_of)
        example = "ví dụ Báo cáo số 12-BC/ĐU ngày 05/01/2026 của Ban Thường vụ Đảng ủy xã"
        self.annex_of.setPlaceholderText(self.tr(example))
        self.signed = QCheckBox(self.tr("Ký tên dưới phụ lục"))
        self.signed.setChecked(layout.signed)
        self.per_sheet = QSpinBox()
        self.per_sheet.setRange(VILLAGES_PER_SHEET[0], VILLAGES_PER_SHEET[-1])
        self.per_sheet.setValue(layout.villages_per_sheet)
        self.mode_rows = {
            "report": [(self.tr("Nội dung báo cáo:"), self.body)],
            "annex": [
                (self.tr("Số phụ lục:"), self.annex_number),
                (self.tr("Kèm theo:"), self.annex_of),
                ("", self.signed),
            ],
            "village": [(self.tr("Số bản trên một phiếu:"), self.per_sheet)],
        }
        for fields in self.mode_rows.values():
            for label, widget in fields:
                rows.addRow(label, widget)
        self.layout_rows = rows
        self.mode.currentIndexChanged.connect(self._mode_chosen)
        return box

    def _mode_chosen(self) -> None:
        """Show the fields of the chosen mode; the village sheets are always blank and name no committee."""
        chosen = self.chosen_mode()
        for mode, fields in self.mode_rows.items():
            for _label, widget in fields:
                self.layout_rows.setRowVisible(widget, mode == chosen)
        village = chosen == "village"
        if self.can_blank:
            self.kind_box.setEnabled(not village)
        self.words.setEnabled(not village)
        self.header_box.setEnabled(not village)  # a village sheet names no committee and no signer

    def chosen_mode(self) -> str:
        return self.mode.currentData()

    def chosen_layout(self) -> Layout:
        """The layout as chosen in the dialog (only for a unit's form)."""
        return Layout(
            mode=self.chosen_mode(),
            body=self.body.toPlainText().strip(),
            annex_number=self.annex_number.text().strip(),
            annex_of=self.annex_of.text().strip(),
            signed=self.signed.isChecked(),
            villages_per_sheet=self.per_sheet.value(),
        )

    def settings(self) -> PageSettings:
        typed = {name: edit.text().strip() for name, edit in self.edits.items()}
        lines = tuple(line.strip() for line in self.recipients.toPlainText().splitlines() if line.strip())
        return replace(self.signed_lines or page_settings(self.gw, self.unit), **typed, recipients=lines)

    def document(self) -> PrintedDocument:
        """The printout as chosen; the header lines are remembered for next time."""
        settings = self.settings()
        layout = self.chosen_layout() if self.form is not None else None
        try:
            if self.signed_lines is None:
                save_page_settings(self.gw, self.unit, settings)
            if layout is not None and self.signed_lines is None:
                save_layout(self.gw, self.unit, self.form, layout)
        except UserError:
            pass  # a database that cannot be written still prints, it only forgets the lines
        if layout is None:
            return self.build(settings, self.blank.isChecked(), self.words.isChecked())
        return self.build(settings, self.blank.isChecked(), self.words.isChecked(), layout)

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
            self,
            self.tr("Xuất PDF"),
            str(export_folder(self.gw) / f"{document.name}.pdf"),
            self.tr("Tệp PDF (*.pdf)"),
            options=dialog_options(),
        )
        if path:
            written = self.export_pdf(path, document)
            if written:
                QMessageBox.information(self, self.windowTitle(), self.tr("Đã lưu “{0}”.").format(written))
