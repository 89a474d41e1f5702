"""Start the window: Qt application, Vietnamese locale, the database.

With no --db the database lives in the user's data folder, created on first
run, when the officer sets up the commune (or the upper level) or opens a
demo. A commune gets the entry window, an upper level the window that
receives and merges packets. One window per database: a second instance is
told so and refused.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QLockFile, QStandardPaths
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from forms.library import default_library
from forms.loader import FormError
from models.errors import DatabaseError, UserError
from models.gateway import Gateway
from models.setup import is_upper_level
from ui.main_window import MainWindow
from ui.setup_dialog import SetupDialog

if TYPE_CHECKING:
    from ui.upper_window import UpperWindow

APP_ID = "SoChiTieu"
TITLE = "Sổ Chỉ Tiêu"


def default_db_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "so-chi-tieu.db"


def lock_database(path: Path) -> QLockFile:
    """Hold ``<database>.lock`` while the window is open; a stale lock (a crash) is taken over."""
    lock = QLockFile(str(path) + ".lock")
    lock.setStaleLockTime(0)  # stale only when its process is gone
    if not lock.tryLock(200):
        _pid, host, _app = lock.getLockInfo()
        raise DatabaseError(
            f"Cơ sở dữ liệu “{path}” đang được mở trong một cửa sổ Sổ Chỉ Tiêu khác"
            + (f" trên máy {host}" if host else "")
            + "; hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại."
        )
    return lock


def open_window(db_path: str | Path | None, parent=None) -> MainWindow | UpperWindow | None:
    """The window over ``db_path`` (or the default database), after first-run
    setup if it is empty; None if the officer cancels the setup."""
    path = Path(db_path) if db_path else default_db_path()
    lock = lock_database(path)
    try:
        gw = Gateway.open(path)
    except UserError:
        lock.unlock()
        raise
    library = default_library()
    if not gw.db["units"].count:
        setup = SetupDialog(gw, library, parent)
        if setup.exec() != QDialog.DialogCode.Accepted:
            gw.close()
            lock.unlock()
            return None
    who = gw.setting("officer_name") or getpass.getuser()
    if is_upper_level(gw):
        from ui.upper_window import UpperWindow  # loaded only on the upper level's machines

        return UpperWindow(gw, library, who, lock)
    return MainWindow(gw, library, who, lock)


def run(db_path: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(TITLE)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    try:
        window = open_window(db_path)
    except (UserError, FormError) as exc:
        QMessageBox.critical(None, TITLE, str(exc))
        return 2
    if window is None:
        return 0
    window.show()
    if os.environ.get("SCT_QUIT_WHEN_SHOWN"):  # for the start-up benchmark
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    return app.exec()
