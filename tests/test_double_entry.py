"""Double entry (models/double_entry.py): a second pass typed blind, the differences listed, each resolved
as the first, the second or a third value with the decision in the audit trail, signing refused until
then; the packet says it was double-entered, the province's completeness shows it, a malformed record
is refused. Real databases (the commune and province demos), real packets and signatures; the command
line in process."""

from __future__ import annotations

import copy
import dataclasses
import json

import pytest

import main
from exports.collect.completeness import completeness
from exports.collect.inbox import import_packets
from exports.packets.container import container_of
from exports.packets.double_entry_check import double_entry_problem
from exports.packets.format import DATA_JSON
from exports.packets.write import ReportNotReady, export_packet, signing_blockers
from exports.paper.completeness_words import state_text
from models import double_entry as de
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE
from models.reporting import enter_values, view_report
from models.second_pass_session import SecondPassSession

UNIT, FORM, PERIOD = "03445", "kl224", "2024"
A, B, C = "03445.01", "03445.02", "03445.03"


@pytest.fixture
def gw(commune_gw):
    return commune_gw


@pytest.fixture
def report(gw):
    return gw.find_report(UNIT, FORM, PERIOD)


def second_pass_of_everything(gw, report, form, who="Lò Thị Mai", changed=None):
    """The second pass typed as the first, but for ``changed`` {(indicator, unit): value}."""
    de.start_second_pass(gw, report, who, form)
    values = dict(gw.values(report)) | (changed or {})
    edits = [(ind, unit, value) for (ind, unit), value in values.items()]
    de.enter_second(gw, report, form, edits)


def three(gw, report) -> dict:
    """Three deliberate differences in the second pass: more households in one village, none typed in
    another, one more Party member for the commune."""
    first = gw.values(report)
    return {
        ("so_ho", A): first["so_ho", A] + 5,
        ("so_ho", B): None,
        ("can_bo_dang_vien", UNIT): first["can_bo_dang_vien", UNIT] + 1,
    }


def test_the_second_pass_is_blank_checked_as_typing_and_kept_apart(gw, report, kl224):
    first = dict(gw.values(report))
    assert de.status(gw, report, kl224).state is None
    de.start_second_pass(gw, report, "Lò Thị Mai", kl224)
    session = SecondPassSession(gw, report, kl224, "Vàng A Sình")
    assert session.value("so_ho", A) is None and not session.view.data.commune_values  # blank
    assert session.who == "Lò Thị Mai"
    with pytest.raises(BadInput) as typed:
        enter_values(gw, report, kl224, [("so_ho", A, "mười")], "x")
    with pytest.raises(BadInput) as second:
        session.apply([("so_ho", A, "mười")])
    assert str(second.value) == str(typed.value)  # the same words as the first pass
    session.apply([("so_ho", A, "1.234")])
    assert session.value("so_ho", A) == 1234 and de.second_values(gw, report) == {("so_ho", A): 1234}
    assert dict(gw.values(report)) == first  # the report itself untouched
    with pytest.raises(BadInput, match="đang nhập lần hai"):
        de.start_second_pass(gw, report, "Người khác", kl224)
    with pytest.raises(BadInput, match="chỉ nhập số liệu"):
        session.set_reason(None, "lý do")
    with pytest.raises(BadInput, match="tên người nhập"):
        de.start_second_pass(gw, gw.find_report(UNIT, FORM, "2025"), "  ")


