"""What a window holds on its database while it is open.

The lock (models/lock.py, the same one ``backup restore`` takes) keeps a
second window (a second officer, a second click on the icon) out: two
windows editing one report would each show figures the other has changed.
The backups run here because only the window knows when the officer is
editing: one soon after start, one every few minutes in which something
changed, one at close.

A backup of a province's database (hundreds of MB) takes seconds, so the one
after start and the periodic ones run on their own thread with their own
connection (an SQLite connection belongs to the thread that opened it), the
window usable meanwhile; the one at close is taken on the spot, after any
still running has finished. The first waits until the window has been shown
and drawn: nothing heavy stands between the officer and the window.

So does the quick check of a file opened with ``check_later``
(models/database.py): it runs on its own thread once the window is drawn,
the file written only after it has passed; a file it refuses is let go with
nothing written to it, and the window is told (``check_failed``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from models.backups import prune_backups
from models.errors import DatabaseError, UserError
from models.gateway import Gateway
from models.lock import DatabaseLock

BACKUP_MINUTES = 10  # the most editing a power cut and a damaged disk together can cost
START_DELAY_MS = 1500  # the first backup, once the window is shown and drawn


class BackupThread(QThread):
    """A checked backup of the database file, taken through a connection of its own; ``error`` the
    Vietnamese sentence when it failed, "" when it was taken."""

    def __init__(self, path: Path, parent=None):
        super().__init__(parent)
        self.path = path
        self.error = ""

    def run(self) -> None:
        try:
            gw = Gateway.open(self.path, create=False)
        except UserError as exc:
            self.error = str(exc)
            return
        try:
            gw.backup()
            prune_backups(self.path)
        except DatabaseError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - a thread that dies silently would leave no backup unsaid
            self.error = f"Không sao lưu được cơ sở dữ liệu ({exc.__class__.__name__}: {exc}); dữ liệu vẫn nguyên."
        finally:
            gw.close()


class CheckThread(QThread):
    """The later quick check (models.database.LaterCheck), off the window's thread."""

    def __init__(self, check, parent=None):
        super().__init__(parent)
        self.check = check

    def run(self) -> None:
        self.check.run()


class DatabaseHold(QObject):
    backup_failed = Signal(str)  # a Vietnamese message; the data is untouched
    backup_done = Signal()  # a backup taken in the background has finished (taken or failed)
    checked = Signal()  # the file passed the quick check left for after the window was drawn
    check_failed = Signal(str)  # it did not: the Vietnamese refusal; nothing was written to the file

    def __init__(
        self,
        gw: Gateway,
        lock: DatabaseLock,
        minutes: float = BACKUP_MINUTES,
        parent=None,
        start_delay_ms: int = START_DELAY_MS,
    ):
        super().__init__(parent)
        self.gw, self.lock = gw, lock
        self.backups_taken = 0
        self.released = False
        self._changes_saved = -1  # the connection's change count at the last backup
        self._changes_at_open = gw.changes_made
        self._running: tuple[BackupThread, int] | None = None  # a background backup and the count it holds
        self._check_thread: CheckThread | None = None
        self.refused = False  # the later check refused the file
        self._backups_started = False
        self.timer = QTimer(self)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.backup_in_background)
        self.start_timer = QTimer(self)
        self.start_timer.setSingleShot(True)
        self.start_timer.setInterval(start_delay_ms)
        self.start_timer.timeout.connect(self.backup_in_background)

    def start(self) -> None:
        """The quick check left for now (the window drawn), on its own thread, if there is one; then the
        first backup once the event loop has run start_delay_ms, and the timer."""
        check = self.gw.later_check
        if check is not None and not check.done.is_set() and self._check_thread is None:
            self._check_thread = CheckThread(check, self)
            self._check_thread.finished.connect(self._check_finished)
            self._check_thread.start()
            return
        self._check_finished()

    @property
    def checking(self) -> bool:
        return self._check_thread is not None and not self._check_thread.isFinished()

    def _check_finished(self) -> None:
        if self.released or self._backups_started or self.refused:
            return
        check = self.gw.later_check
        if check is not None and check.refusal is not None:
            self.refused = True
            self.check_failed.emit(str(check.refusal))
            return
        self.gw.writes_allowed()
        self._backups_started = True
        self.start_timer.start()
        self.timer.start()
        if check is not None:
            self.checked.emit()

    @property
    def backing_up(self) -> bool:
        return self._running is not None

    def backup_in_background(self) -> None:
        """A backup on its own thread if something changed since the last one (and none is running)."""
        if self.released or self._running is not None:
            return
        changes = self.gw.changes_made
        if changes == self._changes_saved or self.gw.is_empty():
            return
        thread = BackupThread(self.gw.path, self)
        thread.finished.connect(self._background_finished)
        self._running = (thread, changes)
        thread.start()

    def _background_finished(self) -> None:
        if self._running is None:  # already collected by wait_for_backup
            return
        thread, changes = self._running
        self._running = None
        if thread.error:
            self.backup_failed.emit(thread.error)
        else:
            self._changes_saved = max(self._changes_saved, changes)
            self.backups_taken += 1
        thread.deleteLater()
        self.backup_done.emit()

    def release_threads(self) -> None:
        """Wait for the later check and a background backup still running (the program is ending)."""
        if self._check_thread is not None:
            self._check_thread.wait()
        self.wait_for_backup()

    def wait_for_backup(self) -> None:
        """Wait for a background backup still running, and count it."""
        if self._running is not None:
            self._running[0].wait()
            self._background_finished()

    def backup_if_changed(self) -> None:
        """A backup now, on this thread, if something changed since the last one."""
        self.wait_for_backup()
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
        """The last backup, then the file and its lock let go; once (Qt may close a window twice).
        A window closed before its first backup began, nothing changed, takes none: the file is as the
        last window left it, and that window's last backup holds it. A file the later check refused
        is let go as it is."""
        if self.released:
            return
        self.timer.stop()
        if self._check_thread is not None:
            self._check_thread.wait()
        first_not_begun = self.start_timer.isActive() or not self._backups_started
        if not self.refused and not (first_not_begun and self.gw.changes_made == self._changes_at_open):
            self.backup_if_changed()
        self.start_timer.stop()
        self.released = True
        self.gw.close()
        self.lock.release()
