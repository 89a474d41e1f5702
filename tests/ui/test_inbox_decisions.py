"""The officer's decisions from the upper level's window (issue 15): a packet
whose figures break the form's rules, typed into a copy of the commune demo
and signed there, shows its errors under the inbox, is counted only with a
written reason, or returned with its errors as the cells to correct; a
packet voided puts the previous sequence back; a packet of a retired key
names both keys; every status has its colour."""

from __future__ import annotations

import datetime as dt

import pytest
from packet_forge import UNIT, VILLAGE, Commune, now
from PySide6.QtCore import Qt
from testkit import put

from exports.collect.receipts import Query
from exports.collect.trust import enrol
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.receipt_file import read_receipt
from models.keys import DEMO_PASSPHRASE, create_unit_key
from models.vocabulary import ImportOutcome, PacketStatus
from ui.upper.answer_dialogs import ReceiptDialog
from ui.upper.decision_dialog import VoidDialog
from ui.upper.inbox_model import STATUS
from ui.upper.status_look import OUTCOME_COLOURS, STATUS_COLOURS, STATUS_ORDER

WAIT = 20_000
WHO = "kiem-thu"
SMALL_VILLAGE = "03445.02"  # Bản Pa Sang
SMALL_REASON = "Bản mới tách, chỉ còn 6 hộ"
ERROR = "Bản Nà Sáng: 3.1. Hộ gia đình đạt danh hiệu Gia đình văn hóa (5.134) lớn hơn tổng “Số hộ gia đình” (134)."


def flawed_figures(commune: Commune) -> None:
    """Households of culture above the households of Bản Nà Sáng (an error), and Bản Pa Sang down to
    6 households (a warning, with the commune's written reason; the commune's households told of the
    Party's line and hearing the national radio now exceed all its households: two more errors)."""
    commune.type(
        ("ho_van_hoa", VILLAGE, commune.value("so_ho", VILLAGE) + 5000),
        ("so_ho", SMALL_VILLAGE, 6),
        ("ho_van_hoa", SMALL_VILLAGE, 5),
    )
    for warning in commune.view().evaluation.warnings:
        where = warning.cell.village or UNIT
        commune.gw.set_reason(commune.report, warning.rule, warning.cell.indicator, where, SMALL_REASON, who="xa")


def imported(qtbot, window, *paths):
    """The files imported through the window; the filed packets, in order."""
    with qtbot.waitSignal(window.import_finished, timeout=WAIT) as blocker:
        assert window.import_paths(paths) is not None
    window.choose("kl224", "2024")  # the window opens on the newest period
    return blocker.args[0].filed


def status_of(window, packet_id: int) -> str:
    return next(p.status for p in window.inbox_view.model.packets if p.id == packet_id)


def usable_buttons(inbox) -> list[str]:
    return [b.text() for b, _action, _applies in inbox._packet_actions if b.isVisible() and b.isEnabled()]


def enabled_menu(window) -> list[str]:
    return [a.text() for a in window.inbox_menu.actions() if a.isEnabled()]


@pytest.fixture
def flawed(qtbot, upper_window, commune):
    """The province's window with Mường Tè's sequence 1 accepted, then sequence 2 with errors, chosen."""
    first = commune.sign(1, at=now() - dt.timedelta(hours=1))
    flawed_figures(commune)
    filed = imported(qtbot, upper_window, first, commune.sign(2))
    assert [f.outcome for f in filed] == ["accepted", "flawed"]
    assert upper_window.inbox_view.select_packet(filed[1].packet_id)
    return upper_window, filed[1].packet_id


def test_a_flawed_packet_lists_its_errors_and_the_warnings_with_the_communes_reason(flawed):
    window, _packet_id = flawed
    inbox = window.inbox_view
    texts = inbox.panel.finding_texts()
    assert f"Lỗi: {ERROR}" in texts
    assert texts[0].startswith("Lỗi: ") and texts[-1].startswith("Cảnh báo: ")  # errors first
    warning = "Cảnh báo: Bản Pa Sang: Bản có dưới 10 hộ gia đình; kiểm tra lại số hộ."
    assert f"{warning} — Xã giải trình: “{SMALL_REASON}”" in texts
    assert inbox.panel.findings_caption.text() == "Kiểm tra lại số liệu ở cấp này: 3 lỗi, 1 cảnh báo"
    assert "chưa được cộng" in inbox.panel.detail.text()
    assert inbox.panel.return_button.isVisible()
    assert usable_buttons(inbox) == ["Quyết định...", "Biên nhận / Trả lại...", "Hủy gói..."]
    assert enabled_menu(window) == ["Quyết định...", "Biên nhận / Trả lại...", "Hủy gói..."]
    assert [a.text() for a in window.inbox_menu.actions()] == [
        "Xem trùng lần gửi...",
        "Quyết định...",
        "Biên nhận / Trả lại...",
        "Hủy gói...",
        "In biểu của gói...",
    ]
    row = inbox.model.row_of(_packet_id)
    background = inbox.model.index(row, STATUS).data(Qt.ItemDataRole.BackgroundRole)
    assert background.color().name() == STATUS_COLOURS[PacketStatus.FLAWED]


