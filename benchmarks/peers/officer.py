"""What each officer's script shares: every packet of a folder, its bieu.xlsx read from memory, sums per row.

Run by the peers' own Python (benchmarks/peers/venv.py), so it imports
nothing of the program: a script an officer could write, given the packets.
Each script calls ``run(sum_sheet)``; ``sum_sheet(xlsx_bytes)`` gives the
sheet “Biểu”'s numbers of one packet as {Stt: [Tổng số, Số đạt]} (columns A,
D and E of each indicator row), which run() adds up over the packets. The
last line printed is JSON: seconds (from the first file read to the totals,
imports apart, as for ours), packets, peak_mb of the process and the totals.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import zipfile
from pathlib import Path

FORM_XLSX = "bieu.xlsx"


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def add_row(totals: dict[str, list[float]], row) -> None:
    """Row = the sheet's cells from column A; an indicator row has a number in D or E."""
    if len(row) < 5 or not (is_number(row[3]) or is_number(row[4])):
        return
    sums = totals.setdefault(str(row[0]), [0, 0])
    for i, value in enumerate(row[3:5]):
        if is_number(value):
            sums[i] += value


def run(sum_books) -> None:
    """``sum_books(iterable of xlsx bytes)`` -> {Stt: [Tổng số, Số đạt]} over all the packets."""
    files = sorted(Path(sys.argv[1]).glob("*.sctg"))
    start = time.perf_counter()

    def books():
        for path in files:
            with zipfile.ZipFile(path) as archive:
                yield archive.read(FORM_XLSX)

    totals = sum_books(books())
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "packets": len(files), "peak_mb": peak_mb, "totals": totals}))