def test_differences_are_listed_and_resolved_each_way_with_the_audit_trail(gw, report, kl224):
    first = dict(gw.values(report))
    second_pass_of_everything(gw, report, kl224, changed=three(gw, report))
    view = view_report(gw, report, kl224)
    assert signing_blockers(view, gw)[0].startswith("đang nhập lần hai (Lò Thị Mai)")
    found = de.finish_second_pass(gw, report, kl224)
    assert [(d.indicator, d.unit_code) for d in found] == [("so_ho", A), ("so_ho", B), ("can_bo_dang_vien", UNIT)]
    empty = found[1]
    assert (empty.first, empty.second, empty.second_text) == (first["so_ho", B], None, "(trống)")
    assert (found[0].first_text, found[0].second_text) == (str(first["so_ho", A]), str(first["so_ho", A] + 5))
    status = de.status(gw, report, kl224)
    assert (status.state, status.differences, status.resolved) == ("dang_doi_chieu", 3, 0)
    assert signing_blockers(view, gw)[0] == "còn 3 chỗ khác nhau giữa hai lần nhập chưa đối chiếu"

    before = gw.db["audit"].count
    de.resolve(gw, report, kl224, "so_ho", A, de.Choice.SECOND, who="Lò Thị Mai")
    with pytest.raises(BadInput, match="đã đối chiếu rồi"):
        de.resolve(gw, report, kl224, "so_ho", A, de.Choice.FIRST, who="Lò Thị Mai")
    with pytest.raises(BadInput, match="Bản Pa Sang: .* không nhận số âm"):  # checked as typed
        de.resolve(gw, report, kl224, "so_ho", B, de.Choice.OTHER, "-5", who="Lò Thị Mai")
    de.resolve(gw, report, kl224, "so_ho", B, de.Choice.OTHER, str(first["so_ho", B] + 3), who="Lò Thị Mai")
    assert de.status(gw, report, kl224).state == "dang_doi_chieu"
    done = de.resolve(gw, report, kl224, "can_bo_dang_vien", UNIT, de.Choice.FIRST, who="Lò Thị Mai")
    assert (done.state, done.differences, done.resolved) == ("da_doi_chieu", 3, 3) and done.done_at

    values = gw.values(report)
    assert (values["so_ho", A], values["so_ho", B]) == (first["so_ho", A] + 5, first["so_ho", B] + 3)
    assert values["can_bo_dang_vien", UNIT] == first["can_bo_dang_vien", UNIT]
    trail = gw.audit_trail(report)[before - gw.db["audit"].count :]
    assert [(r["indicator"], r["unit_code"], r["new_value"], r["who"]) for r in trail] == [
        ("so_ho", A, first["so_ho", A] + 5, "Lò Thị Mai (đối chiếu nhập hai lần: giữ lần 2)"),
        ("so_ho", B, first["so_ho", B] + 3, "Lò Thị Mai (đối chiếu nhập hai lần: nhập số khác)"),
        ("can_bo_dang_vien", UNIT, first["can_bo_dang_vien", UNIT], "Lò Thị Mai (đối chiếu nhập hai lần: giữ lần 1)"),
    ]
    assert [d.choice for d in de.differences(gw, report, kl224)] == ["lan_2", "so_khac", "lan_1"]
    assert not signing_blockers(view_report(gw, report, kl224), gw)
    enter_values(gw, report, kl224, [("so_ho", A, first["so_ho", A] + 6)], "Vàng A Sình")  # now ordinary editing
    assert de.status(gw, report, kl224).state == "da_doi_chieu"


def test_a_form_that_requires_double_entry_refuses_signing_until_done(gw, report, kl224):
    required = dataclasses.replace(kl224, double_entry=True)
    status = de.status(gw, report, required)
    assert (status.state, status.required) == ("chua_nhap_lan_hai", True)
    view = dataclasses.replace(view_report(gw, report, kl224), form=required)
    assert signing_blockers(view, gw) == ["biểu này yêu cầu nhập hai lần: chưa nhập lần hai và đối chiếu"]
    with pytest.raises(ReportNotReady, match="yêu cầu nhập hai lần"):
        export_packet(gw, view, DEMO_PASSPHRASE, gw.path.parent)
    second_pass_of_everything(gw, report, required)
    assert de.finish_second_pass(gw, report, required) == []  # the same figures: done at once
    assert de.status(gw, report, required).state == "da_doi_chieu"
    assert not signing_blockers(view, gw)


def test_cancel_and_a_new_round(gw, report, kl224):
    second_pass_of_everything(gw, report, kl224, changed=three(gw, report))
    assert de.cancel(gw, report).state is None and not de.second_values(gw, report)
    with pytest.raises(BadInput, match="không đang nhập lần hai"):
        de.enter_second(gw, report, kl224, [("so_ho", A, 5)])
    second_pass_of_everything(gw, report, kl224, who="Vàng A Sình")
    de.finish_second_pass(gw, report, kl224)
    again = de.start_second_pass(gw, report, "Lò Thị Mai", kl224)  # a done one may be done again
    assert (again.state, again.second_by) == ("dang_nhap_lan_hai", "Lò Thị Mai")


def test_the_packet_says_it_and_the_province_completeness_shows_it(
    gw, report, kl224, upper_path, library, tmp_path, capsys, qapp
):
    second_pass_of_everything(gw, report, kl224, changed=three(gw, report))
    de.finish_second_pass(gw, report, kl224)
    choices = (de.Choice.SECOND, de.Choice.FIRST, de.Choice.SECOND)
    for d, choice in zip(de.differences(gw, report, kl224), choices, strict=True):
        de.resolve(gw, report, kl224, d.indicator, d.unit_code, choice, who="Lò Thị Mai")
    packet = export_packet(gw, view_report(gw, report, kl224), DEMO_PASSPHRASE, tmp_path)
    record = packet.manifest["summary"]["double_entry"]
    assert {k: record[k] for k in ("state", "first_by", "second_by", "differences", "resolved")} == {
        "state": "da_doi_chieu",
        "first_by": "du-lieu-mau",
        "second_by": "Lò Thị Mai",
        "differences": 3,
        "resolved": 3,
    }
    data = json.loads(container_of(packet.path.read_bytes(), packet.path.name).entries[DATA_JSON])
    assert data["double_entry"] == record
    province = Gateway.open(upper_path)
    try:
        imported = import_packets(province, [packet.path], library, "tinh")
        assert imported.filed[0].outcome == "accepted"
        table = completeness(province, "12", PERIOD, library)
        state = table.states[UNIT, FORM]
        assert state.double_entry == record
        assert "nhập hai lần (3 chỗ khác, đã đối chiếu 3)" in state_text(state)
        unit = next(u for u in table.to_dict()["units"] if u["code"] == UNIT)
        assert unit["forms"][FORM]["double_entry"]["differences"] == 3
        others = [s for (code, _), s in table.states.items() if code != UNIT]
        assert all(s.double_entry is None and "nhập hai lần" not in state_text(s) for s in others)
    finally:
        province.close()
    code, out, _ = run(capsys, "completeness", "--db", upper_path, "--unit", "12", "--period", PERIOD)
    line = next(line for line in out.splitlines() if UNIT in line)
    assert code == 0 and line.endswith(", lần 1, nhập hai lần (3 chỗ khác, đã đối chiếu 3)")


