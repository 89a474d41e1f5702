"""One bad input stops nothing and every input is bounded (issue 15), through the
real command line: numbers too big for the database, files too deep or too long
to read, a file of another unit, a name the system refuses, fullwidth codes, an
empty file given as the database, an unknown status. Each is refused with one
Vietnamese line and exit 2, never “Lỗi không mong đợi”, and nothing is written."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest
from testkit import run_main

import main
from models.vocabulary import PacketStatus

HUGE = str(10**30)


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("SCT_DEBUG", raising=False)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(code: int, out: str, err: str) -> str:
    """Exit 2, one Vietnamese line on stderr and nothing on stdout; that line."""
    assert code == 2, (code, out, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "không mong đợi" not in err, err
    assert any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in lines[0]), lines[0]
    assert out == ""
    return lines[0]


def table_rows(db: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        conn.close()


# ---- numbers on the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["inbox", "decide", "--reason", "x"],
        ["receipt", "issue", "--out", "."],
    ],
    ids=["inbox decide", "receipt issue"],
)
@pytest.mark.parametrize("packet", [HUGE, "0", "-5", "3.0", "mười"])
def test_a_packet_number_out_of_bounds_is_a_bad_argument(capsys, upper_path, command, packet):
    line = refused(*cli(capsys, *command[:2], "--db", upper_path, "--packet", packet, *command[2:]))
    assert "--packet" in line and "số gói phải là số nguyên từ 1 đến 999.999.999" in line


def test_a_huge_packet_number_is_refused_by_the_program_as_typed(upper_path):
    result = run_main("inbox", "decide", "--db", upper_path, "--packet", HUGE, "--reason", "x")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Tham số không hợp lệ: tham số --packet: số gói"), result.stderr


def test_a_packet_number_in_fullwidth_digits_is_read_as_its_number(capsys, upper_path):
    """１ is 1: it reaches the inbox, which says packet 1 is not in conflict (not an argument error)."""
    code, out, err = cli(capsys, "inbox", "decide", "--db", upper_path, "--packet", "１", "--reason", "x")
    assert code == 2 and "Tham số" not in err and "không mong đợi" not in err, err


# ---- inbox list --status --------------------------------------------------------------------


def test_an_unknown_status_is_refused_with_the_statuses_there_are(capsys, upper_path):
    line = refused(*cli(capsys, "inbox", "list", "--db", upper_path, "--status", "nope"))
    assert "“nope”" in line
    for status in PacketStatus:
        assert f"{status.value} ({status.words})" in line


@pytest.mark.parametrize("status", [*PacketStatus, "ACCEPTED"])
def test_every_status_there_is_may_be_listed(capsys, upper_path, status):
    code, out, err = cli(capsys, "inbox", "list", "--db", upper_path, "--status", status, "--json")
    assert (code, err, out.strip()) == (0, "", "[]")
