"""The follow-up list on the official page: one ruled row per plausibility warning, A4 landscape,
the header on every page; printed through the same page painter as the completeness matrix."""

from __future__ import annotations

import datetime as dt

from exports.collect.followup import Followup
from exports.paper.letterhead import PageSettings
from exports.paper.page import Cell, Footer, Paragraph, PrintedDocument, Table

# Stt, Đơn vị / bản, Chỉ tiêu, Số liệu, Nội dung (takes the spare width), Kỳ trước, Giải trình, Đối chiếu
WIDTHS_MM = (10.0, 38.0, 32.0, 16.0, 56.0, 32.0, 30.0, 34.0)
HEADINGS = (
    "Stt",
    "Đơn vị, thôn/bản",
    "Chỉ tiêu",
    "Số liệu",
    "Cảnh báo",
    "Số liệu các kỳ trước",
    "Giải trình của xã",
    "Đối chiếu",
)


def followup_document(listed: Followup, page: PageSettings, *, printed_on: dt.date) -> PrintedDocument:
    head = (tuple(Cell(text, "center", bold=True) for text in HEADINGS),)
    rows = tuple(
        (
            Cell(str(n), "center"),
            Cell(row.where),
            Cell(row.label),
            Cell(row.value_words(), "right"),
            Cell(row.message),
            Cell(row.history_words()),
            Cell(row.reason or "(chưa có)" if row.side != "here" else ""),
            Cell(row.check_words(), bold=row.differs),
        )
        for n, row in enumerate(listed.rows, start=1)
    )
    blocks: tuple = (Table(WIDTHS_MM, head, rows, stretch=4),) if rows else ()
    return PrintedDocument(
        name=f"{listed.parent.code}_{listed.form.id}_{listed.period.code}_can-theo-doi",
        letterhead=page.letterhead(printed_on),
        title="DANH SÁCH CẦN THEO DÕI",
        subtitles=(
            f"Các cảnh báo bất thường biểu {listed.form.id}, {listed.parent.name}",
            f"Kỳ báo cáo: {listed.period.label}",
        ),
        blocks=(*blocks, Paragraph(listed.summary_line() + ".", italic=True, size=11)),
        signature=page.signature(),
        footer=Footer(""),  # no packet holds it: the page's own date line says when it was made
    )
