"""Opening a big database and listing its backups, printed as figures (never asserted in tests).

    .venv/bin/python benchmarks/bench_backup.py            # 3,321 packets' worth (~290 MB of packet files)
    .venv/bin/python benchmarks/bench_backup.py --quick    # 100 packets' worth

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES packets=… db_mb=… open_s=…
quick_check_s=… full_check_s=… backup_s=… backup_list_s=… list_full_check_s=… packet_files_mb=…
backup_day_over_db=… backups_over_db=… page_dedup_over_db=… chunks=…

The database: the demo, grown with rows shaped like an upper level's import,
one received packet per commune: its file (a pseudo-random blob of 88 KB, as
a zipped packet is incompressible) kept beside the database as an import
keeps it (models/packet_store.py), its row, and its ~290 figures as one JSON
row. Rows are inserted directly: the import is not what is measured here,
the size and shape of what is backed up are.

Then a day of work: ten backups taken with the real ``backup_database``
(each a copy checked by ``PRAGMA integrity_check``, then cut into 64 KiB
chunks kept once in the backup folder's chunk store, and a list of them),
30 edits of the demo's report through ``Gateway.set_values`` before each
(300 in all) and an import of 100 more packets' rows before the sixth.
``backup_day_over_db`` is the bytes of the backup folder after that day (the
chunks, the lists and the copies of the packet files) over what is backed
up, the database and its packet files (``packet_files_mb``), the goal of
issue 16 being ≤ 2; ``backups_over_db`` is what ten whole single-file copies (what earlier
versions kept) would take over it; ``page_dedup_over_db`` what the ten would
take as their distinct 4 KiB pages plus a 32-byte hash per page and backup,
the floor for a store of whole pages; ``chunks`` the files in the store.

In interleaved rounds (median of each):

- ``open_s``: ``Gateway.open`` of the database in process (the quick check
  included), against ``full_check_s``, the full integrity check the open used
  to run, and ``quick_check_s``, the quick check alone;
- ``backup_list_s``: ``backup list`` as a command (a fresh process, reading
  the recorded verdicts), against ``list_full_check_s``: every backup
  checked in full in process, as the listing used to do;
- ``backups_over_db``, ``page_dedup_over_db``: bytes over the database's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402

from forms.library import default_library  # noqa: E402
from models.backup_store import read_list  # noqa: E402
from models.backups import backup_database, backup_folder, check_backup, chunk_store, list_backups  # noqa: E402
from models.demo import build_demo  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.packet_store import packet_folder  # noqa: E402
from models.report_records import Edit  # noqa: E402

BLOB_BYTES = 88_000
FIGURES_PER_PACKET = 290
BACKUPS = 10
EDITS_BETWEEN = 30
IMPORTED = 100
PAGE = 4096


def grow(path: Path, packets: int) -> None:
    """The demo database at ``path`` with ``packets`` received packets' rows added."""
    gw = Gateway.open(path)
    build_demo(gw, default_library())
    add_packets(gw, range(packets))
    gw.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()


def add_packets(gw: Gateway, numbers: range) -> None:
    """Rows as an import files them: the packet file beside the database (models/packet_store.py), its
    row, and its figures as one JSON row (cells, and the unit's figures as evaluated)."""
    rng = random.Random(numbers.start)
    conn = gw.db.conn
    conn.execute("BEGIN")
    for n in numbers:
        code = f"{n:05d}"
        blob = rng.randbytes(BLOB_BYTES)
        digest = gw.packet_files.put(blob)
        cursor = conn.execute(
            "INSERT INTO received_packets (file_sha256, file_name, received_at, received_by, unit_code, form_id,"
            " form_version, period_code, sequence, status, file_kept) VALUES (?, ?, ?, 'bench', ?, 'kl224', 1,"
            " '2025', 1, 'accepted', 1)",
            [digest, f"{code}.sctg", "2026-01-01T00:00:00", code],
        )
        cells: dict[str, dict] = {}
        for i in range(290):
            cells.setdefault(f"{code}.{i // 29:02d}", {})[f"ind_{i % 29}"] = rng.randrange(1000)
        figures = {f"ind_{i}": [rng.randrange(10**5), rng.randrange(10**5), 50.0, False, True] for i in range(50)}
        conn.execute(
            "INSERT INTO received_figures (packet_id, cells, form_version, figures) VALUES (?, ?, 1, ?)",
            [cursor.lastrowid, json.dumps(cells), json.dumps(figures)],
        )
    gw.packet_files.flush()
    conn.execute("COMMIT")


