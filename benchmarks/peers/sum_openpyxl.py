"""A province officer's script: openpyxl, read_only, one pass over each packet's own bieu.xlsx.

python sum_openpyxl.py FOLDER     # prints one JSON line (benchmarks/peers/officer.py)
"""

from __future__ import annotations

import io

from officer import add_row, run
from openpyxl import load_workbook


def sum_books(books) -> dict:
    totals = {}
    for data in books:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for row in book.worksheets[0].iter_rows(values_only=True):
            add_row(totals, row)
        book.close()
    return totals


if __name__ == "__main__":
    run(sum_books)
