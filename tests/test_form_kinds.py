"""Amounts in đồng, dates, text and count targets, through the Sa Pa form
(seed 004): typed as an officer types them, stored, checked, shown."""

from __future__ import annotations

import pytest

from exports.report_json import report_to_dict
from exports.text_report import render_report
from models.errors import BadInput
from models.reporting import enter_values, view_report


@pytest.fixture
def sapa(sapa_report):
    gw, form, report = sapa_report
    typed = {
        "hoi_nghi_quan_triet": "6",
        "cuoc_kiem_tra": 4,
        "sach_lich_su": 7,
        "sach_hoi_thao": 4,
        "so_xa_phuong": 16,
        "trang_mang_xa_hoi": 16,
        "kinh_phi_tong": "6.505.490.000",
        "kinh_phi_ngan_sach": "6.145.490.000đ",
        "kinh_phi_xa_hoi_hoa": "360.000.000",
        "kinh_phi_nam": "1.750.060.000",
        "ngay_chot_so_lieu": "15/12/2022",
        "ghi_chu": "Số liệu mẫu",
    }
    enter_values(gw, report, form, [(k, "089", v) for k, v in typed.items()], who="test")
    return gw, form, report


def test_values_are_stored_in_their_kind(sapa):
    gw, form, report = sapa
    values = gw.values(report)
    assert values[("kinh_phi_tong", "089")] == 6505490000
    assert values[("ngay_chot_so_lieu", "089")] == "2022-12-15"
    assert values[("ghi_chu", "089")] == "Số liệu mẫu"


def test_show_prints_vietnamese_amounts_and_dates(sapa):
    gw, form, report = sapa
    view = view_report(gw, report, form, "sa-pa-2022")
    text = render_report(view, gw.period("2022"), "Tỉnh Lào Cai")
    assert "6.505.490.000" in text and "360.000.000" in text
    assert "15/12/2022" in text
    assert view.evaluation.findings == []


def test_budget_that_does_not_add_up_is_an_error(sapa):
    gw, form, report = sapa
    enter_values(gw, report, form, [("kinh_phi_xa_hoi_hoa", "089", "400.000.000")], who="test")
    findings = view_report(gw, report, form).evaluation.findings
    assert [(f.rule, f.cell.indicator, f.severity) for f in findings] == [
        ("kinh_phi_theo_nguon", "kinh_phi_tong", "error")
    ]


def test_count_targets_compare_at_their_own_tier(sapa):
    gw, form, report = sapa
    targets = {t["indicator"]: t for t in report_to_dict(gw, view_report(gw, report, form, "sa-pa-2022"))["targets"]}
    assert targets["hoi_nghi_quan_triet"]["status"] == "dat"
    assert targets["cuoc_kiem_tra"]["status"] == "chua_dat" and targets["cuoc_kiem_tra"]["gap"] == 1
    assert targets["cuoc_kiem_tra"]["text"] == "≥ 05 cuộc: chưa đạt (4 cuộc), còn thiếu 1 cuộc"
    assert targets["lop_tap_huan"]["status"] == "thieu_so_lieu"


@pytest.mark.parametrize(
    "indicator, raw",
    [
        ("ngay_chot_so_lieu", "31/02/2022"),
        ("kinh_phi_tong", "6,5 tỷ"),
        ("kinh_phi_tong", "-1.000"),
    ],
)
def test_refused_values_change_nothing(sapa, indicator, raw):
    gw, form, report = sapa
    before = gw.values(report), len(gw.audit_trail(report))
    with pytest.raises(BadInput, match="Thị xã Sa Pa"):
        enter_values(gw, report, form, [("hoi_nghi_quan_triet", "089", 9), (indicator, "089", raw)], who="test")
    assert (gw.values(report), len(gw.audit_trail(report))) == before
