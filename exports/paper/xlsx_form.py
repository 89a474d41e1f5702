"""The filled report as an xlsx workbook laid out like the printed form.

Sheet “Biểu” is the commune table on the same page as the PDF (exports/paper/
page.py): the lines above and below the table come from the same PageSettings
(letterhead.py: the bodies, the number, the place, the recipients and the
signer) and Layout (layout.py: a report with its letterhead, or an annex of a
document), with each warning's written reason under the table; sheet “Theo
bản” is the village grid. The workbook goes inside a signed packet, so the
same inputs must give the same bytes: fixed document dates, fixed zip entry
times, nothing read from the clock or the PC's locale.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.paper.layout import Layout
from exports.paper.letterhead import PageSettings
from exports.paper.page import BODY_PT, HEADING_PT, LETTERHEAD_PT, PARTY_LINE_PT, TITLE_PT, date_line
from exports.paper.xlsx_sheet import (
    CENTER,
    LEFT,
    PLAIN,
    SMALL_PT,
    TABLE_PT,
    box_row,
    fit_heights,
    font_of,
    grid_sheet,
    keep_together,
    merge_text,
    new_workbook,
    number_width,
    page_setup,
    put_number,
    put_percent,
    put_text,
    workbook_bytes,
)
from forms import vnformat
from forms.engine import TargetResult
from forms.messages import finding_text, target_text
from forms.schema import BUILTIN_LABELS, Indicator
from models.periods import Period
from models.reporting import ReportView

# Stt, Chỉ tiêu, ĐVT, Tổng số, Số đạt, Tỷ lệ; then Mục tiêu, Đánh giá.
TABLE_WIDTHS = (7, 55, 10, 11, 11, 11)
TARGET_WIDTHS = (16, 30)
LEFT_BLOCK = 2  # the issuing body sits over Stt and Chỉ tiêu, the rest is the right block
SIGNATURE_ROOM = 4  # empty lines for the signature and the seal, as the PDF leaves


def form_workbook(view: ReportView, *, signed_on: dt.date, **layout) -> bytes:
    """The report as xlsx bytes, identical for identical inputs; ``layout`` as for form_sheets()."""
    return workbook_bytes(form_sheets(view, signed_on=signed_on, **layout), signed_on, view.form.title)


def form_sheets(
    view: ReportView,
    *,
    period: Period,
    signed_on: dt.date,
    page: PageSettings,
    layout: Layout,
    signer_fingerprint: str | None = None,
    title: str | None = None,
    more_subtitles: tuple[str, ...] = (),
) -> Workbook:
    """The workbook before saving, for callers that add sheets of their own. ``page`` and ``layout``
    are those of the PDF of the same report; ``signed_on`` is the date line's day; ``title`` (the form's
    own when not given) and ``more_subtitles`` as the PDF of the same table has them."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "Biểu"
    heading = (title or view.form.title, more_subtitles)
    _form_sheet(ws, view, period, signed_on, page, layout, heading)
    if view.villages:
        grid = wb.create_sheet("Theo bản")
        _village_sheet(grid, view, period)
        page_setup(grid, view, period, signer_fingerprint)
    page_setup(ws, view, period, signer_fingerprint)
    return wb


# ---- sheet 1: the form ------------------------------------------------------------


