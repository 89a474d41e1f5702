"""A report the province has received is locked at the commune: every edit of its
figures and of the reasons for its warnings is refused in the library with one
Vietnamese sentence naming the receipt's day and signer, and nothing is saved; a
return does not lock, nor a receipt whose key is not enrolled. Real databases (the
commune and province demos), real packets and receipts with real signatures; the
command line in process."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

import main
from exports.collect.inbox import import_packets
from exports.collect.receipts import issue_receipt
from exports.collect.trust import enrol
from exports.packets.answers import import_receipt
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet
from forms import vnformat
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.report_lock import ReportLocked, report_lock
from models.reporting import enter_values, view_report
from models.session import ReportSession

UNIT, FORM, PERIOD = "03445", "kl224", "2024"


def report_of(gw):
    return gw.find_report(UNIT, FORM, PERIOD)


def answered(commune_gw, province, library, tmp_path, kind="bien_nhan", enrolled=True, **how):
    """The commune signs its packet, the province files it and answers; the commune imports the answer."""
    if enrolled:
        enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
        enrol(commune_gw, read_enrolment(enrolment), who="xa")
    view = view_report(commune_gw, report_of(commune_gw), library.get(FORM))
    packet = export_packet(commune_gw, view, DEMO_PASSPHRASE, tmp_path)
    run = import_packets(province, [packet.path], library, "tinh")
    assert run.filed[0].outcome == "accepted"
    answer = issue_receipt(
        province,
        run.filed[0].packet_id,
        passphrase=DEMO_PASSPHRASE,
        out=tmp_path,
        library=library,
        who="tinh",
        kind=kind,
        **how,
    )
    return import_receipt(commune_gw, answer.path)


def audit_rows(gw) -> int:
    return gw.db["audit"].count


def test_a_received_report_refuses_every_edit_and_saves_nothing(commune_gw, province, library, tmp_path):
    report = report_of(commune_gw)
    assert report_lock(commune_gw, report) is None
    filed = answered(commune_gw, province, library, tmp_path)
    assert filed.trusted
    data = filed.receipt.data
    day = vnformat.date(dt.datetime.fromisoformat(data["issued_at"]).date())
    reason = report_lock(commune_gw, report)
    assert reason == (
        f"Báo cáo đã được Tỉnh Lai Châu nhận ngày {day} ({data['signer']['name']} ký): đã khóa, không sửa được. "
        "Cần sửa thì đề nghị cấp trên gửi thông báo mở lại."
    )
    assert data["signer"]["name"] in reason and day.count("/") == 2

    form = library.get(FORM)
    values, audit = commune_gw.values(report), audit_rows(commune_gw)
    village = next(unit for _, unit in values if unit != UNIT)
    with pytest.raises(ReportLocked) as refused:
        enter_values(commune_gw, report, form, [("so_ho", village, 7)], "xa")
    assert str(refused.value) == reason
    session = ReportSession(commune_gw, report, form, "xa")  # the window's path: typing, paste, fill-down
    with pytest.raises(ReportLocked):
        session.apply([("so_ho", village, 8), ("so_ho", village, 9)])
    with pytest.raises(ReportLocked):  # the reason written for a warning is part of what was received
        commune_gw.set_reason(report, "ty_le", "so_ho", village, "Đã kiểm tra lại", "xa")
    assert commune_gw.values(report) == values and audit_rows(commune_gw) == audit
    assert commune_gw.reasons(report) == {}

    # another report of the same commune is not locked
    other = commune_gw.find_report(UNIT, FORM, "2025")
    assert report_lock(commune_gw, other) is None


def test_a_return_does_not_lock(commune_gw, province, library, tmp_path):
    filed = answered(commune_gw, province, library, tmp_path, kind="tra_lai", note="Sai số hộ.")
    assert filed.trusted
    report = report_of(commune_gw)
    assert report_lock(commune_gw, report) is None
    village = next(unit for _, unit in commune_gw.values(report) if unit != UNIT)
    assert enter_values(commune_gw, report, library.get(FORM), [("so_ho", village, 7)], "xa")


def test_a_receipt_not_yet_checked_does_not_lock_until_the_key_is_enrolled(commune_gw, province, library, tmp_path):
    filed = answered(commune_gw, province, library, tmp_path, enrolled=False)
    assert not filed.trusted
    report = report_of(commune_gw)
    assert report_lock(commune_gw, report) is None
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(commune_gw, read_enrolment(enrolment), who="xa")  # the receipt is checked now
    assert "đã khóa" in report_lock(commune_gw, report)


def test_load_refuses_a_received_report_with_exit_2(qapp, capsys, demo_path, province, library, tmp_path):
    gw = Gateway.open(demo_path)
    try:
        answered(gw, province, library, tmp_path)
        reason = report_lock(gw, report_of(gw))
    finally:
        gw.close()
    values = tmp_path / "so-lieu.json"
    values.write_text(json.dumps({"values": {"commune": {}, "villages": {"03445.01": {"so_ho": 1}}}}), "utf-8")
    before = sqlite3.connect(demo_path).execute("SELECT count(*) FROM audit").fetchone()[0]
    code = main.main(["load", "--db", str(demo_path), "--unit", UNIT, "--form", FORM, "--period", PERIOD, str(values)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.strip() == reason and len(err.splitlines()) == 1
    assert sqlite3.connect(demo_path).execute("SELECT count(*) FROM audit").fetchone()[0] == before


def test_a_signed_reopening_lifts_the_lock_and_the_next_sequence_goes_up(commune_gw, province, library, tmp_path):
    from exports.publications.publish import publish_reopening
    from exports.publications.receive import import_publication

    answered(commune_gw, province, library, tmp_path)
    report = report_of(commune_gw)
    assert report_lock(commune_gw, report)
    out = tmp_path / "mo-lai"
    out.mkdir()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)  # after the receipt, as it always is
    reason = "Số hộ của Bản Nà Sáng chưa khớp biên bản."
    reopening = publish_reopening(province, UNIT, FORM, PERIOD, reason, DEMO_PASSPHRASE, out, "tinh", at=later)
    assert reopening.path.name == f"12_{FORM}_{PERIOD}_{UNIT}_mo-lai.sctp"
    got = import_publication(commune_gw, reopening.path, "xa")
    assert got.status == "applied"
    assert got.sentence.startswith("Tỉnh Lai Châu mở lại báo cáo biểu kl224 năm 2024 của Xã Mường Tè")
    assert "Số hộ của Bản Nà Sáng chưa khớp biên bản" in got.sentence
    assert report_lock(commune_gw, report) is None
    village = commune_gw.report_villages(report)[0].code
    households = commune_gw.values(report)[("so_ho", village)]
    enter_values(commune_gw, report, library.get(FORM), [("so_ho", village, households + 1)], "xa")
    again = export_packet(commune_gw, view_report(commune_gw, report, library.get(FORM)), DEMO_PASSPHRASE, tmp_path)
    assert again.sequence == 2
    run = import_packets(province, [again.path], library, "tinh")
    assert run.filed[0].outcome == "accepted"
    packet_id = run.filed[0].packet_id
    receipt = issue_receipt(
        province, packet_id, "bien_nhan", DEMO_PASSPHRASE, tmp_path, library, "tinh", at=later + dt.timedelta(minutes=1)
    )
    import_receipt(commune_gw, receipt.path)
    assert report_lock(commune_gw, report)  # the second sequence received: locked again


def test_only_a_unit_directly_below_is_reopened(province, tmp_path):
    from exports.publications.publish import publish_reopening
    from models.errors import BadInput

    with pytest.raises(BadInput, match="không trực thuộc"):
        publish_reopening(province, "12", FORM, PERIOD, "lý do", DEMO_PASSPHRASE, tmp_path, "tinh")
    with pytest.raises(BadInput, match="phải ghi lý do"):
        publish_reopening(province, UNIT, FORM, PERIOD, "  ", DEMO_PASSPHRASE, tmp_path, "tinh")
    assert list(tmp_path.glob("*.sctp")) == []


def test_the_province_holds_a_later_sequence_of_a_report_it_received_until_it_reopens_it(
    commune_gw, province, library, tmp_path
):
    """The commune signs lần 2 before the receipt reaches it (or from an old copy of its database): the
    province holds it, naming its receipt; after the province signs a reopening, the next sequence is filed."""
    from exports.publications.publish import publish_reopening

    report, form = report_of(commune_gw), library.get(FORM)
    first = export_packet(commune_gw, view_report(commune_gw, report, form), DEMO_PASSPHRASE, tmp_path)
    run = import_packets(province, [first.path], library, "tinh")
    issue_receipt(province, run.filed[0].packet_id, "bien_nhan", DEMO_PASSPHRASE, tmp_path, library, "tinh")
    village = commune_gw.report_villages(report)[0].code
    households = commune_gw.values(report)[("so_ho", village)]
    enter_values(commune_gw, report, form, [("so_ho", village, households + 1)], "xa")
    second = export_packet(commune_gw, view_report(commune_gw, report, form), DEMO_PASSPHRASE, tmp_path)
    held = import_packets(province, [second.path], library, "tinh").filed[0]
    assert held.outcome == "held"
    row = province.db.execute("SELECT status, reason FROM received_packets WHERE id = ?", [held.packet_id]).fetchone()
    assert row[0] == "held"
    assert "Đã gửi biên nhận lần gửi 1 của Xã Mường Tè" in row[1] and "chưa gửi thông báo mở lại" in row[1]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    publish_reopening(province, UNIT, FORM, PERIOD, "Sửa số hộ.", DEMO_PASSPHRASE, tmp_path / "mo", "tinh", at=later)
    enter_values(commune_gw, report, form, [("so_ho", village, households + 2)], "xa")
    third = export_packet(commune_gw, view_report(commune_gw, report, form), DEMO_PASSPHRASE, tmp_path)
    assert import_packets(province, [third.path], library, "tinh").filed[0].outcome == "accepted"


def test_a_return_lets_the_next_sequence_in_without_a_reopening(commune_gw, province, library, tmp_path):
    report, form = report_of(commune_gw), library.get(FORM)
    first = export_packet(commune_gw, view_report(commune_gw, report, form), DEMO_PASSPHRASE, tmp_path)
    run = import_packets(province, [first.path], library, "tinh")
    issue_receipt(
        province, run.filed[0].packet_id, "tra_lai", DEMO_PASSPHRASE, tmp_path, library, "tinh", note="Sửa số hộ."
    )
    village = commune_gw.report_villages(report)[0].code
    enter_values(
        commune_gw, report, form, [("so_ho", village, commune_gw.values(report)[("so_ho", village)] + 1)], "xa"
    )
    second = export_packet(commune_gw, view_report(commune_gw, report, form), DEMO_PASSPHRASE, tmp_path)
    assert import_packets(province, [second.path], library, "tinh").filed[0].outcome == "accepted"
