"""The Gateway over a real SQLite file: schema, refusals, units of any depth,
history, cell values with their audit trail, and the demo database.

Why it is long: the gateway's every method over one real file, and the demo built on it.
"""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from sqlite_utils import Database
from testkit import first_schema_database, lose_index_entries, zero_an_audit_page

from models import catalogue
from models.database import check_whole
from models.errors import BadInput, DamagedDatabase, DatabaseError
from models.gateway import Gateway
from models.migrations import MIGRATION_SET, migrations
from models.report_records import Edit
from models.reporting import enter_values, view_report

NFC = "NFC"


def has_vietnamese(text: str) -> bool:
    return any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in text)


def table_rows(gw: Gateway, table: str) -> list[tuple]:
    return gw.db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


def small_tree(gw: Gateway, villages: int = 3) -> None:
    """Province 12 > commune 03445 > villages 03445.01.. (kinds as in the demo)."""
    gw.add_unit("12", "Tỉnh Lai Châu", "tỉnh", who="thu")
    gw.add_unit("03445", "Xã Mường Tè", "xã", "12", who="thu")
    gw.add_unit("03390", "Xã Bình Lư", "xã", "12", who="thu")
    for n in range(1, villages + 1):
        gw.add_unit(f"03445.{n:02d}", f"Bản Thử {n}", "bản", "03445", local_code=f"{n:02d}", who="thu")
    gw.add_unit("03390.01", "Bản Bình Lư 1", "bản", "03390", local_code="01", who="thu")


ALL_MIGRATIONS = [m.name for m in migrations.pending(Database(memory=True))]

# ---- opening -------------------------------------------------------------------------


def test_database_of_the_first_schema_is_upgraded_keeping_values_and_audit(tmp_path):
    """Made by the first release (only m001 applied), opened by today's code."""
    path = first_schema_database(tmp_path / "cu.db")

    gw = Gateway.open(path, create=False)
    try:
        applied = [r[0] for r in gw.db.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
        assert applied == ALL_MIGRATIONS
        report = gw.find_report("03445", "kl224", "2025")
        assert gw.values(report) == {("so_ho", "03445.01"): 120}
        assert [(a["old_value"], a["new_value"], a["who"]) for a in gw.audit_trail(report)] == [(None, 120, "thu")]
        gw.set_reason(report, "ban_it_ho", "so_ho", "03445.01", "Bản mới tách", who="thu")
        assert gw.reasons(report) == {("ban_it_ho", "so_ho", "03445.01"): "Bản mới tách"}
    finally:
        gw.close()


def test_fresh_database_has_schema_wal_and_foreign_keys(fresh_db):
    migrations = table_rows(fresh_db, "_sqlite_migrations")
    names = [row for row in fresh_db.db.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY rowid")]
    assert migrations, "migrations are recorded"
    assert ("so_chi_tieu", "m001_initial") in names
    assert all(s == MIGRATION_SET for s, _ in names)
    assert fresh_db.db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    assert fresh_db.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = set(fresh_db.db.table_names())
    assert {"units", "unit_history", "periods", "reports", "cell_values", "audit", "settings"} <= tables


def test_reopen_keeps_data_and_applies_no_migration_twice(tmp_path):
    path = tmp_path / "sct.db"
    gw = Gateway.open(path)
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2025")
    gw.set_values(report, [Edit("so_ho", "03445.01", 120)], who="thu")
    gw.set_setting("officer_name", "Lò Thị Mai")
    gw.close()

    gw = Gateway.open(path, create=False)
    try:
        assert gw.require_unit("03445").name == "Xã Mường Tè"
        assert len(gw.villages_of("03445")) == 3
        again = gw.find_report("03445", "kl224", "2025")
        assert again == report
        assert gw.values(again) == {("so_ho", "03445.01"): 120}
        assert gw.setting("officer_name") == "Lò Thị Mai"
        assert gw.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == len(ALL_MIGRATIONS)
        assert gw.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        gw.close()


def test_missing_file_is_not_created_when_create_is_false(tmp_path):
    path = tmp_path / "khong-co.db"
    with pytest.raises(DatabaseError) as caught:
        Gateway.open(path, create=False)
    assert has_vietnamese(str(caught.value))
    assert not path.exists()


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(DatabaseError) as caught:
        Gateway.open(tmp_path)
    assert has_vietnamese(str(caught.value))


def _with_future_migration(path: Path, journal_mode: str | None) -> bytes:
    gw = Gateway.open(path)
    small_tree(gw)
    gw.close()
    conn = sqlite3.connect(path)
    if journal_mode:
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, ?)",
        [MIGRATION_SET, "m999_from_a_newer_version", "2030-01-01 00:00:00+00:00"],
    )
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_database_from_a_newer_version_is_refused_unchanged(tmp_path):
    path = tmp_path / "newer.db"
    before = _with_future_migration(path, None)
    with pytest.raises(DatabaseError) as caught:
        Gateway.open(path)
    assert has_vietnamese(str(caught.value))
    assert "mới hơn" in str(caught.value)
    assert path.read_bytes() == before


