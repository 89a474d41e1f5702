"""Backups on real files: SQLite's backup API gives a whole, checked snapshot, kept as
chunks shared by every backup (a chunk damaged or missing, a list damaged, a backup
stopped or killed midway); single-file backups of earlier versions still list and
restore; the thinning keeps a day of them then one a day for a week; a restore
keeps what it replaces; a full disk (a file size limit in a child process) fails
with one Vietnamese line and leaves the database as it was; the `backup` commands;
the backup taken before a schema upgrade; the lock held by another process.

Why it is long: taking, thinning, checking and restoring share the damaged and full-disk set-ups.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from sqlite_utils import Database
from testkit import (
    ROOT,
    damage,
    damage_chunk,
    damage_list,
    first_schema_database,
    from_a_newer_version,
    lock_held_elsewhere,
    lose_index_entries,
    made_from,
    run_main,
    run_on_full_disk,
    snapshot,
)

from models.backup_store import read_list
from models.backups import (
    STAMP,
    Backup,
    backup_database,
    backup_folder,
    check_backup,
    chunk_store,
    is_good,
    list_backups,
    listed_with_verdicts,
    newest_good_backup,
    prune_backups,
    record_path,
    restore_backup,
)
from models.errors import DamagedDatabase, DatabaseError
from models.gateway import Gateway
from models.migrations import migrations
from models.report_records import Edit

REPORT_KEY = ("03445", "kl224", "2025")
CELL = ("so_ho", "03445.01")
TABLES = ("units", "cell_values", "audit")
ALL_MIGRATIONS = [m.name for m in migrations.pending(Database(memory=True))]
NOW = dt.datetime(2026, 3, 10, 12, 0, 0)


def has_vietnamese(text: str) -> bool:
    return any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in text)


def rows(path: Path, table: str) -> list[tuple]:
    """The table's rows, read without writing anything beside the file."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def migration_names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")]
    finally:
        conn.close()


def cell(path: Path, indicator: str = CELL[0], unit: str = CELL[1]):
    gw = Gateway.open(path, create=False)
    try:
        return gw.values(gw.find_report(*REPORT_KEY)).get((indicator, unit))
    finally:
        gw.close()


def set_cell(gw: Gateway, value: int, indicator: str = CELL[0], unit: str = CELL[1]) -> None:
    gw.set_values(gw.find_report(*REPORT_KEY), [Edit(indicator, unit, value)], who="thu")


def assert_refused(run: subprocess.CompletedProcess) -> str:
    """Exit 2, one Vietnamese line on stderr, no traceback; the line."""
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert has_vietnamese(lines[0]), lines[0]
    return lines[0]


# ---- the backup itself ---------------------------------------------------------------


def test_a_backup_is_one_whole_checked_file_with_the_committed_rows_only(demo_db, demo_path):
    """Taken while another connection is in the middle of a write: the snapshot has
    what was committed, not the other writer's uncommitted change; one file, no WAL."""
    report = demo_db.find_report(*REPORT_KEY)
    other = sqlite3.connect(demo_path, isolation_level=None, timeout=5)
    other.execute("BEGIN IMMEDIATE")
    other.execute(
        "UPDATE cell_values SET value = value + 1000 WHERE report_id = ? AND indicator = 'so_ho'", [report.id]
    )
    other.execute(
        "INSERT INTO audit (report_id, indicator, unit_code, old_value, new_value, at, who) "
        "VALUES (?, 'so_ho', '03445.01', 1, 2, 't', 'chua-ghi')",
        [report.id],
    )
    try:
        path = backup_database(demo_db.db.conn, demo_path)
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert path.parent == backup_folder(demo_path) == demo_path.parent / "demo-sao-luu"
    # no -wal, -shm, -journal, .tam: the list and the chunk store
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, "khoi"]
    listed = read_list(path)
    assert listed["check"] == "integrity_check" and listed["verdict"] == "ok"
    stored = sorted(p.name for p in chunk_store(path.parent).folder.iterdir())
    assert stored == sorted(set(listed["chunks"])), "every chunk once, no temp file"
    path = made_from(path)
    assert path.stat().st_size == listed["size"]
    header = path.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert (header[18], header[19]) == (1, 1), "a rollback-journal file, readable without a WAL beside it"
    check_backup(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    for table in TABLES:
        assert rows(path, table) == demo_db.db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall(), table
    assert not any(r[-1] == "chua-ghi" for r in rows(path, "audit"))
    assert [b.path.name for b in list_backups(demo_path)] == [path.parent.name]


def test_a_write_committed_by_another_connection_is_in_the_next_backup(demo_db, demo_path):
    """Once committed elsewhere, a write is in the snapshot."""
    other = sqlite3.connect(demo_path, isolation_level=None, timeout=5)
    other.execute(
        "UPDATE cell_values SET value = 4321 WHERE indicator = ? AND unit_code = ? AND report_id = ?",
        [*CELL, demo_db.find_report(*REPORT_KEY).id],
    )
    other.close()
    path = backup_database(demo_db.db.conn, demo_path)
    assert cell(made_from(path)) == 4321


# ---- thinning ------------------------------------------------------------------------------


def test_a_database_whose_index_lost_rows_is_not_backed_up_and_says_so(demo_path):
    """It opens (the quick check on open reads pages, not index against table); the full check on
    the copy finds it, so no backup is kept, the older ones stay, and the message says why."""
    gw = Gateway.open(demo_path)
    older = backup_database(gw.db.conn, demo_path, now=NOW - dt.timedelta(hours=1))
    gw.close()
    lose_index_entries(demo_path)
    gw = Gateway.open(demo_path, create=False)
    try:
        with pytest.raises(DamagedDatabase) as caught:
            backup_database(gw.db.conn, demo_path, now=NOW)
    finally:
        gw.close()
    assert "kiểm tra toàn bộ" in str(caught.value) and "khôi phục" in str(caught.value)
    assert sorted(p.name for p in backup_folder(demo_path).iterdir()) == [older.name, "khoi"]
    assert list_backups(demo_path)[0].path == older and cell(made_from(older)) is not None


def test_an_old_schema_database_that_fails_the_full_check_is_refused_as_damaged_not_upgraded(tmp_path):
    """The backup before an upgrade is the full check: a failed one refuses the open as damaged
    (the window then offers the newest good backup), and the file keeps its old schema."""
    path = first_schema_database(tmp_path / "cu.db")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO audit (report_id, indicator, unit_code, old_value, new_value, at, who) "
        "VALUES (1, 'so_ho', '03445.01', 120, 121, 't', 'thu')"
    )
    conn.close()
    lose_index_entries(path)
    with pytest.raises(DamagedDatabase) as caught:
        Gateway.open(path, create=False)
    assert caught.value.path == path and "kiểm tra toàn bộ" in str(caught.value)
    assert migration_names(path) == ALL_MIGRATIONS[:1]


