"""Does the printable form in a packet (bieu.xlsx) say what its data (so-lieu.json) says?

The upper level imports so-lieu.json; a committee prints and files bieu.xlsx.
Both are signed, but until this check nothing tied them together: a packet
whose sheet showed every number ten times over, or fetched a web page when
opened, verified. Here the sheet is read back (exports/packets/sheet_read.py,
which refuses formulas and everything else the program does not write) and
compared, cell by cell, with the cells so-lieu.json makes when laid out as
exports/paper/xlsx_form.py, xlsx_sheet.grid_sheet and xlsx_merged.py lay
them out: the same cells since the first packet (tests/fixtures/sheet_check/
keeps one packet from each writer).

- “Biểu”, the form: the indicator table, found by its column titles, row by
  row (code, label, unit, total, achieved, percentage, target); the cells the
  commune typed for itself from ``values.commune``, the other figures from
  ``rows``. Above and below the table (letterhead, headings, reasons,
  signature) only text. The percentage is a number since issue 17 (88.9
  printed “0.0”), the text “88,9” before: either is accepted, as long as
  the whole table is written one way.
- “Theo bản”: one row per village of ``villages`` in order, one column per
  village indicator, each cell from ``values.villages``; nothing in
  ``values.villages`` that the sheet has no cell for.
- A merged packet: “Biểu” with ``figures``, “Theo đơn vị” with ``units``,
  “Biến động” with ``jumps`` (each change a number since issue 17, in whole
  percent: 25 printed “+25”; the text “+25%” before).

Numbers are compared as numbers: a cell's value is read back to the
shortest text of the same float (openpyxl writes 88.9 as 88.90000000000001).

A grid is compared as one list against the list of cells the data makes, so
a genuine packet costs a list comparison; only a difference builds the maps
that name the cell.

Why it is long: the three kinds of sheet a packet prints (the form, the
villages, a merged table's units and jumps) are each laid out again here and
each names its cells in its own words; reading the workbook is apart, in
sheet_read.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from exports.packets.format import DATA_JSON, FORM_XLSX
from exports.packets.sheet_read import NUMBER, TEXT, Cell, Sheet, SheetRefused, cell_map, read_sheets
from forms import vnformat
from forms.engine import Figure, compare_targets
from forms.messages import label_of, target_text
from forms.schema import BUILTIN_LABELS, FormDef, Indicator
from models.units import tier_of

MERGED_FORMAT = "so-chi-tieu.merged"  # so-lieu.json of a merged packet (exports/collect/upward.py)
GRID_HEADER = 3  # grid_sheet(): the title on row 1, the headings on row 3, the items from row 4
NOT_APPLICABLE = "Không áp dụng"
COLUMNS = [chr(65 + n) for n in range(26)]
COLUMNS += [a + b for a in COLUMNS[:26] for b in COLUMNS[:26]]

Key = tuple[str, str]  # (column letters, row number)
Shown = tuple[str, str]  # (NUMBER or TEXT, what the cell says)
RowFigure = tuple[bool, object, object]  # (applicable, value, total) of a row of the form


def sheet_problem(xlsx: bytes, data: dict, form: FormDef) -> str | None:
    """None when bieu.xlsx holds exactly the figures of so-lieu.json (``data``) and no formula;
    else one Vietnamese sentence naming the sheet and the cell."""
    try:
        sheets = read_sheets(xlsx)
        if data.get("format") == MERGED_FORMAT:
            _check_merged(sheets, data, form)
        else:
            _check_report(sheets, data, form)
    except SheetRefused as exc:
        return str(exc)
    except (KeyError, TypeError, AttributeError, ValueError, IndexError, ArithmeticError):
        # so-lieu.json is as hostile as the sheet: a part of the wrong shape deep inside.
        return f"tệp {DATA_JSON} thiếu hoặc sai dạng phần cần để so với tệp {FORM_XLSX}."
    return None


# ---- what so-lieu.json puts in a cell (as exports/paper/xlsx_sheet.py writes it) ----------


def _text(value: str) -> Shown | None:
    """put_text(): control characters dropped; an empty text is no cell."""
    if not value.isprintable():
        value = "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return (TEXT, value) if value else None


def _number(value) -> Shown | None:
    """put_number() of a number, a text as grid_sheet() puts one; nothing for the rest."""
    if isinstance(value, str):
        return _text(value)
    if not _is_number(value):
        return None
    if isinstance(value, float) and not value.is_integer():
        return _text(vnformat.number(value))  # never typed: counts and đồng are whole
    return (NUMBER, str(int(value)))


def _percent(value: float, as_number: bool) -> Shown | None:
    """xlsx_sheet.put_percent(): 88.888… as the number 88.9; before issue 17, the text “88,9”."""
    text = vnformat.percent(value).removesuffix("%")  # rounded half up to one decimal, as printed
    return (NUMBER, _canonical(text.replace(",", "."))) if as_number else _text(text)


def _change(current, previous, as_number: bool) -> Shown | None:
    """A jump's change: xlsx_sheet.Change's number (in whole percent, half up), or the text."""
    if as_number:
        share = Decimal(repr(float((current - previous) / previous))) * 100
        return (NUMBER, str(int(share.quantize(Decimal("1"), ROUND_HALF_UP))))
    return _text(f"{(current - previous) / previous * 100:+.0f}%".replace(".", ","))


def _canonical(value: str) -> str:
    """A number cell's value as the shortest text of its float: “100” for 100.0, “88.9” for
    88.90000000000001; a value that is no number is kept as it is (and differs from what is expected)."""
    if value.isdigit():
        return value  # most cells: a count or an amount
    try:
        number = float(value)
    except ValueError:
        return value
    if not math.isfinite(number):
        return value
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def _numbers_read(sheet: Sheet) -> Sheet:
    """The sheet with every number cell's value _canonical()."""
    cells = [
        cell if cell[2] != NUMBER or cell[3].isdigit() else (cell[0], cell[1], NUMBER, _canonical(cell[3]))
        for cell in sheet.cells
    ]
    return Sheet(sheet.name, cells)


