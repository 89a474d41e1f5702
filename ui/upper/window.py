"""The upper level's window: packets in, who is missing, the merged table.

A bar chooses the form, the period being collected and the targets, shared
by three tabs: the inbox, the completeness matrix and the merged table.
Packets come in through the Gói menu or by dropping files and folders
anywhere on the window; the import runs in the background (ui/import_worker)
and every tab is refreshed after it, and after each decision or enrolment.
The Gói menu also holds the unit's own key: its key file for the communes
and the level above, and the keys dialog shared with the commune's window.
The Hộp thư menu holds the chosen packet's actions (the inbox's buttons).

Why it is long: it is the hub of every upper-level action (the bar, three
tabs, the import thread, enrolment, collections, the unit's own key, signed
answers, the inbox's menu); each action is a few lines handing over to its
dialog or library function.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from exports.packets.enrolment import SUFFIX as KEY_SUFFIX
from exports.packets.format import SUFFIX as PACKET_SUFFIX
from forms import vnformat
from forms.library import FormLibrary
from models.errors import UserError
from models.gateway import Gateway
from models.vocabulary import AWAITING_OFFICER
from ui.db_hold import DatabaseHold
from ui.export_folder import ask_file, dialog_options, export_folder, remember_folder
from ui.upper.collection_dialog import CollectionDialog, open_collection_said
from ui.upper.completeness_view import CompletenessView
from ui.upper.import_worker import (
    ImportJob,
    ImportProgress,
    ImportResultsDialog,
    stop_to_close_asked,
    stopped_words,
)
from ui.upper.inbox_view import InboxView
from ui.upper.merged_view import MergedView
from ui.widgets import (
    DONE_STYLE,
    ERROR_STYLE,
    WARNING_STYLE,
    AfterFirstPaint,
    WholeTextCombo,
    fit_to_screen,
    local_paths,
    notice_band,
    open_modeless,
)

if TYPE_CHECKING:  # the signing and key dialogs load the packet writer; imported when first opened
    from exports.collect.inbox import ImportRun  # the import's machinery waits for the first import
    from ui.key_dialogs import KeysDialog
    from ui.upper.answer_dialogs import ReceiptDialog, UpwardDialog
    from ui.upper.enrol_dialog import EnrolDialog
    from ui.upper.followup_dialog import FollowupDialog

DROP_HINT = "Kéo thả tệp gói (.sctg) hoặc cả thư mục vào cửa sổ để nhập."
NOTICE_LINES = 2  # a refusal and what an import or a decision did, over the tabs


class UpperWindow(QMainWindow):
    import_started = Signal(object)  # the ImportJob, just before its thread starts
    import_finished = Signal(object)  # the ImportRun, or None when the import could not run
    refreshed = Signal()

    def __init__(self, gw: Gateway, library: FormLibrary, who: str, hold: DatabaseHold | None = None):
        super().__init__()
        self.gw, self.library, self.who = gw, library, who
        self.form_book_errors = None  # the list of a workbook's mistakes, when one was refused
        self.database_hold = hold  # the lock and the backups, while the window is open
        self.import_job: ImportJob | None = None
        self.last_run: ImportRun | None = None
        self.results_dialog: ImportResultsDialog | None = None
        self.standing_note = (
            ""
            if gw.writable
            else self.tr("Tệp cơ sở dữ liệu này chỉ cho phép đọc: xem được, nhưng không nhập được gói nào.")
        )
        home = gw.unit(gw.setting("home_unit") or "")
        self.home_name = home.name if home else ""
        # Qt adds the program's name (the application's display name) after it: “<file> — Sổ Chỉ Tiêu”.
        self.setWindowTitle(str(gw.path))
        self.setAcceptDrops(True)
        self._build_widgets()
        self._build_actions()
        self._build_layout()
        self.fill_bar()
        # The inbox is read once the window is drawn: thousands of packets take a few tenths of a second.
        self.loaded = self.closed = False
        self.tabs.setTabText(0, self.tr("Hộp thư (đang đọc...)"))
        AfterFirstPaint(self, self._first_load)
        self.tabs.currentChanged.connect(self._first_load)  # another tab chosen before: read now
        self.form_box.currentIndexChanged.connect(self._form_chosen)
        self.period_box.currentIndexChanged.connect(self._scope_changed)
        self.target_box.currentIndexChanged.connect(self._targets_chosen)
        self.inbox_view.changed.connect(self.refresh_all)
        self.inbox_view.said.connect(self.show_notice)
        self.show_message("")

    # ---- building -----------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.form_box, self.target_box = WholeTextCombo(24), WholeTextCombo()
        self.period_box = QComboBox()
        self.period_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.message.hide()
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.inbox_view = InboxView(self.gw, self.library, self.who)
        self.completeness_view = CompletenessView(self.gw, self.library)
        self.merged_view = MergedView(self.gw, self.library)
        for view in (self.completeness_view, self.merged_view):
            view.lazy = True  # built when its tab is first shown: thousands of packets take seconds
        self.answer_button = self.inbox_view.answer_button
        self.upward_button = QPushButton(self.tr("Ký và gửi lên..."))
        self.upward_button.clicked.connect(self.open_upward_dialog)
        self.merged_view.button_row.insertWidget(1, self.upward_button)
        self.followup_button = QPushButton(self.tr("Danh sách cần theo dõi..."))
        self.followup_button.clicked.connect(self.open_followup)
        self.completeness_view.button_row.insertWidget(2, self.followup_button)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.inbox_view, self.tr("Hộp thư"))
        self.tabs.addTab(self.completeness_view, self.tr("Tình hình nộp"))
        self.tabs.addTab(self.merged_view, self.tr("Biểu tổng hợp"))
        self.import_progress = ImportProgress()
        self.import_progress.stop_button.clicked.connect(self.stop_import)
        self.stop_button = self.import_progress.stop_button
        self.drop_hint = QLabel(self.tr(DROP_HINT))
        self.drop_hint.setStyleSheet("color: #555;")

    def _build_actions(self) -> None:
        self.import_files_action = QAction(self.tr("Nhập gói..."), self)
        self.import_files_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_files_action.triggered.connect(self.ask_import_files)
        self.import_folder_action = QAction(self.tr("Nhập thư mục..."), self)
        self.import_folder_action.triggered.connect(self.ask_import_folder)
        self.enrol_action = QAction(self.tr("Đăng ký khóa cấp dưới..."), self)
        self.enrol_action.triggered.connect(self.ask_enrol)
        self.collection_action = QAction(self.tr("Mở kỳ thu biểu..."), self)
        self.collection_action.triggered.connect(self.ask_open_collection)
        actions = [self.import_files_action, self.import_folder_action, self.enrol_action, self.collection_action]
        self.key_file_action = QAction(self.tr("Xuất tệp đăng ký khóa của đơn vị..."), self)
        self.key_file_action.triggered.connect(self.export_key_file)
        self.keys_action = QAction(self.tr("Khóa ký của đơn vị..."), self)
        self.keys_action.triggered.connect(self.open_keys_dialog)
        menu = self.menuBar().addMenu(self.tr("Gói"))
        menu.addActions(actions[:2])
        menu.addSeparator()
        menu.addActions(actions[2:])
        menu.addSeparator()
        menu.addActions([self.key_file_action, self.keys_action])  # the unit's own key: for the units that check it
        self.packet_menu = menu
        for action in actions:
            action.setEnabled(not self.standing_note)  # nothing can be filed in a read-only file
        toolbar = self.addToolBar(self.tr("Nhận gói"))
        toolbar.addActions(actions)
        # The chosen packet's actions, each enabled when it applies (the inbox's buttons, as a menu).
        self.inbox_menu = self.menuBar().addMenu(self.tr("Hộp thư"))
        self.inbox_menu.addActions(self.inbox_view.menu_actions)
        self.export_form_action = QAction(self.tr("Xuất biểu ra Excel..."), self)
        self.export_form_action.triggered.connect(lambda: self.export_form())
        self.import_form_action = QAction(self.tr("Nhập biểu từ Excel..."), self)
        self.import_form_action.triggered.connect(lambda: self.import_form())
        self.publish_form_action = QAction(self.tr("Gửi biểu xuống cấp dưới..."), self)
        self.publish_form_action.triggered.connect(lambda: self.open_publish_dialog("form"))
        self.publish_notice_action = QAction(self.tr("Gửi thông báo thu biểu..."), self)
        self.publish_notice_action.triggered.connect(lambda: self.open_publish_dialog("collection"))
        self.publish_targets_action = QAction(self.tr("Gửi bộ mục tiêu xuống cấp dưới..."), self)
        self.publish_targets_action.triggered.connect(lambda: self.open_publish_dialog("target_set"))
        forms_menu = self.menuBar().addMenu(self.tr("Biểu mẫu"))
        forms_menu.addActions([self.export_form_action, self.import_form_action])
        forms_menu.addSeparator()
        forms_menu.addActions([self.publish_form_action, self.publish_targets_action, self.publish_notice_action])
        published = (self.publish_form_action, self.publish_targets_action, self.publish_notice_action)
        for action in (self.import_form_action, *published):
            action.setEnabled(not self.standing_note)
        self.target_sets_action = QAction(self.tr("Bộ mục tiêu của đơn vị..."), self)
        self.target_sets_action.triggered.connect(self.open_target_sets)
        self.menuBar().addMenu(self.tr("Đơn vị")).addAction(self.target_sets_action)
        self.inbox_view.start_pane.use_actions(self.collection_action, self.import_files_action, self.enrol_action)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        for text, box, stretch in (
            (self.tr("Biểu:"), self.form_box, 2),
            (self.tr("Kỳ:"), self.period_box, 0),
            (self.tr("Mục tiêu:"), self.target_box, 2),
        ):
            bar.addWidget(QLabel(text))
            bar.addWidget(box, stretch)
        central = QWidget()
        column = QVBoxLayout(central)
        column.addLayout(bar)
        column.addWidget(notice_band([self.message, self.notice], NOTICE_LINES))  # the tabs never move
        column.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        status = self.statusBar()
        status.addWidget(self.drop_hint, 1)
        status.addPermanentWidget(self.import_progress)
        self.import_progress.hide()
        fit_to_screen(self, 1400, 860)

    # ---- the bar ----------------------------------------------------------------------------------------

    def fill_bar(self, form_id: str | None = None, period_code: str | None = None) -> None:
        """Forms being collected, their periods newest first, their target sets; keeps or makes a choice."""
        form_id = form_id or self.form_box.currentData()
        period_code = period_code or self.period_box.currentData()
        self._collections = self.gw.collections.all()
        forms = sorted({f for f, _, _ in self._collections})
        for box in (self.form_box, self.period_box, self.target_box):
            box.blockSignals(True)
        self.form_box.clear()
        for fid in forms:
            form = self.library.get(fid)
            self.form_box.addItem(f"{fid} — {form.title}" if form else fid, fid)
        self.form_box.setCurrentIndex(max(self.form_box.findData(form_id), 0) if forms else -1)
        self._fill_periods(period_code)
        self._fill_targets()
        for box in (self.form_box, self.period_box, self.target_box):
            box.blockSignals(False)

    def _fill_periods(self, period_code: str | None = None) -> None:
        form_id = self.form_box.currentData()
        found = [(p, d) for f, p, d in self._collections if f == form_id]
        found.sort(key=lambda pd: (self.gw.period(pd[0]).ends, self.gw.period(pd[0]).starts), reverse=True)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for code, deadline in found:
            label = self.gw.period(code).label
            if deadline:
                label += self.tr(" (hạn %1)").replace("%1", vnformat.date(deadline))
            self.period_box.addItem(label, code)
        index = self.period_box.findData(period_code) if period_code else -1
        self.period_box.setCurrentIndex(index if index >= 0 else (0 if found else -1))
        self.period_box.blockSignals(False)

    def _fill_targets(self) -> None:
        form = self.current_form()
        chosen = self.target_box.currentData()
        self.target_box.blockSignals(True)
        self.target_box.clear()
        self.target_box.addItem(self.tr("(không so với mục tiêu)"), None)
        for target_set in form.target_sets if form else ():
            self.target_box.addItem(target_set.name, target_set.id)
        self.target_box.setCurrentIndex(max(self.target_box.findData(chosen), 0))
        self.target_box.blockSignals(False)

    def current_form(self):
        form_id = self.form_box.currentData()
        return self.library.get(form_id) if form_id else None

    def current_period(self) -> str | None:
        return self.period_box.currentData()

    def current_target_set(self) -> str | None:
        return self.target_box.currentData()

    def choose(self, form_id: str | None = None, period_code: str | None = None, target_set_id=None) -> None:
        """Set the bar as a user would (for tests and for code that opens a given report)."""
        if form_id is not None:
            self.form_box.setCurrentIndex(self.form_box.findData(form_id))
        if period_code is not None:
            self.period_box.setCurrentIndex(self.period_box.findData(period_code))
        if target_set_id is not None:
            self.target_box.setCurrentIndex(self.target_box.findData(target_set_id))

    def _form_chosen(self) -> None:
        self._fill_periods(self.period_box.currentData())
        self._fill_targets()
        self._scope_changed()

    def _scope_changed(self) -> None:
        self.inbox_view.set_scope(self.form_box.currentData(), self.current_period())
        self.completeness_view.refresh(self.current_period())
        self._targets_chosen()

    def _targets_chosen(self) -> None:
        self.merged_view.refresh(self.form_box.currentData(), self.current_period(), self.current_target_set())

    def open_target_sets(self):
        """The unit's own target sets, for the form shown; once one is saved the Mục tiêu box lists it."""
        from ui.target_dialog import open_target_sets

        return open_target_sets(self)

    def _target_sets_saved(self, *_saved) -> None:
        self._forms_changed()
        self._fill_targets()
        self._targets_chosen()

    def _forms_changed(self) -> None:
        """A form version or a target set kept: every tab reads the forms of the database again."""
        from models.form_store import library_of

        self.library = library_of(self.gw)
        for view in (self.inbox_view, self.completeness_view, self.merged_view):
            view.library = self.library

    def export_form(self, path: str | Path | None = None) -> Path | None:
        """“Xuất biểu ra Excel...”: the form shown, in this unit's own latest version if it made one, else the
        program's, as a workbook to change into a new version (``path`` skips the save dialog)."""
        from models.form_store import find_form
        from ui.form_book import export_form_book

        form_id = self.form_box.currentData()
        if not form_id:
            self.show_message(self.tr("Chưa chọn biểu: mở kỳ thu biểu trước (Gói › Mở kỳ thu biểu...)."))
            return None
        form = find_form(self.library, form_id, None, None, self.gw.setting("home_unit") or "")
        try:
            written = export_form_book(self, self.gw, form, path)
        except UserError as exc:
            self.show_message(str(exc))
            return None
        if written is not None:
            said = self.tr(
                "Đã ghi biểu %1 phiên bản %2 ra “%3”: sửa trong Excel rồi nhập lại (Biểu mẫu › Nhập biểu từ Excel...)."
            )
            self.show_notice(said.replace("%1", form.id).replace("%2", str(form.version)).replace("%3", str(written)))
        return written

    def open_publish_dialog(self, what: str):
        """“Gửi biểu / bộ mục tiêu / thông báo thu biểu xuống cấp dưới...” for the form shown, without waiting."""
        from ui.upper.publish_dialog import PublishDialog

        form_id = self.form_box.currentData()
        if not form_id:
            self.show_message(self.tr("Chưa chọn biểu: mở kỳ thu biểu trước (Gói › Mở kỳ thu biểu...)."))
            return None
        dialog = PublishDialog(self.gw, self.library, form_id, what, self.who, self)
        dialog.published.connect(self._published)
        open_modeless(dialog)
        return dialog

    def _published(self, done) -> None:
        self.show_notice(done.sentence)
        self.fill_bar(self.form_box.currentData(), self.current_period())  # a notice opens or extends a collection
        self.refresh_all()

    def import_form(self, path: str | Path | None = None):
        """“Nhập biểu từ Excel...”: the workbook kept as this unit's version of the form; its mistakes listed
        in a dialog (``form_book_errors``), a refusal said over the tabs. (form, new) or None."""
        from ui.form_book import import_form_book

        self.show_message("")
        try:
            kept = import_form_book(self, self.gw, self.who, path)
        except UserError as exc:
            self.show_message(str(exc))
            return None
        if kept is None:
            return None
        form, new = kept
        self._forms_changed()
        said = self.tr("Đã lưu") if new else self.tr("Đã có từ trước, không đổi:")
        self.show_notice(
            self.tr("%1 biểu %2 phiên bản %3 (đơn vị %4 ban hành): %5 chỉ tiêu, %6 quy tắc kiểm tra.")
            .replace("%1", said).replace("%2", form.id).replace("%3", str(form.version))
            .replace("%4", form.publisher).replace("%5", str(sum(1 for i in form.indicators if i.is_row)))
            .replace("%6", str(len(form.rules)))
        )  # fmt: skip
        return kept

    # ---- refreshing -----------------------------------------------------------------------------------------

    def _first_load(self, *_) -> None:
        if not self.loaded and not self.closed:
            self.refresh_all()
            lost = self.gw.inbox.folder_lost()
            if lost:
                self.show_notice(lost, warn=True)

    def refresh_all(self) -> None:
        """Every tab from the database, after an import, a decision, an enrolment."""
        self.loaded = True
        self.inbox_view.set_scope(self.form_box.currentData(), self.current_period())
        self.inbox_view.refresh()
        self.completeness_view.refresh(self.current_period())
        self.merged_view.refresh(self.form_box.currentData(), self.current_period(), self.current_target_set())
        waiting = sum(1 for p in self.inbox_view.model.packets if p.status in AWAITING_OFFICER)
        self.tabs.setTabText(
            0, self.tr("Hộp thư (%1 cần xử lý)").replace("%1", str(waiting)) if waiting else self.tr("Hộp thư")
        )
        self.refreshed.emit()

    def show_message(self, text: str) -> None:
        """A refusal, in red over the tabs; an empty text clears it (a read-only file stays said)."""
        text = text or self.standing_note
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_notice(self, text: str, warn: bool = False) -> None:
        self.notice.setStyleSheet((WARNING_STYLE if warn else DONE_STYLE) + " font-weight: bold;")
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # ---- importing -------------------------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        paths = local_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_paths(paths)

    def import_paths(self, paths: Iterable[str | Path]) -> ImportJob | None:
        """Start importing files and folders in the background; None when refused (one import at a time).
        The window's import_finished signal carries the result."""
        paths = [Path(p) for p in paths]
        if not paths:
            return None
        if self.standing_note:
            self.show_message(self.standing_note)
            return None
        if self.import_job is not None:
            self.show_message(
                self.tr("Đang nhập gói, mỗi lần chỉ nhập một đợt: hãy đợi xong (hoặc bấm Dừng) rồi nhập tiếp.")
            )
            return None
        self.show_message("")
        self.show_notice("")
        job = ImportJob(self.gw.path, paths, self.library, self.who, self)
        job.progress.connect(self.import_progress.show_progress)
        job.finished.connect(self._import_finished)
        self.import_job = job
        self.import_progress.start()
        self.import_started.emit(job)
        job.start()
        return job

    def stop_import(self) -> None:
        """“Dừng”: the import stops before its next file; the packets filed so far stay."""
        if self.import_job is not None:
            self.import_job.stop()
            self.import_progress.stopping()

    @property
    def importing(self) -> bool:
        return self.import_job is not None

    def _import_finished(self, run: ImportRun | None) -> None:
        job, self.import_job = self.import_job, None
        self.import_progress.hide()
        if run is None:
            self.show_message(job.error if job is not None else "")
        else:
            self.last_run = run
            bad = run.refused > 0 or not run.filed
            self.show_notice(run.summary(job.total if job else None), warn=bad or run.cancelled)
            if run.filed:
                self.show_results(run, job.total if job else None)
        self.refresh_all()
        if job is not None:
            job.deleteLater()
        self.import_finished.emit(run)

    def show_results(self, run: ImportRun, total: int | None = None) -> ImportResultsDialog:
        if self.results_dialog is not None:
            self.results_dialog.close()
        self.results_dialog = ImportResultsDialog(run, total, self.gw.unit_names(), self)
        self.results_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.results_dialog.destroyed.connect(self._results_closed)
        self.results_dialog.show()
        return self.results_dialog

    def _results_closed(self, *_args) -> None:
        self.results_dialog = None

    def ask_import_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Chọn gói để nhập"),
            str(export_folder(self.gw)),
            self.tr("Gói Sổ Chỉ Tiêu (*%1);;Mọi tệp (*)").replace("%1", PACKET_SUFFIX),
            options=dialog_options(),
        )
        if paths:
            remember_folder(self.gw, Path(paths[0]).parent)  # the next Nhập gói starts where these were
            self.import_paths(paths)

    def ask_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self,
            self.tr("Chọn thư mục chứa gói"),
            str(export_folder(self.gw)),
            dialog_options(QFileDialog.Option.ShowDirsOnly),
        )
        if folder:
            remember_folder(self.gw, Path(folder).parent)
            self.import_paths([folder])

    # ---- keys and collections ----------------------------------------------------------------------------------

    def ask_enrol(self) -> None:
        path = ask_file(
            self,
            self.gw,
            self.tr("Chọn tệp đăng ký khóa của đơn vị cấp dưới"),
            self.tr("Tệp đăng ký khóa (*%1);;Mọi tệp (*)").replace("%1", KEY_SUFFIX),
        )
        if path:
            self.enrol_file(path)

    def enrol_file(self, path: str | Path | None = None) -> EnrolDialog:
        """The enrolment dialog over a key file, shown without waiting; every tab follows an enrolment."""
        from ui.upper.enrol_dialog import EnrolDialog  # it files held packets again: the import's machinery

        dialog = EnrolDialog(self.gw, self.library, self.who, path, self)
        dialog.enrolled.connect(lambda _enrolled: self.refresh_all())
        open_modeless(dialog)
        return dialog

    def export_key_file(self, path: str | Path | None = None) -> QDialog | None:
        """This unit's key file for the communes below and the level above, its code shown to read over
        the phone; with no key yet, the key-making dialog. ``path`` skips the save dialog (tests)."""
        from ui.key_file import export_key_file

        return export_key_file(self, self.gw, self.gw.setting("home_unit"), path)

    def open_keys_dialog(self) -> KeysDialog:
        """The unit's keys: the one in use, the replaced ones; replace it, save any one's key file."""
        from ui.key_dialogs import KeysDialog

        dialog = KeysDialog(self.gw, self.gw.setting("home_unit"), self)
        open_modeless(dialog)
        return dialog

    def ask_open_collection(self) -> CollectionDialog:
        dialog = CollectionDialog(self.gw, self.library, self)
        dialog.opened.connect(lambda form_id, period: self._collection_opened(form_id, period, dialog.said))
        open_modeless(dialog)
        return dialog

    def open_collection(self, form_id: str, period_code: str, deadline=None) -> bool:
        """Start collecting a form for a period (``deadline`` a date or None); a refusal is said over the tabs."""
        self.show_message("")
        try:
            said = open_collection_said(self.gw, self.library, form_id, period_code, deadline)
        except UserError as exc:
            self.show_message(str(exc))
            return False
        self._collection_opened(form_id, self.gw.period(period_code).code, said)
        return True

    def _collection_opened(self, form_id: str, period_code: str, said: str) -> None:
        self.fill_bar(form_id, period_code)
        self.refresh_all()
        self.show_notice(said)

    # ---- signed answers: receipts, returns, the table upward ------------------------------

    def open_receipt_dialog(self) -> ReceiptDialog | None:
        """The receipt-or-return dialog for the chosen packet, shown without waiting."""
        return self.inbox_view.open_receipt_dialog()

    def open_followup(self) -> FollowupDialog | None:
        """The follow-up list of the chosen form and period, shown without waiting; a refusal is said
        over the tabs."""
        from exports.collect.followup import followup
        from ui.upper.followup_dialog import FollowupDialog

        form_id, period_code = self.form_box.currentData(), self.current_period()
        if not form_id or not period_code:
            self.show_message(self.tr("Chưa chọn biểu và kỳ: chọn biểu và kỳ đã mở thu biểu."))
            return None
        self.show_message("")
        try:
            listed = followup(self.gw, form_id, period_code)
        except UserError as exc:
            self.show_message(str(exc))
            return None
        dialog = FollowupDialog(self.gw, listed, self)
        open_modeless(dialog)
        return dialog

    def open_upward_dialog(self) -> UpwardDialog | None:
        """Signing the merged table shown for the level above (None when there is no table)."""
        from ui.upper.answer_dialogs import UpwardDialog

        table = self.merged_view.table
        if table is None:
            self.show_message(self.tr("Chưa có bảng tổng hợp: chọn biểu và kỳ đã mở."))
            return None
        dialog = UpwardDialog(self.gw, table, self)
        open_modeless(dialog)
        return dialog

    def closeEvent(self, event) -> None:
        if self.import_job is not None and not stop_to_close_asked(self, self.import_job):
            event.ignore()  # the import goes on
            return
        self.closed = True  # nothing more read: the file is let go below
        # Each packet is filed whole; an import still running stops before its next file.
        job, self.import_job = self.import_job, None
        if job is not None:
            job.finished.disconnect(self._import_finished)
            job.progress.disconnect(self.import_progress.show_progress)
            QMessageBox.information(self, self.windowTitle(), stopped_words(job.stop_and_wait(), job))
        if self.database_hold is not None:
            self.database_hold.release()  # the last backup, the file, the lock
        else:
            self.gw.close()
        super().closeEvent(event)
