"""The villages dialog over the demo commune (Xã Mường Tè, 18 bản, reports for 2024 and 2025)."""

from __future__ import annotations

import unicodedata

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from ui.commune.villages_dialog import VillagesDialog

COMMUNE = "03445"
WHO = "Lò Thị Mai"


@pytest.fixture
def villages_dialog(qtbot, demo_db):
    dialog = VillagesDialog(demo_db, COMMUNE, WHO)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def listed(dialog: VillagesDialog) -> list[str]:
    return [dialog.village_list.item(i).text() for i in range(dialog.village_list.count())]


def select(dialog: VillagesDialog, code: str) -> None:
    for i in range(dialog.village_list.count()):
        if dialog.village_list.item(i).data(Qt.ItemDataRole.UserRole) == code:
            dialog.village_list.setCurrentRow(i)
            return
    raise AssertionError(f"{code} not listed")


def names(gw) -> list[str]:
    return [v.name for v in gw.villages_of(COMMUNE)]


def history_count(gw) -> int:
    return gw.db["unit_history"].count


def test_labels_are_vietnamese_with_diacritics(villages_dialog):
    assert villages_dialog.windowTitle() == "Thôn, bản của Xã Mường Tè"
    texts = [
        b.text()
        for b in (
            villages_dialog.add_button,
            villages_dialog.rename_button,
            villages_dialog.retire_button,
            villages_dialog.merge_button,
        )
    ]
    assert texts == ["Thêm...", "Đổi tên...", "Ngừng theo dõi", "Gộp vào..."]
    assert villages_dialog.close_button.text() == "Đóng"
    assert villages_dialog.show_retired.text() == "Hiện cả bản đã ngừng"


def test_lists_the_active_villages_and_needs_a_choice_to_change_one(villages_dialog, demo_db):
    assert listed(villages_dialog) == names(demo_db) and len(listed(villages_dialog)) == 18
    assert not villages_dialog.rename_button.isEnabled() and not villages_dialog.merge_button.isEnabled()
    select(villages_dialog, "03445.01")
    assert (
        villages_dialog.rename_button.isEnabled()
        and villages_dialog.retire_button.isEnabled()
        and villages_dialog.merge_button.isEnabled()
    )


def test_add_villages_numbers_them_after_the_last(villages_dialog, demo_db):
    assert villages_dialog.add_villages(["Bản Mới", "Bản Sì Thâu"])
    added = demo_db.villages_of(COMMUNE)[-2:]
    assert [(v.code, v.name, v.kind) for v in added] == [
        ("03445.19", "Bản Mới", "bản"),
        ("03445.20", "Bản Sì Thâu", "bản"),
    ]
    assert listed(villages_dialog)[-2:] == ["Bản Mới", "Bản Sì Thâu"]
    assert list(demo_db.db["unit_history"].rows_where("unit_code = ?", ["03445.20"]))[0]["who"] == WHO


def test_add_button_takes_a_pasted_list(villages_dialog, demo_db, qtbot, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Bản Nà Hừ\t120\r\nBản Pa Ủ\r\n", True))
    with qtbot.waitSignal(villages_dialog.villages_changed):
        qtbot.mouseClick(villages_dialog.add_button, Qt.MouseButton.LeftButton)
    assert names(demo_db)[-2:] == ["Bản Nà Hừ", "Bản Pa Ủ"]


def test_add_button_cancelled_writes_nothing(villages_dialog, demo_db, qtbot, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Bản Nà Hừ", False))
    qtbot.mouseClick(villages_dialog.add_button, Qt.MouseButton.LeftButton)
    assert len(names(demo_db)) == 18


def test_new_villages_of_a_ward_are_to_dan_pho(qtbot, demo_db):
    dialog = VillagesDialog(demo_db, "03408", WHO)  # Phường Tân Phong
    qtbot.addWidget(dialog)
    assert dialog.add_villages(["Tổ dân phố số 25"])
    assert demo_db.villages_of("03408")[-1].kind == "tổ dân phố"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (["Bản Nà Sáng"], "Tên đã có"),
        ([unicodedata.normalize("NFD", "bản nà sáng")], "Tên đã có"),  # same name, decomposed, other case
        (["Bản Mới", "Bản mới"], "Tên đã có"),
        (["", "   "], "Chưa có tên bản nào"),
    ],
    ids=["duplicate", "decomposed", "twice-in-list", "empty"],
)
def test_add_refusals_are_shown_and_nothing_is_written(villages_dialog, demo_db, typed, message):
    before = history_count(demo_db)
    assert not villages_dialog.add_villages(typed)
    assert villages_dialog.error_label.isVisible() and message in villages_dialog.error_label.text()
    assert len(names(demo_db)) == 18 and history_count(demo_db) == before


