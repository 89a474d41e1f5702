"""The printed page as data, and as the HTML that Qt lays out on paper.

Every printout (a filled report, a blank form, the merged table, the
completeness matrix, the village sheets) is a ``PrintedDocument``: laid out
as its ``Layout`` says (exports/paper/layout.py): a report opens with the
official two-column header of Hướng dẫn 36-HD/VPTW and “BÁO CÁO” over its
bold title and ends with “Nơi nhận” and the signature block; an annex opens
with “PHỤ LỤC” and “(Kèm theo …)” and is signed only when asked; a village
sheet has two signatures side by side. Between them, tables and paragraphs. ui/printing.py paints it on a printer or
into a PDF, adding the page numbers and the footer that ties the paper to its
packet; the preview and the PDF come from the same HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field, replace

from exports.paper.layout import Layout

# A4 with the margins of Hướng dẫn 36-HD/VPTW and Nghị định 30/2020: left 30 mm for the binding,
# right 15 mm, top 20 mm; the bottom 22 mm holds the footer that ties the page to its packet.
A4_MM = (210.0, 297.0)
MARGINS_MM = {"left": 30.0, "right": 15.0, "top": 20.0, "bottom": 22.0}
PORTRAIT_TEXT_MM = A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
LANDSCAPE_TEXT_MM = A4_MM[1] - MARGINS_MM["left"] - MARGINS_MM["right"]

FONT_FAMILY = "Times New Roman"  # Liberation Serif stands in on Linux: the same metrics
BODY_PT = 13
TABLE_PT = 12
SMALL_PT = 11
TITLE_PT = 14
INDENT_SPACES = 8  # the first line of a paragraph of text, about 1 cm in
HEADING_PT = 16  # “BÁO CÁO”, the kind of document above its title (HD 36: 15-16 pt, bold)
# The letterhead of a Party document (HD 36): “ĐẢNG CỘNG SẢN VIỆT NAM” 15 pt, bold, underlined; the
# bodies, the number and the place and date 14 pt.
PARTY_LINE_PT = 15
LETTERHEAD_PT = 14


@dataclass(frozen=True)
class Letterhead:
    superior: str  # the body above, regular capitals (“ĐẢNG BỘ TỈNH LAI CHÂU”); may be empty
    issuer: str  # the body that issues the page, bold capitals (“ĐẢNG ỦY XÃ MƯỜNG TÈ”)
    number: str  # “Số 67-KH/ThU”, or “Số     -BC/ĐU” left for the clerk to write in
    place: str  # “Mường Tè”, for the date line
    day: dt.date


@dataclass(frozen=True)
class SignatureBlock:
    on_behalf: str  # “T/M BAN THƯỜNG VỤ”; may be empty
    title: str  # “PHÓ BÍ THƯ”
    name: str  # the signer; empty leaves the line to be written by hand
    recipients: tuple[str, ...] = ("Như trên,", "Lưu.")


@dataclass(frozen=True)
class Cell:
    text: str = ""
    align: str = "left"  # left, center, right
    bold: bool = False
    italic: bool = False
    columns: int = 1
    rows: int = 1


@dataclass(frozen=True)
class Table:
    """A ruled table; its ``head`` rows repeat at the top of every page it runs onto."""

    widths_mm: tuple[float, ...]  # natural width of each column
    head: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    caption: str = ""  # a bold line just above the table
    tall_rows: bool = False  # room to write by hand in every row
    stretch: int | None = 1  # the column that takes the page's spare width (the labels); None: keep widths
    headings: frozenset[int] = frozenset()  # body rows (section titles) kept on the page of the row after

    def page_break_before(self, row: int) -> int:
        """Where a page break meant for ``row`` goes: before the section title above it, if any."""
        while row - 1 in self.headings and row - 1 > 0:
            row -= 1
        return row

    @property
    def width_mm(self) -> float:
        return sum(self.widths_mm)


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    align: str = "justify"
    size: int = BODY_PT
    indent: bool = False  # the first line indented, as the paragraphs of a document's text


@dataclass(frozen=True)
class Footer:
    """What ties a sheet of paper to its electronic packet, on every page."""

    text: str
    qr: str | None = None  # the payload of a QR code printed beside the text


@dataclass(frozen=True)
class PrintedDocument:
    name: str  # the file name without extension; also the print job's name
    letterhead: Letterhead
    title: str
    subtitles: tuple[str, ...]
    blocks: tuple[Table | Paragraph, ...]
    signature: SignatureBlock
    footer: Footer
    layout: Layout = field(default_factory=Layout)
    # Titles signing side by side, each over “(Ký, ghi rõ họ tên)”, instead of “Nơi nhận” and the
    # committee's signature (a village sheet: the village's head and the one who wrote the figures).
    signers: tuple[str, ...] = ()
    # Papers printed one after another in one file, each starting a new page and numbered on its own (the
    # village sheets); the document itself then prints nothing else.
    sheets: tuple[PrintedDocument, ...] = ()

    @property
    def landscape(self) -> bool:
        """Landscape when a table does not fit the width of a portrait page."""
        tables = [b for d in (self, *self.sheets) for b in d.blocks if isinstance(b, Table)]
        return max((b.width_mm for b in tables), default=0.0) > PORTRAIT_TEXT_MM

    @property
    def signed(self) -> bool:
        """Whether anything is printed where the signature goes."""
        return bool(self.signers) or self.layout.signature

    @property
    def unnamed_signer(self) -> bool:
        """Whether the signature block has a title but no name under it (left to be written by hand)."""
        return self.layout.signature and not self.signers and not self.signature.name

    @property
    def text_width_mm(self) -> float:
        return LANDSCAPE_TEXT_MM if self.landscape else PORTRAIT_TEXT_MM

    def to_dict(self, path) -> dict:
        """What ``print --json`` says of the PDF written at ``path``."""
        return {
            "file": str(path),
            "mode": self.layout.mode,
            "sheets": len(self.sheets) or 1,
            "landscape": self.landscape,
            "footer": self.footer.text,
            "qr": self.footer.qr,
        }


def date_line(place: str, day: dt.date) -> str:
    """“Lai Châu, ngày 18 tháng 12 năm 2023”."""
    return f"{place}, {date_words(day)}"


def date_words(day: dt.date) -> str:
    """“ngày 05 tháng 02 năm 2026”: days below 10 and January, February get a 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


