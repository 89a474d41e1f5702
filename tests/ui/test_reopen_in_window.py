"""“Mở lại báo cáo...” in the province's inbox: offered only for a report the
province sent a receipt for; it signs a real reopening the commune imports,
and the commune's next sequence is then filed, not held. Real databases,
packets, receipts and signatures."""

from __future__ import annotations

import pytest

from exports.collect.inbox import import_packets
from exports.collect.receipts import issue_receipt
from exports.collect.trust import enrol
from exports.packets.answers import import_receipt
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet
from exports.publications.receive import import_publication
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.report_lock import report_lock
from models.reporting import view_report

UNIT, FORM, PERIOD = "03445", "kl224", "2024"


@pytest.fixture
def commune(commune_gw):
    return commune_gw


def signed(commune, library, folder):
    view = view_report(commune, commune.find_report(UNIT, FORM, PERIOD), library.get(FORM))
    return export_packet(commune, view, DEMO_PASSPHRASE, folder)


def test_the_inbox_reopens_a_received_report_and_its_next_sequence_is_filed(upper_window, commune, library, tmp_path):
    inbox = upper_window.inbox_view
    first = import_packets(upper_window.gw, [signed(commune, library, tmp_path).path], library, "tinh").filed[0]
    inbox.refresh()
    assert inbox.select_packet(first.packet_id)
    assert not inbox.reopen_button.isEnabled()  # nothing received yet: nothing is locked below
    assert inbox.open_reopen_dialog() is None
    receipt = issue_receipt(upper_window.gw, first.packet_id, "bien_nhan", DEMO_PASSPHRASE, tmp_path, library, "tinh")
    enrolment = write_enrolment(
        key_in_use(upper_window.gw, "12"), upper_window.gw.require_unit("12"), tmp_path / "t.sctk"
    )
    enrol(commune, read_enrolment(enrolment), who="xa")
    import_receipt(commune, receipt.path)
    inbox.refresh()
    assert inbox.select_packet(first.packet_id)
    assert inbox.reopen_button.isEnabled()

    dialog = inbox.open_reopen_dialog()
    assert dialog.heading.text() == "Mở lại báo cáo biểu kl224, Năm 2024 của Xã Mường Tè."
    dialog.signing.folder.setText(str(tmp_path / "mo-lai"))
    (tmp_path / "mo-lai").mkdir()
    assert dialog.sign() is None  # no reason: refused in the dialog, nothing signed
    assert "phải ghi lý do" in dialog.error_label.text()
    assert list((tmp_path / "mo-lai").iterdir()) == []
    dialog.reason_edit.setPlainText("Số hộ của Bản Nà Sáng chưa khớp biên bản.")
    dialog.signing.passphrase.setText(DEMO_PASSPHRASE)
    done = dialog.sign()
    assert done is not None and done.path.exists() and not dialog.sign_button.isEnabled()
    dialog.grab().save(str(tmp_path / "mo-lai.png"))

    # The commune imports it, corrects, signs lần 2; the province files it without holding it.
    report = commune.find_report(UNIT, FORM, PERIOD)
    assert report_lock(commune, report)
    assert import_publication(commune, done.path, "xa").status == "applied"
    assert report_lock(commune, report) is None
    second = import_packets(upper_window.gw, [signed(commune, library, tmp_path).path], library, "tinh").filed[0]
    assert second.outcome == "accepted"
