"""The commune's window and the upper level's answer: a signed return from
the province, imported in the window, shows its reason and the cells to
correct beside the report; the corrected packet then waits for a receipt.
Packets, receipts and the province's database are real files."""

from __future__ import annotations

from PySide6.QtCore import Qt

from exports.collect.inbox import import_packets
from exports.collect.receipts import Query, issue_receipt
from exports.collect.trust import enrol
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.reporting import view_report


def export(gw, library, folder):
    view = view_report(gw, gw.find_report("03445", "kl224", "2024"), library.get("kl224"))
    return export_packet(gw, view, DEMO_PASSPHRASE, folder)


def answer_from_province(province, library, packet_path, folder, **how):
    run = import_packets(province, [packet_path], library, "tinh")
    assert run.filed[0].outcome == "accepted"
    return issue_receipt(
        province, run.filed[0].packet_id, passphrase=DEMO_PASSPHRASE, out=folder, library=library, who="tinh", **how
    ).path


def enrol_province(window, province, tmp_path):
    """The commune trusts the province's key (read back over the phone)."""
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    return enrol(window.gw, read_enrolment(enrolment), who="xa")


def test_a_return_shows_its_reason_and_cells_and_the_next_packet_waits(window, province, library, tmp_path):
    enrol_province(window, province, tmp_path)
    packet = export(window.gw, library, tmp_path)
    returned = answer_from_province(
        province,
        library,
        packet.path,
        tmp_path,
        kind="tra_lai",
        note="Số nhà văn hóa chưa khớp biên bản.",
        queries=[Query("ban_co_nvh", "03445.03", "Bản này chưa có nhà văn hóa")],
    )
    assert window.import_receipt_file(returned)
    assert (window.current_unit(), window.period_box.currentData()) == ("03445", "2024")
    text = window.answer.text()
    assert window.answer.isVisible()
    assert "Tỉnh Lai Châu trả lại gói lần 1" in text and "Số nhà văn hóa chưa khớp biên bản" in text
    assert "Bản này chưa có nhà văn hóa" in text and "(lần 2)" in text
    assert not window.message.isVisible()

    # the officer corrects and signs again: the next sequence
    again = export(window.gw, library, tmp_path)
    window.open_report()
    assert again.sequence == 2
    assert "Đã xuất gói lần 2" in window.answer.text() and "chưa có biên nhận" in window.answer.text()


def test_a_receipt_from_an_enrolled_province_key_shows_received(window, province, library, tmp_path):
    enrol_province(window, province, tmp_path)
    packet = export(window.gw, library, tmp_path)
    receipt = answer_from_province(province, library, packet.path, tmp_path, kind="bien_nhan")
    assert window.import_receipt_file(receipt)
    assert window.answer.text().startswith("Báo cáo đã được Tỉnh Lai Châu nhận ngày ")  # locked now
    assert "chưa đối chiếu" not in window.answer.text() + window.message.text()
    assert window.import_receipt_file(receipt)  # a second time changes nothing
    assert "đã nhập từ trước" in window.statusBar().currentMessage()
    assert window.gw.db["receipts"].count == 1


def test_a_file_that_is_not_a_receipt_is_said_in_vietnamese(window, tmp_path):
    junk = tmp_path / "bien-nhan.sctb"
    junk.write_text("không phải biên nhận", encoding="utf-8")
    assert not window.import_receipt_file(junk)
    assert "không phải" in window.message.text()
    assert window.gw.db["receipts"].count == 0


def test_a_received_report_is_locked_in_the_window_and_a_paste_is_refused(window, province, library, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from models.report_lock import report_lock

    enrol_province(window, province, tmp_path)
    packet = export(window.gw, library, tmp_path)
    grid = window.grid
    assert grid.model().flags(grid.model().index(0, 1)) & Qt.ItemFlag.ItemIsEditable  # open before the receipt
    assert window.import_receipt_file(answer_from_province(province, library, packet.path, tmp_path, kind="bien_nhan"))
    reason = report_lock(window.gw, window.gw.find_report("03445", "kl224", "2024"))
    assert reason.startswith("Báo cáo đã được Tỉnh Lai Châu nhận ngày ") and "đã khóa" in reason
    assert reason in window.answer.text() and window.answer.isVisible()

    model = grid.model()
    assert not any(
        model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    )
    fields = window.fields.model()
    assert not any(fields.flags(fields.index(row, 3)) & Qt.ItemFlag.ItemIsEditable for row in range(fields.rowCount()))

    values, audit = window.gw.values(window.controller.session.report), window.gw.db["audit"].count
    QGuiApplication.clipboard().setText("120\n121\n")
    grid.setCurrentIndex(model.index(0, 1))
    QTest.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.message.text() == reason and window.message.isVisible()
    assert window.gw.values(window.controller.session.report) == values and window.gw.db["audit"].count == audit


def test_a_reopening_from_the_province_opens_the_locked_report_for_editing(window, province, library, tmp_path):
    import datetime as dt

    from exports.publications.publish import publish_reopening

    enrol_province(window, province, tmp_path)
    packet = export(window.gw, library, tmp_path)
    receipt = answer_from_province(province, library, packet.path, tmp_path, kind="bien_nhan")
    assert window.import_receipt_file(receipt)
    assert window.controller.locked
    grid = window.grid.model()
    cell = grid.index(0, 1)
    assert not grid.flags(cell) & Qt.ItemFlag.ItemIsEditable
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    reason = "Số hộ của bản đầu tiên chưa khớp biên bản."
    out = tmp_path / "mo-lai"
    out.mkdir()
    reopening = publish_reopening(province, "03445", "kl224", "2024", reason, DEMO_PASSPHRASE, out, "tinh", at=later)
    assert window.import_publication_file(reopening.path)
    assert window.controller.locked is None
    assert window.grid.model().flags(window.grid.model().index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert (
        "mở lại báo cáo biểu kl224" in window.statusBar().currentMessage()
        and reason in window.statusBar().currentMessage()
    )
