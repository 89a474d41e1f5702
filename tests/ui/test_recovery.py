"""The window and its database's safety, with real windows and files: a damaged
database is offered the newest good backup (and never opened as if empty); the
backups the window takes at start, after edits and at close; a backup that fails
is said while the edit stays saved; another process holding the database keeps
the window out."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from testkit import (
    damage,
    damage_list,
    from_a_newer_version,
    lock_held_elsewhere,
    made_from,
    snapshot,
    zero_an_audit_page,
)

from models.backups import backup_database, backup_folder, list_backups
from models.errors import DatabaseError
from models.gateway import Gateway
from models.lock import DatabaseLock
from models.report_records import Edit
from ui.app import open_window, show_window
from ui.db_hold import DatabaseHold

ROOT = Path(__file__).resolve().parent.parent.parent
REPORT_KEY = ("03445", "kl224", "2025")
VILLAGE = "03445.01"


class Answers:
    """Answers each message box as it comes up (its exec() would block the test):
    clicks the button named next in ``buttons`` (None: the box's only button); any
    other dialog is noted by its class name and closed."""

    def __init__(self, *buttons: str | None):
        self.buttons = list(buttons)
        self.texts: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.answer)
        self.timer.start()

    def answer(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QDialog) and not isinstance(box, QMessageBox) and box.isVisible():
            self.texts.append(f"<{type(box).__name__}>")  # a dialog no test here expects (the setup): closed, so
            box.reject()  # the test fails on what it finds instead of waiting for ever
            return
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        self.texts.append(box.text())
        wanted = self.buttons.pop(0) if self.buttons else None
        buttons = [b for b in box.buttons() if wanted is None or b.text() == wanted]
        assert buttons, f"no button “{wanted}” in {[b.text() for b in box.buttons()]}"
        buttons[0].click()

    def stop(self) -> None:
        self.timer.stop()


def stored(path: Path, indicator: str = "so_ho", village: str = VILLAGE):
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT value FROM cell_values JOIN reports ON reports.id = report_id WHERE cell_values.unit_code = ? "
            "AND indicator = ? AND reports.unit_code = ? AND form_id = ? AND period_code = ?",
            [village, indicator, *REPORT_KEY],
        ).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def set_in_file(path: Path, value: int) -> None:
    gw = Gateway.open(path)
    gw.set_values(gw.find_report(*REPORT_KEY), [Edit("so_ho", VILLAGE, value)], who="thu")
    gw.close()


def type_value(window, value: str, row: int = 0) -> str:
    """Set the Số hộ cell of the grid's ``row`` as the delegate does; the village code."""
    model = window.grid.model()
    index = model.index(row, [i.id for i in model.indicators].index("so_ho") + 1)
    assert model.setData(index, value)
    return model.cell(index)[1]


def backup_files(db_path: Path) -> set[Path]:
    return {b.path for b in list_backups(db_path)}


# ---- a damaged database ----------------------------------------------------------------------


@pytest.fixture
def backed_up(demo_path) -> Path:
    """The demo's database with one good backup of it, taken now."""
    gw = Gateway.open(demo_path)
    backup_database(gw.db.conn, demo_path)
    gw.close()
    return demo_path


def test_a_damaged_database_is_replaced_by_the_newest_good_backup_when_the_officer_agrees(qtbot, demo_path, tmp_path):
    """The officer is asked, agrees, is told where the damaged file is kept; the window shows the backup's values."""
    set_in_file(demo_path, 4321)
    gw = Gateway.open(demo_path)
    backup_database(gw.db.conn, demo_path, now=dt.datetime.now() - dt.timedelta(hours=1))
    gw.close()
    damaged = damage(demo_path)

    answers = Answers("Khôi phục bản sao lưu", None)
    try:
        window = open_window(demo_path)
    finally:
        answers.stop()
    qtbot.addWidget(window)

    assert len(answers.texts) == 2, answers.texts
    assert "bị hỏng" in answers.texts[0] and "Khôi phục bản đó?" in answers.texts[0]
    assert "Đã khôi phục bản sao lưu lúc" in answers.texts[1]
    kept = list(tmp_path.glob("demo-truoc-khoi-phuc-*.db"))
    assert len(kept) == 1 and str(kept[0]) in answers.texts[1]
    assert kept[0].read_bytes() == damaged
    assert window.current_unit() == "03445"
    assert window.controller.session.value("so_ho", VILLAGE) == 4321
    window.close()
    assert stored(demo_path) == 4321


def test_not_opening_a_damaged_database_leaves_it_as_it_was(qtbot, demo_path, backed_up, tmp_path):
    """“Không mở”: a Vietnamese refusal, the damaged file untouched, no new database."""
    damage(demo_path)
    before = snapshot(tmp_path)

    answers = Answers("Không mở")
    try:
        with pytest.raises(DatabaseError, match="Chưa mở") as caught:
            open_window(demo_path)
    finally:
        answers.stop()

    assert len(answers.texts) == 1
    assert "tệp hỏng được giữ nguyên" in str(caught.value)
    assert snapshot(tmp_path) == before  # not replaced, not emptied, the lock let go


@pytest.mark.parametrize("backups", ["none", "only a damaged one"])
@pytest.mark.parametrize("harm", ["garbled", "truncated"])
def test_a_damaged_database_with_no_good_backup_is_refused_never_opened_empty(
    qtbot, demo_path, tmp_path, backups, harm
):
    """No good backup: refused with a message, nothing offered, nothing created."""
    if backups == "only a damaged one":
        gw = Gateway.open(demo_path)
        damage_list(backup_database(gw.db.conn, demo_path))
        gw.close()
    if harm == "garbled":
        damage(demo_path)
    else:
        demo_path.write_bytes(demo_path.read_bytes()[: 40 * 4096])
    before = snapshot(tmp_path)

    answers = Answers()
    try:
        with pytest.raises(DatabaseError, match="không có bản sao lưu tốt nào") as caught:
            open_window(demo_path)
    finally:
        answers.stop()

    assert answers.texts == []  # nothing offered
    assert "Tệp được giữ nguyên" in str(caught.value)
    assert snapshot(tmp_path) == before


def test_a_database_cut_to_0_bytes_is_offered_the_newest_good_backup_not_set_up_afresh(
    qtbot, demo_path, backed_up, tmp_path
):
    """SQLite would open an empty file as a new database (and the window would ask to set up a commune):
    it takes the damaged path instead, and the backup's values come back."""
    demo_path.write_bytes(b"")

    answers = Answers("Khôi phục bản sao lưu", None)
    try:
        window = open_window(demo_path)
    finally:
        answers.stop()
    qtbot.addWidget(window)

    assert len(answers.texts) == 2, answers.texts
    assert "Khôi phục bản đó?" in answers.texts[0] and "Đã khôi phục bản sao lưu lúc" in answers.texts[1]
    (kept,) = tmp_path.glob("demo-truoc-khoi-phuc-*.db")
    assert kept.read_bytes() == b""
    assert window.current_unit() == "03445"
    window.close()
    assert stored(demo_path) == stored(made_from(next(iter(backup_files(demo_path)))))


def test_a_database_of_0_bytes_with_no_backup_is_refused_with_what_to_do(qtbot, tmp_path):
    """No backup to offer: refused, saying the file is empty and what to do; nothing created or changed."""
    empty = tmp_path / "so-chi-tieu.db"
    empty.write_bytes(b"")
    before = snapshot(tmp_path)

    answers = Answers()
    try:
        with pytest.raises(DatabaseError, match=r"trống \(0 byte\) và không có bản sao lưu") as caught:
            open_window(empty)
    finally:
        answers.stop()

    assert answers.texts == []  # no setup dialog, no restore offered
    assert "hãy xóa tệp trống đó rồi mở lại" in str(caught.value)
    assert snapshot(tmp_path) == before


def test_a_database_of_a_newer_version_is_refused_not_taken_for_damaged(qtbot, demo_path, backed_up, tmp_path):
    """A newer version's file is refused as such, never offered a restore over it."""
    from_a_newer_version(demo_path)
    before = snapshot(tmp_path)
    answers = Answers()
    try:
        with pytest.raises(DatabaseError, match="phiên bản mới hơn"):
            open_window(demo_path)
    finally:
        answers.stop()
    assert answers.texts == []
    assert snapshot(tmp_path) == before


# ---- the backups the window takes ---------------------------------------------------------


def test_the_window_backs_up_after_it_is_shown_after_an_edit_and_at_close(qtbot, demo_path):
    """A backup once the window is shown; none when nothing changed; one holding the edit; a last one at close."""
    window = open_window(demo_path)
    qtbot.addWidget(window)
    hold = window.database_hold
    window.show()
    assert backup_files(demo_path) == set() and not hold.backing_up, "nothing heavy before the window shows"
    with qtbot.waitSignal(hold.backup_done, timeout=10_000):
        pass
    at_start = backup_files(demo_path)
    assert len(at_start) == 1 and hold.backups_taken == 1
    assert stored(made_from(next(iter(at_start)))) == stored(demo_path)

    hold.backup_if_changed()
    assert backup_files(demo_path) == at_start, "nothing changed, no new backup"

    village = type_value(window, "4321")
    assert village == VILLAGE and stored(demo_path) == 4321
    hold.backup_if_changed()
    after_edit = backup_files(demo_path) - at_start
    assert len(after_edit) == 1
    assert stored(made_from(next(iter(after_edit)))) == 4321

    type_value(window, "4322")
    window.close()
    at_close = backup_files(demo_path) - at_start - after_edit
    assert len(at_close) == 1
    assert stored(made_from(next(iter(at_close)))) == 4322
    assert not Path(f"{demo_path}.lock").exists()


def test_closing_a_window_without_an_edit_takes_no_new_backup(qtbot, demo_path):
    """Looking around without editing adds no backup at close."""
    window = open_window(demo_path)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.database_hold.backup_done, timeout=10_000):
        pass
    at_start = backup_files(demo_path)
    window.select_unit("03637")  # looking around is not editing
    window.close()
    assert backup_files(demo_path) == at_start and len(at_start) == 1