def _is_number(value) -> bool:
    # A tuple: ``int | float`` is made anew at each call, a hundred times a packet.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _date(value) -> str:
    try:
        return vnformat.date(value)
    except (ValueError, TypeError):
        return str(value)


_YES, _NO = _text(vnformat.yes_no(1)), _text(vnformat.yes_no(0))


def _village_value(kind: str, value) -> Shown | None:
    """xlsx_form._village_value() as grid_sheet() writes it."""
    if value is None or value == "":
        return None
    if kind == "yesno":
        return _YES if value else _NO
    if kind == "date":
        return _text(_date(value))
    if kind == "text":
        return _text(str(value))
    return _number(value)


def _escaped(shown: Shown) -> tuple[str, str]:
    """As the XML holds it (ElementTree escapes &, < and > in text)."""
    kind, value = shown
    if kind == TEXT and ("&" in value or "<" in value or ">" in value):
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return kind, value


def _grid(title: str, headings: list[str], rows: list[list[Shown | None]]) -> list[Cell]:
    """grid_sheet()'s cells in the file's order: the title, the headings, a numbered row per item."""
    cells: list[Cell] = []
    header = [_text(title)], [_text(h) for h in ["Stt", *headings]]
    for row, values in ((1, header[0]), (GRID_HEADER, header[1])):
        cells += [(COLUMNS[c], str(row), *_escaped(v)) for c, v in enumerate(values) if v is not None]
    for n, values in enumerate(rows, start=1):
        row = str(GRID_HEADER + n)
        cells.append(("A", row, NUMBER, str(n)))
        cells += [(COLUMNS[c], row, *_escaped(v)) for c, v in enumerate(values, start=1) if v is not None]
    return cells


# ---- the form sheet “Biểu” ----------------------------------------------------------------