def test_database_from_a_newer_version_in_rollback_journal_mode_is_refused_unchanged(tmp_path):
    """Refusing must come before any write, journal-mode switch included."""
    path = tmp_path / "newer-delete-journal.db"
    before = _with_future_migration(path, "DELETE")
    with pytest.raises(DatabaseError):
        Gateway.open(path)
    after = path.read_bytes()
    changed = [i for i in range(min(len(before), len(after))) if before[i] != after[i]]
    assert after == before, f"header bytes changed at offsets {changed[:10]}"


def test_non_sqlite_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "anh.db"
    content = os.urandom(8192)
    path.write_bytes(content)
    for create in (True, False):
        with pytest.raises(DatabaseError) as caught:
            Gateway.open(path, create=create)
        assert has_vietnamese(str(caught.value))
        assert path.read_bytes() == content


def test_text_file_is_refused_unchanged(tmp_path):
    path = tmp_path / "ghi-chu.db"
    content = "Đây không phải cơ sở dữ liệu.\n".encode() * 200
    path.write_bytes(content)
    with pytest.raises(DatabaseError):
        Gateway.open(path)
    assert path.read_bytes() == content


@pytest.mark.parametrize("cut", ["header", "first_page", "half", "half_plus_odd", "all_but_last_page"])
def test_truncated_database_is_refused_unchanged(demo_template, tmp_path, cut):
    whole = demo_template.read_bytes()
    page = 4096
    keep = {
        "header": 60,
        "first_page": page,
        "half": len(whole) // 2 // page * page,
        "half_plus_odd": len(whole) // 2 + 123,
        "all_but_last_page": len(whole) - page,
    }[cut]
    path = tmp_path / "cut.db"
    path.write_bytes(whole[:keep])
    with pytest.raises(DatabaseError) as caught:
        gw = Gateway.open(path, create=False)
        gw.db.execute("SELECT count(*) FROM cell_values").fetchone()  # would fail later if let through
        gw.close()
    assert has_vietnamese(str(caught.value))
    assert path.read_bytes() == whole[:keep]


def test_database_cut_inside_its_last_page_is_refused(tmp_path):
    """A copy interrupted inside the last page: the page's cells are gone."""
    path = tmp_path / "whole.db"
    gw = Gateway.open(path)
    small_tree(gw, villages=18)
    report = gw.ensure_report("03445", "kl224", 1, "2025")
    for indicator in ("so_ho", "ho_van_hoa", "ban_co_nvh", "ban_van_hoa"):
        gw.set_values(report, [Edit(indicator, f"03445.{n:02d}", 100 + n) for n in range(1, 19)], who="thu")
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()
    whole = path.read_bytes()
    assert len(whole) % 4096 == 0 and any(whole[-1000:]), "precondition: the last page holds data"
    cut = tmp_path / "cut.db"
    cut.write_bytes(whole[:-1000])
    try:
        gw = Gateway.open(cut, create=False)
    except DatabaseError as exc:
        assert has_vietnamese(str(exc))
        assert cut.read_bytes() == whole[:-1000]
        return
    check = gw.db.execute("PRAGMA quick_check").fetchall()
    gw.close()
    pytest.fail(f"a truncated database was opened; PRAGMA quick_check says: {check[0][0][:120]!r}")


