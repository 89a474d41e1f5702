"""Draw the program's icon: a red ledger page with a yellow tick, the colours
of the Party's documents. Writes ui/icons/so-chi-tieu.png (the window icon)
and so-chi-tieu.ico (the Windows program icon, PNG images at four sizes).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/make_icon.py
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ICONS = Path(__file__).resolve().parent.parent / "ui" / "icons"
SIZES = (16, 32, 48, 256)
RED, YELLOW, PAPER, INK = QColor("#c8102e"), QColor("#ffcd00"), QColor("#fffaf0"), QColor("#8a8a8a")


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # drawn on a 256 grid
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 36, 36)
    p.setBrush(PAPER)
    p.drawRect(QRectF(56, 40, 144, 176))
    if size >= 32:  # the ruled lines of the table vanish at 16 px
        p.setPen(QPen(INK, 8))
        for y in (80, 112, 144, 176):
            p.drawLine(QPointF(76, y), QPointF(180, y))
    tick = QPainterPath(QPointF(84, 136))
    tick.lineTo(118, 172)
    tick.lineTo(196, 84)
    p.setPen(QPen(YELLOW, 30, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(tick)
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose images are PNGs (read by Windows since Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, data in pngs.items():
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset + len(images))
        images += data
    return header + entries + images


def main() -> int:
    QGuiApplication(sys.argv)
    pngs = {size: png_bytes(draw(size)) for size in SIZES}
    (ICONS / "so-chi-tieu.png").write_bytes(pngs[256])
    (ICONS / "so-chi-tieu.ico").write_bytes(ico_bytes(pngs))
    print(f"Đã vẽ biểu tượng vào {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
