"""A report past its collection deadline (the province's signed notice, imported
at the commune) can still be filled, and says it is late: models/lateness.py with
the day chosen, ``show --json``/``check`` on the real day. Real databases (the
commune and province demos), a real signed notice."""

from __future__ import annotations

import datetime as dt
import json

import main
from exports.collect.trust import enrol
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet
from exports.publications.publish import publish_collection
from exports.publications.receive import import_publication
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.lateness import report_lateness
from models.reporting import enter_values, view_report

FORM, PERIOD = "kl224", "2024"
DEADLINE = dt.date(2025, 1, 15)


def noticed(commune: Gateway, province: Gateway, tmp_path, deadline=DEADLINE):
    """The province asks for kl224 of 2024 by ``deadline``; the commune trusts its key and imports it."""
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(commune, read_enrolment(enrolment), who="xa")
    published = publish_collection(province, FORM, None, PERIOD, deadline, "", DEMO_PASSPHRASE, tmp_path, "tinh")
    assert import_publication(commune, published.path, "xa").status == "applied"
    home = commune.setting("home_unit")
    return commune.find_report(home, FORM, PERIOD)


def test_late_after_the_deadline_until_a_packet_went_by_it(demo_path, province, library, tmp_path):
    commune = Gateway.open(demo_path)
    try:
        report = noticed(commune, province, tmp_path)
        assert report_lateness(commune, report, DEADLINE) is None  # the last day is still in time
        late = report_lateness(commune, report, dt.date(2025, 1, 18))
        assert late.days == 3 and late.deadline == DEADLINE
        assert late.text == "Quá hạn nộp: hạn 15/01/2025, đã quá 3 ngày"
        assert late.to_dict() == {"deadline": "2025-01-15", "days": 3}
        # still filled: late is a fact, not a lock
        village = commune.report_villages(report)[0].code
        assert enter_values(commune, report, library.get(FORM, report.form_version), [("so_ho", village, 70)], "xa")
        # another period has no notice: never late
        other = commune.find_report(report.unit_code, FORM, "2025")
        assert report_lateness(commune, other, dt.date(2030, 1, 1)) is None
    finally:
        commune.close()


def test_a_packet_exported_by_the_deadline_is_not_late(demo_path, province, library, tmp_path):
    commune = Gateway.open(demo_path)
    try:
        # the deadline is far ahead, so today's packet is in time; a day after the deadline still not late
        report = noticed(commune, province, tmp_path, deadline=dt.date(2100, 1, 15))
        assert report_lateness(commune, report, dt.date(2100, 1, 20)).days == 5
        view = view_report(commune, report, library.get(FORM, report.form_version))
        export_packet(commune, view, DEMO_PASSPHRASE, tmp_path)
        assert report_lateness(commune, report, dt.date(2100, 1, 20)) is None
    finally:
        commune.close()


def test_show_and_check_say_late_on_the_real_day(qapp, capsys, demo_path, province, tmp_path):
    commune = Gateway.open(demo_path)
    try:
        report = noticed(commune, province, tmp_path)
    finally:
        commune.close()
    where = ["--db", str(demo_path), "--unit", report.unit_code, "--form", FORM, "--period", PERIOD]
    days = (dt.date.today() - DEADLINE).days
    assert main.main(["show", *where, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["late"] == {"deadline": "2025-01-15", "days": days}
    assert main.main(["check", *where, "--json"]) in (0, 1)
    assert json.loads(capsys.readouterr().out)["late"]["days"] == days
    main.main(["check", *where])
    assert "Quá hạn nộp: hạn 15/01/2025, đã quá" in capsys.readouterr().out
    assert main.main(["show", *where[:-2], "--period", "2025", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["late"] is None
