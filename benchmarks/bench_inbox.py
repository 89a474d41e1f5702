"""Speed of the upper level's inbox at national scale against its limit and an officer's scripts, as figures.

    .venv/bin/python benchmarks/bench_inbox.py              # 100, 1,000 and 3,321 packets, 5 rounds each
    .venv/bin/python benchmarks/bench_inbox.py --quick      # 100 only; no peers' venv is made
    .venv/bin/python benchmarks/bench_inbox.py --rounds 3 --profile 300  # and the import of 300 under cProfile

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES packets=… rounds=… cpus=…
import_s=… merge_s=… xlsx_s=… limit_s=… openpyxl_s=… calamine_s=… calamine_alone_s=…
import_merge_over_limit=… openpyxl_over_ours=… calamine_over_ours=… calamine_alone_over_ours=…
ours_cores_x=… peak_mb=… db_mb=… import_merge_100_s=… import_merge_1000_s=… import_merge_3321_s=…

3,321 valid kl224 packets for 2025 are generated in a temporary folder, one
per commune of the 2025 map (benchmarks/makers/packet_maker.py, checked against a
packet of build_packet's before anything is timed), then for each size N
(the first N communes), in interleaved rounds (the order turns each round),
on the same folder of N packets:

- ours: a fresh process opens a copy of an upper-level database holding one
  parent unit with those N communes directly below, their keys trusted and
  the collection open, then imports the folder (verify, re-check and file
  every packet), merges the table and writes the merged workbook (timed
  apart, xlsx_s); its peak memory is that process's (goal ≤ 300 MB). Ours is
  timed in process (after its imports), as the library the commands call;
  ours_cores_x is its CPU time (its own and its children's) over its wall
  time: how much of the machine's cpus it used;
- the limit: read every file, SHA-256 of every zip entry, one Ed25519
  verification per packet, nothing parsed, in one fresh process (goal: ours
  ≤ 3x it, import_merge_over_limit);
- the officer's scripts (benchmarks/peers/), each a process of its own
  summing every packet's own bieu.xlsx (sheet “Biểu”, Tổng số and Số đạt
  per Stt), no sample, timed from the first file read to the totals:
  openpyxl read_only=True (openpyxl_s), pandas.read_excel(engine="calamine")
  (calamine_s; goal: ours faster) and python-calamine alone
  (calamine_alone_s). Ratios ``_over_ours`` are their time over ours
  (import + merge). They run one process each, as an officer's script does;
  ours uses what it uses (ours_cores_x says how much).

The scripts run in their own virtual environment, never the program's
(benchmarks/peers/venv.py: ~/.cache/so-chi-tieu-bench/peers-venv, made on
first use with pandas, python-calamine and the program's own openpyxl
version from benchmarks/peers/requirements.txt). --quick, which
tests/test_benchmarks.py runs on CI, never makes it: without it the
openpyxl script runs on the program's Python (same openpyxl version) and
the two calamine figures print as ``skipped``. Before any figure is kept,
each script's totals must equal the merged table's on three indicators
(1.3, 3.1, 7.1) and the scripts must agree with each other on every row.

Why it is long: ours, the limit and the three scripts are run in one run on
the same folder of packets, interleaved round by round; apart, each would
need the packets made again and the rounds could not be interleaved (the
packets themselves are made in benchmarks/makers/packet_maker.py).

Medians of --rounds rounds (5 by default, at every size: about 85 s a
round at 3,321 packets on 2 shared cpus, ours and the openpyxl script most
of it; the whole run about 14 minutes, 2.4 of them making the packets).
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import hashlib
import importlib.metadata
import io
import multiprocessing
import os
import platform
import pstats
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402
from makers.packet_maker import (  # noqa: E402
    AT,
    FORM,
    PARENT,
    PERIOD,
    VILLAGE_COUNTS,
    WHO,
    all_communes,
    build_upper,
    check_generated,
    generate,
    link_folder,
    packets_of,
    real_packet,
)
from peers.venv import peers_python, run_peer, versions  # noqa: E402

from exports.collect.inbox import import_packets  # noqa: E402
from exports.collect.merge import merge  # noqa: E402
from exports.packets.format import MANIFEST, SIGNATURE  # noqa: E402
from exports.paper.layout import default_layout  # noqa: E402
from exports.paper.letterhead import page_settings  # noqa: E402
from exports.paper.xlsx_merged import merged_workbook  # noqa: E402
from forms.library import default_library  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.keys import demo_private_key  # noqa: E402

SIZES = (100, 1000, 3321)
ROUNDS = 5
PEERS = ("openpyxl", "pandas", "calamine")  # benchmarks/peers/venv.py's SCRIPTS
CHECKED = {"1.3": "ho_duoc_tuyen_truyen", "3.1": "ho_van_hoa", "7.1": "ho_nghe_xem_tw"}  # Stt -> indicator
GOAL_MB, GOAL_LIMIT_RATIO = 300, 3


# ---- what is timed, ours and the limit each in a fresh process --------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def cpu_s() -> float:
    """CPU time of this process and its finished children (worker processes, if the import has any)."""
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def run_ours(db_path: str, folder: str) -> dict:
    """Import, merge and merged workbook, as the upper level's officer runs them."""
    library = default_library()
    form = library.get(FORM)
    gw = Gateway.open(db_path)
    before, cpu = peak_mb(), cpu_s()
    start = time.perf_counter()
    run = import_packets(gw, [folder], library, WHO, lambda done, total, path: True)
    imported = time.perf_counter()
    table = merge(gw, PARENT.code, form, PERIOD)
    merged = time.perf_counter()
    cpu, peak = cpu_s() - cpu, peak_mb()
    page, layout = page_settings(gw, table.parent), default_layout(form)
    book = merged_workbook(gw, table, signed_on=AT.date(), page=page, layout=layout)
    written = time.perf_counter()
    outcomes = collections.Counter(f.outcome for f in run.filed)
    refused = next((f"{f.file.name}: {f.outcome}, {f.message}" for f in run.filed if f.outcome != "accepted"), None)
    gw.close()
    return {
        "import_s": imported - start,
        "merge_s": merged - imported,
        "total_s": merged - start,
        "cores": cpu / (merged - start),
        "xlsx_s": written - merged,
        "xlsx_kb": len(book) / 1024,
        "start_mb": before,
        "peak_mb": peak,
        "peak_with_xlsx_mb": peak_mb(),
        "outcomes": dict(outcomes),
        "refused": refused,
        "so_ho": table.totals["so_ho"].value,
        "checked": {stt: [table.totals[i].total, table.totals[i].value] for stt, i in CHECKED.items()},
        "received": len(table.received),
        "db_mb": Path(db_path).stat().st_size / 2**20,
    }


