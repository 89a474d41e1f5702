"""Blocks of cells copied from Excel or LibreOffice, as text.

Rows end in newlines, cells are separated by tabs; a cell holding a newline
comes quoted. Merged cells arrive as the value followed by empty cells.
"""

from __future__ import annotations

import csv
import io


def parse_block(text: str) -> list[list[str]]:
    """The rectangle of cell texts; short rows are padded with empty cells."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    if not text:
        return []
    rows = [
        [cell.replace("\u00a0", " ").strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter="\t")
    ]
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def block_text(rows: list[list[str]]) -> str:
    """Cells as Excel expects them on the clipboard."""
    return "\n".join("\t".join(row) for row in rows) + "\n"
