"""The main window: units on the left, the chosen report on the right.

Read-only for now: it shows the filled table, the target comparison and the
findings of any report in the database. Data entry builds on it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from exports.text_report import summary_line
from forms.library import FormLibrary
from forms.messages import SEVERITY_LABELS, finding_text
from models.gateway import Gateway
from models.reporting import view_report
from ui.report_model import ReportTableModel

CodeRole = Qt.ItemDataRole.UserRole


class MainWindow(QMainWindow):
    def __init__(self, gw: Gateway, library: FormLibrary):
        super().__init__()
        self.gw, self.library = gw, library
        self.setWindowTitle(self.tr("Sổ Chỉ Tiêu — %1").replace("%1", str(gw.path)))
        self.units = QTreeWidget()
        self.units.setHeaderLabels([self.tr("Đơn vị")])
        self.form_box, self.period_box, self.target_box = QComboBox(), QComboBox(), QComboBox()
        self.model = ReportTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setMinimumSectionSize(48)
        self.findings = QListWidget()
        self._build_layout()
        self._fill_units()
        for form in library.all():
            self.form_box.addItem(f"{form.id} — {form.title}", form.id)
        self.units.currentItemChanged.connect(self.refresh_periods)
        self.form_box.currentIndexChanged.connect(self.refresh_periods)
        self.form_box.currentIndexChanged.connect(self.refresh_targets)
        self.period_box.currentIndexChanged.connect(self.refresh_report)
        self.target_box.currentIndexChanged.connect(self.refresh_report)
        home = gw.setting("home_unit")
        self._select_latest_form(home)
        self.refresh_targets()
        self.select_unit(home)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for text, box in (
            (self.tr("Biểu:"), self.form_box),
            (self.tr("Kỳ:"), self.period_box),
            (self.tr("Mục tiêu:"), self.target_box),
        ):
            bar.addWidget(QLabel(text))
            bar.addWidget(box, 1)
        right = QWidget()
        column = QVBoxLayout(right)
        column.addLayout(bar)
        column.addWidget(self.table, 4)
        column.addWidget(QLabel(self.tr("Lỗi và cảnh báo:")))
        column.addWidget(self.findings, 1)
        split = QSplitter()
        split.addWidget(self.units)
        split.addWidget(right)
        split.setStretchFactor(1, 4)
        self.setCentralWidget(split)
        self.resize(1280, 800)

    def _fill_units(self) -> None:
        items: dict[str, QTreeWidgetItem] = {}
        with_reports = {r.unit_code for r in self.gw.reports()}
        for unit, _depth in self.gw.subtree():
            if unit.tier == "thon":
                continue  # villages are rows of their commune's grid, not reporting units
            parent = items.get(unit.parent_code)
            item = QTreeWidgetItem(parent) if parent else QTreeWidgetItem(self.units)
            item.setText(0, unit.name)
            item.setData(0, CodeRole, unit.code)
            if unit.code in with_reports:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            items[unit.code] = item
        self.units.expandToDepth(0)
        self._unit_items = items

    def _select_latest_form(self, unit_code: str | None) -> None:
        """Open on the form of the unit's most recent report."""
        reports = self.gw.reports(unit_code) if unit_code else []
        if reports:
            latest = max(reports, key=lambda r: self.gw.period(r.period_code).ends)
            self.form_box.setCurrentIndex(max(self.form_box.findData(latest.form_id), 0))

    def select_unit(self, code: str | None) -> None:
        item = self._unit_items.get(code or "")
        if item is not None:
            self.units.setCurrentItem(item)

    def current_unit(self) -> str | None:
        item = self.units.currentItem()
        return item.data(0, CodeRole) if item else None

    def refresh_targets(self) -> None:
        form = self.library.get(self.form_box.currentData())
        self.target_box.blockSignals(True)
        self.target_box.clear()
        self.target_box.addItem(self.tr("(không so với mục tiêu)"), None)
        for target_set in form.target_sets if form else ():
            self.target_box.addItem(target_set.name, target_set.id)
        self.target_box.blockSignals(False)
        self.refresh_report()

    def refresh_periods(self) -> None:
        unit, form_id = self.current_unit(), self.form_box.currentData()
        periods = [r.period_code for r in self.gw.reports(unit) if r.form_id == form_id] if unit else []
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for code in sorted(periods, reverse=True):
            self.period_box.addItem(self.gw.period(code).label, code)
        self.period_box.blockSignals(False)
        self.refresh_report()

    def refresh_report(self) -> None:
        unit, form_id, period = self.current_unit(), self.form_box.currentData(), self.period_box.currentData()
        report = self.gw.find_report(unit, form_id, period) if unit and period else None
        self.findings.clear()
        if report is None:
            self.model.set_view(None)
            self.statusBar().showMessage(self.tr("Chưa có báo cáo của đơn vị này cho biểu đã chọn."))
            return
        form = self.library.get(report.form_id, report.form_version)
        view = view_report(self.gw, report, form, self.target_box.currentData())
        self.model.set_view(view)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        names = {v.code: v.name for v in view.villages}
        for finding in view.evaluation.findings:
            where = f"{names.get(finding.cell.village, '')}: " if finding.cell.village else ""
            text = f"[{SEVERITY_LABELS[finding.severity]}] {where}{finding_text(form, finding)}"
            QListWidgetItem(text, self.findings)
        self.statusBar().showMessage(summary_line(view))
