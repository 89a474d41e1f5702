"""The fonts and icon the program carries: Liberation Serif is registered, so
a PC without Times New Roman still prints with Times' metrics, and the icon
loads."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo

from ui.resources import FONTS, app_icon, install_fonts


def test_the_bundled_serif_is_registered_in_all_four_styles(qapp):
    assert install_fonts() == ["Liberation Serif"]
    assert install_fonts() == ["Liberation Serif"]  # once per process, however often asked
    styles = set(QFontDatabase.styles("Liberation Serif"))
    assert {"Regular", "Bold", "Italic", "Bold Italic"} <= styles
    assert len(list(FONTS.glob("*.ttf"))) == 4 and (FONTS / "LICENSE.txt").is_file()


def test_a_page_asking_for_times_gets_a_times_metric_font(qapp):
    install_fonts()
    font = QFont(["Times New Roman", "Liberation Serif"])
    assert QFontInfo(font).family() in ("Times New Roman", "Liberation Serif")


def test_the_icon_loads_at_window_sizes(qapp):
    icon = app_icon()
    assert not icon.isNull()
    assert icon.pixmap(32, 32).width() == 32
