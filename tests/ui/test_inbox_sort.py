"""The inbox sorts by what each column means, in the model (one key a packet, not a Python call at
every comparison): newest first at start, statuses by urgency, and the order kept on refresh and
under a status filter. A real window over the province demo, real packets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from testkit import put

from ui.upper.inbox_model import RECEIVED, SEQUENCE, STATUS
from ui.upper.status_look import STATUS_ORDER

WAIT = 20_000


def imported(qtbot, window, paths):
    with qtbot.waitSignal(window.import_finished, timeout=WAIT):
        assert window.import_paths(paths) is not None


def test_the_inbox_sorts_in_its_model_and_keeps_the_order(qtbot, upper_window, packets, tmp_path):
    imported(qtbot, upper_window, put(packets, tmp_path, "mt24-1", "mt24-2", "tp24", "bl24"))
    view = upper_window.inbox_view
    newest_first = [p.id for p in view.rows()]
    assert newest_first == sorted(newest_first, reverse=True)  # filed in one run: ids follow time

    view.table.sortByColumn(STATUS, Qt.SortOrder.AscendingOrder)
    ranks = [STATUS_ORDER.index(p.status) for p in view.rows()]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1
    view.refresh()
    assert [STATUS_ORDER.index(p.status) for p in view.rows()] == ranks

    view.table.sortByColumn(SEQUENCE, Qt.SortOrder.DescendingOrder)
    view.set_status_filter("accepted")
    shown = view.rows()
    assert shown and {p.status for p in shown} == {"accepted"}
    assert [p.sequence for p in shown] == sorted((p.sequence for p in shown), reverse=True)

    view.set_status_filter(None)
    view.table.sortByColumn(RECEIVED, Qt.SortOrder.DescendingOrder)
    assert [p.id for p in view.rows()] == newest_first