GOOD = {
    "state": "da_doi_chieu",
    "first_by": "A",
    "second_by": "B",
    "differences": 3,
    "resolved": 3,
    "done_at": "2025-01-05T10:00:00+07:00",
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"state": "dang_doi_chieu"}, "trạng thái"),
        ({"resolved": 2}, "chưa đủ"),
        ({"differences": -1, "resolved": -1}, "số đếm"),
        ({"differences": True, "resolved": True}, "số đếm"),
        ({"second_by": 5}, "tên người nhập"),
        ({"done_at": "hôm qua"}, "không đọc được"),
    ],
)
def test_a_malformed_double_entry_record_is_named(change, words):
    assert double_entry_problem(GOOD) is None and double_entry_problem(None) is None
    assert words in double_entry_problem({**copy.deepcopy(GOOD), **change})
    assert double_entry_problem([1]) == "không phải một mục"


# ---- the command line ----------------------------------------------------------------------


def run(capsys, *words):
    code = main.main([str(w) for w in words])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_commands(gw, report, demo_path, tmp_path, capsys, qapp):
    at = ("--db", demo_path, "--unit", UNIT, "--form", FORM, "--period", PERIOD)
    code, out, _ = run(capsys, "show", *at, "--json")
    shown = json.loads(out)
    shown["values"]["villages"][A]["so_ho"] += 5
    shown["values"]["villages"][B]["so_ho"] += 7
    shown["values"]["commune"]["can_bo_dang_vien"] = 238
    (tmp_path / "lan2.json").write_text(json.dumps(shown, ensure_ascii=False), encoding="utf-8")
    assert run(capsys, "double-entry", "load", *at, tmp_path / "lan2.json")[0] == 2  # not started
    code, out, err = run(capsys, "double-entry", "start", *at, "--who", "Lò Thị Mai", "--json")
    assert code == 0 and json.loads(out)["state"] == "dang_nhap_lan_hai"
    code, out, err = run(capsys, "double-entry", "start", *at, "--who", "Lò Thị Mai")
    assert code == 2 and "đang nhập lần hai" in err and "Traceback" not in err
    assert run(capsys, "double-entry", "load", *at, tmp_path / "lan2.json")[0] == 0
    code, out, _ = run(capsys, "double-entry", "finish", *at, "--json")
    finished = json.loads(out)
    assert finished["status"]["differences"] == 3 and len(finished["differences"]) == 3
    code, out, _ = run(capsys, "double-entry", "differences", *at)
    assert "Bản Nà Sáng / Số hộ gia đình: lần 1 " in out
    resolve = ("double-entry", "resolve", *at, "--who", "Lò Thị Mai", "--indicator")
    assert run(capsys, *resolve, "so_ho", "--village", "01", "--keep", "second")[0] == 0
    code, _, err = run(capsys, *resolve, "so_ho", "--village", "02", "--value", "mười")
    assert code == 2 and "Bản Pa Sang" in err
    assert run(capsys, *resolve, "so_ho", "--village", B, "--value", "9")[0] == 0
    code, out, _ = run(capsys, *resolve, "can_bo_dang_vien", "--keep", "first", "--json")
    assert code == 0 and json.loads(out)["state"] == "da_doi_chieu"
    code, out, _ = run(capsys, "double-entry", "status", *at)
    assert out.strip() == "Đã nhập hai lần (du-lieu-mau và Lò Thị Mai): 3 chỗ khác, đã đối chiếu 3."
    assert run(capsys, "double-entry", "cancel", *at)[0] == 2


def test_a_locked_report_refuses_double_entry(gw, report, kl224, upper_path, library, tmp_path):
    """A second pass given up leaves the report signable; once the province received it no second pass begins."""
    from test_report_lock import answered

    from models.report_lock import ReportLocked

    second_pass_of_everything(gw, report, kl224, changed=three(gw, report))
    de.cancel(gw, report)
    province = Gateway.open(upper_path)
    try:
        answered(gw, province, library, tmp_path)
    finally:
        province.close()
    with pytest.raises(ReportLocked, match="đã khóa"):
        de.start_second_pass(gw, report, "Lò Thị Mai", kl224)
    assert de.status(gw, report, kl224).state is None