@pytest.mark.slow
def test_the_timer_backs_up_after_editing_and_not_while_idle(qtbot, demo_path):
    """The periodic backup runs after an edit and not while nothing changes; release lets the lock go."""
    gw = Gateway.open(demo_path)
    hold = DatabaseHold(gw, DatabaseLock.take(demo_path), minutes=0.002)  # every 120 ms
    try:
        original = stored(demo_path)
        hold.start()
        qtbot.waitUntil(lambda: hold.backups_taken == 1, timeout=5000)
        gw.set_values(gw.find_report(*REPORT_KEY), [Edit("so_ho", VILLAGE, 5555)], who="thu")
        qtbot.waitUntil(lambda: hold.backups_taken == 2, timeout=5000)
        assert sorted(stored(made_from(b.path)) for b in list_backups(demo_path)) == sorted([original, 5555])
        qtbot.wait(600)  # five intervals with nothing changed
        assert hold.backups_taken == 2 and len(list_backups(demo_path)) == 2
    finally:
        hold.release()
    assert hold.backups_taken == 2, "nothing changed since the last backup: none at release"
    assert not Path(f"{demo_path}.lock").exists()
    DatabaseLock.take(demo_path).release()  # released: it can be taken again


def test_a_failing_backup_is_said_in_the_window_and_the_edit_is_still_saved(qtbot, demo_path):
    """The backup folder's name is taken by a file, so no backup can be written."""
    blocker = backup_folder(demo_path)
    blocker.write_bytes(b"ghi chu cua can bo")
    window = open_window(demo_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.message.isVisible() and bool(window.message.text()), timeout=10_000)  # said

    type_value(window, "4321")
    window.database_hold.backup_if_changed()
    assert window.message.isVisible() and window.message.text()
    assert stored(demo_path) == 4321
    assert window.database_hold.backups_taken == 0
    window.close()
    assert stored(demo_path) == 4321
    assert blocker.read_bytes() == b"ghi chu cua can bo"
    assert not Path(f"{demo_path}.lock").exists()


