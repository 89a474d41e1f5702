"""The target chart over the demo commune report, offscreen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from forms.engine import TargetResult
from models.reporting import view_report
from ui.commune.target_chart import MARGIN, ROW_HEIGHT, STATUS_COLORS, TargetChart


def demo_view(demo_db, library, target_set_id: str):
    report = demo_db.find_report("03445", "kl224", "2025")
    return view_report(demo_db, report, library.get("kl224"), target_set_id)


@pytest.fixture
def chart(qtbot, demo_db, library):
    view = demo_view(demo_db, library, "muong-te-2025")
    widget = TargetChart()
    qtbot.addWidget(widget)
    widget.set_results(view.form, view.evaluation.targets)
    widget.resize(widget.sizeHint())
    return widget


def row_by_code(chart: TargetChart, code: str):
    return next(r for r in chart.rows() if r.code == code)


def test_percentage_targets_give_share_and_tick(chart):
    row = row_by_code(chart, "4.1.1")
    assert row.status == "chua_dat"
    assert row.fill == pytest.approx(0.611, abs=1e-3)
    assert row.mark == pytest.approx(0.75)
    assert "Trong đó: đội văn nghệ" in row.label
    assert "còn thiếu 3 bản" in row.tooltip
    done = row_by_code(chart, "2.3")
    assert (done.status, done.fill, done.mark) == ("dat", pytest.approx(0.889, abs=1e-3), pytest.approx(0.85))


def test_one_row_per_target_and_height_follows(chart, demo_db, library):
    view = demo_view(demo_db, library, "muong-te-2025")
    assert len(chart.rows()) == len(view.evaluation.targets) == 17
    assert chart.sizeHint().height() == 2 * MARGIN + 17 * ROW_HEIGHT
    assert 260 <= chart.sizeHint().width() <= 340


def test_count_target_for_a_commune_does_not_apply(qtbot, demo_db, library):
    view = demo_view(demo_db, library, "tp-lai-chau-2025")
    chart = TargetChart()
    qtbot.addWidget(chart)
    chart.set_results(view.form, view.evaluation.targets)
    row = row_by_code(chart, "4.2")  # "03 xã": only means something for the district
    assert (row.status, row.fill, row.mark) == ("khong_ap_dung", None, None)
    assert "không áp dụng" in row.tooltip
    assert row_by_code(chart, "3.5").fill is None  # a ward-only row in a commune


def test_count_target_fills_towards_the_whole_bar(qtbot, library):
    form = library.get("kl224")
    chart = TargetChart()
    qtbot.addWidget(chart)
    short = TargetResult("xa_clb_di_san", ">=", None, 3, 1, "", "chua_dat", 2, 1)
    over = TargetResult("truong_clb_van_hoa", ">=", None, 5, 1, "", "dat", 7, -2)
    chart.set_results(form, [short, over])
    first, second = chart.rows()
    assert (first.fill, first.mark) == (pytest.approx(2 / 3), 1.0)
    assert (second.fill, second.mark) == (1.0, 1.0)  # capped at the full bar


def test_empty_results_show_the_hint(qtbot, library):
    chart = TargetChart()
    qtbot.addWidget(chart)
    chart.set_results(library.get("kl224"), [])
    assert chart.rows() == []
    assert chart.empty_hint() == "Chọn bộ mục tiêu để xem mức đạt"
    chart.resize(chart.sizeHint())
    image = chart.grab().toImage()  # paints the hint without raising
    assert not image.isNull()


def test_rendering_uses_both_status_colours(chart):
    image = chart.grab().toImage()
    colours = {image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())}
    assert STATUS_COLORS["dat"].rgb() in colours
    assert STATUS_COLORS["chua_dat"].rgb() in colours


def test_tooltip_follows_the_mouse(qtbot, chart):
    chart.show()
    qtbot.waitExposed(chart)
    index = [r.code for r in chart.rows()].index("4.1.1")
    pos = QPoint(chart.width() // 2, MARGIN + index * ROW_HEIGHT + ROW_HEIGHT // 2)
    assert "còn thiếu" in chart.tooltip_at(pos)
    QApplication.sendEvent(chart, QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    qtbot.waitUntil(lambda: "còn thiếu" in QToolTip.text())
    assert "4.1.1. Trong đó: đội văn nghệ" in QToolTip.text()
    assert chart.tooltip_at(QPoint(5, chart.height() + 50)) == ""
