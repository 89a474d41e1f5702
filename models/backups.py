"""Backups of the database, taken with SQLite's backup API, and their restore.

A backup is a whole, checked, single-file copy in ``<name>-sao-luu/`` beside
the database, named by the moment it was taken. Every backup of the last day
is kept, then the newest of each day for a week, so a PC that is edited all
day does not fill its disk. A restore never deletes anything: the file it
replaces (and its WAL) is moved aside under a name that says so.

Each backup is proven good by the full ``PRAGMA integrity_check`` before it is
kept (a page-for-page copy: this is the database's own full check, which the
quick check on every open leaves out), and that verdict is recorded beside it
in ``<backup>.db.kiem-tra``, with the size and modification time the file had
when it was checked. ``backup list`` reads the record instead of checking each
backup again; a file whose size or time differs from its record, or whose
record was written in the same tick of the clock as the file's last change
(so a later change could keep the time), is checked again in full. The record
is a file of its own, not a row in the backup: writing in the backup would
change what was checked, and a record inside it could not vouch for pages
damaged around it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from models.errors import DamagedDatabase, DatabaseError, describe_disk_error, os_error_words

KEEP_DAYS = 7
STAMP = "%Y%m%d-%H%M%S"
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions of a database file
RECORD_SUFFIX = ".kiem-tra"  # the verdict of the full check, beside each backup


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime

    @property
    def label(self) -> str:
        return self.taken_at.strftime("%H:%M ngày %d/%m/%Y")

    def to_dict(self, good: bool) -> dict:
        """What ``backup list --json`` lists: the file, when it was taken, whether it can be restored."""
        return {"file": str(self.path), "taken_at": self.taken_at.isoformat(), "good": good}


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-sao-luu"


def backup_database(conn: sqlite3.Connection, db_path: str | Path, now: dt.datetime | None = None) -> Path:
    """Copy the database behind ``conn`` into a new checked backup; its path."""
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    folder = backup_folder(db_path)
    path = _free_name(folder, f"{db_path.stem}-{now.strftime(STAMP)}")
    scratch = path.with_name(path.name + ".tam")
    try:
        folder.mkdir(exist_ok=True)
        copy = sqlite3.connect(scratch, isolation_level=None)
        try:
            conn.backup(copy)  # a consistent snapshot, even while another connection writes
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, readable without its WAL
        finally:
            copy.close()
        _flush(scratch)
        checked = _stamp(scratch)
        try:
            check_backup(scratch)
        except DatabaseError:
            # Damaged (a page-for-page copy fails only where the database does): opened for an
            # upgrade, the window offers the newest good backup, as for a file refused at open.
            raise DamagedDatabase(
                f"Cơ sở dữ liệu “{db_path}” không qua được kiểm tra toàn bộ (integrity_check) khi sao lưu: "
                "có chỉ mục không khớp với bảng của nó, hoặc trang bị hỏng. Bản sao này không được giữ; "
                "các bản sao lưu cũ vẫn nguyên. Hãy nhờ cán bộ kỹ thuật khôi phục bản sao lưu tốt gần nhất.",
                db_path,
            ) from None
        os.replace(scratch, path)
        _write_record(path, checked)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(
            f"Không sao lưu được cơ sở dữ liệu vào “{folder}” ({describe_disk_error(exc)}); dữ liệu vẫn nguyên."
        ) from None
    finally:
        _remove_quietly(scratch)
    return path


def check_backup(path: str | Path) -> None:
    """DatabaseError unless ``path`` is a whole SQLite file that passes the integrity check
    (a file of 0 bytes passes SQLite's check as an empty database: not a backup)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DatabaseError(f"Bản sao lưu “{path.name}” không dùng được: {os_error_words(exc)}.") from None
    if size == 0:
        raise DatabaseError(f"Bản sao lưu “{path.name}” không dùng được: tệp trống (0 byte).")
    try:
        # immutable: read the one file as it is, as a restore would copy it, leaving no -wal or -shm beside it
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        verdict = "not a database"
    if verdict != "ok":
        raise DatabaseError(f"Bản sao lưu “{path.name}” không dùng được: tệp hỏng.")


def list_backups(db_path: str | Path) -> list[Backup]:
    """The database's backups, newest first."""
    db_path = Path(db_path)
    found = []
    for path in backup_folder(db_path).glob(f"{db_path.stem}-*.db"):
        rest = path.stem.removeprefix(f"{db_path.stem}-")
        stamp, number = rest[:15], rest[16:] if rest[15:16] == "-" else rest[15:]
        try:
            found.append((Backup(path, dt.datetime.strptime(stamp, STAMP)), int(number or 1)))
        except ValueError:
            continue  # not one of ours
    # Two backups in one second are named …-120000.db then …-120000-2.db.
    return [backup for backup, _ in sorted(found, key=lambda b: (b[0].taken_at, b[1]), reverse=True)]


def is_good(backup: Backup) -> bool:
    """Whether the backup passes the full check: its record's verdict while the file is as it was
    checked, else the check itself (recorded when it passes, so the next listing is quick)."""
    if _recorded_good(backup.path):
        return True
    try:
        checked = _stamp(backup.path)
        check_backup(backup.path)
    except (DatabaseError, OSError):
        return False
    with contextlib.suppress(OSError):  # a folder that may only be read: checked again next time
        _write_record(backup.path, checked)
    return True


def newest_good_backup(db_path: str | Path) -> Backup | None:
    """The newest backup that passes the full check now (not on the strength of a record: it is the
    one about to be put back)."""
    for backup in list_backups(db_path):
        try:
            check_backup(backup.path)
        except DatabaseError:
            continue
        return backup
    return None


def prune_backups(db_path: str | Path, now: dt.datetime | None = None) -> list[Path]:
    """Thin the backups to every one of the last day and the newest of each day
    of the week; the newest backup is always kept. The paths removed."""
    now = now or dt.datetime.now()
    kept_days: set[dt.date] = set()
    removed = []
    for index, backup in enumerate(list_backups(db_path)):
        age = now - backup.taken_at
        day = backup.taken_at.date()
        keep = index == 0 or age <= dt.timedelta(days=1)
        if not keep and age <= dt.timedelta(days=KEEP_DAYS) and day not in kept_days:
            keep = True  # the newest of its day
        kept_days.add(day)
        if not keep:
            _remove_quietly(backup.path)  # one left behind costs disk, not data
            _remove_quietly(record_path(backup.path))
            removed.append(backup.path)
    return removed


def restore_backup(db_path: str | Path, backup: Backup, now: dt.datetime | None = None) -> Path | None:
    """Put ``backup`` in place of the database; the old file is kept aside
    (its new path returned; None if there was none).

    No connection to ``db_path`` may be open.
    """
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    check_backup(backup.path)
    kept = _free_name(db_path.parent, f"{db_path.stem}-truoc-khoi-phuc-{now.strftime(STAMP)}")
    scratch = db_path.with_name(db_path.name + ".khoi-phuc")
    try:
        scratch.write_bytes(backup.path.read_bytes())
        _flush(scratch)
        if not db_path.exists():
            kept = None
        else:
            os.replace(db_path, kept)
            for suffix in SIDE_FILES:  # the WAL belongs to the file it was written for
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, kept.with_name(kept.name + suffix))
        os.replace(scratch, db_path)
    except OSError as exc:
        _remove_quietly(scratch)
        raise DatabaseError(
            f"Không khôi phục được “{db_path}” ({describe_disk_error(exc)}); các tệp vẫn như cũ."
        ) from None
    return kept


