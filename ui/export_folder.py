"""Where files that travel (packets, key files, receipts, workbooks) are saved
and looked for: the folder used last time, remembered in the database, else
the user's Documents."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from models.errors import UserError
from models.gateway import Gateway

SETTING = "last_export_dir"


def export_folder(gw: Gateway) -> Path:
    """The last folder written to if it still exists, else Documents, else home."""
    candidates = [
        gw.setting(SETTING),
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation),
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.home()


def remember_folder(gw: Gateway, folder: Path) -> None:
    # A database that cannot be written only forgets the folder; the file itself was saved.
    with contextlib.suppress(UserError):
        gw.set_setting(SETTING, str(folder))


def dialog_options(options: QFileDialog.Option | None = None) -> QFileDialog.Option:
    """``options`` for a file dialog, plus Qt's own dialog on Linux: that one speaks the program's
    Vietnamese (ui/translations), the desktop's own may not; on Windows the system's dialog follows
    the system's language."""
    options = options if options is not None else QFileDialog.Option(0)
    if sys.platform.startswith("linux"):
        return options | QFileDialog.Option.DontUseNativeDialog
    return options


def ask_file(parent: QWidget, gw: Gateway, title: str, file_filter: str) -> str:
    """A file to open, chosen in a dialog that starts in the last folder used ('' when cancelled)."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, title, str(export_folder(gw)), file_filter, options=dialog_options()
    )
    return path


def ask_xlsx_path(parent: QWidget, gw: Gateway, title: str, default_name: str) -> str:
    """The file chosen in a save dialog opened on the last folder used ('' when cancelled)."""
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        title,
        str(export_folder(gw) / default_name),
        parent.tr("Bảng tính Excel (*.xlsx)"),
        options=dialog_options(),
    )
    return path


def with_suffix(path: str | Path, suffix: str) -> Path:
    """The path as typed, with ``suffix`` added when the officer left it out."""
    path = Path(path)
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


def save_workbook(parent: QWidget, gw: Gateway, write: Callable[[Path], Path], path, said, refused) -> Path | None:
    """Save a workbook where the officer chose (“.xlsx” added when left out) through ``write(path)``, which
    writes it whole or not at all: the label ``said`` tells where it went and the folder is remembered; a
    refusal (folder missing, file open in Excel) is told in ``refused`` instead."""
    from ui.widgets import say

    say(said, "")
    say(refused, "")
    try:
        written = write(with_suffix(path, ".xlsx"))
    except UserError as exc:
        say(refused, str(exc))
        return None
    remember_folder(gw, written.parent)
    say(said, parent.tr("Đã lưu: %1").replace("%1", str(written)))
    return written
