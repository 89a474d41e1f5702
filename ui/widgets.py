"""What every window and dialog of both levels shares: message labels and
their colours, the large key code, times as an officer reads them, compact
table rows, the wait cursor, a label of a fixed number of lines, work
left until a window has been drawn.

One place, so the commune's and the upper level's windows look alike and
neither wing imports the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyleOptionComboBox,
    QStylePainter,
    QVBoxLayout,
    QWidget,
)

from forms import vnformat
from ui.resources import code_font

ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = "color: #8a4b00;"
DONE_STYLE = "color: #1e6b2f;"


def message_label(style: str) -> QLabel:
    """A hidden, wrapping label for one kind of message (ERROR_STYLE, WARNING_STYLE, DONE_STYLE)."""
    label = QLabel()
    label.setStyleSheet(style)
    label.setWordWrap(True)
    label.hide()
    return label


def say(label: QLabel, text: str) -> None:
    """Show ``text`` in the label; an empty text hides it."""
    label.setText(text)
    label.setVisible(bool(text))


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """A dialog's buttons, at its right end."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def open_modeless(dialog: QDialog) -> QDialog:
    """Show a dialog without waiting for it (the window stays usable); it is deleted when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# Room kept for the window's frame and title bar, which the screen's free area does not leave out.
FRAME_ROOM = (16, 40)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width``×``height``, or less where the screen is smaller: an old commune PC at
    1366×768 with 125% scaling leaves 1093×614 (less the taskbar), and a window larger than the screen
    hides its buttons below the bottom edge."""
    screen = (widget.screen() or QApplication.primaryScreen()).availableGeometry()
    widget.resize(min(width, screen.width() - FRAME_ROOM[0]), min(height, screen.height() - FRAME_ROOM[1]))


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` scrolling up and down (never sideways) where its place is lower than it, without a frame."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


def notice_band(labels: list[QWidget], lines: int) -> QScrollArea:
    """Messages in a band of fixed height above a table: a line that appears never pushes the table
    down under the officer's next click; a longer text scrolls inside the band."""
    notices = QWidget()
    column = QVBoxLayout(notices)
    column.setContentsMargins(0, 0, 0, 0)
    for label in labels:
        column.addWidget(label)
    column.addStretch(1)
    band = scrolling(notices)
    band.setFixedHeight(notices.fontMetrics().lineSpacing() * lines + 8)
    return band


def local_paths(mime: QMimeData | None) -> list[Path]:
    """The local files and folders of a drag; web addresses and the like are left out."""
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


def fit_height(dialog: QWidget, width: int | None = None) -> None:
    """As tall as the dialog's content needs at ``width`` (else its own width), within the screen: wrapped
    labels make Qt's own guess of the height wrong (a line edit squeezed flat, or a blank below)."""
    dialog.layout().activate()
    width = max(width or dialog.width(), dialog.minimumWidth())
    fit_to_screen(dialog, width, max(dialog.heightForWidth(width), dialog.minimumSizeHint().height()))


class WholeTextCombo(QComboBox):
    """A combo box that may be narrower than its entries on a small screen and still shows each whole:
    the chosen entry ends in “…” where it is cut and is the tooltip, and the list opens as wide as its
    widest entry."""

    def __init__(self, shortest: int = 12, parent=None):
        super().__init__(parent)
        self.setMinimumContentsLength(shortest)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.currentTextChanged.connect(self.setToolTip)

    def showPopup(self) -> None:
        entries = self.view()
        entries.setMinimumWidth(entries.sizeHintForColumn(0) + entries.verticalScrollBar().sizeHint().width())
        super().showPopup()

    def paintEvent(self, _event) -> None:
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        field = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        elide = Qt.TextElideMode.ElideRight
        option.currentText = self.fontMetrics().elidedText(option.currentText, elide, field.width())
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)


def fingerprint_label(text: str = "", scale: float = 2) -> QLabel:
    """The spoken code, large and in fixed-width digits, selectable to copy."""
    label = QLabel(text)
    label.setFont(code_font(max(label.font().pointSizeF(), 9) * scale))
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def day_of(stamp: str | None) -> str:
    """dd/mm/yyyy of a stored time, on the day it was where it was written."""
    if not stamp:
        return ""
    try:
        return vnformat.date(dt.datetime.fromisoformat(stamp).date())
    except ValueError:
        return stamp


def time_of(stamp: str | None) -> str:
    """dd/mm/yyyy hh:mm of a stored time, in the time zone it was written in."""
    if not stamp:
        return ""
    try:
        return f"{dt.datetime.fromisoformat(stamp):%d/%m/%Y %H:%M}"
    except ValueError:
        return stamp


def compact_rows(view) -> None:
    """One line of text a row, without the style's generous default height."""
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)


@contextmanager
def wait_cursor() -> Iterator[None]:
    """The wait cursor around a short piece of work done on the spot (signing, making a key)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class LinesLabel(QLabel):
    """A label always ``lines`` lines high, shown or empty, so what sits under it never moves; a text
    too long for them ends in “…” and is whole in the tooltip (and in ``full_text``)."""

    def __init__(self, lines: int = 2, parent=None):
        super().__init__(parent)
        self.lines = lines
        self.full_text = ""
        self.setWordWrap(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 4)

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The text broken into at most ``lines`` lines of the label's width, the last one elided."""
        width = max(self.contentsRect().width(), 40)
        metrics = self.fontMetrics()
        layout = QTextLayout(self.full_text, self.font())
        layout.beginLayout()
        shown: list[str] = []
        while len(shown) < self.lines:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start = line.textStart()
            if len(shown) == self.lines - 1:  # the last line takes the rest, elided
                rest = self.full_text[start:]
                shown.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
                break
            shown.append(self.full_text[start : start + line.textLength()].rstrip())
        layout.endLayout()
        super().setText("\n".join(shown))


class BuiltWhenShown:
    """For a tab whose content is costly to build (a merge of thousands of packets): in the window
    (``lazy``) a refresh only notes what to build, built when the tab is shown or its result asked
    for (``ensure_built``); elsewhere at once. The tab defines ``_build(*choice)``; mixed in before
    the Qt widget class."""

    lazy = False
    _pending: tuple | None = None

    def request_build(self, *choice) -> None:
        self._pending = choice
        if not self.lazy or self.isVisible():
            self.ensure_built()

    @property
    def built(self) -> bool:
        """False while a refresh waits for the tab to be shown."""
        return self._pending is None

    def ensure_built(self) -> None:
        """Build what the last refresh chose, if it was left for later."""
        if self._pending is None:
            return
        choice, self._pending = self._pending, None
        with wait_cursor():
            self._build(*choice)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.ensure_built()


class AfterFirstPaint(QObject):
    """Runs ``work`` once ``window`` has been drawn for the first time (its first repaint, which
    follows its showing): what a start can leave for later waits until the officer sees the window.
    Should a platform draw the window without that repaint request, ``work`` runs FALLBACK_MS after
    the window is shown. Kept by the window (its parent): nothing runs for a window deleted first."""

    FALLBACK_MS = 250

    def __init__(self, window, work):
        super().__init__(window)
        self.work = work
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Show:
            QTimer.singleShot(self.FALLBACK_MS, self, self._run)
        elif event.type() == QEvent.Type.UpdateRequest:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # after this repaint, which the filter precedes
        return False

    def _run(self) -> None:
        work, self.work = self.work, None
        if work is not None:
            work()
