"""The filled report as an xlsx workbook laid out like the printed form.

Sheet “Biểu” is the commune table under the official two-column header, with
the check summary, the written reasons and the signature block; sheet “Theo
bản” is the village grid. The workbook goes inside a signed packet, so the
same inputs must give the same bytes: fixed document dates, fixed zip entry
times, nothing read from the clock or the PC's locale.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.paper.letterhead import place_name
from exports.paper.page import date_words
from exports.paper.xlsx_sheet import (
    CENTER,
    LEFT,
    PLAIN,
    RIGHT,
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
    widths[3] = number_width([f.total for f in figures], widths[3])
    widths[4] = number_width([f.value for f in figures], widths[4])
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
    fit_heights(ws)
    keep_together(ws, row + 2, end, range(header, header + 1))
    ws.sheet_view.showGridLines = False


def _official_header(ws: Worksheet, view: ReportView, parent_name: str | None, signed_on: dt.date, last: int) -> int:
    """Issuing body with "*" under it on the left; the Party's name, then place and date, on the right."""
    left = [(parent_name.upper(), font_of())] if parent_name else []
    left += [(view.unit.name.upper(), font_of(bold=True)), ("*", font_of())]
    for row, (text, font) in enumerate(left, start=1):
        merge_text(ws, row, 1, LEFT_BLOCK, text, font, CENTER)
    dateline = f"{place_name(view.unit.name, view.unit.kind)}, {date_words(signed_on)}"
    merge_text(ws, 1, LEFT_BLOCK + 1, last, "ĐẢNG CỘNG SẢN VIỆT NAM", font_of(bold=True, underline=True), CENTER)
    merge_text(ws, len(left), LEFT_BLOCK + 1, last, dateline, font_of(italic=True), CENTER)
    return len(left)


def _title(ws: Worksheet, view: ReportView, period: Period, row: int, last: int) -> int:
    lines = [(view.form.title.upper(), font_of(14, bold=True))]
    if view.form.subtitle:
        lines.append((view.form.subtitle, font_of(italic=True)))
    lines.append((f"Kỳ báo cáo: {period.label}", font_of()))
    if view.evaluation.target_set:
        lines.append((f"So với mục tiêu: {view.evaluation.target_set.name}", font_of()))
    for text, font in lines:
        row += 1
        merge_text(ws, row, 1, last, text, font, CENTER)
    return row + 1


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
    merge_text(ws, row, 1, last, check_line(view), font_of(TABLE_PT, italic=True), PLAIN)
    names = {v.code: v.name for v in view.villages}
    explained = [(f, view.reason_for(f)) for f in view.evaluation.warnings if view.reason_for(f)]
    if not explained:
        return row
    row += 1
    merge_text(ws, row, 1, last, "Giải trình cảnh báo:", font_of(TABLE_PT, bold=True), PLAIN)
    for n, (finding, reason) in enumerate(explained, start=1):
        row += 1
        village = finding.cell.village
        where = f"{names.get(village, village)}: " if village else ""
        text = f"{n}. {where}{finding_text(view.form, finding)} Giải trình: {reason}"
        merge_text(ws, row, 1, last, text, font_of(TABLE_PT), LEFT)
    return row


def _signature(
    ws: Worksheet, row: int, last: int, officer_name: str, officer_title: str, fingerprint: str | None
) -> int:
    """“Nơi nhận” bottom left, the officer's block bottom right."""
    recipients = [
        ("Nơi nhận:", font_of(TABLE_PT, bold=True, italic=True)),
        ("- Cấp trên trực tiếp;", font_of(SMALL_PT)),
        ("- Lưu.", font_of(SMALL_PT)),
    ]
    for offset, (text, font) in enumerate(recipients):
        merge_text(ws, row + offset, 1, LEFT_BLOCK, text, font, PLAIN)
    block = [("NGƯỜI LẬP BIỂU", font_of(bold=True))]
    if officer_title:
        block.append((officer_title, font_of(italic=True)))
    block += [("", None)] * 3 + [(officer_name, font_of(bold=True))]
    if fingerprint:
        block.append((f"(Ký số bằng Sổ Chỉ Tiêu, mã khóa {fingerprint})", font_of(SMALL_PT, italic=True)))
    for offset, (text, font) in enumerate(block):
        if font:
            merge_text(ws, row + offset, LEFT_BLOCK + 1, last, text, font, CENTER)
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
