"""The window over the demo database, driven offscreen with pytest-qt: typing,
pasting, undoing, findings, reopening. Vietnamese keys go one by one
(qtbot.keyClicks aborts on non-ASCII characters in Qt 6.12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from testkit import stored

from models.errors import DatabaseError
from models.gateway import Gateway
from ui.app import open_window


def type_into_cell(view, text: str) -> None:
    """Type as the officer does: the first key opens the cell's editor (replacing
    what was there), the rest go to the editor, then Enter."""
    for ch in text:
        target = view.indexWidget(view.currentIndex()) or view
        QTest.sendKeyEvent(QTest.KeyAction.Click, target, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)
    press(view.indexWidget(view.currentIndex()) or view, Qt.Key.Key_Return)
    QCoreApplication.processEvents()  # the delegate commits on Enter through a queued call


def press(widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(widget, key, modifier)


def grid_index(window, indicator, row):
    model = window.grid.model()
    return model.index(row, [i.id for i in model.indicators].index(indicator) + 1)


def test_opens_on_the_demo_commune_with_grid_totals_and_findings(window):
    assert window.current_unit() == "03445"
    assert window.period_box.currentData() == "2025"
    assert window.grid.model().rowCount() == 18
    summary = window.summary.model()
    households = [i.id for i in summary.indicators].index("so_ho") + 1
    assert summary.data(summary.index(0, households)) == "2.432"
    assert "1 lỗi, 1 cảnh báo, 18/18 bản đã nhập đủ" in window.statusBar().currentMessage()
    assert window.findings.list.count() == 2


def test_typing_a_number_saves_it_and_enter_moves_down(window, demo_path):
    grid = window.grid
    index = grid_index(window, "so_ho", 0)
    grid.setCurrentIndex(index)
    type_into_cell(grid, "1.234")  # Vietnamese thousands: one thousand two hundred thirty-four
    assert stored(demo_path, "so_ho", window.grid.model().cell(index)[1]) == 1234
    assert grid.currentIndex().row() == 1
    assert grid.model().data(index) == "1.234"


def test_letters_in_a_count_are_refused_with_a_message(window, demo_path):
    index = grid_index(window, "so_ho", 2)
    before = stored(demo_path, "so_ho", window.grid.model().cell(index)[1])
    assert window.grid.model().setData(index, "mười hai") is False
    assert "không phải là số" in window.message.text() and window.message.isVisible()
    assert stored(demo_path, "so_ho", window.grid.model().cell(index)[1]) == before


def test_fixing_the_error_clears_it_and_undo_brings_it_back(window, demo_path):
    error = window.controller.session.view.evaluation.errors[0]
    households = window.controller.session.value("so_ho", error.cell.village)
    index = window.grid.model().locate(error.cell.indicator, error.cell.village)
    assert window.grid.model().data(index, Qt.ItemDataRole.BackgroundRole) is not None
    assert window.grid.model().setData(index, str(households - 3))
    assert "0 lỗi" in window.statusBar().currentMessage()
    assert window.findings.list.count() == 1
    window.undo_action.trigger()
    assert "1 lỗi" in window.statusBar().currentMessage()
    assert stored(demo_path, error.cell.indicator, error.cell.village) == households + 7
    window.redo_action.trigger()
    assert stored(demo_path, error.cell.indicator, error.cell.village) == households - 3


def test_paste_a_block_then_undo_it_in_one_step(window, demo_path):
    grid = window.grid
    start = grid_index(window, "so_ho", 0)
    village = [window.grid.model().cell(grid.model().index(r, 1))[1] for r in range(3)]
    # Số hộ and "có nhà văn hóa" side by side, as Excel copies them, an empty merged cell last
    QGuiApplication.clipboard().setText("100\tCó\r\n1.200\tkhông\r\n80\t\r\n")
    grid.setCurrentIndex(start)
    press(grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [stored(demo_path, "so_ho", v) for v in village] == [100, 1200, 80]
    assert [stored(demo_path, "ban_co_nvh", v) for v in village[:2]] == [1, 0]
    assert window.undo_action.text().endswith("Dán 5 ô")
    window.undo_action.trigger()
    assert stored(demo_path, "so_ho", village[1]) != 1200


def test_paste_larger_than_the_grid_is_refused_whole(window, demo_path):
    grid = window.grid
    last = grid_index(window, "so_ho", 17)
    village = window.grid.model().cell(last)[1]
    before = stored(demo_path, "so_ho", village)
    QGuiApplication.clipboard().setText("1\n2\n3\n")
    grid.setCurrentIndex(last)
    grid.paste()
    assert "lớn hơn phần bảng" in window.message.text()
    assert stored(demo_path, "so_ho", village) == before


def test_a_bad_cell_in_a_paste_refuses_all_of_it(window, demo_path):
    grid = window.grid
    first = grid_index(window, "so_ho", 0)
    village = window.grid.model().cell(first)[1]
    before = stored(demo_path, "so_ho", village)
    QGuiApplication.clipboard().setText("55\nabc\n")
    grid.setCurrentIndex(first)
    grid.paste()
    assert "abc" in window.message.text()
    assert stored(demo_path, "so_ho", village) == before


def test_yes_no_cells_are_check_boxes(window, demo_path):
    index = grid_index(window, "ban_co_nvh", 0)
    village = window.grid.model().cell(index)[1]
    model = window.grid.model()
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    now = model.data(index, Qt.ItemDataRole.CheckStateRole)
    flipped = Qt.CheckState.Unchecked if now == Qt.CheckState.Checked else Qt.CheckState.Checked
    assert model.setData(index, flipped.value, Qt.ItemDataRole.CheckStateRole)
    assert stored(demo_path, "ban_co_nvh", village) == (1 if flipped == Qt.CheckState.Checked else 0)


def test_delete_clears_and_fill_down_copies_in_one_step(window, demo_path):
    grid, model = window.grid, window.grid.model()
    top = grid_index(window, "so_ho", 0)
    grid.setCurrentIndex(top)
    bottom = grid_index(window, "so_ho", 3)
    grid.selectionModel().select(QItemSelection(top, bottom), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    grid.fill_down()
    first = stored(demo_path, "so_ho", model.cell(top)[1])
    assert [stored(demo_path, "so_ho", model.cell(model.index(r, top.column()))[1]) for r in range(4)] == [first] * 4
    press(grid, Qt.Key.Key_Delete)
    assert [stored(demo_path, "so_ho", model.cell(model.index(r, top.column()))[1]) for r in range(4)] == [None] * 4
    assert "14/18 bản đã nhập đủ, 4 ô chưa nhập" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert stored(demo_path, "so_ho", model.cell(top)[1]) == first


def test_clicking_a_finding_jumps_to_its_cell(window):
    item = window.findings.list.item(0)
    finding = item.data(Qt.ItemDataRole.UserRole)
    window.findings.list.itemClicked.emit(item)
    current = window.grid.currentIndex()
    assert window.grid.model().cell(current) == (finding.cell.indicator, finding.cell.village)


def test_a_warning_answered_in_writing_is_stored_and_shown(window, demo_path):
    warning = next(f for f in window.controller.session.view.evaluation.findings if f.severity == "warning")
    window.findings.answer.emit(warning, "Bản mới được công nhận lại, đã kiểm tra")
    assert any("Lý do: Bản mới được công nhận lại" in window.findings.list.item(i).text()
               for i in range(window.findings.list.count()))  # fmt: skip
    gw = Gateway.open(demo_path)
    report = gw.find_report("03445", "kl224", "2025")
    assert "Bản mới được công nhận lại, đã kiểm tra" in gw.reasons(report).values()
    gw.close()


def test_commune_fields_take_typed_values(window, demo_path):
    fields = window.fields.model()
    index = fields.locate("so_truong")
    assert fields.setData(index, "7")
    gw = Gateway.open(demo_path)
    assert gw.values(gw.find_report("03445", "kl224", "2025"))[("so_truong", "03445")] == 7
    gw.close()


def test_target_set_fills_the_target_row_and_the_chart(window):
    window.target_box.setCurrentIndex(window.target_box.findData("muong-te-2025"))
    summary = window.summary.model()
    column = [i.id for i in summary.indicators].index("doi_van_nghe_thuong_xuyen") + 1
    assert summary.data(summary.index(2, column)) == "thiếu 3"
    assert "còn thiếu 3 bản" in summary.data(summary.index(2, column), Qt.ItemDataRole.ToolTipRole)
    assert len(window.chart.rows()) == 17


def test_new_period_is_created_and_opened(window):
    assert window.new_period("2026")
    assert window.period_box.currentData() == "2026"
    assert window.grid.model().rowCount() == 18
    assert not window.new_period("2026-Q1")  # kl224 is not made by quarter
    assert "quý" in window.message.text()


def test_values_survive_closing_and_reopening(qtbot, demo_path):
    first = open_window(demo_path)
    qtbot.addWidget(first)
    index = grid_index(first, "so_ho", 5)
    village = first.grid.model().cell(index)[1]
    first.grid.model().setData(index, "321")
    first.close()  # lets go of the database and its lock
    again = open_window(demo_path)
    qtbot.addWidget(again)
    assert again.controller.session.value("so_ho", village) == 321
    again.close()


def test_a_second_window_on_the_same_database_is_refused(window, demo_path):
    with pytest.raises(DatabaseError, match="đang được mở"):
        open_window(demo_path)


@pytest.mark.parametrize("model_name", ["grid", "summary", "fields"])
def test_models_follow_qt_contract(qtmodeltester, window, model_name):
    qtmodeltester.check(getattr(window, model_name).model())


def test_unit_without_report_says_so(window):
    window.select_unit("03637")  # Xã Mường Kim: no demo report
    assert window.pages.currentWidget() is window.placeholder
    assert "Chưa có báo cáo" in window.statusBar().currentMessage()


def test_typing_vietnamese_words_in_a_yes_no_cell(window, demo_path):
    grid = window.grid
    index = grid_index(window, "ban_van_hoa", 1)
    village = grid.model().cell(index)[1]
    grid.setCurrentIndex(index)
    type_into_cell(grid, "không")
    assert stored(demo_path, "ban_van_hoa", village) == 0
    grid.setCurrentIndex(index)
    type_into_cell(grid, "Có")
    assert stored(demo_path, "ban_van_hoa", village) == 1


def test_a_database_that_cannot_be_written_is_said_and_edits_refused(qtbot, demo_path):
    window = open_window(demo_path)
    qtbot.addWidget(window)
    window.gw.db.execute("PRAGMA query_only = ON")  # as a read-only file behaves
    index = grid_index(window, "so_ho", 0)
    assert window.grid.model().setData(index, "55") is False
    assert "chưa có gì thay đổi" in window.message.text()
    window.gw.db.execute("PRAGMA query_only = OFF")
    window.close()
    assert stored(demo_path, "so_ho", window.grid.model().cell(index)[1]) != 55