def _check_form_sheet(
    sheet: Sheet, form: FormDef, figure: Callable[[Indicator, int], RowFigure], targets: dict[str, str] | None
) -> None:
    """The indicator table cell by cell; above and below it (letterhead, reasons, signature) only text.
    ``targets``: indicator -> its target's text; None when they cannot be known, the two target
    columns then only required to hold text."""
    cells = _numbers_read(sheet).cells
    start, titles = None, []
    for with_targets in [bool(targets)] if targets is not None else [True, False]:
        titles = [*form.columns[:6]] + (["Mục tiêu", "Đánh giá"] if with_targets else [])
        heading = [(COLUMNS[c], *_escaped(_text(title))) for c, title in enumerate(titles)]
        start = next(
            (
                n
                for n, cell in enumerate(cells)
                if cell[0] == "A"
                and cell[3] == heading[0][2]
                and cells[n : n + len(titles)] == [(column, cell[1], kind, value) for column, kind, value in heading]
            ),
            None,
        )
        if start is not None:
            break
    if start is None:
        raise SheetRefused(
            f"tệp {FORM_XLSX}, trang “{sheet.name}” không có bảng chỉ tiêu với các cột {', '.join(titles)}."
        )
    header = int(cells[start][1])
    plan = _table_plan(form, header)
    last = plan[-1][0] if plan else header
    printed = {str(row): ind for row, _, ind in plan if ind is not None}

    def expected_cells(numbers: bool) -> list[Cell]:
        expected: list[Cell] = []
        for row, fixed, ind in plan:
            expected += fixed
            if ind is None:
                continue
            shown = _figure_cells(ind, *figure(ind, row), numbers)
            if targets is not None and ind.id in targets:
                goal, _, status = str(targets[ind.id]).partition(": ")
                shown += [None] * (3 - len(shown)) + [_text(goal), _text(status[:1].upper() + status[1:])]
            number = str(row)
            expected += [(COLUMNS[3 + n], number, *_escaped(c)) for n, c in enumerate(shown) if c is not None]
            if targets is None and len(titles) > 6:
                expected += [cell for cell in cells if cell[1] == number and cell[0] in "GH" and cell[2] == TEXT]
        return expected

    # The percentages as numbers (since issue 17), else as text (the packets before).
    old_style = any(c[0] == "F" and c[2] == TEXT and header < int(c[1]) <= last for c in cells[start + len(titles) :])
    expected = expected_cells(not old_style)
    end = start + len(titles) + len(expected)
    above, table, below = cells[:start], cells[start + len(titles) : end], cells[end:]
    if (
        table == expected
        and all(kind == TEXT and int(row) < header for _, row, kind, _ in above)
        and all(kind == TEXT and int(row) > last for _, row, kind, _ in below)
    ):
        return  # the table as the data makes it, only text around it (rows in order, as Excel needs them)
    # Something differs: name it, the slow way.
    found = cell_map(Sheet(sheet.name, cells))
    for (column, number), shown in found.items():
        if shown[0] == NUMBER and not header <= int(number) <= last:
            raise SheetRefused(
                f"tệp {FORM_XLSX}, trang “{sheet.name}”, ô {column}{number} ghi số {_words(shown)} ngoài bảng "
                "chỉ tiêu; biểu của Sổ Chỉ Tiêu không có số ở đó."
            )
    names = dict(zip("DEFGH", [*form.columns[3:6], "Mục tiêu", "Đánh giá"], strict=False))

    def what(key: Key) -> str:
        ind = printed.get(key[1])
        return f"cột “{names[key[0]]}” của chỉ tiêu {ind.code}" if ind and key[0] in names else ""

    table_found = {key: shown for key, shown in found.items() if header < int(key[1]) <= last}
    _compare(sheet.name, table_found, cell_map(Sheet(sheet.name, expected)), what)


def _table_plan(form: FormDef, header: int) -> list[tuple[int, list[Cell], Indicator | None]]:
    """(row, its cells that come from the form itself, the indicator when the row has figures) for
    each row of xlsx_form._table() under a header on row ``header``; worked out once per form and header."""
    plans = form.__dict__.get("_sheet_plans")
    if plans is None:
        plans = {}
        object.__setattr__(form, "_sheet_plans", plans)  # as forms/engine.py keeps its plan
    plan = plans.get(header)
    if plan is None:
        plan, row, current = [], header, None
        sections = {s.code: s for s in form.sections}
        for ind in form.indicators:
            if ind.section != current:
                current, section = ind.section, sections[ind.section]
                row += 1
                title = section.title.upper() if section.level == 1 else section.title
                plan.append((row, _row_cells(row, [_text(current), _text(title)]), None))
            if ind.is_row:
                row += 1
                plan.append((row, _row_cells(row, [_text(ind.code or ""), _text(ind.label), _text(ind.unit)]), ind))
        plans[header] = plan
    return plan


