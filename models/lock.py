"""The database's lock: held by a window for as long as it is open, and by
a command that must have the file to itself (``backup restore``).

One protocol for both: the file ``<database>.lock`` beside the database,
locked whole by the operating system (flock on Linux, LockFileEx through
msvcrt on Windows). The system lets go of it when the holder's process ends,
however it ends, so a crash never leaves a lock that must be cleared by
hand: the file a crash leaves behind is simply taken over. Inside, the
holder writes its process number and machine name, only to say who holds
it; it removes the file when it lets go.

Other commands do not take it: SQLite's own locking (WAL, BEGIN IMMEDIATE)
keeps a command that writes while a window is open safe.
"""

from __future__ import annotations

import errno
import os
import socket
import time
from pathlib import Path

from models.database import read_only_place
from models.errors import DatabaseError, os_error_words

if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


WAIT_SECONDS = 0.2  # a window closing as the next one opens lets go within this


class DatabaseLock:
    """``DatabaseLock.take(path)`` holds the lock, or raises DatabaseError saying who has it."""

    def __init__(self, path: Path, fd: int):
        self.path, self._fd = path, fd

    @classmethod
    def take(cls, database: str | Path, wait: float = WAIT_SECONDS) -> DatabaseLock:
        database = Path(database)
        path = Path(f"{database}.lock")
        until = time.monotonic() + wait
        while True:
            fd = _open(path, database)
            if _try_lock(fd):
                if _same_file(fd, path):
                    break
                _unlock(fd)  # the holder removed it as we locked it: lock the file that is there now
            elif time.monotonic() > until:
                holder = _holder(path)
                os.close(fd)
                raise DatabaseError(
                    f"Cơ sở dữ liệu “{database}” đang được mở trong một cửa sổ Sổ Chỉ Tiêu khác"
                    + (f" trên máy {holder}" if holder and holder != socket.gethostname() else "")
                    + "; hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại."
                )
            else:
                time.sleep(0.02)
            os.close(fd)
        # Who holds it, for the message another process shows.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n{socket.gethostname()}\nSổ Chỉ Tiêu\n".encode())
        return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Remove the file, then let go; once."""
        if self._fd is None:
            return
        try:
            # Removed while still locked: a process that opened it meanwhile finds,
            # once it has the lock, that it is not the file at this name, and retries.
            self.path.unlink(missing_ok=True)
        except OSError:
            pass  # Windows keeps a file another process has open; the next holder takes it over
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *_exc) -> None:
        self.release()


def _open(path: Path, database: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if not database.parent.is_dir():
            raise DatabaseError(f"Thư mục “{database.parent}” không tồn tại.") from None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise DatabaseError(read_only_place(database)) from None
        raise DatabaseError(f"Không mở được cơ sở dữ liệu “{database}”: {os_error_words(exc)}.") from None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _holder(path: Path) -> str:
    """The machine name the holder wrote, or "" when it cannot be read (Windows keeps a locked byte from readers)."""
    try:
        lines = path.read_bytes().decode("utf-8", "replace").split("\n")
    except OSError:
        return ""
    return lines[1].strip() if len(lines) > 1 else ""
