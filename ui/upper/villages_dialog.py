"""The villages of one accepted packet with their figures, as the commune
sent them: the merged table's drill-down (double-click a unit). A cell with a
plausibility warning (sent, found here, or both: exports/collect/followup.py)
is coloured, its tooltip the warning, the commune's reason and any disagreement."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from exports.collect.followup import FollowupRow, unit_followup
from exports.collect.merge import UnitFigures
from exports.collect.received import packet_villages, received_packet, received_values
from forms.messages import label_of
from forms.schema import FormDef
from models.gateway import Gateway
from models.periods import Period
from ui.cell_look import shown
from ui.widgets import button_row, compact_rows, fit_to_screen

ITEM_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ITEM_CENTER = Qt.AlignmentFlag.AlignCenter
PLAUSIBILITY = QBrush(QColor("#FCE8B2"))  # a warning to look at
DIFFERS = QBrush(QColor("#F4C7C3"))  # the commune and this level disagree


def finding_tip(rows: list[FollowupRow]) -> str:
    """The warnings of one cell, each with who saw it, the commune's reason and any disagreement."""
    lines = []
    for row in rows:
        lines.append(f"{row.message} ({row.side_words})")
        if row.side != "here":
            lines.append(f"Giải trình của xã: {row.reason or '(chưa có)'}")
        if row.differs:
            lines.append(f"Khác nhau: {row.difference}")
    return "\n".join(lines)


class PacketVillagesDialog(QDialog):
    """The villages of one accepted packet with their figures, as the commune sent them."""

    def __init__(self, gw: Gateway, form: FormDef, unit: UnitFigures, parent=None, period: Period | None = None):
        super().__init__(parent)
        packet = received_packet(gw, unit.packet_id)
        self.villages = packet_villages(gw, unit.packet_id)
        values = received_values(gw, unit.packet_id)
        period = period or gw.period(packet.period_code)
        self.findings: dict[tuple[str, str | None], list[FollowupRow]] = {}
        for row in unit_followup(gw, form, period, unit.unit):
            self.findings.setdefault((row.indicator, row.village_code), []).append(row)
        self.indicators = list(form.village_indicators)
        self.setWindowTitle(self.tr("Số liệu từng bản — %1").replace("%1", unit.unit.name))
        heading = QLabel(
            self.tr("%1, lần gửi %2 (tệp %3): %4 thôn, bản, tổ dân phố")
            .replace("%1", unit.unit.name)
            .replace("%2", str(unit.sequence))
            .replace("%3", packet.file_name)
            .replace("%4", str(len(self.villages)))
        )
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(len(self.villages), len(self.indicators) + 1)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Bản, tổ dân phố"),
                *(f"{i.code}\n{i.unit}" if i.code else textwrap.fill(i.label, 10) for i in self.indicators),
            ]
        )
        for column, ind in enumerate(self.indicators, start=1):
            self.table.horizontalHeaderItem(column).setToolTip(label_of(form, ind.id))
        for row, (code, name) in enumerate(self.villages):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            for column, ind in enumerate(self.indicators, start=1):
                item = QTableWidgetItem(shown(ind, values.get((ind.id, code))))
                item.setTextAlignment(ITEM_CENTER if ind.kind == "yesno" else ITEM_RIGHT)
                found = self.findings.get((ind.id, code))
                if found:
                    item.setBackground(DIFFERS if any(r.differs for r in found) else PLAUSIBILITY)
                    item.setToolTip(finding_tip(found))
                self.table.setItem(row, column, item)
        self.table.setColumnWidth(0, 200)
        for column in range(1, self.table.columnCount()):
            self.table.setColumnWidth(column, 70)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        buttons = button_row(close)
        commune = [r for (_, village), rows in self.findings.items() if village is None for r in rows]
        self.commune_note = QLabel("\n".join(f"{r.label}: {finding_tip([r])}" for r in commune) if commune else "")
        self.commune_note.setWordWrap(True)
        self.commune_note.setVisible(bool(commune))
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(self.table, 1)
        column.addWidget(self.commune_note)
        column.addLayout(buttons)
        fit_to_screen(self, 980, 560)

    def village_names(self) -> list[str]:
        return [name for _code, name in self.villages]

    def marked_cells(self) -> dict[tuple[str, str], str]:
        """(village name, indicator id) -> the tooltip of each coloured cell."""
        marked = {}
        for row, (_code, name) in enumerate(self.villages):
            for column, ind in enumerate(self.indicators, start=1):
                item = self.table.item(row, column)
                if item.toolTip():
                    marked[name, ind.id] = item.toolTip()
        return marked
