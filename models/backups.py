"""Backups of the database, taken with SQLite's backup API, and their restore.

A backup is a whole, checked, single-file copy in ``<name>-sao-luu/`` beside
the database, named by the moment it was taken. Every backup of the last day
is kept, then the newest of each day for a week, so a PC that is edited all
day does not fill its disk. A restore never deletes anything: the file it
replaces (and its WAL) is moved aside under a name that says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from models.errors import DatabaseError, describe_disk_error, os_error_words

KEEP_DAYS = 7
STAMP = "%Y%m%d-%H%M%S"
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions of a database file


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
        check_backup(scratch)
        _flush(scratch)
        os.replace(scratch, path)
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(scratch)
        raise DatabaseError(
            f"Không sao lưu được cơ sở dữ liệu vào “{folder}” ({describe_disk_error(exc)}); dữ liệu vẫn nguyên."
        ) from None
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
    try:
        check_backup(backup.path)
    except DatabaseError:
        return False
    return True


def newest_good_backup(db_path: str | Path) -> Backup | None:
    return next((backup for backup in list_backups(db_path) if is_good(backup)), None)


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
