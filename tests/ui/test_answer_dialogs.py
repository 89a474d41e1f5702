"""The upper level's signed answers from the window: a return with its query
for a packet chosen in the inbox, read back by the commune's program, and
the merged table signed upward, verified as a packet and by openssl."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile

import pytest
from testkit import put

from exports.collect.trust import enrol
from exports.packets.answers import import_receipt, report_answer
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.receipt_file import read_receipt
from exports.packets.verify import verify_packet
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key, key_in_use
from ui.upper.answer_dialogs import ReceiptDialog

WAIT = 20_000


def showing_2024(qtbot, window, tmp_path, packets, *names):
    """The province's window with these packets dropped on it, showing 2024."""
    with qtbot.waitSignal(window.import_finished, timeout=WAIT):
        window.import_paths(put(packets, tmp_path / "goi", *names))
    window.choose("kl224", "2024")  # the window opens on the newest period
    return window


@pytest.fixture
def window_with_packets(qtbot, upper_window, tmp_path, packets):
    return showing_2024(qtbot, upper_window, tmp_path, packets, "mt24-1", "mt24-2", "tp24", "sh24")


def chosen(window, file_name: str) -> int:
    packet = next(p for p in window.inbox_view.model.packets if p.file_name == file_name)
    assert window.inbox_view.select_packet(packet.id)
    return packet.id


def test_the_answer_button_follows_the_chosen_packet(window_with_packets):
    window_with_packets.inbox_view.table.clearSelection()
    assert not window_with_packets.answer_button.isEnabled()
    chosen(window_with_packets, "tp24.sctg")
    assert window_with_packets.answer_button.isEnabled()


def test_a_return_from_the_window_reaches_the_commune(window_with_packets, qtbot, tmp_path, packets):
    packet_id = chosen(window_with_packets, "mt24-2.sctg")
    dialog = window_with_packets.open_receipt_dialog()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ReceiptDialog)
    dialog.return_choice.setChecked(True)
    assert dialog.note.isVisible() and dialog.cells[0][0].isVisible()
    indicator, place, why = dialog.cells[0]
    indicator.setCurrentIndex(indicator.findData("ban_co_nvh"))
    place.setCurrentIndex(1)  # the first village the packet lists
    village = place.currentText()
    why.setText("Bản này chưa có nhà văn hóa")

    assert dialog.sign(DEMO_PASSPHRASE, tmp_path / "tra-loi") is None  # no reason written, folder missing
    assert dialog.error_label.isVisible() and "lý do" in dialog.error_label.text()
    dialog.note.setText("Số nhà văn hóa chưa khớp biên bản kiểm tra.")
    assert dialog.sign("sai mật khẩu", tmp_path) is None
    assert "mật khẩu" in dialog.error_label.text().lower()
    assert window_with_packets.gw.db["issued_receipts"].count == 0

    issued = dialog.sign(DEMO_PASSPHRASE, tmp_path)
    assert issued is not None and issued.path.parent == tmp_path
    assert "Đã ký và lưu" in dialog.done_label.text()
    receipt = read_receipt(issued.path).data
    assert receipt["kind"] == "tra_lai" and receipt["cells"][0]["unit_name"] == village
    statuses = {p.id: p.status for p in window_with_packets.inbox_view.model.packets}
    assert statuses[packet_id] == "returned"  # the window refreshed after signing
    assert window_with_packets.merged_view.table.totals["so_ho"].value is not None
    assert "03445" not in {u.unit.code for u in window_with_packets.merged_view.table.received}

    # The commune that exported the packet files the return and sees it beside its report.
    commune_copy = tmp_path / "xa.db"
    shutil.copy(packets.folder / "xa-a.db", commune_copy)  # the database that exported mt24-2
    province_key = key_in_use(window_with_packets.gw, "12")
    key_file = write_enrolment(province_key, window_with_packets.gw.require_unit("12"), tmp_path / "tinh.sctk")
    commune = Gateway.open(commune_copy)
    try:
        enrol(commune, read_enrolment(key_file), "xa")  # its code read back over the phone
        filed = import_receipt(commune, issued.path)
        answer = report_answer(commune, filed.report)
    finally:
        commune.close()
    assert answer.state == "tra_lai" and "chưa khớp biên bản" in answer.text
    assert answer.cells[0]["unit_name"] == village


