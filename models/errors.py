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
    ``path`` lets the window offer the newest good backup in its place; ``empty``
    says the file has no byte at all (cut off to nothing, or made by another program)."""

    def __init__(self, message: str, path, empty: bool = False):
        super().__init__(message)
        self.path = path
        self.empty = empty


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

# What the operating system said, in Vietnamese (its strerror is English, or in the PC's language).
# Windows maps its own codes to these (a file another program holds: EACCES).
_OS_WORDS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "ổ đĩa đã đầy (hết phần dung lượng được cấp)",
    errno.EFBIG: "tệp vượt quá cỡ ổ đĩa cho phép, có thể ổ đĩa đã đầy",
    errno.EACCES: "không có quyền đọc hoặc ghi tệp, hoặc tệp đang được chương trình khác giữ",
    errno.EPERM: "không có quyền đọc hoặc ghi tệp",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.ENOTDIR: "một phần của đường dẫn là tệp, không phải thư mục",
    errno.EISDIR: "đó là một thư mục, không phải tệp",
    errno.EEXIST: "đã có một tệp hoặc thư mục cùng tên",
    errno.EIO: "lỗi đọc ghi ổ đĩa",
    errno.EMFILE: "chương trình đang mở quá nhiều tệp cùng lúc",
    errno.ENFILE: "máy đang mở quá nhiều tệp cùng lúc",
    errno.EBUSY: "tệp hoặc ổ đĩa đang được chương trình khác dùng",
    errno.ELOOP: "đường dẫn có liên kết vòng quanh",
    errno.EXDEV: "không chuyển được tệp sang ổ đĩa khác",
    errno.ENOMEM: "máy không đủ bộ nhớ",
    errno.EINVAL: "tên tệp có ký tự không dùng được",
    errno.ENODEV: "không tìm thấy ổ đĩa",
    errno.ENXIO: "ổ đĩa không còn kết nối",
}


def os_error_words(exc: OSError) -> str:
    """What an OSError means, in Vietnamese, from its errno; never the system's own (English) text."""
    code = getattr(exc, "errno", None)
    if code in _OS_WORDS:
        return _OS_WORDS[code]
    return f"lỗi hệ thống tệp (mã {code})" if code is not None else "lỗi hệ thống tệp"


def os_error_sentence(exc: OSError) -> str:
    """The one line for an OSError nothing closer to it caught: the file, and why in Vietnamese."""
    where = f" “{exc.filename}”" if getattr(exc, "filename", None) else ""
    return f"Không đọc hoặc ghi được tệp{where}: {os_error_words(exc)}."


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
    if isinstance(exc, OSError):
        return os_error_words(exc)
    return f"lỗi ghi tệp ({exc.__class__.__name__})"
