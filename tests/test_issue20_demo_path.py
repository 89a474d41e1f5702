"""Issue 20's “done when”, on the demo, through the library: Xã Mường Tè 2025
double-entered with three deliberate differences resolved and signed; 1.234
households typed for the village that had 61 warns naming 61; the village list
and households carried into 2026; at the province, the double entry in
completeness and the finding in the follow-up list, a receipt; at the commune
the report locked; a signed reopening, the correction sent as lần 2 and
accepted. Real commune and province databases, real packets, receipts and
publications with real signatures."""

from __future__ import annotations

import datetime as dt

import pytest

from exports.collect.completeness import completeness
from exports.collect.followup import followup
from exports.collect.inbox import import_packets
from exports.collect.receipts import issue_receipt
from exports.collect.received import declared_lines
from exports.collect.trust import enrol
from exports.packets.answers import import_receipt
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet, signing_blockers
from exports.publications.publish import publish_reopening
from exports.publications.receive import import_publication
from forms.messages import finding_text
from forms.plausibility import RULE_CHANGE
from models import double_entry
from models.carry_forward import carried_cells, carry_forward
from models.demo import SIXTY_ONE
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.report_lock import ReportLocked, report_lock
from models.reporting import enter_values, report_form, start_report, view_report

UNIT, FORM = "03445", "kl224"
OFFICER, SECOND = "Lò Thị Mai", "Vàng A Sình"
RESETTLED = "Có 40 hộ tái định cư chuyển đến bản trong năm."


@pytest.fixture
def commune(commune_gw):
    return commune_gw


def view_of(gw, report):
    return view_report(gw, report, report_form(gw, report))


