"""Paint a PrintedDocument on paper or into a PDF, page by page.

QTextDocument lays out the HTML of exports/paper/page.py at the printer's
resolution; each page is then drawn by hand so that the page number can
start on page 2 (Nghị định 30/2020: centred in the top margin, none on the
first page) and every page carries the footer that names its packet, with a
QR code of it. The print preview and “Xuất PDF” call the same paint().
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import segno
from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from exports.atomic import write_atomically
from exports.paper.page import BODY_PT, FONT_FAMILY, MARGINS_MM, PrintedDocument, Table, table_segments, to_html
from models.errors import BadInput
from ui.resources import install_fonts

MM_PER_INCH = 25.4
FOOTER_PT = 9
QR_MM = 16.0  # big enough for a phone camera at arm's length, small enough for the margin
MAX_LAYOUTS = 60  # each split row found costs one more layout


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
    text = laid_out(document, printer, body)
    painter = QPainter()
    if not painter.begin(printer):
        raise BadInput("Không mở được máy in hoặc tệp PDF để ghi.")
    try:
        pages = text.pageCount()
        for number in range(pages):
            if number:
                printer.newPage()
            painter.save()
            painter.translate(left, top - number * body.height())
            text.drawContents(painter, QRectF(QPointF(0, number * body.height()), body))
            painter.restore()
            if number:
                _page_number(painter, number + 1, QRectF(left, 0, body.width(), top))
            _footer(
                painter,
                document,
                QRectF(left, top + body.height(), body.width(), page.height() - top - body.height()),
                px,
            )
    finally:
        painter.end()
    return pages


def laid_out(document: PrintedDocument, printer: QPrinter, body: QSizeF) -> QTextDocument:
    """The document in pages of ``body`` size, laid out as a clerk would paste it up.

    Qt lets a table run on over a page break with its last row stretched to
    the foot of the page and no rule under it, breaks a row that does not fit
    inside its cells (half a label at the foot of a page), and can leave a
    caption at the foot of a page with its table on the next. So every page
    a table runs onto starts a new table there (under the same header), a
    caption goes with its table, and the layout is done again until nothing
    is left to fix. The signature block goes whole, and never alone, to the
    next page with the last rows of the table above it (Nghị định 30/2020).
    """
    height = body.height()
    text, breaks = _paginated(document, printer, body, frozenset())
    signature = _signature_frame(text)
    if _splits(text, signature, height) or _alone(text, signature, height):
        tables = [i for i, block in enumerate(document.blocks) if isinstance(block, Table) and len(block.body) > 3]
        if tables:
            last = document.blocks[tables[-1]]
            index, row = tables[-1], last.page_break_before(len(last.body) - 3)
            kept = {(i, r) for i, r in breaks if i < index or (i == index and r < row)}  # the rest is laid out anew
            text, breaks = _paginated(document, printer, body, frozenset(kept | {(index, row)}))
    signature = _signature_frame(text)
    if _splits(text, signature, height):
        frame_format = signature.frameFormat()
        frame_format.setPageBreakPolicy(QTextFrameFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        signature.setFrameFormat(frame_format)
    return text


def _paginated(document: PrintedDocument, printer: QPrinter, body: QSizeF, breaks):
    for _attempt in range(MAX_LAYOUTS):
        text = _layout(document, printer, body, breaks)
        more = _breaks_needed(text, document, breaks, body.height(), printer.resolution())
        if more <= breaks:
            break  # nothing left, or a row taller than a page: nothing better to do
        breaks = breaks | more
    return text, breaks


def _signature_frame(text: QTextDocument):
    frames = text.rootFrame().childFrames()
    return frames[-1] if frames else None  # to_html writes the signature block last


def _splits(text: QTextDocument, frame, page_height: float) -> bool:
    if frame is None:
        return False
    box = text.documentLayout().frameBoundingRect(frame)
    return int(box.top() // page_height) != int((box.bottom() - 1) // page_height)


def _alone(text: QTextDocument, frame, page_height: float) -> bool:
    """True when nothing written comes before the frame on its page."""
    if frame is None:
        return False
    layout = text.documentLayout()
    last_written = None
    block = text.begin()
    while block.isValid() and block.position() < frame.firstPosition():
        if block.text().strip():
            last_written = block
        block = block.next()
    if last_written is None:
        return False
    top = layout.frameBoundingRect(frame).top()
    return int(layout.blockBoundingRect(last_written).top() // page_height) < int(top // page_height)


def _layout(document: PrintedDocument, printer: QPrinter, body: QSizeF, breaks) -> QTextDocument:
    text = QTextDocument()
    text.documentLayout().setPaintDevice(printer)  # points measured at the printer's resolution
    text.setDefaultFont(QFont(FONT_FAMILY, BODY_PT))
    text.setDocumentMargin(0)
    text.setHtml(to_html(document, breaks))
    text.setPageSize(body)
    return text


def _breaks_needed(text: QTextDocument, document: PrintedDocument, breaks, page_height: float, dpi: int):
    """The (block index, body row) breaks to add, in page order: each row where a table runs onto the
    next page, up to the first change that moves what follows (a split row, a caption left behind,
    a break moved up to a section title); the pages after that are laid out again first."""
    layout = text.documentLayout()
    extents: dict[tuple[int, int], tuple[float, float]] = {}
    block = text.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None:
            key = (table.firstPosition(), table.cellAt(block.position()).row())
            box = layout.blockBoundingRect(block)
            top, bottom = extents.get(key, (box.top(), box.bottom()))
            extents[key] = (min(top, box.top()), max(bottom, box.bottom()))
        block = block.next()
    tables = sorted({position for position, _ in extents})
    # The letterhead is the first table and the signature the last; the ruled ones are in between.
    segments = dict(zip(tables[1:-1], table_segments(document, breaks), strict=False))

    def slack(table: Table) -> float:
        """A row's padding, rules and the table's frame below its text (to_html pads 3 px, 9 px to write in)."""
        return ((9 if table.tall_rows else 3) + 8) * dpi / 96  # measured: 10 px below a 3 px-padded row

    def page(y: float) -> int:
        return int(y // page_height)

    found: set[tuple[int, int]] = set()
    previous: dict[int, int] = {}  # table position -> page of its last row seen
    for (position, row), (top, bottom) in sorted(extents.items(), key=lambda item: item[1][0]):
        if position not in segments:
            continue
        index, start, header_rows = segments[position]
        table = document.blocks[index]
        body_row = start + max(row - header_rows, 0)
        if row == 0 and start == 0 and table.caption:
            caption = layout.blockBoundingRect(text.findBlock(position - 1))
            if page(caption.top()) < page(top):
                return frozenset(found | {(index, 0)})  # the caption goes over with its table
        if page(top) != page(bottom + slack(table)):
            return frozenset(found | {(index, max(table.page_break_before(body_row), start))})
        if row >= header_rows and position in previous and page(top) > previous[position]:
            at = max(table.page_break_before(body_row), start)
            found.add((index, at))
            if at != body_row:
                return frozenset(found)
        previous[position] = page(top)
    return frozenset(found)


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
