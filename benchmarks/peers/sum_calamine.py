"""A province officer's script: python-calamine alone, each packet's bieu.xlsx as rows of Python values.

python sum_calamine.py FOLDER     # prints one JSON line (benchmarks/peers/officer.py)
"""

from __future__ import annotations

import io

from officer import add_row, run
from python_calamine import CalamineWorkbook


def sum_books(books) -> dict:
    totals = {}
    for data in books:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        for row in sheet.to_python():
            add_row(totals, row)
    return totals


if __name__ == "__main__":
    run(sum_books)
