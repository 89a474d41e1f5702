"""A compact bar chart of a report's targets, beside the data-entry grid.

One row per target: the row code, a bar for what was achieved, a tick at the
target level and a ✓/✗ at the end, so the chart reads without colour too.
QtCharts is not shipped (PySide6-Essentials only), hence plain QPainter.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from forms.engine import TargetResult
from forms.messages import label_of, target_text
from forms.schema import FormDef

ROW_HEIGHT = 17
MARGIN = 6
GAP = 6  # between the code, the bar and the mark
STATUS_COLORS = {
    # Dark green against a lighter orange-red: they differ in lightness as well
    # as hue, which is what red-green colour-blind readers can still see.
    "dat": QColor("#1b7f3b"),
    "chua_dat": QColor("#e4572e"),
}
TRACK_COLOR = QColor("#e4e4e4")
TICK_COLOR = QColor("#202020")
GREY_TEXT = QColor("#7a7a7a")
MARKS = {"dat": "✓", "chua_dat": "✗"}


@dataclass(frozen=True)
class ChartRow:
    code: str
    label: str
    fill: float | None  # achieved share of the bar, 0..1; None: no bar
    mark: float | None  # where the target tick stands, 0..1; None: no tick
    status: str
    tooltip: str


def chart_row(form: FormDef, result: TargetResult) -> ChartRow:
    ind = form.indicator(result.indicator)
    code = ind.code if ind.code and ind.code != "-" else "·"
    tooltip = f"{label_of(form, result.indicator)}\n{target_text(form, result)}"
    fill = mark = None
    if result.status in STATUS_COLORS and result.achieved is not None:
        if result.percent is not None:
            fill, mark = float(result.achieved) / 100, float(result.percent) / 100
        else:
            # A count target ("03 xã") has no natural 100%: the target is the full bar.
            fill = float(result.achieved) / result.count if result.count else 1.0
            mark = 1.0
        fill, mark = _clamp(fill), _clamp(mark)
    return ChartRow(code, ind.label, fill, mark, result.status, tooltip)


def _clamp(share: float) -> float:
    return min(max(share, 0.0), 1.0)


class TargetChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows: list[ChartRow] = []

    def set_results(self, form: FormDef, results: list[TargetResult]) -> None:
        self._rows = [chart_row(form, r) for r in results]
        self.updateGeometry()  # the height follows the number of targets
        self.update()

    def rows(self) -> list[ChartRow]:
        return list(self._rows)

    def empty_hint(self) -> str:
        return self.tr("Chọn bộ mục tiêu để xem mức đạt")

    def sizeHint(self) -> QSize:
        return QSize(300, 2 * MARGIN + ROW_HEIGHT * max(len(self._rows), 2))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 2 * MARGIN + ROW_HEIGHT * max(len(self._rows), 1))

    # ---- geometry, shared by painting and tooltips ---------------------------

    def row_at(self, pos: QPoint) -> int | None:
        index = (pos.y() - MARGIN) // ROW_HEIGHT
        return index if pos.y() >= MARGIN and index < len(self._rows) else None

    def tooltip_at(self, pos: QPoint) -> str:
        index = self.row_at(pos)
        return self._rows[index].tooltip if index is not None else ""

    def _columns(self) -> tuple[QRect, QRect, QRect]:
        """The code, bar and mark columns of the first row."""
        metrics = self.fontMetrics()
        code_w = max((metrics.horizontalAdvance(r.code) for r in self._rows), default=0)
        mark_w = metrics.horizontalAdvance("✓✗") // 2 + 2
        bar_x = MARGIN + code_w + GAP
        bar_w = max(self.width() - bar_x - GAP - mark_w - MARGIN, 10)
        return (
            QRect(MARGIN, MARGIN, code_w, ROW_HEIGHT),
            QRect(bar_x, MARGIN, bar_w, ROW_HEIGHT),
            QRect(bar_x + bar_w + GAP, MARGIN, mark_w, ROW_HEIGHT),
        )

    # ---- Qt overrides -----------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if not self._rows:
            painter.setPen(GREY_TEXT)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(self.rect().adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN), flags, self.empty_hint())
            return
        notes = {"khong_ap_dung": self.tr("không áp dụng"), "thieu_so_lieu": self.tr("thiếu số liệu")}
        code_col, bar_col, mark_col = self._columns()
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        for i, row in enumerate(self._rows):
            dy = i * ROW_HEIGHT
            code_rect, bar_rect, mark_rect = (c.translated(0, dy) for c in (code_col, bar_col, mark_col))
            painter.setPen(self.palette().windowText().color())
            painter.drawText(code_rect, left, row.code)
            color = STATUS_COLORS.get(row.status)
            if color is None or row.fill is None:
                painter.setPen(GREY_TEXT)
                painter.drawText(bar_rect, left, notes.get(row.status, ""))
                continue
            track = bar_rect.adjusted(0, 3, 0, -3)
            painter.fillRect(track, TRACK_COLOR)
            if row.fill > 0:
                painter.fillRect(QRect(track.x(), track.y(), round(track.width() * row.fill), track.height()), color)
            if row.mark is not None:
                # Kept inside the track so a 100% tick is not cut off at the edge.
                x = track.x() + min(round(track.width() * row.mark), track.width() - 1)
                painter.setPen(QPen(TICK_COLOR, 2))
                painter.drawLine(x, bar_rect.top() + 1, x, bar_rect.bottom() - 1)
            painter.setPen(color)
            painter.drawText(mark_rect, Qt.AlignmentFlag.AlignCenter, MARKS[row.status])
