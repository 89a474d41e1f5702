"""A new period started from the last one in the real commune window, offscreen over
a copy of the commune demo: the Kỳ mới dialog's ticked box, carried cells italic
and tinted with their tooltip, the signing dialog counting them as empty, typing
(the same figure) and Xác nhận confirming them; a late report says so above the grid."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from exports.collect.trust import enrol
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.publications.publish import publish_collection
from exports.publications.receive import import_publication
from models.keys import DEMO_PASSPHRASE, key_in_use
from ui.carried_look import CARRIED_BRUSH, confirm_all, confirm_chosen
from ui.commune.period_dialog import PeriodDialog

BG, FONT, TIP = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole


def choose_year(dialog: PeriodDialog, year: int, words: str = "Năm") -> None:
    listed = [dialog.kind_box.itemText(i) for i in range(dialog.kind_box.count())]
    dialog.kind_box.setCurrentIndex(listed.index(words))
    dialog.year_box.setValue(year)


def test_a_new_year_from_the_last_one_in_the_window(window, qtbot, tmp_path):
    dialog = window.ask_new_period()
    choose_year(dialog, 2026)
    assert dialog.carry_box.isVisible() and dialog.carry_box.isChecked()
    assert dialog.carry_box.text().startswith("Lấy số liệu kỳ trước cho các chỉ tiêu ít thay đổi (")
    assert "số hộ gia đình" in dialog.carry_box.text()
    dialog.grab().save(str(tmp_path / "h4-period-dialog.png"))
    choose_year(dialog, 2026, "6 tháng đầu năm")  # no half-year reported before: nothing to take
    assert not dialog.carry_box.isVisible() and not dialog.carry_wanted()
    choose_year(dialog, 2026)
    assert dialog.carry_wanted()
    assert dialog.try_accept()
    qtbot.waitUntil(lambda: window.period_box.currentData() == "2026")

    session = window.controller.session
    carried = dict(session.view.carried)
    assert len(carried) > 10 and {c.from_period for c in carried.values()} == {"2025"}
    grid = window.grid.model()
    village = session.view.villages[0].code
    index = grid.locate("so_ho", village)
    assert ("so_ho", village) in carried
    assert grid.data(index, FONT).italic()
    assert grid.data(index, BG) == CARRIED_BRUSH
    assert grid.data(index, TIP).startswith("Chuyển từ Năm 2025, chưa xác nhận: gõ lại hoặc bấm Xác nhận")
    plain = grid.locate("ho_van_hoa", village)  # not carried: empty, as before
    assert grid.data(plain, FONT) is None and grid.data(plain, Qt.ItemDataRole.DisplayRole) == ""
    fields = window.fields.model()
    commune_row = fields.locate("so_co_quan")
    assert fields.data(commune_row, FONT).italic()
    window.grab().save(str(tmp_path / "h4-carried-window.png"))

    # the signing dialog counts them as empty and says how many were carried
    sign = window.open_sign_dialog()
    checks = sign.facts["checks"].text()
    assert f"{len(session.view.empty_cells)} ô chưa nhập" in checks.replace(".", "")
    assert f"trong đó {len(carried)} ô chuyển từ kỳ trước chưa xác nhận" in checks
    sign.grab().save(str(tmp_path / "h4-sign-dialog.png"))
    sign.close()

    # typing the same figure confirms it
    empty_before = len(session.view.empty_cells)
    same = grid.data(index, Qt.ItemDataRole.EditRole)
    assert grid.setData(index, same, Qt.ItemDataRole.EditRole)
    assert ("so_ho", village) not in window.controller.session.view.carried
    assert grid.data(index, FONT) is None and grid.data(index, BG) != CARRIED_BRUSH
    assert len(window.controller.session.view.empty_cells) == empty_before - 1

    # Xác nhận for the chosen cells, then for all
    second = grid.locate("so_ho", session.view.villages[1].code)
    window.grid.selectionModel().select(second, window.grid.selectionModel().SelectionFlag.ClearAndSelect)
    assert confirm_chosen(window) == 1
    assert grid.data(second, FONT) is None
    assert confirm_all(window) == len(carried) - 2
    assert window.controller.session.view.carried == {}
    assert not fields.data(commune_row, FONT)
    # the menu holds both actions
    assert [a.text() for a in window.carried_actions] == [
        "Xác nhận số chuyển từ kỳ trước (ô đang chọn)",
        "Xác nhận tất cả số chuyển từ kỳ trước",
    ]


def test_a_late_report_says_so_above_the_grid_and_stays_editable(window, province, qtbot, tmp_path):
    gw = window.gw
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(gw, read_enrolment(enrolment), who="xa")
    notice = publish_collection(province, "kl224", None, "2024", dt.date(2025, 1, 15), "", DEMO_PASSPHRASE, tmp_path)
    import_publication(gw, notice.path, "xa")
    window.period_box.setCurrentIndex(window.period_box.findData("2024"))
    days = (dt.date.today() - dt.date(2025, 1, 15)).days
    assert window.todo.isVisible()
    first = window.todo.text().splitlines()[0]
    assert first.startswith("Quá hạn nộp: hạn 15/01/2025, đã quá ") and first.endswith("ngày (vẫn nhập được)")
    assert str(days) in first.replace(".", "")
    assert "yêu cầu nộp biểu kl224" not in window.todo.text()  # its own notice is that line: not said twice
    assert window.controller.locked is None
    index = window.grid.model().index(0, 1)
    assert window.grid.model().flags(index) & Qt.ItemFlag.ItemIsEditable
    window.grab().save(str(tmp_path / "muon.png"))