def test_a_page_read_back_as_zeros_is_refused_at_open_by_the_quick_check(demo_template, tmp_path):
    """A bad sector in the middle of the file, the header and the schema intact: the check on
    every open (PRAGMA quick_check, which reads every page) refuses it, and leaves it as it was."""
    whole = demo_template.read_bytes()
    conn = sqlite3.connect(f"{demo_template.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'cell_values'").fetchone()[0]
    conn.close()
    page = 4096
    assert 1 < root < len(whole) // page
    damaged = whole[: (root - 1) * page] + bytes(page) + whole[root * page :]
    path = tmp_path / "trang-hong.db"
    path.write_bytes(damaged)
    probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    assert probe.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 10, "the schema still reads"
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):  # precondition: quick_check sees it
        probe.execute("PRAGMA quick_check").fetchone()
    probe.close()

    with pytest.raises(DamagedDatabase) as caught:
        Gateway.open(path, create=False)

    assert has_vietnamese(str(caught.value)) and "hỏng" in str(caught.value)
    assert path.read_bytes() == damaged


def test_an_index_missing_rows_opens_but_fails_the_full_check(demo_path):
    """What the quick check on open leaves to the full one: pages all sound, an index that lost
    track of its table. The database opens; check_whole (before a restore) calls it damaged."""
    lose_index_entries(demo_path)
    probe = sqlite3.connect(demo_path)
    assert probe.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert probe.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    probe.close()

    Gateway.open(demo_path, create=False).close()
    with pytest.raises(DamagedDatabase):
        check_whole(demo_path)


# ---- units ---------------------------------------------------------------------------------


def test_four_level_tree(fresh_db):
    gw = fresh_db
    gw.add_unit("01", "Thành phố Hà Nội", "thành phố trung ương")
    gw.add_unit("001", "Quận Ba Đình", "quận", "01")
    gw.add_unit("00001", "Phường Phúc Xá", "phường", "001")
    gw.add_unit("00001.01", "Tổ dân phố số 1", "tổ dân phố", "00001", local_code="01")
    gw.add_unit("00001.02", "Tổ dân phố số 2", "tổ dân phố", "00001", local_code="02")
    tree = [(u.code, depth, u.tier) for u, depth in gw.subtree("01")]
    assert tree == [
        ("01", 0, "tinh"),
        ("001", 1, "huyen"),
        ("00001", 2, "xa"),
        ("00001.01", 3, "thon"),
        ("00001.02", 3, "thon"),
    ]
    assert [(u.code, d) for u, d in gw.subtree("001")] == [("001", 0), ("00001", 1), ("00001.01", 2), ("00001.02", 2)]
    assert [u.code for u, _ in gw.subtree()] == ["01", "001", "00001", "00001.01", "00001.02"]
    assert [v.code for v in gw.villages_of("00001")] == ["00001.01", "00001.02"]


def test_three_level_tree_after_the_2025_reform(fresh_db):
    gw = fresh_db
    small_tree(gw, villages=2)
    gw.add_unit("01", "Thành phố Hà Nội", "thành phố trung ương")  # a second root
    assert [(u.code, d) for u, d in gw.subtree("12")] == [
        ("12", 0),
        ("03445", 1),
        ("03445.01", 2),
        ("03445.02", 2),
        ("03390", 1),
        ("03390.01", 2),
    ]
    assert [(u.code, d) for u, d in gw.subtree()][:1] == [("12", 0)]
    assert ("01", 0) in [(u.code, d) for u, d in gw.subtree()]
    assert [(u.code, d) for u, d in gw.subtree("03445")] == [("03445", 0), ("03445.01", 1), ("03445.02", 1)]
    with pytest.raises(BadInput):
        gw.subtree("99999")


def test_add_unit_refuses_duplicates_and_unknown_parents(fresh_db):
    small_tree(fresh_db, villages=1)
    with pytest.raises(BadInput) as caught:
        fresh_db.add_unit("03445", "Xã Khác", "xã", "12")
    assert has_vietnamese(str(caught.value))
    with pytest.raises(BadInput):
        fresh_db.add_unit("77777", "Xã Ma", "xã", "99")
    assert fresh_db.unit("77777") is None
    assert fresh_db.require_unit("03445").name == "Xã Mường Tè"