# ---- the recorded verdict that `backup list` reads ------------------------------------------


def single_file_backup(conn: sqlite3.Connection, db_path: Path, now: dt.datetime) -> Path:
    """A backup as versions before the chunk store took it: a whole checked copy, ``<stem>-<stamp>.db``,
    its verdict in ``<backup>.db.kiem-tra``."""
    folder = backup_folder(db_path)
    folder.mkdir(exist_ok=True)
    path = folder / f"{db_path.stem}-{now.strftime(STAMP)}.db"
    copy = sqlite3.connect(path, isolation_level=None)
    conn.backup(copy)
    copy.execute("PRAGMA journal_mode = DELETE")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    stat = path.stat()
    record = {"check": "integrity_check", "verdict": "ok", "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    record_path(path).write_text(json.dumps(record), encoding="utf-8")
    return path


def recorded_backup(demo_db, demo_path) -> Path:
    """A single-file backup with its record, the record written in a later tick of the clock than the file."""
    path = single_file_backup(demo_db.db.conn, demo_path, NOW)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 2_000_000_000))
    record = json.loads(record_path(path).read_text(encoding="utf-8"))
    record["mtime_ns"] = path.stat().st_mtime_ns
    record_path(path).write_text(json.dumps(record), encoding="utf-8")
    return path