# ---- HTML for QTextDocument --------------------------------------------------------
# Qt's rich text is a subset of HTML 4: tables with width attributes, <thead>
# for repeated header rows, inline font styles; no CSS boxes or page rules.


Piece = tuple  # ("prelude",), ("paragraph", block), ("table", block, first row, end row), ("signature",)


def whole(document: PrintedDocument) -> list[Piece]:
    """The document as one run of pieces, no page broken: what the painter measures."""
    pieces: list[Piece] = [("prelude",)]
    for index, block in enumerate(document.blocks):
        if isinstance(block, Table):
            pieces.append(("table", index, 0, len(block.body)))
        else:
            pieces.append(("paragraph", index))
    return [*pieces, ("signature",)]


def to_html(document: PrintedDocument) -> str:
    """The whole document as one HTML page (measured by the painter, shown by tests)."""
    return page_html(document, whole(document))


def page_html(document: PrintedDocument, pieces: list[Piece]) -> str:
    """One printed page: the pieces exports/paper/pagination.py put on it. A table's piece is the rows
    from ``first`` up to ``end`` under its header rows; the caption comes with its first row."""
    parts = [f"<html><body style=\"font-family: '{FONT_FAMILY}', 'Liberation Serif', serif; font-size: {BODY_PT}pt;\">"]
    for piece in pieces:
        kind = piece[0]
        if kind == "prelude":
            if document.layout.letterhead:
                parts.append(_letterhead(document.letterhead, document.text_width_mm))
            parts.append(_title(document))
        elif kind == "table":
            parts.append(_table(document.blocks[piece[1]], document.text_width_mm, piece[2], piece[3]))
        elif kind == "paragraph":
            parts.append(_paragraph(document.blocks[piece[1]]))
        elif document.signers:
            parts.append(_signers(document.signers))
        elif document.layout.signature:
            recipients = document.signature.recipients if document.layout.recipients else ()
            parts.append(_signature(replace(document.signature, recipients=recipients)))
    parts.append("</body></html>")
    return "".join(parts)


