"""A province officer's script: pandas.read_excel(engine="calamine") on each packet's bieu.xlsx, one groupby.

    python sum_pandas.py FOLDER       # prints one JSON line (benchmarks/peers/officer.py)

Each sheet “Biểu” is read whole (header=None), columns A, D and E kept; the
frames are concatenated and summed per Stt once at the end, as pandas is
meant to be used (not a groupby per packet).
"""

from __future__ import annotations

import io

import pandas as pd
from officer import run


def sum_books(books) -> dict:
    frames = []
    for data in books:
        sheet = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, engine="calamine")
        frames.append(sheet.iloc[:, [0, 3, 4]].set_axis(["stt", "tong", "dat"], axis=1))
    rows = pd.concat(frames, ignore_index=True)
    numbers = rows[["tong", "dat"]].apply(pd.to_numeric, errors="coerce")
    indicator = numbers.notna().any(axis=1)
    sums = numbers[indicator].fillna(0).groupby(rows["stt"][indicator].astype(str), sort=False).sum()
    return {stt: [float(tong), float(dat)] for stt, tong, dat in sums.itertuples()}


if __name__ == "__main__":
    run(sum_books)
