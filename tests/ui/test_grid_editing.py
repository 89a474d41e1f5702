"""Typing in the commune's grid as an officer does, offscreen: a refused value stays
in its editor to be corrected, redo answers both Ctrl+Y and Ctrl+Shift+Z, and a
figure beyond the form's ``max`` is refused typed or pasted, the limit named.

Digits are typed with qtbot.keyClicks (ASCII only: Vietnamese keystrokes abort it)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from testkit import stored

HUGE = "123456789012345"  # households in one village, as reported in issue 18


def households(window, row):
    model = window.grid.model()
    return model.index(row, [i.id for i in model.indicators].index("so_ho") + 1)


def open_editor(view) -> QLineEdit:
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_F2)  # opens the editor over the current cell
    editor = view.indexWidget(view.currentIndex())
    assert isinstance(editor, QLineEdit)
    return editor


def type_and_enter(qtbot, view, text: str) -> QLineEdit:
    """Open the current cell's editor, type ``text`` in place of what it held, press Enter."""
    editor = open_editor(view)
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QCoreApplication.processEvents()  # the delegate commits on Enter through a queued call
    return editor


def open_editor_text(view) -> str | None:
    editor = view.indexWidget(view.currentIndex())
    return editor.text() if isinstance(editor, QLineEdit) and editor.isVisible() else None


# ---- a refused cell keeps what was typed ---------------------------------------------------------------------------


def test_letters_stay_in_the_editor_selected_and_enter_again_saves_the_correction(qtbot, window, demo_path):
    grid, cell = window.grid, households(window, 2)
    village = grid.model().cell(cell)[1]
    before = stored(demo_path, "so_ho", village)
    grid.setCurrentIndex(cell)

    editor = type_and_enter(qtbot, grid, "12a4")
    assert grid.currentIndex() == cell  # the cursor did not move on
    assert grid.state() == grid.State.EditingState and open_editor_text(grid) == "12a4"
    assert editor.selectedText() == "12a4"  # typing replaces the bad text
    assert "chỉ nhận số nguyên, ví dụ 1.234" in window.message.text() and window.message.isVisible()
    assert stored(demo_path, "so_ho", village) == before

    editor.setText("124")  # the officer corrects it
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QCoreApplication.processEvents()
    assert stored(demo_path, "so_ho", village) == 124
    assert grid.state() != grid.State.EditingState
    assert grid.currentIndex().row() == 3  # now Enter moves down, as after any accepted value


def test_escape_abandons_a_refused_value(qtbot, window, demo_path):
    grid, cell = window.grid, households(window, 4)
    village = grid.model().cell(cell)[1]
    before = stored(demo_path, "so_ho", village)
    grid.setCurrentIndex(cell)
    editor = type_and_enter(qtbot, grid, "abc")
    assert open_editor_text(grid) == "abc"
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    QCoreApplication.processEvents()
    assert grid.state() != grid.State.EditingState
    assert grid.currentIndex() == cell
    assert grid.model().data(cell) == (f"{before:,}".replace(",", ".") if before is not None else "")
    assert stored(demo_path, "so_ho", village) == before


def test_tab_on_a_refused_value_stays_too(qtbot, window, demo_path):
    grid, cell = window.grid, households(window, 1)
    grid.setCurrentIndex(cell)
    editor = open_editor(grid)
    editor.selectAll()
    qtbot.keyClicks(editor, "7x")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    QCoreApplication.processEvents()
    assert grid.currentIndex() == cell and open_editor_text(grid) == "7x"


def test_a_refused_commune_field_keeps_its_editor_too(qtbot, window):
    fields = window.fields
    model = fields.model()
    row = next(r for r in range(model.rowCount()) if model.flags(model.index(r, 3)) & Qt.ItemFlag.ItemIsEditable
               and model.indicators[r].kind == "count")  # fmt: skip
    cell = model.index(row, 3)
    fields.setCurrentIndex(cell)
    type_and_enter(qtbot, fields, "9,5")
    assert fields.currentIndex() == cell and open_editor_text(fields) == "9,5"
    assert "không phải là số nguyên" in window.message.text()


