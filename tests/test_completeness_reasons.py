"""The completeness matrix carries each commune's warnings with the reasons it
wrote, read from the accepted packet itself (a real packet, imported)."""

from __future__ import annotations

import datetime as dt

from exports.collect.completeness import completeness
from exports.collect.inbox import import_packets
from exports.packets.write import export_packet
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE
from models.reporting import enter_values, view_report

REASON = "Bản mới được công nhận lại cuối năm 2025"


def test_warnings_and_their_reasons_reach_the_matrix(demo_db, library, tmp_path, upper_path):
    report, form = demo_db.find_report("03445", "kl224", "2025"), library.get("kl224")
    view = view_report(demo_db, report, form)
    error = view.evaluation.errors[0]
    households = demo_db.values(report)[("so_ho", error.cell.village)]
    enter_values(demo_db, report, form, [("ho_van_hoa", error.cell.village, households - 1)], "kiem-thu")
    view = view_report(demo_db, report, form)
    for warning in view.evaluation.warnings:
        where = warning.cell.village or view.unit.code
        demo_db.set_reason(report, warning.rule, warning.cell.indicator, where, REASON, "Lò Thị Mai")
    packet = export_packet(demo_db, view_report(demo_db, report, form), DEMO_PASSPHRASE, tmp_path)

    province = Gateway.open(upper_path)
    try:
        assert import_packets(province, [packet.path], library, "tinh").filed[0].outcome == "accepted"
        state = completeness(province, "12", "2025", library, today=dt.date(2026, 1, 2)).states["03445", "kl224"]
    finally:
        province.close()
    assert state.state == "nop_tre"  # received today, after the demo deadline of 15/01/2026
    assert state.warnings == len(view.evaluation.warnings) == len(state.explained)
    warning, reason = state.explained[0]
    village = next(v.name for v in view.villages if v.code == view.evaluation.warnings[0].cell.village)
    assert village in warning and reason == REASON
