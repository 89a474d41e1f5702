"""Qt's own words in Vietnamese: the standard buttons, message boxes, the
program's input dialogs, the print dialog's Close, Qt's (non-native) file
dialog, the context menus of a line edit, a text box and a spin box, the
print preview's toolbar. Each is opened for real with our compiled
translation (ui/translations/qtbase_vi.ts) loaded, and a walk over what it
shows fails on any English word left on a button, label, title, menu
action, tooltip or header.

The .qm is compiled by tools/setup.sh (tools/test.sh runs it first); a
developer running pytest without it, or after editing the .ts, gets one
compiled into a temporary folder here."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from qt_words import english_in, menu_words, shown_texts

from ui.app import install_qt_translation
from ui.export_folder import ask_file, dialog_options


class WhileOpen:
    """Runs ``look`` on the modal dialog (or popup menu) that an action opens and blocks in, then closes it."""

    def __init__(self, look, popup: bool = False):
        self.seen: list[QWidget] = []
        self.look = look
        self.popup = popup
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._check)
        self.timer.start()

    def _check(self) -> None:
        shown = QApplication.activePopupWidget() if self.popup else QApplication.activeModalWidget()
        if shown is None or shown in self.seen:
            return
        self.timer.stop()
        self.seen.append(shown)
        self.look(shown)
        shown.close() if self.popup else shown.reject()


def test_standard_buttons_speak_vietnamese(vietnamese_qt, qtbot):
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Close
        | QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Open
        | QDialogButtonBox.StandardButton.Yes
        | QDialogButtonBox.StandardButton.No
        | QDialogButtonBox.StandardButton.Apply
        | QDialogButtonBox.StandardButton.Reset
        | QDialogButtonBox.StandardButton.Discard
    )
    qtbot.addWidget(box)
    words = {box.standardButton(b).name: b.text().replace("&", "") for b in box.buttons()}
    assert words == {
        "Ok": "Đồng ý",
        "Cancel": "Hủy",
        "Close": "Đóng",
        "Save": "Lưu",
        "Open": "Mở",
        "Yes": "Có",
        "No": "Không",
        "Apply": "Áp dụng",
        "Reset": "Đặt lại",
        "Discard": "Bỏ thay đổi",
    }


def test_a_message_box_with_details_speaks_vietnamese(vietnamese_qt, qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "Sổ Chỉ Tiêu", "Ghi đè tệp?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDetailedText("Tệp cũ sẽ mất.")
    qtbot.addWidget(box)
    box.show()
    texts = shown_texts(box)
    assert {"Có", "Không", "Xem chi tiết..."} <= set(texts)
    assert english_in(texts) == []


def test_the_new_period_dialog_has_vietnamese_buttons(vietnamese_qt, window, qtbot):
    dialog = window.ask_new_period()  # opened without blocking (ui/commune/period_dialog.py)
    qtbot.waitUntil(dialog.isVisible)
    seen = shown_texts(dialog)
    assert {"Tạo kỳ", "Hủy"} <= set(seen)
    assert english_in(seen) == []
    dialog.reject()


def test_the_reason_for_keeping_a_figure_has_vietnamese_buttons(vietnamese_qt, window):
    findings = window.findings
    for i in range(findings.list.count()):
        findings.list.setCurrentRow(i)
        if findings.reason_button.isEnabled():
            break
    assert findings.reason_button.isEnabled(), "the demo has a warning to keep"
    seen: list[list[str]] = []
    opener = WhileOpen(lambda dialog: seen.append(shown_texts(dialog)))
    findings.ask_reason()
    assert opener.seen, "the dialog did not open"
    assert "Lý do giữ số liệu" in seen[0]
    assert {"Đồng ý", "Hủy"} <= set(seen[0])
    assert english_in(seen[0]) == []


def test_the_print_dialog_closes_in_vietnamese(vietnamese_qt, window, qtbot):
    dialog = window.open_print_dialog()
    qtbot.addWidget(dialog)
    texts = shown_texts(dialog)
    assert "Đóng" in texts
    assert english_in(texts) == []


def test_the_print_preview_toolbar_speaks_vietnamese(vietnamese_qt, qtbot):
    preview = QPrintPreviewDialog()
    qtbot.addWidget(preview)
    preview.show()
    texts = shown_texts(preview)
    assert {"Xem trước khi in", "Trang sau", "Phóng to", "Khổ ngang", "In"} <= set(texts)
    assert english_in(texts) == []


def test_the_file_dialog_is_qt_s_own_and_speaks_vietnamese(vietnamese_qt, fresh_db, tmp_path, qtbot):
    (tmp_path / "goi").mkdir()
    (tmp_path / "bao-cao.xlsx").write_bytes(b"")
    fresh_db.set_setting("last_export_dir", str(tmp_path))
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[list[str]] = []

    def look(dialog):
        assert isinstance(dialog, QFileDialog)
        if sys.platform.startswith("linux"):
            assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setViewMode(QFileDialog.ViewMode.Detail)  # the headers: name, size, type, date
        seen.append(shown_texts(dialog))

    opener = WhileOpen(look)
    assert ask_file(parent, fresh_db, "Chọn gói", "Gói Sổ Chỉ Tiêu (*.sctg)") == ""
    assert opener.seen, "the dialog did not open"
    assert {"Tìm trong:", "Tên tệp:", "Loại tệp:", "Mở", "Hủy", "Tên", "Kích thước", "Loại", "Ngày sửa"} <= set(seen[0])
    assert english_in(seen[0]) == []


def test_a_save_dialog_asks_before_overwriting_in_vietnamese(vietnamese_qt, tmp_path, qtbot):
    (tmp_path / "goi.sctg").write_bytes(b"")
    dialog = QFileDialog(None, "Lưu gói", str(tmp_path), "Gói Sổ Chỉ Tiêu (*.sctg)")
    dialog.setOptions(dialog_options())
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    assert english_in(shown_texts(dialog)) == []
    dialog.selectFile(str(tmp_path / "goi.sctg"))
    seen: list[list[str]] = []
    opener = WhileOpen(lambda box: seen.append(shown_texts(box)))
    dialog.accept()  # the file exists: Qt asks first
    assert opener.seen, "no overwrite question"
    assert any("đã có" in text for text in seen[0])
    assert english_in(seen[0]) == []


@pytest.mark.parametrize("make", [QLineEdit, QPlainTextEdit])
def test_a_text_box_context_menu_speaks_vietnamese(vietnamese_qt, qtbot, make):
    edit = make("Hà Giang")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    texts = menu_words(menu)
    assert {"Hoàn tác", "Làm lại", "Cắt", "Sao chép", "Dán", "Xóa", "Chọn tất cả"} <= set(texts)
    assert english_in(texts) == []


def test_a_spin_box_context_menu_speaks_vietnamese(vietnamese_qt, qtbot):
    spin = QSpinBox()
    spin.setRange(0, 10)
    spin.setValue(5)
    qtbot.addWidget(spin)
    spin.show()
    seen: list[list[str]] = []

    def look(menu):
        assert isinstance(menu, QMenu)
        seen.append(menu_words(menu))

    opener = WhileOpen(look, popup=True)
    QApplication.sendEvent(
        spin, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), spin.mapToGlobal(QPoint(5, 5)))
    )
    assert opener.seen, "no context menu"
    assert {"Tăng lên", "Giảm xuống", "Chọn tất cả", "Sao chép"} <= set(seen[0])
    assert english_in(seen[0]) == []


def test_without_the_compiled_file_the_program_carries_on(qapp, tmp_path):
    assert install_qt_translation(qapp, tmp_path / "khong-co.qm") is None
