"""A window holds its database's lock for as long as it is open: `backup
restore` (another process) is refused while it does, and works once the
window is closed."""

from __future__ import annotations

import re

from testkit import run_main

from ui.app import open_window


def test_restore_is_refused_while_a_window_has_the_database_open(qtbot, demo_path, tmp_path):
    assert run_main("backup", "create", "--db", demo_path).returncode == 0
    window = open_window(demo_path)
    qtbot.addWidget(window)
    window.show()
    before = demo_path.read_bytes()

    refused = run_main("backup", "restore", "--db", demo_path, "--force")

    assert refused.returncode == 2, refused.stderr
    assert re.fullmatch(
        r"Cơ sở dữ liệu “.*demo\.db” đang được mở trong một cửa sổ Sổ Chỉ Tiêu khác; .*\n", refused.stderr
    )
    assert not list(tmp_path.glob("demo-truoc-khoi-phuc-*.db")) and demo_path.read_bytes() == before
    window.close()

    done = run_main("backup", "restore", "--db", demo_path, "--force")

    assert done.returncode == 0, done.stderr
    assert list(tmp_path.glob("demo-truoc-khoi-phuc-*.db"))
