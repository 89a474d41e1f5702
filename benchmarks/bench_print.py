"""Big printouts: the merged table and the completeness matrix of 3,321 units (every commune of Vietnam since 2025),
printed to PDF by ui/printing.py, each in a fresh process (its time and peak memory), then read back with
pdfplumber and checked page by page: no row's text in the repeated header band, every unit once in each table,
every Stt number whole on one line, nothing below the text area.

The 3,321 units are made at the level of the printed document's data: the province demo database
(models/demo.build_upper_demo, for the letterhead and the footer), and a MergedTable and a Completeness built
directly with synthetic communes (codes T0001..., figures from models/demo.plausible_figures evaluated by the rule
engine) — what exports/paper/merged.py receives after a real merge of that many accepted packets; importing
3,321 packets is bench_inbox's subject, not this one's.

    python benchmarks/bench_print.py            # 3,321 units, 3 rounds, interleaved
    python benchmarks/bench_print.py --quick    # 300 units, one round

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES print_merged_3321_s=…
print_completeness_3321_s=… merged_peak_mb=… completeness_peak_mb=… merged_pages=… completeness_pages=…
completeness_rows_per_page=… (with --quick the names say 300 instead of 3321.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import print_figures  # noqa: E402

PARENT, FORM, PERIOD = "12", "kl224", "2024"
DAY = dt.date(2026, 2, 10)
PT_PER_MM = 72 / 25.4
STATES = ("RECEIVED", "LATE", "NOT_SENT", "FLAWED", "RECEIVED", "RETURNED", "RECEIVED")


def unit_name(n: int) -> str:
    return f"Xã Thử nghiệm T{n:04d}"


def big_units(count: int):
    from models.units import Unit

    return [Unit(f"9{n:04d}", unit_name(n), "xã", PARENT) for n in range(1, count + 1)]


def big_merged(gw, count: int):
    """The merged PrintedDocument of ``count`` communes, each with plausible figures of kl224."""
    from exports.collect.merge import MergedTable, UnitFigures, sum_figures
    from exports.paper.letterhead import page_settings
    from exports.paper.merged import merged_document
    from forms.engine import ReportData, evaluate
    from forms.library import default_library
    from models.demo import plausible_figures

    form = default_library().get(FORM)
    rng = random.Random(16)
    kinds = []
    for _ in range(40):  # forty different communes' figures, used in turn
        villages = [f"v{i}" for i in range(rng.randint(4, 12))]
        village_values, commune_values = plausible_figures(form, "xã", villages, rng)
        data = ReportData("xã", "xa", tuple(villages), village_values, commune_values)
        kinds.append(evaluate(form, data).figures)
    units = [UnitFigures(u, n, 1, kinds[n % len(kinds)]) for n, u in enumerate(big_units(count))]
    parent = gw.require_unit(PARENT)
    table = MergedTable(
        parent, form, gw.period(PERIOD), units, sum_figures(form, [u.figures for u in units]), [], None, []
    )
    return merged_document(gw, table, page_settings(gw, parent), printed_on=DAY)


def big_completeness(gw, count: int):
    from exports.collect.completeness import Collected, Completeness, State
    from exports.paper.letterhead import page_settings
    from exports.paper.merged import completeness_document
    from models.vocabulary import CollectionState

    units = big_units(count)
    states = {
        (u.code, FORM): State(
            CollectionState[STATES[n % len(STATES)]],
            sequence=1 if n % 3 else None,
            warnings=n % 4 or None,
        )
        for n, u in enumerate(units)
    }
    parent = gw.require_unit(PARENT)
    table = Completeness(parent, gw.period(PERIOD), [Collected(FORM, dt.date(2025, 1, 15))], units, states)
    return completeness_document(table, page_settings(gw, parent), printed_on=DAY)


def province(folder: Path) -> Path:
    from models.demo import build_upper_demo
    from models.gateway import Gateway

    db = folder / "tinh.db"
    if not db.exists():
        gw = Gateway.open(db)
        build_upper_demo(gw)
        gw.close()
    return db


def print_one(kind: str, count: int, db: Path, out: Path) -> dict:
    """In this process: build the document, print it; the print's seconds and the process's peak MB."""
    import resource

    from models.gateway import Gateway
    from ui.printing import ensure_application, write_pdf

    ensure_application()
    gw = Gateway.open(db)
    document = (big_merged if kind == "merged" else big_completeness)(gw, count)
    started = time.perf_counter()
    write_pdf(document, out)
    seconds = time.perf_counter() - started
    gw.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tables = sum(1 for block in document.blocks if getattr(block, "caption", "").startswith("PHỤ LỤC"))
    return {"seconds": seconds, "peak_mb": peak_mb, "tables": tables or 1}


def in_fresh_process(kind: str, count: int, db: Path, out: Path) -> dict:
    run = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(count), str(db), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if run.returncode:
        raise SystemExit(f"printing the {kind} table of {count} units failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# ---- reading the PDF back -----------------------------------------------------------------------


def check_pdf(path: Path, count: int, tables: int) -> dict:
    """Every page of a printout of ``count`` units in ``tables`` tables (the merged annex has several):
    raises AssertionError with the page at the first fault; the rows per page of a full page."""
    import pdfplumber

    seen: dict[int, int] = {}
    rows_per_page = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            faults = page_faults(page, seen)
            if isinstance(faults, str):
                raise AssertionError(f"{path.name}, page {page.page_number}: {faults}")
            rows_per_page.append(faults)
            page.close()  # pdfplumber keeps every page's objects otherwise: gigabytes at 800 pages
    wrong = {n: times for n, times in seen.items() if times != tables}
    missing = [n for n in range(1, count + 1) if n not in seen]
    assert not wrong and not missing and len(seen) == count, (
        f"{path.name}: units not printed {tables} time(s): {dict(list(wrong.items())[:5])}, missing {missing[:5]}"
    )
    return {"pages": len(rows_per_page), "rows_per_page": max(rows_per_page)}


def page_faults(page, seen: dict[int, int]) -> int | str:
    """The unit rows of one page counted into ``seen``; a sentence when the page is wrong. A page may hold
    the end of one table and the start of the next: each table is read under its own header."""
    words = page.extract_words()
    foot = page.height - 22 * PT_PER_MM
    units = [w for w in words if re.fullmatch(r"T\d{4}", w["text"])]
    if not units:
        return 0
    heads = sorted((w for w in words if w["text"] == "Stt"), key=lambda w: w["top"])
    if not heads or heads[0]["top"] > min(u["top"] for u in units):
        return "rows above the first header"
    counted = 0
    for n, head in enumerate(heads):
        below = heads[n + 1]["top"] if n + 1 < len(heads) else page.height
        found = _table_faults(page, head, [w for w in words if head["top"] <= w["top"] < below], foot, seen)
        if isinstance(found, str):
            return found
        counted += found
    return counted


def _table_faults(page, head, words, foot, seen) -> int | str:
    units = [w for w in words if re.fullmatch(r"T\d{4}", w["text"])]
    header_foot = min(
        (e["top"] for e in page.horizontal_edges if e["top"] > head["bottom"] + 0.5 and e["x0"] <= head["x0"]),
        default=None,
    )
    if header_foot is None:
        return "no rule under the header"
    left = max((e["x0"] for e in page.vertical_edges if e["x0"] < head["x0"] and e["top"] <= head["top"]), default=0)
    right = min(
        (e["x0"] for e in page.vertical_edges if e["x0"] > head["x1"] and e["top"] <= head["top"]), default=page.width
    )
    numbers = [w for w in words if left < w["x0"] and w["x1"] < right and re.fullmatch(r"\d+", w["text"])]
    for word in units + numbers:
        if word["top"] < header_foot:
            return f"“{word['text']}” is in the header band (top {word['top']:.1f} < {header_foot:.1f})"
        if word["bottom"] > foot:
            return f"“{word['text']}” is below the text area"
    for unit in units:
        n = int(unit["text"][1:])
        stt = [int(w["text"]) for w in numbers if abs(w["top"] - unit["top"]) < 3]
        if stt != [n]:
            return f"unit T{n:04d} has Stt {stt} on its line (a number wrapped or out of place)"
        seen[n] = seen.get(n, 0) + 1
    if len(numbers) != len(units):
        return f"{len(numbers)} Stt numbers for {len(units)} units: a number wrapped onto two lines"
    return len(units)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 units, one round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--one", nargs=4, metavar=("KIND", "COUNT", "DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, count, db, out = args.one
        print(json.dumps(print_one(kind, int(count), Path(db), Path(out))))
        return
    count = 300 if args.quick else args.units
    rounds = 1 if args.quick else args.rounds
    with tempfile.TemporaryDirectory(prefix="bench-print-") as scratch:
        folder = Path(scratch)
        db = province(folder)
        runs: dict[str, list[dict]] = {"merged": [], "completeness": []}
        for round_ in range(rounds):
            for kind in ("merged", "completeness"):  # interleaved
                out = folder / f"{kind}-{round_}.pdf"
                runs[kind].append(in_fresh_process(kind, count, db, out))
                last = runs[kind][-1]
                print(f"round {round_ + 1} {kind}: {last['seconds']:.1f} s, {last['peak_mb']:.0f} MB", flush=True)
        tables = runs["merged"][0]["tables"]
        merged = check_pdf(folder / "merged-0.pdf", count, tables)
        matrix = check_pdf(folder / "completeness-0.pdf", count, 1)
        print(
            f"merged: {merged['pages']} pages, {tables} annex tables; completeness: {matrix['pages']} pages,"
            f" {matrix['rows_per_page']} rows on a full page; every page checked"
        )
    median = {kind: statistics.median(r["seconds"] for r in found) for kind, found in runs.items()}
    peak = {kind: max(r["peak_mb"] for r in found) for kind, found in runs.items()}
    print_figures(
        **{
            f"print_merged_{count}_s": median["merged"],
            f"print_completeness_{count}_s": median["completeness"],
            "merged_peak_mb": peak["merged"],
            "completeness_peak_mb": peak["completeness"],
            "merged_pages": merged["pages"],
            "completeness_pages": matrix["pages"],
            "completeness_rows_per_page": matrix["rows_per_page"],
        }
    )


if __name__ == "__main__":
    main()
