"""The one count of empty cells (ReportView.empty_cells): what the status bar, the signing dialog and the CLI's
summary line say, over real databases."""

from __future__ import annotations

from exports.text_report import summary_line
from models.reporting import start_report, view_report


def test_text_and_date_cells_are_not_counted(sapa_report):
    gw, form, report = sapa_report
    view = view_report(gw, report, form)
    missing = {c.indicator for c in view.evaluation.missing}
    counted = {c.indicator for c in view.empty_cells}
    assert "ngay_chot_so_lieu" in missing  # required, and still shown as empty where it is typed
    assert "ngay_chot_so_lieu" not in counted and "ghi_chu" not in counted
    assert {form.indicator(i).kind for i in counted} <= {"count", "yesno", "amount"}
    assert counted == missing - {"ngay_chot_so_lieu"}
    assert summary_line(view) == f"0 lỗi, 0 cảnh báo, {len(view.empty_cells)} ô chưa nhập"


def test_cells_that_do_not_apply_and_sums_of_villages_are_not_counted(demo_db, library):
    form = library.get("kl224")
    view = view_report(demo_db, start_report(demo_db, "03445", form, "2026"), form)
    commune = {c.indicator for c in view.empty_cells if c.village is None}
    assert "xa_nong_thon_moi" in commune and "phuong_van_minh" not in commune  # a xã, not a phường
    village_grain = {i.id for i in form.village_indicators}
    assert not commune & village_grain  # the commune's figure of a village row is their sum, not typed
    assert view.villages_complete() == 0
    assert summary_line(view) == f"0 lỗi, 0 cảnh báo, 0/18 bản đã nhập đủ, {len(view.empty_cells)} ô chưa nhập"


def test_a_complete_report_counts_none(demo_db, library):
    form = library.get("kl224")
    view = view_report(demo_db, demo_db.find_report("03445", "kl224", "2024"), form)
    assert view.empty_cells == [] and view.villages_complete() == 18
    assert summary_line(view) == "0 lỗi, 0 cảnh báo, 18/18 bản đã nhập đủ"
