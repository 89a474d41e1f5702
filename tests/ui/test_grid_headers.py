"""The grid's column headers say what the column is: the code and unit, then the
form's own label in at most three short lines (cut with “…”), the whole label in
the tooltip; the header is tall enough for the four lines and no column grows
as wide as a sentence."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt

DISPLAY, TIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole


def column_of(model, indicator_id) -> int:
    return [i.id for i in model.indicators].index(indicator_id) + 1


def test_headers_show_the_forms_label_and_the_tooltip_the_whole_of_it(window):
    model = window.grid.model()
    for column, ind in enumerate(model.indicators, start=1):
        shown = model.headerData(column, Qt.Orientation.Horizontal, DISPLAY)
        lines = shown.split("\n")
        assert len(lines) <= 4
        assert ind.unit in lines[0]
        words = " ".join(lines[1:]).removesuffix(" …").split()
        assert words == ind.label.split()[: len(words)]  # the label's own words, in order
        assert len(words) >= min(3, len(ind.label.split()))
        tip = model.headerData(column, Qt.Orientation.Horizontal, TIP)
        assert ind.label in tip and f"({ind.unit})" in tip


def test_a_long_label_is_cut_with_an_ellipsis_after_three_lines(window):
    model = window.grid.model()
    long_ones = [(c, i) for c, i in enumerate(model.indicators, start=1) if len(i.label) > 60]
    assert long_ones  # the demo form has some
    for column, ind in long_ones:
        shown = model.headerData(column, Qt.Orientation.Horizontal, DISPLAY)
        assert shown.endswith("…") and len(shown.split("\n")) == 4
        assert ind.code in shown.split("\n")[0]


def test_the_header_is_tall_enough_and_the_columns_stay_narrow(window):
    grid, model = window.grid, window.grid.model()
    QCoreApplication.processEvents()  # the columns are fitted once the window is drawn
    header = grid.horizontalHeader()
    line = header.fontMetrics().lineSpacing()
    assert header.height() >= 4 * line
    for column in range(1, model.columnCount()):
        assert header.sectionSizeFromContents(column).height() <= header.height()
        assert 90 <= grid.columnWidth(column) <= 170
        widest_line = max(
            header.fontMetrics().horizontalAdvance(text)
            for text in model.headerData(column, Qt.Orientation.Horizontal, DISPLAY).split("\n")
        )
        assert widest_line <= grid.columnWidth(column)  # every line shows whole
    assert [window.summary.columnWidth(c) for c in range(model.columnCount())] == [
        grid.columnWidth(c) for c in range(model.columnCount())
    ]
