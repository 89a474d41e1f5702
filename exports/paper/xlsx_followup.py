"""The follow-up list as a printable workbook: A4 landscape, the header repeated on every page,
numbers with Vietnamese dots, the disagreements in bold on a coloured fill."""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from exports.collect.followup import Followup
from exports.paper.xlsx_completeness import landscape_pages
from exports.paper.xlsx_sheet import (
    FONT_NAME,
    LEFT,
    TABLE_PT,
    fit_heights,
    grid_sheet,
    new_workbook,
    put_text,
    set_style,
    workbook_bytes,
)
from forms import vnformat

HEADINGS = [
    "Đơn vị, thôn/bản",
    "Chỉ tiêu",
    "Số liệu",
    "Cảnh báo",
    "Số liệu các kỳ trước",
    "Giải trình của xã",
    "Ai thấy",
    "Khác nhau",
]
WIDTHS = [6, 30, 28, 12, 50, 30, 30, 18, 36]  # Stt first
DIFFERS_FILL = PatternFill(fill_type="solid", fgColor="F4C7C3")
HEADER = 3  # grid_sheet's header row


def followup_workbook(listed: Followup, *, made_on: dt.date) -> bytes:
    """One row per warning; the same inputs give the same bytes."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "Cần theo dõi"
    rows = [
        [
            row.where,
            row.label,
            row.value if isinstance(row.value, (int, float)) and not isinstance(row.value, bool) else row.value_words(),
            row.message,
            row.history_words(),
            row.reason,
            row.side_words,
            row.difference,
        ]
        for row in listed.rows
    ]
    grid_sheet(ws, listed.title(), HEADINGS, rows)
    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    bold = Font(name=FONT_NAME, size=TABLE_PT, bold=True)
    for n, row in enumerate(listed.rows, start=1):
        for column in (2, 3, 5, 6, 7, 9):
            set_style(ws.cell(row=HEADER + n, column=column), "alignment", LEFT)
        if row.differs:
            for column in range(1, len(WIDTHS) + 1):
                set_style(ws.cell(row=HEADER + n, column=column), "fill", DIFFERS_FILL)
            set_style(ws.cell(row=HEADER + n, column=9), "font", bold)
    font = Font(name=FONT_NAME, size=TABLE_PT, italic=True)
    last = HEADER + len(rows) + 2
    for offset, text in enumerate((listed.summary_line() + ".", f"Lập ngày {vnformat.date(made_on)}.")):
        put_text(ws, last + offset, 1, text, font, Alignment(horizontal="left", vertical="center"))
        ws.merge_cells(start_row=last + offset, start_column=1, end_row=last + offset, end_column=len(WIDTHS))
    fit_heights(ws)  # again: the columns were widened for words
    landscape_pages(ws, f"{listed.parent.name} - {listed.form.id} - {listed.period.label}", made_on)
    title = f"Danh sách cần theo dõi, biểu {listed.form.id}, {listed.parent.name}, {listed.period.in_sentence}"
    return workbook_bytes(wb, made_on, title)
