"""Nothing heavy before the upper level's window shows: the merged table and the
completeness matrix are built when their tab is first shown, and the first
backup is taken after the window is shown, on its own thread, the window
usable meanwhile. Real windows over a copy of the province demo, real packets."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import closing

from PySide6.QtWidgets import QWidget
from testkit import ROOT, put

from exports.collect.inbox import import_packets
from models.backups import check_backup, list_backups
from models.gateway import Gateway
from ui.app import open_window
from ui.widgets import AfterFirstPaint

WAIT = 20_000  # ms


def test_the_heavy_tabs_are_built_when_first_shown(qtbot, upper_window, packets, tmp_path):
    window = upper_window
    assert window.tabs.currentWidget() is window.inbox_view
    assert not window.merged_view.built and not window.completeness_view.built, "nothing merged at start"
    assert window.merged_view.model.rowCount() == 0 and window.completeness_view.model.rowCount() == 0

    window.tabs.setCurrentWidget(window.completeness_view)
    assert window.completeness_view.built and window.completeness_view.model.rowCount() == 38
    assert not window.merged_view.built

    window.tabs.setCurrentWidget(window.merged_view)
    assert window.merged_view.built and window.merged_view.table is not None
    assert window.merged_view.table.received == []

    # An import while another tab is shown leaves the hidden tabs for later; shown, they hold its packets.
    window.tabs.setCurrentWidget(window.inbox_view)
    with qtbot.waitSignal(window.import_finished, timeout=WAIT):
        assert window.import_paths(put(packets, tmp_path, "mt24-2", "tp24")) is not None
    window.choose("kl224", "2024")
    assert not window.merged_view.built and not window.completeness_view.built
    window.tabs.setCurrentWidget(window.merged_view)
    assert window.merged_view.built
    assert {u.unit.code for u in window.merged_view.table.received} == {"03445", "03408"}


def test_the_inbox_is_read_once_the_window_is_drawn_and_then_shown(qtbot, upper_path, packets, tmp_path, library):
    """Thousands of packets take tenths of a second to list: the window shows first, saying it is
    reading, and the inbox fills once it has been drawn."""
    with closing(Gateway.open(upper_path)) as gw:
        import_packets(gw, put(packets, tmp_path, "mt24-2", "tp24"), library, "Giàng Thị Dung")
    window = open_window(upper_path)
    qtbot.addWidget(window)
    window.show()
    try:
        assert not window.loaded and window.inbox_view.model.rowCount() == 0, "nothing read before it is drawn"
        assert window.tabs.tabText(0) == "Hộp thư (đang đọc...)" and not window.inbox_view.start_pane.isVisible()
        qtbot.waitUntil(lambda: window.loaded)
        assert window.inbox_view.model.rowCount() == 2 and window.tabs.tabText(0).startswith("Hộp thư")
        assert "đang đọc" not in window.tabs.tabText(0) and not window.inbox_view.start_pane.isVisible()
    finally:
        window.close()


def test_a_hidden_tab_asked_for_its_table_builds_it(upper_window):
    """Code that needs the table (signing it upward) gets it without the tab being shown."""
    assert not upper_window.merged_view.built
    table = upper_window.merged_view.table
    assert table is not None and upper_window.merged_view.built and table.form.id == "kl224"


def test_the_first_backup_comes_after_the_window_is_shown_and_on_its_own_thread(qtbot, upper_window, upper_path):
    hold = upper_window.database_hold
    assert upper_window.isVisible()
    assert list_backups(upper_path) == [] and not hold.backing_up, "no backup before the window shows"
    with qtbot.waitSignal(hold.backup_done, timeout=WAIT):
        pass
    (first,) = list_backups(upper_path)
    check_backup(first.path)
    assert hold.backups_taken == 1

    # After a change, a backup in the background returns at once: the window goes on working meanwhile.
    upper_window.open_collection("kl224", "2026-H1")
    with qtbot.waitSignal(hold.backup_done, timeout=WAIT):
        hold.backup_in_background()
        assert hold.backing_up and hold.backups_taken == 1, "the backup runs on its own thread"
        upper_window.tabs.setCurrentWidget(upper_window.completeness_view)  # the window still answers
        assert upper_window.completeness_view.summary.text().startswith("Đã nhận 0/38")
    assert hold.backups_taken == 2 and not hold.backing_up and len(list_backups(upper_path)) == 2
    hold.backup_in_background()
    assert not hold.backing_up, "nothing changed since: no backup"


def test_a_window_closed_before_its_first_backup_backs_up_only_what_changed(qtbot, upper_path):
    """Opened and closed at once, nothing changed: no backup (the file is as the last window left it);
    with a change, the backup at close holds it."""
    window = open_window(upper_path)
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert list_backups(upper_path) == []

    window = open_window(upper_path)
    qtbot.addWidget(window)
    window.show()
    assert window.open_collection("kl224", "2026-H1")
    window.close()
    (backup,) = list_backups(upper_path)
    check_backup(backup.path)


def test_the_upper_window_starts_without_the_workbook_library():
    """openpyxl (0,15 s to import) waits until a workbook is written: the window's completeness tab takes
    its words and colours from a module without it. The import's machinery (verifying, filing) waits
    for the first import, enrolment or collection."""
    wanted_later = "{'openpyxl', 'pandas', 'exports.collect.inbox'}"
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, ui.upper.window; print(sorted({wanted_later} & set(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"


def test_work_left_until_a_window_is_drawn_runs_once_after_it_or_soon_after_the_showing(qtbot):
    ran = []
    drawn = QWidget()
    qtbot.addWidget(drawn)
    AfterFirstPaint(drawn, lambda: ran.append(("drawn", time.perf_counter())))
    shown = time.perf_counter()
    drawn.show()
    assert ran == [], "not while the window shows"
    qtbot.waitUntil(lambda: len(ran) == 1)
    fallback = AfterFirstPaint.FALLBACK_MS / 1000 * 0.9  # a coarse timer may fire a little early
    assert ran[0][1] - shown < fallback, "after its first repaint, not the fallback"

    undrawn = QWidget()  # a platform that draws it without asking for a repaint: the fallback after showing
    qtbot.addWidget(undrawn)
    undrawn.setUpdatesEnabled(False)
    AfterFirstPaint(undrawn, lambda: ran.append(("fallback", time.perf_counter())))
    shown = time.perf_counter()
    undrawn.show()
    qtbot.waitUntil(lambda: len(ran) == 2, timeout=5_000)
    assert ran[1][0] == "fallback" and ran[1][1] - shown >= fallback
    qtbot.wait(AfterFirstPaint.FALLBACK_MS + 100)
    assert [name for name, _ in ran] == ["drawn", "fallback"], "each once"
