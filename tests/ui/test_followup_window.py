"""The follow-up list in the province's window: the button under the completeness matrix opens it
for the chosen form and period, the disagreements coloured; it prints through the print dialog and
saves a workbook; the merged table's drill-down colours the village's cell with the warning."""

from __future__ import annotations

import datetime as dt

import pytest
from followup_scene import HOUSEHOLDS, REASON, VILLAGE, filed, sign_2024, sign_2025
from packet_forge import UNIT, Commune
from PySide6.QtCore import Qt
from python_calamine import CalamineWorkbook

from models.gateway import Gateway
from ui.print_dialog import PrintDialog
from ui.upper.followup_dialog import FollowupDialog


@pytest.fixture
def province_window(open_shown, upper_path, demo_template, tmp_path):
    """The province's window after it imported Mường Tè 2024 and 2025 (the village's 2024 households
    changed at the commune after sending, from 61 to 65: a disagreement)."""
    commune = Commune(demo_template, tmp_path / "xa", period="2024")
    try:
        packet_2024, before = sign_2024(commune, then=65)
        packet_2025 = sign_2025(commune)
        village = next(v.name for v in commune.gw.villages_of(UNIT) if v.code == VILLAGE)
    finally:
        commune.close()
    province = Gateway.open(upper_path)
    try:
        filed(province, packet_2024, packet_2025)
    finally:
        province.close()
    window = open_shown(upper_path)
    window.choose("kl224", "2025")
    window.tabs.setCurrentWidget(window.completeness_view)
    return window, before, village


def test_the_button_opens_the_list_with_the_disagreement_marked(qtbot, province_window, tmp_path):
    window, before, village = province_window
    assert window.followup_button.text() == "Danh sách cần theo dõi..."
    assert window.followup_button.isVisible()
    window.followup_button.click()
    dialog = next(w for w in window.findChildren(FollowupDialog))
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Danh sách cần theo dõi — Năm 2025"
    rows = dialog.shown_rows()
    households = next(n for n, r in enumerate(rows) if r[2] == "Số hộ gia đình")
    row = rows[households]
    assert row[:5] == ["Xã Mường Tè", village, "Số hộ gia đình", "1.234", "xã gửi, cấp này cũng thấy"]
    assert row[5] == f"xã ghi Năm 2024: 65, gói Năm 2024 cấp này nhận: {before}"
    assert row[8] == REASON
    assert households in dialog.marked_rows()
    dialog.resize(1280, 560)
    dialog.grab().save(str(tmp_path / "h5-followup-dialog.png"))

    saved = dialog.export_xlsx(tmp_path / "theo-doi")
    assert saved == tmp_path / "theo-doi.xlsx" and "Đã lưu" in dialog.message.text()
    sheet = CalamineWorkbook.from_path(str(saved)).get_sheet_by_index(0).to_python()
    found = next(r for r in sheet if len(r) > 3 and r[2] == "Số hộ gia đình")
    assert found[3] == HOUSEHOLDS and found[6] == REASON

    dialog.today = dt.date(2026, 1, 20)
    printing = dialog.print_preview()
    assert isinstance(printing, PrintDialog)
    text = "\n".join(
        c.text for block in dialog.document().blocks if hasattr(block, "body") for r in block.body for c in r
    )
    assert "1.234" in text and "KHÁC NHAU" in text
    printing.close()


def test_the_completeness_matrix_counts_them(province_window, tmp_path):
    window, _, _ = province_window
    view = window.completeness_view
    row = next(r for r in view.shown_rows() if r[0] == UNIT)
    assert "Bất thường: 1 (xã ghi 1, cấp này thấy 1, 1 chỗ khác nhau)" in row[2]
    index = next(view.proxy.index(r, 2) for r in range(view.proxy.rowCount()) if view.proxy.index(r, 0).data() == UNIT)
    assert "xem Danh sách cần theo dõi..." in index.data(Qt.ItemDataRole.ToolTipRole)
    window.grab().save(str(tmp_path / "h5-completeness.png"))


def test_the_drill_down_colours_the_cell_with_its_warning(qtbot, province_window, tmp_path):
    window, before, village = province_window
    window.tabs.setCurrentWidget(window.merged_view)
    merged = window.merged_view
    qtbot.waitUntil(lambda: merged.table is not None)
    dialog = merged.open_drill_down(merged.row_of(UNIT))
    qtbot.waitExposed(dialog)
    marked = dialog.marked_cells()
    tip = marked[village, "so_ho"]
    assert "1.234" in tip and f"Giải trình của xã: {REASON}" in tip
    assert f"Khác nhau: xã ghi Năm 2024: 65, gói Năm 2024 cấp này nhận: {before}" in tip
    assert all(name == village for name, _ in marked)
    dialog.grab().save(str(tmp_path / "h5-drilldown.png"))


def test_no_form_or_period_chosen_is_said(upper_window):
    upper_window.form_box.setCurrentIndex(-1)
    assert upper_window.open_followup() is None
    assert upper_window.message.text() == "Chưa chọn biểu và kỳ: chọn biểu và kỳ đã mở thu biểu."


def test_the_inbox_says_the_packet_came_with_explained_warnings(province_window):
    window, _before, _village = province_window
    window.tabs.setCurrentWidget(window.inbox_view)
    inbox = window.inbox_view
    packet = next(p for p in inbox.rows() if p.period_code == "2025")
    assert inbox.select_packet(packet.id)
    detail = inbox.panel.detail.text()
    assert "Xã gửi kèm 1 cảnh báo bất thường có giải trình (Tình hình nộp › Danh sách cần theo dõi...)." in detail
    assert "nhập hai lần" not in detail  # typed once
