"""Opening a big database and listing its backups, printed as figures (never asserted in tests).

    .venv/bin/python benchmarks/bench_backup.py            # 3,321 packets' worth (~370 MB)
    .venv/bin/python benchmarks/bench_backup.py --quick    # 100 packets' worth

The database: the demo, grown with rows shaped like an upper level's import,
one received packet per commune (a pseudo-random blob of 88 KB, as a zipped
packet is incompressible and 78% of the province database of issue 16 was
those blobs) and its ~290 received figures. Rows are inserted directly: the
import is not what is measured here, the size and shape of the file are.

Ten backups are then taken with the real ``backup_database`` (each a full
copy checked by ``PRAGMA integrity_check``, its verdict recorded beside it),
and in interleaved rounds (median of each):

- ``open_s``: ``Gateway.open`` of the database in process (the quick check
  included), against ``full_check_s``, the full integrity check the open used
  to run, and ``quick_check_s``, the quick check alone;
- ``backup_list_s``: ``backup list`` as a command (a fresh process, reading
  the recorded verdicts), against ``list_full_check_s``: every backup
  checked in full in process, as the listing used to do;
- ``backups_over_db``: the ten backups' bytes over the database's.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from models.backups import backup_database, check_backup, list_backups  # noqa: E402
from models.demo import build_demo  # noqa: E402
from models.gateway import Gateway  # noqa: E402

BLOB_BYTES = 88_000
FIGURES_PER_PACKET = 290
BACKUPS = 10


def grow(path: Path, packets: int) -> None:
    """The demo database at ``path`` with ``packets`` received packets' rows added."""
    gw = Gateway.open(path)
    build_demo(gw, default_library())
    rng = random.Random(16)
    conn = gw.db.conn
    conn.execute("BEGIN")
    for n in range(packets):
        code = f"{n:05d}"
        cursor = conn.execute(
            "INSERT INTO received_packets (file_sha256, file_name, received_at, received_by, unit_code, form_id,"
            " form_version, period_code, sequence, status, packet) VALUES (?, ?, ?, 'bench', ?, 'kl224', 1,"
            " '2025', 1, 'accepted', ?)",
            [f"{n:064x}", f"{code}.sctg", "2026-01-01T00:00:00", code, rng.randbytes(BLOB_BYTES)],
        )
        conn.executemany(
            "INSERT INTO received_values (packet_id, indicator, unit_code, value) VALUES (?, ?, ?, ?)",
            [(cursor.lastrowid, f"ind_{i % 29}", f"{code}.{i // 29:02d}", rng.randrange(1000)) for i in range(290)],
        )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()


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

        gw = Gateway.open(path, create=False)
        start = dt.datetime(2026, 3, 10, 8, 0)
        backup_times = [
            timed(lambda n=n: backup_database(gw.db.conn, path, now=start + dt.timedelta(minutes=10 * n)))
            for n in range(BACKUPS)
        ]
        gw.close()
        backups_bytes = sum(b.path.stat().st_size for b in list_backups(path))
        print(f"{BACKUPS} backups taken, median {statistics.median(backup_times):.2f} s each")

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
        backups_over_db=backups_bytes / (db_mb * 1e6),
    )


if __name__ == "__main__":
    main()
