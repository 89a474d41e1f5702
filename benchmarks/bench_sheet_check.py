"""Speed of the sheet check (bieu.xlsx against so-lieu.json), printed as figures (never asserted in tests).

    .venv/bin/python benchmarks/bench_sheet_check.py [--quick]

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES check_ms=… read_ms=…
openpyxl_ro_ms=… etree_ms=… refused_ms=… openpyxl_vs_check_x=… province_s=… villages=… calamine_ms=…

It runs on every packet the upper level imports, 3,321 of them at a
province that collects from every commune in the country; the goal is well
under a millisecond for a 60-village packet, a few at most. On the packet of
the demo's Xã Sìn Hồ (kl224, 2025, 60 villages, with targets), written by
export_packet, in interleaved rounds over the same bytes (median per call):

- ours: exports/packets/sheet_check.sheet_problem, the whole check (read the
  workbook, refuse what the program does not write, compare every cell);
- ours, reading alone: exports/packets/sheet_read.read_sheets;
- openpyxl read_only reading every cell's value and type (what a competent
  user would pick; the comparison would come on top);
- the standard library the plain way: zipfile and ElementTree parsing every
  sheet and listing its cells (what a careful reader without regular
  expressions pays);
- python-calamine reading every cell's value (Rust; a test dependency here,
  not in the program or its bundle; left out when it is not installed);
- ours on the same packet with every number ×10, refused (the slow path that
  names the cell).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import statistics
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import per_call_ms, print_figures  # noqa: E402

from exports.packets.format import DATA_JSON, FORM_XLSX  # noqa: E402
from exports.packets.sheet_check import sheet_problem  # noqa: E402
from exports.packets.sheet_read import read_sheets  # noqa: E402
from exports.packets.write import export_packet  # noqa: E402
from forms.library import default_library  # noqa: E402
from models.demo import build_demo  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.keys import create_unit_key  # noqa: E402
from models.reporting import view_report  # noqa: E402

COMMUNE, FORM, PERIOD, TARGETS = "03478", "kl224", "2025", "muong-te-2025"
PASSPHRASE = "do-thu-toc-do"
AT = dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
PROVINCE_PACKETS = 3321
ROUNDS, CALLS = 40, 25  # --quick: 3 rounds of 5 calls
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def demo_packet(folder: Path) -> tuple[bytes, dict, object, int]:
    """bieu.xlsx, so-lieu.json (parsed), the form and the number of villages of Xã Sìn Hồ's packet."""
    library = default_library()
    gw = Gateway.open(folder / "bench.db")
    try:
        build_demo(gw, library)
        create_unit_key(gw, COMMUNE, PASSPHRASE, "Người đo", replace=True)  # the demo gave Sìn Hồ a key of its own
        form = library.get(FORM)
        view = view_report(gw, gw.find_report(COMMUNE, FORM, PERIOD), form, TARGETS)
        path = export_packet(gw, view, PASSPHRASE, folder, at=AT).path
    finally:
        gw.close()
    with zipfile.ZipFile(path) as archive:
        return archive.read(FORM_XLSX), json.loads(archive.read(DATA_JSON)), form, len(view.villages)


def openpyxl_read_only(xlsx: bytes) -> int:
    workbook = load_workbook(io.BytesIO(xlsx), read_only=True)
    seen = sum(1 for ws in workbook.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None)
    workbook.close()
    return seen


def etree_cells(xlsx: bytes) -> int:
    seen = 0
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                for cell in ElementTree.fromstring(archive.read(name)).iter(f"{MAIN}c"):
                    seen += (
                        cell.find(f"{MAIN}f") is None
                        and (cell.findtext(f"{MAIN}v") or cell.findtext(f"{MAIN}is/{MAIN}t")) is not None
                    )
    return seen


def calamine_reader():
    """python-calamine's reading of every cell, or None when it is not installed."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None

    def read(xlsx: bytes) -> int:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(xlsx))
        return sum(len(workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names)

    return read


def times_ten(xlsx: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb"<v>([0-9]+)</v>", lambda m: b"<v>%d</v>" % (int(m.group(1)) * 10), data)
            target.writestr(name, data)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of 5 calls, to see that it still works")
    quick = parser.parse_args().quick
    rounds, calls = (3, 5) if quick else (ROUNDS, CALLS)
    with tempfile.TemporaryDirectory() as folder:
        xlsx, data, form, villages = demo_packet(Path(folder))
    tampered = times_ten(xlsx)
    if sheet_problem(xlsx, data, form) is not None or sheet_problem(tampered, data, form) is None:
        raise SystemExit("the genuine sheet must pass and the one ×10 be refused: the check is broken")
    candidates = {
        "check": lambda: sheet_problem(xlsx, data, form),
        "read": lambda: read_sheets(xlsx),
        "openpyxl_ro": lambda: openpyxl_read_only(xlsx),
        "etree": lambda: etree_cells(xlsx),
        "refused": lambda: sheet_problem(tampered, data, form),
    }
    calamine = calamine_reader()
    if calamine is not None:
        candidates["calamine"] = lambda: calamine(xlsx)
    for work in candidates.values():
        work()  # warm imports and caches
    timings: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):  # interleaved: a slow moment of the machine falls on all of them
        for name, work in candidates.items():
            timings[name].append(per_call_ms(work, calls))
    ms = {name: statistics.median(values) for name, values in timings.items()}
    size = len(xlsx) / 1024
    print(f"bieu.xlsx of {villages} villages ({size:.0f} KB), median of {rounds} rounds of {calls} calls:")
    print(f"  ours, the whole check:        {ms['check']:.2f} ms (goal well under 1 ms, a few at most)")
    print(f"  ours, reading alone:          {ms['read']:.2f} ms")
    print(f"  openpyxl read_only, reading:  {ms['openpyxl_ro']:.2f} ms ({ms['openpyxl_ro'] / ms['check']:.1f}x ours)")
    print(f"  zipfile + ElementTree:        {ms['etree']:.2f} ms ({ms['etree'] / ms['check']:.1f}x ours)")
    if calamine is not None:
        print(f"  python-calamine, reading:     {ms['calamine']:.2f} ms ({ms['calamine'] / ms['check']:.1f}x ours)")
    print(f"  ours, every number ×10:       {ms['refused']:.2f} ms, refused naming the cell")
    print(f"  {PROVINCE_PACKETS:,} packets at a province: {ms['check'] * PROVINCE_PACKETS / 1000:.1f} s of checking")
    figures = {
        "check_ms": ms["check"],
        "read_ms": ms["read"],
        "openpyxl_ro_ms": ms["openpyxl_ro"],
        "etree_ms": ms["etree"],
        "refused_ms": ms["refused"],
        "openpyxl_vs_check_x": ms["openpyxl_ro"] / ms["check"],
        "province_s": ms["check"] * PROVINCE_PACKETS / 1000,
        "villages": villages,
    }
    if calamine is not None:
        figures["calamine_ms"] = ms["calamine"]
    print_figures(**figures)


if __name__ == "__main__":
    main()