def test_names_are_stored_nfc(fresh_db):
    gw = fresh_db
    small_tree(gw, villages=1)
    name = unicodedata.normalize("NFD", "Bản Nà Hừ")
    kind = unicodedata.normalize("NFD", "bản")
    assert name != "Bản Nà Hừ"
    unit = gw.add_unit("03445.50", name, kind, "03445", local_code="50")
    assert unit.name == "Bản Nà Hừ"
    assert unit.tier == "thon"
    stored_name, stored_kind = gw.db.execute("SELECT name, kind FROM units WHERE code = '03445.50'").fetchone()
    assert stored_name == "Bản Nà Hừ" and unicodedata.is_normalized(NFC, stored_name)
    assert stored_kind == "bản"
    assert gw.db.execute("SELECT code FROM units WHERE name = ?", ["Bản Nà Hừ"]).fetchone() == ("03445.50",)
    assert gw.require_unit("03445.50") in gw.villages_of("03445")

    gw.rename_unit("03445.50", unicodedata.normalize("NFD", "Bản Nà Hừ Mới"), who="thu")
    assert gw.db.execute("SELECT name FROM units WHERE code = '03445.50'").fetchone()[0] == "Bản Nà Hừ Mới"
    gw.set_setting("officer_name", unicodedata.normalize("NFD", "Lò Thị Mai"))
    assert gw.setting("officer_name") == "Lò Thị Mai"


def test_rename_keeps_history_and_report_values(fresh_db, kl224):
    gw = fresh_db
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2024")
    gw.set_values(report, [Edit("so_ho", "03445.01", 80), Edit("can_bo_lanh_dao", "03445", 15)], who="thu")
    before = gw.values(report)

    gw.rename_unit("03445.01", "Bản Thử Mới", who="can-bo")
    gw.rename_unit("03445", "Xã Mường Tè Mới", who="can-bo")

    assert gw.values(report) == before
    history = list(gw.db["unit_history"].rows_where("unit_code = ?", ["03445.01"], order_by="id"))
    assert [h["event"] for h in history] == ["tao", "doi_ten"]
    assert history[1]["old_name"] == "Bản Thử 1"
    assert history[1]["new_name"] == "Bản Thử Mới"
    assert history[1]["who"] == "can-bo"
    view = view_report(gw, report, kl224)
    assert view.unit.name == "Xã Mường Tè Mới"
    assert "Bản Thử Mới" in [v.name for v in view.villages]
    assert view.data.village_values["03445.01"]["so_ho"] == 80


def test_retire_and_merge_keep_history_and_past_values(fresh_db, kl224):
    gw = fresh_db
    small_tree(gw)
    old = gw.ensure_report("03445", "kl224", 1, "2024")
    gw.set_values(
        old, [Edit("so_ho", "03445.01", 60), Edit("so_ho", "03445.02", 70), Edit("so_ho", "03445.03", 90)], who="thu"
    )
    before = gw.values(old)

    merged = gw.retire_unit("03445.01", who="can-bo", merged_into="03445.02")
    retired = gw.retire_unit("03445.03", who="can-bo")

    assert merged.active is False and merged.merged_into == "03445.02"
    assert retired.active is False and retired.merged_into is None
    events = {(h["unit_code"], h["event"], h["other_code"]) for h in gw.db["unit_history"].rows}
    assert ("03445.01", "gop", "03445.02") in events
    assert ("03445.03", "ngung", None) in events
    assert ("03445.01", "tao", None) in events  # the older rows stay
    # the units themselves stay, with their names
    assert gw.require_unit("03445.01").name == "Bản Thử 1"

    assert gw.values(old) == before
    assert [v.code for v in gw.villages_of("03445")] == ["03445.02"]
    assert [v.code for v in gw.villages_of("03445", active_only=False)] == ["03445.01", "03445.02", "03445.03"]
    # the past report still lists the retired villages that hold values
    assert [v.code for v in gw.report_villages(old)] == ["03445.01", "03445.02", "03445.03"]
    view = view_report(gw, old, kl224)
    assert view.data.village_values["03445.01"] == {"so_ho": 60}
    # a new report lists only the villages still in use
    new = gw.ensure_report("03445", "kl224", 1, "2025")
    assert [v.code for v in gw.report_villages(new)] == ["03445.02"]
    # subtree: retired units only with active_only=False
    assert "03445.01" not in [u.code for u, _ in gw.subtree("03445")]
    assert "03445.01" in [u.code for u, _ in gw.subtree("03445", active_only=False)]


