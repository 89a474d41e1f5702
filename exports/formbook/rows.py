"""A form workbook's cells turned into the dict a TOML file gives, with the place of every field.

Each cell is read by its column's kind (layout.Column): texts in NFC, trimmed; whole numbers typed as
text or as 2.0; a Vietnamese word or the format's code for a closed choice; dates as Excel dates or
dd/mm/yyyy. What a cell cannot be is a Problem here, its field left out and its place noted in
``quiet`` so that the loader's own complaint about the same field is not said twice; everything
else (unknown parent, duplicate id, cycles…) is the loader's to find (forms/loader.form_from_data).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from exports.formbook import layout
from exports.formbook.errors import Problem
from exports.formbook.opening import Grid
from forms.loader import FORMAT_VERSION

Place = tuple[str, int | None, str | None, str | None]  # sheet, row, column letter, header
_CODE_COLUMNS = {("sections", "code"), ("indicators", "code"), ("indicators", "section")}
_DAY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass
class Book:
    data: dict = field(default_factory=lambda: {"format": FORMAT_VERSION})
    places: dict[tuple, Place] = field(default_factory=dict)  # a path of the data -> where it was written
    problems: list[Problem] = field(default_factory=list)
    quiet: set[tuple] = field(default_factory=set)  # paths whose mistake is already a Problem
    headers_wrong: bool = False  # a sheet's columns are not the layout's: its rows were not read

    def note(self, place: Place, path: tuple, text: str) -> None:
        self.problems.append(Problem(*place, text))
        self.quiet.add(path)


def read_book(grids: dict[str, Grid]) -> Book:
    book = Book()
    _settings(book, grids[layout.SETTINGS])
    sets: dict[str, int] = {}
    for sheet in layout.SHEETS[1:]:
        grid = grids.get(sheet.name)
        if grid is None:  # an optional sheet left out (opening.py refuses a needed one)
            continue
        columns = _header(book, sheet, grid)
        if columns is None:
            book.headers_wrong = True
            continue
        for row_number in sorted(grid.rows)[1:] if 1 in grid.rows else sorted(grid.rows):
            _row(book, sheet, columns, row_number, grid.rows[row_number], sets)
    return book


def _settings(book: Book, grid: Grid) -> None:
    keys = {_fold(c.header): c for c in layout.SETTING_ROWS} | {c.key: c for c in layout.SETTING_ROWS}
    seen: dict[str, int] = {}
    for number, cells in sorted(grid.rows.items()):
        label = cells.get(1)
        if number == 1 or label is None:
            continue
        column = keys.get(_fold(str(label)))
        if column is None:
            known = ", ".join(c.header for c in layout.SETTING_ROWS)
            book.problems.append(
                Problem(grid.name, number, "A", "Khóa", f"khóa “{_text(label)}” không có; các khóa: {known}")
            )
            continue
        if column.key in seen:
            book.problems.append(
                Problem(grid.name, number, "A", "Khóa", f"khóa “{column.header}” đã có ở dòng {seen[column.key]}")
            )
            continue
        seen[column.key] = number
        place = (grid.name, number, "B", column.header)
        path = tuple(column.key.split("."))  # “plausibility.change_percent”: a key of [plausibility]
        book.places[path] = place
        if 2 in cells:
            value = _value(book, column, cells[2], place, path)
            if value is not None:
                table = book.data.setdefault(path[0], {}) if len(path) > 1 else book.data
                table[path[-1]] = value
    for column in layout.SETTING_ROWS:
        book.places.setdefault(tuple(column.key.split(".")), (grid.name, None, None, column.header))


def _header(book: Book, sheet: layout.Sheet, grid: Grid) -> dict[int, layout.Column] | None:
    """Column number -> its Column, from row 1; None (and Problems) when the headers are not the layout's."""
    if not grid.rows:
        return {}  # an empty sheet: nothing of this kind in the form
    known = {_fold(c.header): c for c in sheet.columns} | {c.key: c for c in sheet.columns}
    columns: dict[int, layout.Column] = {}
    bad = False
    for number, text in sorted(grid.rows.get(1, {}).items()):
        column = known.get(_fold(str(text)))
        if column is None or column in columns.values():
            letter = get_column_letter(number)
            why = "trùng với một cột trước" if column else "không có trong mẫu"
            book.problems.append(Problem(sheet.name, 1, letter, None, f"cột “{_text(text)}” {why}"))
            bad = True
            continue
        columns[number] = column
    for column in sheet.columns:
        if column.needed and column not in columns.values():
            book.problems.append(Problem(sheet.name, 1, None, column.header, "thiếu cột này (dòng 1 là tên cột)"))
            bad = True
    return None if bad else columns


