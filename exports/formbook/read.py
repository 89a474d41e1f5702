"""A form workbook read into the same FormDef as a TOML file, or every mistake in it at once.

Three passes, each reporting all it finds: the file and its sheets (opening.py: not an xlsx,
encrypted, merged cells, formulas, hidden sheets, too many rows, a missing sheet), the cells
(rows.py: a word not in a list, a date that is not one, a code with a space), then the loader of
TOML files on the dict the cells make (forms/loader.form_from_data), whose every complaint is
turned back into the sheet, row and column it came from.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from exports.formbook import layout
from exports.formbook.errors import FormBookErrors, Problem
from exports.formbook.opening import open_workbook
from exports.formbook.rows import Book, read_book
from forms.loader import FormError, FormErrors, form_from_data
from forms.schema import FormDef

# The loader speaks of TOML tables; a workbook has sheets.
_WORDS = (
    ("chưa được khai báo trong [[sections]]", f"không có ở trang {layout.SECTIONS}"),
    (" ([[target_sets.targets]])", f" (trang {layout.TARGETS})"),
    (" ([[indicators]])", ""),
)


def read_form_workbook(path: str | Path) -> FormDef:
    """The form written in the workbook at ``path``.

    Raises FormBookErrors (exit code 1) with every mistake, each with its sheet, row and column;
    its subclass FormBookUnreadable (exit code 2) when the file is not a workbook that can be read.
    """
    path = Path(path)
    book = read_book(open_workbook(path))
    if book.headers_wrong:  # rows not read would only be reported missing
        raise FormBookErrors(path.name, _ordered(book.problems))
    if not book.data.get("indicators"):
        book.problems.append(Problem(layout.INDICATORS, None, None, None, "chưa có chỉ tiêu nào"))
        raise FormBookErrors(path.name, _ordered(book.problems))
    try:
        form = form_from_data(book.data, path.name)
    except FormErrors as exc:
        problems = book.problems + [_problem(book, e) for e in exc.errors if not _quiet(book, e)]
        raise FormBookErrors(path.name, _ordered(problems or [_problem(book, exc.errors[0])])) from None
    except FormError as exc:
        raise FormBookErrors(path.name, _ordered([*book.problems, _problem(book, exc)])) from None
    if book.problems:
        raise FormBookErrors(path.name, _ordered(book.problems))
    return by_section(form)


def by_section(form: FormDef) -> FormDef:
    """The indicators grouped under their sections in the order of the sheet Mục, each section's rows in
    the order written: a row added at the bottom of the sheet prints under its own section, not after
    the last one."""
    place = {section.code: n for n, section in enumerate(form.sections)}
    return replace(form, indicators=tuple(sorted(form.indicators, key=lambda i: place.get(i.section, len(place)))))


def _quiet(book: Book, error: FormError) -> bool:
    return error.path in book.quiet or (error.missing is not None and (*error.path, error.missing) in book.quiet)


def _problem(book: Book, error: FormError) -> Problem:
    text = error.problem
    for toml, sheet in _WORDS:
        text = text.replace(toml, sheet)
    if error.missing is not None:
        path = (*error.path, error.missing)
        place = book.places.get(path) or _nearest(book, error.path)
        what = place[3] or _header_of(place[0], error.missing)
        if place[1] is None:  # a setting of “Biểu” without its row
            return Problem(place[0], None, None, None, f"thiếu dòng “{what}”")
        return Problem(*place[:3], what, f"chưa điền “{what}”")
    return Problem(*_nearest(book, error.path), text)


def _header_of(sheet_name: str, key: str) -> str:
    """The header of the column for ``key`` on that sheet, which the sheet may have left out."""
    sheet = layout.SHEET_BY_NAME.get(sheet_name)
    columns = (sheet.columns if sheet else ()) or layout.SETTING_ROWS
    return next((c.header for c in columns if c.key == key), key)


def _nearest(book: Book, path: tuple):
    while path:
        if path in book.places:
            return book.places[path]
        path = path[:-1]
    return (layout.SETTINGS, None, None, None)


def _ordered(problems: list[Problem]) -> list[Problem]:
    """By sheet in the workbook's order, then row and column: as the person will fix them."""
    order = {s.name: n for n, s in enumerate(layout.SHEETS)}
    return sorted(problems, key=lambda p: (order.get(p.sheet, -1), p.row or 0, p.column or ""))
