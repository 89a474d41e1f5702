"""The merged table names the units whose packet is in but not summed, and
why (MergedTable.left_out_sentence), in a place of fixed height over the
grid: the grid does not move when the sentence comes or goes."""

from __future__ import annotations

from testkit import put

WAIT = 20_000


def imported(qtbot, window, *paths):
    with qtbot.waitSignal(window.import_finished, timeout=WAIT):
        assert window.import_paths(paths) is not None
    window.choose("kl224", "2024")  # the window opens on the newest period


def test_the_merged_table_names_the_units_left_out_without_moving_the_grid(qtbot, upper_window, packets, tmp_path):
    imported(qtbot, upper_window, *put(packets, tmp_path, "tp24"))
    merged = upper_window.merged_view
    upper_window.tabs.setCurrentWidget(merged)
    qtbot.waitExposed(merged)
    grid_top = merged.view.geometry().top()
    assert merged.left_out.full_text == "" and merged.left_out.isVisible()
    imported(qtbot, upper_window, *put(packets, tmp_path, "mt24-1", "mt24-1-other"))
    sentence = "Chưa cộng 1 đơn vị đã gửi gói: Xã Mường Tè (trùng lần gửi, khác nội dung)."
    assert merged.left_out.full_text == sentence and merged.left_out.text() == sentence
    assert merged.view.geometry().top() == grid_top
    row = merged.row_of("03445")
    assert merged.model.index(row, 1).data() == "chưa nhận: trùng lần gửi, khác nội dung"


def test_a_left_out_sentence_too_long_for_two_lines_ends_in_an_ellipsis(qtbot, upper_window):
    label = upper_window.merged_view.left_out
    label.resize(300, label.height())
    long = "Chưa cộng 30 đơn vị đã gửi gói: " + ", ".join(f"Xã Số {n} (số liệu có lỗi, chưa cộng)" for n in range(30))
    label.set_full_text(long)
    assert label.text().count("\n") == 1 and label.text().endswith("…")
    assert label.toolTip() == long and label.full_text == long