def test_the_demo_path_of_issue_20(commune, province, library, tmp_path):
    report = commune.find_report(UNIT, FORM, "2025")
    form = report_form(commune, report)
    first = commune.values(report)
    villages = commune.report_villages(report)

    # ---- double entry: the paper typed again blind, three cells typed differently -------------------
    error = next(f for f in view_of(commune, report).evaluation.errors)  # the demo's copying slip
    slipped = (error.cell.indicator, error.cell.village)
    right_figure = first[("so_ho", error.cell.village)] - 3  # what the village's paper says
    double_entry.start_second_pass(commune, report, SECOND, form)
    again = dict(first)
    again[slipped] = right_figure  # the second pass reads the paper right
    again[("so_ho", villages[1].code)] = first[("so_ho", villages[1].code)] + 10  # a slip of the second pass
    again[("can_bo_dang_vien", UNIT)] = first[("can_bo_dang_vien", UNIT)] + 1  # neither: the paper is unclear
    edits = [(indicator, unit, value) for (indicator, unit), value in again.items()]
    double_entry.enter_second(commune, report, form, edits, SECOND)
    found = double_entry.finish_second_pass(commune, report, form)
    assert {(d.indicator, d.unit_code) for d in found} == {
        slipped,
        ("so_ho", villages[1].code),
        ("can_bo_dang_vien", UNIT),
    }
    with pytest.raises(Exception, match="nhập hai lần|đối chiếu"):
        export_packet(commune, view_of(commune, report), DEMO_PASSPHRASE, tmp_path)
    double_entry.resolve(commune, report, form, *slipped, "lan_2", who=OFFICER)
    double_entry.resolve(commune, report, form, "so_ho", villages[1].code, "lan_1", who=OFFICER)
    members = first[("can_bo_dang_vien", UNIT)] + 2  # read again from the commune's list
    double_entry.resolve(commune, report, form, "can_bo_dang_vien", UNIT, "so_khac", members, who=OFFICER)
    done = double_entry.status(commune, report, form)
    assert (done.differences, done.resolved) == (3, 3)
    values = commune.values(report)
    assert values[slipped] == right_figure and values[("can_bo_dang_vien", UNIT)] == members
    decided = [row["who"] for row in commune.audit_trail(report)][-3:]
    assert all(who.startswith(f"{OFFICER} (đối chiếu nhập hai lần: ") for who in decided)

    # ---- 1.234 households typed for the village of 60 that had 61: a warning naming 61 ------------------
    village, last_year, this_year = SIXTY_ONE
    assert commune.values(report)[("so_ho", village)] == this_year
    enter_values(commune, report, form, [("so_ho", village, 1234)], OFFICER)
    warned = [
        f
        for f in view_of(commune, report).evaluation.warnings
        if (f.rule, f.cell.indicator, f.cell.village) == (RULE_CHANGE, "so_ho", village)
    ]
    assert len(warned) == 1
    said = finding_text(form, warned[0])
    assert "1.234" in said and f"Năm 2024: {last_year}" in said
    enter_values(commune, report, form, [("so_ho", village, this_year)], OFFICER)  # the paper says 60
    assert RULE_CHANGE not in {f.rule for f in view_of(commune, report).evaluation.warnings}
    # A village that really grew: 40 resettled households; warned too, and explained below.
    grown = villages[3].code
    enter_values(commune, report, form, [("so_ho", grown, commune.values(report)[("so_ho", grown)] + 40)], OFFICER)
    assert RULE_CHANGE in {f.rule for f in view_of(commune, report).evaluation.warnings}

    # ---- the demo's warning explained; the report signs ---------------------------------------------
    view = view_of(commune, report)
    assert not view.evaluation.errors
    for warning in view.evaluation.warnings:
        why = RESETTLED if warning.rule == RULE_CHANGE else "Đã xem lại biên bản."
        commune.set_reason(report, warning.rule, warning.cell.indicator, warning.cell.village or UNIT, why, OFFICER)
    assert signing_blockers(view_of(commune, report), commune) == []
    packet = export_packet(commune, view_of(commune, report), DEMO_PASSPHRASE, tmp_path)
    assert packet.manifest["summary"]["double_entry"]["differences"] == 3

    # ---- 2026 starts from 2025's households, marked until confirmed ----------------------------------
    next_year = start_report(commune, UNIT, form, "2026")
    carried = carry_forward(commune, next_year, form, OFFICER)
    assert carried >= len(villages)
    marks = carried_cells(commune, next_year)
    assert marks[("so_ho", villages[0].code)].value == commune.values(report)[("so_ho", villages[0].code)]
    assert view_of(commune, next_year).carried_empty  # counted as empty when signing, until confirmed

    # ---- the province: double entry in completeness, a receipt ---------------------------------------
    filed = import_packets(province, [packet.path], library, "tinh").filed[0]
    assert filed.outcome == "accepted"
    state = completeness(province, "12", "2025", library).states[UNIT, FORM]
    assert state.double_entry["differences"] == 3 and state.double_entry["resolved"] == 3
    said = declared_lines(province, filed.packet_id)  # the inbox's words for the packet
    assert said[0].startswith("Xã nhập hai lần (lần 1: ") and said[0].endswith("3 chỗ khác nhau, đã đối chiếu 3.")
    assert said[1].startswith("Xã gửi kèm 1 cảnh báo bất thường có giải trình")
    listed = followup(province, FORM, "2025", "12")
    (row,) = [r for r in listed.rows if r.unit_code == UNIT]
    assert (row.village_code, row.indicator, row.rule, row.reason) == (grown, "so_ho", RULE_CHANGE, RESETTLED)
    assert row.side == "sent"  # the province holds no 2024 packet of Mường Tè to find it again
    receipt = issue_receipt(province, filed.packet_id, "bien_nhan", DEMO_PASSPHRASE, tmp_path, library, "tinh")

    # ---- the commune imports it: locked ---------------------------------------------------------------
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(commune, read_enrolment(enrolment), who=OFFICER)
    import_receipt(commune, receipt.path)
    assert report_lock(commune, report).startswith("Báo cáo đã được Tỉnh Lai Châu nhận ngày ")
    with pytest.raises(ReportLocked):
        enter_values(commune, report, form, [("so_ho", villages[2].code, 99)], OFFICER)

    # ---- a signed reopening; the correction goes up as lần 2 and is accepted --------------------------
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    reopening = publish_reopening(
        province, UNIT, FORM, "2025", "Số hộ Bản thứ ba chưa khớp.", DEMO_PASSPHRASE, tmp_path / "mo", "tinh", at=later
    )
    assert import_publication(commune, reopening.path, OFFICER).status == "applied"
    assert report_lock(commune, report) is None
    enter_values(commune, report, form, [("so_ho", villages[2].code, values[("so_ho", villages[2].code)] + 1)], OFFICER)
    second = export_packet(commune, view_of(commune, report), DEMO_PASSPHRASE, tmp_path)
    assert second.sequence == 2
    assert import_packets(province, [second.path], library, "tinh").filed[0].outcome == "accepted"