def test_report_villages_drops_a_retired_village_without_values(fresh_db):
    gw = fresh_db
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2024")
    gw.set_values(report, [Edit("so_ho", "03445.01", 60)], who="thu")
    gw.retire_unit("03445.01", who="thu")
    gw.retire_unit("03445.02", who="thu")
    assert [v.code for v in gw.report_villages(report)] == ["03445.01", "03445.03"]


@pytest.mark.parametrize("target", ["03390.01", "03445.01", "99999"])
def test_merge_refuses_another_parent_itself_or_unknown(fresh_db, target):
    gw = fresh_db
    small_tree(gw)
    with pytest.raises(BadInput):
        gw.retire_unit("03445.01", who="thu", merged_into=target)
    unit = gw.require_unit("03445.01")
    assert unit.active and unit.merged_into is None
    assert [h["event"] for h in gw.db["unit_history"].rows_where("unit_code = ?", ["03445.01"])] == ["tao"]


# ---- cell values and the audit trail ---------------------------------------------------------


def test_set_values_writes_audit_rows(fresh_db):
    gw = fresh_db
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2025")
    changes = gw.set_values(
        report,
        [Edit("so_ho", "03445.01", 120), Edit("ban_co_nvh", "03445.01", 1), Edit("can_bo_lanh_dao", "03445", 14)],
        who="lo-thi-mai",
    )
    assert [(c.indicator, c.unit_code, c.old, c.new) for c in changes] == [
        ("so_ho", "03445.01", None, 120),
        ("ban_co_nvh", "03445.01", None, 1),
        ("can_bo_lanh_dao", "03445", None, 14),
    ]
    assert gw.values(report) == {
        ("so_ho", "03445.01"): 120,
        ("ban_co_nvh", "03445.01"): 1,
        ("can_bo_lanh_dao", "03445"): 14,
    }
    trail = gw.audit_trail(report)
    assert [(a["indicator"], a["unit_code"], a["old_value"], a["new_value"], a["who"]) for a in trail] == [
        ("so_ho", "03445.01", None, 120, "lo-thi-mai"),
        ("ban_co_nvh", "03445.01", None, 1, "lo-thi-mai"),
        ("can_bo_lanh_dao", "03445", None, 14, "lo-thi-mai"),
    ]
    assert all(a["at"] for a in trail)
    updated_by = gw.db.execute("SELECT DISTINCT updated_by FROM cell_values").fetchall()
    assert updated_by == [("lo-thi-mai",)]

    # a change records the old value
    changes = gw.set_values(report, [Edit("so_ho", "03445.01", 125)], who="nguoi-khac")
    assert [(c.old, c.new) for c in changes] == [(120, 125)]
    last = gw.audit_trail(report)[-1]
    assert (last["old_value"], last["new_value"], last["who"]) == (120, 125, "nguoi-khac")


def test_set_values_skips_unchanged_cells(fresh_db):
    gw = fresh_db
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2025")
    gw.set_values(report, [Edit("so_ho", "03445.01", 120)], who="thu")
    stamp = gw.db.execute("SELECT updated_at FROM reports WHERE id = ?", [report.id]).fetchone()
    trail = gw.audit_trail(report)

    assert gw.set_values(report, [Edit("so_ho", "03445.01", 120)], who="thu") == []
    assert gw.set_values(report, [Edit("so_ho", "03445.02", None)], who="thu") == []  # empty stays empty
    assert gw.audit_trail(report) == trail
    assert gw.db.execute("SELECT updated_at FROM reports WHERE id = ?", [report.id]).fetchone() == stamp

    changes = gw.set_values(report, [Edit("so_ho", "03445.01", 120), Edit("so_ho", "03445.02", 50)], who="thu")
    assert [(c.unit_code, c.new) for c in changes] == [("03445.02", 50)]
    assert len(gw.audit_trail(report)) == len(trail) + 1


