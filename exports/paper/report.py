"""One unit's form on the official page: filled with its figures, or blank to fill by hand.

The filled page is what the Party committee signs: the clerk's short text
(a report), the indicator table with Tổng số / Số đạt / Tỷ lệ, the targets
when compared, each warning's written reason, and, on request, every amount
in đồng in words. It prints as a report or as the annex of a document, as
its ``Layout`` says. The blank page is the same table with empty cells, to
fill the commune's figures by hand; the village meeting has its own sheet
(exports/paper/village_sheet.py).
"""

from __future__ import annotations

import datetime as dt

from exports.paper.footer import sent_or_unsent_footer
from exports.paper.layout import Layout, default_layout
from exports.paper.letterhead import PageSettings, sent_page
from exports.paper.page import BODY_PT, Cell, Footer, Paragraph, PrintedDocument, Table
from forms import vnformat
from forms.engine import Evaluation, ReportData, evaluate
from forms.messages import finding_text, target_text
from forms.schema import FormDef, Indicator, TargetSet
from forms.vnwords import amount_words
from models.gateway import Gateway
from models.periods import Period
from models.reporting import ReportView
from models.units import Unit

# Stt, Chỉ tiêu, ĐVT, Tổng số, Số đạt, Tỷ lệ (%); then Mục tiêu, Đánh giá (mm at 12 pt).
FORM_WIDTHS_MM = (11.0, 72.0, 15.0, 22.0, 22.0, 17.0)
TARGET_WIDTHS_MM = (26.0, 48.0)
MM_PER_DIGIT = 2.3  # a figure of 12 pt Times: digits and dots
MONEY_UNIT = "đồng"
BODY_LIMIT = 20_000  # characters of the clerk's text: a few pages, not a whole document


def report_document(
    gw: Gateway,
    view: ReportView,
    period: Period,
    page: PageSettings,
    *,
    printed_on: dt.date,
    words: bool = False,
    layout: Layout | None = None,
) -> PrintedDocument:
    """The filled report (or annex), its footer naming the packet that holds these figures (if one does).
    A report whose figures are those of a packet is dated as that packet was signed (signed_as() gives
    its page, which callers start from); otherwise by the day of printing."""
    from exports.packets.write import latest_packet, values_fingerprint

    form, evaluation = view.form, view.evaluation
    layout = layout or default_layout(form)
    blocks: list[Table | Paragraph] = [*body_paragraphs(layout), form_table(form, evaluation)]
    blocks += check_paragraphs(view)
    if words:
        blocks += amounts_in_words(form, evaluation)
    sent = latest_packet(gw, view.report)
    footer = sent_or_unsent_footer(view.unit, form.id, period, sent, values_fingerprint(gw, view.report), printed_on)
    dated = sent_page(gw, view.unit, sent)[1] if footer.qr else printed_on
    return PrintedDocument(
        name=f"{view.unit.code}_{form.id}_{period.code}_bieu-in",
        letterhead=page.letterhead(dated),
        title=form.title,
        subtitles=subtitles(form, period, evaluation.target_set),
        blocks=tuple(blocks),
        signature=page.signature(),
        footer=footer,
        layout=layout,
    )


def signed_as(gw: Gateway, view: ReportView) -> PageSettings | None:
    """The page the report's last packet was signed with (bodies, number, signer: letterhead.sent_page)
    while the report's figures are still that packet's; None otherwise. A reprint starts from it."""
    from exports.packets.write import latest_packet, values_fingerprint

    sent = latest_packet(gw, view.report)
    if sent is None or sent["values_sha256"] != values_fingerprint(gw, view.report):
        return None
    return sent_page(gw, view.unit, sent)[0]


def blank_document(
    form: FormDef,
    unit: Unit,
    villages: list[Unit],
    period: Period,
    page: PageSettings,
    *,
    printed_on: dt.date,
    layout: Layout | None = None,
) -> PrintedDocument:
    """The form with empty cells, to fill the unit's figures by hand, as a report or an annex (the villages'
    own figures are written on the village sheets)."""
    layout = layout or default_layout(form)
    data = ReportData(unit.kind, unit.tier, tuple(v.code for v in villages), {v.code: {} for v in villages}, {})
    blocks = [*body_paragraphs(layout), form_table(form, evaluate(form, data, None), blank=True)]
    return PrintedDocument(
        name=f"{unit.code}_{form.id}_{period.code}_bieu-trang",
        letterhead=page.letterhead(printed_on),
        title=form.title,
        subtitles=("Biểu để ghi tay số liệu", f"Kỳ báo cáo: {period.label}"),
        blocks=tuple(blocks),
        signature=page.signature(),
        footer=Footer(""),  # a sheet to fill by hand: no packet, no software's note
        layout=layout,
    )


def body_paragraphs(layout: Layout) -> list[Paragraph]:
    """The clerk's text of a report, a paragraph for each line that is not empty, indented and justified."""
    if layout.mode != "report":
        return []
    lines = (" ".join(line.split()) for line in layout.body.splitlines())
    return [Paragraph(line, size=BODY_PT, indent=True) for line in lines if line]


