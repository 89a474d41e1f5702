"""The grid does not move when a line appears above it: a refusal, a note, the upper level's answer all go to a
band of fixed height, so the officer's next click lands where he aimed (issue 18)."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from models.keys import DEMO_PASSPHRASE


def grid_top(window) -> int:
    return window.pages.mapTo(window, QPoint(0, 0)).y()


def test_a_refusal_and_an_answer_leave_the_grid_where_it_was(qtbot, window, tmp_path):
    top = grid_top(window)
    window.show_message("Giá trị “abc” không phải là số: chỉ nhận số nguyên, ví dụ 1.234.")
    qtbot.waitUntil(lambda: window.message.isVisible())
    assert grid_top(window) == top
    window.show_message("Dòng một.\nDòng hai.\nDòng ba.\nDòng bốn: một thông báo dài hơn chỗ dành cho nó.")
    assert grid_top(window) == top  # a long one scrolls inside the band
    window.show_message("")
    assert grid_top(window) == top

    window.period_box.setCurrentIndex(window.period_box.findData("2024"))  # 2024 has no error: it can be signed
    top = grid_top(window)
    sign = window.open_sign_dialog()
    sign.path_edit.setText(str(tmp_path / "goi.sctg"))
    sign.passphrase_edit.setText(DEMO_PASSPHRASE)
    with qtbot.waitSignal(sign.exported, timeout=10_000):
        assert sign.sign()
    qtbot.waitUntil(lambda: window.answer.isVisible())  # “Đã xuất gói …” beside the report
    assert grid_top(window) == top


def test_the_title_names_the_file_and_leaves_the_program_s_name_to_qt(window, demo_path):
    assert window.windowTitle() == str(demo_path)  # Qt adds “ — Sổ Chỉ Tiêu” (the display name) once
    assert "Sổ Chỉ Tiêu" not in window.windowTitle()


def test_the_period_and_target_set_chosen_are_there_again_at_the_next_opening(open_shown, demo_path):
    first = open_shown(demo_path)
    first.period_box.setCurrentIndex(first.period_box.findData("2024"))
    first.target_box.setCurrentIndex(first.target_box.findData("muong-te-2025"))
    assert first.controller.session.report.period_code == "2024"
    first.close()
    again = open_shown(demo_path)
    assert again.period_box.currentData() == "2024" and again.controller.session.report.period_code == "2024"
    assert again.target_box.currentData() == "muong-te-2025"
    assert again.controller.session.view.evaluation.target_set.id == "muong-te-2025"
