"""``targets list`` and ``targets set`` in process on real database files: the province sets its plan,
a commune its own; a refusal names each wrong target on one line (exit 2) and keeps nothing; a new
version keeps the id; ``show --targets`` compares a report with the version in force for its period."""

from __future__ import annotations

import json
import sqlite3

import pytest

import main


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("SCT_DEBUG", raising=False)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def kept(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT owner, set_id, version, starts FROM target_sets ORDER BY version").fetchall()


PLAN = ("--form", "kl224", "--set", "tinh-2026", "--name", "Kế hoạch 2026 của Tỉnh ủy")
SOURCE = ("--source", "Kế hoạch số 67-KH/TU", "--source-date", "10/02/2026")


def test_the_province_sets_its_plan_and_lists_it(capsys, upper_path):
    code, out, err = cli(
        capsys, "targets", "set", "--db", upper_path, *PLAN, *SOURCE, "--from", "01/01/2026",
        "--target", "2.3>=90%", "--target", "4.1>=75%", "--target", "1.1>=1.200", "--user", "Nguyễn Văn Bình",
    )  # fmt: skip
    assert code == 0, err
    assert out == "Đã lưu bộ mục tiêu tinh-2026 phiên bản 1 của biểu kl224 (3 mục tiêu, áp dụng từ ngày 01/01/2026).\n"
    assert kept(upper_path) == [("12", "tinh-2026", 1, "2026-01-01")]
    code, out, _ = cli(capsys, "targets", "list", "--db", upper_path)
    assert code == 0
    assert out.splitlines() == [
        "kl224  tinh-2026  phiên bản 1  (đơn vị 12)  Kế hoạch 2026 của Tỉnh ủy",
        "    Kế hoạch số 67-KH/TU ngày 10/02/2026; áp dụng từ ngày 01/01/2026",
        "    2.3 ≥ 90%; 4.1 ≥ 75%; 1.1 ≥ 1.200",
    ]
    code, out, _ = cli(capsys, "targets", "list", "--db", upper_path, "--form", "kl224", "--json")
    listed = json.loads(out)
    assert [(s["id"], s["tier"], s["from"], s["stored_by"]) for s in listed] == [
        ("tinh-2026", "tinh", "2026-01-01", "Nguyễn Văn Bình")
    ]
    assert listed[0]["targets"][2] == {"indicator": "cb_boi_duong", "op": ">=", "count": 1200}
    code, out, _ = cli(capsys, "targets", "list", "--db", upper_path, "--form", "da241", "--json")
    assert json.loads(out) == []
    # Every command that offers target sets offers it: `forms --db` lists it beside the shipped ones.
    code, out, _ = cli(capsys, "forms", "--db", upper_path, "--json")
    kl224 = next(f for f in json.loads(out) if f["id"] == "kl224" and not f["publisher"])
    assert {"id": "tinh-2026", "name": "Kế hoạch 2026 của Tỉnh ủy", "version": 1} in kl224["target_sets"]


def test_each_wrong_target_is_named_on_one_line_and_nothing_is_kept(capsys, upper_path):
    code, out, err = cli(
        capsys, "targets", "set", "--db", upper_path, *PLAN, *SOURCE, "--from", "01/01/2026",
        "--target", "2.3>=190%", "--target", "so_ho>=5%", "--target", "4.1>=75%",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert err == (
        "Bộ mục tiêu chưa lưu: mục tiêu “2.3>=190%”: tỷ lệ phải là số từ 0 đến 100; mục tiêu “so_ho>=5%”: "
        "chỉ tiêu “Số hộ gia đình” không có mẫu số nên không tính được tỷ lệ.\n"
    )
    code, _, err = cli(capsys, "targets", "set", "--db", upper_path, *PLAN, *SOURCE, "--from", "01/01/2026",
                       "--target", "2.3 là 90", "--target", "4.1~75")  # fmt: skip
    assert code == 2 and "“2.3 là 90” không đọc được" in err and "“4.1~75” không đọc được" in err
    assert err.count("\n") == 1
    code, _, err = cli(capsys, "targets", "set", "--db", upper_path, *PLAN, *SOURCE, "--from", "31/02/2026",
                       "--target", "2.3>=90%")  # fmt: skip
    assert code == 2 and "Ngày “31/02/2026” không hợp lệ" in err
    code, _, err = cli(capsys, "targets", "set", "--db", upper_path, *PLAN, "--from", "01/01/2026",
                       "--target", "2.3>=90%")  # fmt: skip
    assert code == 2 and err == "Thiếu ngày của văn bản giao mục tiêu: thêm --source-date ngày/tháng/năm.\n"
    assert kept(upper_path) == []


def test_a_commune_s_own_set_is_compared_by_show_in_the_version_in_force(capsys, demo_path):
    own = ("--form", "kl224", "--set", "muong-te-2026", "--name", "Mục tiêu của Đảng ủy xã")
    code, _, err = cli(capsys, "targets", "set", "--db", demo_path, *own, "--source", "Nghị quyết số 05-NQ/ĐU",
                       "--source-date", "05/01/2024", "--from", "01/01/2024", "--target", "2.3>=50%")  # fmt: skip
    assert code == 0, err
    # A new version: the name and the source kept, the from-date later, the targets whole.
    code, out, err = cli(capsys, "targets", "set", "--db", demo_path, "--form", "kl224", "--set", "muong-te-2026",
                         "--from", "01/01/2025", "--target", "2.3>=100%", "--json")  # fmt: skip
    assert code == 0, err
    second = json.loads(out)
    assert (second["version"], second["name"], second["source"], second["new"]) == (
        2, "Mục tiêu của Đảng ủy xã", "Nghị quyết số 05-NQ/ĐU ngày 05/01/2024", True
    )  # fmt: skip
    assert kept(demo_path) == [("03445", "muong-te-2026", 1, "2024-01-01"), ("03445", "muong-te-2026", 2, "2025-01-01")]
    shown = {}
    for period in ("2024", "2025"):
        code, out, err = cli(capsys, "show", "--db", demo_path, "--unit", "03445", "--form", "kl224",
                             "--period", period, "--targets", "muong-te-2026", "--json")  # fmt: skip
        assert code == 0, err
        shown[period] = json.loads(out)
    for period, (version, goal) in {"2024": (1, 50), "2025": (2, 100)}.items():
        report = shown[period]
        assert report["target_set"]["version"] == version, report["target_set"]
        target = next(t for t in report["targets"] if t["indicator"] == "ban_co_nvh")
        assert float(target["percent"]) == goal
        assert target["status"] in ("dat", "chua_dat")
    code, _, err = cli(capsys, "targets", "set", "--db", demo_path, "--form", "kl224", "--set", "sau-nay",
                       "--name", "Kế hoạch sau này", "--source", "Kế hoạch số 1-KH/ĐU", "--source-date", "01/12/2025",
                       "--from", "01/01/2026", "--target", "2.3>=100%")  # fmt: skip
    assert code == 0, err
    code, _, err = cli(capsys, "show", "--db", demo_path, "--unit", "03445", "--form", "kl224",
                       "--period", "2025", "--targets", "sau-nay")  # fmt: skip
    assert (code, err) == (
        2,
        "Bộ mục tiêu “Kế hoạch sau này” áp dụng từ ngày 01/01/2026, sau ngày cuối của kỳ báo cáo (31/12/2025): "
        "chưa so được với kỳ này.\n",
    )
