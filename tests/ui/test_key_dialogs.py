"""The unit's signing keys: listing, replacing, and the key file for the upper level."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from exports.packets.enrolment import read_enrolment
from models.keys import key_in_use, unit_keys, unlock_key
from ui.key_dialogs import CreateKeyDialog, KeysDialog
from ui.widgets import day_of

NEW_PASSPHRASE = "khóa mới của xã"
DATE = re.compile(r"\d{2}/\d{2}/\d{4}")


@pytest.fixture
def keys_dialog(qtbot, demo_db):
    dialog = KeysDialog(demo_db, "03445")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def row_texts(dialog: KeysDialog, row: int) -> list[str]:
    return [dialog.table.item(row, column).text() for column in range(dialog.table.columnCount())]


def test_the_demo_commune_has_one_key_in_use(keys_dialog, demo_db):
    key = key_in_use(demo_db, "03445")
    assert keys_dialog.windowTitle() == "Khóa ký của Xã Mường Tè"
    headers = [keys_dialog.table.horizontalHeaderItem(c).text() for c in range(4)]
    assert headers == ["Mã khóa", "Người giữ", "Ngày tạo", "Trạng thái"]
    assert keys_dialog.table.rowCount() == 1
    spoken, holder, created, state = row_texts(keys_dialog, 0)
    assert spoken == key.spoken
    assert holder == "Lò Thị Mai, Công chức Văn hóa - Xã hội"
    assert DATE.fullmatch(created)
    assert state == "đang dùng (khóa mẫu)"
    assert keys_dialog.selected_key() == key
    assert keys_dialog.export_button.isEnabled()
    assert keys_dialog.replace_button.text() == "Thay khóa mới..."


def test_replacing_keeps_the_old_key_marked_replaced(keys_dialog, demo_db, qtbot):
    old = key_in_use(demo_db, "03445")
    maker = keys_dialog.replace_key()
    qtbot.addWidget(maker)
    assert maker.isVisible() and maker.replace
    assert maker.windowTitle() == "Thay khóa ký mới"
    page_text = " ".join(label.text() for label in maker.form_page.findChildren(QLabel))
    assert f"Khóa đang dùng (mã {old.spoken})" in page_text and "vẫn kiểm tra được" in page_text
    assert "không ai lấy lại được" in page_text.lower()
    maker.passphrase_edit.setText(NEW_PASSPHRASE)
    maker.repeat_edit.setText(NEW_PASSPHRASE)
    qtbot.mouseClick(maker.create_button, Qt.MouseButton.LeftButton)
    new = key_in_use(demo_db, "03445")
    assert new.fingerprint != old.fingerprint and unlock_key(demo_db, new, NEW_PASSPHRASE)
    assert maker.pages.currentWidget() is maker.done_page
    assert maker.fingerprint.text() == new.spoken

    assert keys_dialog.table.rowCount() == 2  # refreshed as soon as the key was made
    assert row_texts(keys_dialog, 0)[0] == new.spoken
    assert row_texts(keys_dialog, 0)[3] == "đang dùng"
    assert row_texts(keys_dialog, 1)[0] == old.spoken
    assert re.fullmatch(r"đã thay ngày \d{2}/\d{2}/\d{4}", row_texts(keys_dialog, 1)[3])
    assert [k.fingerprint for k in unit_keys(demo_db, "03445")] == [new.fingerprint, old.fingerprint]


def test_the_key_file_is_one_the_upper_level_can_read(keys_dialog, demo_db, tmp_path):
    key = keys_dialog.selected_key()
    written = keys_dialog.export_enrolment(key, tmp_path / "khoa-muong-te")
    assert written == tmp_path / "khoa-muong-te.sctk" and written.is_file()
    enrolment = read_enrolment(written)
    assert (enrolment.unit_code, enrolment.unit_name) == ("03445", "Xã Mường Tè")
    assert enrolment.fingerprint == key.fingerprint and enrolment.spoken == key.spoken
    assert keys_dialog.saved_label.isVisible() and str(written) in keys_dialog.saved_label.text()
    assert demo_db.setting("last_export_dir") == str(tmp_path)


def test_a_replaced_key_can_still_be_exported(keys_dialog, demo_db, tmp_path, qtbot):
    old = key_in_use(demo_db, "03445")
    maker = keys_dialog.replace_key()
    qtbot.addWidget(maker)
    maker.passphrase_edit.setText(NEW_PASSPHRASE)
    maker.repeat_edit.setText(NEW_PASSPHRASE)
    assert maker.create()
    keys_dialog.table.selectRow(1)
    assert keys_dialog.selected_key().fingerprint == old.fingerprint
    written = keys_dialog.export_enrolment(keys_dialog.selected_key(), tmp_path / "cu.sctk")
    enrolment = read_enrolment(written)
    assert enrolment.fingerprint == old.fingerprint and enrolment.replaced_at is not None


def test_a_file_that_cannot_be_written_is_said_in_the_dialog(keys_dialog, tmp_path):
    assert keys_dialog.export_enrolment(keys_dialog.selected_key(), tmp_path / "khong-co" / "k.sctk") is None
    assert "không tồn tại" in keys_dialog.error_label.text() and keys_dialog.error_label.isVisible()


def test_a_unit_without_a_key_offers_to_make_one(qtbot, demo_db):
    dialog = KeysDialog(demo_db, "03390")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 0
    assert not dialog.export_button.isEnabled()
    assert dialog.replace_button.text() == "Tạo khóa ký..."
    maker = dialog.replace_key()
    qtbot.addWidget(maker)
    assert not maker.replace and maker.windowTitle() == "Tạo khóa ký"


def test_create_key_dialog_refuses_then_makes_the_key_and_saves_its_file(qtbot, demo_db, tmp_path):
    maker = CreateKeyDialog(demo_db, "03390")
    qtbot.addWidget(maker)
    maker.show()
    assert maker.name_edit.text() == "Lò Thị Mai"
    assert maker.title_edit.text() == "Công chức Văn hóa - Xã hội (dữ liệu mẫu)"
    maker.name_edit.setText("Giàng A Páo")
    maker.title_edit.setText("Công chức Văn phòng - Thống kê")
    maker.passphrase_edit.setText("1234567")
    maker.repeat_edit.setText("1234567")
    assert not maker.create()
    assert maker.error_label.text() == "Mật khẩu khóa ký cần ít nhất 8 ký tự."
    assert maker.passphrase_edit.text() == maker.repeat_edit.text() == ""
    assert maker.name_edit.text() == "Giàng A Páo"
    maker.name_edit.setText("  ")
    maker.passphrase_edit.setText(NEW_PASSPHRASE)
    maker.repeat_edit.setText(NEW_PASSPHRASE)
    assert not maker.create()
    assert maker.error_label.text() == "Cần họ tên người giữ khóa ký."
    assert key_in_use(demo_db, "03390") is None
    maker.name_edit.setText("Giàng A Páo")
    with qtbot.waitSignal(maker.key_created) as signal:
        assert maker.create()
    key = signal.args[0]
    assert (key.holder_name, key.holder_title) == ("Giàng A Páo", "Công chức Văn phòng - Thống kê")
    assert maker.fingerprint.text() == key.spoken
    assert maker.fingerprint.font().pointSizeF() > maker.font().pointSizeF()  # shown large, to be read aloud
    assert maker.save_button.text() == "Lưu tệp đăng ký khóa..." and maker.save_button.isVisible()
    assert maker.done_page.isVisible()
    texts = [label.text() for label in maker.done_page.findChildren(QLabel)]
    assert "Gửi tệp này cho cấp trên và đọc mã khóa cho họ qua điện thoại." in texts
    written = maker.save_enrolment(tmp_path / "khoa-binh-lu.sctk")
    assert read_enrolment(written).fingerprint == key.fingerprint
    assert NEW_PASSPHRASE not in repr(vars(maker))


def test_the_key_date_is_the_day_it_was_written(qtbot):
    assert day_of("2026-11-22T02:38:52+07:00") == "22/11/2026"
    assert day_of(None) == ""
