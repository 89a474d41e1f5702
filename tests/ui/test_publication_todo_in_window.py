"""The commune's window and what the province sends down: a collection
notice, signed at the province demo and imported at the commune demo, is a
line above the grid with its days left, gone once the packet is exported; a
file imported before the province's key is held and said, and applied when
the key is enrolled in its dialog; a new form received is listed at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import Qt

from exports.collect.trust import enrol
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet
from exports.publications.publish import publish_collection, publish_form
from exports.publications.receive import import_publication
from forms.library import default_library
from models.form_store import import_authored_form
from models.keys import DEMO_PASSPHRASE, key_in_use


def test_a_notice_of_the_province_is_a_line_above_the_grid_until_the_packet_is_sent(window, province, tmp_path):
    import_authored_form(province, replace(default_library().get("kl224", 2), version=3), "tinh")
    deadline = dt.date.today() + dt.timedelta(days=40)
    window.period_box.setCurrentIndex(window.period_box.findData("2024"))  # 2024 has no error: it can be signed
    period = "2024"
    notice = publish_collection(province, "kl224", 3, period, deadline, "", DEMO_PASSPHRASE, tmp_path, "tinh")
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(window.gw, read_enrolment(enrolment), who="xa")
    assert not window.todo.isVisible()

    import_publication(window.gw, notice.path, "xa")
    window.open_report()
    text = window.todo.text()
    assert window.todo.isVisible()
    assert text.startswith(f"Tỉnh Lai Châu yêu cầu nộp biểu kl224 (phiên bản 3) kỳ {province.period(period).label}")
    assert "— còn 40 ngày" in text and deadline.strftime("%d/%m/%Y") in text

    view = window.controller.session.view
    export_packet(window.gw, view, DEMO_PASSPHRASE, tmp_path)
    window.open_report()
    assert not window.todo.isVisible()


def test_a_publication_imported_in_the_window_is_held_said_and_applied_once_the_key_is_enrolled(
    window, province, tmp_path
):
    deadline = dt.date.today() + dt.timedelta(days=10)
    notice = publish_collection(province, "kl224", 2, "2024", deadline, "", DEMO_PASSPHRASE, tmp_path, "tinh")
    assert window.import_publication_file(notice.path)
    assert window.message.isVisible() and window.message.text().startswith(
        "Đã giữ lại thông báo của Tỉnh Lai Châu: nộp biểu kl224 (phiên bản 2) kỳ Năm 2024"
    )
    assert "chưa áp dụng: máy này chưa đăng ký khóa của Tỉnh Lai Châu" in window.message.text()
    assert "Gói › Đăng ký khóa của cấp trên..." in window.message.text()
    assert not window.todo.isVisible()

    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(window.gw, read_enrolment(enrolment), who="xa")
    window.open_report()
    assert window.todo.isVisible() and "— còn 10 ngày" in window.todo.text()

    assert window.import_publication_file(notice.path)  # a second time changes nothing
    assert "đã nhập từ trước" in window.statusBar().currentMessage() and not window.message.isVisible()


def test_a_file_that_is_no_publication_is_said_in_the_window(window, tmp_path):
    junk = tmp_path / "thong-bao.sctp"
    junk.write_text("không phải", encoding="utf-8")
    assert not window.import_publication_file(junk)
    assert window.message.isVisible() and "không phải tệp phát hành" in window.message.text()


def test_a_new_form_of_the_province_is_listed_once_received(window, province, tmp_path):
    new_form = replace(default_library().get("kl224", 2), id="kl999", version=1, title="BIỂU RIÊNG CỦA TỈNH")
    import_authored_form(province, new_form, "tinh")
    published = publish_form(province, "kl999", 1, DEMO_PASSPHRASE, tmp_path, "tinh")
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(window.gw, read_enrolment(enrolment), who="xa")
    before = window.form_box.currentData()
    assert window.form_box.findData("kl999") == -1

    assert window.import_publication_file(published.path)
    assert "Đã lưu biểu kl999 phiên bản 1 do Tỉnh Lai Châu ban hành" in window.statusBar().currentMessage()
    assert window.form_box.itemText(window.form_box.findData("kl999")) == "kl999 — BIỂU RIÊNG CỦA TỈNH"
    assert window.form_box.currentData() == before and window.controller is not None


def test_enrolling_the_province_key_in_the_dialog_applies_what_was_held(qtbot, window, province, tmp_path):
    import_authored_form(province, replace(default_library().get("kl224", 2), id="kl999", version=1), "tinh")
    assert window.import_publication_file(publish_form(province, "kl999", 1, DEMO_PASSPHRASE, tmp_path).path)
    assert window.form_box.findData("kl999") == -1  # held: not listed
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    dialog = window.enrol_upper_key(enrolment)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.confirm_box, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.enrolled):
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    assert any(line.startswith("Đã lưu biểu kl999 phiên bản 1") for line in dialog.result_lines())
    assert window.form_box.findData("kl999") != -1 and not window.message.isVisible()
