"""Start the window: Qt application, Vietnamese locale, the database.

With no --db the database lives in the user's data folder, created on first
run, when the officer sets up the commune (or the upper level) or opens a
demo. A commune gets the entry window, an upper level the window that
receives and merges packets. One window per database: a second instance is
told so and refused. A damaged database is never opened as if empty: the
officer is offered the newest good backup instead.

At a start the window opens before the file's quick check, which runs once
the window is drawn (``check_later``; models/database.py, ui/db_hold.py):
a file it refuses is let go with nothing written to it, and opened again the
usual way, which says why and offers the backup.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QStandardPaths, QTranslator
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from forms.loader import FormError
from models.errors import DamagedDatabase, DatabaseError, UserError, os_error_sentence
from models.form_store import library_of
from models.gateway import Gateway
from models.lock import DatabaseLock
from models.setup import is_upper_level
from ui.db_hold import DatabaseHold
from ui.resources import QT_TRANSLATION, app_icon, install_fonts
from ui.widgets import AfterFirstPaint

if TYPE_CHECKING:
    from models.backups import Backup
    from ui.commune.window import MainWindow
    from ui.upper.window import UpperWindow

APP_ID = "SoChiTieu"
TITLE = "Sổ Chỉ Tiêu"


def default_db_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "so-chi-tieu.db"


def open_window(db_path: str | Path | None, parent=None, check_later: bool = False) -> MainWindow | UpperWindow | None:
    """The window over ``db_path`` (or the default database), after first-run
    setup if it is empty; None if the officer cancels the setup. With
    ``check_later`` the file's quick check waits until the window is drawn."""
    path = Path(db_path) if db_path else default_db_path()
    lock = DatabaseLock.take(path)
    try:
        gw = open_or_restore(path, parent, check_later)
    except UserError:
        lock.release()
        raise
    try:
        return _window_over(gw, lock, parent)
    except Exception:
        if gw.later_check is None:
            raise
        # A file not checked yet that could not be read while the window was built (SQLite's own error):
        # opened again checked at once, which refuses it in Vietnamese; anything else fails again there.
        gw.close()
        lock.release()
        return open_window(path, parent)


def _window_over(gw: Gateway, lock: DatabaseLock, parent=None) -> MainWindow | UpperWindow | None:
    library = library_of(gw)
    if gw.is_empty():
        from ui.setup_dialog import SetupDialog  # once, on the first run: its catalogue, keys and demos wait

        setup = SetupDialog(gw, library, parent)
        if setup.exec() != QDialog.DialogCode.Accepted:
            gw.close()
            lock.release()
            return None
    who = gw.setting("officer_name") or getpass.getuser()
    hold = DatabaseHold(gw, lock)
    if is_upper_level(gw):
        from ui.upper.window import UpperWindow  # loaded only on the upper level's machines

        window = UpperWindow(gw, library, who, hold)
    else:
        from ui.commune.window import MainWindow  # each level loads its own window only

        window = MainWindow(gw, library, who, hold)
    hold.backup_failed.connect(window.show_message)
    # The later check and the first backup wait until the window is drawn, and run on their own threads.
    AfterFirstPaint(window, hold.start)
    return window


