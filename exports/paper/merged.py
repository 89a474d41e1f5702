"""The upper level's printouts: the merged table and the completeness matrix.

The merged page is the form filled with the summed figures (the table the
level signs and sends up), then an annex with every unit's figures, a few
indicators per table so each fits a landscape page. The completeness page
is the matrix of who sent what.
"""

from __future__ import annotations

import datetime as dt

from exports.collect.completeness import Completeness
from exports.collect.merge import MergedTable
from exports.paper.completeness_words import form_heading, state_text, summary_line
from exports.paper.footer import sent_or_unsent_footer
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
STATE_MM = 62.0


def merged_document(
    gw: Gateway, table: MergedTable, page: PageSettings, *, printed_on: dt.date, words: bool = False
) -> PrintedDocument:
    """The summed form, then each unit's figures; the footer names the upward packet while it matches."""
    from exports.collect.upward import merged_fingerprint
    from exports.packets.write import latest_packet

    parent, form, period = table.parent, table.form, table.period
    missing = [u.unit.name for u in table.units if u.figures is None]
    count = f"Tổng hợp từ gói đã chấp nhận của {len(table.received)}/{len(table.units)} đơn vị"
    blocks: list[Table | Paragraph] = [
        form_table(form, table.evaluation()),
        Paragraph(count + (f"; chưa có: {', '.join(missing)}." if missing else "."), italic=True, size=11),
    ]
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
        title=f"TỔNG HỢP {form.title}",
        subtitles=(*subtitles(form, period, table.target_set), parent.name),
        blocks=tuple(blocks),
        signature=page.signature(),
        footer=sent_or_unsent_footer(parent, form.id, period, packet, merged_fingerprint(table), printed_on),
    )


def unit_tables(table: MergedTable) -> list[Table]:
    """Units down, indicators across, in slices that fit the page; “đạt/tổng” where there is a denominator."""
    indicators = [i for i in table.form.indicators if i.is_row and i.is_numeric]
    texts = {
        i.id: [_figure_text(u.figures.get(i.id)) for u in table.units if u.figures is not None]
        + [_figure_text(table.totals.get(i.id))]
        for i in indicators
    }
    width = {i.id: max(FIGURE_MM, *(len(t) * MM_PER_DIGIT + 4 for t in texts[i.id])) for i in indicators}
    tables = []
    for part in _slices(indicators, width, LANDSCAPE_TEXT_MM - sum(UNIT_NAME_MM)):
        head = (
            Cell("Stt", "center", bold=True),
            Cell("Đơn vị", "center", bold=True),
            *(Cell(f"{i.code or i.label}\n({i.unit})", "center", bold=True) for i in part),
        )
        rows = []
        for n, unit in enumerate(table.units, start=1):
            cells = [Cell(str(n), "center"), Cell(unit.unit.name)]
            if unit.figures is None:
                cells.append(Cell("chưa có gói được chấp nhận", "center", italic=True, columns=len(part)))
            else:
                cells += [Cell(_figure_text(unit.figures.get(i.id)), "right") for i in part]
            rows.append(tuple(cells))
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
