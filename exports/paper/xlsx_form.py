"""The filled report as an xlsx workbook laid out like the printed form.

Sheet “Biểu” is the commune table under the official two-column header, with
the check summary, the written reasons and the signature block; sheet “Theo
bản” is the village grid. The workbook goes inside a signed packet, so the
same inputs must give the same bytes: fixed document dates, fixed zip entry
times, nothing read from the clock or the PC's locale.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import weakref
import zipfile
from copy import copy
from functools import cache

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from exports.paper.letterhead import place_name
from exports.paper.page import date_words
from forms import vnformat
from forms.engine import TargetResult
from forms.messages import finding_text, target_text
from forms.schema import BUILTIN_LABELS, Indicator
from models.periods import Period
from models.reporting import ReportView

FONT_NAME = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
SMALL_PT = 11
LINE_HEIGHT = 1.2  # points of row per point of font

# Stt, Chỉ tiêu, ĐVT, Tổng số, Số đạt, Tỷ lệ; then Mục tiêu, Đánh giá.
TABLE_WIDTHS = (7, 55, 10, 11, 11, 11)
TARGET_WIDTHS = (16, 30)
LEFT_BLOCK = 2  # the issuing body sits over Stt and Chỉ tiêu, the rest is the right block
VILLAGE_WIDTHS = (6, 28)  # Stt, Bản; then one column per indicator
VILLAGE_VALUE_WIDTH = 11

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


def form_workbook(view: ReportView, *, signed_on: dt.date, **layout) -> bytes:
    """The report as xlsx bytes, identical for identical inputs; ``layout`` as for form_sheets()."""
    return workbook_bytes(form_sheets(view, signed_on=signed_on, **layout), signed_on, view.form.title)


def form_sheets(
    view: ReportView,
    *,
    period: Period,
    parent_name: str | None,
    signed_on: dt.date,
    officer_name: str,
    officer_title: str,
    signer_fingerprint: str | None = None,
) -> Workbook:
    """The workbook before saving, for callers that add sheets of their own."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "Biểu"
    _form_sheet(ws, view, period, parent_name, signed_on, officer_name, officer_title, signer_fingerprint)
    if view.villages:
        grid = wb.create_sheet("Theo bản")
        _village_sheet(grid, view, period)
        page_setup(grid, view, period, signer_fingerprint)
    page_setup(ws, view, period, signer_fingerprint)
    return wb


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
    if text.startswith(FORMULA_STARTS):
        set_style(cell, "quotePrefix", True)
    set_style(cell, "font", font)
    set_style(cell, "alignment", align)
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
    set_style(cell, "number_format", number_format(int(value)))
    set_style(cell, "font", font)
    set_style(cell, "alignment", RIGHT)
    return cell


def set_style(cell: Cell, attr: str, value) -> None:
    """``cell.<attr> = value``, remembered per workbook.

    openpyxl hashes the whole style object on every assignment, which was
    most of the time of a 60-village sheet; a cell that reaches a known
    combination copies the finished style indices instead.
    """
    cache = _STYLE_CACHES.setdefault(cell.parent.parent, {})
    key = (tuple(cell._style or ()), attr, value if isinstance(value, (str, bool)) else id(value))
    found = cache.get(key)
    if found is None:
        setattr(cell, attr, value)
        cache[key] = copy(cell._style)
    else:
        cell._style = copy(found)


