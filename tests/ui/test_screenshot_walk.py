"""The screenshot walk (tools/screenshot_walk.py), run whole: every window and
dialog of both levels opened on the demo data with Qt's words in Vietnamese.
It fails on any English word left on a button, label, title, menu action,
tooltip or header of any of them, and on a picture that did not come out."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage
from qt_words import english_in, shown_texts

WALK = Path(__file__).resolve().parents[2] / "tools" / "screenshot_walk.py"
# At least these: the first run, both windows and each of the province's tabs, the dialogs of both
# levels, a message box and Qt's file dialog.
EXPECTED = {
    "cai-dat-xa", "cai-dat-cap-tren", "tinh-lan-dau", "tinh-mo-ky-thu", "hop-chon-tep", "tinh-ket-qua-nhap",
    "tinh-hop-thu", "tinh-dang-ky-khoa-xa", "tinh-hai-goi-khac-nhau", "tinh-bien-nhan", "tinh-in-goi",
    "tinh-huy-goi", "tinh-quyet-dinh", "tinh-tinh-hinh-nop", "tinh-bieu-tong-hop", "tinh-so-lieu-cac-ban",
    "xem-truoc-khi-in", "tinh-gui-len", "tinh-khoa-ky", "tinh-tep-dang-ky-khoa", "xa-cua-so", "xa-ky-moi",
    "xa-ly-do-giu-so-lieu", "xa-quan-ly-ban", "xa-ky-va-xuat-con-loi", "xa-in-bieu", "xa-khoa-ky",
    "xa-thay-khoa", "xa-chon-bien-nhan", "xa-khoa-cap-tren", "xa-da-co-bien-nhan", "xa-ky-va-xuat",
    "xa-hoi-con-o-chua-nhap",
}  # fmt: skip


def load_walk():
    spec = importlib.util.spec_from_file_location("screenshot_walk", WALK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_window_and_dialog_of_both_levels_is_shot_and_speaks_vietnamese(vietnamese_qt, tmp_path):
    english: dict[str, list[str]] = {}

    def look(name, widget):
        if found := english_in(shown_texts(widget)):
            english[name] = found

    done = load_walk().walk(tmp_path / "anh", look)

    names = {path.stem.split("-", 1)[1] for path in done.saved}
    assert EXPECTED <= names, EXPECTED - names
    assert english == {}
    for path in done.saved:
        image = QImage(str(path))
        assert image.width() >= 200 and image.height() >= 100, path.name
        step_x, step_y = image.width() // 24, image.height() // 24
        sampled = {image.pixel(x, y) for x in range(0, image.width(), step_x) for y in range(0, image.height(), step_y)}
        assert len(sampled) >= 3, f"{path.name} is blank"
