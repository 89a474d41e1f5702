"""“Bộ mục tiêu của đơn vị”: the target sets this unit sets for itself (models/target_store.py), from
either window. It lists the unit's sets of a form; the officer makes a new set, or a new version of one
(its targets whole, with the day it applies from), in a table of indicator, operator, value and kind,
with the source document's number and date. A refusal is said in the dialog, every wrong target
named; nothing is kept half."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
)

from forms import vnformat
from forms.library import FormLibrary
from forms.schema import FormDef
from models.errors import UserError
from models.form_store import find_form
from models.gateway import Gateway
from models.tables.target_sets import StoredTargetSet
from models.target_store import TargetInput, kept_target_sets, save_target_set
from ui.widgets import ERROR_STYLE, button_row, fit_to_screen, message_label, open_modeless, say

OPERATORS = ((">=", "≥"), (">", ">"), ("=", "="), ("<=", "≤"))
NEW_SET = ""


class TargetSetDialog(QDialog):
    saved = Signal(str, str)  # form id, set id

    def __init__(self, gw: Gateway, library: FormLibrary, form_id: str | None, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.library, self.who = gw, library, who
        self.home = gw.setting("home_unit") or ""
        self.setWindowTitle(self.tr("Bộ mục tiêu của đơn vị"))
        self.form_box = QComboBox()
        for form_key in sorted({f.id for f in library.all()}):
            form = self.form_of(form_key)
            self.form_box.addItem(f"{form.id} — {form.title}", form.id)
        self.form_box.setCurrentIndex(max(self.form_box.findData(form_id), 0))
        self.set_box = QComboBox()
        self.versions_label = QLabel()
        self.versions_label.setWordWrap(True)
        self.id_edit, self.name_edit, self.source_edit = QLineEdit(), QLineEdit(), QLineEdit()
        self.id_edit.setPlaceholderText(self.tr("ví dụ: ke-hoach-2026 (chữ thường không dấu, số, gạch ngang)"))
        self.name_edit.setPlaceholderText(self.tr("ví dụ: Kế hoạch năm 2026"))
        self.source_edit.setPlaceholderText(self.tr("ví dụ: Kế hoạch số 67-KH/ThU"))
        self.source_date, self.starts = _date_edit(), _date_edit()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Chỉ tiêu"), self.tr("So sánh"), self.tr("Giá trị"), self.tr("Loại")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.add_button = QPushButton(self.tr("Thêm mục tiêu"))
        self.remove_button = QPushButton(self.tr("Bỏ mục tiêu đã chọn"))
        self.error_label = message_label(ERROR_STYLE)
        self.save_button = QPushButton(self.tr("Lưu"))
        self.save_button.setDefault(True)
        self.close_button = QPushButton(self.tr("Đóng"))

        fields = QFormLayout()
        fields.addRow(self.tr("Biểu:"), self.form_box)
        fields.addRow(self.tr("Bộ mục tiêu:"), self.set_box)
        fields.addRow("", self.versions_label)
        fields.addRow(self.tr("Mã bộ:"), self.id_edit)
        fields.addRow(self.tr("Tên:"), self.name_edit)
        fields.addRow(self.tr("Văn bản giao:"), self.source_edit)
        fields.addRow(self.tr("Ngày văn bản:"), self.source_date)
        fields.addRow(self.tr("Áp dụng từ ngày:"), self.starts)
        column = QVBoxLayout(self)
        column.addLayout(fields)
        column.addWidget(self.table, 1)
        column.addLayout(button_row(self.add_button, self.remove_button))
        column.addWidget(self.error_label)
        column.addLayout(button_row(self.save_button, self.close_button))
        fit_to_screen(self, 760, 620)

        self.form_box.currentIndexChanged.connect(self.fill_sets)
        self.set_box.currentIndexChanged.connect(self.show_set)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_rows)
        self.save_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.reject)
        self.fill_sets()

    # ---- what is shown ---------------------------------------------------------------------

    def form_of(self, form_id: str) -> FormDef:
        """The version a new set is checked against: this unit's own if it made one, else the program's."""
        return find_form(self.library, form_id, None, None, self.home)

    def current_form(self) -> FormDef:
        return self.form_of(self.form_box.currentData())

    def sets(self) -> dict[str, list[StoredTargetSet]]:
        """This unit's sets of the chosen form: set id -> its versions, oldest first."""
        found: dict[str, list[StoredTargetSet]] = {}
        for stored in kept_target_sets(self.gw, self.form_box.currentData()):
            if stored.owner == self.home:
                found.setdefault(stored.set_id, []).append(stored)
        return found

    def fill_sets(self, choose: str = NEW_SET) -> None:
        self.set_box.blockSignals(True)
        self.set_box.clear()
        self.set_box.addItem(self.tr("(bộ mục tiêu mới)"), NEW_SET)
        for set_id, versions in self.sets().items():
            latest = versions[-1]
            label = self.tr("%1 (%2, phiên bản %3): phiên bản mới").replace("%1", latest.name)
            self.set_box.addItem(label.replace("%2", set_id).replace("%3", str(latest.version)), set_id)
        self.set_box.setCurrentIndex(max(self.set_box.findData(choose), 0))
        self.set_box.blockSignals(False)
        self.show_set()

    def show_set(self) -> None:
        """A new set: empty fields and one row; an existing one: its latest version, to change into the next."""
        set_id = self.set_box.currentData()
        versions = self.sets().get(set_id, []) if set_id else []
        latest = versions[-1] if versions else None
        self.id_edit.setText(set_id or "")
        self.id_edit.setReadOnly(latest is not None)  # a new version keeps the set's id
        self.name_edit.setText(latest.name if latest else "")
        self.source_edit.setText(latest.source_number if latest else "")
        today = dt.date.today()
        self.source_date.setDate(QDate(latest.source_date if latest else today))
        self.starts.setDate(QDate(max(latest.starts + dt.timedelta(days=1), today) if latest else today))
        self.versions_label.setText(
            "; ".join(
                self.tr("phiên bản %1 áp dụng từ ngày %2")
                .replace("%1", str(v.version))
                .replace("%2", vnformat.date(v.starts))
                for v in versions
            )
            or self.tr("Bộ mục tiêu mới của đơn vị cho biểu này.")
        )
        self.table.setRowCount(0)
        for row in latest.targets if latest else ({},):
            self.add_row(row)
        say(self.error_label, "")

    def add_row(self, target: dict | None = None) -> int:
        target = target or {}
        row = self.table.rowCount()
        self.table.insertRow(row)
        indicator = QComboBox()
        numeric = [i for i in self.current_form().indicators if i.is_numeric]
        for ind in [i for i in numeric if i.code] + [i for i in numeric if not i.code]:  # the printed rows first
            indicator.addItem(f"{ind.code} — {ind.label}" if ind.code else ind.label, ind.id)
        indicator.setCurrentIndex(max(indicator.findData(target.get("indicator")), 0))
        op = QComboBox()
        for value, shown in OPERATORS:
            op.addItem(shown, value)
        op.setCurrentIndex(max(op.findData(target.get("op", ">=")), 0))
        value = QLineEdit(_value_text(target))
        kind = QComboBox()
        kind.addItem(self.tr("Tỷ lệ %"), True)
        kind.addItem(self.tr("Số lượng"), False)
        kind.setCurrentIndex(0 if "count" not in target else 1)
        for column, widget in enumerate((indicator, op, value, kind)):
            self.table.setCellWidget(row, column, widget)
        return row

    def remove_rows(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    # ---- saving ------------------------------------------------------------------------------

    def targets(self) -> list[TargetInput]:
        found = []
        for row in range(self.table.rowCount()):
            indicator, op, value, kind = (self.table.cellWidget(row, c) for c in range(4))
            found.append(TargetInput(indicator.currentData(), op.currentData(), value.text(), kind.currentData()))
        return found

    def submit(self) -> bool:
        """Keep the set (or its new version); every problem said here, nothing kept."""
        say(self.error_label, "")
        try:
            stored, _new = save_target_set(
                self.gw,
                self.current_form(),
                self.id_edit.text(),
                self.name_edit.text(),
                self.source_edit.text(),
                self.source_date.date().toPython(),
                self.starts.date().toPython(),
                self.targets(),
                self.who,
            )
        except UserError as exc:
            say(self.error_label, str(exc))
            return False
        self.saved.emit(stored.form_id, stored.set_id)
        self.accept()
        return True


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def _value_text(target: dict) -> str:
    if "percent" in target:
        return target["percent"].replace(".", ",")
    if "count" in target:
        return vnformat.number(target["count"])
    return ""


def open_target_sets(window) -> TargetSetDialog:
    """The unit's own target sets for the form a window shows, without waiting; once one is saved the
    window's ``_target_sets_saved`` lists it in its Mục tiêu box."""
    dialog = TargetSetDialog(window.gw, window.library, window.form_box.currentData(), window.who, window)
    dialog.saved.connect(window._target_sets_saved)
    open_modeless(dialog)
    return dialog
