"""The key exchange both ways, through the windows: the province saves its own
key file from its Gói menu, the commune enrols it after reading the code over
the phone, and a receipt the province signed then counts. A key file carrying
a different key from the one on file is warned of with both codes and their
holders. Real databases (the two demos), real key files, real signatures.

Set SCT_SHOTS to a folder to keep a picture of each dialog.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from exports.collect.inbox import import_packets
from exports.collect.receipts import issue_receipt
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet
from models.demo import KEY_HOLDERS
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key, key_in_use
from models.reporting import view_report
from models.setup import setup_upper
from ui.commune.upper_key_dialog import UpperKeyDialog
from ui.key_dialogs import CreateKeyDialog
from ui.key_file import KeyFileDialog
from ui.upper.enrol_dialog import EnrolDialog
from ui.upper.window import UpperWindow
from ui.widgets import day_of

NEW_PASSPHRASE = "khóa mới của tỉnh"


def shot(widget, name: str, fit: bool = True) -> None:
    """A picture of the widget as shown, when SCT_SHOTS names a folder (for looking at the layout);
    a dialog is first fitted to its contents."""
    if folder := os.environ.get("SCT_SHOTS"):
        if fit:
            widget.adjustSize()
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def receipt_from_province(commune: Gateway, province: Gateway, library, folder: Path) -> Path:
    """Mường Tè's 2024 packet exported at the commune, accepted at the province, and its signed receipt."""
    view = view_report(commune, commune.find_report("03445", "kl224", "2024"), library.get("kl224"))
    packet = export_packet(commune, view, DEMO_PASSPHRASE, folder)
    (filed,) = import_packets(province, [packet.path], library, "tinh").filed
    assert filed.outcome == "accepted"
    return issue_receipt(province, filed.packet_id, "bien_nhan", DEMO_PASSPHRASE, folder, library, "tinh").path


def test_the_province_saves_its_key_file_and_the_commune_enrols_it(qtbot, window, upper_window, library, tmp_path):
    province_key = key_in_use(upper_window.gw, "12")
    saved = upper_window.export_key_file(tmp_path / "khoa-tinh")
    qtbot.addWidget(saved)
    assert isinstance(saved, KeyFileDialog) and saved.isVisible()
    assert saved.written == tmp_path / "khoa-tinh.sctk" and read_enrolment(saved.written).unit_code == "12"
    assert saved.fingerprint.text() == province_key.spoken
    assert str(saved.written) in saved.saved_label.text()
    assert "cấp dưới" in saved.send_label.text() and "đọc mã khóa" in saved.send_label.text()
    shot(saved, "tinh-xuat-tep-khoa")

    # a receipt reaches the commune before the province's key: it waits, unread
    receipt = receipt_from_province(window.gw, upper_window.gw, library, tmp_path)
    assert window.import_receipt_file(receipt)
    assert "đã nhận" not in window.answer.text()
    assert "chưa đối chiếu được khóa" in window.answer.text()
    assert "Vào Gói › Đăng ký khóa của cấp trên..." in window.answer.text()
    assert not window.message.isVisible()  # said once, beside the report
    assert "Tệp ghi rằng Tỉnh Lai Châu đã nhận" in window.statusBar().currentMessage()
    shot(window, "xa-bien-nhan-cho-khoa", fit=False)

    dialog = window.enrol_upper_key(saved.written)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, UpperKeyDialog) and dialog.windowTitle() == "Đăng ký khóa của cấp trên"
    assert dialog.facts["unit"].text() == "Tỉnh Lai Châu (mã 12)"
    assert dialog.facts["holder"].text() == province_key.holder_name
    assert dialog.fingerprint.text() == province_key.spoken
    assert "cấp trên" in dialog.instruction.text() and not dialog.changed_label.isVisible()
    assert not dialog.enrol_button.isEnabled()
    shot(dialog, "xa-dang-ky-khoa-cap-tren")
    qtbot.mouseClick(dialog.confirm_box, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.enrolled):
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    assert dialog.done_label.text() == f"Đã đăng ký khóa của Tỉnh Lai Châu (12), {province_key.holder_name}."
    assert dialog.result_lines() == ["1 biên nhận hoặc trả lại ký bằng khóa này đã được đối chiếu, nay được tính."]
    shot(dialog, "xa-dang-ky-khoa-cap-tren-xong")
    assert window.answer.text().startswith("Báo cáo đã được Tỉnh Lai Châu nhận ngày ")  # and is locked
    assert not window.message.isVisible()


def test_a_key_file_that_cannot_be_written_is_said_in_the_dialog(qtbot, upper_window, tmp_path):
    saved = upper_window.export_key_file(tmp_path / "khong-co" / "k.sctk")
    qtbot.addWidget(saved)
    assert saved.written is None and "không tồn tại" in saved.error_label.text()
    assert not saved.saved_label.isVisible() and saved.isVisible()


