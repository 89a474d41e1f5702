"""What the Vietnamese-on-screen tests share: Qt's compiled translation for a
test run, every text a widget shows, and the English words Qt says where a
translation is missing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QHeaderView, QLabel, QMenu, QWidget

from ui.resources import QT_TRANSLATION

# Words Qt says in English where a translation is missing (with & removed).
ENGLISH = (
    "OK", "Cancel", "Close", "Save", "Open", "Yes", "No", "Apply", "Reset", "Discard", "Help", "Abort",
    "Retry", "Ignore", "Look in", "File name", "Files of type", "Name", "Size", "Type", "Kind",
    "Date Modified", "Back", "Forward", "Parent Directory", "Create New Folder", "List View", "Detail View",
    "Folder", "Undo", "Redo", "Cut", "Copy", "Paste", "Delete", "Select All", "Step up", "Step down",
    "Show Details", "Hide Details", "Print", "Print Preview", "Zoom in", "Zoom out", "Next page",
    "Previous page", "First page", "Last page", "Fit width", "Fit page", "Portrait", "Landscape",
    "Page setup", "Enter a value",
)  # fmt: skip
ENGLISH_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")


def compiled_translation(folder: Path) -> Path:
    """The compiled .qm: the one set-up made if it is newer than its source, else one made in ``folder``."""
    source = QT_TRANSLATION.with_suffix(".ts")
    if QT_TRANSLATION.exists() and QT_TRANSLATION.stat().st_mtime >= source.stat().st_mtime:
        return QT_TRANSLATION
    lrelease = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32" else "lrelease")
    target = folder / QT_TRANSLATION.name
    subprocess.run([str(lrelease), "-silent", str(source), "-qm", str(target)], check=True)
    return target


def shown_texts(root: QWidget) -> list[str]:
    """Every text ``root`` shows: titles, buttons, labels, tooltips, actions, headers, list entries."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        texts.append(widget.toolTip())
        if isinstance(widget, QAbstractButton | QLabel):
            texts.append(widget.text())
        if isinstance(widget, QComboBox) and widget.isEditable() is False:
            texts.append(widget.currentText())
        if isinstance(widget, QHeaderView) and widget.model() is not None:
            model = widget.model()
            texts += [
                str(model.headerData(i, widget.orientation(), Qt.ItemDataRole.DisplayRole) or "")
                for i in range(widget.count())
                if not widget.isSectionHidden(i)
            ]
        for action in widget.actions():
            texts += [action.text(), action.toolTip()]
    return [text.replace("&", "") for text in texts if text]


def menu_words(menu: QMenu) -> list[str]:
    """The menu's entries as shown, without their shortcut (“Sao chép\tCtrl+C” is “Sao chép”)."""
    return [a.text().replace("&", "").split("\t")[0] for a in menu.actions() if not a.isSeparator()]


def english_in(texts: list[str]) -> list[str]:
    return [text for text in texts if ENGLISH_WORD.search(text)]
