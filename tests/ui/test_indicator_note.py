"""Beside the grid, the words of the indicator under the cursor: the grid's headers are codes ("2.3 bản"),
the officer who has not learnt the plan needs the label, the unit, how it is entered and its checks."""

from __future__ import annotations


def test_the_note_beside_the_grid_follows_the_cursor(window):
    form = window.controller.session.form
    assert window.indicator_note.text() == "Chọn một ô để xem chỉ tiêu của nó."
    model = window.grid.model()
    column = 1 + [i.id for i in model.indicators].index("ban_nvh_dat_chuan")
    window.grid.setCurrentIndex(model.index(2, column))
    text = window.indicator_note.text()
    ind = form.indicator("ban_nvh_dat_chuan")
    assert f"{ind.code}. {ind.label}" in text and "Có / Không" in text and "từng bản" in text
    assert "Trong đó của: 2.3. Bản, tổ dân phố có nhà văn hóa" in text
    fields = window.fields.model()
    row = [i.id for i in fields.indicators].index("can_bo_lanh_dao")
    window.fields.setCurrentIndex(fields.index(row, 2))
    assert "Cán bộ lãnh đạo" in window.indicator_note.text() and "cả xã" in window.indicator_note.text()


def test_the_note_says_what_the_cell_held_the_year_before(window):
    window.select_unit("03478")
    window.period_box.setCurrentIndex(window.period_box.findData("2025"))
    session = window.controller.session
    assert session.report.period_code == "2025"
    model = window.grid.model()
    column = 1 + [i.id for i in model.indicators].index("so_ho")
    window.grid.setCurrentIndex(model.index(0, column))
    village = model.cell(model.index(0, column))[1]
    before = window.gw.values(window.gw.find_report("03478", "kl224", "2024"))[("so_ho", village)]
    assert f"Kỳ trước (Năm 2024): {before:,}".replace(",", ".") in window.indicator_note.text()
    fields = window.fields.model()
    row = [i.id for i in fields.indicators].index("can_bo_lanh_dao")
    window.fields.setCurrentIndex(fields.index(row, 2))
    leaders = window.gw.values(window.gw.find_report("03478", "kl224", "2024"))[("can_bo_lanh_dao", "03478")]
    assert f"Kỳ trước (Năm 2024): {leaders}" in window.indicator_note.text()