def _form_sheet(
    ws: Worksheet,
    view: ReportView,
    period: Period,
    signed_on: dt.date,
    page: PageSettings,
    layout: Layout,
    heading: tuple[str, tuple[str, ...]],
) -> None:
    targets = {t.indicator: t for t in view.evaluation.targets}
    figures = [view.evaluation.figures[i.id] for i in view.form.indicators if i.is_row and i.is_numeric]
    widths = [*TABLE_WIDTHS, *(TARGET_WIDTHS if targets else ())]
    widths[3] = number_width([f.total for f in figures], widths[3])
    widths[4] = number_width([f.value for f in figures], widths[4])
    for n, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    last = len(widths)
    row = _letterhead(ws, page, signed_on, last) + 1 if layout.letterhead else 0  # an empty row under it
    row = _title(ws, view, period, layout, heading, row, last)
    header = row + 1
    row = _table(ws, view, targets, header, last)
    ws.print_title_rows = f"{header}:{header}"
    row = _reasons(ws, view, row + 1, last)
    end = _signature(ws, page, row + 2, last, layout.recipients) if layout.signature else None
    fit_heights(ws)
    if end is not None:
        keep_together(ws, row + 2, end, range(header, header + 1))
    ws.sheet_view.showGridLines = False


def _letterhead(ws: Worksheet, page: PageSettings, signed_on: dt.date, last: int) -> int:
    """As page._letterhead: the superior body, the issuing body in bold, "*" and the number on the left;
    the Party's name, then the place and date on the number's row, on the right. The last row used."""
    size = LETTERHEAD_PT
    left = [(page.superior.upper(), font_of(size))] if page.superior else []
    left += [(page.issuer.upper(), font_of(size, bold=True)), ("*", font_of(size)), (page.number, font_of(size))]
    for row, (text, font) in enumerate(left, start=1):
        merge_text(ws, row, 1, LEFT_BLOCK, text, font, CENTER)
    party = font_of(PARTY_LINE_PT, bold=True, underline=True)
    merge_text(ws, 1, LEFT_BLOCK + 1, last, "ĐẢNG CỘNG SẢN VIỆT NAM", party, CENTER)
    dateline = date_line(page.place, signed_on)
    merge_text(ws, len(left), LEFT_BLOCK + 1, last, dateline, font_of(size, italic=True), CENTER)
    return len(left)


def _title(
    ws: Worksheet,
    view: ReportView,
    period: Period,
    layout: Layout,
    heading: tuple[str, tuple[str, ...]],
    row: int,
    last: int,
) -> int:
    """“BÁO CÁO” or “PHỤ LỤC 01” over the title in bold, the annex's “(Kèm theo …)”, the subtitles in
    italics, then the text the clerk typed for a report. The last row used."""
    sizes = layout.heading_sizes(TITLE_PT, HEADING_PT)
    lines = [
        (text.upper(), font_of(size, bold=True), CENTER)
        for text, size in zip(layout.heading(heading[0]), sizes, strict=True)
    ]
    if layout.annex_line():
        lines.append((layout.annex_line(), font_of(BODY_PT, italic=True), CENTER))
    subtitles = [*_subtitles(view, period), *heading[1]]
    lines += [(text, font_of(BODY_PT, italic=True), CENTER) for text in subtitles]
    if layout.mode == "report" and layout.body.strip():
        lines.append(("", None, None))
        lines += [(text, font_of(BODY_PT), LEFT) for text in layout.body.strip().split("\n") if text.strip()]
    for text, font, align in lines:
        row += 1
        if font is not None:
            merge_text(ws, row, 1, last, text, font, align)
    return row + 1


def _subtitles(view: ReportView, period: Period) -> list[str]:
    """As report.subtitles() (not imported: report.py reaches the packet writer, which imports this)."""
    lines = [view.form.subtitle] if view.form.subtitle else []
    lines.append(f"Kỳ báo cáo: {period.label}")
    if view.evaluation.target_set:
        lines.append(f"So với mục tiêu: {view.evaluation.target_set.name}")
    return lines


