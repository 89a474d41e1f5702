"""The villages of one accepted packet with their figures, as the commune
sent them: the merged table's drill-down (double-click a unit)."""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from exports.collect.merge import UnitFigures
from exports.collect.received import packet_villages, received_packet, received_values
from forms.messages import label_of
from forms.schema import FormDef
from models.gateway import Gateway
from ui.cell_look import shown
from ui.widgets import button_row, compact_rows, fit_to_screen

ITEM_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
ITEM_CENTER = Qt.AlignmentFlag.AlignCenter


class PacketVillagesDialog(QDialog):
    """The villages of one accepted packet with their figures, as the commune sent them."""

    def __init__(self, gw: Gateway, form: FormDef, unit: UnitFigures, parent=None):
        super().__init__(parent)
        packet = received_packet(gw, unit.packet_id)
        self.villages = packet_villages(gw, unit.packet_id)
        values = received_values(gw, unit.packet_id)
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
                self.table.setItem(row, column, item)
        self.table.setColumnWidth(0, 200)
        for column in range(1, self.table.columnCount()):
            self.table.setColumnWidth(column, 70)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        buttons = button_row(close)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        fit_to_screen(self, 980, 560)

    def village_names(self) -> list[str]:
        return [name for _code, name in self.villages]