def test_counting_a_flawed_packet_needs_a_reason_and_then_sums_it(qtbot, flawed):
    window, packet_id = flawed
    inbox = window.inbox_view
    assert UNIT not in {u.unit.code for u in window.merged_view.table.received}
    dialog = inbox.open_decision_dialog()
    qtbot.addWidget(dialog)
    assert dialog.action_label.text() == "Quyết định: Cộng số liệu của gói này vào tổng hợp dù có lỗi."
    assert "3 lỗi" in dialog.explanation.text()
    assert (dialog.ok_button.text(), dialog.cancel_button.text()) == ("Đồng ý", "Hủy bỏ")
    dialog.reason_edit.setText("   ")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error_label.text() == "Hãy ghi lý do quyết định."
    assert dialog.reason_edit.text() == "   " and status_of(window, packet_id) == "flawed"
    reason = "Đã gọi điện, xã xác nhận số hộ văn hóa đúng"
    dialog.reason_edit.setText(reason)
    with qtbot.waitSignal(window.refreshed, timeout=WAIT):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert status_of(window, packet_id) == "accepted"
    assert "dù có lỗi" in window.notice.text() and window.notice.isVisible()
    assert UNIT in {u.unit.code for u in window.merged_view.table.received}
    assert window.merged_view.left_out.full_text == ""
    assert inbox.selected_packet_id() == packet_id and "Quyết định..." not in usable_buttons(inbox)
    assert reason in inbox.panel.detail.text()


