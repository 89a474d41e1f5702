"""docs/form-workbook.md says the layout the program reads: every sheet and column, which are needed,
and its example, typed into a workbook, is the example form of docs/forms.md."""

from __future__ import annotations

import dataclasses
import re

from openpyxl import Workbook
from testkit import ROOT

from exports.formbook import layout
from exports.formbook.read import read_form_workbook
from forms.loader import parse_form

DOC = (ROOT / "docs" / "form-workbook.md").read_text(encoding="utf-8")
FORMS_DOC = (ROOT / "docs" / "forms.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return DOC.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def tables(text: str) -> list[list[list[str]]]:
    """Each markdown table of ``text``: its rows (the header first), cells trimmed."""
    found, rows = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            if not set(line) <= set("|-"):
                rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            found.append(rows)
            rows = []
    return found


def test_every_sheet_and_column_is_described_and_the_needed_ones_say_so():
    described = {}
    for sheet in layout.SHEETS:
        title = next(t for t in re.findall(r"^## (Trang .+)$", DOC, re.MULTILINE) if f"“{sheet.name}”" in t)
        for table in tables(section(title)):
            if len(table[0]) == 3:
                for header, key, words in table[1:]:
                    described[(table[0][0], header)] = (key, words)
    for sheet in layout.SHEETS:
        for column in sheet.columns or layout.SETTING_ROWS:
            first = "Khóa" if not sheet.columns else ("cột" if sheet.name not in ("Bộ mục tiêu", "Mục tiêu") else None)
            first = first or f"cột ({sheet.name})"
            key, words = described[(first, column.header)]
            assert key in (f"`{column.key}`", "(bộ chứa nó)"), (sheet.name, column.header)
            assert words.startswith("**cần**") == column.needed, (sheet.name, column.header)


def test_the_example_typed_into_a_workbook_is_the_example_form_of_forms_md(tmp_path):
    example = section("Ví dụ")
    wb = Workbook()
    wb.active.title = layout.GUIDE
    for sheet in layout.SHEETS:
        ws = wb.create_sheet(sheet.name)
        marker = f"Trang **{sheet.name}**\n"
        if marker in example:
            for row in tables(example.split(marker, 1)[1])[0]:
                ws.append([cell or None for cell in row])
        else:
            ws.append([c.header for c in sheet.columns if c.needed])
    path = tmp_path / "vi-du.xlsx"
    wb.save(path)
    toml = FORMS_DOC.split("## An annotated example", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    assert read_form_workbook(path) == dataclasses.replace(parse_form(toml, "docs/forms.md"), path="")
