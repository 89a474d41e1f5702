"""Errors the core raises for the person at the keyboard, in Vietnamese.

``exit_code`` follows the CLI convention: 1 the data has errors, 2 bad
arguments or unreadable input.
"""

from __future__ import annotations

import errno
import sqlite3


class UserError(Exception):
    exit_code = 2


class BadInput(UserError):
    """An argument, a file or a value that cannot be used."""


class PassphraseRefused(BadInput):
    """A new passphrase too short, or typed differently twice: the fields are cleared, the rest kept."""


class DatabaseError(UserError):
    """The database cannot be opened or written; nothing was changed."""


class DamagedDatabase(DatabaseError):
    """The file is not a whole SQLite database of ours; it was left untouched.
    ``path`` lets the window offer the newest good backup in its place."""

    def __init__(self, message: str, path):
        super().__init__(message)
        self.path = path


# SQLite's primary result codes (the low byte of the extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26

_SQLITE_WORDS = {
    SQLITE_BUSY: "tệp đang được một chương trình khác sử dụng",
    SQLITE_LOCKED: "tệp đang được một chương trình khác sử dụng",
    SQLITE_READONLY: "tệp chỉ cho phép đọc",
    SQLITE_IOERR: "lỗi đọc ghi ổ đĩa, có thể ổ đĩa đã đầy",
    SQLITE_FULL: "ổ đĩa đầy",
    SQLITE_CANTOPEN: "không mở được tệp: thư mục không tồn tại hoặc chỉ cho phép đọc",
    SQLITE_CORRUPT: "tệp đã hỏng",
    SQLITE_NOTADB: "không phải tệp cơ sở dữ liệu",
}

_OS_WORDS = {
    errno.ENOSPC: "ổ đĩa đầy",
    errno.EFBIG: "ổ đĩa đầy",
    errno.EDQUOT: "ổ đĩa đầy",
    errno.EACCES: "không có quyền ghi",
    errno.EPERM: "không có quyền ghi",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.ENOTDIR: "chỗ của thư mục đã có một tệp cùng tên",
    errno.EEXIST: "chỗ của thư mục đã có một tệp cùng tên",
    errno.ENOENT: "thư mục không tồn tại",
    errno.EIO: "lỗi đọc ghi ổ đĩa",
}


def sqlite_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def describe_sqlite_error(exc: sqlite3.Error) -> str:
    """What went wrong, in Vietnamese, from SQLite's result code (its English text is not shown)."""
    return _SQLITE_WORDS.get(sqlite_code(exc), f"lỗi của SQLite, mã {getattr(exc, 'sqlite_errorcode', '?')}")


def describe_disk_error(exc: BaseException) -> str:
    """A failed read or write of a file, in Vietnamese."""
    if isinstance(exc, sqlite3.Error):
        return describe_sqlite_error(exc)
    if isinstance(exc, OSError) and exc.errno in _OS_WORDS:
        return _OS_WORDS[exc.errno]
    return f"lỗi ghi tệp, mã {getattr(exc, 'errno', '?')}"
