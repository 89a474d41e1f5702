"""An unanswered yes/no cell does not look like “Không”: no check box but a
hatch, an empty ring and a tooltip; one click on the ring, or Space, answers it
“Có” as a tick did before, and the answer is saved."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyleOptionViewItem
from testkit import stored

from ui.cell_look import UNANSWERED_ROLE, UNANSWERED_TIP

CHECK, BACKGROUND = Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.BackgroundRole


def yes_no_cells(window, rows=(0, 1)):
    model = window.grid.model()
    column = [i.id for i in model.indicators].index("ban_co_nvh") + 1
    return [model.index(row, column) for row in rows]


def set_cells(window, cells, value) -> None:
    model = window.grid.model()
    assert model.controller.edit([(*model.cell(c), value) for c in cells], "thử")


def ring_centre(view, index):
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    return view.itemDelegateForIndex(index)._box(option, index).center()


def test_unanswered_differs_from_no_in_every_role_that_shows(window):
    unanswered, no = yes_no_cells(window)
    set_cells(window, [unanswered], None)
    set_cells(window, [no], 0)
    model = window.grid.model()

    assert model.data(no, CHECK) == Qt.CheckState.Unchecked
    assert model.data(unanswered, CHECK) is None  # no box that could read as “Không”
    assert model.data(unanswered, UNANSWERED_ROLE) is True and model.data(no, UNANSWERED_ROLE) is False
    hatch = model.data(unanswered, BACKGROUND)
    assert hatch.style() == Qt.BrushStyle.BDiagPattern
    assert model.data(no, BACKGROUND) is None or model.data(no, BACKGROUND).style() != Qt.BrushStyle.BDiagPattern
    assert UNANSWERED_TIP in model.data(unanswered, Qt.ItemDataRole.ToolTipRole)
    assert UNANSWERED_TIP == "Chưa nhập: bấm để chọn Có / Không"


def test_one_click_on_the_ring_answers_yes_and_the_box_appears(window, demo_path, tmp_path):
    grid, (cell, _other) = window.grid, yes_no_cells(window)
    village = grid.model().cell(cell)[1]
    set_cells(window, [cell], None)
    grid.scrollTo(cell)
    QCoreApplication.processEvents()
    grid.grab().save(str(tmp_path / "unanswered.png"))

    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=ring_centre(grid, cell))
    assert stored(demo_path, "ban_co_nvh", village) == 1
    assert grid.model().data(cell, CHECK) == Qt.CheckState.Checked
    assert grid.state() != grid.State.EditingState

    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=ring_centre(grid, cell))
    assert stored(demo_path, "ban_co_nvh", village) == 0  # the box as before: a second click is “Không”


def test_a_click_beside_the_ring_only_chooses_the_cell(window, demo_path):
    grid, (cell, _other) = window.grid, yes_no_cells(window)
    village = grid.model().cell(cell)[1]
    set_cells(window, [cell], None)
    QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualRect(cell).bottomRight())
    assert grid.currentIndex() == cell
    assert stored(demo_path, "ban_co_nvh", village) is None


def test_space_answers_yes_without_opening_an_editor(window, demo_path):
    grid, (cell, _other) = window.grid, yes_no_cells(window)
    village = grid.model().cell(cell)[1]
    set_cells(window, [cell], None)
    grid.setFocus()
    grid.setCurrentIndex(cell)
    QTest.keyClick(grid, Qt.Key.Key_Space)
    assert stored(demo_path, "ban_co_nvh", village) == 1
    assert grid.state() != grid.State.EditingState


def test_the_commune_fields_answer_the_same_way(window, demo_path):
    fields, model = window.fields, window.fields.model()
    yes_no = [n for n, i in enumerate(model.indicators) if i.kind == "yesno" and model.cell(model.index(n, 3))]
    cell = model.index(yes_no[0], 3)
    indicator, unit = model.cell(cell)
    assert model.controller.edit([(indicator, unit, None)], "thử")
    assert model.data(cell, CHECK) is None and model.data(cell, BACKGROUND).style() == Qt.BrushStyle.BDiagPattern
    fields.setFocus()
    fields.setCurrentIndex(cell)
    QTest.keyClick(fields, Qt.Key.Key_Space)
    assert stored(demo_path, indicator, unit) == 1
    assert model.data(cell, CHECK) == Qt.CheckState.Checked
