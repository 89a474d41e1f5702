"""Big printouts: the merged table and the completeness matrix of 300 units (and the matrix of 1,010),
printed to PDF by ui/printing.py and read back page by page with pdfplumber (no row's text in the header
band, every unit once in each table, every Stt number whole on its row's line, nothing below the text
area); each page laid out on its own fits its page. The units are made as benchmarks/bench_print.py makes
its 3,321 (which see); the cut of the pages itself, from heights alone, is checked without Qt.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

import pdfplumber
import pytest
from testkit import ROOT

from exports.paper.page import Cell, Footer, Letterhead, Paragraph, PrintedDocument, SignatureBlock, Table
from exports.paper.pagination import Flow, Heights, TableHeights, paginate

sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_print import big_completeness, big_merged, check_pdf  # noqa: E402

UNITS = 300


@pytest.fixture(scope="module")
def province_db(upper_template):
    return upper_template


@pytest.mark.slow
@pytest.mark.parametrize("kind, units", [("merged", UNITS), ("completeness", UNITS), ("completeness", 1010)])
def test_big_printouts_print_every_row_once_under_an_unbroken_header(qapp, province_db, tmp_path, kind, units):
    """1,010 units: Stt numbers of four digits, which a 10 mm column wrapped (this check failed on it)."""
    from models.gateway import Gateway
    from ui.printing import write_pdf

    gw = Gateway.open(province_db)
    document = (big_merged if kind == "merged" else big_completeness)(gw, units)
    gw.close()
    tables = sum(1 for block in document.blocks if isinstance(block, Table) and block.caption) or 1
    path = write_pdf(document, tmp_path / f"{kind}.pdf")
    found = check_pdf(path, units, tables)
    # A full page: 23 one-line rows fit under the header on landscape (merged), 34 on portrait (completeness).
    assert found["pages"] > 5 and found["rows_per_page"] >= (23 if kind == "merged" else 34), found


@pytest.mark.slow
def test_every_page_laid_out_on_its_own_fits_its_page(qapp, province_db):
    from PySide6.QtPrintSupport import QPrinter

    from models.gateway import Gateway
    from ui.printing import laid_out_pages, setup_printer

    gw = Gateway.open(province_db)
    documents = [big_merged(gw, 120), big_completeness(gw, 120)]
    gw.close()
    for document in documents:
        printer = setup_printer(QPrinter(QPrinter.PrinterMode.HighResolution), document)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        pages = laid_out_pages(document, printer)
        assert len(pages) > 3
        assert [page.pageCount() for page in pages] == [1] * len(pages)


# ---- the cut, from heights alone ----------------------------------------------------------------------


def document(*blocks) -> PrintedDocument:
    return PrintedDocument(
        name="thu",
        letterhead=Letterhead("", "Đảng ủy", "Số 1", "Mường Tè", dt.date(2025, 1, 5)),
        title="Thử",
        subtitles=(),
        blocks=blocks,
        signature=SignatureBlock("", "Bí thư", "Lò Văn Hùng"),
        footer=Footer("Chân trang"),
    )


def table(rows: int, caption: str = "", headings: frozenset[int] = frozenset()) -> Table:
    body = tuple((Cell(str(n)), Cell("x")) for n in range(rows))
    return Table((10.0, 50.0), ((Cell("Stt"), Cell("Nội dung")),), body, caption=caption, headings=headings)


def heights(rows: list[float], caption: float = 0.0, signature: float = 30.0, paragraphs: int = 0) -> Heights:
    return Heights(
        prelude=Flow(40.0, 40.0),
        blocks=(*(Flow(10.0, 12.0) for _ in range(paragraphs)), TableHeights(caption, 15.0, tuple(rows), 1.0, 3.0)),
        signature=Flow(signature, signature),
    )


def page_height(pieces, measured: Heights, doc: PrintedDocument) -> float:
    total = 0.0
    for piece in pieces:
        if piece[0] == "prelude":
            total += measured.prelude.advance
        elif piece[0] == "paragraph":
            total += measured.blocks[piece[1]].advance
        elif piece[0] == "signature":
            total += measured.signature.height
        else:
            t = measured.blocks[piece[1]]
            total += (t.caption if piece[2] == 0 else 0) + t.header + sum(t.rows[piece[2] : piece[3]]) + t.close
    return total


@pytest.mark.parametrize("rows", [1, 4, 5, 37, 100, 1000])
@pytest.mark.parametrize("paragraphs", [0, 3, 9])
def test_every_row_on_exactly_one_page_and_no_page_overfull(rows, paragraphs):
    doc = document(*(Paragraph("p"),) * paragraphs, table(rows))
    measured = heights([8.0 + (n % 5) for n in range(rows)], paragraphs=paragraphs)
    pages = paginate(doc, measured, 200.0)
    cut = [(p[2], p[3]) for page in pages for p in page if p[0] == "table"]
    assert [r for a, b in cut for r in range(a, b)] == list(range(rows))
    assert all(a < b for a, b in cut)
    for page in pages:
        assert page_height(page, measured, doc) <= 200.0 + 3.0, page  # + the gap after a table's end
    assert pages[0][0] == ("prelude",) and pages[-1][-1] == ("signature",)


def test_a_section_title_goes_to_the_next_page_with_its_row():
    doc = document(table(30, headings=frozenset({13})))
    pages = paginate(doc, heights([10.0] * 30), 200.0)  # 14 rows fit on the first page: row 13 would end it
    assert pages[0][1] == ("table", 0, 0, 13) and pages[1][0][:3] == ("table", 0, 13)
    assert paginate(document(table(30)), heights([10.0] * 30), 200.0)[0][1] == ("table", 0, 0, 14)


def test_a_caption_goes_with_the_first_row_of_its_table():
    doc = document(*(Paragraph("p"),) * 12, table(5, caption="PHỤ LỤC"))
    pages = paginate(doc, heights([10.0] * 5, caption=12.0, paragraphs=12), 200.0)
    assert pages[1][0] == ("table", 12, 0, 5)  # 40 + 12 * 12 = 184: caption, header and a row do not fit below


def test_the_signature_takes_the_last_rows_of_the_table_with_it():
    doc = document(table(14))
    pages = paginate(doc, heights([10.0] * 14), 200.0)  # 40 + 15 + 140 + 3: the signature does not fit below
    assert pages == [[("prelude",), ("table", 0, 0, 11)], [("table", 0, 11, 14), ("signature",)]]


@pytest.mark.slow
def test_rows_of_several_lines_among_one_line_rows_are_measured_and_each_page_fits(qapp, tmp_path):
    """Beyond the first rows, a row the font says may not fit one line is laid out to be measured."""
    from PySide6.QtPrintSupport import QPrinter

    from ui.printing import laid_out_pages, setup_printer, write_pdf

    long = " ".join(["Nội dung dài của dòng"] * 8)
    body = tuple(
        (Cell(str(n), "center"), Cell(f"Dòng {n}" + (f": {long}" if n % 7 == 0 else "")), Cell(str(n * 3), "right"))
        for n in range(1, 161)
    )
    head = ((Cell("Stt", "center", bold=True), Cell("Nội dung", "center", bold=True), Cell("Số", bold=True)),)
    doc = document(Table((12.0, 120.0, 25.0), head, body))
    printer = setup_printer(QPrinter(QPrinter.PrinterMode.HighResolution), doc)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    pages = laid_out_pages(doc, printer)
    assert len(pages) > 5 and [page.pageCount() for page in pages] == [1] * len(pages)

    with pdfplumber.open(write_pdf(doc, tmp_path / "tron.pdf")) as pdf:
        text = " ".join(page.extract_text() for page in pdf.pages)
    assert [int(n) for n in re.findall(r"Dòng (\d+)", text)] == list(range(1, 161))