def subtitles(form: FormDef, period: Period, target_set: TargetSet | None) -> tuple[str, ...]:
    lines = [form.subtitle] if form.subtitle else []
    lines.append(f"Kỳ báo cáo: {period.label}")
    if target_set:
        lines.append(f"So với mục tiêu: {target_set.name}")
    return tuple(lines)


# ---- the indicator table -------------------------------------------------------------


def form_table(form: FormDef, evaluation: Evaluation, *, blank: bool = False) -> Table:
    """Sections and indicator rows; the figure columns sized to the widest figure."""
    targets = {t.indicator: t for t in evaluation.targets} if not blank else {}
    rows: list[tuple[Cell, ...]] = []
    sections = {s.code: s for s in form.sections}
    current = None
    headings: set[int] = set()
    span = 6 + (2 if targets else 0)
    for ind in form.indicators:
        if ind.section != current:
            current = ind.section
            section = sections[current]
            title = section.title.upper() if section.level == 1 else section.title
            headings.add(len(rows))
            rows.append((Cell(current, "center", bold=True), Cell(title, bold=True, columns=span - 1)))
        if ind.is_row:
            rows.append(_indicator_row(form, ind, evaluation, targets, blank))
    head = [Cell(title, "center", bold=True) for title in form.columns[:6]]
    widths = list(FORM_WIDTHS_MM)
    if not blank:
        shown = [c.text for row in rows for c in row[3:5] if c.align == "right"]
        widths[3] = widths[4] = max(widths[3], *(len(t) * MM_PER_DIGIT + 4 for t in shown)) if shown else widths[3]
    if targets:
        head += [Cell("Mục tiêu", "center", bold=True), Cell("Đánh giá", "center", bold=True)]
        widths += TARGET_WIDTHS_MM
    return Table(tuple(widths), (tuple(head),), tuple(rows), tall_rows=blank, headings=frozenset(headings))


def _indicator_row(
    form: FormDef, ind: Indicator, evaluation: Evaluation, targets: dict, blank: bool
) -> tuple[Cell, ...]:
    figure = evaluation.figures[ind.id]
    cells = [Cell(ind.code or "", "center"), Cell(ind.label), Cell(ind.unit, "center")]
    if not figure.applicable:
        cells.append(Cell("Không áp dụng", "center", italic=True, columns=3))
    elif blank:
        cells += [Cell(), Cell(), Cell()] if ind.is_numeric else [Cell(columns=3)]
    elif ind.kind in ("text", "date"):
        text = vnformat.date(figure.value) if ind.kind == "date" else str(figure.value or "")
        cells.append(Cell(text, "center" if ind.kind == "date" else "left", columns=3))
    else:
        cells += [
            Cell(vnformat.number(figure.total), "right"),
            Cell(vnformat.number(figure.value), "right"),
            Cell(vnformat.percent(figure.percent).removesuffix("%"), "right"),
        ]
    if targets:
        if ind.id in targets:
            goal, _, status = target_text(form, targets[ind.id]).partition(": ")
            cells += [Cell(goal, "center"), Cell(status[:1].upper() + status[1:])]
        else:
            cells += [Cell(), Cell()]
    return tuple(cells)


def check_paragraphs(view: ReportView) -> list[Paragraph]:
    """Each warning that stands with the reason written for it (“Giải trình”); no check summary, which is
    the program's note, not the committee's."""
    names = {v.code: v.name for v in view.villages}
    explained = []
    for finding in view.evaluation.warnings:
        reason = view.reason_for(finding)
        if reason:
            village = finding.cell.village
            where = f"{names.get(village, village)}: " if village else ""
            explained.append((where + finding_text(view.form, finding), reason))
    return reason_paragraphs(explained)


def reason_paragraphs(explained: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> list[Paragraph]:
    """“Giải trình cảnh báo:” then “1. <warning> Giải trình: <reason>” for each."""
    if not explained:
        return []
    lines = [Paragraph("Giải trình cảnh báo:", bold=True, size=11)]
    lines += [
        Paragraph(f"{n}. {warning} Giải trình: {reason}", size=11)
        for n, (warning, reason) in enumerate(explained, start=1)
    ]
    return lines


def has_amounts(form: FormDef) -> bool:
    """Whether the form holds amounts in đồng, which can be printed in words."""
    return any(ind.unit == MONEY_UNIT for ind in form.indicators)


def amounts_in_words(form: FormDef, evaluation: Evaluation) -> list[Paragraph]:
    """“5.1 Kinh phí ...: 6.505.490.000 đồng (Bằng chữ: Sáu tỷ ... đồng).” for each amount in đồng."""
    lines = []
    for ind in form.indicators:
        figure = evaluation.figures.get(ind.id)
        if ind.unit != MONEY_UNIT or figure is None or not isinstance(figure.value, int):
            continue
        label = f"{ind.code} {ind.label}" if ind.code else ind.label
        lines.append(
            Paragraph(f"{label}: {vnformat.number(figure.value)} đồng (Bằng chữ: {amount_words(figure.value)}).")
        )
    return lines
