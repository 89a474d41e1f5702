"""The window over the demo database, driven offscreen with pytest-qt."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.app import open_window


def cell_texts(model, column):
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_window_shows_the_demo_commune_report(qtbot, demo_path):
    window = open_window(demo_path)
    qtbot.addWidget(window)
    assert window.current_unit() == "03445"
    assert window.period_box.currentData() == "2025"
    codes = cell_texts(window.model, 0)
    assert {"1.1", "2.3", "4.1.1", "8.3"} <= set(codes)
    row = codes.index("3.1")
    assert window.model.data(window.model.index(row, 3)) == "2.433"  # households, dotted thousands
    assert window.model.data(window.model.index(row, 5)).endswith("%")
    assert "1 lỗi, 1 cảnh báo" in window.statusBar().currentMessage()
    assert window.findings.count() == 2
    assert window.model.data(window.model.index(row, 1), Qt.ItemDataRole.BackgroundRole) is not None


def test_choosing_a_target_set_fills_the_target_column(qtbot, demo_path):
    window = open_window(demo_path)
    qtbot.addWidget(window)
    window.target_box.setCurrentIndex(window.target_box.findData("muong-te-2025"))
    targets = cell_texts(window.model, 6)
    assert any(t and "chưa đạt" in t and "còn thiếu" in t for t in targets)


def test_model_follows_qt_contract(qtmodeltester, qtbot, demo_path):
    window = open_window(demo_path)
    qtbot.addWidget(window)
    qtmodeltester.check(window.model)


def test_unit_without_report_says_so(qtbot, demo_path):
    window = open_window(demo_path)
    qtbot.addWidget(window)
    window.select_unit("03637")  # Xã Mường Kim: no demo report
    assert window.model.rowCount() == 0
    assert "Chưa có báo cáo" in window.statusBar().currentMessage()


def test_empty_database_gets_the_demo(qtbot, tmp_path):
    window = open_window(tmp_path / "new.db")
    qtbot.addWidget(window)
    assert window.current_unit() == "03445"