def _table(ws: Worksheet, view: ReportView, targets: dict[str, TargetResult], header: int, last: int) -> int:
    form = view.form
    titles = [*form.columns[:6]] + (["Mục tiêu", "Đánh giá"] if targets else [])
    for column, title in enumerate(titles, start=1):
        put_text(ws, header, column, title, font_of(TABLE_PT, bold=True), CENTER)
    box_row(ws, header, 1, last)
    sections = {s.code: s for s in form.sections}
    row, current = header, None
    for ind in form.indicators:
        if ind.section != current:
            current = ind.section
            section = sections[current]
            row += 1
            title = section.title.upper() if section.level == 1 else section.title
            put_text(ws, row, 1, current, font_of(TABLE_PT, bold=True), CENTER)
            put_text(ws, row, 2, title, font_of(TABLE_PT, bold=True), LEFT)
            box_row(ws, row, 1, last)
        if ind.is_row:
            row += 1
            _indicator_row(ws, view, ind, row)
            if ind.id in targets:
                goal, _, status = target_text(form, targets[ind.id]).partition(": ")
                put_text(ws, row, 7, goal, font_of(TABLE_PT), CENTER)
                put_text(ws, row, 8, status[:1].upper() + status[1:], font_of(TABLE_PT), LEFT)
            box_row(ws, row, 1, last)
    return row


def _indicator_row(ws: Worksheet, view: ReportView, ind: Indicator, row: int) -> None:
    figure = view.evaluation.figures[ind.id]
    font = font_of(TABLE_PT)
    put_text(ws, row, 1, ind.code or "", font, CENTER)
    put_text(ws, row, 2, ind.label, font, LEFT)
    put_text(ws, row, 3, ind.unit, font, CENTER)
    if not figure.applicable:
        merge_text(ws, row, 4, 6, "Không áp dụng", font_of(TABLE_PT, italic=True), CENTER)
    elif ind.kind in ("text", "date"):
        text = vnformat.date(figure.value) if ind.kind == "date" else str(figure.value or "")
        merge_text(ws, row, 4, 6, text, font, CENTER if ind.kind == "date" else LEFT)
    else:
        for column, value in ((4, figure.total), (5, figure.value)):
            if value is not None:
                put_number(ws, row, column, value, font)
        if figure.percent is not None:
            put_percent(ws, row, 6, figure.percent, font)


def _reasons(ws: Worksheet, view: ReportView, row: int, last: int) -> int:
    """Each warning that stands with its written reason, as report.check_paragraphs() prints them in the
    PDF (no check summary: that is the program's note, not the committee's). The last row used."""
    names = {v.code: v.name for v in view.villages}
    explained = [(f, view.reason_for(f)) for f in view.evaluation.warnings if view.reason_for(f)]
    if not explained:
        return row
    row += 1
    merge_text(ws, row, 1, last, "Giải trình cảnh báo:", font_of(SMALL_PT, bold=True), PLAIN)
    for n, (finding, reason) in enumerate(explained, start=1):
        row += 1
        village = finding.cell.village
        where = f"{names.get(village, village)}: " if village else ""
        text = f"{n}. {where}{finding_text(view.form, finding)} Giải trình: {reason}"
        merge_text(ws, row, 1, last, text, font_of(SMALL_PT), LEFT)
    return row


def _signature(ws: Worksheet, page: PageSettings, row: int, last: int, with_recipients: bool) -> int:
    """As page._signature: “Nơi nhận:” underlined and the recipients bottom left (not under an annex,
    sent with its document); on behalf of, the signer's title, room to sign, the signer's name bottom
    right. The last row used."""
    recipients = []
    if with_recipients:
        recipients = [("Nơi nhận:", font_of(LETTERHEAD_PT, underline=True))]
        recipients += [(f"- {text}", font_of(TABLE_PT)) for text in page.recipients]
    for offset, (text, font) in enumerate(recipients):
        merge_text(ws, row + offset, 1, LEFT_BLOCK, text, font, PLAIN)
    block = [page.on_behalf.upper()] if page.on_behalf else []
    block += [page.signer_title.upper(), *[""] * SIGNATURE_ROOM, page.signer_name]
    for offset, text in enumerate(block):
        if text:
            merge_text(ws, row + offset, LEFT_BLOCK + 1, last, text, font_of(BODY_PT, bold=True), CENTER)
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