def test_set_values_clears_with_none(fresh_db):
    gw = fresh_db
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2025")
    gw.set_values(report, [Edit("so_ho", "03445.01", 120), Edit("so_ho", "03445.02", 50)], who="thu")
    changes = gw.set_values(report, [Edit("so_ho", "03445.01", None)], who="xoa")
    assert [(c.old, c.new) for c in changes] == [(120, None)]
    assert gw.values(report) == {("so_ho", "03445.02"): 50}
    assert gw.db.execute("SELECT count(*) FROM cell_values WHERE unit_code = '03445.01'").fetchone()[0] == 0
    last = gw.audit_trail(report)[-1]
    assert (last["indicator"], last["unit_code"], last["old_value"], last["new_value"], last["who"]) == (
        "so_ho",
        "03445.01",
        120,
        None,
        "xoa",
    )


def test_failing_batch_leaves_no_value_and_no_audit_row(fresh_db):
    gw = fresh_db
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2025")
    gw.set_values(report, [Edit("so_ho", "03445.01", 120)], who="thu")
    values, trail = gw.values(report), gw.audit_trail(report)
    stamp = gw.db.execute("SELECT updated_at FROM reports WHERE id = ?", [report.id]).fetchone()

    batch = [
        Edit("so_ho", "03445.01", 999),
        Edit("so_ho", "03445.02", 40),
        Edit("so_ho", "00000.99", 10),  # no such unit: foreign key violation mid-batch
        Edit("so_ho", "03445.03", 30),
    ]
    with pytest.raises(DatabaseError, match="chưa có gì thay đổi"):
        gw.set_values(report, batch, who="thu")

    assert gw.values(report) == values
    assert gw.audit_trail(report) == trail
    assert gw.db.execute("SELECT updated_at FROM reports WHERE id = ?", [report.id]).fetchone() == stamp
    assert not gw.db.conn.in_transaction
    # and the connection still works
    assert [c.new for c in gw.set_values(report, [Edit("so_ho", "03445.02", 40)], who="thu")] == [40]


# ---- enter_values: typed values checked before anything is written ------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        ("so_ho", "03445.02", "abc"),
        ("so_ho", "03445.02", "-5"),
        ("so_ho", "03445.02", -5),
        ("so_ho", "03445.02", "1,5"),
        ("ban_co_nvh", "03445.02", "maybe"),
        ("chi_tieu_khong_co", "03445", 1),  # unknown indicator
        ("so_ho", "03390.01", 10),  # a village of another commune
        ("so_ho", "99999.01", 10),  # no such unit at all
        ("can_bo_lanh_dao", "03445.02", 10),  # a commune row typed for a village
        ("phuong_van_minh", "03445", 1),  # a ward's row for a commune
    ],
    ids=[
        "letters",
        "negative-text",
        "negative",
        "fraction",
        "yesno",
        "indicator",
        "other-commune",
        "no-unit",
        "commune-row-on-village",
        "not-applicable",
    ],
)
def test_enter_values_refuses_before_writing(fresh_db, kl224, bad):
    gw = fresh_db
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2025")
    enter_values(gw, report, kl224, [("so_ho", "03445.01", "120")], who="thu")
    values, trail = gw.values(report), gw.audit_trail(report)

    edits = [("so_ho", "03445.01", "1.234"), ("can_bo_lanh_dao", "03445", "15"), bad, ("so_ho", "03445.03", "9")]
    with pytest.raises(BadInput) as caught:
        enter_values(gw, report, kl224, edits, who="thu")
    assert has_vietnamese(str(caught.value))
    assert gw.values(report) == values
    assert gw.audit_trail(report) == trail


