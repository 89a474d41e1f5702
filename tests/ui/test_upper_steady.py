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
