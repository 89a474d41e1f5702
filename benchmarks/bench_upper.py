"""The upper level's daily reads on a province's database of 3,321 packets, printed as figures (never
asserted in tests).

    .venv/bin/python benchmarks/bench_upper.py [--quick] [--big-db PATH] [--rounds 5]

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES packets=… db_mb=…
db_kb_per_packet=… packet_files_mb=… open_s=… inbox_list_s=… merge_s=… merged_xlsx_s=… completeness_s=…
help_s=… list_command_extra_s=… merge_command_extra_s=… completeness_command_extra_s=…

The database is the one benchmarks/bench_window.py builds and keeps (every 2025 commune's packet of
kl224 imported by the real import, one per commune: 3,321; --quick: 30), brought to the current
schema on first open. Issue 16's goals, all in one run, medians of --rounds interleaved rounds:

- in process, the database open: listing the inbox as ``inbox list`` does (``inbox_list_s``, ≤ 0.1 s),
  the merge (``merge_s``, ≤ 0.5 s) and its workbook apart (``merged_xlsx_s``, ≤ 1.5 s), completeness
  (``completeness_s``, ≤ 0.3 s); ``open_s`` is Gateway.open with its quick check (≤ 0.15 s);
- the same as commands (a fresh process each, bytecode cached as a user's Python caches it), each
  over ``main.py --help`` run alike (``…_command_extra_s`` = the command's time − ``help_s``; goal
  ≤ 0.3 s; the merge command also writes its workbook);
- ``db_kb_per_packet``: the database file over the packets it holds (goal ≤ 30 KB beyond the packet's
  own bytes, which are kept beside it: ``packet_files_mb``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_window import BIG, QUICK_BIG, big_database  # noqa: E402
from figures import print_figures  # noqa: E402

from exports.collect.completeness import completeness  # noqa: E402
from exports.collect.merge import merged_table  # noqa: E402
from exports.collect.received import inbox_listing  # noqa: E402
from exports.paper.xlsx_merged import save_merged_workbook  # noqa: E402
from forms.library import default_library  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.packet_store import packet_folder  # noqa: E402

FORM, PERIOD = "kl224", "2025"


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def command(args: list[str], bytecode: str) -> float:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": bytecode}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "main.py"), *args], check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"a database of {QUICK_BIG} packets, 3 rounds")
    parser.add_argument("--big-db", type=Path, help="the database to read (built and kept when missing)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    packets = QUICK_BIG if args.quick else BIG
    rounds = 3 if args.quick else args.rounds
    db = big_database(args.big_db, packets)
    Gateway.open(db).close()  # the schema brought up to date once, before anything is timed
    gw = Gateway.open(db)
    home = gw.setting("home_unit")
    library = default_library()
    with tempfile.TemporaryDirectory(prefix="bench-upper-") as tmp:
        out = Path(tmp) / "tong-hop.xlsx"
        table = merged_table(gw, home, FORM, PERIOD)
        in_process = {
            "open_s": lambda: Gateway.open(db).close(),
            "inbox_list_s": lambda: inbox_listing(gw),
            "merge_s": lambda: merged_table(gw, home, FORM, PERIOD),
            "merged_xlsx_s": lambda: save_merged_workbook(gw, table, out),
            "completeness_s": lambda: completeness(gw, home, PERIOD, library),
        }
        commands = {
            "help_s": ["--help"],
            "list_command_s": ["inbox", "list", "--db", str(db), "--json"],
            "merge_command_s": ["merge", "--db", str(db), "--unit", home, "--form", FORM, "--period", PERIOD]
            + ["--out", str(out), "--json"],
            "completeness_command_s": ["completeness", "--db", str(db), "--unit", home, "--period", PERIOD, "--json"],
        }
        bytecode = str(Path(tmp) / "pycache")
        for given in commands.values():
            command(given, bytecode)  # compiled once, the disk cache warm for all alike
        samples: dict[str, list[float]] = {name: [] for name in [*in_process, *commands]}
        for _ in range(rounds):  # interleaved: a busy moment of the machine falls on all alike
            for name, function in in_process.items():
                samples[name].append(timed(function))
            for name, given in commands.items():
                samples[name].append(command(given, bytecode))
        gw.close()
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, value in medians.items():
        print(f"{name:>24}: {value:.3f} s  (rounds: {', '.join(f'{v:.3f}' for v in samples[name])})")
    db_mb = db.stat().st_size / 1e6
    help_s = medians["help_s"]
    print_figures(
        packets=packets,
        db_mb=round(db_mb, 1),
        db_kb_per_packet=round(db_mb * 1000 / packets, 1),
        packet_files_mb=round(folder_mb(packet_folder(db)), 1),
        **{name: medians[name] for name in in_process},
        help_s=help_s,
        list_command_extra_s=medians["list_command_s"] - help_s,
        merge_command_extra_s=medians["merge_command_s"] - help_s,
        completeness_command_extra_s=medians["completeness_command_s"] - help_s,
    )


if __name__ == "__main__":
    main()
