"""Putting a backup back: which one, and whether the database may be
replaced. Used by ``backup restore`` and by the window that finds its
database damaged; both hold the database's lock (models/lock.py) first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from models.backups import Backup, check_backup, newest_good_backup, restore_backup
from models.database import check_whole
from models.errors import BadInput, DamagedDatabase


def backup_to_restore(db_path: Path, source: str | Path | None = None) -> Backup:
    """The backup file chosen (checked whole), or the newest good backup of the database."""
    if source is not None:
        check_backup(source)
        return Backup(Path(source), dt.datetime.fromtimestamp(Path(source).stat().st_mtime))
    chosen = newest_good_backup(db_path)
    if chosen is None:
        raise BadInput(f"Không có bản sao lưu tốt nào của “{db_path}”; tệp được giữ nguyên.")
    return chosen


def restore_database(db_path: Path, backup: Backup, *, force: bool = False) -> Path | None:
    """Put ``backup`` in place of the database; where the replaced file was kept (None if there was none).

    A database that is not damaged is replaced only with ``force``: restoring
    drops whatever was entered after the backup. The check only reads, so a
    refusal leaves the file exactly as it was.
    """
    if db_path.exists() and not force:
        try:
            check_whole(db_path)
        except DamagedDatabase:
            pass
        else:
            raise BadInput(
                f"“{db_path}” không hỏng; khôi phục sẽ bỏ những gì nhập sau lúc {backup.label}. "
                "Nếu thật sự muốn, thêm --force (tệp hiện tại vẫn được giữ lại)."
            )
    return restore_backup(db_path, backup)
