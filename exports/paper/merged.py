"""The upper level's printouts: the merged table and the completeness matrix.

The merged page is the form filled with the summed figures (the table the
level signs and sends up), one list of the units that have sent nothing,
then an annex with the figures of each unit that has, a few indicators per
table so each fits a landscape page. The completeness page
is the matrix of who sent what.
"""

from __future__ import annotations

import datetime as dt
import re

from exports.collect.completeness import Completeness
from exports.collect.merge import MergedTable
from exports.paper.completeness_words import form_heading, state_text, summary_line
from exports.paper.footer import sent_or_unsent_footer
from exports.paper.layout import Layout, default_layout, merged_title
from exports.paper.letterhead import PageSettings
from exports.paper.page import LANDSCAPE_TEXT_MM, Cell, Footer, Paragraph, PrintedDocument, Table
from exports.paper.report import MM_PER_DIGIT, amounts_in_words, form_table, subtitles
from forms import vnformat
from forms.engine import Figure
from models.gateway import Gateway
from models.reporting import fills

STT_MM = 13.0  # “3321” on one line at 12 pt with the cell padding (10 mm wrapped every 4-digit number)
UNIT_NAME_MM = (STT_MM, 52.0)  # Stt, Đơn vị
FIGURE_MM = 18.0
HEADING_MM_PER_CHAR = 2.2  # 12 pt bold Liberation Serif: “(phường)” measures 16,9 mm
NBSP = "\u00a0"
STATE_MM = 62.0


def merged_document(
    gw: Gateway,
    table: MergedTable,
    page: PageSettings,
    *,
    printed_on: dt.date,
    words: bool = False,
    layout: Layout | None = None,
) -> PrintedDocument:
    """The summed form, then each unit's figures; the footer names the upward packet while it matches.
    ``layout``: a report of its own or an annex (as its xlsx is), the form's own mode when not given."""
    from exports.collect.upward import merged_fingerprint
    from exports.packets.write import latest_packet

    parent, form, period = table.parent, table.form, table.period
    blocks: list[Table | Paragraph] = [form_table(form, table.evaluation()), *who_is_in(table)]
    if words:
        blocks += amounts_in_words(form, table.evaluation())
    if table.jumps:
        blocks.append(Paragraph("Số liệu thay đổi trên 30% so với kỳ trước:", bold=True, size=11))
        blocks += [
            Paragraph(
                f"- {j.unit.name}, chỉ tiêu {form.indicator(j.indicator).code or j.indicator}:"
                f" {vnformat.number(j.previous)} → {vnformat.number(j.current)}.",
                size=11,
            )
            for j in table.jumps
        ]
    blocks += unit_tables(table)
    # Where the level fills the form itself for the period, its report and packets are its own, not this table's.
    report = None if fills(form, parent, period) else gw.find_report(parent.code, form.id, period.code)
    packet = latest_packet(gw, report) if report else None
    return PrintedDocument(
        name=f"{parent.code}_{form.id}_{period.code}_tong-hop",
        letterhead=page.letterhead(printed_on),
        title=merged_title(form),
        subtitles=(*subtitles(form, period, table.target_set), parent.name),
        blocks=tuple(blocks),
        signature=page.signature(),
        footer=sent_or_unsent_footer(parent, form.id, period, packet, merged_fingerprint(table), printed_on),
        layout=layout or default_layout(form),
    )


def who_is_in(table: MergedTable) -> list[Paragraph]:
    """Under the summed table, once: how many units it sums, who has nothing accepted, and whose
    packet is in but not summed, and who sent another version of the form (summed on the indicators both
    versions share); the annex then holds only the units with figures."""
    missing = [u.unit.name for u in table.units if u.figures is None and u.unit.code not in table.left_out]
    count = f"Tổng hợp từ gói đã chấp nhận của {len(table.received)}/{len(table.units)} đơn vị"
    lines = [Paragraph(count + (f"; chưa có: {', '.join(missing)}." if missing else "."), italic=True, size=11)]
    for sentence in (table.left_out_sentence(), table.versions_sentence()):
        if sentence:
            lines.append(Paragraph(sentence, italic=True, size=11))
    return lines


