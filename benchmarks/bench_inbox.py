"""Speed of the upper level's inbox at national scale, printed as figures (never asserted in tests).

    .venv/bin/python benchmarks/bench_inbox.py              # 100, 1,000 and 3,321 packets
    .venv/bin/python benchmarks/bench_inbox.py --quick      # 100 only
    .venv/bin/python benchmarks/bench_inbox.py --profile 300  # and the import of 300 under cProfile

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES packets=… import_s=…
merge_s=… limit_s=… naive_s=… ours_vs_limit_x=… naive_vs_ours_x=… peak_mb=… db_mb=…

3,321 valid kl224 packets for 2025 are generated in a temporary folder, one per
commune of the 2025 map (one sent by every commune in Vietnam), then for each
size N (the first N communes):

- ours: a fresh process opens an upper-level database holding one parent unit
  with those N communes directly below, their keys trusted and the collection
  open, then imports the folder (verify and file every packet), merges the
  table and writes the merged workbook (timed apart); its peak memory is that
  process's (goal for 3,321: import and merge ≤ 30 s, ≤ 300 MB);
- the limit, in the same run: read every file, SHA-256 of every zip entry, one
  Ed25519 verification of the signature per packet, nothing parsed (goal:
  ours within 3x of it);
- naive: what a district officer would script, openpyxl opening every
  packet's bieu.xlsx and summing the first sheet's numbers (goal: ours at
  least 10x faster); past a sample it is extrapolated, and says so.

The packets are made here in the same format as export_packet's, without a
database: bieu.xlsx drawn for each packet by the real form_workbook (tens of
ms each, on every CPU; one reused for many packets would now be refused, as
the import compares it with so-lieu.json: exports/packets/sheet_check.py), so-lieu.json built by the real
report_to_dict from figures made like the demo's (villages CODE.01..., no
error or warning), the manifest by the real manifest_of and signed_zip,
signed with each commune's demo key and zipped canonically. A packet made by build_packet from
the demo is the pattern they are compared with before anything is timed.

Why it is long: the generator of 3,321 packets, ours, the limit and the
peer are measured in one run on the same files, interleaved; apart, each
would make the packets again and the rounds could not be interleaved.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import datetime as dt
import hashlib
import io
import json
import multiprocessing
import os
import platform
import pstats
import random
import resource
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402

from exports.collect.inbox import import_packets  # noqa: E402
from exports.collect.merge import merge  # noqa: E402
from exports.packets.enrolment import Enrolment  # noqa: E402
from exports.packets.format import (  # noqa: E402
    DATA_JSON,
    FORM_XLSX,
    MANIFEST,
    PUBLIC_KEY,
    SIGNATURE,
    default_packet_name,
    json_bytes,
    manifest_of,
    signed_zip,
)
from exports.packets.verify import verify_packet  # noqa: E402
from exports.packets.write import build_packet  # noqa: E402
from exports.paper.xlsx_form import form_workbook  # noqa: E402
from exports.paper.xlsx_merged import merged_workbook  # noqa: E402
from exports.report_json import report_to_dict, summary  # noqa: E402
from forms.engine import ReportData, evaluate  # noqa: E402
from forms.library import default_library  # noqa: E402
from forms.schema import FormDef  # noqa: E402
from models import catalogue  # noqa: E402
from models.demo import build_demo, plausible_figures  # noqa: E402
from models.gateway import Gateway, ReportRef  # noqa: E402
from models.keys import KeyInfo, demo_private_key, fingerprint_of, key_in_use, public_pem  # noqa: E402
from models.periods import Period, parse_period  # noqa: E402
from models.reporting import ReportView, view_report  # noqa: E402
from models.units import Unit  # noqa: E402
from models.vocabulary import VerifyStatus  # noqa: E402

SIZES = (100, 1000, 3321)
FORM, PERIOD = "kl224", "2025"
PARENT = Unit("VN", "Toàn quốc (thử tải)", "tỉnh", None)
AT = dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
TYPED_AT = "2025-12-20T09:00:00+07:00"  # when the generated figures were "typed", for the audit trail
HOLDER = ("Cán bộ thử tải", "Công chức Văn hóa - Xã hội")
WHO = "do-thu-tai"
VILLAGE_COUNTS = (12, 18, 24, 30, 40, 60)  # each commune draws one
NAIVE_SAMPLE = 200
GOAL_SECONDS, GOAL_MB, GOAL_LIMIT_RATIO, GOAL_NAIVE_RATIO = 30, 300, 3, 10


# ---- making the packets ------------------------------------------------------------


class _Upper:
    """What report_to_dict asks a gateway for, without one: the period and the parent unit."""

    def period(self, code: str) -> Period:
        return parse_period(code)

    def unit(self, code: str) -> Unit | None:
        return PARENT if code == PARENT.code else None


def all_communes() -> list[catalogue.CatalogueUnit]:
    return [c for p in catalogue.provinces() for c in catalogue.communes(p.code)]


def village_units(commune: Unit, count: int) -> list[Unit]:
    kind = "tổ dân phố" if commune.kind == "phường" else "bản"
    name = "Tổ dân phố số" if kind == "tổ dân phố" else "Bản số"
    return [
        Unit(f"{commune.code}.{n:02d}", f"{name} {n}", kind, commune.code, local_code=f"{n:02d}")
        for n in range(1, count + 1)
    ]


def commune_figures(form: FormDef, commune: Unit, villages: list[Unit], rng: random.Random) -> ReportData:
    """The demo's figures (models/demo.py): plausible, and within every rule of the form."""
    codes = tuple(v.code for v in villages)
    village_values, own = plausible_figures(form, commune.kind, list(codes), rng, lift=rng.uniform(0, 0.04))
    own = {i: v for i, v in own.items() if form.indicator(i).applies(commune.kind)}
    return ReportData(commune.kind, commune.tier, codes, village_values, own)


