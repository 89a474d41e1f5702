"""“Mở thư mục” where no file manager opens the folder (offscreen, as on a
machine without one, QDesktopServices.openUrl says False): the dialog shows
the folder's path, selectable, and “Chép đường dẫn” puts it on the clipboard."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from models.keys import DEMO_PASSPHRASE
from models.reporting import view_report
from ui.commune.sign_dialog import DONE, SignDialog


def signed_dialog(qtbot, gw, library, folder) -> SignDialog:
    report = gw.find_report("03445", "kl224", "2024")
    dialog = SignDialog(gw, view_report(gw, report, library.get(report.form_id, report.form_version)))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(folder / "bao-cao-2024.sctg"))
    dialog.passphrase_edit.setText(DEMO_PASSPHRASE)
    assert dialog.sign() and dialog.state == DONE
    return dialog


def test_where_no_file_manager_opens_the_folder_its_path_is_shown_and_can_be_copied(qtbot, demo_db, library, tmp_path):
    folder = tmp_path / "gói gửi huyện"
    folder.mkdir()
    assert not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))  # nothing opens it here
    dialog = signed_dialog(qtbot, demo_db, library, folder)
    assert not dialog.folder_label.isVisible() and not dialog.copy_path_button.isVisible()

    qtbot.mouseClick(dialog.open_folder_button, Qt.MouseButton.LeftButton)
    assert dialog.folder_label.isVisible()
    assert dialog.folder_label.text() == f"Không mở được trình quản lý tệp. Gói đã lưu tại: {folder}"
    assert dialog.folder_label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert dialog.copy_path_button.isVisible() and dialog.copy_path_button.text() == "Chép đường dẫn"
    for label in (dialog.folder_label, dialog.done_label):  # the dialog grew: no line cut off at the bottom
        assert label.height() >= label.heightForWidth(label.width())
    dialog.grab().save(str(tmp_path / "open-folder.png"))

    QGuiApplication.clipboard().setText("")
    qtbot.mouseClick(dialog.copy_path_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == str(folder)
