"""What a window holds on its database while it is open.

The lock keeps a second window (a second officer, a second click on the
icon) out: two windows editing one report would each show figures the other
has changed. The backups run here because only the window knows when the
officer is editing: one at start, one every few minutes in which something
changed, one at close.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal

from models.backups import backup_database, prune_backups
from models.database import read_only_place
from models.errors import DatabaseError
from models.gateway import Gateway

BACKUP_MINUTES = 10  # the most editing a power cut and a damaged disk together can cost


def lock_database(path: Path) -> QLockFile:
    """Hold ``<database>.lock`` while the window is open; a stale lock (a crash) is taken over."""
    lock = QLockFile(str(path) + ".lock")
    lock.setStaleLockTime(0)  # stale only when its process is gone
    if lock.tryLock(200):
        return lock
    if lock.error() != QLockFile.LockError.LockFailedError:  # no lock file could be made at all
        if not path.parent.is_dir():
            raise DatabaseError(f"Thư mục “{path.parent}” không tồn tại.")
        raise DatabaseError(read_only_place(path))
    _pid, host, _app = lock.getLockInfo()
    raise DatabaseError(
        f"Cơ sở dữ liệu “{path}” đang được mở trong một cửa sổ Sổ Chỉ Tiêu khác"
        + (f" trên máy {host}" if host else "")
        + "; hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại."
    )


class DatabaseHold(QObject):
    backup_failed = Signal(str)  # a Vietnamese message; the data is untouched

    def __init__(self, gw: Gateway, lock: QLockFile, minutes: float = BACKUP_MINUTES, parent=None):
        super().__init__(parent)
        self.gw, self.lock = gw, lock
        self.backups_taken = 0
        self.released = False
        self._changes_saved = -1  # the connection's change count at the last backup
        self.timer = QTimer(self)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.backup_if_changed)

    def start(self) -> None:
        self.backup_if_changed()
        self.timer.start()

    def backup_if_changed(self) -> None:
        changes = self.gw.db.conn.total_changes
        if changes == self._changes_saved or not self.gw.db["units"].count:
            return
        try:
            backup_database(self.gw.db.conn, self.gw.path)
            prune_backups(self.gw.path)
        except DatabaseError as exc:
            self.backup_failed.emit(str(exc))
            return
        self._changes_saved = changes
        self.backups_taken += 1

    def release(self) -> None:
        """The last backup, then the file and its lock let go; once (Qt may close a window twice)."""
        if self.released:
            return
        self.released = True
        self.timer.stop()
        self.backup_if_changed()
        self.gw.close()
        self.lock.unlock()