def test_a_backup_list_records_the_full_check_and_its_own_hash(demo_db, demo_path):
    """The list is written only once the copy passed the full check, and says so; a list damaged
    after its first line (the recorded hash) is not good, nor is one whose chunk is missing."""
    path = backup_database(demo_db.db.conn, demo_path, now=NOW)
    listed = read_list(path)
    assert (listed["check"], listed["verdict"]) == ("integrity_check", "ok")
    assert listed["size"] == demo_path.stat().st_size  # the demo's pages, checkpointed
    assert len(listed["chunks"]) == -(-listed["size"] // (64 * 1024))
    assert not record_path(path).exists(), "the verdict is in the list"
    assert is_good(list_backups(demo_path)[0])
    chunk_store(path.parent).path_of(listed["chunks"][0]).unlink()
    assert not is_good(list_backups(demo_path)[0]), "a missing chunk is seen by the listing"
    other = backup_database(demo_db.db.conn, demo_path, now=NOW + dt.timedelta(minutes=1))
    assert is_good(list_backups(demo_path)[1]), "the next backup put the missing chunk back"
    damage_list(other)
    assert [good for _, good in listed_with_verdicts(demo_path)] == [False, True]


def test_a_record_holds_only_while_the_file_is_as_it_was_checked(demo_db, demo_path):
    """Changed since (same size, a later time): checked again, and found damaged."""
    path = recorded_backup(demo_db, demo_path)
    checked_ns = path.stat().st_mtime_ns
    damage(path)
    os.utime(path, ns=(checked_ns, checked_ns + 1_000_000_000))
    assert not is_good(list_backups(demo_path)[0])


def test_a_record_written_in_the_same_tick_as_a_change_is_not_trusted(demo_db, demo_path):
    """A file changed within the tick of the clock its record was written in keeps the time the
    record holds; a record not younger than the file's last change is checked again."""
    path = recorded_backup(demo_db, demo_path)
    checked_ns = path.stat().st_mtime_ns
    damage(path)
    os.utime(path, ns=(checked_ns, checked_ns))  # the same size and time as when it was checked
    os.utime(record_path(path), ns=(checked_ns, checked_ns))
    assert not is_good(list_backups(demo_path)[0])


def test_a_record_is_what_the_listing_reads_and_a_restore_checks_in_full(demo_db, demo_path, tmp_path):
    """The record is trusted while size and time hold (so `backup list` reads no backup through); a
    change that put the time back is not seen by the listing, but the restore checks the file itself
    and passes over it."""
    older = single_file_backup(demo_db.db.conn, demo_path, NOW - dt.timedelta(hours=1))
    path = recorded_backup(demo_db, demo_path)
    checked_ns = path.stat().st_mtime_ns
    damage(path)
    os.utime(path, ns=(checked_ns, checked_ns))
    assert is_good(list_backups(demo_path)[0])
    assert newest_good_backup(demo_path).path == older
    with pytest.raises(DatabaseError, match="không dùng được"):
        restore_backup(tmp_path / "moi.db", list_backups(demo_path)[0])


def test_a_backup_with_no_record_is_checked_in_full_and_then_recorded(demo_db, demo_path):
    """Backups taken before records existed: the first listing checks them and records the verdict;
    a damaged one gets no record."""
    good = single_file_backup(demo_db.db.conn, demo_path, NOW - dt.timedelta(hours=1))
    bad = single_file_backup(demo_db.db.conn, demo_path, NOW)
    for path in (good, bad):
        record_path(path).unlink()
    damage(bad)
    assert [is_good(b) for b in list_backups(demo_path)] == [False, True]
    assert record_path(good).exists() and not record_path(bad).exists()


def test_prune_keeps_the_last_day_then_the_newest_of_each_day_of_the_week(fresh_db, tmp_path):
    """Every backup of the last 24 h, then the newest of each day up to 7 days; other files left alone."""
    fresh_db.add_unit("03445", "Xã Mường Tè", "xã", who="thu")
    taken = {
        "newest": NOW - dt.timedelta(hours=1),
        "3h": NOW - dt.timedelta(hours=3),
        "14h, yesterday": NOW - dt.timedelta(hours=14),
        "23h": NOW - dt.timedelta(hours=23),
        "25h, same day as 23h": NOW - dt.timedelta(hours=25),
        "2 days, evening": dt.datetime(2026, 3, 8, 18, 0),
        "2 days, morning": dt.datetime(2026, 3, 8, 9, 0),
        "5 days": dt.datetime(2026, 3, 5, 10, 0),
        "6 days 23 h": dt.datetime(2026, 3, 3, 13, 0),
        "7 days 1 h, same day": dt.datetime(2026, 3, 3, 11, 0),
        "8 days": dt.datetime(2026, 3, 2, 12, 0),
        "30 days": NOW - dt.timedelta(days=30),
    }
    paths = {label: backup_database(fresh_db.db.conn, fresh_db.path, now=at) for label, at in taken.items()}
    folder = backup_folder(fresh_db.path)
    foreign = {
        "ghi-chu.txt": b"khong phai ban sao luu",
        "so-chi-tieu-ban-chep.db": b"mot tep khac",
        "khac-20200101-000000.db": b"cua co so du lieu khac",
    }
    for name, content in foreign.items():
        (folder / name).write_bytes(content)

    removed = prune_backups(fresh_db.path, now=NOW)

    gone = {"25h, same day as 23h", "2 days, morning", "7 days 1 h, same day", "8 days", "30 days"}
    assert sorted(removed) == sorted(paths[label] for label in gone)
    for label, path in paths.items():
        assert path.exists() == (label not in gone), label
    for name, content in foreign.items():
        assert (folder / name).read_bytes() == content
    assert prune_backups(fresh_db.path, now=NOW) == []  # thinning twice removes nothing more


def test_prune_never_removes_the_newest_backup_however_old(fresh_db):
    """A PC unused for a month still keeps its last backup."""
    fresh_db.add_unit("03445", "Xã Mường Tè", "xã", who="thu")
    newest = backup_database(fresh_db.db.conn, fresh_db.path, now=NOW - dt.timedelta(days=30))
    older = backup_database(fresh_db.db.conn, fresh_db.path, now=NOW - dt.timedelta(days=31))
    assert prune_backups(fresh_db.path, now=NOW) == [older]
    assert newest.exists() and not older.exists()
    assert prune_backups(fresh_db.path, now=NOW + dt.timedelta(days=365)) == []
    assert newest.exists()


# ---- the chunk store the backups share --------------------------------------------------


def chunks_of(path: Path) -> set[str]:
    return set(read_list(path)["chunks"])


def store_files(db_path: Path) -> set[str]:
    return {p.name for p in chunk_store(backup_folder(db_path)).folder.iterdir()}


def age_store(db_path: Path, hours: int = 2) -> None:
    """Every chunk as if written ``hours`` ago (past the prune's grace for a backup being taken)."""
    past = (dt.datetime.now() - dt.timedelta(hours=hours)).timestamp()
    for chunk in chunk_store(backup_folder(db_path)).folder.iterdir():
        os.utime(chunk, (past, past))


def test_backups_share_the_chunks_that_did_not_change_and_each_restores_its_own_values(demo_db, demo_path):
    """Ten backups with an edit between each take far less than ten copies; each gives its own value back."""
    taken = []
    for n in range(10):
        set_cell(demo_db, 1000 + n)
        taken.append(backup_database(demo_db.db.conn, demo_path, now=NOW + dt.timedelta(minutes=10 * n)))
    size = read_list(taken[0])["size"]
    store = chunk_store(backup_folder(demo_path)).folder
    stored_bytes = sum(p.stat().st_size for p in store.iterdir())
    # one edit rewrites a few pages (the header, the value's, the audit's, their indexes'): a few of
    # the demo's ten chunks; full copies would take 10 sizes
    assert stored_bytes < 4 * size, (stored_bytes, size)
    assert len(chunks_of(taken[0]) & chunks_of(taken[-1])) >= len(chunks_of(taken[0])) // 2
    assert [cell(made_from(path)) for path in taken] == [1000 + n for n in range(10)]


def test_a_backup_stopped_after_some_chunks_leaves_the_earlier_ones_whole_and_no_list(demo_db, demo_path):
    """A chunk's name taken by a folder (the disk refusing that one write) stops the backup midway:
    chunks before it are written, its list is not; the earlier backup still restores; the next prune,
    once the grace for a backup in progress is past, removes the chunks no list names."""
    earlier = backup_database(demo_db.db.conn, demo_path, now=NOW)
    before = store_files(demo_path)
    set_cell(demo_db, 4321)
    demo_db.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    snapshot_file = backup_folder(demo_path) / "du-kien.db"  # the bytes the next backup will cut, made the same way
    copy = sqlite3.connect(snapshot_file, isolation_level=None)
    demo_db.db.conn.backup(copy)
    copy.execute("PRAGMA journal_mode = DELETE")
    copy.close()
    digests = [hashlib.sha256(chunk).hexdigest() for chunk in chunked(snapshot_file.read_bytes())]
    snapshot_file.unlink()
    new = [d for d in digests if d not in before]
    assert len(new) >= 2, "precondition: the edit changed more than one chunk"
    blocked = chunk_store(backup_folder(demo_path)).path_of(new[-1])
    blocked.mkdir()

    with pytest.raises(DatabaseError, match="Không sao lưu được") as caught:
        backup_database(demo_db.db.conn, demo_path, now=NOW + dt.timedelta(minutes=10))

    assert has_vietnamese(str(caught.value))
    assert [b.path for b in list_backups(demo_path)] == [earlier], "no list without all its chunks"
    leftovers = store_files(demo_path) - before - {blocked.name}
    assert new[0] in leftovers, "chunks before the refused one were written"
    earlier_value = cell(made_from(earlier))
    assert earlier_value != 4321
    assert prune_backups(demo_path, now=NOW) == []
    assert store_files(demo_path) >= before | leftovers, "chunks written moments ago are left to a backup in progress"
    blocked.rmdir()
    killed = {  # the whole copies a backup and a check killed midway leave behind
        name: backup_folder(demo_path) / f"demo-20260310-1{n}0000.sao-luu{name}"
        for n, name in enumerate((".tam", ".dang-kiem-tra"))
    }
    fresh = backup_folder(demo_path) / "demo-20260310-130000.sao-luu.tam"
    for path in [*killed.values(), fresh]:
        path.write_bytes(b"SQLite format 3\x00")
    age_store(demo_path)
    for path in killed.values():
        os.utime(path, (0, 0))
    assert prune_backups(demo_path, now=NOW) == []
    assert store_files(demo_path) == before == chunks_of(earlier)
    assert not any(path.exists() for path in killed.values()) and fresh.exists(), "one may be being written"
    fresh.unlink()
    check_backup(earlier)
    again = backup_database(demo_db.db.conn, demo_path, now=NOW + dt.timedelta(minutes=20))
    assert cell(made_from(again)) == 4321


KILLED_BACKUP = """
import datetime as dt, sqlite3, sys
from pathlib import Path
from models.backups import backup_database
path = Path(sys.argv[1])
conn = sqlite3.connect(path, isolation_level=None)
backup_database(conn, path, now=dt.datetime(2026, 3, 10, 12, 10))
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_a_backup_killed_while_writing_its_chunks_loses_nothing_kept(tmp_path):
    """A process killed (SIGKILL, as a power cut stops it) once some of a backup's chunks are in the
    store: no list for it, the earlier backup restores as it was, and the next thinning (past the
    grace for a backup in progress) removes the chunks and the temporary copy it left."""
    path = tmp_path / "so.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE goi (id INTEGER PRIMARY KEY, noi_dung BLOB)")
    conn.execute("INSERT INTO goi (noi_dung) VALUES (randomblob(100000))")
    earlier = backup_database(conn, path, now=NOW)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO goi (noi_dung) VALUES (randomblob(100000))", [()] * 300)  # 30 MB more
    conn.execute("COMMIT")
    conn.close()
    before = store_files(path)

    child = subprocess.Popen([sys.executable, "-c", KILLED_BACKUP, str(path)], cwd=ROOT)
    try:
        while len(store_files(path) - before) < 20 and child.poll() is None:
            time.sleep(0.001)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "precondition: killed before the backup was done"

    assert len(store_files(path) - before) >= 20
    assert [b.path for b in list_backups(path)] == [earlier]
    assert listed_with_verdicts(path) == [(list_backups(path)[0], True)]
    assert rows(made_from(earlier), "goi") == [(1, read_blob(path))], "the earlier backup as it was"
    left = {p.name for p in backup_folder(path).iterdir()} - {earlier.name, "khoi"}
    assert left == {"so-20260310-121000.sao-luu.tam"}, left
    age_store(path)
    for name in left:
        os.utime(backup_folder(path) / name, (0, 0))
    assert prune_backups(path, now=NOW) == []
    assert store_files(path) == before == chunks_of(earlier)
    assert {p.name for p in backup_folder(path).iterdir()} == {earlier.name, "khoi"}
    check_backup(earlier)


def read_blob(path: Path) -> bytes:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT noi_dung FROM goi WHERE id = 1").fetchone()[0]
    finally:
        conn.close()


def chunked(data: bytes, size: int = 64 * 1024) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def test_a_chunk_damaged_in_place_is_refused_at_restore_and_mended_by_the_next_backup(demo_db, demo_path, tmp_path):
    """The listing does not read chunks (it stays quick); the restore checks each and names the backup;
    the next backup, sharing that chunk, finds it differs and writes it again, for every backup."""
    first = backup_database(demo_db.db.conn, demo_path, now=NOW)
    damaged = damage_chunk(first, 0)
    assert is_good(list_backups(demo_path)[0])
    with pytest.raises(DatabaseError) as caught:
        restore_backup(tmp_path / "moi.db", list_backups(demo_path)[0])
    said = str(caught.value)
    assert said.startswith(f"Bản sao lưu “{first.name}” không dùng được: khối dữ liệu ") and "bị hỏng" in said
    assert not (tmp_path / "moi.db").exists() and not (tmp_path / "moi.db.khoi-phuc").exists()
    backup_database(demo_db.db.conn, demo_path, now=NOW + dt.timedelta(minutes=10))
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == damaged.name
    assert restore_backup(tmp_path / "moi.db", Backup(first, NOW)) is None
    for table in TABLES:
        assert (
            rows(tmp_path / "moi.db", table) == demo_db.db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        )


def test_prune_removes_the_chunks_only_the_removed_backups_named(demo_db, demo_path):
    """Lists first, then the chunks no kept list names; a kept list's chunks all stay; while a kept
    list cannot be read, no chunk goes."""
    old = backup_database(demo_db.db.conn, demo_path, now=NOW - dt.timedelta(days=30))
    set_cell(demo_db, 4321)
    kept = backup_database(demo_db.db.conn, demo_path, now=NOW - dt.timedelta(hours=1))
    only_old = chunks_of(old) - chunks_of(kept)
    assert only_old, "precondition: the edit changed a chunk"
    age_store(demo_path)
    damage_list(kept)
    assert prune_backups(demo_path, now=NOW) == [old]
    assert only_old <= store_files(demo_path), "a list that cannot be read: what it names is not known"
    kept.unlink()
    kept = backup_database(demo_db.db.conn, demo_path, now=NOW - dt.timedelta(minutes=30))
    age_store(demo_path)
    assert prune_backups(demo_path, now=NOW) == []
    assert store_files(demo_path) == chunks_of(kept)
    assert cell(made_from(kept)) == 4321


def test_a_single_file_backup_of_an_earlier_version_lists_restores_and_is_thinned(demo_db, demo_path, tmp_path):
    """Next to the chunk lists: listed with its recorded verdict, restored, thinned by the same rule."""
    set_cell(demo_db, 777)
    single = single_file_backup(demo_db.db.conn, demo_path, NOW - dt.timedelta(hours=2))
    set_cell(demo_db, 888)
    chunked_backup = backup_database(demo_db.db.conn, demo_path, now=NOW - dt.timedelta(hours=1))
    assert [(b.path, good) for b, good in listed_with_verdicts(demo_path)] == [(chunked_backup, True), (single, True)]
    target = tmp_path / "khoi-phuc.db"
    assert restore_backup(target, list_backups(demo_path)[1]) is None
    assert cell(target) == 777
    assert prune_backups(demo_path, now=NOW + dt.timedelta(days=2)) == [single]
    assert not single.exists() and not record_path(single).exists()
    assert [b.path for b in list_backups(demo_path)] == [chunked_backup]


# ---- the newest good backup, and restoring it ---------------------------------------------


def test_newest_good_backup_skips_a_damaged_newest_backup(demo_db, demo_path):
    """A damaged newest backup is passed over for the older good one; none good: None."""
    good = backup_database(demo_db.db.conn, demo_path, now=NOW - dt.timedelta(hours=2))
    set_cell(demo_db, 4321)
    bad = backup_database(demo_db.db.conn, demo_path, now=NOW - dt.timedelta(hours=1))
    # Where the edit lands depends on the schema's pages: any chunk that is bad's alone will do.
    assert set(read_list(bad)["chunks"]) - set(read_list(good)["chunks"]), (
        "precondition: the edit is in a chunk of its own"
    )
    damage_chunk(
        bad,
        read_list(bad)["chunks"].index(next(c for c in read_list(bad)["chunks"] if c not in read_list(good)["chunks"])),
    )
    assert is_good(list_backups(demo_path)[0]), "a chunk damaged in place is not seen by the listing"
    with pytest.raises(DatabaseError, match="không dùng được: khối dữ liệu .* bị hỏng") as caught:
        check_backup(bad)
    assert bad.name in str(caught.value)
    assert [b.path for b in list_backups(demo_path)] == [bad, good]
    chosen = newest_good_backup(demo_path)
    assert chosen is not None and chosen.path == good
    assert chosen.taken_at == NOW - dt.timedelta(hours=2)
    damage_list(good)
    assert newest_good_backup(demo_path) is None


def test_of_two_backups_in_the_same_second_the_later_is_the_newest(demo_db, demo_path):
    """The window's backup at start and one after a quick edit can fall in the same second."""
    first = backup_database(demo_db.db.conn, demo_path, now=NOW)
    set_cell(demo_db, 4321)
    second = backup_database(demo_db.db.conn, demo_path, now=NOW)
    assert second.name == "demo-20260310-120000-2.sao-luu" and first.name == "demo-20260310-120000.sao-luu"
    assert newest_good_backup(demo_path).path == second
    assert cell(made_from(newest_good_backup(demo_path).path)) == 4321


def test_restore_keeps_the_replaced_file_and_its_wal_aside(demo_path, tmp_path):
    """The file replaced is left as a crash leaves it (edits still in its -wal): both
    are moved aside byte for byte, and together they still open with those edits."""
    gw = Gateway.open(demo_path)
    set_cell(gw, 1111)
    taken = backup_database(gw.db.conn, demo_path, now=NOW)
    set_cell(gw, 2222)  # after the backup, only in the WAL so far
    target = tmp_path / "so.db"
    target.write_bytes(demo_path.read_bytes())  # the file as a power cut would leave it
    Path(f"{target}-wal").write_bytes(Path(f"{demo_path}-wal").read_bytes())
    gw.close()
    old_db, old_wal = target.read_bytes(), Path(f"{target}-wal").read_bytes()
    assert old_wal, "precondition: the edits after the backup are in the WAL"

    kept = restore_backup(target, Backup(taken, NOW), now=NOW + dt.timedelta(hours=1))

    assert kept == tmp_path / "so-truoc-khoi-phuc-20260310-130000.db"
    assert kept.read_bytes() == old_db
    assert Path(f"{kept}-wal").read_bytes() == old_wal
    assert not Path(f"{target}-wal").exists()
    assert not Path(f"{target}.khoi-phuc").exists()
    assert target.read_bytes() == made_from(taken).read_bytes()
    assert cell(target) == 1111
    assert cell(kept) == 2222  # nothing lost: the replaced file still opens with its last edits


def test_restore_from_a_damaged_backup_is_refused_and_changes_nothing(demo_db, demo_path, tmp_path):
    """The backup is checked before anything is moved."""
    taken = backup_database(demo_db.db.conn, demo_path, now=NOW)
    demo_db.close()
    damage_chunk(taken)
    before = snapshot(tmp_path)
    with pytest.raises(DatabaseError, match="không dùng được") as caught:
        restore_backup(demo_path, Backup(taken, NOW))
    assert has_vietnamese(str(caught.value)) and f"“{taken.name}”" in str(caught.value)
    assert snapshot(tmp_path) == before


def test_a_restore_onto_a_missing_file_puts_the_backup_there(demo_db, demo_path, tmp_path):
    """A deleted database comes back from its backup; nothing to keep aside."""
    taken = backup_database(demo_db.db.conn, demo_path, now=NOW)
    target = tmp_path / "mat.db"
    assert restore_backup(target, Backup(taken, NOW)) is None
    store, listed = chunk_store(taken.parent), read_list(taken)
    assert target.read_bytes() == b"".join(store.read(digest) for digest in listed["chunks"])
    for table in TABLES:  # read by a second reader: the database's rows, nothing changed since
        assert rows(target, table) == demo_db.db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


# ---- the backup before a schema upgrade ---------------------------------------------------


def test_opening_a_database_of_the_first_schema_leaves_a_backup_of_it_as_it_was(tmp_path):
    """The upgrade's way back: a backup still at the first schema, with the values and audit."""
    path = first_schema_database(tmp_path / "cu.db")
    before = {table: rows(path, table) for table in TABLES}

    Gateway.open(path, create=False).close()

    backups = list_backups(path)
    assert len(backups) == 1
    check_backup(backups[0].path)
    made = made_from(backups[0].path)
    assert migration_names(made) == ["m001_initial"]
    assert {table: rows(made, table) for table in TABLES} == before
    assert migration_names(path) == ALL_MIGRATIONS  # precondition: it was upgraded


def test_a_new_empty_database_takes_no_backup(tmp_path):
    """Creating a database backs nothing up (nothing to lose)."""
    Gateway.open(tmp_path / "moi.db").close()
    assert not backup_folder(tmp_path / "moi.db").exists()


# ---- a full disk ------------------------------------------------------------------------

# Room for the database's -shm (32 KiB) and a few WAL frames, not for a 640 KB backup.
BACKUP_ROOM = 128 * 1024
needs_rlimit = pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")


@needs_rlimit
def test_a_backup_on_a_full_disk_fails_with_one_line_and_leaves_nothing_half_written(demo_path):
    """Exit 2, one Vietnamese line, no .tam or half backup, the database byte-identical."""
    before = demo_path.read_bytes()
    assert len(before) > 4 * BACKUP_ROOM, "precondition: the backup cannot fit"
    run = run_on_full_disk(BACKUP_ROOM, "backup", "create", "--db", demo_path)
    line = assert_refused(run)
    assert "Không sao lưu được" in line and "dữ liệu vẫn nguyên" in line
    folder = backup_folder(demo_path)
    assert not folder.exists() or list(folder.iterdir()) == []  # no .tam, no half backup
    assert demo_path.read_bytes() == before
    assert sorted(p.name for p in demo_path.parent.iterdir() if p.is_file()) == ["demo.db"]
    # with room again, the next backup works
    again = run_main("backup", "create", "--db", demo_path)
    assert again.returncode == 0, again.stderr
    assert len(list_backups(demo_path)) == 1


@needs_rlimit
def test_the_reason_a_backup_failed_on_a_full_disk_is_said_in_vietnamese(demo_path):
    """The reason in the parentheses is Vietnamese too, not SQLite's English."""
    line = assert_refused(run_on_full_disk(BACKUP_ROOM, "backup", "create", "--db", demo_path))
    assert "Không sao lưu được" in line
    assert "disk I/O error" not in line and "ổ đĩa" in line.split("(")[1].split(")")[0], line


def test_a_backup_folder_name_taken_by_a_file_is_refused_with_a_clear_message(demo_path, tmp_path):
    """A file where the backup folder goes: the usual “Không sao lưu được” line, not an unexpected error."""
    backup_folder(demo_path).write_bytes(b"ghi chu cua can bo")
    before = snapshot(tmp_path)
    line = assert_refused(run_main("backup", "create", "--db", demo_path))
    assert snapshot(tmp_path) == before
    assert "Không sao lưu được" in line, line
    assert "Errno" not in line and "Not a directory" not in line, line


def changed_values(gw: Gateway, form) -> dict:
    """The file ``load`` reads, with every value of the demo report changed."""
    kinds = {i.id: i.kind for i in form.indicators}
    values = gw.values(gw.find_report(*REPORT_KEY))

    def changed(indicator, value):
        return 1 - value if kinds[indicator] == "yesno" else value + 1000

    commune = {ind: changed(ind, v) for (ind, unit), v in values.items() if unit == REPORT_KEY[0]}
    villages: dict[str, dict] = {}
    for (ind, unit), v in values.items():
        if unit != REPORT_KEY[0]:
            villages.setdefault(unit, {})[ind] = changed(ind, v)
    return {"values": {"commune": commune, "villages": villages}}


@needs_rlimit
def test_an_edit_on_a_full_disk_is_refused_and_the_database_keeps_its_old_values(demo_path, kl224, tmp_path):
    """Room for the -shm (32 KiB) but not for the WAL frames of a whole report's changes."""
    gw = Gateway.open(demo_path)
    report = gw.find_report(*REPORT_KEY)
    before = gw.values(report), len(gw.audit_trail(report))
    data = changed_values(gw, kl224)
    gw.close()
    values_file = tmp_path / "so-lieu.json"
    values_file.write_text(json.dumps(data), encoding="utf-8")
    args = ("load", "--db", demo_path, "--unit", "03445", "--form", "kl224", "--period", "2025", values_file)

    line = assert_refused(run_on_full_disk(32 * 1024, *args))

    assert "Không ghi được" in line and "chưa có gì thay đổi" in line
    conn = sqlite3.connect(demo_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    gw = Gateway.open(demo_path, create=False)
    try:
        assert (gw.values(report), len(gw.audit_trail(report))) == before
    finally:
        gw.close()
    # the same file loads once there is room: the refusal came from the disk, not the data
    loaded = run_main(*args)
    assert loaded.returncode == 0, loaded.stderr
    assert cell(demo_path) == before[0][CELL] + 1000


@needs_rlimit
def test_a_healthy_database_on_a_full_disk_is_not_called_damaged(demo_path):
    """16 KiB: not even room for the 32 KiB -shm SQLite needs to open a WAL database."""
    before = demo_path.read_bytes()
    line = assert_refused(run_on_full_disk(16 * 1024, "backup", "create", "--db", demo_path))
    assert demo_path.read_bytes() == before
    assert "hỏng" not in line and "ổ đĩa" in line, line


# ---- the backup commands ----------------------------------------------------------------


@pytest.mark.slow
def test_backup_create_and_list(demo_path):
    """create (text and --json) writes checked backups; list shows each, a damaged one as HỎNG / good false."""
    run = run_main("backup", "create", "--db", demo_path, "--json")
    assert run.returncode == 0, run.stderr
    made = json.loads(run.stdout)
    assert set(made) == {"file", "removed"} and made["removed"] == []
    first = Path(made["file"])
    assert first.parent == backup_folder(demo_path) and first.exists()
    check_backup(first)

    run = run_main("backup", "create", "--db", demo_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Đã sao lưu vào “")
    second = next(b.path for b in list_backups(demo_path) if b.path != first)
    damage_list(second)

    listed = run_main("backup", "list", "--db", demo_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.strip().splitlines()
    assert len(lines) == 2
    assert any("  tốt  " in line and line.endswith(str(first)) for line in lines), lines
    assert any("  HỎNG  " in line and line.endswith(str(second)) for line in lines), lines

    listed = run_main("backup", "list", "--db", demo_path, "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert all(set(e) == {"file", "taken_at", "good"} for e in entries)
    assert {e["file"]: e["good"] for e in entries} == {str(first): True, str(second): False}
    dt.datetime.fromisoformat(entries[0]["taken_at"])


def test_backup_list_with_no_backups(demo_path):
    """No backups: said in text, an empty JSON list."""
    listed = run_main("backup", "list", "--db", demo_path)
    assert listed.returncode == 0
    assert "Chưa có bản sao lưu nào" in listed.stdout
    assert json.loads(run_main("backup", "list", "--db", demo_path, "--json").stdout) == []


@pytest.mark.parametrize("problem", ["missing", "damaged", "newer"])
def test_backup_create_refuses_a_database_it_cannot_open_and_backs_nothing_up(tmp_path, demo_path, problem):
    """Missing, damaged or newer: exit 2, one Vietnamese line, no file written."""
    path = {"missing": tmp_path / "khong-co.db", "damaged": demo_path, "newer": demo_path}[problem]
    if problem == "damaged":
        damage(path)
    if problem == "newer":
        from_a_newer_version(path)
    before = snapshot(tmp_path)
    line = assert_refused(run_main("backup", "create", "--db", path))
    assert {"missing": "Không tìm thấy", "damaged": "đã hỏng", "newer": "mới hơn"}[problem] in line
    assert snapshot(tmp_path) == before


@pytest.mark.slow
def test_backup_restore_refuses_a_healthy_database_without_force(demo_path, tmp_path):
    """A database that opens is not replaced without --force; nothing changes."""
    assert run_main("backup", "create", "--db", demo_path).returncode == 0
    before = snapshot(tmp_path)
    line = assert_refused(run_main("backup", "restore", "--db", demo_path))
    assert "không hỏng" in line and "--force" in line
    assert snapshot(tmp_path) == before


def test_backup_restore_refusal_leaves_an_old_schema_database_untouched(tmp_path):
    """The refusal's health check must not upgrade (rewrite) the file it refuses to replace."""
    path = tmp_path / "cu.db"
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(old, stop_before=ALL_MIGRATIONS[1])
    old.execute("INSERT INTO units (code, name, kind) VALUES ('03445', 'Xã Mường Tè', 'xã')")
    backup_database(old.conn, path, now=NOW)
    old.conn.close()
    before = snapshot(tmp_path)
    line = assert_refused(run_main("backup", "restore", "--db", path))
    assert "không hỏng" in line
    assert snapshot(tmp_path) == before


def test_backup_restore_puts_the_newest_good_backup_in_place_of_a_damaged_database(demo_path, tmp_path):
    """Exit 0, the backup's values back, the damaged file kept aside byte for byte, the lock let go."""
    gw = Gateway.open(demo_path)
    set_cell(gw, 4321)
    gw.close()
    assert run_main("backup", "create", "--db", demo_path).returncode == 0
    damaged = damage(demo_path)

    run = run_main("backup", "restore", "--db", demo_path, "--json")

    assert run.returncode == 0, run.stderr
    said = json.loads(run.stdout)
    assert set(said) == {"file", "restored_from", "kept"}
    assert said["restored_from"] == str(list_backups(demo_path)[0].path)
    kept = Path(said["kept"])
    assert kept.parent == tmp_path and kept.name.startswith("demo-truoc-khoi-phuc-")
    assert kept.read_bytes() == damaged
    assert cell(demo_path) == 4321
    assert not Path(f"{demo_path}.lock").exists()


def test_backup_restore_text_output_names_the_kept_file(demo_path, tmp_path):
    """The text output says what was restored and where the old file is."""
    assert run_main("backup", "create", "--db", demo_path).returncode == 0
    damage(demo_path)
    run = run_main("backup", "restore", "--db", demo_path)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0].startswith(f"Đã khôi phục “{demo_path}” từ bản sao lưu lúc ")
    assert lines[1].startswith("Tệp cũ được giữ lại ở “") and "demo-truoc-khoi-phuc-" in lines[1]


@pytest.mark.slow
def test_backup_restore_from_a_damaged_file_is_refused(demo_path, tmp_path):
    """--from a damaged file: refused even with --force, nothing changed."""
    assert run_main("backup", "create", "--db", demo_path).returncode == 0
    chosen = tmp_path / "ban-chep.db"
    chosen.write_bytes(made_from(list_backups(demo_path)[0].path).read_bytes())
    damage(chosen)
    damage(demo_path)
    before = snapshot(tmp_path)
    line = assert_refused(run_main("backup", "restore", "--db", demo_path, "--from", chosen, "--force"))
    assert "ban-chep.db" in line and "không dùng được" in line
    assert snapshot(tmp_path) == before


def test_backup_restore_from_a_chosen_good_file(demo_path, tmp_path):
    """--from a good file with --force replaces a healthy database, which is kept aside."""
    gw = Gateway.open(demo_path)
    set_cell(gw, 777)
    chosen = backup_database(gw.db.conn, demo_path, now=NOW)
    set_cell(gw, 888)
    gw.close()
    run = run_main("backup", "restore", "--db", demo_path, "--from", chosen, "--force", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["restored_from"] == str(chosen)
    assert cell(demo_path) == 777
    assert cell(Path(json.loads(run.stdout)["kept"])) == 888


@pytest.mark.parametrize("backups", ["none", "only damaged ones"])
def test_backup_restore_with_no_good_backup_is_refused(demo_path, tmp_path, backups):
    """No good backup: exit 2 saying so, the damaged file left where it is."""
    if backups == "only damaged ones":
        assert run_main("backup", "create", "--db", demo_path).returncode == 0
        damage_list(list_backups(demo_path)[0].path)
    damage(demo_path)
    before = snapshot(tmp_path)
    line = assert_refused(run_main("backup", "restore", "--db", demo_path, "--force"))
    assert "Không có bản sao lưu tốt nào" in line
    assert snapshot(tmp_path) == before


def test_backup_restore_in_a_missing_folder_says_the_folder_is_missing(tmp_path):
    """A database path in a folder that does not exist is not “open in another window”."""
    line = assert_refused(run_main("backup", "restore", "--db", tmp_path / "chua-co" / "so.db"))
    assert "đang được mở" not in line and "không tồn tại" in line, line
    assert not (tmp_path / "chua-co").exists()


# ---- the lock of another process ---------------------------------------------------------


@pytest.mark.slow
def test_restore_is_refused_while_another_process_holds_the_database_then_works_once_it_died(demo_path, tmp_path):
    """A live lock refuses the restore, files unchanged; a stale lock (SIGKILL) is taken over."""
    assert run_main("backup", "create", "--db", demo_path).returncode == 0
    with lock_held_elsewhere(demo_path) as holder:
        before = snapshot(tmp_path)
        assert "demo.db.lock" in before
        line = assert_refused(run_main("backup", "restore", "--db", demo_path, "--force"))
        assert "đang được mở" in line
        assert snapshot(tmp_path) == before
        os.kill(holder.pid, signal.SIGKILL)  # a crash: the lock file stays behind
        holder.wait(timeout=10)
    assert Path(f"{demo_path}.lock").exists(), "precondition: a stale lock"

    run = run_main("backup", "restore", "--db", demo_path, "--force")

    assert run.returncode == 0, run.stderr
    assert "Đã khôi phục" in run.stdout
    assert list(tmp_path.glob("demo-truoc-khoi-phuc-*.db"))
    assert not Path(f"{demo_path}.lock").exists()
