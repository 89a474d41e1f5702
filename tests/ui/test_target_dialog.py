"""“Bộ mục tiêu của đơn vị” from both windows' Đơn vị menu, over real demo databases: a set made in
the dialog's table is kept, the window's Mục tiêu box lists it and the open report is compared with
it; a wrong target is said in the dialog and nothing is kept; a new version keeps the set's id."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QDate

from models.form_store import library_of
from ui.target_dialog import TargetSetDialog


def open_from_menu(window) -> TargetSetDialog:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "Đơn vị")
    action = next(a for a in menu.actions() if a.text() == "Bộ mục tiêu của đơn vị...")
    action.trigger()
    dialog = window.findChildren(TargetSetDialog)[-1]
    assert dialog.isVisible() and dialog.windowTitle() == "Bộ mục tiêu của đơn vị"
    return dialog


def fill(dialog: TargetSetDialog, set_id: str, name: str, starts: QDate) -> None:
    dialog.id_edit.setText(set_id)
    dialog.name_edit.setText(name)
    dialog.source_edit.setText("Kế hoạch số 67-KH/TU")
    dialog.source_date.setDate(QDate(2024, 1, 5))
    dialog.starts.setDate(starts)


def set_row(dialog: TargetSetDialog, row: int, indicator: str, op: str, value: str, percent: bool) -> None:
    boxes = [dialog.table.cellWidget(row, c) for c in range(4)]
    boxes[0].setCurrentIndex(boxes[0].findData(indicator))
    boxes[1].setCurrentIndex(boxes[1].findData(op))
    boxes[2].setText(value)
    boxes[3].setCurrentIndex(boxes[3].findData(percent))


def listed(box) -> list[str]:
    return [box.itemData(i) for i in range(box.count())]


def test_a_commune_makes_its_own_set_and_its_report_is_compared_with_it(window):
    dialog = open_from_menu(window)
    assert dialog.form_box.currentData() == "kl224"
    assert dialog.set_box.currentData() == "" and dialog.table.rowCount() == 1
    shown = dialog.table.cellWidget(0, 0)
    assert "2.3 — Bản, tổ dân phố có nhà văn hóa" in [shown.itemText(i) for i in range(shown.count())]
    fill(dialog, "muong-te-2026", "Mục tiêu của Đảng ủy xã", QDate(2024, 1, 1))
    set_row(dialog, 0, "ban_co_nvh", ">=", "90", True)
    set_row(dialog, dialog.add_row(), "cb_boi_duong", ">=", "1.200", False)
    assert dialog.submit()
    assert not dialog.isVisible()
    assert "muong-te-2026" in listed(window.target_box)
    window.target_box.setCurrentIndex(window.target_box.findData("muong-te-2026"))
    evaluation = window.controller.session.view.evaluation
    assert evaluation.target_set.id == "muong-te-2026"
    assert {r.indicator for r in evaluation.targets} == {"ban_co_nvh", "cb_boi_duong"}


def test_a_wrong_target_is_said_in_the_dialog_and_nothing_is_kept(window):
    dialog = open_from_menu(window)
    fill(dialog, "muong-te-2026", "Mục tiêu của Đảng ủy xã", QDate(2024, 1, 1))
    set_row(dialog, 0, "ban_co_nvh", ">=", "120", True)
    set_row(dialog, dialog.add_row(), "cb_boi_duong", ">=", "12,5", False)
    assert not dialog.submit()
    assert dialog.isVisible()
    assert dialog.error_label.text() == (
        "Bộ mục tiêu chưa lưu: mục tiêu “2.3>=120%”: tỷ lệ phải là số từ 0 đến 100; "
        "mục tiêu “1.1>=12,5”: số lượng phải là số nguyên không âm."
    )
    assert window.gw.target_sets.all() == []
    assert "muong-te-2026" not in listed(window.target_box)
    dialog.table.selectRow(1)
    dialog.remove_rows()
    set_row(dialog, 0, "ban_co_nvh", ">=", "97,5", True)
    assert dialog.submit()
    assert [t.percent for t in library_of(window.gw).get("kl224").target_set("muong-te-2026").targets] == [
        Decimal("97.5")
    ]


def test_the_province_sets_its_plan_then_a_new_version_keeping_its_id(upper_window):
    dialog = open_from_menu(upper_window)
    fill(dialog, "tinh-2026", "Kế hoạch 2026 của Tỉnh ủy", QDate(2026, 1, 1))
    set_row(dialog, 0, "ban_co_nvh", ">=", "90", True)
    assert dialog.submit()
    assert "tinh-2026" in listed(upper_window.target_box)
    again = open_from_menu(upper_window)
    again.set_box.setCurrentIndex(again.set_box.findData("tinh-2026"))
    assert again.id_edit.text() == "tinh-2026" and again.id_edit.isReadOnly()
    assert again.name_edit.text() == "Kế hoạch 2026 của Tỉnh ủy"
    assert again.versions_label.text() == "phiên bản 1 áp dụng từ ngày 01/01/2026"
    assert again.table.cellWidget(0, 2).text() == "90"
    again.starts.setDate(QDate(2026, 1, 1))  # not after version 1's: refused
    set_row(again, 0, "ban_co_nvh", ">=", "95", True)
    assert not again.submit()
    assert "phải sau ngày áp dụng của phiên bản 1 (01/01/2026)" in again.error_label.text()
    again.starts.setDate(QDate(2026, 7, 1))
    assert again.submit()
    kept = upper_window.gw.target_sets.all()
    assert [(s.set_id, s.version, s.owner, s.tier) for s in kept] == [
        ("tinh-2026", 1, "12", "tinh"),
        ("tinh-2026", 2, "12", "tinh"),
    ]
    assert upper_window.library.get("kl224").target_set("tinh-2026").version == 2


def test_a_set_not_yet_in_force_for_the_open_period_is_said_over_the_report(window):
    dialog = open_from_menu(window)
    fill(dialog, "sau-nay", "Kế hoạch sau này", QDate(2030, 1, 1))
    set_row(dialog, 0, "ban_co_nvh", ">=", "90", True)
    assert dialog.submit()
    window.target_box.setCurrentIndex(window.target_box.findData("sau-nay"))
    assert window.controller.session.view.evaluation.target_set is None
    assert window.message.isVisible()
    assert window.message.text().startswith("Bộ mục tiêu “Kế hoạch sau này” áp dụng từ ngày 01/01/2030")
    window.target_box.setCurrentIndex(window.target_box.findData("muong-te-2025"))
    assert window.controller.session.view.evaluation.target_set.id == "muong-te-2025"
    assert not window.message.isVisible()
