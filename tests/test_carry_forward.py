"""A new period started from the last one (models/carry_forward.py) on the commune
demo, a real SQLite file: the carry-forward indicators of the form are copied into
the empty cells only, marked, audited with who carried them; they count as empty
when signing until confirmed or typed over (even with the same figure); a locked
report refuses; the command line does the same."""

from __future__ import annotations

import json

import pytest

import main
from forms.engine import Cell
from models.carry_forward import carried_cells, carry_forward, confirm_carried, source_report
from models.errors import BadInput
from models.gateway import Gateway
from models.reporting import enter_values, start_report, view_report
from models.session import ReportSession

UNIT, FORM = "03478", "kl224"


@pytest.fixture
def gw(commune_gw):
    return commune_gw


def carried_indicators(form):
    return [i for i in form.indicators if i.carry_forward and i.applies("xã")]


def test_the_shipped_forms_carry_the_counts_that_rarely_change(kl224):
    carried = {i.id for i in kl224.indicators if i.carry_forward}
    assert {"so_ho", "so_co_quan", "so_truong", "can_bo_dang_vien"} <= carried
    assert not {"ho_van_hoa", "ho_duoc_tuyen_truyen", "ban_co_nvh"} & carried  # what a year changes


def test_a_new_period_takes_the_last_ones_rarely_changing_values_into_its_empty_cells(gw, library):
    form = library.get(FORM)
    report = start_report(gw, UNIT, form, "2026")
    assert source_report(gw, report).period_code == "2025"
    last = gw.values(gw.find_report(UNIT, FORM, "2025"))
    village = gw.report_villages(report)[0].code
    enter_values(gw, report, form, [("so_ho", village, 999)], "Lò Thị Mai")  # typed before: kept
    count = carry_forward(gw, report, form, "Lò Thị Mai")

    expected = {
        (ind.id, code)
        for ind in carried_indicators(form)
        for code in ([v.code for v in gw.report_villages(report)] if ind.grain == "village" else [UNIT])
        if (ind.id, code) in last
    } - {("so_ho", village)}
    values = gw.values(report)
    assert count == len(expected) > 10
    assert set(values) == expected | {("so_ho", village)}
    assert all(values[key] == last[key] for key in expected)
    assert values[("so_ho", village)] == 999
    assert set(carried_cells(gw, report)) == expected
    assert {c.from_period for c in carried_cells(gw, report).values()} == {"2025"}
    who = {row["who"] for row in gw.audit_trail(report) if (row["indicator"], row["unit_code"]) in expected}
    assert who == {"Lò Thị Mai (chuyển từ Năm 2025)"}
    assert carry_forward(gw, report, form, "Lò Thị Mai") == 0  # nothing empty left to carry into


def test_carried_cells_count_as_empty_until_confirmed_or_typed_over(gw, library):
    form = library.get(FORM)
    report = start_report(gw, UNIT, form, "2026")
    carry_forward(gw, report, form, "mai")
    view = view_report(gw, report, form)
    carried = list(carried_cells(gw, report))
    cells = set(view.empty_cells)
    assert {Cell(ind, None if unit == UNIT else unit) for ind, unit in carried} <= cells
    without = view_report(gw, report, form)
    assert len(view.carried_empty) == len(carried)

    session = ReportSession(gw, report, form, "mai")
    (ind, unit), *_ = carried
    same = gw.values(report)[(ind, unit)]
    audit = gw.db["audit"].count
    session.apply([(ind, unit, str(same))])  # the same figure typed again confirms it
    assert (ind, unit) not in carried_cells(gw, report)
    assert (ind, unit) not in session.view.carried
    assert len(session.view.empty_cells) == len(without.empty_cells) - 1
    assert gw.db["audit"].count == audit  # nothing changed, nothing audited: the mark says who confirmed
    row = gw.db.execute(
        "SELECT confirmed_by FROM carried_cells WHERE report_id = ? AND indicator = ? AND unit_code = ?",
        [report.id, ind, unit],
    ).fetchone()
    assert row == ("mai",)

    assert session.confirm_carried([carried[1]]) == 1
    with pytest.raises(BadInput):
        confirm_carried(gw, report, [carried[1]], "mai")  # already confirmed
    assert confirm_carried(gw, report, None, "mai") == len(carried) - 2
    assert carried_cells(gw, report) == {}
    confirmations = [r for r in gw.audit_trail(report) if r["who"] == "mai (xác nhận số chuyển từ kỳ trước)"]
    assert len(confirmations) == len(carried) - 1
    assert all(r["old_value"] == r["new_value"] for r in confirmations)
    final = view_report(gw, report, form)
    assert final.carried_empty == [] and len(final.empty_cells) < len(view.empty_cells)