def _e(text: str) -> str:
    """Escaped, lines kept, and runs of spaces kept (“Số      -BC/ĐU” leaves room to write the number)."""
    escaped = html.escape(text, quote=True).replace("\n", "<br/>")
    return re.sub(r"  +", lambda run: "&nbsp;" * len(run.group()), escaped)


LETTERHEAD_LEFT = 0.42  # the share of the text's width that the bodies' column takes
MM_PER_CAPITAL = 3.2  # a capital of 14 pt Liberation Serif Bold with its share of spaces: 3.0-3.15 mm measured


def in_two_lines(name: str, room_mm: float) -> str:
    """A body's name too long for its column, broken between words near its middle (“BAN TUYÊN GIÁO” over
    “VÀ DÂN VẬN”), as HD 36's letterheads break it, rather than wherever the column ends; else as it is."""
    if len(name) * MM_PER_CAPITAL <= room_mm or " " not in name:
        return name
    spaces = [i for i, char in enumerate(name) if char == " "]
    middle = min(spaces, key=lambda i: abs(i - len(name) / 2))
    return name[:middle] + "\n" + name[middle + 1 :]


def _letterhead(head: Letterhead, width_mm: float) -> str:
    room = width_mm * LETTERHEAD_LEFT
    left = ([f"{_e(in_two_lines(head.superior.upper(), room))}"] if head.superior else []) + [
        f"<b>{_e(in_two_lines(head.issuer.upper(), room))}</b>",
        "*",
        _e(head.number),
    ]
    right = [f"<span style='font-size: {PARTY_LINE_PT}pt;'><b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b></span>"]
    right += [""] * (len(left) - 2) + [f"<i>{_e(date_line(head.place, head.day))}</i>"]
    rows = "".join(
        f"<tr><td width='{LETTERHEAD_LEFT:.0%}' align='center'>{a}</td>"
        f"<td width='{1 - LETTERHEAD_LEFT:.0%}' align='center'>{b}</td></tr>"
        for a, b in zip(left, right, strict=True)
    )
    return (
        f"<table width='100%' border='0' cellspacing='0' cellpadding='0' style='font-size: {LETTERHEAD_PT}pt;'>"
        f"{rows}</table>"
    )


def _title(document: PrintedDocument) -> str:
    """The kind of document and the title, bold and centred; an annex's “(Kèm theo …)”; the subtitles."""
    layout = document.layout
    top = 18 if layout.letterhead else 0
    lines = [
        f"<p align='center' style='margin-top: {top if n == 0 else 0}px; margin-bottom: 0; font-size: {size}pt;'>"
        f"<b>{_e(line)}</b></p>"
        for n, (line, size) in enumerate(
            zip(layout.heading(document.title.upper()), layout.heading_sizes(TITLE_PT, HEADING_PT), strict=True)
        )
    ]
    if layout.annex_line():
        lines.append(f"<p align='center' style='margin: 0;'><i>{_e(layout.annex_line())}</i></p>")
    lines += [f"<p align='center' style='margin: 0;'><i>{_e(line)}</i></p>" for line in document.subtitles]
    # The short rule under the title, as the seeds' plans and reports have it.
    lines.append("<hr width='18%' align='center' style='margin-top: 2px;'/>")
    return "".join(lines) + "<p style='margin: 0; font-size: 6pt;'>&nbsp;</p>"


def _cell(cell: Cell, tag: str, width: str = "", style: str = "") -> str:
    text = _e(cell.text) or "&nbsp;"
    if cell.bold:
        text = f"<b>{text}</b>"
    if cell.italic:
        text = f"<i>{text}</i>"
    spans = (f" colspan='{cell.columns}'" if cell.columns > 1 else "") + (
        f" rowspan='{cell.rows}'" if cell.rows > 1 else ""
    )
    style = f" style='{style}'" if style else ""
    return f"<{tag} align='{cell.align}' valign='middle'{spans}{width}{style}>{text}</{tag}>"


def column_widths_mm(table: Table, text_width_mm: float) -> list[float]:
    """Each column's printed width: the stretching column takes the page's spare width."""
    widths = list(table.widths_mm)
    if table.stretch is not None and table.width_mm < text_width_mm:
        widths[table.stretch] += text_width_mm - table.width_mm
    return widths