def open_or_restore(path: Path, parent=None, check_later: bool = False) -> Gateway:
    """The database, or, when it is damaged, the newest good backup put in its
    place if the officer agrees; never a silent start on an empty database."""
    try:
        return Gateway.open(path, check_later=check_later)
    except DamagedDatabase as exc:
        from models.backups import newest_good_backup
        from models.recovery import restore_database

        backup = newest_good_backup(path)
        if backup is None and exc.empty:
            raise DatabaseError(
                f"Tệp “{path}” trống (0 byte) và không có bản sao lưu tốt nào để khôi phục; tệp được giữ "
                "nguyên. Nếu đây là lần đầu dùng chương trình với tệp này, hãy xóa tệp trống đó rồi mở lại."
            ) from None
        if backup is None:
            raise DatabaseError(
                f"Tệp “{path}” đã hỏng hoặc không phải cơ sở dữ liệu của Sổ Chỉ Tiêu, và không có bản sao lưu "
                "tốt nào để khôi phục. Tệp được giữ nguyên; hãy nhờ cán bộ tin học xem giúp."
            ) from None
        if not ask_restore(path, backup, parent):
            raise DatabaseError(f"Chưa mở “{path}”: tệp hỏng được giữ nguyên, chưa khôi phục gì.") from None
    kept = restore_database(path, backup, force=True)  # found damaged just now
    gw = Gateway.open(path)
    QMessageBox.information(
        parent,
        TITLE,
        f"Đã khôi phục bản sao lưu lúc {backup.label}. Những gì nhập sau lúc đó cần nhập lại.\n\n"
        f"Tệp hỏng được giữ lại ở “{kept}”.",
    )
    return gw


def ask_restore(path: Path, backup: Backup, parent=None) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        TITLE,
        f"Cơ sở dữ liệu “{path.name}” bị hỏng (có thể do mất điện khi đang ghi) nên không mở được.\n\n"
        f"Có bản sao lưu tốt lúc {backup.label}. Khôi phục bản đó? Tệp hỏng được giữ lại, không xóa.",
        parent=parent,
    )
    restore = box.addButton("Khôi phục bản sao lưu", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Không mở", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def show_window(db_path: str | Path | None, windows: list, check_later: bool = False) -> int | None:
    """The window over ``db_path`` shown and kept in ``windows``, None; or the exit code when there is
    none: 2 when the file was refused (said in a message box), 0 when the officer cancelled the setup."""
    try:
        window = open_window(db_path, check_later=check_later)
    except (UserError, FormError) as exc:
        QMessageBox.critical(None, TITLE, str(exc))
        return 2
    except OSError as exc:  # the data folder or the database's name refused by the system
        QMessageBox.critical(None, TITLE, os_error_sentence(exc))
        return 2
    if window is None:
        return 0
    windows.append(window)
    window.database_hold.check_failed.connect(lambda _text: reopen_refused(window, windows))
    window.show()
    return None


def reopen_refused(window, windows: list) -> None:
    """The file under ``window`` failed the check left for after it was drawn: the window closes, the
    file untouched, and it is opened again checked at once: refused in Vietnamese, its newest good
    backup offered; the program ends if nothing is opened."""
    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)  # not while the file is opened again
    try:
        window.close()
        code = show_window(window.gw.path, windows)
    finally:
        app.setQuitOnLastWindowClosed(True)
    if code is not None:
        app.exit(code)


def install_qt_translation(app: QApplication, path: Path = QT_TRANSLATION) -> QTranslator | None:
    """Load Qt's words in Vietnamese into ``app``; the translator, or None when the compiled file is
    missing or unreadable: then Qt's buttons stay English, which is no reason to stop the program."""
    translator = QTranslator(app)  # owned by the application, so it lives as long as it does
    if not translator.load(str(path)):
        return None
    app.installTranslator(translator)
    return translator


def prepare_application(app: QApplication) -> QTranslator | None:
    """The program's name, icon, fonts, Qt's words in Vietnamese and the Vietnamese locale; the
    translator of Qt's words (None when its compiled file is missing)."""
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(TITLE)
    app.setWindowIcon(app_icon())
    install_fonts()
    translator = install_qt_translation(app)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    return translator


def run(db_path: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    prepare_application(app)
    windows: list = []
    code = show_window(db_path, windows, check_later=True)
    if code is not None:
        return code
    if os.environ.get("SCT_QUIT_WHEN_SHOWN"):  # for the start-up benchmark
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, app.quit)
    code = app.exec()
    for window in windows:  # never leave a check's or a backup's thread running at exit
        window.database_hold.release_threads()
    return code
