"""How every workbook we write is set: Times New Roman on A4, cells that
hold text as text (never a formula), numbers with Vietnamese dots, rows as
tall as their wrapped text, blocks kept on one page, a footer, and the same
bytes for the same content (fixed dates and zip entry times): the form
(xlsx_form.py), the merged table and the completeness matrix are built on it.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import weakref
import zipfile
from copy import copy
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from forms import vnformat
from models.periods import Period
from models.reporting import ReportView

FONT_NAME = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
SMALL_PT = 11
LINE_HEIGHT = 1.2  # points of row per point of font

GRID_WIDTHS = (6, 28)  # Stt, the row's name; then one column per figure
GRID_VALUE_WIDTH = 11

# Leading characters that make Excel or LibreOffice read a typed cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
A4_LONG_PT, A4_SHORT_PT = 841.89, 595.28
MARGINS = PageMargins(left=0.6, right=0.5, top=0.6, bottom=0.8, header=0.3, footer=0.3)  # footer cut off otherwise
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o100644 << 16  # a regular file, rw-r--r--

_THIN = Side(style="thin")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
PLAIN = Alignment(horizontal="left", vertical="center")
_STYLE_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def new_workbook() -> Workbook:
    """An empty workbook whose default style is Times New Roman, not Calibri.

    Every cell not written (and LibreOffice's default cell style) takes the
    workbook's first font; Calibri is not on Linux and prints in another
    face. openpyxl has no public way to change it: the font list and the
    “Normal” style are set directly, before any cell is styled.
    """
    wb = Workbook()
    default = Font(name=FONT_NAME, size=11)  # 11 pt keeps Excel's column width unit (7 px a digit)
    wb._fonts = IndexedList([default])
    wb._named_styles["Normal"].font = default
    return wb


def workbook_bytes(wb: Workbook, signed_on: dt.date, title: str) -> bytes:
    """Saved with the document dates of ``signed_on``: the same workbook, the same bytes."""
    stamp = dt.datetime.combine(signed_on, dt.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "Sổ Chỉ Tiêu"
    wb.properties.title = title
    return _deterministic_zip(wb)


# ---- cells -------------------------------------------------------------------


def put_text(ws: Worksheet, row: int, column: int, text: str, font: Font, align: Alignment = PLAIN) -> Cell:
    """A cell that holds ``text`` as text, whatever it starts with.

    openpyxl turns a str starting with "=" into a formula; names and reasons
    come from people, so the type is forced and the quote prefix keeps Excel
    from re-reading "=", "+", "-" or "@" as a formula when the cell is edited.
    """
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = ws.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"
    quoted = {"quotePrefix": True} if text.startswith(FORMULA_STARTS) else {}
    set_styles(cell, **quoted, font=font, alignment=align)
    return cell


def number_format(value: int) -> str:
    """Thousands with literal dots: a "," in a format follows the PC's locale."""
    groups = (len(str(abs(value))) - 1) // 3
    return "0" if groups == 0 else "#" + r"\.###" * (groups - 1) + r"\.##0"


def put_number(ws: Worksheet, row: int, column: int, value, font: Font) -> Cell:
    if isinstance(value, float) and not value.is_integer():
        # Never typed (counts and đồng are whole); shown as text rather than rounded away.
        return put_text(ws, row, column, vnformat.number(value), font, RIGHT)
    cell = ws.cell(row=row, column=column, value=int(value))
    set_styles(cell, number_format=number_format(int(value)), font=font, alignment=RIGHT)
    return cell


PERCENT_FORMAT = "0.0"  # the PC's decimal mark: 88,9 on a Vietnamese Windows, 88.9 elsewhere


def percent_number(value: float) -> float:
    """88.888… -> 88.9: rounded as vnformat.percent() rounds (half up), kept a number Excel computes with."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP))


def put_percent(ws: Worksheet, row: int, column: int, value: float, font: Font) -> Cell:
    """A percentage as a number with one decimal (“Tỷ lệ (%)” says the unit): 88.9, not the text “88,9”."""
    cell = ws.cell(row=row, column=column, value=percent_number(value))
    set_styles(cell, number_format=PERCENT_FORMAT, font=font, alignment=RIGHT)
    return cell


# A change in whole percent, with its sign: 25 prints +25 under “Thay đổi (%)”. Not Excel's “%” format,
# which prints the cell's value times 100: every format the sheet check allows prints a number as it is.
CHANGE_FORMAT = "+0;-0;0"


@dataclass(frozen=True)
class Change:
    """A figure's change against the previous period, as a share (0.25 for a quarter more): a grid
    cell that holds it in whole percent, printed “+25” under a heading that says “(%)”."""

    share: float

    @property
    def number(self) -> float:
        """In percent, rounded to a whole one, half up as people round by hand."""
        return change_number(self.share)


def change_number(share: float) -> int:
    return int((Decimal(repr(float(share))) * 100).quantize(Decimal("1"), ROUND_HALF_UP))


def set_style(cell: Cell, attr: str, value) -> None:
    """``cell.<attr> = value``, remembered per workbook (set_styles)."""
    set_styles(cell, **{attr: value})


def set_styles(cell: Cell, **attrs) -> None:
    """``cell.<attr> = value`` for each one given, remembered per workbook.

    openpyxl hashes the whole style object on every assignment, which was
    most of the time of a 60-village sheet; a cell that reaches a known
    combination copies the finished style indices instead, in one look-up
    for all the attributes (a province's table styles a hundred thousand).
    """
    cache = _STYLE_CACHES.setdefault(cell.parent.parent, {})
    given = tuple((attr, value if isinstance(value, (str, bool)) else id(value)) for attr, value in attrs.items())
    key = (tuple(cell._style or ()), given)
    found = cache.get(key)
    if found is None:
        for attr, value in attrs.items():
            setattr(cell, attr, value)
        cache[key] = copy(cell._style)
    else:
        cell._style = copy(found)


def number_width(values: list, least: float) -> float:
    """Wide enough for the longest figure: Excel prints ### rather than cut a number."""
    shown = [vnformat.number(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return max([least] + [len(text) * 0.95 + 2.5 for text in shown])


@cache  # one object per style: set_style() knows styles by identity
def font_of(size: int = BODY_PT, *, bold: bool = False, italic: bool = False, underline: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, underline="single" if underline else None)


def merge_text(ws: Worksheet, row: int, first: int, last: int, text: str, font: Font, align: Alignment) -> Cell:
    cell = put_text(ws, row, first, text, font, align)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return cell


def box_row(ws: Worksheet, row: int, first: int, last: int) -> None:
    for column in range(first, last + 1):
        cell = ws.cell(row=row, column=column)
        set_style(cell, "border", BOX)
        if cell.value is None:
            set_style(cell, "font", font_of(TABLE_PT))


def fit_heights(ws: Worksheet) -> None:
    """Give every row the height of its tallest cell.

    Neither Excel nor LibreOffice grows a row for wrapped text in merged
    cells, and LibreOffice does not grow any row of an xlsx it opens, so the
    lines are counted here from the column widths, erring on the tall side.
    Every height is set so that keep_together() can tell where pages end.
    """
    spans = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}
    # The workbook's style lists read directly: cell.font and cell.alignment build a proxy object on
    # every read, which was a fifth of writing a packet's form.
    fonts, alignments = ws.parent._fonts, ws.parent._alignments
    widths: dict[tuple[int, int], float] = {}
    for cells in ws.iter_rows():
        height = TABLE_PT * LINE_HEIGHT + 3
        for cell in cells:
            if isinstance(cell.value, str) and cell.value:
                font = fonts[cell._style.fontId]
                lines = 1
                if alignments[cell._style.alignmentId].wrap_text:
                    span = (cell.column, spans.get((cell.row, cell.column), cell.column))
                    if span not in widths:
                        widths[span] = span_width(ws, *span)
                    lines = line_count(cell.value, widths[span], font.sz, bool(font.b))
                height = max(height, lines * font.sz * LINE_HEIGHT + 3)
        ws.row_dimensions[cells[0].row].height = round(height, 1)


def span_width(ws: Worksheet, first: int, last: int) -> float:
    return sum(ws.column_dimensions[get_column_letter(c)].width for c in range(first, last + 1))


def keep_together(ws: Worksheet, first: int, last: int, title_rows: range) -> None:
    """Start a new page before rows first..last if a page could end inside them.

    A signature must not be split from its title, and Excel has no "keep
    with next". Both programs shrink the sheet to the page width, each
    measuring a column a little differently (and fonts vary), so the pages
    are laid out for a spread of scales around both, and the break is made
    if any of them would split the block: at worst a page ends early.
    """
    columns = ws.max_column
    units = span_width(ws, 1, columns)
    for width_px in (units * 7 + 5 * columns, units * 7.45):  # Excel (7 px a unit + padding); LibreOffice
        scale = min(1.0, (A4_LONG_PT - 72 * (MARGINS.left + MARGINS.right)) / (width_px * 0.75))
        room = (A4_SHORT_PT - 72 * (MARGINS.top + MARGINS.bottom)) / scale
        for step in range(-8, 9):
            fitted = room * (1 + step / 200)  # within 4 % either way
            if page_of(ws, first, fitted, title_rows) != page_of(ws, last, fitted, title_rows):
                ws.row_breaks.append(Break(id=first - 1))
                return


def page_of(ws: Worksheet, target: int, room: float, title_rows: range) -> int:
    """The page row ``target`` prints on, rows never being split across pages."""
    empty = TABLE_PT * LINE_HEIGHT + 3  # a row past the last written one (a signature line left blank)
    repeated = sum(ws.row_dimensions[r].height or empty for r in title_rows)
    page, used = 1, 0.0
    for row in range(1, target + 1):
        height = ws.row_dimensions[row].height or empty
        if used + height > room:
            page, used = page + 1, repeated
        used += height
    return page


def line_count(text: str, width: float, size: float, bold: bool) -> int:
    # Measured in LibreOffice with Calibri's metrics (Excel's width unit): a
    # 55-wide column holds about 58 characters of 12 pt Times New Roman.
    per_char = 0.95 * size / TABLE_PT * (1.3 if text.isupper() else 1.1 if bold else 1.0)
    chars = max(int(width / per_char), 4)
    if len(text) <= chars and "\n" not in text:
        return 1  # most cells: no need to wrap words
    return sum(len(textwrap.wrap(part, chars)) or 1 for part in text.split("\n"))


# ---- tables and pages -------------------------------------------------------------


def grid_sheet(ws: Worksheet, title: str, headings: list[str], rows: list[list]) -> None:
    """A numbered table under a title: the first column names the row, the others hold
    numbers (shown with Vietnamese dots), changes (Change, shown +25) or short texts; the heading
    repeats on every page."""
    numbers = [[v for v in row[1:]] for row in rows]
    widths = [*GRID_WIDTHS] + [
        number_width([r[i] for r in numbers], GRID_VALUE_WIDTH) for i in range(len(headings) - 1)
    ]
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    last = len(widths)
    merge_text(ws, 1, 1, last, title, font_of(bold=True), CENTER)
    header = 3
    for column, text in enumerate(["Stt", *headings], start=1):
        put_text(ws, header, column, text, font_of(TABLE_PT, bold=True), CENTER)
    box_row(ws, header, 1, last)
    font = font_of(TABLE_PT)
    for n, cells in enumerate(rows, start=1):
        # Each cell styled in one look-up, its box included: a province's table has a hundred thousand.
        row = header + n
        stt = ws.cell(row=row, column=1, value=n)
        set_styles(stt, number_format=number_format(n), font=font, alignment=CENTER, border=BOX)
        set_style(put_text(ws, row, 2, cells[0], font, LEFT), "border", BOX)
        for column, value in enumerate(cells[1:], start=3):
            if isinstance(value, str) and value:
                set_style(put_text(ws, row, column, value, font, CENTER), "border", BOX)
            elif isinstance(value, Change):
                cell = ws.cell(row=row, column=column, value=value.number)
                set_styles(cell, number_format=CHANGE_FORMAT, font=font, alignment=RIGHT, border=BOX)
            elif isinstance(value, float) and not value.is_integer():
                set_style(put_number(ws, row, column, value, font), "border", BOX)  # shown as text
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = ws.cell(row=row, column=column, value=int(value))
                set_styles(cell, number_format=number_format(int(value)), font=font, alignment=RIGHT, border=BOX)
            else:
                set_styles(ws.cell(row=row, column=column), font=font, border=BOX)
    ws.print_title_rows = f"{header}:{header}"
    ws.freeze_panes = ws.cell(row=header + 1, column=3)
    fit_heights(ws)
    ws.sheet_view.showGridLines = False


def page_setup(
    ws: Worksheet, view: ReportView, period: Period, fingerprint: str | None, *, pages_across: bool = False
) -> None:
    """A4 landscape with the footer; fitted to the width, or for a grid too wide to shrink
    (``pages_across``) printed at full size across pages, its first two columns on each."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    if pages_across:
        ws.print_title_cols = "A:B"
    else:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.page_margins = copy(MARGINS)
    ws.print_options.horizontalCentered = True
    footer = ws.oddFooter
    parts = [(footer.center, "Trang &P/&N")]
    if fingerprint:
        parts.append((footer.left, _escape(f"{view.unit.code} - {period.label}")))
        parts.append((footer.right, _escape(f"Mã khóa {fingerprint}")))
    for part, text in parts:
        part.text = text
        part.font = f"{FONT_NAME},Regular"
        part.size = 10


def _escape(text: str) -> str:
    return text.replace("&", "&&")


class _InMemoryWriter(ExcelWriter):
    """openpyxl's writer, each sheet's XML kept in memory: its own writes every sheet to a
    temporary file, reads it back and deletes it (disk work, and on Windows an antivirus scan,
    for every workbook). The steps are those of ExcelWriter.write_worksheet otherwise."""

    def write_worksheet(self, ws: Worksheet) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def _deterministic_zip(wb: Workbook) -> bytes:
    """Save, then re-pack with fixed entry times; the entries keep their order and content."""
    raw = io.BytesIO()
    # ExcelWriter rather than wb.save: save() stamps the modified date with now().
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:  # compressed once, below
        _InMemoryWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ZIP_FILE_MODE
            info.create_system = 3  # Unix, whatever the machine that wrote it
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
