"""``main.py --selftest``, as an installer runs it on a fresh PC: headless,
in a temporary folder, every step named, exit 0 (the frozen bundle runs the
same in tests/test_bundle.py)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from testkit import run_main

STEPS = [
    "Mở cơ sở dữ liệu",
    "Tạo dữ liệu mẫu",
    "Kiểm tra báo cáo",
    "Ký, xuất và kiểm tra gói",
    "Sao lưu",
    "In PDF",
    "Chữ tiếng Việt của Qt",
]


@pytest.mark.slow
def test_selftest_passes_every_step_and_leaves_nothing_behind(tmp_path):
    before = set(Path(tempfile.gettempdir()).glob("so-chi-tieu-tu-kiem-*"))
    done = run_main("--selftest", drop=("DISPLAY", "QT_QPA_PLATFORM"), TMPDIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.removeprefix("đạt  ").split(":")[0] for line in lines[:-1]] == STEPS
    assert "ký và kiểm tra hợp lệ" in lines[3]
    assert "3 trang" in lines[5]
    assert re.fullmatch(r"Tự kiểm tra đạt, 7 bước trong \d+,\d\d s\.", lines[-1]), lines[-1]
    assert all(re.search(r"\((\d{1,3}(\.\d{3})*) ms\)$", line) for line in lines[:-1]), lines
    assert list(tmp_path.iterdir()) == []  # its temporary folder is gone
    assert set(Path(tempfile.gettempdir()).glob("so-chi-tieu-tu-kiem-*")) == before
    assert done.stderr == ""


def test_selftest_is_in_the_help_in_vietnamese():
    done = run_main("--help")
    assert "--selftest" in done.stdout and "tự kiểm tra" in done.stdout


def test_the_times_it_prints_are_written_the_vietnamese_way():
    from cli.selftest import finished_line, step_line

    assert finished_line(6, 4.5) == "Tự kiểm tra đạt, 6 bước trong 4,50 s."
    assert finished_line(6, 1234.567) == "Tự kiểm tra đạt, 6 bước trong 1.234,57 s."
    assert step_line("Sao lưu", "bản sao lưu toàn vẹn", 1.2344) == "đạt  Sao lưu: bản sao lưu toàn vẹn (1.234 ms)"
    assert step_line("In PDF", "3 trang", 0.0421) == "đạt  In PDF: 3 trang (42 ms)"