def test_enter_values_accepts_typed_text(fresh_db, kl224):
    gw = fresh_db
    small_tree(gw)
    report = gw.ensure_report("03445", "kl224", 1, "2025")
    changes = enter_values(
        gw,
        report,
        kl224,
        [
            ("so_ho", "03445.01", "1.234"),
            ("ban_co_nvh", "03445.01", "Có"),
            ("xa_co_nvh", "03445", "không"),
            ("so_ho", "03445.02", " 7 "),
        ],
        who="thu",
    )
    assert len(changes) == 4
    assert gw.values(report) == {
        ("so_ho", "03445.01"): 1234,
        ("ban_co_nvh", "03445.01"): 1,
        ("xa_co_nvh", "03445"): 0,
        ("so_ho", "03445.02"): 7,
    }
    enter_values(gw, report, kl224, [("so_ho", "03445.02", "")], who="thu")
    assert ("so_ho", "03445.02") not in gw.values(report)


# ---- the demo database ----------------------------------------------------------------------


def test_demo_has_the_official_communes(demo_db):
    gw = demo_db
    province = gw.require_unit("12")
    assert province.name == "Tỉnh Lai Châu" and province.tier == "tinh" and not province.demo
    communes = gw.children("12")
    assert len(communes) == 38
    official = {c.code: c.name for c in catalogue.communes("12")}
    assert {c.code: c.name for c in communes} == official
    assert all(c.tier == "xa" and not c.demo and c.parent_code == "12" for c in communes)
    assert gw.require_unit("03445").name == "Xã Mường Tè"
    assert gw.require_unit("03408").name == "Phường Tân Phong"
    assert gw.require_unit("03390").name == "Xã Bình Lư"
    assert gw.require_unit("03478").name == "Xã Sìn Hồ"


def test_demo_villages(demo_db):
    gw = demo_db
    counts = {code: len(gw.villages_of(code)) for code in ("03445", "03408", "03390", "03478")}
    assert counts == {"03445": 18, "03408": 24, "03390": 12, "03478": 60}
    villages = [v for code in counts for v in gw.villages_of(code)]
    assert all(v.demo and v.tier == "thon" and v.active for v in villages)
    assert all(v.code == f"{v.parent_code}.{v.local_code}" for v in villages)
    assert {v.kind for v in gw.villages_of("03408")} == {"tổ dân phố"}
    assert all(unicodedata.is_normalized(NFC, v.name) for v in villages)
    other = [c for c in gw.children("12") if c.code not in counts]
    assert all(gw.villages_of(c.code) == [] for c in other)
    demo_flagged = {r[0] for r in gw.db.execute("SELECT code FROM units WHERE demo = 1")}
    assert demo_flagged == {v.code for v in villages}


def test_demo_reports(demo_db, library):
    gw = demo_db
    reports = {(r.unit_code, r.form_id, r.period_code) for r in gw.reports()}
    expected = {(c, "kl224", p) for c in ("03445", "03408", "03390", "03478") for p in ("2024", "2025")}
    assert reports == expected | {("03445", "da241", "2016-2020")}
    for report in gw.reports():
        view = view_report(gw, report, library.get(report.form_id, report.form_version))
        errors, warnings = len(view.evaluation.errors), len(view.evaluation.warnings)
        if (report.unit_code, report.form_id, report.period_code) == ("03445", "kl224", "2025"):
            assert (errors, warnings) == (1, 1)
        else:
            assert (errors, warnings) == (0, 0), report
    assert gw.setting("home_unit") == "03445"


def test_rename_refuses_empty_or_taken_names_and_skips_no_change(demo_db):
    first, second = demo_db.villages_of("03445")[:2]
    history = demo_db.db["unit_history"].count
    with pytest.raises(BadInput, match="trống"):
        demo_db.rename_unit(first.code, "   ", who="t")
    with pytest.raises(BadInput, match=second.name):
        demo_db.rename_unit(first.code, unicodedata.normalize("NFD", second.name.upper()), who="t")
    demo_db.rename_unit(first.code, first.name, who="t")
    assert demo_db.db["unit_history"].count == history
    assert demo_db.require_unit(first.code).name == first.name


