"""The commune window's double entry (models/double_entry.py): “Nhập hai lần...” asks who types the second
pass and opens the report on it (blank grid, the same refusals, no pasting or filling down); “Xong lần hai,
đối chiếu...” ends it and opens the differences (ui/commune/double_entry_dialog.py). While the second pass
runs the window says so in its notice band, and the report opens on it whenever it is chosen.

The window keeps one of these; it asks it which session to open a report with and what to say above it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit

from models import double_entry as de
from models.errors import UserError
from models.report_lock import report_lock
from models.second_pass_session import SecondPassSession
from models.session import ReportSession
from ui.widgets import open_modeless

if TYPE_CHECKING:
    from ui.commune.double_entry_dialog import DifferencesDialog


class DoubleEntryActions(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.status: de.DoubleEntryStatus | None = None  # of the open report
        self.note = ""  # what the notice band says while the second pass runs
        self.start_action = QAction(self.tr("Nhập hai lần..."), window)
        self.start_action.setToolTip(self.tr("Nhập lại số liệu từ giấy vào bảng trống rồi đối chiếu với lần một"))
        self.start_action.triggered.connect(self.ask_second_pass)
        self.finish_action = QAction(self.tr("Xong lần hai, đối chiếu..."), window)
        self.finish_action.triggered.connect(self.finish)
        self.cancel_action = QAction(self.tr("Bỏ lần nhập thứ hai"), window)
        self.cancel_action.triggered.connect(self.cancel)
        self.actions = [self.start_action, self.finish_action, self.cancel_action]
        for action in self.actions:
            action.setEnabled(False)  # until a report is open

    @property
    def second_pass(self) -> bool:
        return self.status is not None and self.status.state == de.DoubleEntryState.SECOND_PASS

    def report_opened(self, report) -> None:
        """The window opened ``report`` (or none): the actions that apply, and the note to keep said."""
        window = self.window
        self.status = de.status(window.gw, report) if report is not None else None
        running = self.status is not None and self.status.running
        locked = report is not None and report_lock(window.gw, report) is not None
        self.start_action.setEnabled(report is not None and not running and not locked and window.gw.writable)
        self.finish_action.setEnabled(running)
        comparing = self.status is not None and self.status.state == de.DoubleEntryState.COMPARING
        self.finish_action.setText(
            self.tr("Đối chiếu hai lần nhập...") if comparing else self.tr("Xong lần hai, đối chiếu...")
        )
        self.cancel_action.setEnabled(running)
        self.note = self.status.sentence() if running else ""
        window.show_message("")  # the note said, or no longer
        if self.second_pass:
            window.print_action.setEnabled(False)  # the page would print the second pass's figures

    def session_for(self, report, form, target_set_id):
        """The session the window opens the report with: the second pass while it runs, else the report."""
        cls = SecondPassSession if self.second_pass else ReportSession
        return cls(self.window.gw, report, form, self.window.who, target_set_id)

    # ---- the actions ---------------------------------------------------------------------

    def ask_second_pass(self) -> None:
        name, ok = QInputDialog.getText(
            self.window,
            self.tr("Nhập hai lần"),
            self.tr("Bảng sẽ để trống để nhập lại số liệu từ giấy; số liệu lần một không hiện.\nNgười nhập lần hai:"),
            QLineEdit.EchoMode.Normal,
            self.window.who,
        )
        if ok:
            self.start_second_pass(name)

    def start_second_pass(self, who: str) -> bool:
        """Begin the second pass typed by ``who`` and open the report on it; False (said) if refused."""
        window = self.window
        if window.controller is None:
            return False
        session = window.controller.session
        try:
            de.start_second_pass(window.gw, session.report, who, session.form)
        except UserError as exc:
            window.show_message(str(exc))
            return False
        window.open_report()
        return True

    def finish(self) -> DifferencesDialog | None:
        """End the second pass (if it runs) and open the differences; the report opens on its figures again."""
        from ui.commune.double_entry_dialog import DifferencesDialog

        window = self.window
        if window.controller is None or self.status is None or not self.status.running:
            return None
        report, form = window.controller.session.report, window.controller.session.form
        try:
            if self.second_pass:
                de.finish_second_pass(window.gw, report, form)
        except UserError as exc:
            window.show_message(str(exc))
            return None
        window.open_report()
        dialog = DifferencesDialog(window.gw, report, form, window.who, window)
        dialog.resolved.connect(self._resolved)
        open_modeless(dialog)
        return dialog

    def cancel(self) -> None:
        window = self.window
        if window.controller is None:
            return
        try:
            de.cancel(window.gw, window.controller.session.report)
        except UserError as exc:
            window.show_message(str(exc))
            return
        window.open_report()

    def _resolved(self) -> None:
        """A difference was resolved: its value is in the report, which opens again with it."""
        self.window.open_report()
        if self.status is not None and self.status.state == de.DoubleEntryState.DONE:
            self.window.statusBar().showMessage(self.status.sentence())