def record_path(backup_path: Path) -> Path:
    return backup_path.with_name(backup_path.name + RECORD_SUFFIX)


def _stamp(path: Path) -> tuple[int, int]:
    """The file's size and modification time (ns): what must not change for a record to hold."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _write_record(path: Path, checked: tuple[int, int]) -> None:
    """Record that ``path``, as it was at ``checked`` (size, time), passed the full check; only if it
    has not changed since."""
    if _stamp(path) != checked:
        return
    size, mtime_ns = checked
    record = {"check": "integrity_check", "verdict": "ok", "size": size, "mtime_ns": mtime_ns}
    record_path(path).write_text(json.dumps(record), encoding="utf-8")


def _recorded_good(path: Path) -> bool:
    """Whether a record says the file passed the full check as it is now. Not when the file's size
    or time moved, nor when the record is not younger than the file's last change: a change within
    the same tick of the file system's clock would keep the time the record holds."""
    record_file = record_path(path)
    try:
        record = json.loads(record_file.read_text(encoding="utf-8"))
        written_ns = record_file.stat().st_mtime_ns
        size, mtime_ns = _stamp(path)
    except (OSError, ValueError):
        return False
    if not isinstance(record, dict) or record.get("verdict") != "ok" or record.get("check") != "integrity_check":
        return False
    return record.get("size") == size and record.get("mtime_ns") == mtime_ns and written_ns > mtime_ns


def _free_name(folder: Path, stem: str) -> Path:
    path, n = folder / f"{stem}.db", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.db"
    return path


def _flush(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):  # cleaning up after a failure must not hide it
        path.unlink(missing_ok=True)