def _table(table: Table, text_width_mm: float, first: int, end: int) -> str:
    widths = column_widths_mm(table, text_width_mm)
    share = [100 * w / sum(widths) for w in widths]
    fill = min(1.0, sum(widths) / text_width_mm)

    unsized = set(range(len(share)))  # the columns no row has given a width yet

    def row(cells: tuple[Cell, ...], tag: str) -> str:
        out, column = [], 0
        for cell in cells:
            width = ""
            if unsized and cell.columns == 1 and column < len(share):
                width = f" width='{share[column]:.1f}%'"
                unsized.discard(column)
            out.append(_cell(cell, tag, width, tall if tag == "td" else ""))
            column += cell.columns
        return "<tr>" + "".join(out) + "</tr>"

    # Room to write by hand goes above and below: wider sides would break “4.1.1” and “trường”.
    tall = "padding-top: 9px; padding-bottom: 9px;" if table.tall_rows else ""
    head = "".join(row(r, "th") for r in table.head)
    caption = ""
    if table.caption and first == 0:
        caption = f"<p style='margin-top: 8px; margin-bottom: 4px;'><b>{_e(table.caption)}</b></p>"
    # Widths go on the rows until every column has one (the header, most often): a page parses faster.
    body = "".join(row(r, "td") for r in table.body[first:end])
    return (
        f"{caption}<table border='1' cellspacing='0' cellpadding='3' width='{100 * fill:.0f}%' align='center'"
        f" style='border-collapse: collapse; border-color: #000; font-size: {TABLE_PT}pt;'>"
        f"<thead>{head}</thead><tbody>{body}</tbody></table>"
    )


def _paragraph(paragraph: Paragraph) -> str:
    text = _e(paragraph.text) or "&nbsp;"  # never an empty block: the painter finds each paragraph by its text
    if paragraph.bold:
        text = f"<b>{text}</b>"
    if paragraph.italic:
        text = f"<i>{text}</i>"
    if paragraph.indent:  # spaces, not text-indent: Qt reads its lengths in the printer's dots
        text = "&nbsp;" * INDENT_SPACES + text
    return (
        f"<p align='{paragraph.align}' style='margin-top: 4px; margin-bottom: 0;"
        f" font-size: {paragraph.size}pt;'>{text}</p>"
    )


def _signature(block: SignatureBlock) -> str:
    # “Nơi nhận:” 14 pt underlined, the list 12 pt, as a Party document writes them (HD 36), not the
    # State's bold italic.
    recipients = f"<span style='font-size: {LETTERHEAD_PT}pt;'><u>Nơi nhận:</u></span>" + "".join(
        f"<br/>- {_e(r)}" for r in block.recipients
    )
    if not block.recipients:
        recipients = "&nbsp;"
    lines = [f"<b>{_e(block.on_behalf.upper())}</b>"] if block.on_behalf else []
    lines.append(f"<b>{_e(block.title.upper())}</b>")
    lines += ["", "", "", ""]  # room for the signature and the seal
    lines.append(f"<b>{_e(block.name)}</b>" if block.name else "&nbsp;")
    return (
        "<p style='margin: 0; font-size: 6pt;'>&nbsp;</p>"
        "<table width='100%' border='0' cellspacing='0' cellpadding='0'><tr>"
        f"<td width='45%' valign='top' style='font-size: {TABLE_PT}pt;'>{recipients}</td>"
        f"<td width='55%' valign='top' align='center'>{'<br/>'.join(lines)}</td>"
        "</tr></table>"
    )


def _signers(titles: tuple[str, ...]) -> str:
    """Titles side by side, each over “(Ký, ghi rõ họ tên)” and room to sign."""
    share = 100 // len(titles)
    cells = "".join(
        f"<td width='{share}%' valign='top' align='center'><b>{_e(title.upper())}</b><br/>"
        "<i>(Ký, ghi rõ họ tên)</i><br/><br/><br/><br/>&nbsp;</td>"
        for title in titles
    )
    return (
        "<p style='margin: 0; font-size: 6pt;'>&nbsp;</p>"
        f"<table width='100%' border='0' cellspacing='0' cellpadding='0'><tr>{cells}</tr></table>"
    )
