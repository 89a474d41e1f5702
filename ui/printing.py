"""Paint a PrintedDocument on paper or into a PDF, page by page.

QTextDocument lays out the HTML of exports/paper/page.py at the printer's
resolution: once without pages, to measure every piece, then each page as
exports/paper/pagination.py cut them, on its own (docs/printing.md says
why). Each page is drawn by hand so that the page number can start on
page 2 (Nghị định 30/2020: centred in the top margin, none on the first
page) and every page carries the footer that names its packet, with a QR
code of it. A document of several sheets (the village sheets) is painted
sheet after sheet, each from a new page and numbered on its own. The print
preview and “Xuất PDF” call the same paint().
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import segno
import shiboken6
from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from exports.atomic import write_atomically
from exports.paper.page import (
    BODY_PT,
    FONT_FAMILY,
    MARGINS_MM,
    TABLE_PT,
    PrintedDocument,
    Table,
    column_widths_mm,
    page_html,
    whole,
)
from exports.paper.pagination import Flow, Heights, TableHeights, paginate
from models.errors import BadInput
from ui.resources import install_fonts

MM_PER_INCH = 25.4
FOOTER_PT = 9
QR_MM = 16.0  # big enough for a phone camera at arm's length, small enough for the margin
SAMPLE_ROWS = 8  # rows of each table measured in the document's own layout
BATCH_ROWS = 150  # rows laid out together to be measured when they may not be one line high
SAFETY_MM = 0.5  # below the measured heights, for rounding: a page is laid out on its own after the cut


def setup_printer(printer: QPrinter, document: PrintedDocument) -> QPrinter:
    """A4 in the document's orientation; the margins are ours, so the printer's are zero."""
    orientation = QPageLayout.Orientation.Landscape if document.landscape else QPageLayout.Orientation.Portrait
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    )
    printer.setFullPage(True)
    printer.setDocName(document.name)
    return printer


def paint(document: PrintedDocument, printer: QPrinter) -> int:
    """Draw every page on ``printer``; the number of pages."""
    dpi = printer.resolution()

    def px(mm: float) -> float:
        return mm * dpi / MM_PER_INCH

    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    left, top = px(MARGINS_MM["left"]), px(MARGINS_MM["top"])
    body = QSizeF(page.width() - left - px(MARGINS_MM["right"]), page.height() - top - px(MARGINS_MM["bottom"]))
    device = _layout_device(printer)
    sheets = document.sheets or (document,)
    cut = [paginate(sheet, measured(sheet, device, body.width()), body.height() - px(SAFETY_MM)) for sheet in sheets]
    painter = QPainter()
    if not painter.begin(printer):
        raise BadInput("Không mở được máy in hoặc tệp PDF để ghi.")
    printed = 0
    try:
        for sheet, pages in zip(sheets, cut, strict=True):
            number = 0  # each sheet is numbered from its own first page
            for pieces in pages:
                text = _layout(page_html(sheet, pieces), device, body)
                for part in range(text.pageCount()):  # one, unless a single row is taller than a page
                    if printed:
                        printer.newPage()
                    painter.save()
                    painter.translate(left, top - part * body.height())
                    text.drawContents(painter, QRectF(QPointF(0, part * body.height()), body))
                    painter.restore()
                    if number:
                        _page_number(painter, number + 1, QRectF(left, 0, body.width(), top))
                    _footer(
                        painter,
                        sheet,
                        QRectF(left, top + body.height(), body.width(), page.height() - top - body.height()),
                        px,
                    )
                    number += 1
                    printed += 1
    finally:
        painter.end()
    return printed


def _layout_device(printer: QPrinter) -> QPrinter:
    """What the pages are measured and laid out on: the printer itself when Python made it (the PDF);
    for the preview's own printer, a PDF printer of the same resolution. PySide drops its handle on
    a paint device when a text layout that used it is deleted, and one layout per page is deleted
    as soon as the page is drawn."""
    if shiboken6.createdByPython(printer):
        return printer
    stand_in = QPrinter(QPrinter.PrinterMode.HighResolution)
    stand_in.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    stand_in.setResolution(printer.resolution())
    return stand_in


def laid_out_pages(document: PrintedDocument, printer: QPrinter) -> list[QTextDocument]:
    """Each page as paint() lays it out, for tests: every one must fit its page."""
    dpi = printer.resolution()
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    mm = dpi / MM_PER_INCH
    body = QSizeF(
        page.width() - (MARGINS_MM["left"] + MARGINS_MM["right"]) * mm,
        page.height() - (MARGINS_MM["top"] + MARGINS_MM["bottom"]) * mm,
    )
    laid_out = []
    for sheet in document.sheets or (document,):
        pages = paginate(sheet, measured(sheet, printer, body.width()), body.height() - SAFETY_MM * mm)
        laid_out += [_layout(page_html(sheet, pieces), printer, body) for pieces in pages]
    return laid_out


def _layout(html: str, printer: QPrinter, body: QSizeF | None, width: float | None = None) -> QTextDocument:
    text = QTextDocument()
    text.documentLayout().setPaintDevice(printer)  # points measured at the printer's resolution
    text.setDefaultFont(QFont(FONT_FAMILY, BODY_PT))
    text.setDocumentMargin(0)
    if body is not None:
        text.setPageSize(body)
    else:
        text.setTextWidth(width)  # one long page: nothing moved by a page break
    text.setHtml(html)  # after the sizes: laid out once
    return text


def measured(document: PrintedDocument, device: QPrinter, width: float) -> Heights:
    """The heights of every piece, from one layout of the document without pages, each table cut to its
    first rows; the rest of a table's rows are one line high where the font says each cell fits its column
    with room to spare, and laid out in batches, to be measured, where it does not.

    Qt writes an empty block before and after each table; the pieces are found by what they are: the
    tables (frames) in order, the letterhead first and the signature last, and between them the
    non-empty blocks, which are the title lines, then the paragraphs and captions in document order. An
    unsigned document (an annex) has nothing after its last block: its signature is 0 high."""
    sample = [p if p[0] != "table" else (*p[:3], min(p[3], SAMPLE_ROWS)) for p in whole(document)]
    text = _layout(page_html(document, sample), device, None, width)
    layout = text.documentLayout()
    items = []  # (kind, top, bottom, frame)
    it = text.rootFrame().begin()
    while not it.atEnd():
        frame = it.currentFrame()
        if frame is not None:
            box = layout.frameBoundingRect(frame)
            items.append(("frame", box.top(), box.bottom(), frame))
        elif it.currentBlock().text().strip(" "):
            box = layout.blockBoundingRect(it.currentBlock())
            items.append(("block", box.top(), box.bottom(), None))
        it += 1
    end = text.size().height()
    # The items of each document block, counted from the signature's back.
    if document.signed:
        signature_at = max(i for i, item in enumerate(items) if item[0] == "frame") - 1  # its spacer paragraph
        signature_top = items[signature_at][1]
    else:
        signature_at, signature_top = len(items), end
    wanted = []
    for block in document.blocks:
        wanted += [("caption", block)] if isinstance(block, Table) and block.caption else []
        wanted.append(("table" if isinstance(block, Table) else "paragraph", block))
    first = signature_at - len(wanted)
    found = items[first:signature_at]
    kinds = ["frame" if kind == "table" else "block" for kind, _ in wanted]
    if [item[0] for item in found] != kinds:
        raise AssertionError(f"the measured layout does not match the document: {[i[0] for i in found]} {kinds}")
    tops = [item[1] for item in found] + [signature_top]
    blocks: list[Flow | TableHeights] = []
    at = 0
    for index, block in enumerate(document.blocks):
        if not isinstance(block, Table):
            blocks.append(Flow(found[at][2] - found[at][1], tops[at + 1] - tops[at]))
            at += 1
            continue
        caption = found[at + 1][1] - found[at][1] if block.caption else 0.0
        at += 1 if block.caption else 0
        _, top, bottom, frame = found[at]
        heights = _table_heights(text, layout, frame, block, top, bottom, tops[at + 1])
        if len(block.body) > SAMPLE_ROWS:
            known = heights.rows[: SAMPLE_ROWS - 1]  # the sample's last row: only its text was measured
            rest = _rest_of_rows(document, index, known, device, width)
            heights = replace(heights, rows=(*known, *rest))
        blocks.append(replace(heights, caption=caption))
        at += 1
    prelude_end = found[0][1] if found else signature_top
    return Heights(
        prelude=Flow(prelude_end, prelude_end),
        blocks=tuple(blocks),
        signature=Flow(end - signature_top, end - signature_top),
    )


def _row_extents(text: QTextDocument, table) -> tuple[list[float], list[float]]:
    """Each row's top and the height of its tallest cell's text, from the blocks of its cells (the tallest
    cell starts at the row's padding, the others, centred, lower)."""
    layout = text.documentLayout()
    starts, spans = [], []
    for r in range(table.rows()):
        upper, lower = float("inf"), float("-inf")
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c:
                continue  # the other half of a spanned cell
            cell_block = text.findBlock(cell.firstPosition())
            while cell_block.isValid() and cell_block.position() <= cell.lastPosition():
                box = layout.blockBoundingRect(cell_block)
                upper, lower = min(upper, box.top()), max(lower, box.bottom())
                cell_block = cell_block.next()
        starts.append(upper)
        spans.append(lower - upper)
    return starts, spans


def _table_heights(text, layout, table, block: Table, top: float, bottom: float, following: float) -> TableHeights:
    """A row's height is the step to the next row's top; the last row's, its text and the padding of the
    rows above it; what comes under the last row, from its foot."""
    head = len(block.head)
    starts, spans = _row_extents(text, table)
    count = len(starts) - head
    if count == 0:
        return TableHeights(0.0, bottom - top, (), 0.0, max(following, bottom) - bottom)
    rows = [starts[head + r + 1] - starts[head + r] for r in range(count - 1)]
    padding = rows[0] - spans[head] if count > 1 else bottom - starts[head] - spans[head]
    foot = starts[-1] + spans[-1] + padding  # the foot of the last row
    rows.append(foot - starts[-1])
    return TableHeights(0.0, starts[head] - top, tuple(rows), max(bottom - foot, 0.0), max(following, bottom) - foot)


def _rest_of_rows(document: PrintedDocument, index: int, known, device: QPrinter, width: float) -> list[float]:
    """The heights of the rows after the ``known`` ones of table ``index``."""
    table = document.blocks[index]
    one_line = _one_line_test(document, table, device, width)
    single = [height for row, height in enumerate(known) if one_line(table.body[row])]
    heights: dict[int, float] = {}
    unsure = []
    for row in range(len(known), len(table.body)):
        if single and one_line(table.body[row]):
            heights[row] = max(single)
        else:
            unsure.append(row)
    for at in range(0, len(unsure), BATCH_ROWS):
        batch = unsure[at : at + BATCH_ROWS]
        heights.update(zip(batch, _measured_rows(document, index, batch, device, width), strict=True))
    return [heights[row] for row in range(len(known), len(table.body))]


def _one_line_test(document: PrintedDocument, table: Table, device: QPrinter, width: float):
    """Whether every cell of a row fits its column on one line, with 2 mm to spare: the font's advance of
    each text against its column less the padding and rules."""
    px_per_mm = width / document.text_width_mm
    widths = column_widths_mm(table, document.text_width_mm)
    scale = px_per_mm * min(1.0, document.text_width_mm / sum(widths))  # a table wider than the page is shrunk
    columns = [mm * scale for mm in widths]
    padding = 2 * 3 * device.resolution() / 96 + 2 * px_per_mm
    metrics = {}
    for bold in (False, True):
        for italic in (False, True):
            font = QFont(FONT_FAMILY, TABLE_PT)
            font.setBold(bold)
            font.setItalic(italic)
            metrics[bold, italic] = QFontMetricsF(font, device)

    def fits(row) -> bool:
        column = 0
        for cell in row:
            room = sum(columns[column : column + cell.columns]) - padding
            if "\n" in cell.text or metrics[cell.bold, cell.italic].horizontalAdvance(cell.text) > room:
                return False
            column += cell.columns
        return True

    return fits


def _measured_rows(document: PrintedDocument, index: int, rows: list[int], device: QPrinter, width: float):
    """The heights of some rows of table ``index``, laid out together under its header; the table's first
    row after them gives the last one's foot."""
    table = document.blocks[index]
    batch = replace(table, body=tuple(table.body[r] for r in rows) + (table.body[0],), caption="")
    alone = replace(document, blocks=(*document.blocks[:index], batch, *document.blocks[index + 1 :]))
    text = _layout(page_html(alone, [("table", index, 0, len(batch.body))]), device, None, width)
    starts, _ = _row_extents(text, text.rootFrame().childFrames()[0])
    head = len(table.head)
    return [starts[head + n + 1] - starts[head + n] for n in range(len(rows))]


def _page_number(painter: QPainter, number: int, margin: QRectF) -> None:
    painter.save()
    painter.setFont(QFont(FONT_FAMILY, BODY_PT))
    painter.drawText(margin, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, str(number))
    painter.restore()


def _footer(painter: QPainter, document: PrintedDocument, margin: QRectF, px) -> None:
    """The footer text on the left; the QR code of the packet at the right end."""
    footer = document.footer
    painter.save()
    painter.setFont(QFont(FONT_FAMILY, FOOTER_PT))
    painter.setPen(Qt.GlobalColor.black)
    qr_side = px(QR_MM) if footer.qr else 0.0
    gap = px(3) if footer.qr else 0.0
    top = margin.top() + px(2)
    text_box = QRectF(margin.left(), top, margin.width() - qr_side - gap, margin.height() - px(4))
    painter.drawText(
        text_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap, footer.text
    )
    if footer.qr:
        _qr(painter, footer.qr, QRectF(margin.right() - qr_side, top, qr_side, qr_side))
    painter.restore()


def _qr(painter: QPainter, payload: str, box: QRectF) -> None:
    """The QR code as filled squares: sharp at any printer resolution."""
    matrix = segno.make_qr(payload, error="m").matrix
    quiet = 2  # modules of white around it; the page margin gives the rest
    module = box.width() / (len(matrix) + 2 * quiet)
    painter.fillRect(box, Qt.GlobalColor.white)
    for y, line in enumerate(matrix):
        for x, dark in enumerate(line):
            if dark:
                painter.fillRect(
                    QRectF(box.left() + (x + quiet) * module, box.top() + (y + quiet) * module, module, module),
                    Qt.GlobalColor.black,
                )


# ---- PDF and preview ------------------------------------------------------------------


def write_pdf(document: PrintedDocument, path: str | Path) -> Path:
    """The PDF, written whole or not at all: Qt draws it in a scratch folder, then it is put in place
    as packets are (exports/atomic.py), so a half-written file never takes the name."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BadInput(f"Không có thư mục “{path.parent}” để ghi tệp PDF.")
    with tempfile.TemporaryDirectory(prefix="so-chi-tieu-in-") as scratch:
        drawn = Path(scratch) / "in.pdf"
        printer = setup_printer(QPrinter(QPrinter.PrinterMode.HighResolution), document)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(drawn))
        printer.setCreator("Sổ Chỉ Tiêu")
        paint(document, printer)
        if not drawn.is_file() or drawn.stat().st_size == 0:
            raise BadInput(f"Không tạo được tệp PDF “{path.name}”.")
        return write_atomically(path, drawn.read_bytes())


def preview(document: PrintedDocument, parent: QWidget) -> QPrintPreviewDialog:
    """The print preview, shown without waiting; printing from it prints the same pages as the PDF."""
    dialog = QPrintPreviewDialog(parent)  # its own printer: one handed in must outlive the dialog
    setup_printer(dialog.printer(), document)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle(f"Xem trước khi in: {document.name}")
    dialog.paintRequested.connect(lambda printer: paint(document, printer))
    dialog.open()
    return dialog


def ensure_application() -> QGuiApplication:
    """Qt needs an application object to lay out text; the command line makes one, with no window
    (the offscreen platform when there is no screen)."""
    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0] if sys.argv else "so-chi-tieu"])
    install_fonts()  # Times New Roman's stand-in where it is missing
    return app