def run_limit(files: list[str]) -> float:
    """Read, hash every entry, verify one signature per packet; nothing parsed."""
    keys = {path: demo_private_key(Path(path).name.split("_")[0]).public_key() for path in files}
    start = time.perf_counter()
    for path in files:
        raw = Path(path).read_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = {info.filename: archive.read(info) for info in archive.infolist()}
        for body in entries.values():
            hashlib.sha256(body).digest()
        keys[path].verify(entries[SIGNATURE], entries[MANIFEST])
    return time.perf_counter() - start


def run_profiled(db_path: str, folder: str, top: int) -> str:
    library = default_library()
    gw = Gateway.open(db_path)
    profiler = cProfile.Profile()
    profiler.enable()
    import_packets(gw, [folder], library, WHO)
    profiler.disable()
    gw.close()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top // 2)  # where the time is spent, not just passed through
    return out.getvalue()


def fresh(function, *args):
    """``function(*args)`` in a new Python process, so neither memory nor caches carry over. A process
    of its own, not a pool's (a pool's is daemonic and may not start the import's worker processes)."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_send_result, args=(send, function, args))
    process.start()
    send.close()
    try:
        ok, result = receive.recv()
    except EOFError:
        ok, result = False, "the process ended without a result"
    process.join()
    if not ok:
        raise RuntimeError(result)
    return result


def _send_result(send, function, args) -> None:
    try:
        send.send((True, function(*args)))
    except BaseException:
        import traceback

        send.send((False, traceback.format_exc()))


# ---- one size, in interleaved rounds ----------------------------------------------------


def same_work(n: int, ours: dict, peers: dict[str, dict]) -> None:
    """Stop if a script did not read every packet or did not add up what the merge adds up."""
    for peer, result in peers.items():
        if result["packets"] != n:
            raise SystemExit(f"the {peer} script read {result['packets']} packets, not {n}")
        for stt, expected in ours["checked"].items():
            if [round(v, 6) for v in result["totals"].get(stt, [None, None])] != expected:
                raise SystemExit(
                    f"the {peer} script's totals of {stt} {result['totals'].get(stt)} are not ours {expected}"
                )
    rounded = {p: {k: [round(v, 6) for v in s] for k, s in r["totals"].items()} for p, r in peers.items()}
    first, *others = rounded
    for peer in others:
        if rounded[peer] != rounded[first]:
            raise SystemExit(f"the {peer} and {first} scripts do not add up the same rows")


def measure(n: int, files: list[Path], communes: list, work: Path, rounds: int, python: dict[str, Path]) -> dict:
    """Every contestant ``rounds`` times on the same N packets, the order turning each round: the runs."""
    mine = packets_of(files, communes[:n])
    template = work / f"tren-{n}.db"
    build_upper(template, communes[:n])
    folder = link_folder(mine, work / f"goi-{n}")
    runs: dict[str, list] = {"ours": [], "limit": [], **{peer: [] for peer in python}}
    order = list(runs)
    for r in range(rounds):
        for who in order[r % len(order) :] + order[: r % len(order)]:
            if who == "ours":
                db = work / f"tren-{n}-{r}.db"
                shutil.copyfile(template, db)
                result = fresh(run_ours, str(db), str(folder))
                for leftover in work.glob(f"tren-{n}-{r}.db*"):
                    leftover.unlink()
                if result["outcomes"] != {"accepted": n}:
                    raise SystemExit(f"{n} packets not all accepted: {result['outcomes']}; first: {result['refused']}")
            elif who == "limit":
                result = fresh(run_limit, [str(f) for f in mine])
            else:
                result = run_peer(python[who], who, folder)
            runs[who].append(result)
        if r == 0:
            same_work(n, runs["ours"][0], {peer: runs[peer][0] for peer in python})
    return runs


def medians(n: int, runs: dict) -> dict:
    ours = runs["ours"]
    row = {"n": n, "rounds": len(ours), **ours[0]}  # counts and sizes: the same every round
    for key in ("import_s", "merge_s", "total_s", "cores", "xlsx_s", "peak_mb", "peak_with_xlsx_mb", "start_mb"):
        row[key] = statistics.median(o[key] for o in ours)
    row["limit_s"] = statistics.median(runs["limit"])
    for peer in PEERS:
        row[f"{peer}_s"] = statistics.median(r["seconds"] for r in runs[peer]) if peer in runs else None
        row[f"{peer}_mb"] = statistics.median(r["peak_mb"] for r in runs[peer]) if peer in runs else None
    return row


# ---- what is printed ----------------------------------------------------------------------

PEER_NAMES = {
    "openpyxl": "openpyxl read_only=True",
    "pandas": 'pandas.read_excel(engine="calamine")',
    "calamine": "python-calamine alone",
}


def print_size(row: dict) -> None:
    n, total = row["n"], row["total_s"]
    print(
        f"\n{n:,} packets, medians of {row['rounds']} interleaved rounds ({row['db_mb']:.0f} MB database after import):"
    )
    print(
        f"  ours: import {row['import_s']:.2f} s + merge {row['merge_s']:.2f} s = {total:.2f} s, "
        f"{total * 1000 / n:.2f} ms/packet, {n / total:.0f} packets/s, {row['cores']:.2f} cpus busy"
    )
    print(
        f"  ours: peak memory {row['peak_mb']:.0f} MB (process at start {row['start_mb']:.0f} MB; "
        f"{row['peak_with_xlsx_mb']:.0f} MB with the merged workbook)"
    )
    print(f"  merged workbook ({row['xlsx_kb']:.0f} KB, {row['received']:,} units): {row['xlsx_s']:.2f} s")
    print(
        f"  limit (read, SHA-256 of every entry, 1 Ed25519 verify): {row['limit_s']:.2f} s, "
        f"{row['limit_s'] * 1000 / n:.2f} ms/packet; ours/limit {total / row['limit_s']:.1f}x"
    )
    for peer, name in PEER_NAMES.items():
        if row[f"{peer}_s"] is None:
            print(f"  officer's script, {name}: skipped (no peers' venv; --quick never makes it)")
            continue
        seconds = row[f"{peer}_s"]
        print(
            f"  officer's script, {name}: {seconds:.2f} s, {seconds * 1000 / n:.2f} ms/packet, "
            f"{row[f'{peer}_mb']:.0f} MB; script/ours {seconds / total:.2f}x"
        )


def print_growth(rows: list[dict]) -> None:
    print("\nhow time grows (ours = import + merge; medians):")
    print(
        f"  {'packets':>8} {'import ms/p':>12} {'merge ms/p':>11} {'ours s':>8} {'limit s':>8} "
        f"{'openpyxl s':>11} {'pandas s':>9} {'peak MB':>8}"
    )
    for row in rows:
        n, pandas = row["n"], row["pandas_s"]
        print(
            f"  {n:>8,} {row['import_s'] * 1000 / n:>12.2f} {row['merge_s'] * 1000 / n:>11.2f} "
            f"{row['total_s']:>8.2f} {row['limit_s']:>8.2f} {row['openpyxl_s']:>11.2f} "
            f"{'skipped' if pandas is None else f'{pandas:.2f}':>9} {row['peak_mb']:>8.0f}"
        )
    first, last = rows[0], rows[-1]
    if last["n"] > first["n"]:
        growth = last["total_s"] / first["total_s"]
        print(f"  {last['n'] / first['n']:.1f}x the packets took {growth:.1f}x the time")


def print_goals(row: dict) -> None:
    total, pandas = row["total_s"], row["pandas_s"]
    checks = [
        (f"peak memory ≤ {GOAL_MB} MB", f"{row['peak_mb']:.0f} MB", row["peak_mb"] <= GOAL_MB),
        (
            f"≤ {GOAL_LIMIT_RATIO}x the limit",
            f"{total / row['limit_s']:.1f}x",
            total <= GOAL_LIMIT_RATIO * row["limit_s"],
        ),
    ]
    if pandas is not None:
        checks.append(("faster than the pandas+calamine script", f"{pandas / total:.2f}x", pandas > total))
    print(f"\ngoals at {row['n']:,} packets:")
    for goal, figure, met in checks:
        print(f"  {goal}: {figure}, {'met' if met else 'NOT MET'}")


def figures_of(rows: list[dict]) -> dict:
    last = rows[-1]
    total = last["total_s"]

    def over_ours(peer: str) -> float | None:
        return None if last[f"{peer}_s"] is None else last[f"{peer}_s"] / total

    return {
        "packets": last["n"],
        "rounds": last["rounds"],
        "cpus": os.cpu_count() or 1,
        "import_s": last["import_s"],
        "merge_s": last["merge_s"],
        "xlsx_s": last["xlsx_s"],
        "limit_s": last["limit_s"],
        "openpyxl_s": last["openpyxl_s"],
        "calamine_s": last["pandas_s"],
        "calamine_alone_s": last["calamine_s"],
        "import_merge_over_limit": total / last["limit_s"],
        "openpyxl_over_ours": over_ours("openpyxl"),
        "calamine_over_ours": over_ours("pandas"),
        "calamine_alone_over_ours": over_ours("calamine"),
        "ours_cores_x": last["cores"],
        "peak_mb": last["peak_mb"],
        "db_mb": last["db_mb"],
        **{f"import_merge_{row['n']}_s": row["total_s"] for row in rows},
    }


# ---- main ---------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="packet counts, e.g. 100,1000,3321")
    parser.add_argument("--quick", action="store_true", help="100 packets only; the peers' venv used only if there")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"interleaved rounds at each size ({ROUNDS})")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also profile the import of N packets")
    return parser.parse_args()


def peers_to_run(quick: bool) -> dict[str, Path]:
    """Which scripts run, by which Python: the peers' venv (made unless quick), else openpyxl on ours."""
    venv = peers_python(create=not quick)
    if venv is not None:
        print(f"officer's scripts: {venv} ({versions(venv)})")
        return {peer: venv for peer in PEERS}
    print(
        f"officer's scripts: no peers' venv (--quick never makes one): openpyxl read_only on this Python "
        f"(openpyxl {importlib.metadata.version('openpyxl')}), the pandas and calamine scripts skipped"
    )
    return {"openpyxl": Path(sys.executable)}