def day_of_work(path: Path, packets: int) -> list[float]:
    """Ten backups, 30 edits before each and an import before the sixth; each backup's time."""
    gw = Gateway.open(path, create=False)
    report = gw.find_report("03445", "kl224", "2025")
    cells = sorted(key for key, value in gw.values(report).items() if isinstance(value, int))
    rng = random.Random(224)
    start = dt.datetime(2026, 3, 10, 8, 0)
    times = []
    for n in range(BACKUPS):
        for indicator, unit in rng.sample(cells, min(EDITS_BETWEEN, len(cells))):
            gw.set_values(report, [Edit(indicator, unit, rng.randrange(1, 500))], who="bench")
        if n == 5:
            add_packets(gw, range(packets, packets + IMPORTED))
        times.append(timed(lambda n=n: backup_database(gw.db.conn, path, now=start + dt.timedelta(minutes=10 * n))))
    gw.close()
    return times


def backup_contents(path: Path):
    """Each backup's bytes as a whole file would hold them (its chunks in order)."""
    store = chunk_store(backup_folder(path))
    for backup in list_backups(path):
        yield b"".join(store.read(digest) for digest in read_list(backup.path)["chunks"])


def distinct_page_bytes(path: Path) -> tuple[int, int]:
    """The bytes of ten whole copies; of their distinct pages plus a 32-byte hash per page of each."""
    seen: set[bytes] = set()
    listed = whole = 0
    for data in backup_contents(path):
        whole += len(data)
        for start in range(0, len(data), PAGE):
            seen.add(hashlib.sha256(data[start : start + PAGE]).digest())
            listed += 32
    return whole, len(seen) * PAGE + listed


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def open_close(path: Path) -> None:
    Gateway.open(path, create=False).close()


def pragma(path: Path, check: str) -> None:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        assert conn.execute(f"PRAGMA {check}").fetchone()[0] == "ok"
    finally:
        conn.close()


def list_command(path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "backup", "list", "--db", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 0 and run.stdout.count('"good": true') == BACKUPS, (run.stdout, run.stderr)


def list_full_check(path: Path) -> None:
    for backup in list_backups(path):
        check_backup(backup.path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 packets' worth, 3 rounds")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    packets, rounds = (100, 3) if args.quick else (3321, args.rounds)

    with tempfile.TemporaryDirectory(prefix="bench-backup-") as tmp:
        path = Path(tmp) / "tinh.db"
        built = timed(lambda: grow(path, packets))
        db_mb = path.stat().st_size / 1e6
        print(f"database: demo + {packets} packets' rows, {db_mb:.0f} MB, built in {built:.1f} s")

        backup_times = day_of_work(path, packets)
        db_mb = path.stat().st_size / 1e6
        packet_mb = folder_bytes(packet_folder(path)) / 1e6
        day_bytes = folder_bytes(backup_folder(path))
        chunks = len(chunk_store(backup_folder(path)).present())
        backups_bytes, dedup_bytes = distinct_page_bytes(path)
        print(
            f"packet files beside it: {packet_mb:.0f} MB; a day of work: {BACKUPS} backups, "
            f"median {statistics.median(backup_times):.2f} s each; database now "
            f"{db_mb:.0f} MB; the backup folder {day_bytes / 1e6:.0f} MB ({chunks} chunks); "
            f"{backups_bytes / 1e6:.0f} MB as full copies, {dedup_bytes / 1e6:.0f} MB as distinct pages"
        )

        measures = {
            "open_s": lambda: open_close(path),
            "full_check_s": lambda: pragma(path, "integrity_check"),
            "quick_check_s": lambda: pragma(path, "quick_check"),
            "backup_list_s": lambda: list_command(path),
            "list_full_check_s": lambda: list_full_check(path),
        }
        samples: dict[str, list[float]] = {name: [] for name in measures}
        for _ in range(rounds):  # interleaved: each round measures each once
            for name, function in measures.items():
                samples[name].append(timed(function))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        for name, value in medians.items():
            print(f"{name:>20}: {value:.3f} s  (rounds: {', '.join(f'{v:.3f}' for v in samples[name])})")

    print_figures(
        packets=packets,
        db_mb=round(db_mb, 1),
        open_s=medians["open_s"],
        quick_check_s=medians["quick_check_s"],
        full_check_s=medians["full_check_s"],
        backup_s=statistics.median(backup_times),
        backup_list_s=medians["backup_list_s"],
        list_full_check_s=medians["list_full_check_s"],
        packet_files_mb=round(packet_mb, 1),
        backup_day_over_db=day_bytes / ((db_mb + packet_mb) * 1e6),
        backups_over_db=backups_bytes / (db_mb * 1e6),
        page_dedup_over_db=dedup_bytes / (db_mb * 1e6),
        chunks=chunks,
    )


if __name__ == "__main__":
    main()
