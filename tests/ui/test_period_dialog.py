"""“Kỳ mới...”: the period of a new report chosen from lists in the commune's
window, driven offscreen over a copy of the commune demo (kl224 by year,
half-year or phase; da241 by year or phase)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from models.gateway import Gateway
from ui.commune.period_dialog import PeriodDialog


def kinds_listed(dialog) -> list[str]:
    return [dialog.kind_box.itemText(i) for i in range(dialog.kind_box.count())]


def choose(dialog, words: str, year: int, last: int | None = None) -> None:
    dialog.kind_box.setCurrentIndex(kinds_listed(dialog).index(words))
    dialog.year_box.setValue(year)
    if last is not None:
        dialog.last_box.setValue(last)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def reported(path) -> list[str]:
    gw = Gateway.open(path)
    try:
        return sorted(r.period_code for r in gw.reports("03445") if r.form_id == "kl224")
    finally:
        gw.close()


def test_the_button_opens_a_dialog_of_the_kinds_the_form_allows(window, qtbot):
    click(qtbot, window.new_period_button)
    dialogs = window.findChildren(PeriodDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialog = dialogs[0]
    assert dialog.windowTitle() == "Kỳ báo cáo mới"
    # kl224: period_kinds = ["nam", "6thang", "giaidoan"]; no quarters
    assert kinds_listed(dialog) == ["Năm", "6 tháng đầu năm", "6 tháng cuối năm", "Giai đoạn nhiều năm"]
    assert dialog.ok_button.text() == "Tạo kỳ" and dialog.cancel_button.text() == "Hủy"
    assert dialog.buttons.buttonRole(dialog.ok_button) == QDialogButtonBox.ButtonRole.AcceptRole
    assert dialog.year_label.text() == "Năm:" and not dialog.last_box.isVisible()


def test_the_code_is_shown_small_under_the_choice(window, qtbot, tmp_path):
    dialog = window.ask_new_period()
    choose(dialog, "6 tháng đầu năm", 2026)
    assert dialog.code_label.text() == "mã kỳ: 2026-H1"
    assert not dialog.error_label.isVisible()
    choose(dialog, "Giai đoạn nhiều năm", 2026, 2030)
    assert dialog.year_label.text() == "Từ năm:" and dialog.last_box.isVisible()
    assert dialog.code_label.text() == "mã kỳ: 2026-2030"
    dialog.adjustSize()
    dialog.grab().save(str(tmp_path / "period-dialog.png"))


def test_choosing_a_half_year_creates_and_opens_it(window, qtbot, demo_path):
    dialog = window.ask_new_period()
    choose(dialog, "6 tháng cuối năm", 2026)
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert "2026-H2" in reported(demo_path)
    assert window.period_box.currentData() == "2026-H2"
    assert window.period_box.currentText() == "6 tháng cuối năm 2026"
    assert window.controller is not None and window.controller.session.report.period_code == "2026-H2"


def test_a_period_already_reported_is_refused_and_the_dialog_stays(window, qtbot, demo_path, tmp_path):
    before = reported(demo_path)
    assert "2025" in before
    dialog = window.ask_new_period()
    choose(dialog, "Năm", 2025)
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "Đã có báo cáo năm 2025; chọn kỳ khác, hoặc mở kỳ đó trong danh sách Kỳ."
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and reported(demo_path) == before
    dialog.adjustSize()
    dialog.grab().save(str(tmp_path / "period-dialog-refused.png"))
    choose(dialog, "Năm", 2026)
    assert not dialog.error_label.isVisible()
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible() and reported(demo_path) == sorted([*before, "2026"])


def test_a_phase_ending_before_it_starts_cannot_be_created(window, qtbot, demo_path):
    dialog = window.ask_new_period()
    choose(dialog, "Giai đoạn nhiều năm", 2026, 2030)
    dialog.last_box.setValue(2024)
    assert dialog.error_label.text() == "Năm cuối của giai đoạn phải sau năm đầu."
    assert not dialog.ok_button.isEnabled() and dialog.code_label.text() == ""
    assert not dialog.try_accept() and dialog.isVisible()


def test_cancel_creates_nothing(window, qtbot, demo_path):
    before = reported(demo_path)
    dialog = window.ask_new_period()
    choose(dialog, "Năm", 2027)
    click(qtbot, dialog.cancel_button)
    assert not dialog.isVisible() and reported(demo_path) == before


def test_it_opens_on_a_year_not_yet_reported(qtbot):
    this_year = dt.date.today().year
    dialog = PeriodDialog(["nam", "quy"], [str(this_year), str(this_year + 1)], this_year)
    qtbot.addWidget(dialog)
    assert dialog.code() == str(this_year + 2) and dialog.error_label.isHidden()
    assert kinds_listed(dialog) == ["Năm", "Quý I", "Quý II", "Quý III", "Quý IV"]
    choose(dialog, "Quý III", 2025)
    assert dialog.code_label.text() == "mã kỳ: 2025-Q3"
    assert dialog.period().label == "Quý III/2025"


def test_the_year_boxes_do_not_print_thousands(qtbot):
    dialog = PeriodDialog(["nam"], [], 2025)
    qtbot.addWidget(dialog)
    assert dialog.year_box.text() == "2025"