def _row_cells(row: int, shown: list[Shown | None]) -> list[Cell]:
    number = str(row)
    return [(COLUMNS[column], number, *_escaped(cell)) for column, cell in enumerate(shown) if cell is not None]


def _figure_cells(ind: Indicator, applicable: bool, value, total, numbers: bool = True) -> list[Shown | None]:
    """xlsx_form._indicator_row() from column D: total, achieved, percentage (or one text over them);
    the percentage a number, or as text as before issue 17 (``numbers`` false)."""
    if not applicable:
        return [_text(NOT_APPLICABLE)]
    if ind.kind in ("text", "date"):
        return [_text(_date(value) if ind.kind == "date" else str(value or ""))]
    percent = None
    if _is_number(value) and _is_number(total) and total > 0:
        percent = _percent(value * 100 / total, numbers)
    return [_number(total), _number(value), percent]


# ---- a commune's packet -----------------------------------------------------------------


def _check_report(sheets: dict[str, Sheet], data: dict, form: FormDef) -> None:
    villages, values, rows = _part(data, "villages", list), _part(data, "values", dict), _part(data, "rows", list)
    commune = values["commune"]
    _same_sheets(sheets, ["Biểu", "Theo bản"] if villages else ["Biểu"])
    rows = {row["indicator"]: row for row in rows}
    unit_kind = data["unit"]["kind"]

    def typed(ind_id: str | None):
        """The commune's own cell, which the engine takes over any sum of villages."""
        if ind_id is None or commune.get(ind_id) is None:
            return None
        return commune[ind_id] if not form.has_indicator(ind_id) or form.indicator(ind_id).applies(unit_kind) else None

    def figure(ind: Indicator, _: int) -> RowFigure:
        row = rows.get(ind.id) or {}
        value, total = typed(ind.id), typed(ind.denominator)
        return (
            row.get("applicable", True),
            row.get("achieved") if value is None else value,
            row.get("total") if total is None else total,
        )

    targets = {t["indicator"]: t["text"] for t in _part(data, "targets", list)}
    _check_form_sheet(sheets["Biểu"], form, figure, targets)
    if villages:
        _check_villages(sheets["Theo bản"], data, form)


def _check_villages(sheet: Sheet, data: dict, form: FormDef) -> None:
    """“Theo bản”: a row per village of so-lieu.json in its order, a column per village indicator."""
    columns = form.village_indicators
    by_village = data["values"]["villages"]
    listed = {v["code"] for v in data["villages"]}
    known = {ind.id for ind in columns}
    for code, row in by_village.items():
        if code in listed and row.keys() <= known:
            continue
        extra = [
            ind for ind, value in row.items() if value not in (None, "") and (code not in listed or ind not in known)
        ]
        if extra:
            raise SheetRefused(
                f"tệp {DATA_JSON} ghi chỉ tiêu “{extra[0][:40]}” của bản mã {code[:40]} nhưng tệp {FORM_XLSX} "
                "không có ô nào cho số liệu này."
            )
    title = f"SỐ LIỆU THEO BẢN, TỔ DÂN PHỐ - {data['unit']['name'].upper()} - {data['period']['label'].upper()}"
    expected = _grid(title, ["Bản, tổ dân phố", *(_heading(ind) for ind in columns)], [])
    plan = [(COLUMNS[2 + n], ind.id, ind.kind, ind.kind in ("count", "amount")) for n, ind in enumerate(columns)]
    add = expected.append
    for n, village in enumerate(data["villages"], start=1):
        # grid_sheet() and xlsx_form._village_value(), unrolled: this is most of the time of a genuine packet.
        number = str(GRID_HEADER + n)
        add(("A", number, NUMBER, str(n)))
        name = _text(village["name"] + ("" if village.get("active", True) else " (đã ngừng)"))
        if name is not None:
            add(("B", number, *_escaped(name)))
        row = by_village.get(village["code"]) or {}
        for column, ind, kind, counted in plan:
            value = row.get(ind)
            if value is None or value == "":
                continue
            if kind == "yesno":
                add((column, number, TEXT, _YES[1] if value else _NO[1]))
            elif counted and type(value) is int:
                add((column, number, NUMBER, str(value)))
            else:
                shown = _village_value(kind, value)
                if shown is not None:
                    add((column, number, *_escaped(shown)))
    names = [v["name"] for v in data["villages"]]
    _check_grid(sheet, expected, names, {2 + n: _what_indicator(ind) for n, ind in enumerate(columns)})