def commune_view(form: FormDef, commune: Unit, village_count: int, rng: random.Random) -> ReportView:
    villages = village_units(commune, village_count)
    data = commune_figures(form, commune, villages, rng)
    evaluation = evaluate(form, data)
    if evaluation.findings:
        raise SystemExit(f"generator bug: {commune.code} has findings {evaluation.findings[:2]}")
    report = ReportRef(0, commune.code, form.id, form.version, PERIOD)
    return ReportView(report, form, commune, villages, data, evaluation, {})


def signer_of(code: str) -> KeyInfo:
    public = demo_private_key(code).public_key()
    return KeyInfo(fingerprint_of(public), code, public_pem(public), *HOLDER, TYPED_AT, None, None, True)


def audit_rows(view: ReportView) -> list[dict]:
    """One row per typed cell, as a commune's audit trail has at least."""
    data = view.data
    cells = [(i, village, v) for village, row in data.village_values.items() for i, v in row.items()]
    cells += [(i, view.unit.code, v) for i, v in data.commune_values.items()]
    return [{"indicator": i, "unit_code": u, "old": None, "new": v, "at": TYPED_AT, "who": WHO} for i, u, v in cells]


def packet_bytes(view: ReportView, xlsx: bytes) -> bytes:
    """What exports/packets/write.py's build_packet makes, with the bieu.xlsx given instead of drawn."""
    key = signer_of(view.unit.code)
    data = report_to_dict(_Upper(), view)
    data["audit"] = audit_rows(view)
    files = {FORM_XLSX: xlsx, DATA_JSON: json_bytes(data), PUBLIC_KEY: key.public_pem.encode("ascii")}
    checks = {**summary(view), "warnings_explained": 0}  # the generator makes no warnings
    manifest = manifest_of(view.unit, view.form, parse_period(PERIOD), None, key, 1, AT, checks, files)
    return signed_zip(manifest, files, demo_private_key(view.unit.code))


def form_xlsx(view: ReportView) -> bytes:
    """The packet's bieu.xlsx, drawn by the real form_workbook as export_packet draws it."""
    return form_workbook(
        view,
        period=parse_period(PERIOD),
        parent_name=PARENT.name,
        signed_on=AT.date(),
        officer_name=HOLDER[0],
        officer_title=HOLDER[1],
        signer_fingerprint=signer_of(view.unit.code).spoken,
    )


_worker: dict = {}  # per generating process: the form, the folder


