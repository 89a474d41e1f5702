"""What the program carries besides code: the printing fonts, the icon and Qt's words in Vietnamese.

Official pages are set in Times New Roman. Windows has it; a machine without
it (Linux, a stripped Windows) gets Liberation Serif from ui/fonts, which has
the same metrics, so a page breaks in the same places everywhere.

The key code read over the phone is set in Liberation Mono, carried too:
asking Qt for "the monospace font" gives whatever the machine has, and some
(Noto Sans Mono) do not even report themselves fixed-pitch.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QIcon

HERE = Path(__file__).resolve().parent
FONTS = HERE / "fonts"
ICON = HERE / "icons" / "so-chi-tieu.png"
CODE_FONT = FONTS / "mono" / "LiberationMono-Bold.ttf"
# Qt's own words (OK, Cancel, the file dialog, context menus, print preview) in Vietnamese: Qt ships
# no qtbase_vi, so ui/translations/qtbase_vi.ts is ours, compiled at set-up and bundle build (not in git).
QT_TRANSLATION = HERE / "translations" / "qtbase_vi.qm"

_installed: list[str] = []
_code_family: list[str] = []


def install_fonts() -> list[str]:
    """Register the bundled fonts with Qt once per process; the families added."""
    if not _installed:
        for path in sorted(FONTS.glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            _installed.extend(f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in _installed)
    return list(_installed)


def app_icon() -> QIcon:
    return QIcon(str(ICON))


def code_font(point_size: float) -> QFont:
    """Bold fixed-width digits for key codes, the same on every machine."""
    if not _code_family:
        font_id = QFontDatabase.addApplicationFont(str(CODE_FONT))
        _code_family.extend(QFontDatabase.applicationFontFamilies(font_id)[:1] or ["Liberation Mono"])
    font = QFont(_code_family[0])
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFixedPitch(True)
    font.setPointSizeF(point_size)
    font.setBold(True)
    return font
