"""Errors the core raises for the person at the keyboard, in Vietnamese.

``exit_code`` follows the CLI convention: 1 the data has errors, 2 bad
arguments or unreadable input.
"""

from __future__ import annotations


class UserError(Exception):
    exit_code = 2


class BadInput(UserError):
    """An argument, a file or a value that cannot be used."""


class DatabaseError(UserError):
    """The database cannot be opened or written; nothing was changed."""


class DamagedDatabase(DatabaseError):
    """The file is not a whole SQLite database of ours; it was left untouched.
    ``path`` lets the window offer the newest good backup in its place."""

    def __init__(self, message: str, path):
        super().__init__(message)
        self.path = path
