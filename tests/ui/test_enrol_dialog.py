"""Enrolling a unit's key at the upper level: the key code read back over the
phone, the confirmation required, bad files and refusals said in the dialog."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from testkit import put

from exports.collect.inbox import import_packets
from exports.packets.enrolment import write_enrolment
from models.keys import DEMO_PASSPHRASE, create_unit_key, find_key, key_in_use
from ui.upper.enrol_dialog import EnrolDialog

WHO = "Giàng Thị Dung"

FIRST_VILLAGES = "Danh sách 12 thôn, bản lấy theo gói đầu tiên nhận được của xã."


def dialog_for(qtbot, province, library, path=None) -> EnrolDialog:
    dialog = EnrolDialog(province, library, WHO, path)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def trusted(gw, unit_code: str) -> int:
    return gw.db.execute("SELECT count(*) FROM trusted_keys WHERE unit_code = ?", [unit_code]).fetchone()[0]


def test_the_key_code_is_shown_large_and_must_be_confirmed(qtbot, province, library, packets):
    dialog = dialog_for(qtbot, province, library, packets.enrolment)
    assert dialog.windowTitle() == "Đăng ký khóa của đơn vị cấp dưới"
    assert dialog.facts["unit"].text() == "Xã Bình Lư (mã 03390)"
    assert dialog.facts["holder"].text() == "Lường Văn Tâm"
    assert dialog.facts["title"].text() == "Công chức Văn hóa - Xã hội"
    assert dialog.fingerprint.text() == packets.key.spoken
    font = QFontInfo(dialog.fingerprint.font())  # the bundled font, whatever monospace the machine has
    assert font.family() == "Liberation Mono" and font.fixedPitch() and font.bold()
    assert font.pointSizeF() >= 1.8 * QFontInfo(dialog.font()).pointSizeF()
    assert "điện thoại" in dialog.instruction.text()
    assert dialog.confirm_box.text() == "Tôi đã đọc lại mã khóa với người giữ khóa và hai bên khớp nhau"
    assert not dialog.replaced_label.isVisible()
    assert not dialog.enrol_button.isEnabled()
    assert dialog.enrol() is False  # called anyway: told why, nothing written
    assert "đọc lại mã khóa" in dialog.error_label.text()
    assert trusted(province, "03390") == 0
    qtbot.mouseClick(dialog.confirm_box, Qt.MouseButton.LeftButton)
    assert dialog.enrol_button.isEnabled()
    qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    assert dialog.done_label.text() == "Đã đăng ký khóa của Xã Bình Lư (03390), Lường Văn Tâm."
    assert dialog.refiled_lines() == ["Không có gói nào đang chờ khóa này."]
    assert trusted(province, "03390") == 1
    assert not dialog.enrol_button.isVisible() and dialog.close_button.text() == "Đóng"


def test_enrolling_files_the_packets_that_waited(qtbot, province, library, packets, tmp_path):
    (path,) = put(packets, tmp_path, "bl24")
    held = import_packets(province, [path], library, WHO).filed[0]
    assert held.outcome == "quarantined"
    dialog = dialog_for(qtbot, province, library, packets.enrolment)
    dialog.confirm_box.setChecked(True)
    with qtbot.waitSignal(dialog.enrolled):
        assert dialog.enrol()
    assert dialog.refiled_lines() == [
        f"Gói số {held.packet_id} đang chờ khóa: đã nhận. Đã nhận lần gửi 1. " + FIRST_VILLAGES
    ]
    status = province.db.execute("SELECT status FROM received_packets WHERE id = ?", [held.packet_id]).fetchone()
    assert status == ("accepted",)


def test_the_same_key_twice_is_said_to_be_known(qtbot, province, library, packets):
    first = dialog_for(qtbot, province, library, packets.enrolment)
    first.confirm_box.setChecked(True)
    assert first.enrol()
    again = dialog_for(qtbot, province, library, packets.enrolment)
    again.confirm_box.setChecked(True)
    assert again.enrol()
    assert again.done_label.text() == "Khóa này của Xã Bình Lư (03390), Lường Văn Tâm đã được đăng ký từ trước."
    assert trusted(province, "03390") == 1


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"day khong phai tep khoa", "không phải tệp đăng ký khóa"),
        (json.dumps({"format": "khac"}).encode(), "không phải tệp đăng ký khóa"),
        (json.dumps({"format": "so-chi-tieu.enrolment", "format_version": 1}).encode(), "thiếu thông tin"),
    ],
    ids=["text", "other-json", "incomplete"],
)
def test_a_bad_file_is_said_in_the_dialog(qtbot, province, library, tmp_path, content, words):
    path = tmp_path / "khoa.sctk"
    path.write_bytes(content)
    dialog = dialog_for(qtbot, province, library, path)
    assert dialog.error_label.isVisible() and words in dialog.error_label.text()
    assert dialog.enrolment is None and not dialog.key_area.isVisible()
    assert not dialog.enrol_button.isEnabled()
    assert dialog.enrol() is False and "Hãy chọn tệp" in dialog.error_label.text()


def test_an_altered_file_is_refused(qtbot, province, library, packets, tmp_path):
    data = json.loads(packets.enrolment.read_text(encoding="utf-8"))
    data["fingerprint"] = "0" * 64
    path = tmp_path / "sua.sctk"
    path.write_text(json.dumps(data), encoding="utf-8")
    dialog = dialog_for(qtbot, province, library, path)
    assert "đã bị sửa" in dialog.error_label.text()


def test_a_missing_file_and_then_a_good_one(qtbot, province, library, packets, tmp_path):
    dialog = dialog_for(qtbot, province, library, tmp_path / "khong-co.sctk")
    assert dialog.error_label.text().startswith("Không tìm thấy tệp đăng ký khóa")
    assert dialog.load(packets.enrolment)
    assert not dialog.error_label.isVisible() and dialog.key_area.isVisible()


def test_a_key_of_a_unit_not_below_is_refused_and_nothing_written(qtbot, province, library, tmp_path):
    own = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    dialog = dialog_for(qtbot, province, library, own)
    dialog.confirm_box.setChecked(True)
    before = province.db["trusted_keys"].count
    assert dialog.enrol() is False
    assert "không phải đơn vị cấp dưới" in dialog.error_label.text()
    assert province.db["trusted_keys"].count == before
    assert dialog.enrol_button.isVisible()


def test_a_replaced_key_is_flagged(qtbot, province, library, demo_db, tmp_path):
    old = key_in_use(demo_db, "03445")
    create_unit_key(demo_db, "03445", DEMO_PASSPHRASE, "Lò Văn Mới", "Công chức", replace=True)
    path = write_enrolment(find_key(demo_db, old.fingerprint), demo_db.require_unit("03445"), tmp_path / "cu.sctk")
    dialog = dialog_for(qtbot, province, library, path)
    assert dialog.replaced_label.isVisible() and "đã được thay bằng khóa mới" in dialog.replaced_label.text()