def main() -> None:
    args = parse_args()
    sizes = [100] if args.quick else sorted({int(s) for s in args.sizes.split(",")})
    communes = all_communes()
    if max(sizes + [args.profile]) > len(communes):
        raise SystemExit(f"at most {len(communes):,} packets: one per commune")
    print(
        f"machine: {os.cpu_count()} cpus (shared with whatever else runs: hence medians of interleaved "
        f"rounds), {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; "
        f"temporary files in {tempfile.gettempdir()} (the import syncs the database to disk)"
    )
    python = peers_to_run(args.quick)
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        packets = work / "goi"
        packets.mkdir()
        wanted = communes[: max(sizes + [args.profile])]
        start = time.perf_counter()
        made = generate(packets, wanted)
        files = sorted(packets.glob("*.sctg"))
        check_generated(packets, real_packet(work), wanted)
        sizes_mb = sum(size for _, size in made.values()) / 2**20
        print(
            f"generated {len(files):,} packets (kl224 {PERIOD}, {len(VILLAGE_COUNTS)} village counts "
            f"{VILLAGE_COUNTS[0]}-{VILLAGE_COUNTS[-1]}, {sizes_mb:.0f} MB) in {time.perf_counter() - start:.1f} s; "
            "two verified as trusted (hop_le) before timing"
        )
        rows = []
        for n in sizes:
            row = medians(n, measure(n, files, communes, work, args.rounds, python))
            households = sum(made[c.code][0] for c in communes[:n])
            if row["so_ho"] != households:
                raise SystemExit(f"merged so_ho {row['so_ho']} is not the generated {households}")
            print_size(row)
            rows.append(row)
        print_growth(rows)
        print_goals(rows[-1])
        if args.profile:
            build_upper(work / "profile.db", communes[: args.profile])
            folder = link_folder(packets_of(files, communes[: args.profile]), work / "goi-profile")
            print(f"\nimport of {args.profile} packets under cProfile, by cumulative then own time:")
            print(fresh(run_profiled, str(work / "profile.db"), str(folder), 30))
    print_figures(**figures_of(rows))  # last, after any profile


if __name__ == "__main__":
    main()