def test_no_earlier_report_carries_nothing(gw, library):
    form = library.get(FORM)
    report = start_report(gw, UNIT, form, "2020")
    assert source_report(gw, report) is None
    assert carry_forward(gw, report, form, "mai") == 0
    assert gw.values(report) == {}


def test_the_command_line_carries_and_confirms(qapp, capsys, demo_path):
    db = ["--db", str(demo_path)]
    where = ["--unit", UNIT, "--form", FORM, "--period", "2026"]
    assert main.main(["carry-forward", *db, *where, "--who", "Lò Thị Mai", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["carried"] > 10 and out["from_period"] == "2025"
    assert main.main(["show", *db, *where, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert len(shown["carried_forward"]) == out["carried"]
    ind, unit, period = shown["carried_forward"][0]
    assert period == "2025"
    assert main.main(["confirm-carried", *db, *where, "--indicator", ind, "--unit-code", unit, "--who", "mai"]) == 0
    capsys.readouterr()
    assert main.main(["confirm-carried", *db, *where, "--indicator", ind, "--unit-code", unit, "--who", "mai"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    assert main.main(["confirm-carried", *db, *where, "--all", "--who", "mai", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["confirmed"] == out["carried"] - 1
    assert main.main(["confirm-carried", *db, *where, "--who", "mai"]) == 2  # neither --all nor a cell
    assert "--all" in capsys.readouterr().err


def test_the_packet_lists_the_unconfirmed_cells_and_the_upper_level_checks_them(demo_path, library, tmp_path):
    from packet_forge import forged

    from exports.packets.verify import verify_packet
    from exports.packets.write import export_packet
    from models.keys import DEMO_PASSPHRASE

    gw = Gateway.open(demo_path)
    try:
        form = library.get(FORM)
        report = start_report(gw, "03445", form, "2026")
        count = carry_forward(gw, report, form, "mai")
        view = view_report(gw, report, form)
        packet = export_packet(gw, view, DEMO_PASSPHRASE, tmp_path)
    finally:
        gw.close()
    verdict = verify_packet(packet.path, [], library)
    assert verdict.intact and verdict.problems == []
    listed = verdict.data["carried_forward"]
    assert len(listed) == count and {period for *_, period in listed} == {"2025"}
    assert verdict.manifest["summary"]["cells_missing"] == len(view.empty_cells)

    village = listed[0][1] if listed[0][1] != "03445" else listed[-1][1]
    bad = forged(packet.path, data=lambda d: d["carried_forward"].__setitem__(0, ["ho_van_hoa", village, "2025"]))
    problems = verify_packet(bad, [], library).problems
    assert any("không có số liệu" in p for p in problems), problems
    twice = forged(packet.path, data=lambda d: d["carried_forward"].__setitem__(1, d["carried_forward"][0]))
    assert any("hai lần" in p for p in verify_packet(twice, [], library).problems)


def test_a_locked_report_refuses_to_carry_or_confirm(demo_path, upper_path, library, tmp_path):
    from test_report_lock import answered

    from models.report_lock import ReportLocked

    gw, province = Gateway.open(demo_path), Gateway.open(upper_path)
    try:
        answered(gw, province, library, tmp_path)  # the province received 03445's 2024 and its receipt is here
        report = gw.find_report("03445", FORM, "2024")
        values = gw.values(report)
        with pytest.raises(ReportLocked):
            carry_forward(gw, report, library.get(FORM), "mai")
        with pytest.raises(ReportLocked):
            confirm_carried(gw, report, [], "mai")
        assert gw.values(report) == values and carried_cells(gw, report) == {}
    finally:
        gw.close()
        province.close()
