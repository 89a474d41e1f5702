"""A folder of chunks keyed by their SHA-256, and the lists of chunks that make a file again.

Any file can be kept here as fixed-size chunks (``put_file``): each chunk is a
file named by the SHA-256 of its bytes, written once (temp + fsync + rename),
so what several files share is stored once. A chunk list (``write_list``)
names the chunks of one file in order, with the file's size and whatever the
caller records about it (the backups record their integrity check), and
begins with the SHA-256 of the rest of the list, so a damaged list is caught
when it is read. ``write_file`` makes the file again and checks every chunk
against its name on the way. ``prune`` removes only chunks no list names.

The chunks are aligned to SQLite's pages (a multiple of 4 KiB), so an edit
that rewrites a few pages of a database changes only the chunks holding them.
Models/backups.py keeps the database's backups here; nothing in this module
knows about databases, so received packets could be kept the same way.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from models.durable import replace_durably, sync_folder

CHUNK_BYTES = 64 * 1024  # 16 pages of 4 KiB: few enough files to write quickly, small enough to share
PRUNE_GRACE_S = 3600  # a chunk written or reused this recently may belong to a list not yet written
_HEX = frozenset("0123456789abcdef")


class ChunkError(Exception):
    """A chunk missing or not matching its hash; ``digest`` names it."""

    def __init__(self, digest: str, missing: bool):
        super().__init__(digest)
        self.digest = digest
        self.missing = missing


class ListError(Exception):
    """A chunk list that cannot be read or does not match its own hash."""


class ChunkStore:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path_of(self, digest: str) -> Path:
        return self.folder / digest

    def put_file(self, source: Path, chunk_bytes: int = CHUNK_BYTES) -> list[str]:
        """Keep ``source``'s bytes as chunks; their hashes, in order. A chunk already stored is read
        and compared: rewritten if it differs (damaged since), touched if it matches (so a prune
        running meanwhile sees it as recent and leaves it)."""
        self.folder.mkdir(exist_ok=True)
        digests = []
        with open(source, "rb") as handle:
            while chunk := handle.read(chunk_bytes):
                digest = hashlib.sha256(chunk).hexdigest()
                self._put(digest, chunk)
                digests.append(digest)
        sync_folder(self.folder)
        return digests

    def _put(self, digest: str, chunk: bytes) -> None:
        path = self.path_of(digest)
        try:
            if path.read_bytes() == chunk:
                os.utime(path)
                return
        except FileNotFoundError:
            pass
        replace_durably(path, chunk, path.with_name(f"{digest}.tam-{os.getpid()}"))

    def read(self, digest: str) -> bytes:
        """The chunk's bytes, checked against its name; ChunkError if missing or damaged."""
        try:
            chunk = self.path_of(digest).read_bytes()
        except FileNotFoundError:
            raise ChunkError(digest, missing=True) from None
        if hashlib.sha256(chunk).hexdigest() != digest:
            raise ChunkError(digest, missing=False)
        return chunk

    def write_file(self, digests: list[str], target: Path, size: int) -> None:
        """Make the file of ``digests`` at ``target`` (fsynced), every chunk checked; ChunkError at
        the first bad one, ListError if the bytes do not come to ``size``."""
        written = 0
        with open(target, "wb") as handle:
            for digest in digests:
                chunk = self.read(digest)
                handle.write(chunk)
                written += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if written != size:
            raise ListError(f"{written} != {size}")

    def present(self) -> set[str]:
        """The hashes of the chunks in the folder (one listing, no chunk read)."""
        try:
            return {entry.name for entry in os.scandir(self.folder) if _is_digest(entry.name)}
        except FileNotFoundError:
            return set()

    def prune(self, referenced: set[str], grace_s: float = PRUNE_GRACE_S) -> list[str]:
        """Remove the chunks (and leftover temp files) no list names and not touched in ``grace_s``
        seconds; the hashes removed. Each removal stands alone: stopped midway, nothing named is lost."""
        removed = []
        cutoff = time.time() - grace_s
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return removed
        for entry in entries:
            name = entry.name
            digest = name.split(".tam-")[0]
            if not _is_digest(digest) or (name == digest and digest in referenced):
                continue
            try:
                if entry.stat().st_mtime >= cutoff:
                    continue
                os.unlink(entry.path)
            except OSError:
                continue  # one left behind costs disk, not data
            if name == digest:
                removed.append(digest)
        return removed


def write_list(path: Path, content: dict) -> None:
    """Write a chunk list atomically: the SHA-256 of its body on the first line, then the body."""
    body = json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")
    data = hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body
    replace_durably(path, data, path.with_name(path.name + ".tam"))
    sync_folder(path.parent)


def read_list(path: Path) -> dict:
    """The list's body; ListError if it does not match its recorded hash or lacks its chunks;
    OSError if it cannot be read."""
    data = Path(path).read_bytes()
    recorded, _, body = data.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode("ascii") != recorded:
        raise ListError(str(path))
    try:
        content = json.loads(body)
    except ValueError:
        raise ListError(str(path)) from None
    chunks = content.get("chunks") if isinstance(content, dict) else None
    if not isinstance(chunks, list) or not all(isinstance(c, str) and _is_digest(c) for c in chunks):
        raise ListError(str(path))
    if not isinstance(content.get("size"), int):
        raise ListError(str(path))
    return content


def _is_digest(name: str) -> bool:
    return len(name) == 64 and set(name) <= _HEX
