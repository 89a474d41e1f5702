"""Open the SQLite file: pragmas, schema migrations, refusals.

Autocommit connection (isolation_level=None): a write outside
``db.atomic()`` is committed at once, a block inside it all or nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from models.errors import DatabaseError
from models.migrations import MIGRATION_SET, migrations


def open_database(path: str | Path, create: bool = True) -> Database:
    path = Path(path)
    if not path.exists() and not create:
        raise DatabaseError(f"Không tìm thấy cơ sở dữ liệu “{path}”.")
    if path.is_dir():
        raise DatabaseError(f"“{path}” là một thư mục, không phải tệp cơ sở dữ liệu.")
    if not path.exists() and not path.parent.exists():
        raise DatabaseError(f"Thư mục “{path.parent}” không tồn tại.")
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=5)
        db = Database(conn)
        _check_readable(db, path)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # an accepted edit survives a power cut
        _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"Không mở được cơ sở dữ liệu “{path}”: {_reason(exc)}") from None
    return db


def _check_readable(db: Database, path: Path) -> None:
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        raise DatabaseError(f"Tệp “{path}” không phải cơ sở dữ liệu của Sổ Chỉ Tiêu (hoặc đã hỏng).") from None


def _migrate(db: Database, path: Path) -> None:
    known = {m.name for m in migrations.pending(Database(memory=True))}
    applied = {m.name for m in migrations.applied(db)}
    if applied - known:
        raise DatabaseError(
            f"Cơ sở dữ liệu “{path}” được tạo bởi phiên bản mới hơn của chương trình; "
            "hãy cập nhật chương trình, không mở bằng phiên bản cũ."
        )
    if migrations.pending(db):
        migrations.apply(db)


def _reason(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "readonly" in text:
        return "tệp chỉ cho phép đọc"
    if "locked" in text:
        return "tệp đang được một chương trình khác sử dụng"
    if "disk" in text or "full" in text:
        return "ổ đĩa đầy hoặc lỗi ghi"
    return text


__all__ = ["open_database", "MIGRATION_SET"]
