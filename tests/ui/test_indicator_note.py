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
