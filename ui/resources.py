"""What the program carries besides code: the printing fonts and the icon.

Official pages are set in Times New Roman. Windows has it; a machine without
it (Linux, a stripped Windows) gets Liberation Serif from ui/fonts, which has
the same metrics, so a page breaks in the same places everywhere.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QIcon

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
ICON = HERE / "icons" / "so-chi-tieu.png"

_installed: list[str] = []


def install_fonts() -> list[str]:
    """Register the bundled fonts with Qt once per process; the families added."""
    if not _installed:
        for path in sorted(FONTS.glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            _installed.extend(f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in _installed)
    return list(_installed)


def app_icon() -> QIcon:
    return QIcon(str(ICON))
