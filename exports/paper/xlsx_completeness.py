"""Who has sent what, as a printable workbook; the words and colours of each
state are exports/paper/completeness_words.py's, as in the window and its printout."""

from __future__ import annotations

import datetime as dt
from copy import copy

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.collect.completeness import Completeness
from exports.paper.completeness_words import (
    STATE_COLOURS,
    form_heading,
    state_text,
    summary_line,
    title_of,
)
from exports.paper.xlsx_sheet import (
    FONT_NAME,
    MARGINS,
    TABLE_PT,
    fit_heights,
    grid_sheet,
    new_workbook,
    put_text,
    set_style,
    workbook_bytes,
)
from forms import vnformat
from models.vocabulary import CollectionState

_FILLS = {state: PatternFill(fill_type="solid", fgColor=colour) for state, colour in STATE_COLOURS.items()}
NAME_WIDTH = 30
CODE_WIDTH = 9
STATE_WIDTH = 30
PLAIN = Alignment(horizontal="left", vertical="center")


def completeness_workbook(table: Completeness, *, made_on: dt.date) -> bytes:
    """One row per unit below, one column per form collected; the same inputs give the same bytes."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "Tình hình nộp"
    forms = [c.form_id for c in table.forms]
    rows = [
        [unit.name, unit.code, *(_cell_text(table, unit.code, form_id) for form_id in forms)] for unit in table.units
    ]
    grid_sheet(ws, title_of(table), ["Đơn vị", "Mã", *(form_heading(table, f) for f in forms)], rows)
    header = 3
    for column, width in enumerate([NAME_WIDTH, CODE_WIDTH, *([STATE_WIDTH] * len(forms))], start=2):
        ws.column_dimensions[get_column_letter(column)].width = width
    for n, unit in enumerate(table.units, start=1):
        for offset, form_id in enumerate(forms):
            state = table.states.get((unit.code, form_id))
            if state is not None:
                set_style(
                    ws.cell(row=header + n, column=4 + offset),
                    "fill",
                    _FILLS.get(state.state, _FILLS[CollectionState.NOT_SENT]),
                )
    last_column = 3 + len(forms)
    row = header + len(table.units) + 2
    font = Font(name=FONT_NAME, size=TABLE_PT, italic=True)
    for form_id in forms:
        lead = f"Biểu {form_id}: " if len(forms) > 1 else ""
        _line(ws, row, last_column, lead + summary_line(table, form_id) + ".", font)
        row += 1
    _line(ws, row, last_column, f"Lập ngày {vnformat.date(made_on)}.", font)
    fit_heights(ws)  # again: the columns were widened for words, not numbers
    landscape_pages(ws, f"{table.parent.name} - {table.period.label}", made_on)
    return workbook_bytes(wb, made_on, f"Tình hình nhận báo cáo, {table.parent.name}, {table.period.in_sentence}")


def _cell_text(table: Completeness, unit_code: str, form_id: str) -> str:
    state = table.states.get((unit_code, form_id))
    return state_text(state) if state is not None else "không lập biểu này"


def _line(ws: Worksheet, row: int, last: int, text: str, font: Font) -> None:
    put_text(ws, row, 1, text, font, PLAIN)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)


def landscape_pages(ws: Worksheet, named: str, made_on: dt.date) -> None:
    """A4 landscape, as wide as one page and as many down as it takes, centred; the footer names the table
    (``named``), the page of the pages, and the day it was made. The follow-up list's workbook too."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as it takes
    ws.page_margins = copy(MARGINS)
    ws.print_options.horizontalCentered = True
    footer = ws.oddFooter
    for part, text in (
        (footer.left, named),
        (footer.center, "Trang &P/&N"),
        (footer.right, f"Lập ngày {vnformat.date(made_on)}"),
    ):
        part.text = text if "&P" in text else text.replace("&", "&&")
        part.font = f"{FONT_NAME},Regular"
        part.size = 10
