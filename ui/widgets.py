"""What every window and dialog of both levels shares: message labels and
their colours, the large key code, times as an officer reads them, compact
table rows, the wait cursor.

One place, so the commune's and the upper level's windows look alike and
neither wing imports the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel

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


def open_modeless(dialog: QDialog) -> QDialog:
    """Show a dialog without waiting for it (the window stays usable); it is deleted when closed."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


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
