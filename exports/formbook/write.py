"""Any form definition written as a form workbook (layout.py), so that a province starts from a real one.

Everything a TOML file can say is in it: sections, indicators with their parent, denominator, units it
applies to and largest figure, rules with their condition, target sets with every version of each
target and its source, readings, who fills it by date. Closed choices are written as Vietnamese words
(“số đếm”) from a drop-down list; the reader takes the word or the code.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from decimal import Decimal
from pathlib import Path

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from exports.atomic import write_atomically
from exports.formbook import layout
from exports.formbook.guide import write_guide
from exports.paper.xlsx_sheet import (
    LEFT,
    MARGINS,
    fit_heights,
    font_of,
    new_workbook,
    put_text,
    set_styles,
    workbook_bytes,
)
from forms.schema import FormDef

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
DATE_FORMAT = "dd/mm/yyyy"
_SIZE = 12


def write_form_workbook(form: FormDef, path: str | Path) -> Path:
    """Write ``form`` as a form workbook at ``path``, whole or not at all (BadInput when it cannot be)."""
    return write_atomically(path, form_workbook_bytes(form))


def form_workbook_bytes(form: FormDef) -> bytes:
    wb = new_workbook()
    write_guide(wb.active, form)
    _settings(wb.create_sheet(layout.SETTINGS), form)
    for sheet in layout.SHEETS[1:]:
        _table(wb.create_sheet(sheet.name), sheet, _rows(form, sheet.table))
    for ws in wb.worksheets:
        fit_heights(ws)  # LibreOffice grows no row for wrapped text
        _page(ws, landscape=ws.title not in (layout.GUIDE, layout.SETTINGS))
    return workbook_bytes(wb, dt.date.today(), f"Biểu mẫu {form.id} phiên bản {form.version}")


def _rows(form: FormDef, table: str) -> list[dict]:
    """The rows of one sheet as TOML keys -> values, in the form's order."""
    if table == "sections":
        return [{"code": s.code, "title": s.title, "level": s.level} for s in form.sections]
    if table == "indicators":
        return [
            {
                "id": i.id,
                "code": i.code,
                "section": i.section,
                "label": i.label,
                "unit": i.unit,
                "kind": i.kind,
                "grain": i.grain,
                "parent": i.parent,
                "denominator": i.denominator,
                "applies_to": list(i.applies_to),
                "required": i.required,
                "max": i.max,
                "carry_forward": True if i.carry_forward else None,
                "change_percent": i.change_percent,
                "change_min": i.change_min,
                "history_margin": i.history_margin,
                "plausible": None if i.plausible else False,
            }
            for i in form.indicators
        ]
    if table == "rules":
        return [
            {
                "id": r.id,
                "grain": r.grain,
                "when": f"{r.when[0].source} {r.when[1]} {r.when[2].source}" if r.when else None,
                "left": r.left.source,
                "op": r.op,
                "right": r.right.source,
                "cell": r.cell,
                "severity": r.severity,
                "message": r.message,
            }
            for r in form.rules
        ]
    if table == "target_sets":
        return [
            {"id": s.id, "name": s.name, "source": s.source, "tier": s.tier, "period": s.period}
            for s in form.target_sets
        ]
    if table == "targets":
        return [
            {
                "set": s.id,
                "indicator": t.indicator,
                "op": t.op,
                "percent": t.percent,
                "count": t.count,
                "version": t.version,
                "source": t.source,
            }
            for s in form.target_sets
            for t in s.targets
        ]
    if table == "readings":
        return [{"subject": r.subject, "source": r.source, "chosen": r.chosen, "other": r.other} for r in form.readings]
    if table == "filled_by":
        return [{"tier": f.tier, "from": f.starts, "until": f.ends} for f in form.filled_by]
    if table in ("ranges", "ratios"):
        return [vars(r) for r in getattr(form, table)]
    raise ValueError(table)


def _settings(ws: Worksheet, form: FormDef) -> None:
    values = {
        "id": form.id,
        "version": form.version,
        "title": form.title,
        "subtitle": form.subtitle,
        "source": form.source,
        "report_tier": form.report_tier,
        "period_kinds": list(form.period_kinds),
        "print_mode": form.print_mode,
        "columns": list(form.columns),
        "double_entry": form.double_entry,
    } | {f"plausibility.{key}": value for key, value in vars(form.plausibility).items()}
    _header(ws, layout.SETTING_HEADERS, (16, 70, 60))
    for row, column in enumerate(layout.SETTING_ROWS, start=2):
        put_text(ws, row, 1, column.header, font_of(_SIZE, bold=True))
        _put(ws, row, 2, column, values[column.key])
        put_text(ws, row, 3, column.note, font_of(_SIZE, italic=True), LEFT)
        if column.words and column.kind != "list":
            _choices(ws, list(column.words.values()), f"B{row}")


def _table(ws: Worksheet, sheet: layout.Sheet, rows: list[dict]) -> None:
    _header(ws, [c.header for c in sheet.columns], [c.width for c in sheet.columns])
    for row, values in enumerate(rows, start=2):
        for column, spec in enumerate(sheet.columns, start=1):
            _put(ws, row, column, spec, values.get(spec.key))
    for column, spec in enumerate(sheet.columns, start=1):
        letter = get_column_letter(column)
        area = f"{letter}2:{letter}{layout.MAX_ROWS}"
        if spec.kind == "bool":
            _choices(ws, ["có", "không"], area)
        elif spec.words and spec.kind != "list":
            _choices(ws, list(spec.words.values()), area)
        elif spec.choices:
            _choices(ws, list(spec.choices), area)


def _header(ws: Worksheet, headers, widths) -> None:
    bold = font_of(_SIZE, bold=True)
    for column, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put_text(ws, 1, column, text, bold, LEFT)
        set_styles(cell, fill=HEADER_FILL)
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"


def _put(ws: Worksheet, row: int, column: int, spec: layout.Column, value) -> None:
    font = font_of(_SIZE)
    if value is None or value == "" or value == []:
        return
    if spec.kind == "bool":
        put_text(ws, row, column, "có" if value else "không", font)
    elif spec.kind == "list":
        words = spec.words or {}
        put_text(ws, row, column, "; ".join(words.get(v, v) for v in value), font, LEFT)
    elif spec.kind == "date":
        set_styles(ws.cell(row=row, column=column, value=value), number_format=DATE_FORMAT, font=font)
    elif isinstance(value, Decimal):
        number = int(value) if value == value.to_integral_value() else float(value)
        set_styles(ws.cell(row=row, column=column, value=number), font=font)
    elif isinstance(value, (int, float)):
        set_styles(ws.cell(row=row, column=column, value=value), font=font)
    else:
        put_text(ws, row, column, (spec.words or {}).get(value, value), font, LEFT)


def _page(ws: Worksheet, landscape: bool) -> None:
    """A4, as wide as the page, the header row on every page: a province prints its draft to read it."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins = copy(MARGINS)
    if ws.title != layout.GUIDE:
        ws.print_title_rows = "1:1"


def _choices(ws: Worksheet, words: list[str], area: str) -> None:
    """A drop-down of the words; another text only warns, so that a code (“count”) can be typed too."""
    listed = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True)
    listed.errorStyle = "warning"
    listed.error = "Nên chọn trong danh sách; mã của định dạng biểu mẫu cũng được nhận."
    listed.errorTitle = "Giá trị ngoài danh sách"
    ws.add_data_validation(listed)
    listed.add(area)
