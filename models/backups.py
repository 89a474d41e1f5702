"""Backups of the database, taken with SQLite's backup API, and their restore.

A backup is a list of chunks in ``<name>-sao-luu/`` beside the database,
``<name>-<moment>.sao-luu``, whose chunks live in the folder's chunk store
``khoi/`` (models/backup_store.py): 64 KiB pieces named by their SHA-256,
each stored once however many backups hold it, so ten backups of a day in
which a few hundred cells changed take little more than one. Every backup of
the last day is kept, then the newest of each day for a week. A restore never
deletes anything: the file it replaces (and its WAL) is moved aside under a
name that says so.

Each backup is proven good before it is kept: the snapshot is first written
whole to a temporary file and passes the full ``PRAGMA integrity_check``
(the database's own full check, which the quick check on every open leaves
out); only then are those very bytes cut into chunks and the list written
(after its chunks), with the verdict recorded in it. The list begins with the
SHA-256 of the rest, so a damaged list is caught. What each check catches:

- ``backup list`` reads each list (its own hash, the recorded verdict) and
  looks that every chunk it names is in the store (one listing of the folder,
  no chunk read): it catches a damaged or missing list and a missing chunk,
  not a chunk whose bytes were damaged in place;
- a restore (and ``newest_good_backup``) makes the file again, checking every
  chunk against its hash, then runs the full check on the file made: it
  catches everything, and refuses naming the backup;
- the next backup reads every chunk it shares with older ones and rewrites
  one whose bytes differ, so a chunk damaged in place is mended for them all.

Backups from earlier versions are whole single-file copies ``<name>-<moment>.db``
with their verdict in ``<backup>.db.kiem-tra`` (size and modification time the
file had when checked); they are listed, restored and thinned as before. Such
a record holds while the file's size and time are as recorded and the record
is younger than the file's last change; otherwise the file is checked again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from models.backup_store import PRUNE_GRACE_S, ChunkError, ChunkStore, ListError, read_list, write_list
from models.errors import DamagedDatabase, DatabaseError, describe_disk_error, os_error_words
from models.packet_store import PacketFileLost, PacketStore, packet_folder

KEEP_DAYS = 7
STAMP = "%Y%m%d-%H%M%S"
SIDE_FILES = ("-wal", "-shm", "-journal")  # SQLite's companions of a database file
LIST_SUFFIX = ".sao-luu"  # a backup: the list of its chunks, with the verdict of its full check
SINGLE_SUFFIX = ".db"  # a backup from an earlier version: a whole copy
RECORD_SUFFIX = ".kiem-tra"  # the verdict of the full check, beside each single-file backup
STORE_NAME = "khoi"  # the chunk store, inside the backup folder


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


def chunk_store(folder: Path) -> ChunkStore:
    """The chunk store of a backup folder (the folder a backup's list is in)."""
    return ChunkStore(Path(folder) / STORE_NAME)


def is_chunked(path: Path) -> bool:
    return Path(path).suffix == LIST_SUFFIX


def backup_database(conn: sqlite3.Connection, db_path: str | Path, now: dt.datetime | None = None) -> Path:
    """Copy the database behind ``conn`` into a new checked backup; the path of its list."""
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
        try:
            _check_file(scratch, path.name)
        except DatabaseError:
            # Damaged (a page-for-page copy fails only where the database does): opened for an
            # upgrade, the window offers the newest good backup, as for a file refused at open.
            raise DamagedDatabase(
                f"Cơ sở dữ liệu “{db_path}” không qua được kiểm tra toàn bộ (integrity_check) khi sao lưu: "
                "có chỉ mục không khớp với bảng của nó, hoặc trang bị hỏng. Bản sao này không được giữ; "
                "các bản sao lưu cũ vẫn nguyên. Hãy nhờ cán bộ kỹ thuật khôi phục bản sao lưu tốt gần nhất.",
                db_path,
            ) from None
        size = scratch.stat().st_size
        chunks = chunk_store(folder).put_file(scratch)  # the bytes just checked, every chunk before the list
        _carry_packet_files(scratch, db_path, folder)
        write_list(path, {"check": "integrity_check", "verdict": "ok", "size": size, "chunks": chunks})
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(
            f"Không sao lưu được cơ sở dữ liệu vào “{folder}” ({describe_disk_error(exc)}); dữ liệu vẫn nguyên."
        ) from None
    finally:
        _remove_quietly(scratch)
    return path


def check_backup(path: str | Path) -> None:
    """DatabaseError unless the backup at ``path`` makes a whole SQLite file that passes the
    integrity check, every chunk matching its hash (a file of 0 bytes passes SQLite's check as an
    empty database: not a backup)."""
    path = Path(path)
    if not is_chunked(path):
        _check_file(path, path.name)
        return
    scratch = path.with_name(path.name + ".dang-kiem-tra")
    try:
        _rebuild(path, scratch)
        _check_file(scratch, path.name)
    finally:
        _remove_quietly(scratch)


def list_backups(db_path: str | Path) -> list[Backup]:
    """The database's backups, newest first."""
    db_path = Path(db_path)
    found = []
    for path in backup_folder(db_path).glob(f"{db_path.stem}-*"):
        if path.suffix not in (LIST_SUFFIX, SINGLE_SUFFIX):
            continue
        rest = path.stem.removeprefix(f"{db_path.stem}-")
        stamp, number = rest[:15], rest[16:] if rest[15:16] == "-" else rest[15:]
        try:
            found.append((Backup(path, dt.datetime.strptime(stamp, STAMP)), int(number or 1)))
        except ValueError:
            continue  # not one of ours
    # Two backups in one second are named …-120000 then …-120000-2.
    return [backup for backup, _ in sorted(found, key=lambda b: (b[0].taken_at, b[1]), reverse=True)]


def is_good(backup: Backup, present: set[str] | None = None) -> bool:
    """Whether the backup passed the full check, read from its record (module docstring). A list:
    its hash and verdict hold and every chunk is in the store (``present``, the store's chunks if
    the caller listed them once for many backups). A single file: its record while the file is as
    it was checked, else the check itself (recorded when it passes, so the next listing is quick)."""
    if is_chunked(backup.path):
        try:
            content = read_list(backup.path)
        except (OSError, ListError):
            return False
        if content.get("verdict") != "ok" or content.get("check") != "integrity_check":
            return False
        if present is None:
            present = chunk_store(backup.path.parent).present()
        return set(content["chunks"]) <= present
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


def listed_with_verdicts(db_path: str | Path) -> list[tuple[Backup, bool]]:
    """Each backup, newest first, with ``is_good``; the store listed once for them all."""
    backups = list_backups(db_path)
    present = chunk_store(backup_folder(Path(db_path))).present() if backups else set()
    return [(backup, is_good(backup, present)) for backup in backups]


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
    of the week; the newest backup is always kept. The paths removed.

    The lists go first, then the chunks no remaining list names (models/backup_store.py: none
    touched in the last hour, which a backup being taken may be about to name). Stopped midway,
    every kept list still has its chunks; the next prune finishes. While a list cannot be read no
    chunk is removed: what it names is not known."""
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    kept_days: set[dt.date] = set()
    removed, kept = [], []
    for index, backup in enumerate(list_backups(db_path)):
        age = now - backup.taken_at
        day = backup.taken_at.date()
        keep = index == 0 or age <= dt.timedelta(days=1)
        if not keep and age <= dt.timedelta(days=KEEP_DAYS) and day not in kept_days:
            keep = True  # the newest of its day
        kept_days.add(day)
        if keep:
            kept.append(backup.path)
            continue
        _remove_quietly(backup.path)  # one left behind costs disk, not data
        _remove_quietly(record_path(backup.path))
        removed.append(backup.path)
    _remove_stale_copies(backup_folder(db_path), db_path.stem)
    referenced: set[str] = set()
    for path in filter(is_chunked, kept):
        try:
            referenced.update(read_list(path)["chunks"])
        except (OSError, ListError):
            return removed
    chunk_store(backup_folder(db_path)).prune(referenced)
    return removed


def restore_backup(db_path: str | Path, backup: Backup, now: dt.datetime | None = None) -> Path | None:
    """Put ``backup`` in place of the database; the old file is kept aside
    (its new path returned; None if there was none).

    The file is made beside the database (every chunk checked) and passes the
    full check before anything is moved. No connection to ``db_path`` may be open.
    """
    db_path = Path(db_path)
    now = now or dt.datetime.now()
    kept = _free_name(db_path.parent, f"{db_path.stem}-truoc-khoi-phuc-{now.strftime(STAMP)}", (".db",))
    scratch = db_path.with_name(db_path.name + ".khoi-phuc")
    try:
        if is_chunked(backup.path):
            _rebuild(backup.path, scratch)
        else:
            _check_file(backup.path, backup.path.name)
            scratch.write_bytes(backup.path.read_bytes())
            _flush(scratch)
        _check_file(scratch, backup.path.name)
        if not db_path.exists():
            kept = None
        else:
            os.replace(db_path, kept)
            for suffix in SIDE_FILES:  # the WAL belongs to the file it was written for
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, kept.with_name(kept.name + suffix))
        os.replace(scratch, db_path)
        _bring_back_packet_files(db_path, backup_folder(db_path))
    except DatabaseError:
        _remove_quietly(scratch)
        raise
    except OSError as exc:
        _remove_quietly(scratch)
        raise DatabaseError(
            f"Không khôi phục được “{db_path}” ({describe_disk_error(exc)}); các tệp vẫn như cũ."
        ) from None
    return kept


# ---- the packet files kept beside the database (models/packet_store.py) ---------------------


def packet_copies(folder: Path) -> PacketStore:
    """The copies of the received packet files in a backup folder: each file once, under the same
    name as beside the database, shared by every backup; never thinned (they are evidence)."""
    return PacketStore(folder / "goi")


def _kept_packet_files(db_file: Path) -> list[str]:
    """The SHA-256 of every packet file a database names as kept beside it ([] for a database of a
    version that kept them inside, or none)."""
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT file_sha256 FROM received_packets WHERE file_kept")]
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def _carry_packet_files(snapshot: Path, db_path: Path, folder: Path) -> None:
    """Copy into the backup folder every packet file the snapshot names that is not there yet,
    each checked against its name as it is read; on the disk before the backup's list is written."""
    live, copies = PacketStore(packet_folder(db_path)), packet_copies(folder)
    for digest in _kept_packet_files(snapshot):
        if not copies.path_of(digest).is_file():
            with contextlib.suppress(PacketFileLost):  # lost beside the database: nothing to carry
                copies.put(live.read(digest), digest)
    copies.flush()


def _bring_back_packet_files(db_path: Path, folder: Path) -> None:
    """After a restore: every packet file the restored database names, put back beside it from the
    backup folder where it is missing or not its bytes."""
    live, copies = PacketStore(packet_folder(db_path)), packet_copies(folder)
    for digest in _kept_packet_files(db_path):
        if live.problem(digest) is not None:
            with contextlib.suppress(PacketFileLost):  # not in the backups either: reads will say so
                live.put(copies.read(digest), digest)
    live.flush()


def _remove_stale_copies(folder: Path, stem: str) -> None:
    """The whole copies a backup or a check left behind when it was killed (``….tam``,
    ``….dang-kiem-tra``), once older than the grace a backup in progress is given."""
    cutoff = time.time() - PRUNE_GRACE_S
    for suffix in (".tam", ".dang-kiem-tra"):
        for path in folder.glob(f"{stem}-*{LIST_SUFFIX}{suffix}"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


def record_path(backup_path: Path) -> Path:
    return backup_path.with_name(backup_path.name + RECORD_SUFFIX)


def _rebuild(list_path: Path, target: Path) -> None:
    """The backup's database file at ``target``, every chunk checked; DatabaseError naming the
    backup if its list or a chunk is damaged or missing (``target`` may be left: the caller removes it)."""
    name = list_path.name
    try:
        if list_path.stat().st_size == 0:
            raise DatabaseError(f"Bản sao lưu “{name}” không dùng được: tệp trống (0 byte).")
        content = read_list(list_path)
        chunk_store(list_path.parent).write_file(content["chunks"], target, content["size"])
    except ListError:
        raise DatabaseError(f"Bản sao lưu “{name}” không dùng được: danh sách các khối của nó bị hỏng.") from None
    except ChunkError as exc:
        what = "bị mất" if exc.missing else "bị hỏng"
        raise DatabaseError(
            f"Bản sao lưu “{name}” không dùng được: khối dữ liệu {exc.digest[:12]}… của nó {what}."
        ) from None
    except OSError as exc:
        raise DatabaseError(f"Bản sao lưu “{name}” không dùng được: {os_error_words(exc)}.") from None


def _check_file(path: Path, name: str) -> None:
    """DatabaseError (naming the backup ``name``) unless ``path`` is a whole SQLite file that passes
    the integrity check."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DatabaseError(f"Bản sao lưu “{name}” không dùng được: {os_error_words(exc)}.") from None
    if size == 0:
        raise DatabaseError(f"Bản sao lưu “{name}” không dùng được: tệp trống (0 byte).")
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
        raise DatabaseError(f"Bản sao lưu “{name}” không dùng được: tệp hỏng.")


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


def _free_name(folder: Path, stem: str, taken: tuple[str, ...] = (LIST_SUFFIX, SINGLE_SUFFIX)) -> Path:
    """``<stem><suffix>``, numbered -2, -3… while a name with any of the ``taken`` suffixes exists."""
    suffix, n, name = taken[0], 1, stem
    while any((folder / f"{name}{other}").exists() for other in taken):
        n += 1
        name = f"{stem}-{n}"
    return folder / f"{name}{suffix}"


def _flush(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):  # cleaning up after a failure must not hide it
        path.unlink(missing_ok=True)