def test_a_return_built_from_the_findings_asks_for_the_cells_with_errors(qtbot, flawed, tmp_path):
    window, packet_id = flawed
    inbox = window.inbox_view
    qtbot.mouseClick(inbox.panel.return_button, Qt.MouseButton.LeftButton)
    dialog = inbox.findChild(ReceiptDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.return_choice.isChecked() and "đề nghị xã sửa" in dialog.note.text()
    queries = dialog.queries()
    assert queries[0] == Query("ho_van_hoa", VILLAGE, ERROR)
    assert [(q.indicator, q.unit_code) for q in queries[1:]] == [
        ("ho_duoc_tuyen_truyen", ""),  # the commune's own cells
        ("ho_nghe_xem_tw", ""),
    ]
    indicator, place, _why = dialog.cells[0]
    assert place.currentText() == "Bản Nà Sáng" and "Gia đình văn hóa" in indicator.currentText()
    for cell in dialog.cells[1:]:
        cell[0].setCurrentIndex(0)  # the officer leaves them out before signing
    issued = dialog.sign(DEMO_PASSPHRASE, tmp_path)
    assert issued is not None, dialog.error_label.text()
    cells = read_receipt(issued.path).data["cells"]
    assert [(c["indicator"], c["unit_code"], c["unit_name"]) for c in cells] == [("ho_van_hoa", VILLAGE, "Bản Nà Sáng")]
    assert status_of(window, packet_id) == "returned"


def test_a_return_of_many_errors_lists_them_all_in_a_scrolled_area(qtbot, upper_window, commune):
    households = {v: commune.value("so_ho", v) for v in (f"{UNIT}.{n:02d}" for n in range(1, 13))}
    commune.type(*(("ho_van_hoa", v, n + 1) for v, n in households.items()))
    [filed] = imported(qtbot, upper_window, commune.sign(1))
    upper_window.inbox_view.select_packet(filed.packet_id)
    dialog = upper_window.inbox_view.open_receipt_dialog(from_findings=True)
    qtbot.addWidget(dialog)
    assert len(dialog.queries()) == len(households) > dialog.MAX_CELLS
    assert dialog.height() < 900 and dialog.cell_scroll.verticalScrollBar().maximum() > 0


def test_voiding_an_accepted_packet_accepts_the_previous_sequence_again(qtbot, upper_window, packets, tmp_path):
    first, second = imported(qtbot, upper_window, *put(packets, tmp_path, "mt24-1", "mt24-2"))
    assert status_of(upper_window, first.packet_id) == "superseded"
    inbox = upper_window.inbox_view
    inbox.select_packet(second.packet_id)
    assert "Hủy gói..." in usable_buttons(inbox) and "Quyết định..." not in usable_buttons(inbox)
    next(a for a in upper_window.inbox_menu.actions() if a.text() == "Hủy gói...").trigger()  # Hộp thư › Hủy gói...
    dialog = inbox.findChild(VoidDialog)
    assert dialog is not None and dialog.isVisible()
    assert (dialog.ok_button.text(), dialog.cancel_button.text()) == ("Hủy gói", "Không hủy")
    assert "lần gửi trước đó được nhận lại" in dialog.explanation.text()
    assert dialog.submit() is False and dialog.error_label.text() == "Hãy ghi lý do hủy gói."
    dialog.reason_edit.setText("Xã gửi nhầm lần 2, bản đúng là lần 1")
    with qtbot.waitSignal(upper_window.refreshed, timeout=WAIT):
        assert dialog.submit()
    assert status_of(upper_window, second.packet_id) == "voided"
    assert status_of(upper_window, first.packet_id) == "accepted"
    assert upper_window.notice.text().startswith(f"Đã hủy gói số {second.packet_id}")
    assert usable_buttons(inbox) == []  # a voided packet: nothing more to do
    assert upper_window.merged_view.table.received[0].packet_id == first.packet_id
    assert upper_window.inbox_view.model.index(0, STATUS).data() in {s.words for s in PacketStatus}


def test_a_held_packet_of_a_retired_key_shows_both_codes_and_is_confirmed(qtbot, upper_window, commune, tmp_path):
    imported(qtbot, upper_window, commune.sign(1, at=now() - dt.timedelta(hours=1)))
    old = commune.key
    new = create_unit_key(commune.gw, UNIT, "mật khẩu khóa mới", "Lò Văn Mới", "Công chức", replace=True)
    enrol(upper_window.gw, read_enrolment(write_enrolment(new, commune.gw.require_unit(UNIT), tmp_path / "k")), WHO)
    [held] = imported(qtbot, upper_window, commune.sign(2, key=old, name="khoa-cu.sctg"))
    assert held.outcome == "held"
    inbox = upper_window.inbox_view
    inbox.select_packet(held.packet_id)
    detail = inbox.panel.detail.text()
    assert old.spoken in detail and new.spoken in detail and "Quyết định..." in detail
    assert usable_buttons(inbox) == ["Quyết định...", "Hủy gói..."]
    dialog = inbox.open_decision_dialog()
    qtbot.addWidget(dialog)
    assert dialog.action_label.text() == "Quyết định: Xác nhận gói (đã gọi điện hỏi xã)."
    assert old.spoken in dialog.state_label.text()
    dialog.reason_edit.setText("Đã gọi điện: xã gửi bằng máy cũ trước khi đổi khóa")
    with qtbot.waitSignal(upper_window.refreshed, timeout=WAIT):
        assert dialog.submit()
    assert status_of(upper_window, held.packet_id) == "accepted"
    assert upper_window.notice.text().startswith(f"Đã xác nhận gói số {held.packet_id}")


def test_an_older_sequence_is_taken_back_and_the_dialog_names_what_it_voids(qtbot, upper_window, commune):
    one = commune.sign(1, at=now() - dt.timedelta(hours=5))
    three = commune.sign(3, at=now() - dt.timedelta(hours=4))
    _, later, restored = imported(qtbot, upper_window, one, three, commune.sign(2, name="khoi-phuc.sctg"))
    assert restored.outcome == "stale"
    upper_window.inbox_view.select_packet(restored.packet_id)
    dialog = upper_window.inbox_view.open_decision_dialog()
    qtbot.addWidget(dialog)
    assert dialog.action_label.text() == "Quyết định: Nhận lại bản cũ này; các lần gửi sau bị hủy."
    assert "Sẽ hủy 1 gói gửi sau (lần gửi 3)" in dialog.explanation.text()
    dialog.reason_edit.setText("Xã khôi phục bản sao lưu, gửi lại lần 2")
    with qtbot.waitSignal(upper_window.refreshed, timeout=WAIT):
        assert dialog.submit()
    assert status_of(upper_window, restored.packet_id) == "accepted"
    assert status_of(upper_window, later.packet_id) == "voided"


def test_every_status_has_its_colour_and_place():
    assert set(STATUS_COLOURS) == set(PacketStatus) == set(STATUS_ORDER)
    assert set(OUTCOME_COLOURS) == set(ImportOutcome)
    assert STATUS_COLOURS[PacketStatus.FLAWED] != STATUS_COLOURS[PacketStatus.ACCEPTED]
