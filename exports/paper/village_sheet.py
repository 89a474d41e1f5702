"""The sheet a village meeting fills by hand: the form's village figures, a box for each village to write in.

A commune's officer takes these sheets to the village meetings (họp bản) and types the figures in
afterwards. Each sheet names its village (or the few villages side by side the officer chose to put on
one sheet), the form and the period, leaves the date of the meeting to be written, and holds one tall
row per indicator filled by village, its code and full words, its unit (“Có / Không” for a yes/no
indicator, to be ticked), an empty box per village. The village's head and the one who wrote sign at
the foot. No committee letterhead and no footer: it is a working paper, not the committee's document.
"""

from __future__ import annotations

import datetime as dt

from exports.paper.layout import VILLAGES_PER_SHEET, Layout
from exports.paper.page import Cell, Footer, Letterhead, PrintedDocument, SignatureBlock, Table
from forms.schema import BUILTIN_LABELS, FormDef, Indicator
from models.errors import BadInput
from models.periods import Period
from models.units import Unit

LABEL_MM = 66.0  # Chỉ tiêu: the indicator's code and words
UNIT_MM = 24.0  # ĐVT
BOX_MM = {1: 45.0}  # the box of each village: wide when alone on its sheet
NARROW_BOX_MM = 24.0  # ... and the box of each of several villages side by side
YES_NO = "Có / Không"
DATE_TO_WRITE = "……………, ngày …… tháng …… năm ………"
HEAD_OF = {"tổ dân phố": "TỔ TRƯỞNG TỔ DÂN PHỐ"}  # who heads a village of this kind and signs its sheet
HEAD = "TRƯỞNG BẢN"
WRITER = "NGƯỜI GHI"


def village_sheets(
    form: FormDef, commune: Unit, villages: list[Unit], period: Period, *, printed_on: dt.date, per_sheet: int = 1
) -> PrintedDocument:
    """The sheets of every village of ``commune``, ``per_sheet`` villages side by side on each."""
    if per_sheet not in VILLAGES_PER_SHEET:
        raise BadInput(f"Số bản trên một phiếu phải từ {VILLAGES_PER_SHEET[0]} đến {VILLAGES_PER_SHEET[-1]}.")
    indicators = list(form.village_indicators)  # the base figures too: the households are counted there
    if not indicators:
        raise BadInput(f"Biểu {form.id} không có chỉ tiêu ghi theo bản, tổ dân phố: không có phiếu họp bản để in.")
    if not villages:
        raise BadInput(f"{commune.name} chưa có bản, tổ dân phố nào trong danh sách đơn vị.")
    layout = Layout(mode="village", villages_per_sheet=per_sheet)
    letterhead = Letterhead("", commune.name, "", "", printed_on)  # not printed: a village sheet has none
    signature = SignatureBlock("", "", "", ())
    sheets = []
    for first in range(0, len(villages), per_sheet):
        group = villages[first : first + per_sheet]
        sheets.append(
            PrintedDocument(
                name=f"{commune.code}_{form.id}_{period.code}_phieu-hop-ban-{first // per_sheet + 1:02d}",
                letterhead=letterhead,
                title=form.title,
                subtitles=(where(group, commune), f"Kỳ báo cáo: {period.label}", DATE_TO_WRITE),
                blocks=(sheet_table(form, indicators, group, per_sheet),),
                signature=signature,
                footer=Footer(""),
                layout=layout,
                signers=(head_of(group), WRITER),
            )
        )
    return PrintedDocument(
        name=f"{commune.code}_{form.id}_{period.code}_phieu-hop-ban",
        letterhead=letterhead,
        title=form.title,
        subtitles=(),
        blocks=(),
        signature=signature,
        footer=Footer(""),
        layout=layout,
        sheets=tuple(sheets),
    )


def village_name(village: Unit) -> str:
    """“Bản Nậm Củm”: the name with its kind in front, unless the name already says it."""
    kind = village.kind.strip()
    if not kind or village.name.casefold().startswith(kind.casefold()):
        return village.name
    return f"{kind[:1].upper()}{kind[1:]} {village.name}"


def where(group: list[Unit], commune: Unit) -> str:
    """“Bản Nậm Củm, Xã Mường Tè”; several villages named one after another."""
    return f"{', '.join(village_name(v) for v in group)} - {commune.name}"


def head_of(group: list[Unit]) -> str:
    """Who signs for the village: its head, named as its kind says (a residential group's leader)."""
    titles = {HEAD_OF.get(v.kind.strip().casefold(), HEAD) for v in group}
    return titles.pop() if len(titles) == 1 else HEAD


def sheet_table(form: FormDef, indicators: list[Indicator], group: list[Unit], per_sheet: int) -> Table:
    """A tall row per indicator under its section's title; a box per village (a sheet of fewer villages
    than the others keeps their boxes, unnamed, so every sheet is the same page)."""
    box = BOX_MM.get(per_sheet, NARROW_BOX_MM)
    names = [village_name(v) for v in group] + [""] * (per_sheet - len(group))
    head = (
        Cell("Chỉ tiêu", "center", bold=True),
        Cell("ĐVT", "center", bold=True),
        *(Cell(name, "center", bold=True) for name in names),
    )
    sections = {s.code: s for s in form.sections}
    rows: list[tuple[Cell, ...]] = []
    headings: set[int] = set()
    current = None
    for ind in indicators:
        if ind.section != current:
            current = ind.section
            section = sections[current]
            title = section.title.upper() if section.level == 1 else section.title
            headings.add(len(rows))
            rows.append((Cell(f"{current}. {title}", bold=True, columns=2 + per_sheet),))
        rows.append((Cell(row_label(ind)), Cell(unit_words(ind), "center"), *(Cell() for _ in names)))
    widths = (LABEL_MM, UNIT_MM, *(box for _ in names))
    return Table(widths, (head,), tuple(rows), tall_rows=True, stretch=0, headings=frozenset(headings))


def row_label(ind: Indicator) -> str:
    words = ind.label or BUILTIN_LABELS.get(ind.id, ind.id)
    return f"{ind.code}. {words}" if ind.code else words


def unit_words(ind: Indicator) -> str:
    return YES_NO if ind.kind == "yesno" else ind.unit