def test_retire_refuses_retired_units_and_retired_targets(demo_db):
    a, b, c = demo_db.villages_of("03445")[:3]
    demo_db.retire_unit(a.code, who="t", merged_into=b.code)
    with pytest.raises(BadInput, match="đã ngừng"):
        demo_db.retire_unit(a.code, who="t")
    with pytest.raises(BadInput, match="đã ngừng"):
        demo_db.retire_unit(c.code, who="t", merged_into=a.code)
    assert demo_db.require_unit(a.code).merged_into == b.code
    assert demo_db.require_unit(c.code).active


def test_a_database_on_a_read_only_medium_is_refused_clearly_and_left_as_it_was(demo_path):
    """A folder and file nothing may change (chattr +i stops even root), as on a
    write-protected USB stick: a clear Vietnamese refusal, the file untouched."""
    import subprocess

    folder = demo_path.parent
    if subprocess.run(["chattr", "+i", str(demo_path), str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        before = demo_path.read_bytes()
        with pytest.raises(DatabaseError, match="chỉ cho phép đọc"):
            Gateway.open(demo_path)
        assert demo_path.read_bytes() == before
    finally:
        subprocess.run(["chattr", "-i", str(demo_path), str(folder)], check=True)
    assert sorted(p.name for p in folder.iterdir()) == ["demo.db"]


def test_a_write_that_fails_says_so_and_changes_nothing(demo_db):
    """The disk refuses the write (simulated with SQLite's own query-only switch)."""
    report = demo_db.find_report("03445", "kl224", "2025")
    before = demo_db.values(report), len(demo_db.audit_trail(report))
    demo_db.db.execute("PRAGMA query_only = ON")
    assert demo_db.writable is False
    with pytest.raises(DatabaseError, match="chưa có gì thay đổi"):
        demo_db.set_values(report, [Edit("so_ho", "03445.01", 1), Edit("so_ho", "03445.02", 2)], who="thu")
    demo_db.db.execute("PRAGMA query_only = OFF")
    assert (demo_db.values(report), len(demo_db.audit_trail(report))) == before


def test_no_sqlite_utils_plugin_is_loaded(fresh_db):
    import sqlite_utils.plugins

    assert sqlite_utils.plugins._plugins_loaded is True  # the switch models/database.py relies on
    assert sqlite_utils.plugins.pm.get_plugins() == set()


def test_a_file_checked_later_writes_nothing_until_the_check_passes(demo_path):
    """The window's start: the file opens before its quick check (check_later); a write waits for the
    check, and goes on once the file has passed."""
    gw = Gateway.open(demo_path, check_later=True)
    try:
        check = gw.later_check
        assert check is not None and not check.done.is_set()
        report = gw.find_report("03445", "kl224", "2025")
        gw.set_values(report, [Edit("so_ho", "03445.01", 77)], who="thu")  # the check runs here, first
        assert check.passed
        gw.writes_allowed()
        assert gw.db.execute("SELECT count(*) FROM audit").fetchone()[0] > 0
    finally:
        gw.close()


def test_a_damaged_file_checked_later_is_refused_before_anything_is_written(demo_path):
    damaged = zero_an_audit_page(demo_path)
    gw = Gateway.open(demo_path, check_later=True)  # the page is read only by the check
    try:
        report = gw.find_report("03445", "kl224", "2025")
        with pytest.raises(DatabaseError):
            gw.set_values(report, [Edit("so_ho", "03445.01", 77)], who="thu")
        check = gw.later_check
        assert isinstance(check.refusal, DamagedDatabase) and has_vietnamese(str(check.refusal))
        gw.writes_allowed()  # never for a file the check refused
        with pytest.raises(DatabaseError):
            gw.set_values(report, [Edit("so_ho", "03445.01", 78)], who="thu")
    finally:
        gw.close()
    assert demo_path.read_bytes() == damaged


def test_a_file_not_yet_in_wal_mode_is_checked_at_once(demo_path):
    """Opening it writes (the switch to WAL): so it is checked first, as every open is."""
    conn = sqlite3.connect(demo_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    gw = Gateway.open(demo_path, check_later=True)
    try:
        assert gw.later_check is None and gw.journal_mode == "wal"
    finally:
        gw.close()