def unit_tables(table: MergedTable) -> list[Table]:
    """The units with accepted figures down, indicators across, in slices that fit the page;
    “đạt/tổng” where there is a denominator. Who has sent nothing is said once, under the summed table."""
    indicators = [i for i in table.form.indicators if i.is_row and i.is_numeric]
    received = table.received
    texts = {
        i.id: [_figure_text(u.figures.get(i.id)) for u in received] + [_figure_text(table.totals.get(i.id))]
        for i in indicators
    }
    heads = {i.id: column_heading(i.code or i.label, i.unit) for i in indicators}
    width = {
        i.id: max(FIGURE_MM, *(len(t) * MM_PER_DIGIT + 4 for t in texts[i.id]), heading_mm(heads[i.id]))
        for i in indicators
    }
    tables = []
    for part in _slices(indicators, width, LANDSCAPE_TEXT_MM - sum(UNIT_NAME_MM)):
        head = (
            Cell("Stt", "center", bold=True),
            Cell("Đơn vị", "center", bold=True),
            *(Cell(heads[i.id], "center", bold=True) for i in part),
        )
        rows = [
            (
                Cell(str(n), "center"),
                Cell(unbroken_in_brackets(unit.unit.name)),
                *(Cell(_figure_text(unit.figures.get(i.id)), "right") for i in part),
            )
            for n, unit in enumerate(received, start=1)
        ]
        rows.append(
            (
                Cell(),
                Cell("Cộng", "center", bold=True),
                *(Cell(_figure_text(table.totals.get(i.id)), "right", bold=True) for i in part),
            )
        )
        caption = "PHỤ LỤC: SỐ LIỆU THEO ĐƠN VỊ" + (
            f" (tiếp, chỉ tiêu {part[0].code} - {part[-1].code})" if tables else ""
        )
        tables.append(Table((*UNIT_NAME_MM, *(width[i.id] for i in part)), (head,), tuple(rows), caption=caption))
    return tables


def column_heading(code: str, unit: str) -> str:
    """“3.5” over “(phường)”: the unit in brackets that never break inside (“(cơ quan)” stays one piece)."""
    return f"{code}\n{unbroken_in_brackets(f'({unit})')}" if unit else code


def unbroken_in_brackets(text: str) -> str:
    """The spaces inside brackets made non-breaking, so a line never ends inside them."""
    return re.sub(r"\([^()]*\)", lambda part: part.group().replace(" ", NBSP), text)


def heading_mm(text: str) -> float:
    """The width a bold heading needs so that none of its lines (a line breaks only at a plain space
    or a newline) is cut: 12 pt bold Times, its widest letters (“ư”, “ờ”) and the cell's padding."""
    pieces = [w for line in text.split("\n") for w in line.split(" ")]
    return max(len(w) for w in pieces) * HEADING_MM_PER_CHAR + 4


def _slices(indicators: list, width: dict[str, float], room: float) -> list[list]:
    """Consecutive indicators, as many to a table as the page width holds."""
    slices: list[list] = [[]]
    for ind in indicators:
        if slices[-1] and sum(width[i.id] for i in slices[-1]) + width[ind.id] > room:
            slices.append([])
        slices[-1].append(ind)
    return [s for s in slices if s]


def _figure_text(figure: Figure | None) -> str:
    """“12/16” (achieved of its total) or “12”; empty where the row does not apply."""
    if figure is None or not figure.applicable or figure.value is None:
        return ""
    if figure.total is None:
        return vnformat.number(figure.value)
    return f"{vnformat.number(figure.value)}/{vnformat.number(figure.total)}"


def completeness_document(table: Completeness, page: PageSettings, *, printed_on: dt.date) -> PrintedDocument:
    forms = [c.form_id for c in table.forms]
    head = (
        Cell("Stt", "center", bold=True),
        Cell("Mã", "center", bold=True),
        Cell("Đơn vị", "center", bold=True),
        *(Cell(form_heading(table, f), "center", bold=True) for f in forms),
    )
    rows = []
    for n, unit in enumerate(table.units, start=1):
        states = [table.states.get((unit.code, f)) for f in forms]
        rows.append(
            (
                Cell(str(n), "center"),
                Cell(unit.code, "center"),
                Cell(unit.name),
                *(Cell(state_text(s) if s else "không lập biểu này") for s in states),
            )
        )
    widths = (STT_MM, 16.0, 52.0, *(STATE_MM for _ in forms))
    summaries = [
        Paragraph((f"Biểu {f}: " if len(forms) > 1 else "") + summary_line(table, f) + ".", italic=True, size=11)
        for f in forms
    ]
    return PrintedDocument(
        name=f"{table.parent.code}_{table.period.code}_tinh-hinh-nop",
        letterhead=page.letterhead(printed_on),
        title="TÌNH HÌNH NHẬN BÁO CÁO",
        subtitles=(table.parent.name, f"Kỳ báo cáo: {table.period.label}"),
        blocks=(Table(widths, (head,), tuple(rows), stretch=2), *summaries),
        signature=page.signature(),
        footer=Footer(""),  # no packet holds it: the page's own date line says when it was made
    )
