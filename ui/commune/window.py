"""The main window: units on the left; the chosen report on the right, with
the village grid, the commune's computed rows and targets under it, the
commune-level fields, the chart and the findings.

Every edit goes through the report's EntryController, which saves it before
the grid shows it; there is no Save button to forget.

Why it is long: it is the hub of the commune's actions (choosing the report,
the grid and its companions, signing, keys, the upper level's answers and
key, printing); each action is a few lines handing over to its dialog or
library function.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from exports.text_report import summary_line
from forms.library import FormLibrary
from models.carry_forward import carry_forward
from models.errors import UserError
from models.form_store import version_in_use
from models.gateway import Gateway
from models.history import cell_history, history_range
from models.reporting import report_form, start_report
from ui.carried_look import carried_actions
from ui.commune.answer_label import UPPER_KEY_ACTION, AnswerLabel
from ui.commune.commune_fields import CommuneFieldsModel
from ui.commune.double_entry_actions import DoubleEntryActions
from ui.commune.entry_controller import EntryController
from ui.commune.findings_panel import FindingsPanel
from ui.commune.indicator_note import IndicatorNote
from ui.commune.sheet_view import SheetView
from ui.commune.target_chart import TargetChart
from ui.commune.unit_tree import UnitTree
from ui.commune.village_grid import SummaryModel, VillageGridModel
from ui.db_hold import DatabaseHold
from ui.export_folder import ask_file
from ui.widgets import WholeTextCombo, fit_to_screen, local_paths, notice_band, open_modeless, scrolling

if TYPE_CHECKING:  # the signing and key dialogs load the packet writer; imported when first opened
    from ui.commune.period_dialog import PeriodDialog
    from ui.commune.sign_dialog import SignDialog
    from ui.commune.upper_key_dialog import UpperKeyDialog
    from ui.key_dialogs import KeysDialog

KEY_FILES = "Tệp đăng ký khóa (*.sctk);;Mọi tệp (*)"
DROP_REFUSED = (
    "“%1” không phải tệp cấp trên gửi xuống: thả vào đây biểu mẫu, thông báo (.sctp), biên nhận (.sctb) "
    "hoặc tệp đăng ký khóa của cấp trên (.sctk)."
)
FIELD_COLUMN_CHARS = 24  # the widest a commune field's column other than its label grows
TARGET_COLUMN_SAMPLE = "≥ 100%: chưa đạt (96,9%)"  # the target column holds this on one line
NOTICE_LINES = 2  # the band above the grid: a refusal and the upper level's answer, without moving the grid


class MainWindow(QMainWindow):
    def __init__(self, gw: Gateway, library: FormLibrary, who: str, hold: DatabaseHold | None = None):
        super().__init__()
        self.gw, self.library, self.who = gw, library, who
        self.database_hold = hold  # the lock and the backups, while the window is open
        self.controller: EntryController | None = None
        self.standing_note = (
            ""
            if gw.writable
            else self.tr("Tệp cơ sở dữ liệu này chỉ cho phép đọc: xem được, nhưng mọi ô sửa sẽ không được lưu.")
        )
        self.undo_group = QUndoGroup(self)
        self.setAcceptDrops(True)  # what the upper level sent, dropped from a USB stick's folder
        # Qt adds the program's name (the application's display name) after it: “<file> — Sổ Chỉ Tiêu”.
        self.setWindowTitle(str(gw.path))
        self._build_widgets()
        self._build_actions()
        self._build_layout()
        self.units.fill(self.gw)
        self._fill_forms()
        home = gw.setting("home_unit")
        self._select_latest_form(home)
        self.select_unit(home)
        self._fill_targets()
        self.refresh_periods()  # opens the report, once
        self.units.currentItemChanged.connect(self.refresh_periods)
        self.form_box.currentIndexChanged.connect(self.refresh_targets)
        self.period_box.currentIndexChanged.connect(self._period_chosen)
        self.target_box.currentIndexChanged.connect(self._target_chosen)

    # ---- building ----------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.units = UnitTree()
        self.form_box, self.target_box = WholeTextCombo(), WholeTextCombo()
        self.period_box = QComboBox()
        self.period_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.new_period_button = QPushButton(self.tr("Kỳ mới..."))
        self.new_period_button.clicked.connect(self.ask_new_period)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a50e0e; font-weight: bold;")
        self.message.hide()
        self.grid = SheetView()
        self.summary = SheetView()
        self.summary.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary.horizontalHeader().hide()
        self.summary.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields = SheetView()
        for view in (self.grid, self.summary, self.fields):
            view.verticalHeader().hide()
        self.fields.setWordWrap(True)
        self.chart = TargetChart()
        self.findings = FindingsPanel()
        self.indicator_note = IndicatorNote()
        self.findings.jump.connect(self.jump_to_finding)
        self.findings.answer.connect(
            lambda finding, reason: self.controller and self.controller.set_reason(finding, reason)
        )
        self.answer = AnswerLabel()  # what the upper level said about the report's latest packet
        self.todo = QLabel()  # what the upper level asked for (its collection notices) and not sent yet
        self.todo.setWordWrap(True)
        self.todo.hide()
        self.placeholder = QLabel(self.tr("Chọn một xã và một kỳ báo cáo, hoặc tạo kỳ mới."))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def _build_actions(self) -> None:
        undo = self.undo_group.createUndoAction(self, self.tr("Hoàn tác"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, self.tr("Làm lại"))
        # Ctrl+Y and Ctrl+Shift+Z both, on every system (Linux's standard Redo is only the second).
        keys = [
            *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
            QKeySequence("Ctrl+Y"),
            QKeySequence("Ctrl+Shift+Z"),
        ]
        redo.setShortcuts(list({key.toString(): key for key in keys}.values()))
        self.undo_action, self.redo_action = undo, redo
        villages = QAction(self.tr("Quản lý bản, tổ dân phố..."), self)
        villages.triggered.connect(self.manage_villages)
        edit_menu = self.menuBar().addMenu(self.tr("Sửa"))
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        self.carried_actions = carried_actions(self)  # confirm values taken from the last period
        edit_menu.addActions(self.carried_actions)
        target_sets = QAction(self.tr("Bộ mục tiêu của đơn vị..."), self)
        target_sets.triggered.connect(self.open_target_sets)
        self.menuBar().addMenu(self.tr("Đơn vị")).addActions([villages, target_sets])
        sign = QAction(self.tr("Ký và xuất gói..."), self)
        sign.setShortcut(QKeySequence("Ctrl+E"))
        sign.setEnabled(False)  # until a report is open
        sign.triggered.connect(self.open_sign_dialog)
        keys = QAction(self.tr("Khóa ký..."), self)
        keys.triggered.connect(self.open_keys_dialog)
        receipt = QAction(self.tr("Nhập biên nhận của cấp trên..."), self)
        receipt.triggered.connect(self.ask_receipt_file)
        published = QAction(self.tr("Nhập biểu mẫu, thông báo của cấp trên..."), self)
        published.triggered.connect(self.ask_publication_file)
        upper_key = QAction(self.tr(UPPER_KEY_ACTION), self)
        upper_key.triggered.connect(self.ask_upper_key_file)
        self.sign_action, self.keys_action, self.receipt_action, self.upper_key_action = sign, keys, receipt, upper_key
        self.double_entry = DoubleEntryActions(self)  # Nhập hai lần..., Xong lần hai, đối chiếu...
        self.menuBar().addMenu(self.tr("Gói")).addActions(
            [*self.double_entry.actions, sign, keys, receipt, published, upper_key]
        )
        print_action = QAction(self.tr("In biểu..."), self)
        print_action.setShortcut(QKeySequence.StandardKey.Print)
        print_action.setEnabled(False)  # until a report is open
        print_action.triggered.connect(self.open_print_dialog)
        self.print_action = print_action
        self.menuBar().addMenu(self.tr("In")).addAction(print_action)
        toolbar = self.addToolBar(self.tr("Nhập liệu"))
        toolbar.addActions([undo, redo, villages, sign, print_action])

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for text, box in (
            (self.tr("Biểu:"), self.form_box),
            (self.tr("Kỳ:"), self.period_box),
            (None, self.new_period_button),
            (self.tr("Mục tiêu:"), self.target_box),
        ):
            if text:
                bar.addWidget(QLabel(text))
            bar.addWidget(box, {self.form_box: 3, self.target_box: 2}.get(box, 0))
        grid_area = QWidget()
        grid_column = QVBoxLayout(grid_area)
        grid_column.setContentsMargins(0, 0, 0, 0)
        grid_column.setSpacing(0)
        grid_column.addWidget(self.grid, 1)
        grid_column.addWidget(self.summary)
        data_split = QSplitter(Qt.Orientation.Vertical)
        data_split.addWidget(grid_area)
        data_split.addWidget(self.fields)
        data_split.setStretchFactor(0, 3)
        data_split.setStretchFactor(1, 2)
        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 0, 0)
        side_column.addWidget(QLabel(self.tr("Mức đạt so với mục tiêu")))
        side_column.addWidget(self._chart_area(), 3)
        side_column.addWidget(self.indicator_note)
        side_column.addWidget(self.findings, 2)
        entry = QSplitter()
        entry.addWidget(data_split)
        entry.addWidget(side)
        entry.setStretchFactor(0, 4)
        entry.setStretchFactor(1, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(entry)
        right = QWidget()
        column = QVBoxLayout(right)
        column.addLayout(bar)
        # The refusal or note and the upper level's answer: a line that appears never moves the grid.
        self.notice_area = notice_band([self.message, self.answer, self.todo], NOTICE_LINES)
        column.addWidget(self.notice_area)
        column.addWidget(self.pages, 1)
        split = QSplitter()
        split.addWidget(self.units)
        split.addWidget(right)
        split.setStretchFactor(1, 5)
        split.setSizes([220, 1180])
        self.setCentralWidget(split)
        fit_to_screen(self, 1400, 860)
        # The computed rows follow the grid's columns as it scrolls and resizes.
        self.fields.horizontalHeader().sectionResized.connect(self._label_column_resized)
        self.grid.horizontalScrollBar().valueChanged.connect(self.summary.horizontalScrollBar().setValue)
        self.grid.horizontalHeader().sectionResized.connect(lambda i, _old, new: self.summary.setColumnWidth(i, new))
        self.summary.horizontalHeader().sectionResized.connect(  # a total wider than its column widens it
            lambda i, _old, new: new > self.grid.columnWidth(i) and self.grid.setColumnWidth(i, new)
        )

    # ---- choosing what to show ------------------------------------------------------

    def _select_latest_form(self, unit_code: str | None) -> None:
        """Open on the form of the unit's most recent report."""
        reports = self.gw.reports(unit_code) if unit_code else []
        if reports:
            latest = max(reports, key=lambda r: self.gw.period(r.period_code).ends)
            self.form_box.setCurrentIndex(max(self.form_box.findData(latest.form_id), 0))

    def select_unit(self, code: str | None) -> None:
        self.units.select(code)

    def current_unit(self) -> str | None:
        return self.units.current_code()

    def current_form(self):
        """The form chosen, in the version a new report is filled with (a province's, where it issued one)."""
        form_id = self.form_box.currentData()
        return version_in_use(self.gw, form_id) if form_id else None

    def refresh_targets(self) -> None:
        """Another form: its target sets, then its periods and report."""
        self._fill_targets()
        self.refresh_periods()

    def _fill_targets(self) -> None:
        form = self.current_form()
        self.target_box.blockSignals(True)
        self.target_box.clear()
        self.target_box.addItem(self.tr("(không so với mục tiêu)"), None)
        for target_set in form.target_sets if form else ():
            self.target_box.addItem(target_set.name, target_set.id)
        if form is not None:  # the target set chosen last time for this form, at the next opening too
            self.target_box.setCurrentIndex(max(self.target_box.findData(self.gw.setting(_target_key(form.id))), 0))
        self.target_box.blockSignals(False)

    def refresh_periods(self, select: str | None = None) -> None:
        unit, form_id = self.current_unit(), self.form_box.currentData()
        periods = [r.period_code for r in self.gw.reports(unit) if r.form_id == form_id] if unit else []
        ordered = sorted(periods, key=lambda code: self.gw.period(code).ends, reverse=True)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for code in ordered:
            self.period_box.addItem(self.gw.period(code).label, code)
        if not isinstance(select, str) and unit and form_id:  # the period opened last time, if it is still there
            select = self.gw.setting(_period_key(unit, form_id))
        if isinstance(select, str) and self.period_box.findData(select) >= 0:
            self.period_box.setCurrentIndex(self.period_box.findData(select))
        self.period_box.blockSignals(False)
        self.open_report()

    def ask_new_period(self) -> PeriodDialog | None:
        """“Kỳ mới...”: the period chosen from lists, of a kind the form allows and not yet reported; shown
        without waiting, it creates the report through new_period when accepted. None with no unit or form."""
        from ui.commune.period_dialog import PeriodDialog

        unit, form = self.current_unit(), self.current_form()
        if unit is None or form is None:
            return None
        existing = [r.period_code for r in self.gw.reports(unit) if r.form_id == form.id]
        about = self.tr("Báo cáo mới của %1 theo biểu %2.").replace("%1", self.gw.require_unit(unit).name)
        carried = [i.label for i in sorted(form.indicators, key=lambda i: i.grain != "village") if i.carry_forward]
        about = about.replace("%2", form.id)
        dialog = PeriodDialog(form.period_kinds, existing, dt.date.today().year, about, self, carried)
        dialog.accepted.connect(lambda: self.new_period(dialog.code(), dialog.carry_wanted()))
        open_modeless(dialog)
        return dialog

    def new_period(self, code: str, carry: bool = False) -> bool:
        """Create the report of ``code``; with ``carry`` started from the last period's rarely changing values."""
        unit, form = self.current_unit(), self.current_form()
        if unit is None or form is None:
            return False
        try:
            report = start_report(self.gw, unit, form, code)
            if carry:
                carry_forward(self.gw, report, report_form(self.gw, report) or form, self.who)
        except UserError as exc:
            self.show_message(str(exc))
            return False
        self.units.fill(self.gw, keep=unit)
        self._remember(_period_key(unit, form.id), report.period_code)
        self.refresh_periods(select=report.period_code)
        return True

    # ---- the open report -------------------------------------------------------------

    def open_report(self) -> None:
        unit, form_id, period = self.current_unit(), self.form_box.currentData(), self.period_box.currentData()
        report = self.gw.find_report(unit, form_id, period) if unit and period else None
        if self.controller is not None:
            self.undo_group.removeStack(self.controller.undo_stack)
            self.controller.deleteLater()
            self.controller = None
        self.show_message("")
        self.sign_action.setEnabled(report is not None)
        self.print_action.setEnabled(report is not None)
        self.double_entry.report_opened(report)  # the second pass while it runs: its session, its note
        self.keys_action.setEnabled(unit is not None)
        self.show_answer(report)
        if report is None:
            self.pages.setCurrentWidget(self.placeholder)
            self.findings.set_view(None)
            self.statusBar().showMessage(self.tr("Chưa có báo cáo của đơn vị này cho biểu đã chọn."))
            return
        form = report_form(self.gw, report)  # the version it was filled with, whoever issued it
        session = self.double_entry.session_for(report, form, self.target_box.currentData())
        self.controller = EntryController(session, self)
        self.undo_group.addStack(self.controller.undo_stack)
        self.undo_group.setActiveStack(self.controller.undo_stack)
        self.controller.changed.connect(self.show_state)
        self.controller.refused.connect(self.show_message)
        self.grid.setModel(VillageGridModel(self.controller, self.grid))
        self.summary.setModel(SummaryModel(self.controller, self.summary))
        self.fields.setModel(CommuneFieldsModel(self.controller, self.fields))
        for view in (self.grid, self.fields):  # the words of the indicator under the cursor, beside the grid
            view.selectionModel().currentChanged.connect(lambda index, _old, v=view: self._note_of(v, index))
        self.indicator_note.show_indicator(None, None)
        self._size_columns()
        self.pages.setCurrentIndex(1)
        self.show_state()

    def _note_of(self, view, index) -> None:
        """The indicator of the cell under the cursor: the grid's column, the commune fields' row."""
        if self.controller is None or not index.isValid():
            return
        model, form = view.model(), self.controller.session.form
        if view is self.fields:
            ind, unit = model.indicators[index.row()], self.controller.session.report.unit_code
        else:
            ind = model.indicators[index.column() - 1] if index.column() > 0 else None
            unit = self.controller.session.view.villages[index.row()].code
        opened = self.controller.session.view  # its earlier periods, read once when the report opened
        earlier = cell_history(opened.earlier, form, ind.id, unit) if ind is not None else []
        span = history_range(opened.history, form, ind.id, unit) if ind is not None else None
        self.indicator_note.show_indicator(form, ind, [*earlier, span] if span else earlier)

    def _size_columns(self) -> None:
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.grid.setColumnWidth(0, 170)
        for column in range(1, self.grid.model().columnCount()):
            self.grid.setColumnWidth(column, 66)
        for column in range(self.grid.model().columnCount()):
            self.summary.setColumnWidth(column, self.grid.columnWidth(column))
        rows = self.summary.model().rowCount()
        self.summary.setFixedHeight(rows * self.summary.verticalHeader().defaultSectionSize() + 4)
        # Measured once here: re-measuring wrapped labels on every keystroke costs more than the edit.
        self.fields.resizeColumnsToContents()
        char = self.fontMetrics().averageCharWidth()
        last = self.fields.model().columnCount() - 1
        for column in range(last + 1):  # a long target wraps in its column; the label keeps the room left
            if column != 1:
                width = min(self.fields.columnWidth(column), char * FIELD_COLUMN_CHARS)
                if column == last:
                    width = max(width, self.fields.fontMetrics().horizontalAdvance(TARGET_COLUMN_SAMPLE) + 12)
                self.fields.setColumnWidth(column, width)
        self.fields.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.fields.resizeRowsToContents()

    def _label_column_resized(self, column: int, _old: int, _new: int) -> None:
        # The labels wrap again when the window's width changes their column (not on every keystroke).
        if column == 1:
            self.fields.resizeRowsToContents()

    def _remember(self, key: str, value: str | None) -> None:
        # A database that cannot be written (opened read-only) only forgets the choice.
        with contextlib.suppress(UserError):
            if self.gw.setting(key) != (value or ""):
                self.gw.set_setting(key, value or "")

    def _period_chosen(self) -> None:
        """The officer chose another period: opened, and remembered for the next start (never written while
        the window is being built: a write would wait for the start's quick check)."""
        unit, form_id, period = self.current_unit(), self.form_box.currentData(), self.period_box.currentData()
        if unit and form_id and period:
            self._remember(_period_key(unit, form_id), period)
        self.open_report()

    def _target_chosen(self) -> None:
        form_id = self.form_box.currentData()
        if form_id:
            self._remember(_target_key(form_id), self.target_box.currentData())
        if self.controller is not None:
            self.controller.set_target_set(self.target_box.currentData())
        else:
            self.open_report()

    _target_note = ""  # the last one said over the report, cleared with another choice

    def show_state(self, _changes=None) -> None:
        """Findings, chart and status bar after every accepted edit."""
        view = self.controller.session.view
        self.findings.set_view(view)
        self.chart.set_results(view.form, view.evaluation.targets)
        self.statusBar().showMessage(summary_line(view))
        if self.controller.undo_stack.count():  # an accepted edit clears an old refusal
            self.show_message("")
        note = self.controller.session.target_note  # the chosen set has no version in force for this period
        if note or (self._target_note and self.message.text() == self._target_note):
            self.show_message(note)
        self._target_note = note

    def _chart_area(self) -> QScrollArea:
        """The chart, scrolling when its targets are taller than the screen leaves it (1366×768 at 125%)."""
        area = scrolling(self.chart)
        area.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.chart_area = area
        return area

    def show_message(self, text: str) -> None:
        text = text or self.standing_note or self.double_entry.note  # a read-only file, a second pass stay said
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_answer(self, report) -> None:
        """Beside the report: its latest packet and the upper level's receipt or return; under it, each
        collection notice of the upper level not sent for yet, with its days left."""
        from exports.packets.answers import report_answer
        from exports.publications.todos import collection_todos
        from models.lateness import report_lateness
        from models.report_lock import report_lock

        answer = report_answer(self.gw, report) if report is not None else None
        self.answer.show_answer(answer, report_lock(self.gw, report) if report is not None else None)
        late = report_lateness(self.gw, report)  # past the deadline, still editable: said first
        todos = [self.tr("%1 (vẫn nhập được)").replace("%1", late.text)] if late else []
        todos += [
            todo.text
            for todo in collection_todos(self.gw)
            if todo.sent is None  # the open report's own notice, when late, is the line above
            and not (late and (todo.form_id, todo.period_code) == (report.form_id, report.period_code))
        ]
        self.todo.setText("\n".join(todos))
        self.todo.setVisible(bool(todos))

    def ask_receipt_file(self) -> None:
        from exports.packets.receipt_file import SUFFIX

        path = ask_file(self, self.gw, self.tr("Chọn biên nhận của cấp trên"), f"Biên nhận (*{SUFFIX})")
        if path:
            self.import_receipt_file(path)

    def import_receipt_file(self, path) -> bool:
        """File a receipt or return; the report it answers is opened and the answer shown."""
        from exports.packets.answers import import_receipt

        try:
            filed = import_receipt(self.gw, path)
        except UserError as exc:
            self.show_message(str(exc))
            return False
        report = filed.report
        self.form_box.setCurrentIndex(max(self.form_box.findData(report.form_id), 0))
        self.units.fill(self.gw, keep=report.unit_code)
        self.refresh_periods(select=report.period_code)
        done = self.tr("Đã nhập biên nhận.") if filed.new else self.tr("Biên nhận này đã nhập từ trước.")
        self.statusBar().showMessage(f"{done} {filed.lines()[0]}")
        if not filed.trusted and not self.answer.waiting_for_key:  # unchecked, for a packet not the latest
            self.show_message(f"{filed.lines()[1]} ({self.tr('Gói › %1').replace('%1', self.tr(UPPER_KEY_ACTION))})")
        return True

    def ask_publication_file(self) -> None:
        from exports.publications.format import SUFFIX

        title = self.tr("Chọn biểu mẫu hoặc thông báo của cấp trên")
        if path := ask_file(self, self.gw, title, f"{self.tr('Tệp phát hành')} (*{SUFFIX})"):
            self.import_publication_file(path)

    def import_publication_file(self, path) -> bool:
        """A form or collection notice of the upper level: applied, or held for its key (said, with where
        to enrol it); what the upper level asked for is shown again."""
        from exports.publications.receive import import_publication

        try:
            got = import_publication(self.gw, path, self.who)
        except UserError as exc:
            self.show_message(str(exc))
            return False
        if got.held:
            self.show_message(f"{got.headline} ({self.tr('Gói › %1').replace('%1', self.tr(UPPER_KEY_ACTION))})")
        else:
            if got.publication.kind in ("form", "target_set"):
                self._forms_received()
                self._fill_targets()  # a target set of the upper level is among the choices at once
            if got.publication.kind == "reopening":
                self.open_report()  # the report the receipt locked opens for editing again
            self.show_message("")
            self.statusBar().showMessage(got.sentence)
        self._packet_answered()
        return True

    def ask_upper_key_file(self) -> None:
        if path := ask_file(self, self.gw, self.tr("Chọn tệp đăng ký khóa của cấp trên"), KEY_FILES):
            self.enrol_upper_key(path)

    def enrol_upper_key(self, path=None) -> UpperKeyDialog:
        """The upper level's key file, read back by phone and enrolled; the answer beside the report follows."""
        from ui.commune.upper_key_dialog import UpperKeyDialog

        dialog = UpperKeyDialog(self.gw, self.who, path, self)
        dialog.enrolled.connect(self._upper_key_enrolled)
        open_modeless(dialog)
        return dialog

    def jump_to_finding(self, finding) -> None:
        if finding.cell.village is not None:
            self.grid.jump_to(self.grid.model().locate(finding.cell.indicator, finding.cell.village))
        else:
            self.fields.jump_to(self.fields.model().locate(finding.cell.indicator))

    # ---- files dropped on the window: what the upper level sent -------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if any(path.suffix.lower() in self._dropped_kinds() for path in local_paths(event.mimeData())):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        """A form, a notice or a target set (.sctp), a receipt or return (.sctb), the upper level's key file
        (.sctk) dropped on the window: each opened as its menu action would."""
        event.acceptProposedAction()
        for path in local_paths(event.mimeData()):
            opens = self._dropped_kinds().get(path.suffix.lower())
            if opens is None:
                self.show_message(self.tr(DROP_REFUSED).replace("%1", path.name))
            else:
                opens(path)

    def _dropped_kinds(self) -> dict:
        from exports.packets.enrolment import SUFFIX as KEY_FILE
        from exports.packets.receipt_file import SUFFIX as RECEIPT
        from exports.publications.format import SUFFIX as PUBLICATION

        return {
            PUBLICATION: self.import_publication_file,
            RECEIPT: self.import_receipt_file,
            KEY_FILE: self.enrol_upper_key,
        }

    def closeEvent(self, event) -> None:
        # Every accepted edit is already saved; closing only lets go of the file.
        if self.database_hold is not None:
            self.database_hold.release()  # the last backup, the file, the lock
        else:
            self.gw.close()
        super().closeEvent(event)

    def manage_villages(self) -> None:
        from ui.commune.villages_dialog import VillagesDialog

        unit = self.current_unit()
        if unit is None:
            return
        VillagesDialog(self.gw, unit, self.who, self).exec()
        self.open_report()

    def open_target_sets(self):
        """The unit's own target sets, for the form shown; once one is saved the Mục tiêu box lists it."""
        from ui.target_dialog import open_target_sets

        return open_target_sets(self)

    def _target_sets_saved(self, *_saved) -> None:
        from models.form_store import library_of

        self.library = library_of(self.gw)
        self._fill_targets()
        self._target_chosen()  # the chosen set compared again, in the version now in force

    def open_sign_dialog(self) -> SignDialog | None:
        """The signing dialog for the open report, shown without waiting (None with no report)."""
        from ui.commune.sign_dialog import SignDialog

        if self.controller is None:
            return None
        dialog = SignDialog(self.gw, self.controller.session.view, self)
        dialog.exported.connect(self._packet_exported)
        open_modeless(dialog)
        return dialog

    def open_print_dialog(self):
        """“In biểu...”: the open report filled or blank, as a report or an annex, or its village sheets;
        None with no report."""
        from exports.paper.printouts import form_document
        from exports.paper.report import has_amounts, signed_as
        from ui.print_dialog import PrintDialog

        if self.controller is None:
            return None
        session = self.controller.session
        unit, form = session.view.unit, session.view.form
        period = self.gw.period(session.report.period_code)

        def build(settings, blank: bool, words: bool, layout):
            today = dt.date.today()
            return form_document(
                self.gw, session.view, period, settings, layout=layout, blank=blank, words=words, printed_on=today
            )

        dialog = PrintDialog(
            self.gw,
            unit,
            build,
            title=self.tr("In biểu"),
            form=form,
            has_money=has_amounts(form),
            signed=signed_as(self.gw, session.view),  # a report already sent reprints as it was signed
            parent=self,
        )
        open_modeless(dialog)
        return dialog

    def _upper_key_enrolled(self, enrolled) -> None:
        """The answers and the publications held for that key now count: a form it sent is listed."""
        self.show_message("")
        if enrolled.publications:
            self._forms_received()
        self._packet_answered()

    def _forms_received(self) -> None:
        """A form version or a target set came from the upper level: each form listed once again, in the version
        now in use, with the target sets now kept."""
        from models.form_store import library_of

        self.library = library_of(self.gw)
        chosen = self.form_box.currentData()
        self.form_box.blockSignals(True)  # the report open stays open
        self.form_box.clear()
        self._fill_forms()
        self.form_box.setCurrentIndex(max(self.form_box.findData(chosen), 0))
        self.form_box.blockSignals(False)

    def _fill_forms(self) -> None:
        """Each form once, titled as the version new reports are filled with (the upper level's, if it sent one)."""
        for form_id in self.library.ids():
            form = version_in_use(self.gw, form_id)
            self.form_box.addItem(f"{form.id} — {form.title}", form.id)

    def _packet_answered(self, *_args) -> None:
        """The answer beside the open report, again: a packet exported, the upper level's key enrolled."""
        self.show_answer(self.controller.session.view.report if self.controller else None)

    def _packet_exported(self, packet) -> None:
        self._packet_answered()
        self.statusBar().showMessage(
            self.tr("Đã lưu gói %1 (lần gửi %2).").replace("%1", str(packet.path)).replace("%2", str(packet.sequence))
        )

    def open_keys_dialog(self) -> KeysDialog | None:
        from ui.key_dialogs import KeysDialog

        unit = self.current_unit()
        if unit is None:
            return None
        dialog = KeysDialog(self.gw, unit, self)
        open_modeless(dialog)
        return dialog


def _period_key(unit: str, form_id: str) -> str:
    """The setting that keeps the period last opened for a unit and form (the window opens on it again)."""
    return f"window.period.{unit}.{form_id}"


def _target_key(form_id: str) -> str:
    return f"window.target_set.{form_id}"
