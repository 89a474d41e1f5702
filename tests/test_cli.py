"""The command line, in-process (main.main with capsys) and as a real
subprocess: every command, its exit codes, its JSON, and its refusals (one
Vietnamese line on stderr, never a traceback).

Why it is long: every command is here, with its exit codes and JSON; docs/cli.md's
sections and this file follow each other.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from testkit import ROOT, run_main

import main

DOCUMENTED_KEYS = {
    "format",
    "format_version",
    "unit",
    "form",
    "period",
    "target_set",
    "villages",
    "values",
    "rows",
    "findings",
    "targets",
    "summary",
}
CHECK_KEYS = {"unit", "form", "period", "target_set", "findings", "targets", "summary"}
NO_SCREEN = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("SCT_DEBUG", raising=False)


def has_vietnamese(text: str) -> bool:
    return any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in text)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code: int, out: str, err: str) -> None:
    """Exit 2, one Vietnamese line on stderr, nothing on stdout, no traceback."""
    assert code == 2, (code, out, err)
    assert "Traceback" not in out + err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].strip()
    assert has_vietnamese(lines[0]), lines[0]
    assert out == ""


def json_out(capsys, *args):
    code, out, err = cli(capsys, *args)
    assert code in (0, 1), err
    assert err == ("" if code == 0 else "Báo cáo còn 1 lỗi phải sửa.\n")
    return code, json.loads(out)


def report_args(db: Path, unit="03445", form="kl224", period="2025") -> list[str]:
    return ["--db", str(db), "--unit", unit, "--form", form, "--period", period]


def snapshot(db: Path) -> dict[str, list]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in ("units", "unit_history", "reports", "cell_values", "audit", "settings")
        }
    finally:
        conn.close()


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ---- init ------------------------------------------------------------------------------


def test_init_creates_an_empty_database(capsys, tmp_path):
    db = tmp_path / "moi.db"
    code, out, err = cli(capsys, "init", "--db", db)
    assert code == 0 and err == ""
    assert has_vietnamese(out) and str(db) in out
    conn = sqlite3.connect(db)
    applied = [name for (name,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    assert applied[0] == "m001_initial" and applied == sorted(applied)
    assert conn.execute("SELECT count(*) FROM units").fetchone() == (0,)
    conn.close()
    code, out, _ = cli(capsys, "reports", "--db", db)
    assert code == 0 and "Chưa có báo cáo" in out
    assert json_out(capsys, "reports", "--db", db, "--json")[1] == []


def test_init_demo_then_the_demo_is_refused_on_a_database_with_data(capsys, tmp_path):
    db = tmp_path / "mau.db"
    code, out, err = cli(capsys, "init", "--db", db, "--demo")
    assert code == 0 and err == ""
    assert "Lai Châu" in out
    before = snapshot(db)
    assert len(before["units"]) == 1 + 38 + 18 + 24 + 12 + 60
    assert_refused(*cli(capsys, "init", "--db", db, "--demo"))
    assert snapshot(db) == before
    # a plain init on an existing database keeps its data
    code, _, _ = cli(capsys, "init", "--db", db)
    assert code == 0
    assert snapshot(db) == before


def test_init_demo_on_an_initialised_empty_database(capsys, tmp_path):
    db = tmp_path / "rong.db"
    assert cli(capsys, "init", "--db", db)[0] == 0
    assert cli(capsys, "init", "--db", db, "--demo")[0] == 0
    assert len(snapshot(db)["reports"]) == 9


def test_init_in_a_missing_folder_is_refused(capsys, tmp_path):
    assert_refused(*cli(capsys, "init", "--db", tmp_path / "khong-co" / "x.db"))
    assert not (tmp_path / "khong-co").exists()


# ---- forms ----------------------------------------------------------------------------------


def test_forms_text(capsys):
    code, out, err = cli(capsys, "forms")
    assert code == 0 and err == ""
    assert "kl224" in out and "da241" in out
    assert "muong-te-2025" in out
    assert "KẾT QUẢ THỰC HIỆN" in out


def test_forms_json(capsys):
    _, forms = json_out(capsys, "forms", "--json")
    by_id = {f["id"]: f for f in forms}
    assert {"kl224", "da241"} <= set(by_id)
    assert len(by_id) == len(forms), "the latest version of each form, once"
    for form in forms:
        assert set(form) >= {"id", "version", "title", "source", "indicators", "rows", "target_sets"}
        assert isinstance(form["version"], int)
        assert 0 < form["rows"] <= form["indicators"]
        for target_set in form["target_sets"]:
            assert set(target_set) >= {"id", "name", "version"}
    assert {"muong-te-2025", "tp-lai-chau-2025"} <= {s["id"] for s in by_id["kl224"]["target_sets"]}


# ---- units ------------------------------------------------------------------------------------


def test_units_tree(capsys, demo_path):
    code, out, err = cli(capsys, "units", "--db", demo_path)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "12  Tỉnh Lai Châu"
    assert "  03445  Xã Mường Tè" in lines
    assert len(lines) == 1 + 38 + 18 + 24 + 12 + 60


def test_units_under_a_commune(capsys, demo_path):
    code, out, err = cli(capsys, "units", "--db", demo_path, "--under", "03445")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 19
    assert lines[0] == "03445  Xã Mường Tè"
    assert all(line.startswith("  03445.") and line.endswith("[mẫu]") for line in lines[1:])


def test_units_json(capsys, demo_path):
    _, units = json_out(capsys, "units", "--db", demo_path, "--under", "03445", "--json")
    assert len(units) == 19
    fields = {"code", "name", "kind", "tier", "parent", "depth", "active", "demo", "merged_into"}
    assert all(set(u) >= fields for u in units)
    commune, villages = units[0], units[1:]
    assert commune == {
        **commune,
        "code": "03445",
        "name": "Xã Mường Tè",
        "kind": "xã",
        "tier": "xa",
        "parent": "12",
        "depth": 0,
        "active": True,
        "demo": False,
        "merged_into": None,
    }
    assert [v["code"] for v in villages] == [f"03445.{n:02d}" for n in range(1, 19)]
    assert all(
        v["parent"] == "03445"
        and v["depth"] == 1
        and v["tier"] == "thon"
        and v["demo"] is True
        and v["active"] is True
        and v["kind"] == "bản"
        for v in villages
    )
    _, whole = json_out(capsys, "units", "--db", demo_path, "--json")
    assert whole[0]["code"] == "12" and whole[0]["tier"] == "tinh" and whole[0]["parent"] is None
    assert sum(1 for u in whole if u["depth"] == 1) == 38


def test_units_all_shows_retired_units(capsys, demo_path):
    from models.gateway import Gateway

    gw = Gateway.open(demo_path)
    gw.retire_unit("03445.18", who="thu", merged_into="03445.17")
    gw.close()
    _, active = json_out(capsys, "units", "--db", demo_path, "--under", "03445", "--json")
    assert "03445.18" not in {u["code"] for u in active}
    _, everything = json_out(capsys, "units", "--db", demo_path, "--under", "03445", "--all", "--json")
    retired = next(u for u in everything if u["code"] == "03445.18")
    assert retired["active"] is False and retired["merged_into"] == "03445.17"
    code, out, _ = cli(capsys, "units", "--db", demo_path, "--under", "03445", "--all")
    assert code == 0 and "[đã ngừng]" in out


def test_units_under_an_unknown_code(capsys, demo_path):
    assert_refused(*cli(capsys, "units", "--db", demo_path, "--under", "99999"))


# ---- reports ------------------------------------------------------------------------------------


def test_reports_text(capsys, demo_path):
    code, out, err = cli(capsys, "reports", "--db", demo_path)
    assert code == 0 and err == ""
    assert "03445  Xã Mường Tè  kl224  2025  1 lỗi, 1 cảnh báo" in out.splitlines()
    assert "03390  Xã Bình Lư  kl224  2025  0 lỗi, 0 cảnh báo" in out.splitlines()
    assert len(out.splitlines()) == 9


def test_reports_json(capsys, demo_path):
    _, listed = json_out(capsys, "reports", "--db", demo_path, "--json")
    assert len(listed) == 9
    fields = {"unit_code", "unit_name", "form_id", "form_version", "period", "errors", "warnings", "villages_missing"}
    assert all(set(e) >= fields for e in listed)
    flawed = [e for e in listed if (e["unit_code"], e["form_id"], e["period"]) == ("03445", "kl224", "2025")]
    assert len(flawed) == 1
    assert flawed[0]["errors"] == 1 and flawed[0]["warnings"] == 1
    assert flawed[0]["unit_name"] == "Xã Mường Tè" and flawed[0]["villages_missing"] == 0
    assert all(e["errors"] == 0 and e["warnings"] == 0 for e in listed if e is not flawed[0])
    _, mine = json_out(capsys, "reports", "--db", demo_path, "--unit", "03445", "--json")
    assert {(e["form_id"], e["period"]) for e in mine} == {("kl224", "2024"), ("kl224", "2025"), ("da241", "2016-2020")}


def test_reports_for_an_unknown_unit(capsys, demo_path):
    assert_refused(*cli(capsys, "reports", "--db", demo_path, "--unit", "99999"))


# ---- show -------------------------------------------------------------------------------------------


def test_show_text(capsys, demo_path):
    code, out, err = cli(capsys, "show", *report_args(demo_path))
    assert code == 0 and err == ""
    assert "Xã Mường Tè" in out
    assert "KẾT QUẢ" in out
    assert "Tỉnh Lai Châu" in out
    assert "Năm 2025" in out
    assert "SỐ LIỆU THEO BẢN" in out
    assert "[Lỗi]" in out and "[Cảnh báo]" in out
    assert "1 lỗi, 1 cảnh báo, 18/18 bản đã nhập đủ" in out
    assert re.search(r"(?<![\d.,])\d{1,3}(\.\d{3})+(?![\d,])", out), "dotted thousands such as 2.433"
    assert re.search(r"\d,\d%", out), "a percentage with a decimal comma such as 88,9%"
    assert not re.search(r"\d\.\d%", out), "no decimal point in a percentage"
    assert not re.search(r"\d,\d{3}(?!\d)", out), "no English thousands separator"
    assert "None" not in out
    # the households total as printed matches the data, in Vietnamese format
    _, data = json_out(capsys, "show", *report_args(demo_path), "--json")
    households = sum(v["so_ho"] for v in data["values"]["villages"].values())
    assert households >= 1000
    assert f"{households:,}".replace(",", ".") in out


def test_show_text_with_targets(capsys, demo_path):
    code, out, _ = cli(capsys, "show", *report_args(demo_path), "--targets", "muong-te-2025")
    assert code == 0
    assert "So với mục tiêu: Huyện Mường Tè" in out
    assert "Mục tiêu" in out


def test_show_json(capsys, demo_path):
    code, data = json_out(capsys, "show", *report_args(demo_path), "--json")
    assert code == 0
    assert DOCUMENTED_KEYS <= set(data)
    assert data["format"] == "so-chi-tieu.report"
    assert data["format_version"] == 1
    assert data["unit"] == {
        "code": "03445",
        "name": "Xã Mường Tè",
        "kind": "xã",
        "parent": {"code": "12", "name": "Tỉnh Lai Châu"},
    }
    assert data["form"]["id"] == "kl224" and data["form"]["version"] == 2
    assert data["period"] == {"code": "2025", "label": "Năm 2025", "starts": "2025-01-01", "ends": "2025-12-31"}
    assert data["target_set"] is None and data["targets"] == []
    assert len(data["villages"]) == 18
    assert data["villages"][0] == {
        **data["villages"][0],
        "code": "03445.01",
        "local_code": "01",
        "kind": "bản",
        "active": True,
    }
    assert set(data["values"]) == {"commune", "villages"}
    assert set(data["values"]["villages"]) == {f"03445.{n:02d}" for n in range(1, 19)}
    assert all(isinstance(v, int) for row in data["values"]["villages"].values() for v in row.values())
    summary = {"errors": 1, "warnings": 1, "plausibility": 0, "villages": 18, "villages_missing": 0, "cells_missing": 0}
    assert data["summary"] == summary
    severities = sorted(f["severity"] for f in data["findings"])
    assert severities == ["error", "warning"]
    error = next(f for f in data["findings"] if f["severity"] == "error")
    assert error["village"].startswith("03445.") and error["village_name"] and has_vietnamese(error["message"])
    row = next(r for r in data["rows"] if r["indicator"] == "ban_co_nvh")
    assert row["code"] == "2.3" and row["total"] == 18 and row["grain"] == "village"


def test_show_json_with_targets(capsys, demo_path):
    _, data = json_out(capsys, "show", *report_args(demo_path), "--targets", "muong-te-2025", "--json")
    assert data["target_set"]["id"] == "muong-te-2025"
    assert data["targets"]
    assert all(t["status"] in ("dat", "chua_dat", "khong_ap_dung", "thieu_so_lieu") for t in data["targets"])


def test_show_the_da241_report(capsys, demo_path):
    code, data = json_out(capsys, "show", *report_args(demo_path, form="da241", period="2016-2020"), "--json")
    assert code == 0
    assert data["form"]["id"] == "da241"
    assert data["period"]["label"] == "Giai đoạn 2016 - 2020"


@pytest.mark.parametrize(
    "changes",
    [
        {"period": "2030"},  # no such report
        {"unit": "99999"},
        {"form": "kl999"},
        {"period": "2025-Q5"},
    ],
)
def test_show_refusals(capsys, demo_path, changes):
    assert_refused(*cli(capsys, "show", *report_args(demo_path, **changes)))


# ---- check ---------------------------------------------------------------------------------------------


def test_check_flawed_report_exits_1(capsys, demo_path):
    code, out, err = cli(capsys, "check", *report_args(demo_path))
    assert code == 1 and err == "Báo cáo còn 1 lỗi phải sửa.\n"
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("[Lỗi]") and lines[1].startswith("[Cảnh báo]")
    assert lines[-1] == "1 lỗi, 1 cảnh báo, 18/18 bản đã nhập đủ"


@pytest.mark.parametrize("unit, period", [("03390", "2025"), ("03445", "2024"), ("03478", "2025"), ("03408", "2024")])
def test_check_clean_report_exits_0(capsys, demo_path, unit, period):
    code, out, err = cli(capsys, "check", *report_args(demo_path, unit=unit, period=period))
    assert code == 0 and err == ""
    assert out.splitlines()[-1].startswith("0 lỗi, 0 cảnh báo")


def test_check_json(capsys, demo_path):
    code, data = json_out(capsys, "check", *report_args(demo_path), "--json")
    assert code == 1
    assert set(data) == CHECK_KEYS
    assert data["summary"]["errors"] == 1 and data["summary"]["warnings"] == 1
    assert data["target_set"] is None and data["targets"] == []
    code, clean = json_out(capsys, "check", *report_args(demo_path, unit="03390"), "--json")
    assert code == 0 and clean["findings"] == [] and clean["summary"]["errors"] == 0


def test_check_with_targets(capsys, demo_path):
    code, data = json_out(capsys, "check", *report_args(demo_path), "--targets", "muong-te-2025", "--json")
    assert code == 1
    assert data["target_set"]["id"] == "muong-te-2025"
    assert data["targets"]
    indicators = {t["indicator"] for t in data["targets"]}
    assert "cb_boi_duong" in indicators
    assert all(has_vietnamese(t["text"]) or "%" in t["text"] for t in data["targets"])
    code, out, _ = cli(capsys, "check", *report_args(demo_path), "--targets", "muong-te-2025")
    assert code == 1


def test_check_unknown_target_set(capsys, demo_path):
    assert_refused(*cli(capsys, "check", *report_args(demo_path), "--targets", "khong-co"))
    assert_refused(*cli(capsys, "show", *report_args(demo_path), "--targets", "khong-co"))


# ---- load ------------------------------------------------------------------------------------------------


def shown(capsys, db, **where) -> dict:
    code, data = json_out(capsys, "show", *report_args(db, **where), "--json")
    return data


def test_load_round_trip_into_another_period(capsys, demo_path, tmp_path):
    original = shown(capsys, demo_path, unit="03390")
    data = copy.deepcopy(original)
    data["period"]["code"] = "2026"
    data["findings"] = data["rows"] = data["targets"] = []  # only values are read
    file = write_json(tmp_path / "03390-2026.json", data)
    cells = len(original["values"]["commune"]) + sum(len(r) for r in original["values"]["villages"].values())

    code, out, err = cli(
        capsys, "load", *report_args(demo_path, unit="03390", period="2026"), file, "--user", "lo-thi-mai"
    )
    assert code == 0 and err == ""
    assert f"Đã nạp {cells} ô" in out
    copied = shown(capsys, demo_path, unit="03390", period="2026")
    assert copied["values"] == original["values"]
    assert copied["summary"] == original["summary"]
    assert copied["period"]["code"] == "2026"

    conn = sqlite3.connect(demo_path)
    report_id = conn.execute("SELECT id FROM reports WHERE unit_code = '03390' AND period_code = '2026'").fetchone()[0]
    audit = conn.execute("SELECT old_value, who FROM audit WHERE report_id = ?", [report_id]).fetchall()
    conn.close()
    assert len(audit) == cells
    assert all(old is None and who == "lo-thi-mai" for old, who in audit)

    # loading the same file again changes nothing
    code, out, _ = cli(capsys, "load", *report_args(demo_path, unit="03390", period="2026"), file)
    assert code == 0 and "Đã nạp 0 ô" in out


def test_load_round_trip_after_clearing(capsys, demo_path, tmp_path):
    original = shown(capsys, demo_path, unit="03445", period="2024")
    file = write_json(tmp_path / "goc.json", original)
    values = original["values"]
    cleared = {
        "values": {
            "commune": {k: None for k in values["commune"]},
            "villages": {c: {k: None for k in row} for c, row in values["villages"].items()},
        }
    }
    clear_file = write_json(tmp_path / "xoa.json", cleared)

    assert cli(capsys, "load", *report_args(demo_path, period="2024"), clear_file)[0] == 0
    empty = shown(capsys, demo_path, period="2024")
    assert empty["values"]["commune"] == {}
    assert all(row == {} for row in empty["values"]["villages"].values())

    code, out, err = cli(capsys, "load", *report_args(demo_path, period="2024"), file)
    assert code == 0 and err == ""
    assert shown(capsys, demo_path, period="2024")["values"] == values


def test_load_accepts_local_village_codes_and_null(capsys, demo_path, tmp_path):
    before = shown(capsys, demo_path, unit="03390")
    old = before["values"]["villages"]["03390.02"]["so_ho"]
    file = write_json(
        tmp_path / "bo-sung.json",
        {
            "values": {
                "commune": {"so_truong": "7"},
                "villages": {"02": {"so_ho": old + 5}, "03390.03": {"ban_cum_loa_cntt": None}},
            }
        },
    )
    code, out, err = cli(capsys, "load", *report_args(demo_path, unit="03390"), file)
    assert code == 0 and err == "" and "Đã nạp 3 ô" in out
    after = shown(capsys, demo_path, unit="03390")["values"]
    assert after["commune"]["so_truong"] == 7
    assert after["villages"]["03390.02"]["so_ho"] == old + 5
    assert "ban_cum_loa_cntt" not in after["villages"]["03390.03"]


BAD_VALUES = {
    "letters": lambda d: d["values"]["villages"]["03390.03"].update(so_ho="abc"),
    "negative": lambda d: d["values"]["villages"]["03390.03"].update(so_ho=-5),
    "negative-text": lambda d: d["values"]["commune"].update(so_truong="-5"),
    "fraction": lambda d: d["values"]["commune"].update(so_co_quan="1,5"),
    "float": lambda d: d["values"]["commune"].update(so_co_quan=2.5),
    "yesno": lambda d: d["values"]["villages"]["03390.04"].update(ban_co_nvh="maybe"),
    "unknown-indicator": lambda d: d["values"]["villages"]["03390.03"].update(chi_tieu_la=1),
    "unknown-village": lambda d: d["values"]["villages"].update({"03390.99": {"so_ho": 10}}),
    "other-commune-village": lambda d: d["values"]["villages"].update({"03445.01": {"so_ho": 10}}),
    "commune-row-on-village": lambda d: d["values"]["villages"]["03390.03"].update(can_bo_lanh_dao=3),
    "not-applicable": lambda d: d["values"]["commune"].update(phuong_van_minh=1),
    "village-not-a-table": lambda d: d["values"]["villages"].update({"03390.05": 12}),
    "too-large": lambda d: d["values"]["villages"]["03390.03"].update(so_ho=10**30),
}


@pytest.mark.parametrize("period", ["2025", "2026"], ids=["existing-report", "new-report"])
@pytest.mark.parametrize("spoil", list(BAD_VALUES))
def test_load_with_one_bad_value_changes_nothing(capsys, demo_path, tmp_path, spoil, period):
    data = shown(capsys, demo_path, unit="03390")
    data["period"]["code"] = period
    # good changes around the bad one, so a partial write would show
    data["values"]["commune"]["can_bo_lanh_dao"] += 1
    data["values"]["villages"]["03390.01"]["so_ho"] += 1
    BAD_VALUES[spoil](data)
    data["values"]["villages"]["03390.12"]["so_ho"] += 1
    file = write_json(tmp_path / "hong.json", data)
    before = snapshot(demo_path)

    assert_refused(*cli(capsys, "load", *report_args(demo_path, unit="03390", period=period), file))
    assert snapshot(demo_path) == before
    conn = sqlite3.connect(demo_path)
    assert conn.execute("SELECT count(*) FROM reports WHERE period_code = '2026'").fetchone() == (0,)
    conn.close()


def test_refused_load_writes_nothing_at_all(capsys, demo_path, tmp_path):
    """docs/cli.md: one refused value and nothing is written, not even the report."""
    data = shown(capsys, demo_path, unit="03390")
    data["period"]["code"] = "2026"
    data["values"]["villages"]["03390.03"]["so_ho"] = "abc"
    file = write_json(tmp_path / "hong.json", data)
    before = dump(demo_path)
    assert_refused(*cli(capsys, "load", *report_args(demo_path, unit="03390", period="2026"), file))
    after = dump(demo_path)
    assert [line for line in after if line not in before] == []


def test_load_refuses_a_period_kind_the_form_does_not_allow(capsys, demo_path, tmp_path):
    """kl224 declares period_kinds = nam, 6thang, giaidoan (docs/forms.md: "allowed periods")."""
    file = write_json(tmp_path / "quy.json", {"values": {"commune": {"so_truong": 3}}})
    code, out, err = cli(capsys, "load", *report_args(demo_path, unit="03390", period="2025-Q1"), file)
    conn = sqlite3.connect(demo_path)
    created = conn.execute("SELECT count(*) FROM reports WHERE period_code = '2025-Q1'").fetchone()[0]
    conn.close()
    assert (code, created) == (2, 0), out + err


@pytest.mark.parametrize(
    "content, where",
    [
        ("{ not json", {}),
        ('{"values": {"commune": {"so_truong": 3}}', {}),  # cut short
        ("[1, 2, 3]", {}),
        ('{"khong_co_values": {}}', {}),
        ('{"values": {"commune": [1, 2]}}', {}),
        ('{"unit": {"code": "03445"}, "values": {"commune": {"so_truong": 3}}}', {}),  # another unit
        ('{"form": {"id": "da241"}, "values": {"commune": {}}}', {}),  # another form
        ('{"period": {"code": "2024"}, "values": {"commune": {}}}', {}),  # another period
        ('{"values": {"commune": {"so_truong": 3}}}', {"form": "kl999"}),
        ('{"values": {"commune": {"so_truong": 3}}}', {"unit": "99999"}),
        ('{"values": {"commune": {"so_truong": 3}}}', {"period": "2025-Q5"}),
    ],
    ids=[
        "malformed",
        "truncated",
        "list",
        "no-values",
        "commune-list",
        "other-unit",
        "other-form",
        "other-period",
        "unknown-form",
        "unknown-unit",
        "bad-period",
    ],
)
def test_load_refuses_bad_files(capsys, demo_path, tmp_path, content, where):
    file = tmp_path / "so-lieu.json"
    file.write_text(content, encoding="utf-8")
    before = snapshot(demo_path)
    assert_refused(*cli(capsys, "load", *report_args(demo_path, **{"unit": "03390", **where}), file))
    assert snapshot(demo_path) == before


def test_load_refuses_missing_and_unreadable_files(capsys, demo_path, tmp_path):
    before = snapshot(demo_path)
    assert_refused(*cli(capsys, "load", *report_args(demo_path, unit="03390"), tmp_path / "khong-co.json"))
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"values": {"commune": {"ghi_chú": 1}}}'.encode("latin-1"))
    assert_refused(*cli(capsys, "load", *report_args(demo_path, unit="03390"), latin))
    assert_refused(*cli(capsys, "load", *report_args(demo_path, unit="03390"), tmp_path))  # a folder
    assert snapshot(demo_path) == before


# ---- bad arguments --------------------------------------------------------------------------------------------


def bad_argument_cases(tmp: Path, demo: Path) -> dict[str, list]:
    """The argument lists; a file of random bytes sits at tmp/ngau-nhien.db."""
    random_file = tmp / "ngau-nhien.db"
    return {
        "missing-db": ["units"],
        "missing-db-show": ["show", "--unit", "03445", "--form", "kl224", "--period", "2025"],
        "missing-unit": ["show", "--db", demo, "--form", "kl224", "--period", "2025"],
        "unknown-command": ["xuat-excel", "--db", demo],
        "unknown-option": ["units", "--db", demo, "--khong-co"],
        "bad-period": ["show", *report_args(demo, period="2025-Q5")],
        "bad-period-year": ["check", *report_args(demo, period="1800")],
        "missing-database": ["show", *report_args(tmp / "khong-co.db")],
        "missing-database-units": ["units", "--db", tmp / "khong-co.db"],
        "not-sqlite": ["units", "--db", random_file],
        "not-sqlite-show": ["show", *report_args(random_file)],
        "not-sqlite-init": ["init", "--db", random_file, "--demo"],
        "database-is-a-folder": ["reports", "--db", tmp],
    }


CASES = list(bad_argument_cases(Path("/x"), Path("/y")))


@pytest.mark.parametrize("case", CASES)
def test_bad_arguments_in_process(capsys, demo_path, tmp_path, case):
    args = bad_argument_cases(tmp_path, demo_path)[case]
    random_before = os.urandom(6000)
    (tmp_path / "ngau-nhien.db").write_bytes(random_before)
    assert_refused(*cli(capsys, *args))
    assert (tmp_path / "ngau-nhien.db").read_bytes() == random_before
    assert not (tmp_path / "khong-co.db").exists()


@pytest.mark.parametrize("case", ["missing-db", "unknown-command", "bad-period", "missing-database", "not-sqlite"])
def test_bad_arguments_end_to_end(demo_path, tmp_path, case):
    args = bad_argument_cases(tmp_path, demo_path)[case]
    (tmp_path / "ngau-nhien.db").write_bytes(os.urandom(6000))
    result = run_main(*args)
    assert_refused(result.returncode, result.stdout, result.stderr)


# ---- end to end ------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_end_to_end_demo_show_check_load(tmp_path):
    db = tmp_path / "e2e.db"
    result = run_main("init", "--db", db, "--demo")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""

    result = run_main("check", *report_args(db))
    assert result.returncode == 1 and result.stderr == "Báo cáo còn 1 lỗi phải sửa.\n"
    assert "1 lỗi, 1 cảnh báo" in result.stdout

    result = run_main("check", *report_args(db, unit="03390"))
    assert result.returncode == 0 and result.stderr == ""

    result = run_main("show", *report_args(db, unit="03390"), "--json")
    assert result.returncode == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    assert DOCUMENTED_KEYS <= set(data)
    assert "Xã Bình Lư" in result.stdout  # UTF-8, not \u-escaped

    data["values"]["villages"]["03390.02"]["so_ho"] = "abc"
    file = write_json(tmp_path / "hong.json", data)
    before = snapshot(db)
    result = run_main("load", *report_args(db, unit="03390"), file)
    assert_refused(result.returncode, result.stdout, result.stderr)
    assert snapshot(db) == before

    result = run_main("init", "--db", db, "--demo")
    assert_refused(result.returncode, result.stdout, result.stderr)

    for case in ("--json", ""):
        result = run_main("reports", "--db", db, *([case] if case else []))
        assert result.returncode == 0 and "Traceback" not in result.stderr


def test_no_command_and_no_screen_points_to_the_cli_end_to_end():
    result = run_main(drop=NO_SCREEN)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "dòng lệnh" in result.stdout
    assert "python main.py" in result.stdout and "--help" in result.stdout


def no_screen_pointer(python: str, cwd: Path) -> list[str]:
    """The lines main.py prints, run by ``python`` from ``cwd``, where there is no screen."""
    env = {k: v for k, v in os.environ.items() if k not in NO_SCREEN}
    done = subprocess.run(
        [python, str(ROOT / "main.py")], cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 0 and "dòng lệnh" in done.stdout, done.stderr
    return done.stdout.splitlines()


def test_the_no_screen_pointer_prints_a_command_that_works_from_where_it_was_typed(tmp_path):
    lines = no_screen_pointer(sys.executable, tmp_path)
    (init,) = [line.strip() for line in lines if line.strip().endswith(" init --db demo.db --demo")]
    assert init == f"{sys.executable} {ROOT / 'main.py'} init --db demo.db --demo"
    done = subprocess.run(shlex.split(init), cwd=tmp_path, capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0 and (tmp_path / "demo.db").is_file(), done.stderr


@pytest.mark.skipif(sys.prefix == sys.base_prefix or os.name == "nt", reason="the tests run in no virtual environment")
def test_a_python_without_the_libraries_is_pointed_to_the_one_set_up_beside_main_py():
    base = getattr(sys, "_base_executable", "")
    if not base or Path(base).parent == Path(sys.executable).parent:
        pytest.skip("no Python outside the virtual environment to run")
    lines = no_screen_pointer(base, ROOT)
    assert "  .venv/bin/python main.py init --db demo.db --demo" in lines
    assert not any(line.strip().startswith("python main.py") for line in lines)


def test_no_command_and_no_screen_in_process(capsys, monkeypatch):
    for name in NO_SCREEN:
        monkeypatch.delenv(name, raising=False)
    code, out, err = cli(capsys)
    assert code == 0 and err == ""
    assert "dòng lệnh" in out and "init --db" in out
    code, out, _ = cli(capsys, "--db", "so-chi-tieu.db")
    assert code == 0 and "dòng lệnh" in out
