"""What a packet file is, found before anything is filed: read, verified, its figures checked as typed
and the form's rules run on them. Nothing here depends on what the import has filed so far, so a big
import examines its files in worker processes, one per core, while this process files them in order
(exports/collect/inbox.py): the examining is four fifths of an import's time.

The workers are started fresh (``spawn``, as Windows must): each opens the database read-only for the
units and the trusted keys, and loads the forms shipped with the program. So only an import against
those forms (``default_library()``) is spread; any other library, and a small import, is examined here.
A worker hands back the verdict without the zip's entries and so-lieu.json (filing needs neither), and
without the key's object (this process finds the same enrolment in its own ring).
"""

from __future__ import annotations

import collections
import hashlib
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from exports.collect.admission import Checked, recheck
from exports.collect.figures import Figures, sent_values
from exports.packets.container import PacketInvalid, PacketUnreadable, read_packet_file
from exports.packets.enrolment import KeyRing, key_ring
from exports.packets.format import DATA_JSON, MANIFEST, form_of
from exports.packets.verify import Verdict, verify_packet_bytes
from forms.library import FormLibrary, default_library
from models.database import read_only_database
from models.errors import DatabaseError, UserError
from models.gateway import Gateway
from models.vocabulary import VerifyStatus

SPREAD_FROM = 64  # files: below this, starting the workers (a second or so) costs more than it saves
CHUNK = 8  # files handed to a worker at a time
IN_FLIGHT = 4  # chunks per worker examined ahead of the filing

# What a file built to break the reader raises: its fault stays with it.
BREAKS_READER = (ArithmeticError, RecursionError, MemoryError, ValueError, TypeError, KeyError)


@dataclass(frozen=True)
class Examined:
    """One packet file as found: ``unreadable`` says why it is not a packet at all; otherwise its bytes,
    the verdict, and its figures (``values``, ``checked``) or why they cannot be used (``figures_problem``
    a PacketInvalid's words, ``figures_error`` any other refusal's)."""

    raw: bytes | None = None
    file_sha: str | None = None
    unreadable: str | None = None
    verdict: Verdict | None = None
    content: str | None = None
    manifest_sha256: str | None = None
    values: Figures = ()
    checked: Checked | None = None
    figures_problem: str | None = None
    figures_error: str | None = None

    def trusted_by(self, ring: KeyRing):
        """The enrolment in ``ring`` that made the verdict valid (the worker's own is not sent back)."""
        if self.verdict is None or self.verdict.status != VerifyStatus.VALID:
            return None
        manifest = self.verdict.manifest
        same_key = ring.with_fingerprint(manifest["signer"]["fingerprint"])
        return next((e for e in same_key if e.unit_code == manifest["unit"]["code"]), None)


def examine_file(gw: Gateway, path: Path, library: FormLibrary, ring: KeyRing) -> Examined:
    try:
        raw = read_packet_file(path)
    except PacketUnreadable as exc:
        return Examined(unreadable=str(exc))
    return examine(gw, raw, path, library, ring)


def examine(gw: Gateway, raw: bytes, path: Path, library: FormLibrary, ring: KeyRing) -> Examined:
    """Everything about a packet that needs no knowledge of the packets filed before it."""
    file_sha = hashlib.sha256(raw).hexdigest()
    try:
        verdict = verify_packet_bytes(raw, path, ring, library)
        if verdict.status not in (VerifyStatus.VALID, VerifyStatus.UNTRUSTED):
            return Examined(raw, file_sha, verdict=verdict)
        content = hashlib.sha256(verdict.entries[DATA_JSON]).hexdigest()
        manifest_sha256 = hashlib.sha256(verdict.entries[MANIFEST]).hexdigest()  # the packet's code on paper
        found = Examined(raw, file_sha, verdict=verdict, content=content, manifest_sha256=manifest_sha256)
        manifest = verdict.manifest
        form = form_of(library, manifest["form"])
        try:
            values = sent_values(gw, manifest, verdict.data, form)
            return replace(found, values=values, checked=recheck(gw, manifest, verdict.data, form, values))
        except PacketInvalid as exc:
            return replace(found, figures_problem=str(exc))
        except DatabaseError:
            raise
        except UserError as exc:
            return replace(found, figures_error=str(exc))
    except DatabaseError:
        raise  # the database, not this file: it stops the import
    except UserError as exc:
        return Examined(raw, file_sha, unreadable=str(exc))
    except BREAKS_READER as exc:
        return Examined(raw, file_sha, unreadable=f"Không đọc được tệp này (lỗi {type(exc).__name__}); không nhận.")


def examined_in_order(
    gw: Gateway, files: list[Path], library: FormLibrary, ring: KeyRing, spread_from: int = SPREAD_FROM
) -> Iterator[tuple[Path, Examined]]:
    """Each file with what it is, in the order given: examined by worker processes when there are at
    least ``spread_from`` files and cores to share, here otherwise. Closing it early stops the workers.
    Workers that cannot start or die (a frozen program that cannot start itself, no memory) leave the
    rest of the files to be examined here: slower, never lost."""
    workers = min(os.cpu_count() or 1, 4)
    daemon = multiprocessing.current_process().daemon  # a pool's worker may not start processes of its own
    if len(files) < spread_from or workers < 2 or daemon or library is not default_library():
        for path in files:
            yield path, examine_file(gw, path, library, ring)
        return
    chunks = [files[i : i + CHUNK] for i in range(0, len(files), CHUNK)]
    done = 0
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=(str(gw.path),))
    try:
        # A few chunks ahead of the filing, never the whole folder: what is examined waits in memory.
        ahead = collections.deque(pool.submit(_examine_in_worker, chunk) for chunk in chunks[: workers * IN_FLIGHT])
        for index, chunk in enumerate(chunks):
            found = ahead.popleft().result()
            if index + len(ahead) + 1 < len(chunks):
                ahead.append(pool.submit(_examine_in_worker, chunks[index + len(ahead) + 1]))
            for path, examined in zip(chunk, found, strict=True):
                yield path, examined
                done += 1
    except BrokenProcessPool:
        for path in files[done:]:
            yield path, examine_file(gw, path, library, ring)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


# ---- in a worker process -------------------------------------------------------------------------

_worker: tuple[Gateway, KeyRing] | None = None


def _start_worker(db_path: str) -> None:
    global _worker
    gw = Gateway(read_only_database(db_path), Path(db_path))
    _worker = (gw, key_ring(gw))


def _examine_in_worker(paths: list[Path]) -> list[Examined]:
    gw, ring = _worker
    return [_lean(examine_file(gw, path, default_library(), ring)) for path in paths]


def _lean(found: Examined) -> Examined:
    """What filing needs of the verdict: not the zip's entries, so-lieu.json or the key object."""
    if found.verdict is None:
        return found
    return replace(found, verdict=replace(found.verdict, entries={}, data=None, trusted_by=None))
