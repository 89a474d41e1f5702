"""How a form's table is laid out on the page: the lines above the table, the same on paper and in xlsx.

A table is printed in one of three ways (shared/seeds show the first two):
- ``report``: a stand-alone report, the committee's letterhead, “BÁO CÁO” over the form's title, an
  optional short text the clerk types, the table, “Nơi nhận:” and the signature;
- ``annex``: an annex of a document the committee writes (“NHIỆM VỤ CỤ THỂ / (Kèm theo Kế hoạch số
  …-KH/HU, ngày … của Ban Thường vụ Huyện ủy)” in seed 001): no letterhead, no signature unless asked;
- ``village``: the sheet a village meeting fills by hand, one per village (exports/paper/village_sheet.py).

The form says which of the first two it prints by default (``print_mode``); the officer's choice is
remembered per unit and form in the database's settings, beside the letterhead's (letterhead.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

from forms.schema import FormDef
from models.gateway import Gateway
from models.units import Unit

MODES = ("report", "annex", "village")
MODE_WORDS = {"report": "Báo cáo", "annex": "Phụ lục kèm theo văn bản", "village": "Phiếu họp bản"}
REPORT_HEADING = "BÁO CÁO"
ANNEX_HEADING = "PHỤ LỤC"
VILLAGE_HEADING = "PHIẾU GHI SỐ LIỆU HỌP BẢN"
VILLAGES_PER_SHEET = range(1, 7)  # villages side by side on one village sheet: what a landscape page holds
SETTING_PREFIX = "print."  # print.<unit code>.<form id>.layout.<field>


@dataclass(frozen=True)
class Layout:
    mode: str = "report"  # MODES
    body: str = ""  # report: the short text the clerk typed, printed between the title and the table
    annex_number: str = ""  # annex: “01” in “PHỤ LỤC 01”; empty prints “PHỤ LỤC”
    annex_of: str = ""  # annex: “Báo cáo số 12-BC/ĐU ngày 05/01/2026 của Ban Thường vụ Đảng ủy xã Mường Tè”
    signed: bool = False  # annex: the signature block under the table as well
    villages_per_sheet: int = 1  # village: how many villages side by side on one sheet

    @property
    def letterhead(self) -> bool:
        """Whether the page opens with the committee's two-column letterhead."""
        return self.mode == "report"

    @property
    def signature(self) -> bool:
        return self.mode == "report" or (self.mode == "annex" and self.signed)

    @property
    def recipients(self) -> bool:
        """Whether “Nơi nhận:” prints: an annex goes with its document, whose recipients are the document's."""
        return self.mode == "report"

    def heading_sizes(self, title_pt: int, heading_pt: int) -> tuple[int, ...]:
        """The size of each heading line: a report's “BÁO CÁO” larger than its title; an annex's
        “PHỤ LỤC” as large as its title."""
        first = heading_pt if self.mode == "report" else title_pt
        return (first, *(title_pt for _ in self.heading("")[1:]))

    def heading(self, title: str) -> tuple[str, ...]:
        """The bold lines above the subtitles: “BÁO CÁO” then the title, or “PHỤ LỤC 01” then the title."""
        if self.mode == "annex":
            return (f"{ANNEX_HEADING} {self.annex_number}".strip(), title)
        if self.mode == "report":
            return (REPORT_HEADING, title)
        return (VILLAGE_HEADING, title)

    def annex_line(self) -> str:
        """“(Kèm theo Báo cáo số …)”, with room to write in what the clerk left out."""
        if self.mode != "annex":
            return ""
        return f"(Kèm theo {self.annex_of or 'văn bản số      ngày      của      '})"


def merged_title(form: FormDef) -> str:
    """“TỔNG HỢP KẾT QUẢ …”: the title of a level's merged table, on paper and in its xlsx."""
    return f"TỔNG HỢP {form.title}"


def default_layout(form: FormDef) -> Layout:
    return Layout(mode=form.print_mode)


def layout_for(gw: Gateway, unit: Unit, form: FormDef, **overrides) -> Layout:
    """The form's default, with what the officer chose before for this unit, then ``overrides``."""
    stored = {}
    for item in fields(Layout):
        value = gw.setting(_key(unit, form, item.name))
        if value is None:
            continue
        if item.type in (bool, "bool"):
            stored[item.name] = value == "1"
        elif item.type in (int, "int"):
            if value.isdigit() and int(value) in VILLAGES_PER_SHEET:
                stored[item.name] = int(value)
        else:
            stored[item.name] = value
    if stored.get("mode") not in (None, *MODES):
        del stored["mode"]  # a setting written by a later version: the form's default instead
    chosen = {k: v for k, v in overrides.items() if v is not None}
    return replace(default_layout(form), **{**stored, **chosen})


def save_layout(gw: Gateway, unit: Unit, form: FormDef, layout: Layout) -> None:
    """Remember the choice, so the next print of this form starts from it (the village mode is a
    one-off: the next print of the report keeps the mode chosen before)."""
    with gw.transaction():
        for name, value in asdict(layout).items():
            if name == "mode" and value == "village":
                continue
            if isinstance(value, bool):
                value = "1" if value else "0"
            gw.set_setting(_key(unit, form, name), str(value))


def _key(unit: Unit, form: FormDef, name: str) -> str:
    return f"{SETTING_PREFIX}{unit.code}.{form.id}.layout.{name}"