def test_an_unchecked_receipt_for_an_older_packet_is_said_over_the_report(window, upper_window, library, tmp_path):
    receipt = receipt_from_province(window.gw, upper_window.gw, library, tmp_path)  # answers lần 1
    view = view_report(window.gw, window.gw.find_report("03445", "kl224", "2024"), library.get("kl224"))
    export_packet(window.gw, view, DEMO_PASSPHRASE, tmp_path / "lan-2")  # lần 2 waits for its own answer
    assert window.import_receipt_file(receipt)
    assert window.answer.text().startswith("Đã xuất gói lần 2") and not window.answer.waiting_for_key
    assert window.message.isVisible() and "Chưa đối chiếu được khóa của cấp trên" in window.message.text()
    assert window.message.text().endswith("(Gói › Đăng ký khóa của cấp trên...)")


def test_the_code_shown_is_the_keys_own_not_the_files_text(qtbot, window, upper_window, tmp_path):
    path = write_enrolment(key_in_use(upper_window.gw, "12"), upper_window.gw.require_unit("12"), tmp_path / "k.sctk")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["spoken"] = "1111 2222 3333 4444 5555"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    dialog = window.enrol_upper_key(path)
    qtbot.addWidget(dialog)
    assert dialog.fingerprint.text() == key_in_use(upper_window.gw, "12").spoken


def test_the_commune_takes_only_its_upper_levels_key(qtbot, window, tmp_path):
    sibling = write_enrolment(key_in_use(window.gw, "03478"), window.gw.require_unit("03478"), tmp_path / "k.sctk")
    dialog = window.enrol_upper_key(sibling)
    qtbot.addWidget(dialog)
    assert "không phải của cấp trên trực tiếp Tỉnh Lai Châu" in dialog.error_label.text()
    assert dialog.enrolment is None and not dialog.key_area.isVisible() and not dialog.enrol_button.isEnabled()
    assert window.gw.db["trusted_keys"].count == 0


def test_a_new_key_for_a_commune_on_file_is_warned_with_both_codes(qtbot, province, library, demo_db, tmp_path):
    old = key_in_use(demo_db, "03445")
    same = write_enrolment(old, demo_db.require_unit("03445"), tmp_path / "cu.sctk")
    dialog = EnrolDialog(province, library, "tinh", same)
    qtbot.addWidget(dialog)
    assert not dialog.changed_label.isVisible()  # the key already on file: nothing to warn of

    new = create_unit_key(demo_db, "03445", DEMO_PASSPHRASE, "Lò Văn Mới", "Phó Chủ tịch UBND xã", replace=True)
    path = write_enrolment(new, demo_db.require_unit("03445"), tmp_path / "moi.sctk")
    dialog = EnrolDialog(province, library, "tinh", path)
    qtbot.addWidget(dialog)
    dialog.show()
    warning = dialog.changed_label.text()
    assert dialog.changed_label.isVisible()
    assert warning.startswith("Chú ý: máy này đã đăng ký khóa khác cho Xã Mường Tè")
    (on_file,) = dialog.others
    assert f"Khóa cũ, mã {old.spoken}: {KEY_HOLDERS['03445']}, Công chức Văn hóa - Xã hội" in warning
    assert f"đăng ký ngày {day_of(on_file.enrolled_at)}" in warning
    assert f"Khóa trong tệp này, mã {new.spoken}: Lò Văn Mới, Phó Chủ tịch UBND xã" in warning
    assert "Đăng ký khóa mới này sẽ thay khóa cũ" in warning
    assert dialog.fingerprint.text() == new.spoken
    shot(dialog, "tinh-canh-bao-khoa-khac")
    dialog.confirm_box.setChecked(True)
    assert dialog.enrol()
    assert f"Khóa cũ {old.spoken} của {KEY_HOLDERS['03445']} thôi dùng từ lúc này" in dialog.done_label.text()
    shot(dialog, "tinh-khoa-cu-thoi-dung")


def test_a_new_province_key_is_warned_of_at_the_commune(qtbot, window, upper_window, tmp_path):
    province, unit = upper_window.gw, upper_window.gw.require_unit("12")
    first = window.enrol_upper_key(write_enrolment(key_in_use(province, "12"), unit, tmp_path / "cu.sctk"))
    qtbot.addWidget(first)
    first.confirm_box.setChecked(True)
    assert first.enrol()
    old = key_in_use(province, "12")
    new = create_unit_key(province, "12", NEW_PASSPHRASE, "Tòng Văn Thắng", "Trưởng ban", replace=True)
    dialog = window.enrol_upper_key(write_enrolment(new, unit, tmp_path / "moi.sctk"))
    qtbot.addWidget(dialog)
    warning = dialog.changed_label.text()
    assert dialog.changed_label.isVisible()
    assert f"mã {old.spoken}: {old.holder_name}, {old.holder_title}" in warning
    assert f"mã {new.spoken}: Tòng Văn Thắng, Trưởng ban" in warning
    assert "sẽ thay khóa cũ" in warning
    shot(dialog, "xa-canh-bao-khoa-cap-tren-khac")


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
