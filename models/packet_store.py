"""The packet files the upper level received, kept whole as evidence, outside the database.

Each file is stored once in ``<stem>-goi/`` beside the database, under the
SHA-256 of its bytes (the ``file_sha256`` of its row): ``ab/abcd….sctg``. A
stored file never changes and is never deleted, so the name proves the bytes:
every read checks them against it, and a file missing or altered is reported,
never used.

A file is written (to a temporary name, then renamed) before the row that names
it is committed, and made durable just before that commit (Gateway.transaction):
a crash in between leaves at most a file no row names yet, which the next import
of the same packet finds in place. One flush of the disk per batch of packets,
not one per file, where the system has one (os.sync): on an old hard disk a sync
per packet costs more than the packet.

Keeping them out of the database keeps it small (a province's 3,321 packets are
~300 MB of zips; without them the database is tens of MB), so opening it, its
checks and its backups stay quick. Backups carry these files too
(models/backups.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path

from models.durable import sync_folder
from models.errors import DatabaseError, os_error_words

SUFFIX = ".sctg"
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class PacketFileLost(DatabaseError):
    """A stored packet file is missing or is not the file its row names."""


def packet_folder(db_path: str | Path) -> Path:
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-goi"


class PacketStore:
    def __init__(self, folder: Path):
        self.folder = folder
        self._pending: list[Path] = []  # written since the last flush: not yet surely on the disk

    def path_of(self, sha256: str) -> Path:
        if not _DIGEST.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256[:70]!r}")
        return self.folder / sha256[:2] / f"{sha256}{SUFFIX}"

    def put(self, raw: bytes, sha256: str | None = None) -> str:
        """Keep ``raw``; its SHA-256. Durable at the next flush(); a file already kept is left as it is
        when its bytes are right, and written again when they are not."""
        sha256 = sha256 or hashlib.sha256(raw).hexdigest()
        path = self.path_of(sha256)
        if path.is_file() and _digest_of(path) == sha256:
            return sha256
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as out:
                out.write(raw)
                if not hasattr(os, "sync"):
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise DatabaseError(
                f"Không lưu được tệp gói vào “{self.folder}” ({os_error_words(exc)}); chưa có gì thay đổi."
            ) from None
        self._pending.append(path)
        return sha256

    def flush(self) -> None:
        """Every file put since the last flush on the disk, with its folder entry."""
        if not self._pending:
            return
        try:
            if hasattr(os, "sync"):
                os.sync()  # one flush of the disk for the batch, files and folders alike
            else:
                for folder in {p.parent for p in self._pending} | {self.folder}:
                    sync_folder(folder)
        except OSError as exc:
            raise DatabaseError(
                f"Không lưu được tệp gói vào “{self.folder}” ({os_error_words(exc)}); chưa có gì thay đổi."
            ) from None
        self._pending.clear()

    def read(self, sha256: str) -> bytes:
        """The bytes kept under ``sha256``; PacketFileLost when they are missing or not those."""
        path = self.path_of(sha256)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise PacketFileLost(
                f"Mất tệp gói đã nhận “{path}”: hãy khôi phục từ bản sao lưu (các gói được sao lưu cùng cơ sở dữ liệu)."
            ) from None
        except OSError as exc:
            raise PacketFileLost(f"Không đọc được tệp gói đã nhận “{path}” ({os_error_words(exc)}).") from None
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise PacketFileLost(
                f"Tệp gói đã nhận “{path}” đã bị sửa hoặc hỏng (mã SHA-256 không khớp): hãy khôi phục từ bản sao lưu."
            )
        return raw

    def problem(self, sha256: str) -> str | None:
        """Why the file kept under ``sha256`` cannot be used, or None when it is whole."""
        try:
            self.read(sha256)
        except PacketFileLost as exc:
            return str(exc)
        return None


def _digest_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
