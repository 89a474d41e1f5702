"""Where the pages break, from measured heights, in one pass down the document.

ui/printing.py lays the whole document out once, without pages, and measures
each piece: the letterhead and title, each paragraph, each table's caption,
header and rows, the signature block. Heights do not depend on where a page
breaks (each column's width is fixed), so the pages are cut here by adding
heights, and each page is then laid out on its own: a table that runs on
starts a new table under the same header on the next page, so no row is
ever split and nothing is drawn over a header. A caption goes with its
table's first row; a section title row goes with the row after it; the
signature block goes whole, and never alone, to the next page with the last
rows of the table above it (Nghị định 30/2020); an unsigned annex has none.
No Qt here: only numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from exports.paper.page import Piece, PrintedDocument, Table

KEPT_WITH_SIGNATURE = 3  # rows of the last table that go over with the signature block


@dataclass(frozen=True)
class Flow:
    """A paragraph (or the letterhead, or the signature): its own height, and how far the next piece starts below
    its top (its height and the space after it)."""

    height: float
    advance: float


@dataclass(frozen=True)
class TableHeights:
    caption: float  # from the caption's top to the table's (0 without a caption)
    header: float  # from the table's top to its first body row: the top rule and the header rows
    rows: tuple[float, ...]  # each body row, from its top to the next row's
    close: float  # under the last row of a table cut at a page break: the bottom rule
    after: float  # from the foot of the last row to the next piece


@dataclass(frozen=True)
class Heights:
    prelude: Flow
    blocks: tuple[Flow | TableHeights, ...]  # one per document block
    signature: Flow


def paginate(document: PrintedDocument, heights: Heights, page_height: float) -> list[list[Piece]]:
    """The pieces of each page, in order; every body row of every table on exactly one page."""
    pages = _cut(document, heights, page_height, frozenset())
    last = _last_long_table(document)
    if last is not None and len(pages) > 1 and pages[-1] == [("signature",)]:  # it would stand alone
        table = document.blocks[last]
        row = table.page_break_before(len(table.body) - KEPT_WITH_SIGNATURE)
        above = [p for p in pages[-2] if p[0] == "table" and p[1] == last and p[3] == len(table.body)]
        if above and above[0][2] < row:
            pages = _cut(document, heights, page_height, frozenset({(last, row)}))
    return pages


def _last_long_table(document: PrintedDocument) -> int | None:
    tables = [i for i, b in enumerate(document.blocks) if isinstance(b, Table) and len(b.body) > KEPT_WITH_SIGNATURE]
    return tables[-1] if tables else None


def _cut(document: PrintedDocument, heights: Heights, page_height: float, forced) -> list[list[Piece]]:
    pages: list[list[Piece]] = [[("prelude",)]]
    y = heights.prelude.advance

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = 0.0

    for index, block in enumerate(document.blocks):
        measured = heights.blocks[index]
        if not isinstance(block, Table):
            if pages[-1] and y + measured.height > page_height:
                new_page()
            pages[-1].append(("paragraph", index))
            y += measured.advance
            continue
        count, start = len(block.body), 0
        if count == 0:
            if pages[-1] and y + measured.caption + measured.header + measured.close > page_height:
                new_page()
            pages[-1].append(("table", index, 0, 0))
            y += measured.caption + measured.header + measured.after
            continue
        while start < count:
            top = (measured.caption if start == 0 else 0.0) + measured.header
            used, end = 0.0, start
            while end < count and y + top + used + measured.rows[end] + measured.close <= page_height:
                used += measured.rows[end]
                end += 1
                if (index, end) in forced:
                    break
            if end < count and (index, end) not in forced:
                kept = block.page_break_before(end)  # a section title goes with the row after it
                if kept > start:
                    used -= sum(measured.rows[kept:end])
                    end = kept
            if end == start:
                if pages[-1]:
                    new_page()  # not one row fits under the header here: the table starts on the next page
                    continue
                end, used = start + 1, measured.rows[start]  # a row taller than a page: alone on its page
            pages[-1].append(("table", index, start, end))
            if end < count:
                new_page()
            else:
                y += top + used + measured.after
            start = end
    if pages[-1] and heights.signature.height and y + heights.signature.height > page_height:
        new_page()  # an unsigned annex has nothing there: 0 high
    pages[-1].append(("signature",))
    return pages
