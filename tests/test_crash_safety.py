"""An accepted edit survives the program being killed, and the file stays whole.

A power cut or a killed process must never cost an edit the grid showed as
saved, nor damage the file. Real child processes (tests/crash_child.py) edit
the demo report through the Gateway and are killed with SIGKILL; the file is
then reopened as the program opens it and compared with what they reported.
"""

from __future__ import annotations

import sqlite3
import time

import pytest
from crash_child import COMMUNE, VILLAGES, ChildLog, read_state, run_kill_rounds, start_child, verify

KILLS = 200  # the bar
WORKERS = 8  # database copies killed in parallel, each round after round
WRITER_CALLS = 1000  # calls each of two concurrent writers makes before it stops by itself
FIRST_HALF = [*VILLAGES[:9], COMMUNE]
SECOND_HALF = list(VILLAGES[9:])


@pytest.mark.slow
def test_two_hundred_kills_lose_no_committed_edit_and_leave_the_file_whole(demo_template, tmp_path):
    summary = run_kill_rounds(demo_template, tmp_path, KILLS, WORKERS)
    print(f"\n{summary.figures()}")
    assert summary.problems() == []
    assert summary.kills == KILLS
    assert summary.integrity_failures == 0
    assert summary.lost_edits == 0, f"{summary.lost_edits} edits lost of {summary.reported_edits} reported"
    # not vacuous: most kills hit the edit stream, some hit start-up, some cut a call short
    assert summary.rounds_with_commits >= KILLS // 4
    assert summary.killed_in_start_up >= 1
    assert summary.in_flight[0] >= 1


def run_to_the_end(path, seed: int, calls: int = 60) -> ChildLog:
    child = start_child(path, seed, calls=calls)
    assert child.process.wait(timeout=60) == 0, child.stderr()
    assert child.stderr() == ""
    return child.log()


def test_the_check_notices_a_lost_value_and_a_missing_audit_row(demo_path):
    """The kill test would pass on a broken program if ``verify`` saw nothing."""
    _, before = read_state(demo_path)
    log = run_to_the_end(demo_path, seed=5)
    assert verify(demo_path, [log], before).lost == []
    last_written = {}
    for payload in log.committed:
        last_written.update({(ind, unit): new for ind, unit, _old, new in payload.get("changes", [])})
    indicator, unit = next(cell for cell, value in last_written.items() if value is not None)
    with sqlite3.connect(demo_path) as conn:
        conn.execute("UPDATE cell_values SET value = -1 WHERE indicator = ? AND unit_code = ?", [indicator, unit])
        conn.execute("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
    verdict = verify(demo_path, [log], before)
    assert verdict.integrity == "ok"
    assert len(verdict.lost) == 2, verdict.lost


def wait_for_commits(children, timeout: float = 30.0) -> None:
    """Until each writer has committed an edit: one can be starved for a while by the other."""
    deadline = time.monotonic() + timeout
    while any(not child.log().committed for child in children) and time.monotonic() < deadline:
        time.sleep(0.01)


def two_writers(path, end: str) -> tuple[list, list[ChildLog]]:
    """Two processes editing disjoint villages of one report at the same time;
    ``end`` is "finish" (each stops after its calls) or "kill" (both SIGKILLed mid-stream)."""
    calls = WRITER_CALLS if end == "finish" else 10**9
    children = [start_child(path, 11, FIRST_HALF, calls), start_child(path, 12, SECOND_HALF, calls)]
    if end == "kill":
        wait_for_commits(children)
        time.sleep(0.05)
        still_running = [child.kill() for child in children]
        assert still_running == [True, True], "a writer ended before it was killed"
    else:
        for child in children:
            child.process.wait(timeout=60)
    return children, [child.log() for child in children]


@pytest.mark.slow
@pytest.mark.parametrize("end", ["finish", "kill"])
def test_two_writers_on_one_file_keep_every_reported_edit(demo_path, end):
    _, before = read_state(demo_path)
    children, logs = two_writers(demo_path, end)
    for child in children:
        assert child.stderr() == "", child.stderr()
        if end == "finish":
            assert child.process.returncode == 0
    verdict = verify(demo_path, logs, before)
    assert verdict.integrity == "ok"
    assert verdict.lost == [], f"{len(verdict.lost)} of {verdict.reported} reported edits lost"
    assert verdict.damage == []
    assert all(log.committed for log in logs), "each writer committed something"


@pytest.mark.slow
def test_two_writers_on_one_file_wait_for_each_other_instead_of_refusing(demo_path):
    children, logs = two_writers(demo_path, "finish")
    refusals = [message for log in logs for message in log.refused]
    assert [child.process.returncode for child in children] == [0, 0]
    assert refusals == [], f"{len(refusals)} of {2 * WRITER_CALLS} calls refused, e.g. {refusals[0]}"


def test_the_gateway_connection_is_in_wal_with_full_sync(fresh_db, demo_db):
    for gw in (fresh_db, demo_db):
        assert gw.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert gw.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL: fsync on every commit
    with sqlite3.connect(demo_db.path) as other:  # WAL is a property of the file, seen by any connection
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
