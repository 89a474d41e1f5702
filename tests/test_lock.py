"""The database's one lock (models/lock.py), without Qt: one holder at a
time, a file left by a crash taken over, the file gone once let go, and a
folder that cannot hold it said as such."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from testkit import ROOT, lock_held_elsewhere

from models.errors import DatabaseError
from models.lock import DatabaseLock


def test_one_holder_at_a_time_then_the_next(tmp_path):
    database = tmp_path / "so.db"
    first = DatabaseLock.take(database)
    assert first.held and (tmp_path / "so.db.lock").exists()
    with pytest.raises(DatabaseError, match="đang được mở trong một cửa sổ Sổ Chỉ Tiêu khác"):
        DatabaseLock.take(database, wait=0.05)  # a second window in this same process
    first.release()
    assert not first.held and not (tmp_path / "so.db.lock").exists()
    first.release()  # once is enough; twice does no harm
    with DatabaseLock.take(database) as second:
        assert second.held
    assert not (tmp_path / "so.db.lock").exists()


def test_a_lock_file_left_by_a_crash_is_taken_over(tmp_path):
    database = tmp_path / "so.db"
    (tmp_path / "so.db.lock").write_text("4242\nmay-khac\nSổ Chỉ Tiêu\n")  # its process is gone
    lock = DatabaseLock.take(database)
    assert (tmp_path / "so.db.lock").read_text().split("\n")[0] == str(os.getpid())
    lock.release()


def test_a_lock_held_by_another_process_refuses_and_names_no_machine_of_ours(tmp_path):
    database = tmp_path / "so.db"
    database.write_bytes(b"")
    with lock_held_elsewhere(database):
        with pytest.raises(DatabaseError) as refused:
            DatabaseLock.take(database)
    assert "đang được mở" in str(refused.value) and "trên máy" not in str(refused.value)
    DatabaseLock.take(database).release()  # its process ended: free again


def test_a_folder_that_is_not_there_is_said_as_such(tmp_path):
    with pytest.raises(DatabaseError, match="không tồn tại"):
        DatabaseLock.take(tmp_path / "chua-co" / "so.db")
    assert not (tmp_path / "chua-co").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder_is_said_as_such(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(DatabaseError, match="chỉ cho phép đọc"):
            DatabaseLock.take(folder / "so.db")
    finally:
        folder.chmod(0o755)


def test_the_command_line_and_the_window_share_the_lock_module():
    """One protocol: the window's hold and `backup restore` both take models.lock, and Qt is not needed for it."""
    code = "import sys; import models.lock, cli.backup; print('PySide6' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    assert (
        "DatabaseLock" in (ROOT / "ui" / "app.py").read_text()
        and "DatabaseLock" in (ROOT / "cli" / "backup.py").read_text()
    )
