"""Open the SQLite file: checks, pragmas, schema migrations, refusals.

Autocommit connection (isolation_level=None): a write outside
``db.atomic()`` is committed at once, a block inside it all or nothing.
Nothing is written to a file that is refused: the checks run before the
first pragma that could change it.

The check on every open is ``PRAGMA quick_check``: every page of every table
and index read, the b-trees, overflow chains and free list walked, every
record well formed, NOT NULL and CHECK constraints held. It is the check that
refuses a file cut short, overwritten or made by something else, at a third
of the cost of the full ``PRAGMA integrity_check``, which adds that every
index holds exactly its table's rows (and UNIQUE holds): a slip that leaves
the pages sound. The full check runs on each backup (models/backups.py: a
backup is a page-for-page copy, so it is the database's full check at that
moment) and in ``check_whole`` before a restore.

The window may open first and check after it is shown (``check_later``): a
province's file of hundreds of MB takes a third of a second to read whole.
Then the connection refuses every write until the check has passed (a write
asked for meanwhile waits for it), so a damaged file is still refused before
anything is written to it. Only a file already in WAL mode with no migration
due is opened so: anything else is checked at once, as it will be written.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import sqlite_utils.plugins
from sqlite_utils import Database

from models.errors import (
    SQLITE_CANTOPEN,
    SQLITE_CORRUPT,
    SQLITE_NOTADB,
    DamagedDatabase,
    DatabaseError,
    describe_sqlite_error,
    os_error_words,
    sqlite_code,
)
from models.migrations import migrations

# No third-party sqlite-utils plugins: one installed on the PC could hook every
# connection to the database we sign packets from (and finding them costs a
# scan of every installed package at start-up).
sqlite_utils.plugins._plugins_loaded = True


def open_database(
    path: str | Path, create: bool = True, adopt_empty: bool = False, check_later: bool = False
) -> Database:
    """The database at ``path``: created when there is no file and ``create``; a file of 0 bytes is
    refused as damaged (never silently made a new, empty database in place of one that was cut off)
    unless ``adopt_empty`` (``init``, asked to make a database there). With ``check_later`` the
    quick check may be left to the caller (``db.later_check``, a LaterCheck, or None when it ran)."""
    path = Path(path)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as exc:  # a name too long, a folder that may not be read
        raise DatabaseError(f"Không mở được cơ sở dữ liệu “{path}”: {os_error_words(exc)}.") from None
    if is_dir:
        raise DatabaseError(f"“{path}” là một thư mục, không phải tệp cơ sở dữ liệu.")
    if not exists and not create:
        raise DatabaseError(f"Không tìm thấy cơ sở dữ liệu “{path}”.")
    if not exists and not path.parent.exists():
        raise DatabaseError(f"Thư mục “{path.parent}” không tồn tại.")
    if exists and not adopt_empty:
        _refuse_empty(path)
    conn = None
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5)
        db = Database(conn)
        db.later_check = _later_check(db, path) if check_later and exists else None
        if db.later_check is None:
            _refuse_damaged(db, path, QUICK_CHECK)
        _refuse_newer(db, path)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # an accepted edit survives a power cut
        if migrations.pending(db):
            _upgrade(db, path)
        if db.later_check is not None:
            conn.set_authorizer(db.later_check.authorize)
    except DatabaseError:
        if conn is not None:
            conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise DatabaseError(f"Không mở được cơ sở dữ liệu “{path}”: {describe_sqlite_error(exc)}") from None
    return db


def read_only_database(path: str | Path) -> Database:
    """A second look at a database another connection holds open: reads only, no check, no migration
    (a worker process examining packets for the import that opened it)."""
    return Database(sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True, isolation_level=None))


QUICK_CHECK = "PRAGMA quick_check"
FULL_CHECK = "PRAGMA integrity_check"
WRITES = frozenset(
    getattr(sqlite3, f"SQLITE_{name}")
    for name in (
        "INSERT UPDATE DELETE CREATE_TABLE CREATE_INDEX CREATE_TRIGGER CREATE_VIEW DROP_TABLE DROP_INDEX "
        "DROP_TRIGGER DROP_VIEW ALTER_TABLE REINDEX ANALYZE CREATE_VTABLE DROP_VTABLE"
    ).split()
)


class LaterCheck:
    """The quick check of a file opened before it ran: ``run`` it on a thread of its own (a
    connection of its own), then ``refusal`` is None when the file passed, or the DatabaseError
    that refuses it. Until it has passed the opened connection writes nothing: a write waits for
    the check (running it there if no thread has started it) and is refused if the file failed."""

    def __init__(self, path: Path):
        self.path = path
        self.done = threading.Event()
        self.refusal: DatabaseError | None = None
        self._started = False
        self._start_lock = threading.Lock()

    def run(self) -> None:
        with self._start_lock:
            started, self._started = self._started, True
        if started:
            self.done.wait()
            return
        try:
            _refuse_empty(self.path)
            conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=5)
            try:
                _refuse_damaged(Database(conn), self.path, QUICK_CHECK)
            finally:
                conn.close()
        except DatabaseError as exc:
            self.refusal = exc
        except sqlite3.Error as exc:
            self.refusal = DatabaseError(f"Không mở được cơ sở dữ liệu “{self.path}”: {describe_sqlite_error(exc)}")
        finally:
            self.done.set()

    @property
    def passed(self) -> bool:
        return self.done.is_set() and self.refusal is None

    def authorize(self, action: int, *_names) -> int:
        if action not in WRITES:
            return sqlite3.SQLITE_OK
        self.run()  # at once if no thread has, else waits for it
        return sqlite3.SQLITE_OK if self.refusal is None else sqlite3.SQLITE_DENY


def writes_allowed(db: Database) -> None:
    """The connection's writes no longer wait for the later check, which has passed."""
    if db.later_check is not None and db.later_check.passed:
        db.conn.set_authorizer(None)