# ---- redo on every system -------------------------------------------------------------------------------------------


def test_redo_answers_ctrl_y_and_ctrl_shift_z(qtbot, window, demo_path):
    shortcuts = [k.toString() for k in window.redo_action.shortcuts()]
    assert "Ctrl+Y" in shortcuts and "Ctrl+Shift+Z" in shortcuts
    assert len(shortcuts) == len(set(shortcuts))
    grid, cell = window.grid, households(window, 0)
    village = grid.model().cell(cell)[1]
    window.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None)
    grid.setCurrentIndex(cell)
    grid.setFocus()
    for redo_key in ("Ctrl+Y", "Ctrl+Shift+Z"):
        assert grid.model().setData(cell, "321")
        before = 321
        QTest.keySequence(grid, QKeySequence.StandardKey.Undo)
        undone = stored(demo_path, "so_ho", village)
        assert undone != before
        QTest.keySequence(grid, QKeySequence(redo_key))
        assert stored(demo_path, "so_ho", village) == before, redo_key
        assert grid.model().setData(cell, str(undone))  # back, for the next key


# ---- figures beyond the form's max ----------------------------------------------------------------------------------


def test_a_figure_beyond_the_max_is_refused_when_typed_with_the_limit_named(qtbot, window, demo_path):
    grid, cell = window.grid, households(window, 0)
    village = grid.model().cell(cell)[1]
    before = stored(demo_path, "so_ho", village)
    grid.setCurrentIndex(cell)
    type_and_enter(qtbot, grid, HUGE)
    assert "tối đa 999.999.999 hộ" in window.message.text()
    assert open_editor_text(grid) == HUGE and grid.currentIndex() == cell
    assert stored(demo_path, "so_ho", village) == before


def test_a_figure_beyond_the_max_is_refused_when_pasted(window, demo_path):
    grid, cell = window.grid, households(window, 0)
    villages = [grid.model().cell(households(window, r))[1] for r in range(2)]
    before = [stored(demo_path, "so_ho", v) for v in villages]
    QGuiApplication.clipboard().setText(f"120\n{HUGE}\n")
    grid.setCurrentIndex(cell)
    QTest.keyClick(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert "tối đa 999.999.999 hộ" in window.message.text()
    assert [stored(demo_path, "so_ho", v) for v in villages] == before  # the whole paste, not half of it


def test_the_largest_accepted_figure_is_shown_whole(qtbot, window, demo_path):
    grid, cell = window.grid, households(window, 0)
    grid.setCurrentIndex(cell)
    type_and_enter(qtbot, grid, "999999999")
    assert stored(demo_path, "so_ho", grid.model().cell(cell)[1]) == 999_999_999
    text = grid.model().data(cell)
    assert text == "999.999.999"
    assert grid.fontMetrics().horizontalAdvance(text) < grid.columnWidth(cell.column()) - 6
    total = window.summary.model().index(0, cell.column())
    total_text = window.summary.model().data(total)
    assert total_text.startswith("1.000.00")  # the commune's total, wider still
    assert window.summary.fontMetrics().horizontalAdvance(total_text) < window.summary.columnWidth(cell.column()) - 6
    assert window.summary.columnWidth(cell.column()) == grid.columnWidth(cell.column())  # the columns stay aligned


def test_clicking_another_cell_does_not_lose_a_refused_value(qtbot, window, demo_path):
    grid, cell, other = window.grid, households(window, 2), households(window, 6)
    grid.setCurrentIndex(cell)
    editor = type_and_enter(qtbot, grid, "12a4")
    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualRect(other).center())
    qtbot.waitUntil(lambda: grid.currentIndex() == cell)  # the cursor comes back to the refused cell
    assert open_editor_text(grid) == "12a4" and grid.indexWidget(cell) is editor
    editor.setText("12")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QCoreApplication.processEvents()
    assert stored(demo_path, "so_ho", grid.model().cell(cell)[1]) == 12
