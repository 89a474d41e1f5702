"""Importing packets in the background, and what happened to each file.

The worker runs on its own QThread with its own connection to the database
(an SQLite connection belongs to the thread that opened it) and never
touches a widget: it reports through signals. “Dừng” makes the next progress
call return False; each packet is filed in its own transaction, so a stopped
import leaves whole packets only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QThread, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import vnformat
from forms.library import FormLibrary
from models.errors import UserError, os_error_sentence
from models.gateway import Gateway
from ui.upper.status_look import OUTCOME_COLOURS
from ui.widgets import button_row, compact_rows, fit_to_screen

if TYPE_CHECKING:
    from exports.collect.inbox import ImportRun


class ImportWorker(QObject):
    """import_packets() on the thread it is moved to."""

    progress = Signal(int, int, str)  # files done, files in all, the file being read
    finished = Signal(object)  # the ImportRun
    failed = Signal(str)  # why nothing more could be filed, in Vietnamese

    def __init__(self, db_path: Path, paths: list[Path], library: FormLibrary, who: str):
        super().__init__()
        self.db_path, self.paths, self.library, self.who = db_path, paths, library, who
        self._stop = threading.Event()
        self.result: ImportRun | None = None  # set before finished is emitted: read once the thread has ended

    def stop(self) -> None:
        """Stop before the next file; safe from any thread."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        try:
            gw = Gateway.open(self.db_path, create=False)
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        try:
            from exports.collect.inbox import import_packets  # verifying and filing load with the first import

            run = import_packets(gw, self.paths, self.library, self.who, self._progress)
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        except OSError as exc:
            self.failed.emit(os_error_sentence(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a thread that dies silently would leave the window waiting
            self.failed.emit(f"Lỗi không lường trước khi nhập gói ({exc.__class__.__name__}: {exc}).")
            return
        finally:
            gw.close()
        self.result = run
        self.finished.emit(run)

    def _progress(self, done: int, total: int, path: Path) -> bool:
        self.progress.emit(done, total, path.name)
        return not self._stop.is_set()


class ImportJob(QObject):
    """One import: the worker, its thread, and how far it got; lives on the GUI thread."""

    progress = Signal(int, int, str)
    finished = Signal(object)  # the ImportRun, or None when the import failed
    failed = Signal(str)

    def __init__(self, db_path: Path, paths: Iterable[str | Path], library: FormLibrary, who: str, parent=None):
        super().__init__(parent)
        self.paths = [Path(p) for p in paths]
        self.done = self.total = 0
        self.run: ImportRun | None = None
        self.error: str | None = None
        self.thread = QThread(self)
        self.worker = ImportWorker(db_path, self.paths, library, who)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # Queued: these slots run on the GUI thread, whatever thread emits.
        queued = Qt.ConnectionType.QueuedConnection
        self.worker.progress.connect(self._progressed, queued)
        self.worker.finished.connect(self._finished, queued)
        self.worker.failed.connect(self._failed, queued)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.worker.stop()

    @property
    def running(self) -> bool:
        return self.thread.isRunning()

    def wait(self) -> None:
        """Stop and wait for the thread to end (closing the window)."""
        self.worker.stop()
        self.thread.quit()
        self.thread.wait()

    def stop_and_wait(self) -> ImportRun | None:
        """Stop after the packet being filed and wait for the thread: what was filed (None: nothing could be)."""
        self.wait()
        return self.worker.result

    def _progressed(self, done: int, total: int, name: str) -> None:
        self.done, self.total = done, total
        self.progress.emit(done, total, name)

    def _finished(self, run: ImportRun) -> None:
        self.run = run
        self._end()
        self.finished.emit(run)

    def _failed(self, message: str) -> None:
        self.error = message
        self._end()
        self.failed.emit(message)
        self.finished.emit(None)

    def _end(self) -> None:
        self.thread.quit()
        self.thread.wait()


def stop_to_close_asked(parent: QWidget, job: ImportJob) -> bool:
    """Closing the window during an import: True when the officer chooses to stop it and close."""
    text = parent.tr("Đang nhập gói (%1/%2). Dừng nhập và đóng?")
    text = text.replace("%1", vnformat.number(job.done)).replace("%2", vnformat.number(job.total) if job.total else "?")
    box = QMessageBox(QMessageBox.Icon.Question, parent.windowTitle(), text, parent=parent)
    box.setInformativeText(parent.tr("Các gói đã nhập xong vẫn giữ nguyên; gói đang nhập dở không được ghi."))
    stop = box.addButton(QMessageBox.StandardButton.Yes)
    stop.setText(parent.tr("Dừng và đóng"))
    go_on = box.addButton(QMessageBox.StandardButton.No)
    go_on.setText(parent.tr("Tiếp tục nhập"))
    box.setDefaultButton(go_on)
    box.setEscapeButton(go_on)
    box.exec()
    return box.clickedButton() is stop


def stopped_words(run: ImportRun | None, job: ImportJob) -> str:
    """What was filed of an import stopped by closing the window, and what to do with the rest."""
    if run is None:
        return job.error or "Không nhập được gói nào."
    said = run.summary(job.total)
    if run.cancelled:
        said += (
            " Các tệp còn lại nhập lại sau được: chọn lại các tệp hoặc thư mục đó, "
            "gói đã nhận sẽ không bị nhập hai lần."
        )
    return said


class ImportProgress(QWidget):
    """How far an import has got, in the status bar, with its “Dừng” button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(260)
        self.stop_button = QPushButton(self.tr("Dừng"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.stop_button):
            row.addWidget(widget)

    def start(self) -> None:
        self.label.setText(self.tr("Đang nhập gói..."))
        self.bar.setRange(0, 0)  # busy until the files are counted
        self.stop_button.setEnabled(True)
        self.show()

    def show_progress(self, done: int, total: int, name: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        if not self.stop_button.isEnabled():
            return  # “Đang dừng...” stays until the import ends
        if name:
            text = self.tr("Đang nhập %1/%2: %3").replace("%1", str(min(done + 1, total))).replace("%2", str(total))
            self.label.setText(text.replace("%3", name))
        else:
            self.label.setText(self.tr("Đã nhập %1/%2 tệp").replace("%1", str(done)).replace("%2", str(total)))

    def stopping(self) -> None:
        self.stop_button.setEnabled(False)
        self.label.setText(self.tr("Đang dừng..."))


def filed_where(filed, unit_names: dict[str, str]) -> str:
    if not filed.unit_code:
        return ""
    name = unit_names.get(filed.unit_code, filed.unit_code)
    return f"{name} ({filed.unit_code}), {filed.form_id}, {filed.period_code}, lần {filed.sequence}"


RESULT_ROWS = 15  # rows shown at most when the dialog opens; more scroll


class ResultsTable(QTableWidget):
    """As tall as its rows, up to RESULT_ROWS of them: a dialog of one result is a short one."""

    def sizeHint(self) -> QSize:
        rows = max(1, min(self.rowCount(), RESULT_ROWS))
        height = self.horizontalHeader().sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
        height += 2 * self.frameWidth() + self.horizontalScrollBar().sizeHint().height()  # room for a long name
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()  # a scroll area's: taller than a table of one row
        return QSize(hint.width(), min(hint.height(), self.sizeHint().height()))


class ImportResultsDialog(QDialog):
    """Each file of an import with what happened to it, a line each (the whole of a long line in its
    tooltip); as tall as its lines, up to a limit, then they scroll. Shown without waiting."""

    COLUMNS = ("Tệp", "Kết quả", "Đơn vị, biểu, kỳ", "Chi tiết")

    def __init__(self, run: ImportRun, total: int | None, unit_names: dict[str, str], parent=None):
        super().__init__(parent)
        self.run = run
        self.setWindowTitle(self.tr("Kết quả nhập gói"))
        self.summary = QLabel(run.summary(total))
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.table = ResultsTable(len(run.filed), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        compact_rows(self.table)
        for row, filed in enumerate(run.filed):
            cells = (filed.file.name, filed.outcome.words, filed_where(filed, unit_names), filed.message)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(filed.file) if column == 0 else text)
                if column == 1:
                    item.setBackground(QBrush(QColor(OUTCOME_COLOURS.get(filed.outcome, "#ffffff"))))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.clicked.connect(self.accept)
        buttons = button_row(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        fit_to_screen(self, 1100, self.sizeHint().height())

    def lines(self) -> list[tuple[str, str, str]]:
        """(file name, outcome words, message) of each row, as shown."""
        return [
            (self.table.item(r, 0).text(), self.table.item(r, 1).text(), self.table.item(r, 3).text())
            for r in range(self.table.rowCount())
        ]