def _heading(ind: Indicator) -> str:
    return ind.code or BUILTIN_LABELS.get(ind.id) or ind.label


# ---- a merged packet (a district's or province's table) ------------------------------------


def _check_merged(sheets: dict[str, Sheet], data: dict, form: FormDef) -> None:
    """The form filled with the totals, a row per unit below (“Theo đơn vị”), then what jumped."""
    figures, units, jumps = _part(data, "figures", dict), _part(data, "units", list), _part(data, "jumps", list)
    _same_sheets(sheets, ["Biểu", "Theo đơn vị", *(["Biến động"] if jumps else [])])
    said = {(c, r): v for c, r, _, v in sheets["Biểu"].cells if c == "D"}

    def figure(ind: Indicator, row: int) -> RowFigure:
        if not ind.is_numeric:
            # Texts and dates are not merged: the row says “Không áp dụng” or nothing, as the units had it.
            return said.get(("D", str(row))) != NOT_APPLICABLE, None, None
        found = figures.get(ind.id)
        return (True, found.get("value"), found.get("total")) if found is not None else (False, None, None)

    _check_form_sheet(sheets["Biểu"], form, figure, _merged_targets(data, form, figures))
    rows = [ind for ind in form.indicators if ind.is_row and ind.is_numeric]
    grid = []
    for unit in units:
        sent = unit["figures"]
        package = f"lần {unit['sequence']}" if sent is not None else "chưa gửi"
        values = [(sent.get(ind.id) or {}).get("value") if sent is not None else None for ind in rows]
        grid.append([_text(unit["name"]), _text(package), *(_number(v) for v in values)])
    received = sum(1 for unit in units if unit["figures"] is not None)
    period = data["period"]["label"].upper()
    title = f"SỐ LIỆU TỪNG ĐƠN VỊ - {form.id.upper()} - {period} ({received}/{len(units)} đã gửi)"
    expected = _grid(title, ["Đơn vị", "Gói", *(ind.code for ind in rows)], grid)
    what = {3 + n: _what_indicator(ind) for n, ind in enumerate(rows)}
    _check_grid(sheets["Theo đơn vị"], expected, [u["name"] for u in units], what)
    if jumps:
        names = {unit["code"]: unit["name"] for unit in units}
        changes = _numbers_read(sheets["Biến động"])
        # Each change a number (since issue 17), else the text “+25%” (the packets before).
        as_number = not any(c[0] == "F" and c[2] == TEXT and int(c[1]) > GRID_HEADER for c in changes.cells)
        grid = [
            [
                _text(names.get(j["unit"], "")),
                _text(label_of(form, j["indicator"])),
                _number(j["previous"]),
                _number(j["current"]),
                _change(j["current"], j["previous"], as_number),
            ]
            for j in jumps
        ]
        title = f"SỐ LIỆU THAY ĐỔI NHIỀU SO VỚI KỲ TRƯỚC - {period}"
        headings = ["Đơn vị", "Chỉ tiêu", "Kỳ trước", "Kỳ này", "Thay đổi (%)" if as_number else "Thay đổi"]
        expected = _grid(title, headings, grid)
        what = {n: f"cột “{heading}”" for n, heading in enumerate(headings, start=1)}
        _check_grid(changes, expected, [names.get(j["unit"], "") for j in jumps], what)


