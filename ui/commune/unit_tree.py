"""The reporting units on the left of the commune's window: the tree from
the province down to the communes (villages are rows of their commune's
grid, not units to report for), the ones with a report in bold."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from models.gateway import Gateway
from models.vocabulary import Tier

CodeRole = Qt.ItemDataRole.UserRole


class UnitTree(QTreeWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderLabels([self.tr("Đơn vị")])
        self._items: dict[str, QTreeWidgetItem] = {}

    def fill(self, gw: Gateway, keep: str | None = None) -> None:
        """Read the tree again; ``keep`` stays chosen, without a signal that the choice changed."""
        self.blockSignals(keep is not None)
        self.clear()
        self._items = {}
        with_reports = {r.unit_code for r in gw.reports()}
        for unit, _depth in gw.subtree():
            if unit.tier == Tier.VILLAGE:
                continue
            parent = self._items.get(unit.parent_code)
            item = QTreeWidgetItem(parent) if parent else QTreeWidgetItem(self)
            item.setText(0, unit.name)
            item.setData(0, CodeRole, unit.code)
            if unit.code in with_reports:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            self._items[unit.code] = item
        self.expandToDepth(0)
        if keep is not None:
            self.select(keep)
            self.blockSignals(False)

    def select(self, code: str | None) -> None:
        item = self._items.get(code or "")
        if item is not None:
            self.setCurrentItem(item)

    def current_code(self) -> str | None:
        item = self.currentItem()
        return item.data(0, CodeRole) if item else None