def test_the_merged_table_is_signed_upward_and_verifies(window_with_packets, qtbot, tmp_path):
    window_with_packets.tabs.setCurrentWidget(window_with_packets.merged_view)
    dialog = window_with_packets.open_upward_dialog()
    qtbot.addWidget(dialog)
    assert dialog.sign_button.isEnabled(), dialog.blocked_label.text()
    packet = dialog.sign(DEMO_PASSPHRASE, tmp_path)
    assert packet is not None and packet.path.name == "12_kl224_2024_lan01.sctg"
    verdict = verify_packet(packet.path, [], window_with_packets.library)
    assert verdict.intact
    children = {c["unit_code"] for c in verdict.manifest["children"]}
    assert children == {"03445", "03408", "03478"}
    with zipfile.ZipFile(packet.path) as archive:
        archive.extractall(tmp_path / "goi-tinh")
    data = json.loads((tmp_path / "goi-tinh" / "so-lieu.json").read_text(encoding="utf-8"))
    assert data["figures"]["so_ho"]["value"] == window_with_packets.merged_view.table.totals["so_ho"].value
    if shutil.which("openssl"):
        checked = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signer.pub.pem", "-rawin"]
            + ["-in", "manifest.json", "-sigfile", "manifest.sig"],
            cwd=tmp_path / "goi-tinh",
            capture_output=True,
            text=True,
        )
        assert "Signature Verified Successfully" in checked.stdout


def test_upward_is_refused_while_a_conflict_waits(qtbot, upper_window, tmp_path, packets):
    window = showing_2024(qtbot, upper_window, tmp_path, packets, "mt24-1", "mt24-1-other", "tp24")
    dialog = window.open_upward_dialog()
    qtbot.addWidget(dialog)
    assert not dialog.sign_button.isEnabled()
    assert "trùng lần gửi" in dialog.blocked_label.text()
    assert dialog.sign(DEMO_PASSPHRASE, tmp_path) is None
    assert list(tmp_path.glob("12_*.sctg")) == []
    window.close()


def test_a_receipt_hides_the_query_and_signs_without_one(window_with_packets, qtbot, tmp_path):
    chosen(window_with_packets, "tp24.sctg")
    dialog = window_with_packets.open_receipt_dialog()
    qtbot.addWidget(dialog)
    dialog.receipt_choice.setChecked(True)
    assert not dialog.note.isVisible() and not dialog.more_button.isVisible()
    issued = dialog.sign(DEMO_PASSPHRASE, tmp_path)
    assert issued is not None and issued.path.name == "03408_kl224_2024_lan01_bien-nhan.sctb"
    assert read_receipt(issued.path).data["kind"] == "bien_nhan"
    assert {p.file_name: p.status for p in window_with_packets.inbox_view.model.packets}["tp24.sctg"] == "accepted"


def receipt_and_upward(qtbot, window, packet: str):
    """The two dialogs that sign with the province's key: a receipt for ``packet``, the upward packet."""
    chosen(window, packet)
    receipt = window.open_receipt_dialog()
    qtbot.addWidget(receipt)
    window.tabs.setCurrentWidget(window.merged_view)
    upward = window.open_upward_dialog()
    qtbot.addWidget(upward)
    return receipt, upward


def test_the_demo_key_s_passphrase_is_hinted_in_both_dialogs_and_only_there(window_with_packets, qtbot, tmp_path):
    window = window_with_packets
    receipt, upward = receipt_and_upward(qtbot, window, "tp24.sctg")
    for dialog in (receipt, upward):
        hint = dialog.signing.demo_hint
        assert hint.isVisible() and hint.text() == "Dữ liệu mẫu: mật khẩu khóa là muongte-mau"
    assert receipt.sign(hint.text().rpartition(" ")[2], tmp_path) is not None  # the words hinted unlock the key
    receipt.close()
    upward.close()

    create_unit_key(window.gw, "12", "mat-khau-that-cua-tinh", "Đỗ Thu Tài", replace=True)  # a real key now
    receipt, upward = receipt_and_upward(qtbot, window, "sh24.sctg")
    for dialog in (receipt, upward):
        assert dialog.isVisible() and not dialog.signing.demo_hint.isVisible()
