"""The first-run dialog, driven offscreen over a real database file."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from models.keys import key_in_use, unit_keys, unlock_key
from ui.setup_dialog import SetupDialog

VILLAGES = "Bản Nà Hừ\nBản Pa Ủ\nBản Nậm Củm\n"
PASSPHRASE = "mật khẩu của xã"


def type_text(widget, text: str) -> None:
    """Type any text, one key event per character (keyClicks aborts on non-ASCII)."""
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def listed(dialog: SetupDialog) -> list[str]:
    return [dialog.commune_list.item(i).text() for i in range(dialog.commune_list.count())]


def choose(dialog: SetupDialog, code: str) -> None:
    for i in range(dialog.commune_list.count()):
        if dialog.commune_list.item(i).data(Qt.ItemDataRole.UserRole) == code:
            dialog.commune_list.setCurrentRow(i)
            return
    raise AssertionError(f"{code} not listed")


def fill(dialog: SetupDialog, qtbot, villages: str = VILLAGES) -> None:
    qtbot.keyClicks(dialog.search_edit, "muong te")
    dialog.villages_edit.setPlainText(villages)
    type_text(dialog.name_edit, "Lò Thị Mai")
    type_text(dialog.title_edit, "Công chức Văn hóa - Xã hội")
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.repeat_edit.setText(PASSPHRASE)


def test_labels_are_vietnamese_with_diacritics(dialog):
    assert dialog.windowTitle() == "Bắt đầu sử dụng Sổ Chỉ Tiêu"
    assert [b.text() for b in (dialog.create_button, dialog.demo_button, dialog.cancel_button)] == [
        "Tạo",
        "Mở dữ liệu mẫu",
        "Hủy",
    ]
    assert "không dấu" in dialog.search_edit.placeholderText()
    assert [dialog.kind_box.itemText(i) for i in range(dialog.kind_box.count())] == ["bản", "thôn", "tổ dân phố"]


def test_opens_on_lai_chau_with_all_its_communes(dialog):
    assert dialog.province_box.currentData() == "12"
    assert dialog.province_box.currentText() == "Tỉnh Lai Châu"
    assert len(listed(dialog)) == 38
    assert dialog.kind_box.currentText() == "bản"


def test_search_without_diacritics_finds_muong_te(dialog, qtbot):
    qtbot.keyClicks(dialog.search_edit, "muong te")
    assert listed(dialog) == ["Xã Mường Tè"]
    assert dialog.commune_code() == "03445"  # the only match is chosen
    dialog.search_edit.clear()
    assert len(listed(dialog)) == 38
    assert dialog.commune_code() == "03445"  # still chosen when the list widens


def test_search_typed_in_vietnamese_filters(dialog):
    type_text(dialog.search_edit, "Mường")
    assert dialog.search_edit.text() == "Mường"
    assert listed(dialog) == ["Xã Mường Tè", "Xã Mường Mô", "Xã Mường Khoa", "Xã Mường Than", "Xã Mường Kim"]


def test_another_province_lists_its_own_communes(dialog, qtbot):
    dialog.province_box.setCurrentIndex(dialog.province_box.findData("01"))
    assert listed(dialog) and "Xã Mường Tè" not in listed(dialog)
    qtbot.keyClicks(dialog.search_edit, "muong te")
    assert listed(dialog) == []
    assert dialog.commune_code() is None


def test_pasting_a_column_from_excel_counts_the_villages(dialog):
    QApplication.clipboard().setText("Bản Nà Hừ\t120\r\nBản Pa Ủ\t80\r\n\r\n  Bản Nậm Củm \t\r\n")
    dialog.villages_edit.paste()
    assert dialog.village_names() == ["Bản Nà Hừ", "Bản Pa Ủ", "Bản Nậm Củm"]
    assert dialog.count_label.text() == "3 bản"
    dialog.kind_box.setCurrentText("thôn")
    assert dialog.count_label.text() == "3 thôn"


def test_a_ward_is_divided_into_to_dan_pho(dialog, qtbot):
    qtbot.keyClicks(dialog.search_edit, "tan phong")
    assert dialog.commune_code() == "03408"
    assert dialog.kind_box.currentText() == "tổ dân phố"
    dialog.search_edit.clear()
    choose(dialog, "03390")  # back to a xã: the ward's guess is undone
    assert dialog.kind_box.currentText() == "bản"
    dialog.kind_box.setCurrentText("thôn")
    choose(dialog, "03445")  # the user's own choice stays
    assert dialog.kind_box.currentText() == "thôn"


def test_create_is_enabled_only_when_everything_needed_is_there(dialog, qtbot, fresh_db):
    assert not dialog.create_button.isEnabled()
    assert not dialog.create()  # called anyway: told what is missing, nothing written
    assert dialog.error_label.text() == "Hãy chọn xã, phường trong danh sách."
    assert fresh_db.db["units"].count == 0
    qtbot.keyClicks(dialog.search_edit, "muong te")
    assert not dialog.create_button.isEnabled()
    dialog.villages_edit.setPlainText("Bản Nà Hừ")
    assert not dialog.create_button.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "   ")
    assert not dialog.create_button.isEnabled()  # blanks are not a name
    type_text(dialog.name_edit, "Lò Thị Mai")
    assert dialog.create_button.isEnabled()
    dialog.villages_edit.setPlainText("\n \t\n")
    assert not dialog.create_button.isEnabled()
    dialog.villages_edit.setPlainText("Bản Nà Hừ")
    qtbot.keyClicks(dialog.search_edit, "zzz")
    assert not dialog.create_button.isEnabled()  # the chosen commune is filtered away


def test_create_writes_province_commune_villages_and_officer(dialog, qtbot, fresh_db):
    fill(dialog, qtbot)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.created_unit_code == "03445"
    assert fresh_db.unit("12").name == "Tỉnh Lai Châu"
    commune = fresh_db.unit("03445")
    assert (commune.name, commune.parent_code) == ("Xã Mường Tè", "12")
    villages = fresh_db.villages_of("03445")
    assert [v.name for v in villages] == ["Bản Nà Hừ", "Bản Pa Ủ", "Bản Nậm Củm"]
    assert {v.kind for v in villages} == {"bản"}
    assert fresh_db.setting("home_unit") == "03445"
    assert fresh_db.setting("officer_name") == "Lò Thị Mai"
    assert fresh_db.setting("officer_title") == "Công chức Văn hóa - Xã hội"


def test_a_decomposed_duplicate_is_refused_and_nothing_is_written(dialog, qtbot, fresh_db):
    decomposed = unicodedata.normalize("NFD", "bản nà hừ")
    assert decomposed != "bản nà hừ"
    fill(dialog, qtbot, villages="Bản Nà Hừ\nBản Pa Ủ\n")
    dialog.villages_edit.moveCursor(dialog.villages_edit.textCursor().MoveOperation.End)
    type_text(dialog.villages_edit, decomposed)
    typed = dialog.villages_edit.toPlainText()
    assert typed.endswith(decomposed)  # the editor kept the decomposed form
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "Tên đã có" in dialog.error_label.text() and "trùng “Bản Nà Hừ”" in dialog.error_label.text()
    assert fresh_db.db["units"].count == 0
    assert fresh_db.setting("officer_name") is None
    assert dialog.villages_edit.toPlainText() == typed  # what was typed stays for correcting
    assert dialog.name_edit.text() == "Lò Thị Mai"
    assert dialog.commune_code() == "03445"
    assert dialog.created_unit_code is None


def test_the_error_goes_away_when_the_next_try_works(dialog, qtbot, fresh_db):
    fill(dialog, qtbot, villages="Bản Nà Hừ\nBản Nà Hừ\n")
    assert not dialog.create()
    dialog.villages_edit.setPlainText("Bản Nà Hừ\n")
    assert dialog.create()
    assert not dialog.error_label.isVisible()
    assert [v.name for v in fresh_db.villages_of("03445")] == ["Bản Nà Hừ"]


def test_open_demo_builds_the_demo(dialog, qtbot, fresh_db):
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.created_unit_code == "03445"
    assert len(fresh_db.villages_of("03445")) == 18
    assert len(fresh_db.children("12")) == 38
    assert {r.period_code for r in fresh_db.reports("03445")} >= {"2024", "2025"}


def test_open_demo_on_a_filled_database_is_refused_in_the_dialog(qtbot, demo_db, library):
    dialog = SetupDialog(demo_db, library)
    qtbot.addWidget(dialog)
    before = demo_db.db["units"].count
    assert not dialog.open_demo()
    assert "đã có" in dialog.error_label.text()
    assert demo_db.db["units"].count == before


def test_cancel_writes_nothing(dialog, qtbot, fresh_db):
    fill(dialog, qtbot)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.created_unit_code is None
    assert fresh_db.db["units"].count == 0


def test_create_makes_the_communes_signing_key_for_the_officer(dialog, qtbot, fresh_db):
    fill(dialog, qtbot)
    assert dialog.passphrase_edit.echoMode() == dialog.passphrase_edit.EchoMode.Password
    assert dialog.create()
    key = key_in_use(fresh_db, "03445")
    assert key is not None and not key.demo
    assert (key.holder_name, key.holder_title) == ("Lò Thị Mai", "Công chức Văn hóa - Xã hội")
    assert unlock_key(fresh_db, key, PASSPHRASE)  # the passphrase typed is the one that opens it
    assert dialog.passphrase_edit.text() == dialog.repeat_edit.text() == ""


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (PASSPHRASE, PASSPHRASE + "x", "Hai lần nhập mật khẩu không giống nhau."),
        ("ngắn", "ngắn", "Mật khẩu khóa ký cần ít nhất 8 ký tự."),
        ("", "", "Mật khẩu khóa ký cần ít nhất 8 ký tự."),
    ],
)
def test_a_refused_passphrase_writes_nothing_at_all(dialog, qtbot, fresh_db, first, second, message):
    fill(dialog, qtbot)
    dialog.passphrase_edit.setText(first)
    dialog.repeat_edit.setText(second)
    assert not dialog.create()
    assert dialog.error_label.text() == message and dialog.error_label.isVisible()
    assert fresh_db.db["units"].count == 0  # the commune written first in the same transaction is gone too
    assert fresh_db.setting("officer_name") is None
    assert unit_keys(fresh_db, "03445") == []
    assert dialog.passphrase_edit.text() == dialog.repeat_edit.text() == ""  # to be typed again
    assert dialog.name_edit.text() == "Lò Thị Mai"  # the rest stays
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.repeat_edit.setText(PASSPHRASE)
    assert dialog.create()
    assert key_in_use(fresh_db, "03445") is not None
