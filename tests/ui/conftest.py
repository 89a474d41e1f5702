"""Fixtures the window and dialog tests share: the program's windows over
fresh copies of the commune and province demos, the province's database, the
packets the commune demo exports (see upper_packets.py), the first-run dialog."""

from __future__ import annotations

import pytest
from qt_words import compiled_translation
from upper_packets import make_packets

from ui.app import install_qt_translation, open_window
from ui.setup_dialog import SetupDialog
from ui.upper.window import UpperWindow


@pytest.fixture
def open_shown(qtbot):
    """Opens the program's window over a database file and shows it, as a user
    starts it, and waits for what it reads once it is drawn (the upper level's
    inbox); after the test every window it opened is closed, which lets go of
    the database and its lock."""
    opened = []

    def open_shown(path):
        window = open_window(path)
        qtbot.addWidget(window)
        window.show()
        opened.append(window)
        if isinstance(window, UpperWindow):
            qtbot.waitUntil(lambda: window.loaded)
        return window

    yield open_shown
    for window in opened:
        window.close()


@pytest.fixture
def window(open_shown, demo_path):
    """The commune's window over a copy of the commune demo."""
    return open_shown(demo_path)


@pytest.fixture
def upper_window(open_shown, upper_path):
    """The province's window over a copy of the province demo, nothing imported yet."""
    return open_shown(upper_path)


@pytest.fixture(scope="session")
def packets(demo_template, tmp_path_factory):
    """The packets the commune demo exports, made once; write them out with ``put``."""
    return make_packets(demo_template, tmp_path_factory.mktemp("goi-cap-tren"))


@pytest.fixture
def dialog(qtbot, fresh_db, library):
    """The first-run dialog over a new, empty database."""
    dialog = SetupDialog(fresh_db, library)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture(scope="module")
def vietnamese_qt(qapp, tmp_path_factory):
    """Qt's words in Vietnamese for a module's tests, taken out again after them."""
    translator = install_qt_translation(qapp, compiled_translation(tmp_path_factory.mktemp("qt-vi")))
    assert translator is not None
    yield translator
    qapp.removeTranslator(translator)