def _row(book: Book, sheet: layout.Sheet, columns: dict, number: int, cells: dict, sets: dict) -> None:
    table: dict = {}
    places: dict[str, Place] = {}
    for col_number in cells:
        column = columns.get(col_number)
        if column is None:
            book.problems.append(
                Problem(sheet.name, number, get_column_letter(col_number), None, "ô có giá trị ở cột không có tên")
            )
            continue
        places[column.key] = (sheet.name, number, get_column_letter(col_number), column.header)
    for col_number, column in columns.items():  # an empty cell too: “chưa điền” names its column
        places.setdefault(column.key, (sheet.name, number, get_column_letter(col_number), column.header))
    if sheet.table == "targets":
        path = _target_path(book, cells, columns, places, sets)
        if path is None:
            return
    else:
        items = book.data.setdefault(sheet.table, [])
        path = (sheet.table, len(items))
        items.append(table)
    if sheet.table == "target_sets":
        table["targets"] = []
    book.places[path] = (sheet.name, number, None, None)
    for col_number, value in cells.items():
        column = columns.get(col_number)
        if column is None or column.key == "set":
            continue
        read = _value(book, column, value, places[column.key], (*path, column.key), sheet.table)
        if read is not None:
            table[column.key] = read
    for key, place in places.items():
        book.places[(*path, key)] = place
    if sheet.table == "target_sets" and isinstance(table.get("id"), str):
        sets.setdefault(table["id"], path[1])
    if sheet.table == "targets":
        book.data["target_sets"][path[1]]["targets"].append(table)


def _target_path(book: Book, cells: dict, columns: dict, places: dict, sets: dict) -> tuple | None:
    """Where a target row goes: under its set, named in its first column."""
    set_column = next((n for n, c in columns.items() if c.key == "set"), None)
    set_id = _text(cells.get(set_column, "")) if set_column else ""
    place = places["set"]
    if not set_id:
        book.problems.append(Problem(*place, "chưa ghi mã bộ mục tiêu"))
        return None
    if set_id not in sets:
        book.problems.append(Problem(*place, f"bộ mục tiêu “{set_id}” không có ở trang {layout.TARGET_SETS}"))
        return None
    index = sets[set_id]
    return ("target_sets", index, "targets", len(book.data["target_sets"][index]["targets"]))


def _value(book: Book, column: layout.Column, value, place: Place, path: tuple, table: str = ""):
    """The cell's value as the TOML format has it, or None (a Problem noted) when it cannot be."""
    if isinstance(value, dt.datetime) and column.kind != "date":
        book.note(place, path, "ô là một ngày; hãy gõ lại dạng chữ hoặc số")
        return None
    if column.kind == "int":
        return _whole(value)
    if column.kind == "number":
        return _number(value)
    if column.kind == "date":
        return _date(book, value, place, path)
    if column.kind == "bool":
        return _bool(book, value, place, path)
    text = _text(value)
    if column.kind == "list":
        parts = [p.strip() for p in re.split(";" if column.key == "columns" else "[;,]", text) if p.strip()]
        return [_choice(book, column, p, place, path) or p for p in parts] if column.words else parts
    if column.words:
        return _choice(book, column, text, place, path)
    if column.choices:
        return layout.OP_SYNONYMS.get(text, text)
    if (table, column.key) in _CODE_COLUMNS:
        _check_code(book, text, place, path)
    return text


def _choice(book: Book, column: layout.Column, text: str, place: Place, path: tuple) -> str | None:
    folded = _fold(text)
    for code, word in column.words.items():
        if folded in (_fold(word), code):
            return code
    words = ", ".join(column.words.values())
    book.note(place, path, f"“{text}” không hợp lệ; chọn một trong: {words}")
    return None


def _check_code(book: Book, text: str, place: Place, path: tuple) -> None:
    if unicodedata.normalize("NFKC", text) != text:
        book.note(place, path, f"“{text}” có chữ số hoặc ký tự toàn độ rộng; hãy gõ lại bằng chữ số thường")
    elif any(c.isspace() for c in text):
        book.note(place, path, f"“{text}” có dấu cách ở giữa; hãy bỏ dấu cách")


def _whole(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return value if not isinstance(value, str) else _text(value)


def _number(value):
    if isinstance(value, str):
        text = _text(value).rstrip("%").strip().replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return _text(value)
        return int(number) if number.is_integer() else number
    return value


def _date(book: Book, value, place: Place, path: tuple):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DAY.fullmatch(_text(value))
    if match:
        try:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            pass
    book.note(place, path, f"“{_text(value)}” không phải một ngày; viết dạng dd/mm/yyyy, ví dụ 01/07/2025")
    return None


def _bool(book: Book, value, place: Place, path: tuple):
    if isinstance(value, bool):
        return value
    folded = _fold(_text(value))
    if folded in layout.YES_WORDS:
        return True
    if folded in layout.NO_WORDS:
        return False
    book.note(place, path, f"“{_text(value)}” không hợp lệ; ghi “có” hoặc “không”")
    return None


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()
