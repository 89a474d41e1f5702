"""What a window holds on its database while it is open.

The lock (models/lock.py, the same one ``backup restore`` takes) keeps a
second window (a second officer, a second click on the icon) out: two
windows editing one report would each show figures the other has changed.
The backups run here because only the window knows when the officer is
editing: one at start, one every few minutes in which something changed,
one at close.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from models.backups import prune_backups
from models.errors import DatabaseError
from models.gateway import Gateway
from models.lock import DatabaseLock

BACKUP_MINUTES = 10  # the most editing a power cut and a damaged disk together can cost


class DatabaseHold(QObject):
    backup_failed = Signal(str)  # a Vietnamese message; the data is untouched

    def __init__(self, gw: Gateway, lock: DatabaseLock, minutes: float = BACKUP_MINUTES, parent=None):
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
        changes = self.gw.changes_made
        if changes == self._changes_saved or self.gw.is_empty():
            return
        try:
            self.gw.backup()
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
        self.lock.release()
