"""The key exchange through the windows: the province saves its own key file
from its Gói menu (or, with no key yet, is offered to make one). Real
databases (the province demo), real key files.

Set SCT_SHOTS to a folder to keep a picture of each dialog.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exports.packets.enrolment import read_enrolment
from models.keys import key_in_use
from models.setup import setup_upper
from ui.key_dialogs import CreateKeyDialog
from ui.key_file import KeyFileDialog
from ui.upper.window import UpperWindow

NEW_PASSPHRASE = "khóa mới của tỉnh"


def shot(widget, name: str, fit: bool = True) -> None:
    """A picture of the widget as shown, when SCT_SHOTS names a folder (for looking at the layout);
    a dialog is first fitted to its contents."""
    if folder := os.environ.get("SCT_SHOTS"):
        if fit:
            widget.adjustSize()
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_the_province_saves_its_key_file(qtbot, upper_window, tmp_path):
    province_key = key_in_use(upper_window.gw, "12")
    saved = upper_window.export_key_file(tmp_path / "khoa-tinh")
    qtbot.addWidget(saved)
    assert isinstance(saved, KeyFileDialog) and saved.isVisible()
    assert saved.written == tmp_path / "khoa-tinh.sctk" and read_enrolment(saved.written).unit_code == "12"
    assert read_enrolment(saved.written).fingerprint == province_key.fingerprint
    assert saved.fingerprint.text() == province_key.spoken
    assert str(saved.written) in saved.saved_label.text()
    assert "cấp dưới" in saved.send_label.text() and "đọc mã khóa" in saved.send_label.text()
    shot(saved, "tinh-xuat-tep-khoa")
    assert saved.save(tmp_path / "khong-co" / "k.sctk") is None  # a folder that does not exist: said, not raised
    assert "không tồn tại" in saved.error_label.text() and not saved.saved_label.isVisible()


@pytest.fixture
def keyless_upper(qtbot, fresh_db, library):
    """A province set up without its key (as by an older version), in its window."""
    setup_upper(fresh_db, "12", "Giàng Thị Dung", "Chuyên viên")
    window = UpperWindow(fresh_db, library, "Giàng Thị Dung")
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_province_without_a_key_is_offered_to_make_one(qtbot, keyless_upper, tmp_path):
    maker = keyless_upper.export_key_file(tmp_path / "khong-dung.sctk")
    qtbot.addWidget(maker)
    assert isinstance(maker, CreateKeyDialog) and maker.isVisible()
    assert "Tỉnh Lai Châu chưa có khóa ký trên máy này" in maker.note
    assert not (tmp_path / "khong-dung.sctk").exists()
    shot(maker, "tinh-chua-co-khoa")
    maker.passphrase_edit.setText(NEW_PASSPHRASE)
    maker.repeat_edit.setText(NEW_PASSPHRASE)
    assert maker.create()
    written = maker.save_enrolment(tmp_path / "khoa-tinh.sctk")
    assert read_enrolment(written).fingerprint == key_in_use(keyless_upper.gw, "12").fingerprint
    assert "cấp dưới" in " ".join(label.text() for label in maker.done_page.findChildren(type(maker.done_heading)))
    shot(maker, "tinh-tao-khoa-xong")
    saved = keyless_upper.export_key_file(tmp_path / "lan-hai.sctk")  # now it has one: saved at once
    qtbot.addWidget(saved)
    assert isinstance(saved, KeyFileDialog) and saved.written.is_file()


def test_the_upper_levels_keys_dialog_lists_its_key(qtbot, upper_window):
    dialog = upper_window.open_keys_dialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Khóa ký của Tỉnh Lai Châu"
    assert dialog.table.item(0, 0).text() == key_in_use(upper_window.gw, "12").spoken
    assert dialog.replace_button.text() == "Thay khóa mới..."
