"""Start the window: Qt application, Vietnamese locale, the database.

With no --db the database lives in the user's data folder. On first start
it is filled with the demo so there is something real to look at.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox

from forms.library import default_library
from forms.loader import FormError
from models.demo import build_demo
from models.errors import UserError
from models.gateway import Gateway
from ui.main_window import MainWindow

APP_ID = "SoChiTieu"


def default_db_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "so-chi-tieu.db"


def open_window(db_path: str | Path | None) -> MainWindow:
    """The window over ``db_path`` (or the default database); UserError if it cannot open."""
    path = Path(db_path) if db_path else default_db_path()
    gw = Gateway.open(path)
    library = default_library()
    if not gw.db["units"].count:
        build_demo(gw, library)
    return MainWindow(gw, library)


def run(db_path: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName("Sổ Chỉ Tiêu")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    try:
        window = open_window(db_path)
    except (UserError, FormError) as exc:
        QMessageBox.critical(None, "Sổ Chỉ Tiêu", str(exc))
        return 2
    window.show()
    return app.exec()
