"""The upper level's window holds still: the inbox's buttons stay where they
are whichever packet is chosen, the import's result dialog is as tall as
what it lists, the first-run pane says what to do, and nothing in the bar or
the tables is cut off. Driven through the real window over the province demo."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
from testkit import put
from upper_packets import MANY

from ui.upper.import_worker import RESULT_ROWS

WAIT = 20_000


def import_named(qtbot, window, packets, folder, *names, keep_results: bool = False):
    with qtbot.waitSignal(window.import_finished, timeout=WAIT) as blocker:
        assert window.import_paths(put(packets, folder, *names)) is not None
    if window.results_dialog is not None and not keep_results:
        window.results_dialog.close()
    return blocker.args[0]


def places(window, buttons) -> list[tuple[int, int, int, int]]:
    QApplication.processEvents()
    shown = []
    for button in buttons:
        corner = button.mapTo(window, QPoint(0, 0))
        shown.append((corner.x(), corner.y(), button.width(), button.height()))
    return shown


def test_the_inbox_buttons_stay_put_whichever_packet_is_chosen(qtbot, upper_window, packets, tmp_path):
    import_named(qtbot, upper_window, packets, tmp_path, "tp24", "bl24")
    view = upper_window.inbox_view
    buttons = [button for button, _action, _applies in view._packet_actions]
    assert view.selected_packet() is None
    assert all(b.isVisible() and not b.isEnabled() for b in buttons)  # laid out, not usable: nothing chosen
    before = places(upper_window, buttons)
    by_status = {p.status: p.id for p in view.rows()}
    assert view.select_packet(by_status["quarantined"])  # the longest description, the key code large
    held = places(upper_window, buttons)
    assert view.fingerprint.isVisible() and view.void_button.isEnabled()
    assert view.select_packet(by_status["accepted"])
    accepted = places(upper_window, buttons)
    assert view.answer_button.isEnabled() and view.print_button.isEnabled()
    assert not view.conflict_button.isEnabled()
    view.table.clearSelection()
    after = places(upper_window, buttons)
    assert before == held == accepted == after


def results_of(qtbot, window, packets, folder, *names):
    import_named(qtbot, window, packets, folder, *names, keep_results=True)
    dialog = window.results_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    return dialog


def test_one_result_is_one_line_in_a_short_dialog(qtbot, upper_window, packets, tmp_path):
    dialog = results_of(qtbot, upper_window, packets, tmp_path, "tp24")
    table = dialog.table
    assert table.rowCount() == 1
    one_line = table.fontMetrics().height() + 10
    assert table.rowHeight(0) == one_line  # not stretched to the table's height
    assert table.verticalScrollBar().maximum() == 0
    # The table leaves no more than a line of room under its row (for a scroll bar if a name is long).
    spare = table.viewport().height() - table.rowHeight(0)
    assert spare <= table.horizontalScrollBar().sizeHint().height() + 2
    assert dialog.height() < 9 * one_line
    assert dialog.table.item(0, 3).toolTip() == dialog.table.item(0, 3).text()  # the whole detail, on hovering


def test_many_results_scroll_in_a_dialog_of_limited_height(qtbot, upper_window, packets, tmp_path):
    small = results_of(qtbot, upper_window, packets, tmp_path / "mot", "tp24").height()
    names = [f"many-{n:02d}" for n in range(MANY)]
    dialog = results_of(qtbot, upper_window, packets, tmp_path / "nhieu", *names)
    table = dialog.table
    assert table.rowCount() == MANY > RESULT_ROWS
    one_line = table.fontMetrics().height() + 10
    assert {table.rowHeight(r) for r in range(MANY)} == {one_line}
    assert small < dialog.height() < small + RESULT_ROWS * one_line
    assert table.verticalScrollBar().maximum() > 0  # the rest scrolls
    shown = table.viewport().height() // one_line
    assert RESULT_ROWS <= shown <= RESULT_ROWS + 1


def test_the_empty_inbox_says_what_to_do_first(qtbot, upper_window, packets, tmp_path):
    view = upper_window.inbox_view
    pane = view.start_pane
    assert pane.isVisible() and not view.table.isVisible() and not view.panel.isVisible()
    assert pane.heading.text() == "Hộp thư chưa có gói nào. Để bắt đầu nhận báo cáo:"
    assert pane.collecting.text() == "Đang thu: kl224 năm 2024 (hạn 15/01/2025); kl224 năm 2025 (hạn 15/01/2026)."
    assert [pane.buttons[n].defaultAction() for n in ("collection", "import", "enrol")] == [
        upper_window.collection_action,
        upper_window.import_files_action,
        upper_window.enrol_action,
    ]
    assert all(b.isVisible() and b.isEnabled() for b in pane.buttons.values())
    assert ".sctg" in pane.lines["import"].text() and ".sctk" in pane.lines["enrol"].text()
    # Compact, at the top: the steps take a few lines, each of them whole (not squeezed into its button's height).
    last = pane.lines["enrol"]
    assert last.mapTo(view, QPoint(0, last.height())).y() < view.height() // 2
    for line in pane.lines.values():
        assert line.height() >= line.heightForWidth(line.width())
    pane.buttons["collection"].click()
    dialogs = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.windowTitle() and w is not upper_window]
    assert any("kỳ" in w.windowTitle().lower() for w in dialogs)
    for w in dialogs:
        w.close()
    import_named(qtbot, upper_window, packets, tmp_path, "tp24")
    assert not pane.isVisible() and view.table.isVisible() and view.panel.isVisible()