def test_the_message_of_a_failing_backup_is_vietnamese(qtbot, demo_path):
    """The failed-backup message shown in the window is a Vietnamese sentence."""
    backup_folder(demo_path).write_bytes(b"ghi chu cua can bo")
    window = open_window(demo_path)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: bool(window.message.text()), timeout=10_000)
        text = window.message.text()
        assert "Không sao lưu được" in text and "dữ liệu vẫn nguyên" in text, text
        assert "Errno" not in text and "Not a directory" not in text, text
    finally:
        window.close()


# ---- another process holding the database --------------------------------------------------


def test_a_window_is_refused_while_another_process_holds_the_database(qtbot, demo_path, tmp_path):
    """Another process's lock keeps the window out, files unchanged; after that process dies, the window opens."""
    with lock_held_elsewhere(demo_path) as holder:
        before = snapshot(tmp_path)
        with pytest.raises(DatabaseError, match="đang được mở"):
            open_window(demo_path)
        assert snapshot(tmp_path) == before  # no backup, no change
        os.kill(holder.pid, signal.SIGKILL)  # that window crashes: its lock file stays
        holder.wait(timeout=10)
    assert Path(f"{demo_path}.lock").exists()
    window = open_window(demo_path)  # a stale lock is taken over
    qtbot.addWidget(window)
    assert window.current_unit() == "03445"
    window.close()
    assert not Path(f"{demo_path}.lock").exists()


