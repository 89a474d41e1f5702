"""Open the SQLite file: checks, pragmas, schema migrations, refusals.

Autocommit connection (isolation_level=None): a write outside
``db.atomic()`` is committed at once, a block inside it all or nothing.
Nothing is written to a file that is refused: the checks run before the
first pragma that could change it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils.plugins
from sqlite_utils import Database

from models.errors import DamagedDatabase, DatabaseError
from models.migrations import migrations

# No third-party sqlite-utils plugins: one installed on the PC could hook every
# connection to the database we sign packets from (and finding them costs a
# scan of every installed package at start-up).
sqlite_utils.plugins._plugins_loaded = True


def open_database(path: str | Path, create: bool = True) -> Database:
    path = Path(path)
    if path.is_dir():
        raise DatabaseError(f"“{path}” là một thư mục, không phải tệp cơ sở dữ liệu.")
    if not path.exists() and not create:
        raise DatabaseError(f"Không tìm thấy cơ sở dữ liệu “{path}”.")
    if not path.exists() and not path.parent.exists():
        raise DatabaseError(f"Thư mục “{path.parent}” không tồn tại.")
    conn = None
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5)
        db = Database(conn)
        _refuse_damaged(db, path)
        _refuse_newer(db, path)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # an accepted edit survives a power cut
        if migrations.pending(db):
            _upgrade(db, path)
    except DatabaseError:
        if conn is not None:
            conn.close()
        raise
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise DatabaseError(f"Không mở được cơ sở dữ liệu “{path}”: {describe_sqlite_error(exc)}") from None
    return db


def _refuse_damaged(db: Database, path: Path) -> None:
    try:
        verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "unable to open" in str(exc):  # a read-only folder or medium: no room for the journal files
            raise DatabaseError(
                f"Không mở được “{path}”: thư mục hoặc ổ đĩa chứa tệp chỉ cho phép đọc (ví dụ USB khóa ghi). "
                "Hãy chép tệp vào máy rồi mở bản chép."
            ) from None
        verdict = "not a database"
    except sqlite3.DatabaseError:
        verdict = "not a database"
    if verdict != "ok":
        raise DamagedDatabase(
            f"Tệp “{path}” không phải cơ sở dữ liệu của Sổ Chỉ Tiêu, hoặc đã hỏng; tệp được giữ nguyên. "
            "Mở chương trình để khôi phục bản sao lưu gần nhất, hoặc dùng lệnh “backup restore”.",
            path,
        )


def _upgrade(db: Database, path: Path) -> None:
    """Apply the new migrations, after a backup of a database that already held data."""
    from models.backups import backup_database

    if migrations.applied(db) and path.stat().st_size:
        backup_database(db.conn, path)  # the way back if the upgrade itself goes wrong
    migrations.apply(db)


def _refuse_newer(db: Database, path: Path) -> None:
    known = {m.name for m in migrations.pending(Database(memory=True))}
    applied = {m.name for m in migrations.applied(db)}
    if applied - known:
        raise DatabaseError(
            f"Cơ sở dữ liệu “{path}” được tạo bởi phiên bản mới hơn của chương trình; "
            "hãy cập nhật chương trình, không mở bằng phiên bản cũ."
        )


def describe_sqlite_error(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "readonly" in text:
        return "tệp chỉ cho phép đọc"
    if "locked" in text:
        return "tệp đang được một chương trình khác sử dụng"
    if "disk" in text or "full" in text:
        return "ổ đĩa đầy hoặc lỗi ghi"
    return text