def test_rename_changes_the_name_and_keeps_the_code(villages_dialog, demo_db, qtbot, monkeypatch):
    select(villages_dialog, "03445.02")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Bản Pa Sang Mới", True))
    qtbot.mouseClick(villages_dialog.rename_button, Qt.MouseButton.LeftButton)
    assert demo_db.unit("03445.02").name == "Bản Pa Sang Mới"
    assert listed(villages_dialog)[1] == "Bản Pa Sang Mới"
    assert villages_dialog.current_code() == "03445.02"  # the choice survives the refresh
    assert villages_dialog.rename("03445.03", unicodedata.normalize("NFD", "Bản Nà Luông Trên"))
    assert demo_db.unit("03445.03").name == "Bản Nà Luông Trên"  # stored composed


@pytest.mark.parametrize(
    ("new_name", "message"),
    [("", "không được để trống"), ("   ", "không được để trống"), ("bản pa sang", "Đã có")],
    ids=["empty", "blank", "other-village"],
)
def test_rename_refusals_are_shown_and_nothing_is_written(villages_dialog, demo_db, new_name, message):
    before = history_count(demo_db)
    assert not villages_dialog.rename("03445.01", new_name)
    assert message in villages_dialog.error_label.text()
    assert demo_db.unit("03445.01").name == "Bản Nà Sáng" and history_count(demo_db) == before


def test_retire_asks_first_and_keeps_past_values(villages_dialog, demo_db, qtbot, monkeypatch):
    report_2024 = demo_db.find_report(COMMUNE, "kl224", "2024")
    held = {k: v for k, v in demo_db.values(report_2024).items() if k[1] == "03445.05"}
    assert held
    select(villages_dialog, "03445.05")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(villages_dialog.retire_button, Qt.MouseButton.LeftButton)
    assert demo_db.unit("03445.05").active

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(villages_dialog.retire_button, Qt.MouseButton.LeftButton)
    retired = demo_db.unit("03445.05")
    assert not retired.active and retired.merged_into is None
    assert "Bản Tả Hán" not in listed(villages_dialog) and len(listed(villages_dialog)) == 17
    assert "03445.05" not in [v.code for v in demo_db.villages_of(COMMUNE)]  # gone from new periods
    assert "03445.05" in [v.code for v in demo_db.report_villages(report_2024)]  # still in the past
    assert {k: v for k, v in demo_db.values(report_2024).items() if k[1] == "03445.05"} == held


def test_retired_and_merged_villages_show_greyed_on_request(villages_dialog, demo_db):
    assert villages_dialog.retire("03445.05")
    assert villages_dialog.merge("03445.06", "03445.07")
    villages_dialog.show_retired.setChecked(True)
    shown = listed(villages_dialog)
    assert len(shown) == 18
    assert shown[4] == "Bản Tả Hán (đã ngừng)"
    assert shown[5] == f"{demo_db.unit('03445.06').name} (đã gộp vào {demo_db.unit('03445.07').name})"
    item = villages_dialog.village_list.item(4)
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    villages_dialog.village_list.setCurrentRow(4)
    assert villages_dialog.current_code() is None and not villages_dialog.rename_button.isEnabled()
    villages_dialog.show_retired.setChecked(False)
    assert len(listed(villages_dialog)) == 16


def test_merge_button_offers_the_other_active_villages(villages_dialog, demo_db, qtbot, monkeypatch):
    villages_dialog.retire("03445.09")
    offered = []

    def get_item(parent, title, label, items, current, editable):
        offered.extend(items)
        return demo_db.unit("03445.02").name, True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    select(villages_dialog, "03445.01")
    qtbot.mouseClick(villages_dialog.merge_button, Qt.MouseButton.LeftButton)
    assert len(offered) == 16 and "Bản Nà Sáng" not in offered
    assert demo_db.unit("03445.09").name not in offered
    merged = demo_db.unit("03445.01")
    assert not merged.active and merged.merged_into == "03445.02"
    history = list(demo_db.db["unit_history"].rows_where("unit_code = ? AND event = 'gop'", ["03445.01"]))
    assert [(h["other_code"], h["who"]) for h in history] == [("03445.02", WHO)]
    report_2025 = demo_db.find_report(COMMUNE, "kl224", "2025")
    assert "03445.01" in [v.code for v in demo_db.report_villages(report_2025)]


@pytest.mark.parametrize("target", ["03445.01", "03445.05", "03408.01"], ids=["itself", "retired", "other-commune"])
def test_merge_refusals_are_shown_and_nothing_is_written(villages_dialog, demo_db, target):
    villages_dialog.retire("03445.05")
    before = history_count(demo_db)
    assert not villages_dialog.merge("03445.01", target)
    assert villages_dialog.error_label.isVisible() and "gộp" in villages_dialog.error_label.text()
    assert demo_db.unit("03445.01").active and history_count(demo_db) == before


def test_close_accepts(villages_dialog, qtbot):
    qtbot.mouseClick(villages_dialog.close_button, Qt.MouseButton.LeftButton)
    assert not villages_dialog.isVisible()