def _merged_targets(data: dict, form: FormDef, figures: dict) -> dict[str, str] | None:
    """Indicator -> its target's text as the merged workbook prints it: so-lieu.json of a merged table
    does not carry them, so they are worked out again from its totals and the form's target set, as
    exports/collect/merge.py does. None when that cannot be done the same way (the set has changed
    since, or a total is not a number): the two columns are then only required to hold text."""
    named = data.get("target_set")
    if not named:
        return {}
    target_set = form.target_set(named.get("id"))
    if target_set is None or target_set.version != named.get("version"):
        return None
    totals = {}
    for ind in form.indicators:
        sent = figures.get(ind.id) if ind.is_numeric else None
        value, total = (sent.get("value"), sent.get("total")) if sent is not None else (None, None)
        if not all(n is None or _is_number(n) for n in (value, total)):
            return None
        percent = value * 100 / total if value is not None and total else None
        totals[ind.id] = Figure(ind.id, value, total, percent, typed=False, applicable=sent is not None)
    results = compare_targets(form, totals, target_set, tier_of(data["unit"]["kind"]))
    return {result.indicator: target_text(form, result) for result in results}


def _part(data: dict, key: str, kind: type):
    """A part of so-lieu.json the sheet is made from; SheetRefused when it is missing or of another kind."""
    found = data.get(key)
    if not isinstance(found, kind):
        raise SheetRefused(
            f"tệp {DATA_JSON} thiếu mục “{key}” hoặc mục này sai dạng; không so được với tệp {FORM_XLSX}."
        )
    return found


# ---- comparing ----------------------------------------------------------------------------


def _same_sheets(sheets: dict[str, Sheet], names: list[str]) -> None:
    for name in sheets:
        if name not in names:
            raise SheetRefused(f"tệp {FORM_XLSX} có trang lạ “{name[:40]}” mà biểu của gói không có.")
    for name in names:
        if name not in sheets:
            raise SheetRefused(f"tệp {FORM_XLSX} thiếu trang “{name}”.")


def _check_grid(sheet: Sheet, expected: list[Cell], names: list[str], columns: dict[int, str]) -> None:
    """A grid sheet against its cells, its rows named by ``names``, its columns by ``columns``."""
    if sheet.cells == expected:
        return  # the genuine packet: one comparison of two lists

    def what(key: Key) -> str:
        n, column = int(key[1]) - GRID_HEADER - 1, COLUMNS.index(key[0])
        if n >= len(names):
            return f"dòng không có trong {DATA_JSON}"
        if n < 0 or column == 0:
            return ""
        return f"{columns[column]} của {names[n]}" if column in columns else names[n]

    wanted = cell_map(Sheet(sheet.name, expected))
    _compare(sheet.name, cell_map(sheet), wanted, what)


def _what_indicator(ind: Indicator) -> str:
    return f"chỉ tiêu {ind.code}" if ind.code else f"“{BUILTIN_LABELS.get(ind.id) or ind.label}”"


def _compare(sheet: str, cells: dict[Key, Shown], expected: dict[Key, Shown], what: Callable[[Key], str]) -> None:
    """Nothing when the cells are the expected ones; else SheetRefused naming the first that differs."""
    if cells == expected:
        return
    differ = [key for key in cells.keys() | expected.keys() if cells.get(key) != expected.get(key)]
    key = min(differ, key=lambda k: (int(k[1]), len(k[0]), k[0]))
    shown, wanted = cells.get(key), expected.get(key)
    context = what(key)
    where = f"tệp {FORM_XLSX}, trang “{sheet}”, ô {key[0]}{key[1]}" + (f" ({context})" if context else "")
    if shown is None:
        raise SheetRefused(f"{where} để trống nhưng {DATA_JSON} ghi {_words(wanted)}.")
    if wanted is None:
        raise SheetRefused(f"{where} ghi {_words(shown)} nhưng theo {DATA_JSON} ô này phải để trống.")
    if _words(shown) == _words(wanted):  # the same digits, as a number in one and as text in the other
        raise SheetRefused(f"{where} ghi {_words(shown)} dạng {_kind(shown)}, {DATA_JSON} ghi dạng {_kind(wanted)}.")
    raise SheetRefused(f"{where} ghi {_words(shown)} nhưng {DATA_JSON} ghi {_words(wanted)}.")


def _words(shown: Shown) -> str:
    kind, value = shown
    if kind == NUMBER and value.lstrip("-").isdigit() and len(value) < 30:
        return vnformat.number(int(value))
    return f"“{value[:60]}{'…' if len(value) > 60 else ''}”"


def _kind(shown: Shown) -> str:
    return "số" if shown[0] == NUMBER else "chữ"