def _later_check(db: Database, path: Path) -> LaterCheck | None:
    """A LaterCheck when the file may be checked after it is opened: already in WAL mode (so opening
    writes nothing) and nothing to migrate; None when it must be checked now. A file SQLite cannot
    even read is checked now, which says why."""
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal" or migrations.pending(db):
            return None
    except sqlite3.Error:
        return None
    return LaterCheck(path)


def _refuse_damaged(db: Database, path: Path, check: str) -> None:
    """DamagedDatabase only for a file SQLite finds damaged or foreign; a disk
    that cannot be read or written (full, read-only) is not the file's fault,
    and must never lead to a backup being put in place of a good file."""
    try:
        verdict = db.execute(check).fetchone()[0]
    except sqlite3.Error as exc:
        code = sqlite_code(exc)
        if code == SQLITE_CANTOPEN:  # a read-only folder or medium: no room for the journal files
            raise DatabaseError(read_only_place(path)) from None
        if code not in (SQLITE_CORRUPT, SQLITE_NOTADB):
            raise DatabaseError(
                f"Không mở được “{path}” ({describe_sqlite_error(exc)}); tệp được giữ nguyên. "
                "Hãy giải phóng ổ đĩa rồi mở lại."
            ) from None
        verdict = "not a database"
    if verdict != "ok":
        raise DamagedDatabase(
            f"Tệp “{path}” không phải cơ sở dữ liệu của Sổ Chỉ Tiêu, hoặc đã hỏng; tệp được giữ nguyên. "
            "Mở chương trình để khôi phục bản sao lưu gần nhất, hoặc dùng lệnh “backup restore”.",
            path,
        )


def _refuse_empty(path: Path) -> None:
    """DamagedDatabase for a file of 0 bytes with no write-ahead log holding its pages: SQLite would
    take it for a new database, but ours writes its first page as it is made, so this one was cut
    off (a copy that failed, a full disk) or made by something else."""
    try:
        if path.stat().st_size:
            return
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            return  # SQLite reads its pages from the log: not ours to judge here
    except OSError as exc:
        raise DatabaseError(f"Không mở được cơ sở dữ liệu “{path}”: {os_error_words(exc)}.") from None
    raise DamagedDatabase(
        f"Tệp “{path}” trống (0 byte), không phải cơ sở dữ liệu của Sổ Chỉ Tiêu; tệp được giữ nguyên. "
        "Nếu tệp từng có số liệu, khôi phục bản sao lưu tốt gần nhất bằng lệnh “backup restore” (hoặc mở "
        "chương trình); nếu muốn tạo cơ sở dữ liệu mới ở đây, dùng lệnh “init”.",
        path,
        empty=True,
    )


def read_only_place(path: Path) -> str:
    return (
        f"Không mở được “{path}”: thư mục hoặc ổ đĩa chứa tệp chỉ cho phép đọc (ví dụ USB khóa ghi). "
        "Hãy chép tệp vào máy rồi mở bản chép."
    )


def check_whole(path: str | Path) -> None:
    """DamagedDatabase (or DatabaseError for the disk) unless the file passes the
    full integrity check; reads only: no pragma, no migration."""
    path = Path(path)
    _refuse_empty(path)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=5)
    try:
        _refuse_damaged(Database(conn), path, FULL_CHECK)
    finally:
        conn.close()


def _upgrade(db: Database, path: Path) -> None:
    """Apply the new migrations, after a backup of a database that already held data."""
    from models.backups import backup_database

    if migrations.applied(db) and path.stat().st_size:
        backup_database(db.conn, path)  # the way back if the upgrade itself goes wrong
    migrations.apply(db)
    free, pages = (db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("freelist_count", "page_count"))
    if free * 10 > pages:  # an upgrade that moved much of the file out (m009): give the disk its space back
        db.execute("VACUUM")


def _refuse_newer(db: Database, path: Path) -> None:
    known = {m.name for m in migrations.pending(Database(memory=True))}
    applied = {m.name for m in migrations.applied(db)}
    if applied - known:
        raise DatabaseError(
            f"Cơ sở dữ liệu “{path}” được tạo bởi phiên bản mới hơn của chương trình; "
            "hãy cập nhật chương trình, không mở bằng phiên bản cũ."
        )
