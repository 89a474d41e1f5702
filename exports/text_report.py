"""The report as plain text for a terminal: the commune table, the village
grid, the findings and a one-line summary, all in Vietnamese formats."""

from __future__ import annotations

import textwrap
import unicodedata

from forms import vnformat
from forms.messages import SEVERITY_LABELS, finding_text, target_text
from forms.schema import BUILTIN_LABELS
from models.periods import Period
from models.reporting import ReportView

LABEL_WIDTH = 52


def render_report(view: ReportView, period: Period, parent_name: str | None) -> str:
    form, evaluation = view.form, view.evaluation
    lines = [
        f"{view.unit.name} ({view.unit.code})" + (f" - {parent_name}" if parent_name else ""),
        form.title,
        f"Biểu {form.id}, phiên bản {form.version}; kỳ báo cáo: {period.label}",
    ]
    if evaluation.target_set:
        lines.append(f"So với mục tiêu: {evaluation.target_set.name}")
    lines += ["", *_commune_table(view), ""]
    if view.villages:
        lines += ["SỐ LIỆU THEO BẢN", *_village_grid(view), ""]
    lines += render_findings(view)
    return "\n".join(lines)


def render_findings(view: ReportView) -> list[str]:
    names = {v.code: v.name for v in view.villages}
    lines = []
    for finding in view.evaluation.findings:
        where = f"{names.get(finding.cell.village, finding.cell.village)}: " if finding.cell.village else ""
        lines.append(f"[{SEVERITY_LABELS[finding.severity]}] {where}{finding_text(view.form, finding)}")
    return [*lines, summary_line(view)]


def summary_line(view: ReportView) -> str:
    """“2 lỗi, 1 cảnh báo, 15/18 bản đã nhập đủ, 21 ô chưa nhập” — the status bar's words; the empty cells
    are ReportView.empty_cells, the count the signing dialog says too."""
    evaluation = view.evaluation
    text = f"{len(evaluation.errors)} lỗi, {len(evaluation.warnings)} cảnh báo"
    if view.villages:
        text += f", {view.villages_complete()}/{len(view.data.villages)} bản đã nhập đủ"
    if empty := len(view.empty_cells):
        text += f", {vnformat.number(empty)} ô chưa nhập"
    return text


def empty_cell_lines(view: ReportView, first: int = 5) -> list[str]:
    """The first empty cells by name (“Bản Nậm Củm: 1.2 Số hộ ...”), then “và 180 ô khác”."""
    cells = view.empty_cells
    names = {v.code: v.name for v in view.villages}
    lines = []
    for cell in cells[:first]:
        ind = view.form.indicator(cell.indicator)
        what = f"{ind.code} {ind.label}" if ind.code and ind.code != "-" else ind.label
        lines.append(f"{names.get(cell.village, cell.village) if cell.village else view.unit.name}: {what}")
    if len(cells) > first:
        lines.append(f"và {vnformat.number(len(cells) - first)} ô khác")
    return lines


def _commune_table(view: ReportView) -> list[str]:
    form, evaluation = view.form, view.evaluation
    targets = {t.indicator: t for t in evaluation.targets}
    headers = [*form.columns[:6]] + (["Mục tiêu"] if targets else [])
    rows: list[list[str]] = []
    sections = {s.code: s for s in form.sections}
    current = None
    for ind in form.indicators:
        if ind.section != current:
            current = ind.section
            section = sections[current]
            title = section.title.upper() if section.level == 1 else section.title
            rows.append([current, title] + [""] * (len(headers) - 2))
        if not ind.is_row:
            continue
        figure = evaluation.figures[ind.id]
        if not figure.applicable:
            cells = ["", "Không áp dụng", ""]
        elif ind.kind in ("text", "date"):
            cells = ["", vnformat.date(figure.value) if ind.kind == "date" else (figure.value or ""), ""]
        else:
            cells = [vnformat.number(figure.total), vnformat.number(figure.value), vnformat.percent(figure.percent)]
        row = [ind.code, ind.label, ind.unit, *cells]
        if targets:
            row.append(target_text(form, targets[ind.id]) if ind.id in targets else "")
        rows.append(row)
    return _table(headers, rows, wrap={1: LABEL_WIDTH, 6: 40}, right={3, 4, 5})


def _village_grid(view: ReportView) -> list[str]:
    form = view.form
    columns = [i for i in form.village_indicators]
    headers = ["Bản", *[(i.code or BUILTIN_LABELS.get(i.id) or i.label) for i in columns]]
    rows = []
    for village in view.villages:
        values = view.data.village_values.get(village.code, {})
        row = [village.name + ("" if village.active else " (đã ngừng)")]
        for ind in columns:
            value = values.get(ind.id)
            row.append(vnformat.yes_no(value) if ind.kind == "yesno" else vnformat.number(value))
        rows.append(row)
    return _table(headers, rows, wrap={}, right=set(range(1, len(headers))))


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def _table(headers: list[str], rows: list[list[str]], wrap: dict[int, int], right: set[int]) -> list[str]:
    wrapped_rows = []
    for row in [headers, *rows]:
        cells = [textwrap.wrap(str(c), wrap[i]) or [""] if i in wrap else [str(c)] for i, c in enumerate(row)]
        wrapped_rows.append(cells)
    widths = [max(_width(line) for cells in wrapped_rows for line in cells[i]) for i in range(len(headers))]
    out = []
    for n, cells in enumerate(wrapped_rows):
        height = max(len(c) for c in cells)
        for k in range(height):
            parts = [_pad(c[k] if k < len(c) else "", widths[i], i in right) for i, c in enumerate(cells)]
            out.append("  ".join(parts).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out