def test_a_database_on_a_read_only_medium_is_refused_as_read_only_by_the_window(qtbot, demo_path):
    """A write-protected folder is said to be read-only, not “open in another window”."""
    folder = demo_path.parent
    if subprocess.run(["chattr", "+i", str(demo_path), str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        before = demo_path.read_bytes()
        with pytest.raises(DatabaseError) as caught:
            open_window(demo_path)
        assert demo_path.read_bytes() == before
    finally:
        subprocess.run(["chattr", "-i", str(demo_path), str(folder)], check=True)
    assert "chỉ cho phép đọc" in str(caught.value), str(caught.value)


# ---- the quick check left for after the window is drawn (a start) ------------------------------------


def test_at_a_start_the_quick_check_runs_after_the_window_is_drawn_and_then_writes_go_on(qtbot, demo_path):
    window = open_window(demo_path, check_later=True)
    qtbot.addWidget(window)
    check = window.gw.later_check
    assert check is not None and not check.done.is_set(), "the file is not read whole before the window shows"
    with qtbot.waitSignal(window.database_hold.checked, timeout=10_000):
        window.show()
    assert check.passed and not window.database_hold.refused
    village = type_value(window, "31")
    assert stored(demo_path, village=village) == 31
    window.close()


def test_a_write_asked_for_before_the_later_check_waits_for_it(qtbot, demo_path):
    window = open_window(demo_path, check_later=True)
    qtbot.addWidget(window)
    check = window.gw.later_check
    village = type_value(window, "32")  # before the window is even shown
    assert check.passed and stored(demo_path, village=village) == 32
    window.close()


def test_a_file_the_later_check_refuses_is_let_go_unwritten_and_its_backup_offered(qtbot, backed_up, tmp_path):
    damaged = zero_an_audit_page(backed_up)
    answers = Answers("Khôi phục bản sao lưu", None)
    windows = []
    try:
        assert show_window(backed_up, windows, check_later=True) is None
        first = windows[0]
        qtbot.addWidget(first)
        assert first.isVisible() and first.gw.later_check is not None, "the window showed before the check"
        qtbot.waitUntil(lambda: len(windows) == 2, timeout=10_000)
    finally:
        answers.stop()
    second = windows[1]
    qtbot.addWidget(second)
    assert first.database_hold.refused and first.database_hold.released and not first.isVisible()
    assert "bị hỏng" in answers.texts[0] and "Đã khôi phục" in answers.texts[1]
    assert second.isVisible() and second.gw.later_check is None and second.grid.model().rowCount() > 0
    (kept,) = tmp_path.glob("demo-truoc-khoi-phuc-*.db")
    assert str(kept) in answers.texts[1] and kept.read_bytes() == damaged, "nothing was written to the damaged file"
    second.close()
