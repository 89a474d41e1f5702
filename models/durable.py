"""Bytes on the disk for good: a file written whole under a temporary name, flushed, then renamed over,
and the folder's entry flushed too, so a power cut leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def replace_durably(path: Path, data: bytes, scratch: Path) -> None:
    """Write ``data`` to ``scratch`` (beside ``path``), flush it, rename it to ``path``; the folder's
    entry is left to sync_folder, so many files can share one flush of it. OSError as raised."""
    try:
        with open(scratch, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(scratch, path)
    finally:
        with contextlib.suppress(OSError):
            scratch.unlink(missing_ok=True)


def sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (POSIX; Windows has no handle on a folder to flush: there
    a file's FlushFileBuffers also makes its folder entry durable)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