def _start_worker(folder: str) -> None:
    _worker.update(form=default_library().get(FORM), folder=Path(folder))


def write_packets(communes: list[tuple[str, str, str]]) -> list[tuple[str, int, int]]:
    """Write the packets of these communes; (code, households, file size) each."""
    form, folder = _worker["form"], _worker["folder"]
    made = []
    for code, name, kind in communes:
        rng = random.Random(f"{code}-{PERIOD}")
        view = commune_view(form, Unit(code, name, kind, PARENT.code), rng.choice(VILLAGE_COUNTS), rng)
        raw = packet_bytes(view, form_xlsx(view))
        (folder / default_packet_name(code, FORM, PERIOD, 1)).write_bytes(raw)
        made.append((code, view.evaluation.figures["so_ho"].value, len(raw)))
    return made


def generate(folder: Path, communes: list) -> dict[str, tuple[int, int]]:
    """Every packet, written by one process per CPU: code -> (households, file size)."""
    rows = [(c.code, c.name, c.kind) for c in communes]
    chunks = [rows[i : i + 50] for i in range(0, len(rows), 50)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(os.cpu_count() or 1, _start_worker, (str(folder),)) as pool:
        return {
            code: (households, size)
            for made in pool.imap_unordered(write_packets, chunks)
            for code, households, size in made
        }


# ---- the pattern and a first check ---------------------------------------------------


def real_packet(folder: Path) -> bytes:
    """A packet made the normal way, by build_packet from the demo's Xã Sìn Hồ."""
    library = default_library()
    gw = Gateway.open(folder / "demo.db")
    try:
        build_demo(gw, library)
        view = view_report(gw, gw.find_report("03478", FORM, PERIOD), library.get(FORM))
        return build_packet(gw, view, key_in_use(gw, "03478"), demo_private_key("03478"), 1, AT)[1]
    finally:
        gw.close()


def shape(raw: bytes) -> tuple:
    """Entry names in order, the manifest's keys and so-lieu.json's keys: what must not drift."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = tuple(archive.namelist())
        manifest, data = json.loads(archive.read(MANIFEST)), json.loads(archive.read(DATA_JSON))
    audit_keys = tuple(data["audit"][0]) if data["audit"] else ()
    return names, tuple(manifest), tuple(manifest["summary"]), tuple(data), audit_keys


def check_generated(folder: Path, pattern: bytes, communes: list) -> None:
    """Stop before timing anything if the generated packets are not what the program makes and trusts."""
    library, files = default_library(), sorted(folder.glob("*.sctg"))
    if shape(files[0].read_bytes()) != shape(pattern):
        raise SystemExit(
            "Generated packets no longer have the shape of build_packet's (entries, manifest or so-lieu.json "
            f"keys): update this benchmark.\n  real: {shape(pattern)}\n  ours: {shape(files[0].read_bytes())}"
        )
    names = {c.code: c.name for c in communes}
    for path in (files[0], files[-1]):
        code = path.name.split("_")[0]
        key = signer_of(code)
        ring = [Enrolment(code, names[code], *HOLDER, key.fingerprint, demo_private_key(code).public_key(), "", None)]
        verdict = verify_packet(path, ring, library)
        if verdict.status != VerifyStatus.VALID:
            raise SystemExit(f"generated packet {path.name} does not verify: {verdict.headline()}")


# ---- the upper level ---------------------------------------------------------------


def build_upper(path: Path, communes: list) -> None:
    """One parent unit with these communes directly below, their keys trusted, kl224 2025 collected."""
    gw = Gateway.open(path)
    stamp = TYPED_AT
    with gw.transaction():
        gw.add_unit(PARENT.code, PARENT.name, PARENT.kind, who=WHO)
        for commune in communes:
            gw.add_unit(commune.code, commune.name, commune.kind, PARENT.code, who=WHO)
        gw.db["collections"].insert({"form_id": FORM, "period_code": PERIOD, "deadline": None, "opened_at": stamp})
        keys = [signer_of(c.code) for c in communes]
        gw.db["trusted_keys"].insert_all(
            {
                "fingerprint": key.fingerprint,
                "unit_code": key.unit_code,
                "public_pem": key.public_pem,
                "holder_name": key.holder_name,
                "holder_title": key.holder_title,
                "created_at": stamp,
                "replaced_at": None,
                "enrolled_at": stamp,
                "enrolled_by": WHO,
            }
            for key in keys
        )
        gw.set_setting("home_unit", PARENT.code)
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()


def link_folder(source: list[Path], folder: Path) -> Path:
    """A folder holding just these packets (hard links: nothing copied)."""
    folder.mkdir()
    for path in source:
        os.link(path, folder / path.name)
    return folder


# ---- what is timed, each in a fresh process ---------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def run_ours(db_path: str, folder: str) -> dict:
    """Import, merge and merged workbook, as the upper level's officer runs them."""
    library = default_library()
    form = library.get(FORM)
    gw = Gateway.open(db_path)
    before = peak_mb()
    start = time.perf_counter()
    run = import_packets(gw, [folder], library, WHO, lambda done, total, path: True)
    imported = time.perf_counter()
    table = merge(gw, PARENT.code, form, PERIOD)
    merged = time.perf_counter()
    peak = peak_mb()
    book = merged_workbook(gw, table, signed_on=AT.date(), officer_name=HOLDER[0], officer_title=HOLDER[1])
    written = time.perf_counter()
    outcomes = collections.Counter(f.outcome for f in run.filed)
    refused = next((f"{f.file.name}: {f.outcome}, {f.message}" for f in run.filed if f.outcome != "accepted"), None)
    gw.close()
    return {
        "import_s": imported - start,
        "merge_s": merged - imported,
        "xlsx_s": written - merged,
        "xlsx_kb": len(book) / 1024,
        "start_mb": before,
        "peak_mb": peak,
        "peak_with_xlsx_mb": peak_mb(),
        "outcomes": dict(outcomes),
        "refused": refused,
        "so_ho": table.totals["so_ho"].value,
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


def run_naive(files: list[str]) -> float:
    """openpyxl opening each bieu.xlsx and summing the first sheet's numbers, as a script would."""
    start = time.perf_counter()
    total = 0
    for path in files:
        with zipfile.ZipFile(path) as archive:
            book = load_workbook(io.BytesIO(archive.read(FORM_XLSX)))
        for row in book.worksheets[0].iter_rows(values_only=True):
            total += sum(v for v in row if isinstance(v, int | float) and not isinstance(v, bool))
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
    """``function(*args)`` in a new Python process, so neither memory nor caches carry over."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(function, args)


# ---- one size -----------------------------------------------------------------------


def packets_of(files: list[Path], communes: list) -> list[Path]:
    chosen = {c.code for c in communes}
    return [f for f in files if f.name.split("_")[0] in chosen]


def measure(n: int, files: list[Path], communes: list, work: Path, naive_sample: int) -> dict:
    mine = packets_of(files, communes[:n])
    build_upper(work / f"tren-{n}.db", communes[:n])
    folder = link_folder(mine, work / f"goi-{n}")
    ours = fresh(run_ours, str(work / f"tren-{n}.db"), str(folder))
    if ours["outcomes"] != {"accepted": n}:
        raise SystemExit(f"import of {n} packets did not accept them all: {ours['outcomes']}; first: {ours['refused']}")
    limit = fresh(run_limit, [str(f) for f in mine])
    step = max(1, len(mine) // naive_sample)
    sample = mine[::step][:naive_sample]
    naive = fresh(run_naive, [str(f) for f in sample]) * len(mine) / len(sample)
    return {**ours, "n": n, "limit_s": limit, "naive_s": naive, "naive_sampled": len(sample) < len(mine)}


def print_size(row: dict, naive_sample: int) -> None:
    n, total = row["n"], row["import_s"] + row["merge_s"]
    naive_note = f" (extrapolated from {naive_sample} packets)" if row["naive_sampled"] else ""
    print(f"\n{n:,} packets ({row['db_mb']:.0f} MB database after import):")
    print(
        f"  ours: import {row['import_s']:.2f} s + merge {row['merge_s']:.2f} s = {total:.2f} s, "
        f"{total * 1000 / n:.2f} ms/packet, {n / total:.0f} packets/s"
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
    print(
        f"  naive (openpyxl opens every bieu.xlsx, sums sheet 1): {row['naive_s']:.1f} s{naive_note}, "
        f"{row['naive_s'] * 1000 / n:.1f} ms/packet; naive/ours {row['naive_s'] / total:.1f}x"
    )


def print_growth(rows: list[dict]) -> None:
    print("\nhow time grows (ours = import + merge):")
    print(f"  {'packets':>8} {'import ms/p':>12} {'merge ms/p':>11} {'ours s':>8} {'limit s':>8} {'peak MB':>8}")
    for row in rows:
        n = row["n"]
        print(
            f"  {n:>8,} {row['import_s'] * 1000 / n:>12.2f} {row['merge_s'] * 1000 / n:>11.2f} "
            f"{row['import_s'] + row['merge_s']:>8.2f} {row['limit_s']:>8.2f} {row['peak_mb']:>8.0f}"
        )
    first, last = rows[0], rows[-1]
    if last["n"] > first["n"]:
        growth = (last["import_s"] + last["merge_s"]) / (first["import_s"] + first["merge_s"])
        print(f"  {last['n'] / first['n']:.1f}x the packets took {growth:.1f}x the time")


def print_goals(row: dict) -> None:
    total = row["import_s"] + row["merge_s"]
    checks = (
        (f"import + merge ≤ {GOAL_SECONDS} s", f"{total:.1f} s", total <= GOAL_SECONDS),
        (f"peak memory ≤ {GOAL_MB} MB", f"{row['peak_mb']:.0f} MB", row["peak_mb"] <= GOAL_MB),
        (
            f"within {GOAL_LIMIT_RATIO}x of the limit",
            f"{total / row['limit_s']:.1f}x",
            total <= GOAL_LIMIT_RATIO * row["limit_s"],
        ),
        (
            f"≥ {GOAL_NAIVE_RATIO}x faster than naive",
            f"{row['naive_s'] / total:.1f}x",
            row["naive_s"] >= GOAL_NAIVE_RATIO * total,
        ),
    )
    print(f"\ngoals at {row['n']:,} packets:")
    for goal, figure, met in checks:
        print(f"  {goal}: {figure}, {'met' if met else 'NOT MET'}")


# ---- main ---------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="packet counts, e.g. 100,1000,3321")
    parser.add_argument("--quick", action="store_true", help="100 packets only")
    parser.add_argument("--naive-sample", type=int, default=NAIVE_SAMPLE, help="packets openpyxl opens at most")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="also profile the import of N packets")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    sizes = [100] if args.quick else sorted({int(s) for s in args.sizes.split(",")})
    communes = all_communes()
    if max(sizes + [args.profile]) > len(communes):
        raise SystemExit(f"at most {len(communes):,} packets: one per commune")
    print(
        f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}; "
        f"temporary files in {tempfile.gettempdir()} (the import syncs the database to disk)"
    )
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
            row = measure(n, files, communes, work, args.naive_sample)
            households = sum(made[c.code][0] for c in communes[:n])
            if row["so_ho"] != households:
                raise SystemExit(f"merged so_ho {row['so_ho']} is not the generated {households}")
            print_size(row, args.naive_sample)
            rows.append(row)
        print_growth(rows)
        print_goals(rows[-1])
        last = rows[-1]
        figures = {
            "packets": last["n"],
            "import_s": last["import_s"],
            "merge_s": last["merge_s"],
            "limit_s": last["limit_s"],
            "naive_s": last["naive_s"],
            "ours_vs_limit_x": (last["import_s"] + last["merge_s"]) / last["limit_s"],
            "naive_vs_ours_x": last["naive_s"] / (last["import_s"] + last["merge_s"]),
            "peak_mb": last["peak_mb"],
            "db_mb": last["db_mb"],
        }
        if args.profile:
            build_upper(work / "profile.db", communes[: args.profile])
            folder = link_folder(packets_of(files, communes[: args.profile]), work / "goi-profile")
            print(f"\nimport of {args.profile} packets under cProfile, by cumulative then own time:")
            print(fresh(run_profiled, str(work / "profile.db"), str(folder), 30))
    print_figures(**figures)  # last, after any profile


if __name__ == "__main__":
    main()
