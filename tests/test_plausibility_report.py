"""Plausibility warnings on the demo, with a real database: 1.234 households typed in Mường Tè's
village of 61 warns naming 61 and Năm 2024, needs a reason before the packet is signed, and the packet
carries the finding, its params, the history it used and the reason; the province files it without
saying the counts disagree."""

from __future__ import annotations

import json
import zipfile

import pytest

from exports.collect.inbox import import_packets
from exports.packets.format import DATA_JSON
from exports.packets.write import ReportNotReady, export_packet
from exports.report_json import report_to_dict
from forms.library import default_library
from forms.messages import finding_text
from forms.plausibility import RULE_CHANGE, WHY_HISTORY, WHY_LAST
from models.demo import SIXTY_ONE
from models.gateway import Gateway
from models.history import plausibility_history
from models.keys import DEMO_PASSPHRASE
from models.reporting import view_report
from models.session import ReportSession

UNIT, VILLAGE = "03445", SIXTY_ONE[0]
REASON = "Gõ nhầm từ sổ; đã đối chiếu lại"


@pytest.fixture
def session(demo_path):
    gw = Gateway.open(demo_path)
    form = default_library().get("kl224")
    opened = ReportSession(gw, gw.find_report(UNIT, "kl224", "2025"), form, "Lò Thị Mai")
    yield opened
    gw.close()


def plausibility_of(view):
    return [f for f in view.evaluation.warnings if f.rule == RULE_CHANGE]


def test_the_demo_has_61_households_there_in_2024_and_no_plausibility_warning_anywhere(demo_path):
    gw = Gateway.open(demo_path)
    try:
        form = default_library().get("kl224")
        assert gw.values(gw.find_report(UNIT, "kl224", "2024"))[("so_ho", VILLAGE)] == 61
        assert abs(gw.values(gw.find_report(UNIT, "kl224", "2025"))[("so_ho", VILLAGE)] - 60) <= 2
        for unit in ("03445", "03408", "03390", "03478"):
            for period in ("2024", "2025"):
                view = view_report(gw, gw.find_report(unit, "kl224", period), form)
                assert view.history is not None
                assert report_to_dict(gw, view)["summary"]["plausibility"] == 0, (unit, period)
    finally:
        gw.close()


def test_typing_1234_warns_naming_61_and_the_year_and_signing_waits_for_a_reason(session, tmp_path):
    session.apply([("so_ho", VILLAGE, "1.234")])
    [warning] = plausibility_of(session.view)
    assert warning.cell.village == VILLAGE and warning.params["before"] == 61
    text = finding_text(session.form, warning)
    assert "1.234" in text and "(Năm 2024: 61)" in text and "kỳ trước" in text
    error_village = next(f.cell.village for f in session.view.evaluation.errors)  # the demo's slip, corrected
    session.apply([("ho_van_hoa", error_village, session.value("so_ho", error_village))])
    assert session.view.evaluation.errors == []
    for finding in session.view.evaluation.warnings:
        if finding != warning:  # the village's title with so many households: the form's own warning
            session.set_reason(finding, "Bản mới được công nhận")
    with pytest.raises(ReportNotReady, match="Năm 2024: 61"):
        export_packet(session.gw, session.view, DEMO_PASSPHRASE, tmp_path)
    session.set_reason(warning, REASON)
    # A keystroke later the warning still stands, from the history read when the report opened.
    session.apply([("ho_van_hoa", VILLAGE, session.value("ho_van_hoa", VILLAGE))])
    assert plausibility_of(session.view) == [warning]


def test_the_packet_carries_the_finding_its_params_history_and_reason_and_the_province_agrees(
    session, tmp_path, upper_path
):
    session.apply([("so_ho", VILLAGE, 1234)])
    error_village = next(f.cell.village for f in session.view.evaluation.errors)
    session.apply([("ho_van_hoa", error_village, session.value("so_ho", error_village))])
    for finding in session.view.evaluation.warnings:
        session.set_reason(finding, REASON if finding.rule == RULE_CHANGE else "Bản mới được công nhận")
    exported = export_packet(session.gw, session.view, DEMO_PASSPHRASE, tmp_path)
    summary = exported.manifest["summary"]
    # The form's warnings: the demo's slip, and the 70% rule on the village of 1.234 households.
    assert (summary["warnings"], summary["plausibility"], summary["warnings_explained"]) == (2, 1, 2)
    with zipfile.ZipFile(exported.path) as packet:
        data = json.loads(packet.read(DATA_JSON))
    [sent] = [f for f in data["findings"] if f["rule"] == RULE_CHANGE]
    assert sent["village"] == VILLAGE and sent["reason"] == REASON
    assert sent["params"]["before"] == 61 and sent["params"]["period_label"] == "Năm 2024"
    assert data["history"] == {
        "periods": [{"code": "2024", "label": "Năm 2024", "why": WHY_LAST}],
        "values": [["so_ho", VILLAGE, "2024", 61]],
    }

    province = Gateway.open(upper_path)
    try:
        [filed] = import_packets(province, [exported.path], default_library(), "tinh").filed
        assert filed.outcome == "accepted" and "Bản kê của gói ghi" not in filed.message  # no mismatch said
    finally:
        province.close()


def test_the_history_reads_back_as_many_periods_as_the_form_says(session):
    gw, report = session.gw, session.report
    form = default_library().get("kl224")
    values = gw.values(gw.find_report(UNIT, "kl224", "2024"))
    for year in ("2023", "2021", "2015"):  # 2015 is further back than history_years
        older = gw.ensure_report(UNIT, "kl224", 1, year)
        gw.set_values(older, [], "xa")
        from models.reporting import enter_values

        enter_values(gw, older, form, [("so_ho", VILLAGE, values[("so_ho", VILLAGE)] - 1)], "xa")
    history = plausibility_history(gw, report, form)
    assert [(p.code, p.why) for p in history.periods] == [
        ("2024", WHY_LAST),
        ("2023", WHY_HISTORY),
        ("2021", WHY_HISTORY),
    ]
    cell = history.cell("so_ho", VILLAGE)
    assert (cell.last, cell.low, cell.high, cell.count) == (61, 60, 61, 3)
