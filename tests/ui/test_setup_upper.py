"""The first-run dialog's upper-level role: the province with all its
communes and its signing key in one transaction, or nothing at all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from models.keys import key_in_use, unit_keys, unlock_key
from models.setup import is_upper_level
from ui.app import open_window
from ui.setup_dialog import SetupDialog
from ui.upper.window import UpperWindow

PASSPHRASE = "mật khẩu của tỉnh"


def type_text(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def click_radio(qtbot, button) -> None:
    # on the round indicator: the button is as wide as the dialog, its label is not
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def choose_upper(dialog, qtbot) -> None:
    click_radio(qtbot, dialog.upper_role)
    assert dialog.upper_role.isChecked()


def fill(dialog, passphrase: str = PASSPHRASE, repeated: str | None = None) -> None:
    type_text(dialog.upper_name_edit, "Giàng Thị Dung")
    type_text(dialog.upper_title_edit, "Chuyên viên Ban Tuyên giáo và Dân vận Tỉnh ủy")
    dialog.upper_passphrase_edit.setText(passphrase)
    dialog.upper_repeat_edit.setText(passphrase if repeated is None else repeated)


def test_the_roles_and_what_each_shows(dialog, qtbot):
    assert dialog.commune_role.text() == "Xã, phường: nhập số liệu và gửi lên"
    assert dialog.upper_role.text() == "Cấp trên: nhận gói và tổng hợp (tỉnh)"
    assert dialog.commune_role.isChecked()
    assert dialog.commune_page.isVisible() and not dialog.upper_page.isVisible()
    assert dialog.demo_button.isVisible() and not dialog.upper_demo_button.isVisible()
    choose_upper(dialog, qtbot)
    assert dialog.upper_page.isVisible() and not dialog.commune_page.isVisible()
    assert dialog.upper_demo_button.isVisible() and dialog.upper_demo_button.text() == "Mở dữ liệu mẫu cấp tỉnh"
    assert not dialog.demo_button.isVisible()
    assert dialog.upper_province_box.currentText() == "Tỉnh Lai Châu"
    assert dialog.upper_count_label.text() == "Nhận báo cáo của 38 xã, phường trực thuộc"
    assert not dialog.create_button.isEnabled()  # no officer yet
    type_text(dialog.upper_name_edit, "Giàng Thị Dung")
    assert dialog.create_button.isEnabled()
    click_radio(qtbot, dialog.commune_role)
    assert not dialog.create_button.isEnabled()  # the commune form is still empty


def test_create_writes_the_province_its_communes_and_its_key(dialog, qtbot, fresh_db):
    choose_upper(dialog, qtbot)
    fill(dialog)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created_unit_code == "12"
    assert fresh_db.unit("12").name == "Tỉnh Lai Châu"
    communes = fresh_db.children("12")
    assert len(communes) == 38 and {c.kind for c in communes} == {"xã", "phường"}
    assert fresh_db.setting("home_unit") == "12" and fresh_db.setting("officer_name") == "Giàng Thị Dung"
    assert is_upper_level(fresh_db)
    key = key_in_use(fresh_db, "12")
    assert key is not None and not key.demo and key.holder_name == "Giàng Thị Dung"
    assert unlock_key(fresh_db, key, PASSPHRASE)
    assert dialog.upper_passphrase_edit.text() == dialog.upper_repeat_edit.text() == ""


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("ngắn", "ngắn", "Mật khẩu khóa ký cần ít nhất 8 ký tự."),
        (PASSPHRASE, PASSPHRASE + "x", "Hai lần nhập mật khẩu không giống nhau."),
    ],
)
def test_a_refused_passphrase_leaves_the_database_empty(dialog, qtbot, fresh_db, first, second, message):
    choose_upper(dialog, qtbot)
    fill(dialog, first, second)
    assert dialog.create_upper() is False
    assert dialog.error_label.text() == message and dialog.error_label.isVisible()
    assert fresh_db.db["units"].count == 0  # the province and its communes written first are gone too
    assert fresh_db.setting("home_unit") is None and fresh_db.setting("officer_name") is None
    assert unit_keys(fresh_db, "12") == []
    assert dialog.upper_passphrase_edit.text() == dialog.upper_repeat_edit.text() == ""
    assert dialog.upper_name_edit.text() == "Giàng Thị Dung"
    dialog.upper_passphrase_edit.setText(PASSPHRASE)
    dialog.upper_repeat_edit.setText(PASSPHRASE)
    assert dialog.create_upper()
    assert len(fresh_db.children("12")) == 38


def test_another_province(dialog, qtbot, fresh_db):
    choose_upper(dialog, qtbot)
    dialog.upper_province_box.setCurrentIndex(dialog.upper_province_box.findData("01"))
    fill(dialog)
    assert dialog.create_upper()
    assert fresh_db.setting("home_unit") == "01" and len(fresh_db.children("01")) > 38


def test_the_upper_demo(dialog, qtbot, fresh_db):
    choose_upper(dialog, qtbot)
    qtbot.mouseClick(dialog.upper_demo_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.created_unit_code == "12"
    assert len(fresh_db.children("12")) == 38 and fresh_db.db["collections"].count == 2
    assert fresh_db.db["trusted_keys"].count == 3


def test_the_upper_demo_on_a_filled_database_is_refused_in_the_dialog(qtbot, demo_db, library):
    dialog = SetupDialog(demo_db, library)
    qtbot.addWidget(dialog)
    before = demo_db.db["units"].count
    assert not dialog.open_upper_demo()
    assert "đã có" in dialog.error_label.text() and demo_db.db["units"].count == before


def test_after_setup_the_app_opens_the_upper_window(dialog, qtbot, fresh_db):
    choose_upper(dialog, qtbot)
    fill(dialog)
    assert dialog.create_upper()
    window = open_window(fresh_db.path)
    qtbot.addWidget(window)
    try:
        assert isinstance(window, UpperWindow)
        assert window.form_box.count() == 0  # nothing collected yet: the tabs say how to start
        window.show()
        for view in (window.completeness_view, window.merged_view):  # each built when its tab is shown
            window.tabs.setCurrentWidget(view)
            assert "Mở kỳ thu biểu" in view.note.text()
    finally:
        window.close()
