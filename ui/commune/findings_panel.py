"""Errors and warnings of the open report, in Vietnamese. Clicking one jumps
to its cell; a warning can be answered with a written reason."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QInputDialog, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from forms.messages import SEVERITY_LABELS, finding_text
from models.reporting import ReportView

FindingRole = Qt.ItemDataRole.UserRole


class FindingsPanel(QWidget):
    jump = Signal(object)  # the Finding whose cell to show
    answer = Signal(object, str)  # a warning and its written reason

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel(self.tr("Lỗi và cảnh báo"))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.reason_button = QPushButton(self.tr("Ghi lý do cho cảnh báo..."))
        self.reason_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.reason_button)
        self.list.itemClicked.connect(lambda item: self.jump.emit(item.data(FindingRole)))
        self.list.currentItemChanged.connect(self._update_button)
        self.reason_button.clicked.connect(self.ask_reason)
        self._view: ReportView | None = None

    def set_view(self, view: ReportView | None) -> None:
        selected = self.selected_finding()
        self._view = view
        self.list.clear()
        if view is None:
            return
        names = {v.code: v.name for v in view.villages}
        for finding in view.evaluation.findings:
            where = f"{names.get(finding.cell.village, '')}: " if finding.cell.village else ""
            text = f"[{SEVERITY_LABELS[finding.severity]}] {where}{finding_text(view.form, finding)}"
            reason = view.reason_for(finding)
            if reason:
                text += "\n" + self.tr("Lý do: %1").replace("%1", reason)
            item = QListWidgetItem(text, self.list)
            item.setData(FindingRole, finding)
            item.setForeground(QBrush(QColor("#a50e0e" if finding.severity == "error" else "#7a5200")))
            if finding == selected:
                self.list.setCurrentItem(item)
        self.title.setText(
            self.tr("Lỗi và cảnh báo (%1)").replace("%1", str(len(view.evaluation.findings)))
            if view.evaluation.findings
            else self.tr("Không có lỗi, không có cảnh báo")
        )

    def selected_finding(self):
        item = self.list.currentItem()
        return item.data(FindingRole) if item else None

    def _update_button(self) -> None:
        finding = self.selected_finding()
        self.reason_button.setEnabled(finding is not None and finding.severity == "warning")

    def ask_reason(self) -> None:
        finding = self.selected_finding()
        if finding is None or finding.severity != "warning" or self._view is None:
            return
        reason, ok = QInputDialog.getMultiLineText(
            self,
            self.tr("Lý do giữ số liệu"),
            finding_text(self._view.form, finding) + "\n\n" + self.tr("Vì sao số liệu này vẫn đúng?"),
            self._view.reason_for(finding) or "",
        )
        if ok:
            self.answer.emit(finding, reason)
