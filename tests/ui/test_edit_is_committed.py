"""A cell the grid accepted is already in the file: committed, with its audit row,
before setData returns, so a crash right after costs nothing the officer saw.

Read from a separate SQLite connection, before Qt processes any event: an edit
still inside an open transaction, or waiting for a timer, would not be there.
Undo is an edit too and is held to the same rule. Values go in with setData, not
typed keys (keyClicks aborts on Vietnamese keystrokes).
"""

from __future__ import annotations

import sqlite3

REPORT_OF = "SELECT id FROM reports WHERE unit_code = '03445' AND form_id = 'kl224' AND period_code = '2025'"


def grid_index(window, indicator, row):
    model = window.grid.model()
    return model.index(row, [i.id for i in model.indicators].index(indicator) + 1)


def committed(path, indicator, village) -> tuple[int | None, tuple | None]:
    """The cell's value and its newest audit row (old, new), as another process sees them."""
    conn = sqlite3.connect(path)
    try:
        value = conn.execute(
            f"SELECT value FROM cell_values WHERE report_id = ({REPORT_OF}) AND indicator = ? AND unit_code = ?",
            [indicator, village],
        ).fetchone()
        audit = conn.execute(
            f"SELECT old_value, new_value FROM audit WHERE report_id = ({REPORT_OF}) AND indicator = ? "
            "AND unit_code = ? ORDER BY id DESC LIMIT 1",
            [indicator, village],
        ).fetchone()
    finally:
        conn.close()
    return (value[0] if value else None), audit


def test_an_accepted_edit_and_its_undo_are_committed_when_setdata_returns(window, demo_path):
    model = window.grid.model()
    index = grid_index(window, "so_ho", 0)
    indicator, village = model.cell(index)
    before, _ = committed(demo_path, indicator, village)
    assert before is not None and before != 4321

    assert model.setData(index, "4.321") is True  # accepted: one thousand-separated number
    assert committed(demo_path, indicator, village) == (4321, (before, 4321))
    assert model.data(index) == "4.321"

    window.controller.undo_stack.undo()
    assert committed(demo_path, indicator, village) == (before, (4321, before))

    window.controller.undo_stack.redo()
    assert committed(demo_path, indicator, village) == (4321, (before, 4321))


def test_a_refused_edit_leaves_the_file_as_it_was(window, demo_path):
    model = window.grid.model()
    index = grid_index(window, "so_ho", 1)
    cell = model.cell(index)
    before = committed(demo_path, *cell)
    assert model.setData(index, "mười hai") is False
    assert committed(demo_path, *cell) == before
