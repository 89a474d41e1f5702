"""``main.py --selftest``, as an installer runs it on a fresh PC: headless,
in a temporary folder, every step named, exit 0 (the frozen bundle runs the
same in tests/test_bundle.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from testkit import run_main

STEPS = ["Mở cơ sở dữ liệu", "Tạo dữ liệu mẫu", "Kiểm tra báo cáo", "Ký, xuất và kiểm tra gói", "Sao lưu", "In PDF"]


@pytest.mark.slow
def test_selftest_passes_every_step_and_leaves_nothing_behind(tmp_path):
    before = set(Path(tempfile.gettempdir()).glob("so-chi-tieu-tu-kiem-*"))
    done = run_main("--selftest", drop=("DISPLAY", "QT_QPA_PLATFORM"), TMPDIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.removeprefix("đạt  ").split(":")[0] for line in lines[:-1]] == STEPS
    assert "ký và kiểm tra hợp lệ" in lines[3]
    assert "3 trang" in lines[5]
    assert lines[-1].startswith("Tự kiểm tra đạt, 6 bước trong ")
    assert list(tmp_path.iterdir()) == []  # its temporary folder is gone
    assert set(Path(tempfile.gettempdir()).glob("so-chi-tieu-tu-kiem-*")) == before
    assert done.stderr == ""


def test_selftest_is_in_the_help_in_vietnamese():
    done = run_main("--help")
    assert "--selftest" in done.stdout and "tự kiểm tra" in done.stdout