def _number_width(values: list, least: float) -> float:
    """Wide enough for the longest figure: Excel prints ### rather than cut a number."""
    shown = [vnformat.number(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return max([least] + [len(text) * 0.95 + 2.5 for text in shown])


@cache  # one object per style: set_style() knows styles by identity
def _font(size: int = BODY_PT, *, bold: bool = False, italic: bool = False, underline: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, underline="single" if underline else None)


def _merge_text(ws: Worksheet, row: int, first: int, last: int, text: str, font: Font, align: Alignment) -> Cell:
    cell = put_text(ws, row, first, text, font, align)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return cell


def _box(ws: Worksheet, row: int, first: int, last: int) -> None:
    for column in range(first, last + 1):
        cell = ws.cell(row=row, column=column)
        set_style(cell, "border", BOX)
        if cell.value is None:
            set_style(cell, "font", _font(TABLE_PT))


def _fit_heights(ws: Worksheet) -> None:
    """Give every row the height of its tallest cell.

    Neither Excel nor LibreOffice grows a row for wrapped text in merged
    cells, and LibreOffice does not grow any row of an xlsx it opens, so the
    lines are counted here from the column widths, erring on the tall side.
    Every height is set so that _keep_together() can tell where pages end.
    """
    spans = {(r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges}
    for cells in ws.iter_rows():
        height = TABLE_PT * LINE_HEIGHT + 3
        for cell in cells:
            if isinstance(cell.value, str) and cell.value:
                lines = 1
                if cell.alignment.wrap_text:
                    last = spans.get((cell.row, cell.column), cell.column)
                    width = _span_width(ws, cell.column, last)
                    lines = _lines(cell.value, width, cell.font.sz, bool(cell.font.b))
                height = max(height, lines * cell.font.sz * LINE_HEIGHT + 3)
        ws.row_dimensions[cells[0].row].height = round(height, 1)


def _span_width(ws: Worksheet, first: int, last: int) -> float:
    return sum(ws.column_dimensions[get_column_letter(c)].width for c in range(first, last + 1))


def _keep_together(ws: Worksheet, first: int, last: int, title_rows: range) -> None:
    """Start a new page before rows first..last if a page could end inside them.

    A signature must not be split from its title, and Excel has no "keep
    with next". Both programs shrink the sheet to the page width, each
    measuring a column a little differently (and fonts vary), so the pages
    are laid out for a spread of scales around both, and the break is made
    if any of them would split the block: at worst a page ends early.
    """
    columns = ws.max_column
    units = _span_width(ws, 1, columns)
    for width_px in (units * 7 + 5 * columns, units * 7.45):  # Excel (7 px a unit + padding); LibreOffice
        scale = min(1.0, (A4_LONG_PT - 72 * (MARGINS.left + MARGINS.right)) / (width_px * 0.75))
        room = (A4_SHORT_PT - 72 * (MARGINS.top + MARGINS.bottom)) / scale
        for step in range(-8, 9):
            fitted = room * (1 + step / 200)  # within 4 % either way
            if _page_of(ws, first, fitted, title_rows) != _page_of(ws, last, fitted, title_rows):
                ws.row_breaks.append(Break(id=first - 1))
                return


def _page_of(ws: Worksheet, target: int, room: float, title_rows: range) -> int:
    """The page row ``target`` prints on, rows never being split across pages."""
    repeated = sum(ws.row_dimensions[r].height for r in title_rows)
    page, used = 1, 0.0
    for row in range(1, target + 1):
        height = ws.row_dimensions[row].height
        if used + height > room:
            page, used = page + 1, repeated
        used += height
    return page


def _lines(text: str, width: float, size: float, bold: bool) -> int:
    # Measured in LibreOffice with Calibri's metrics (Excel's width unit): a
    # 55-wide column holds about 58 characters of 12 pt Times New Roman.
    per_char = 0.95 * size / TABLE_PT * (1.3 if text.isupper() else 1.1 if bold else 1.0)
    chars = max(int(width / per_char), 4)
    if len(text) <= chars and "\n" not in text:
        return 1  # most cells: no need to wrap words
    return sum(len(textwrap.wrap(part, chars)) or 1 for part in text.split("\n"))


# ---- sheet 1: the form ------------------------------------------------------------


def _form_sheet(
    ws: Worksheet,
    view: ReportView,
    period: Period,
    parent_name: str | None,
    signed_on: dt.date,
    officer_name: str,
    officer_title: str,
    fingerprint: str | None,
) -> None:
    targets = {t.indicator: t for t in view.evaluation.targets}
    figures = [view.evaluation.figures[i.id] for i in view.form.indicators if i.is_row and i.is_numeric]
    widths = [*TABLE_WIDTHS, *(TARGET_WIDTHS if targets else ())]
    widths[3] = _number_width([f.total for f in figures], widths[3])
    widths[4] = _number_width([f.value for f in figures], widths[4])
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    last = len(widths)
    row = _official_header(ws, view, parent_name, signed_on, last)
    row = _title(ws, view, period, row + 1, last)
    header = row + 1
    row = _table(ws, view, targets, header, last)
    ws.print_title_rows = f"{header}:{header}"
    row = _checks(ws, view, row + 2, last)
    end = _signature(ws, row + 2, last, officer_name, officer_title, fingerprint)
    _fit_heights(ws)
    _keep_together(ws, row + 2, end, range(header, header + 1))
    ws.sheet_view.showGridLines = False


def _official_header(ws: Worksheet, view: ReportView, parent_name: str | None, signed_on: dt.date, last: int) -> int:
    """Issuing body with "*" under it on the left; the Party's name, then place and date, on the right."""
    left = [(parent_name.upper(), _font())] if parent_name else []
    left += [(view.unit.name.upper(), _font(bold=True)), ("*", _font())]
    for row, (text, font) in enumerate(left, start=1):
        _merge_text(ws, row, 1, LEFT_BLOCK, text, font, CENTER)
    dateline = f"{place_name(view.unit.name, view.unit.kind)}, {date_words(signed_on)}"
    _merge_text(ws, 1, LEFT_BLOCK + 1, last, "ĐẢNG CỘNG SẢN VIỆT NAM", _font(bold=True, underline=True), CENTER)
    _merge_text(ws, len(left), LEFT_BLOCK + 1, last, dateline, _font(italic=True), CENTER)
    return len(left)


def _title(ws: Worksheet, view: ReportView, period: Period, row: int, last: int) -> int:
    lines = [(view.form.title.upper(), _font(14, bold=True))]
    if view.form.subtitle:
        lines.append((view.form.subtitle, _font(italic=True)))
    lines.append((f"Kỳ báo cáo: {period.label}", _font()))
    if view.evaluation.target_set:
        lines.append((f"So với mục tiêu: {view.evaluation.target_set.name}", _font()))
    for text, font in lines:
        row += 1
        _merge_text(ws, row, 1, last, text, font, CENTER)
    return row + 1


def _table(ws: Worksheet, view: ReportView, targets: dict[str, TargetResult], header: int, last: int) -> int:
    form = view.form
    titles = [*form.columns[:6]] + (["Mục tiêu", "Đánh giá"] if targets else [])
    for column, title in enumerate(titles, start=1):
        put_text(ws, header, column, title, _font(TABLE_PT, bold=True), CENTER)
    _box(ws, header, 1, last)
    sections = {s.code: s for s in form.sections}
    row, current = header, None
    for ind in form.indicators:
        if ind.section != current:
            current = ind.section
            section = sections[current]
            row += 1
            title = section.title.upper() if section.level == 1 else section.title
            put_text(ws, row, 1, current, _font(TABLE_PT, bold=True), CENTER)
            put_text(ws, row, 2, title, _font(TABLE_PT, bold=True), LEFT)
            _box(ws, row, 1, last)
        if ind.is_row:
            row += 1
            _indicator_row(ws, view, ind, row)
            if ind.id in targets:
                goal, _, status = target_text(form, targets[ind.id]).partition(": ")
                put_text(ws, row, 7, goal, _font(TABLE_PT), CENTER)
                put_text(ws, row, 8, status[:1].upper() + status[1:], _font(TABLE_PT), LEFT)
            _box(ws, row, 1, last)
    return row


def _indicator_row(ws: Worksheet, view: ReportView, ind: Indicator, row: int) -> None:
    figure = view.evaluation.figures[ind.id]
    font = _font(TABLE_PT)
    put_text(ws, row, 1, ind.code or "", font, CENTER)
    put_text(ws, row, 2, ind.label, font, LEFT)
    put_text(ws, row, 3, ind.unit, font, CENTER)
    if not figure.applicable:
        _merge_text(ws, row, 4, 6, "Không áp dụng", _font(TABLE_PT, italic=True), CENTER)
    elif ind.kind in ("text", "date"):
        text = vnformat.date(figure.value) if ind.kind == "date" else str(figure.value or "")
        _merge_text(ws, row, 4, 6, text, font, CENTER if ind.kind == "date" else LEFT)
    else:
        for column, value in ((4, figure.total), (5, figure.value)):
            if value is not None:
                put_number(ws, row, column, value, font)
        if figure.percent is not None:
            put_text(ws, row, 6, vnformat.percent(figure.percent).removesuffix("%"), font, RIGHT)


def check_line(view: ReportView) -> str:
    """“Kiểm tra: 0 lỗi, 1 cảnh báo đã giải trình”, plus what is still empty."""
    evaluation = view.evaluation
    warnings = evaluation.warnings
    explained = sum(1 for f in warnings if view.reason_for(f))
    text = f"Kiểm tra: {len(evaluation.errors)} lỗi, {len(warnings)} cảnh báo"
    if warnings and explained == len(warnings):
        text += " đã giải trình"
    elif explained:
        text += f" ({explained} đã giải trình)"
    missing = len(evaluation.villages_missing(view.data.villages))
    if missing:
        text += f"; {missing}/{len(view.villages)} bản chưa nhập đủ"
    unit_missing = sum(1 for c in evaluation.missing if c.village is None)
    if unit_missing:
        text += f"; {unit_missing} ô của {view.unit.name} chưa nhập"
    return text + "."


def _checks(ws: Worksheet, view: ReportView, row: int, last: int) -> int:
    """The check summary and, under it, each warning that stands with its written reason."""
    _merge_text(ws, row, 1, last, check_line(view), _font(TABLE_PT, italic=True), PLAIN)
    names = {v.code: v.name for v in view.villages}
    explained = [(f, view.reason_for(f)) for f in view.evaluation.warnings if view.reason_for(f)]
    if not explained:
        return row
    row += 1
    _merge_text(ws, row, 1, last, "Giải trình cảnh báo:", _font(TABLE_PT, bold=True), PLAIN)
    for n, (finding, reason) in enumerate(explained, start=1):
        row += 1
        village = finding.cell.village
        where = f"{names.get(village, village)}: " if village else ""
        text = f"{n}. {where}{finding_text(view.form, finding)} Giải trình: {reason}"
        _merge_text(ws, row, 1, last, text, _font(TABLE_PT), LEFT)
    return row


def _signature(
    ws: Worksheet, row: int, last: int, officer_name: str, officer_title: str, fingerprint: str | None
) -> int:
    """“Nơi nhận” bottom left, the officer's block bottom right."""
    recipients = [
        ("Nơi nhận:", _font(TABLE_PT, bold=True, italic=True)),
        ("- Cấp trên trực tiếp;", _font(SMALL_PT)),
        ("- Lưu.", _font(SMALL_PT)),
    ]
    for offset, (text, font) in enumerate(recipients):
        _merge_text(ws, row + offset, 1, LEFT_BLOCK, text, font, PLAIN)
    block = [("NGƯỜI LẬP BIỂU", _font(bold=True))]
    if officer_title:
        block.append((officer_title, _font(italic=True)))
    block += [("", None)] * 3 + [(officer_name, _font(bold=True))]
    if fingerprint:
        block.append((f"(Ký số bằng Sổ Chỉ Tiêu, mã khóa {fingerprint})", _font(SMALL_PT, italic=True)))
    for offset, (text, font) in enumerate(block):
        if font:
            _merge_text(ws, row + offset, LEFT_BLOCK + 1, last, text, font, CENTER)
    return row + max(len(block), len(recipients)) - 1


# ---- sheet 2: the villages -------------------------------------------------------


def _village_heading(ind: Indicator) -> str:
    return ind.code or BUILTIN_LABELS.get(ind.id) or ind.label


def _village_sheet(ws: Worksheet, view: ReportView, period: Period) -> None:
    columns = list(view.form.village_indicators)
    rows = []
    for village in view.villages:
        values = view.data.village_values.get(village.code, {})
        name = village.name + ("" if village.active else " (đã ngừng)")
        rows.append([name, *(_village_value(ind, values.get(ind.id)) for ind in columns)])
    title = f"SỐ LIỆU THEO BẢN, TỔ DÂN PHỐ - {view.unit.name.upper()} - {period.label.upper()}"
    grid_sheet(ws, title, ["Bản, tổ dân phố", *(_village_heading(i) for i in columns)], rows)


def grid_sheet(ws: Worksheet, title: str, headings: list[str], rows: list[list]) -> None:
    """A numbered table under a title: the first column names the row, the others hold
    numbers (shown with Vietnamese dots) or short texts; the heading repeats on every page."""
    numbers = [[v for v in row[1:]] for row in rows]
    widths = [*VILLAGE_WIDTHS] + [
        _number_width([r[i] for r in numbers], VILLAGE_VALUE_WIDTH) for i in range(len(headings) - 1)
    ]
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    last = len(widths)
    _merge_text(ws, 1, 1, last, title, _font(bold=True), CENTER)
    header = 3
    for column, text in enumerate(["Stt", *headings], start=1):
        put_text(ws, header, column, text, _font(TABLE_PT, bold=True), CENTER)
    _box(ws, header, 1, last)
    font = _font(TABLE_PT)
    for n, cells in enumerate(rows, start=1):
        row = header + n
        set_style(put_number(ws, row, 1, n, font), "alignment", CENTER)
        put_text(ws, row, 2, cells[0], font, LEFT)
        for column, value in enumerate(cells[1:], start=3):
            if isinstance(value, str) and value:
                put_text(ws, row, column, value, font, CENTER)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                put_number(ws, row, column, value, font)
        _box(ws, row, 1, last)
    ws.print_title_rows = f"{header}:{header}"
    ws.freeze_panes = ws.cell(row=header + 1, column=3)
    _fit_heights(ws)
    ws.sheet_view.showGridLines = False


def _village_value(ind: Indicator, value):
    if value is None or value == "":
        return None
    if ind.kind == "yesno":
        return vnformat.yes_no(value)
    if ind.kind == "date":
        return vnformat.date(value)
    if ind.kind == "text":
        return str(value)
    return value


# ---- printing and saving ------------------------------------------------------------


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


def _deterministic_zip(wb: Workbook) -> bytes:
    """Save, then re-pack with fixed entry times; the entries keep their order and content."""
    raw = io.BytesIO()
    # ExcelWriter rather than wb.save: save() stamps the modified date with now().
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as archive:  # compressed once, below
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ZIP_FILE_MODE
            info.create_system = 3  # Unix, whatever the machine that wrote it
            target.writestr(info, source.read(entry.filename))
    return out.getvalue()
