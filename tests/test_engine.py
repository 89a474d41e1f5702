"""The rule engine on the kl224 form, with reports built by hand.

Why it is long: one case per rule of the kl224 form, each on a report built by hand.
"""

from __future__ import annotations

import pytest

from forms import messages, vnformat
from forms.engine import (
    CUSTOM_RULE_CODE,
    RULE_NEGATIVE,
    RULE_OF_WHICH,
    RULE_PART_OF_WHOLE,
    RULE_PERCENT_RANGE,
    RULE_SUM_OF_VILLAGES,
    Cell,
    Finding,
    ReportData,
    TargetResult,
    evaluate,
)

VILLAGES = ("01", "02", "03")


def clean_villages() -> dict[str, dict[str, int]]:
    return {
        "01": {
            "so_ho": 100,
            "ho_van_hoa": 80,
            "ban_van_hoa": 1,
            "ban_co_nvh": 1,
            "ban_nvh_dat_chuan": 1,
            "ban_co_doi_van_nghe": 1,
            "doi_van_nghe_thuong_xuyen": 1,
            "ban_cum_loa_on_dinh": 1,
            "ban_cum_loa_cntt": 0,
        },
        "02": {
            "so_ho": 50,
            "ho_van_hoa": 30,
            "ban_van_hoa": 0,
            "ban_co_nvh": 1,
            "ban_nvh_dat_chuan": 0,
            "ban_co_doi_van_nghe": 1,
            "doi_van_nghe_thuong_xuyen": 0,
            "ban_cum_loa_on_dinh": 1,
            "ban_cum_loa_cntt": 1,
        },
        "03": {
            "so_ho": 30,
            "ho_van_hoa": 25,
            "ban_van_hoa": 1,
            "ban_co_nvh": 0,
            "ban_nvh_dat_chuan": 0,
            "ban_co_doi_van_nghe": 0,
            "doi_van_nghe_thuong_xuyen": 0,
            "ban_cum_loa_on_dinh": 0,
            "ban_cum_loa_cntt": 0,
        },
    }


def clean_commune() -> dict[str, int]:
    return {
        "can_bo_lanh_dao": 14,
        "cb_boi_duong": 12,
        "can_bo_dang_vien": 120,
        "cbdv_hoc_nghi_quyet": 118,
        "ho_duoc_tuyen_truyen": 150,
        "cb_cc_vc_nld": 160,
        "cb_cc_vc_nld_hoc_nghi_quyet": 152,
        "xa_co_nvh": 1,
        "xa_nvh_dat_chuan": 0,
        "so_co_quan": 10,
        "co_quan_van_hoa": 9,
        "xa_nong_thon_moi": 1,
        "xa_clb_di_san": 0,
        "so_truong": 4,
        "truong_clb_van_hoa": 2,
        "xa_lich_su_dang_bo": 1,
        "xa_tram_fm": 1,
        "ho_nghe_xem_tw": 155,
        "ho_nghe_xem_dia_phuong": 140,
        "can_bo_tuyen_giao": 3,
        "cbtg_dai_hoc": 2,
        "cbtg_trung_cap_llct": 3,
        "cbtg_cao_cap_llct": 1,
    }


def report(villages=None, commune=None, *, unit_kind="xã", unit_tier="xa", order=VILLAGES) -> ReportData:
    return ReportData(
        unit_kind=unit_kind,
        unit_tier=unit_tier,
        villages=tuple(order),
        village_values=clean_villages() if villages is None else villages,
        commune_values=clean_commune() if commune is None else commune,
    )


def with_village(village: str, **values) -> dict:
    villages = clean_villages()
    villages[village].update(values)
    return villages


def with_commune(**values) -> dict:
    commune = clean_commune()
    commune.update(values)
    return commune


def summary(evaluation) -> list[tuple]:
    return [(f.cell, f.rule, f.severity, f.code) for f in evaluation.findings]


# ---- a clean commune -------------------------------------------------------------


def test_a_clean_commune_has_no_finding_and_nothing_missing(kl224):
    evaluation = evaluate(kl224, report())
    assert evaluation.findings == []
    assert evaluation.errors == [] and evaluation.warnings == []
    assert evaluation.missing == []
    assert evaluation.villages_missing(VILLAGES) == []
    assert evaluation.targets == [] and evaluation.target_set is None


def test_commune_figures_are_sums_over_villages(kl224):
    figures = evaluate(kl224, report()).figures
    assert set(figures) == {i.id for i in kl224.indicators}
    assert figures["so_ho"].value == 180
    assert figures["ho_van_hoa"].value == 135
    assert figures["ho_van_hoa"].total == 180
    assert figures["ho_van_hoa"].percent == pytest.approx(75.0)
    assert figures["ho_van_hoa"].typed is False
    assert figures["so_ho"].percent is None and figures["so_ho"].total is None


def test_yes_no_villages_are_counted(kl224):
    figures = evaluate(kl224, report()).figures
    assert figures["ban_co_nvh"].value == 2
    assert figures["ban_van_hoa"].value == 2
    assert figures["ban_co_doi_van_nghe"].value == 2
    assert figures["doi_van_nghe_thuong_xuyen"].value == 1
    assert figures["ban_cum_loa_cntt"].value == 1


def test_percent_is_value_times_100_over_the_named_denominator(kl224):
    figures = evaluate(kl224, report()).figures
    # a share of all villages (so_ban)
    assert (figures["ban_co_nvh"].total, figures["ban_co_nvh"].percent) == (3, pytest.approx(200 / 3))
    # "trong đó X% đạt chuẩn" is a share of the parent row, not of all villages
    assert (figures["ban_nvh_dat_chuan"].total, figures["ban_nvh_dat_chuan"].percent) == (2, 50.0)
    # 4.1.1 is a share of all villages although its parent is 4.1
    assert (figures["doi_van_nghe_thuong_xuyen"].total, figures["doi_van_nghe_thuong_xuyen"].percent) == (
        3,
        pytest.approx(100 / 3),
    )
    # commune-grain rows over a typed base figure, or over the summed households
    assert figures["cb_boi_duong"].total == 14
    assert figures["cb_boi_duong"].percent == pytest.approx(12 * 100 / 14)
    assert figures["ho_duoc_tuyen_truyen"].total == 180
    assert figures["ho_duoc_tuyen_truyen"].percent == pytest.approx(150 * 100 / 180)
    assert figures["cb_boi_duong"].typed is True


def test_builtin_figures_so_ban_and_don_vi(kl224):
    figures = evaluate(kl224, report()).figures
    assert "so_ban" not in figures and "don_vi" not in figures
    assert figures["ban_van_hoa"].total == 3  # so_ban: the number of villages
    assert figures["xa_co_nvh"].total == 1  # don_vi: the commune itself
    assert figures["xa_co_nvh"].percent == 100.0
    assert figures["xa_clb_di_san"].percent == 0.0
    four = {**clean_villages(), "04": clean_villages()["03"]}
    figures = evaluate(kl224, report(four, order=("01", "02", "03", "04"))).figures
    assert figures["ban_van_hoa"].total == 4
    assert figures["ban_van_hoa"].value == 3


def test_a_denominator_of_zero_gives_no_percent(kl224):
    figures = evaluate(kl224, report(commune=with_commune(so_truong=0, truong_clb_van_hoa=0))).figures
    assert figures["truong_clb_van_hoa"].total == 0
    assert figures["truong_clb_van_hoa"].percent is None
    assert figures["xa_nvh_dat_chuan"].total == 1 and figures["xa_nvh_dat_chuan"].percent == 0.0


# ---- built-in rules: each fires once, on the cell where the slip was made ----------


@pytest.mark.parametrize(
    ("villages", "commune", "cell", "rule", "code"),
    [
        pytest.param(
            with_village("02", ho_van_hoa=-1),
            None,
            Cell("ho_van_hoa", "02"),
            RULE_NEGATIVE,
            "so_am",
            id="negative-at-village",
        ),
        pytest.param(
            None,
            with_commune(co_quan_van_hoa=-1),
            Cell("co_quan_van_hoa"),
            RULE_NEGATIVE,
            "so_am",
            id="negative-at-commune",
        ),
        pytest.param(
            with_village("02", ho_van_hoa=60),
            None,
            Cell("ho_van_hoa", "02"),
            RULE_PART_OF_WHOLE,
            "vuot_tong",
            id="part-over-whole-at-village",
        ),
        pytest.param(
            with_village("03", ban_nvh_dat_chuan=1, ban_co_nvh=0),
            None,
            Cell("ban_nvh_dat_chuan", "03"),
            RULE_OF_WHICH,
            "vuot_chi_tieu_cha",
            id="yes-child-no-parent",
        ),
        pytest.param(
            with_village("03", doi_van_nghe_thuong_xuyen=1),
            None,
            Cell("doi_van_nghe_thuong_xuyen", "03"),
            RULE_OF_WHICH,
            "vuot_chi_tieu_cha",
            id="troupe-regular-without-troupe",
        ),
        pytest.param(
            with_village("01", ban_cum_loa_cntt=1, ban_cum_loa_on_dinh=0),
            None,
            Cell("ban_cum_loa_cntt", "01"),
            RULE_OF_WHICH,
            "vuot_chi_tieu_cha",
            id="it-loudspeaker",
        ),
        pytest.param(
            None,
            with_commune(ban_co_nvh=3),
            Cell("ban_co_nvh"),
            RULE_SUM_OF_VILLAGES,
            "lech_tong_cac_ban",
            id="typed-above-the-sum",
        ),
        pytest.param(
            None,
            with_commune(ban_co_nvh=1),
            Cell("ban_co_nvh"),
            RULE_SUM_OF_VILLAGES,
            "lech_tong_cac_ban",
            id="typed-below-the-sum",
        ),
        pytest.param(
            None,
            with_commune(so_ho=200),
            Cell("so_ho"),
            RULE_SUM_OF_VILLAGES,
            "lech_tong_cac_ban",
            id="typed-households",
        ),
        pytest.param(
            None,
            with_commune(cb_boi_duong=15),
            Cell("cb_boi_duong"),
            RULE_PART_OF_WHOLE,
            "vuot_tong",
            id="commune-part-over-whole",
        ),
        pytest.param(
            None,
            with_commune(xa_nvh_dat_chuan=1, xa_co_nvh=0),
            Cell("xa_nvh_dat_chuan"),
            RULE_OF_WHICH,
            "vuot_chi_tieu_cha",
            id="commune-yes-child-no-parent",
        ),
        pytest.param(
            None,
            with_commune(cbtg_cao_cap_llct=3, cbtg_trung_cap_llct=2),
            Cell("cbtg_cao_cap_llct"),
            RULE_OF_WHICH,
            "vuot_chi_tieu_cha",
            id="commune-of-which-count",
        ),
        pytest.param(
            None,
            with_commune(ho_duoc_tuyen_truyen=181),
            Cell("ho_duoc_tuyen_truyen"),
            RULE_PART_OF_WHOLE,
            "vuot_tong",
            id="commune-part-of-village-sum",
        ),
    ],
)
def test_a_builtin_rule_fires_once_on_the_right_cell(kl224, villages, commune, cell, rule, code):
    evaluation = evaluate(kl224, report(villages, commune))
    assert summary(evaluation) == [(cell, rule, "error", code)]
    assert evaluation.errors == evaluation.findings


def test_the_finding_carries_the_figures(kl224):
    finding = evaluate(kl224, report(with_village("02", ho_van_hoa=60))).findings[0]
    assert finding.params == {"value": 60, "whole": 50, "other": "so_ho"}
    finding = evaluate(kl224, report(commune=with_commune(ban_co_nvh=3))).findings[0]
    assert finding.params == {"typed": 3, "sum": 2}


def test_partly_entered_villages_below_the_typed_figure_are_not_flagged(kl224):
    villages = clean_villages()
    del villages["03"]["ban_co_nvh"], villages["03"]["ban_nvh_dat_chuan"]
    evaluation = evaluate(kl224, report(villages, with_commune(ban_co_nvh=3)))
    assert evaluation.findings == []
    figure = evaluation.figures["ban_co_nvh"]
    assert (figure.value, figure.typed) == (3, True)
    assert Cell("ban_co_nvh", "03") in evaluation.missing


def test_partly_entered_villages_above_the_typed_figure_are_flagged(kl224):
    villages = clean_villages()
    del villages["03"]["ban_co_nvh"], villages["03"]["ban_nvh_dat_chuan"]
    evaluation = evaluate(kl224, report(villages, with_commune(ban_co_nvh=1)))
    assert summary(evaluation) == [(Cell("ban_co_nvh"), RULE_SUM_OF_VILLAGES, "error", "lech_tong_cac_ban")]


def test_typed_village_figure_equal_to_the_sum_is_clean(kl224):
    evaluation = evaluate(kl224, report(commune=with_commune(ban_co_nvh=2, so_ho=180, ho_van_hoa=135)))
    assert evaluation.findings == []
    assert evaluation.figures["so_ho"].typed is True


def test_typed_commune_figure_above_the_number_of_villages_is_flagged(kl224):
    villages = clean_villages()
    del villages["03"]["ban_co_nvh"], villages["03"]["ban_nvh_dat_chuan"]
    evaluation = evaluate(kl224, report(villages, with_commune(ban_co_nvh=4)))
    assert summary(evaluation) == [(Cell("ban_co_nvh"), RULE_PART_OF_WHOLE, "error", "vuot_tong")]
    assert evaluation.findings[0].params == {"value": 4, "whole": 3, "other": "so_ban"}


def test_typed_yes_no_row_of_a_commune_without_villages(kl224):
    evaluation = evaluate(kl224, report({}, with_commune(ban_co_nvh=1), order=()))
    assert summary(evaluation) == [(Cell("ban_co_nvh"), RULE_PART_OF_WHOLE, "error", "vuot_tong")]


def test_a_percentage_above_100_from_typed_base_figures(kl224):
    """Only the part is typed wrong → one finding; no extra percent finding."""
    evaluation = evaluate(kl224, report(commune=with_commune(co_quan_van_hoa=11)))
    assert summary(evaluation) == [(Cell("co_quan_van_hoa"), RULE_PART_OF_WHOLE, "error", "vuot_tong")]
    assert evaluation.figures["co_quan_van_hoa"].percent == pytest.approx(110.0)


def test_one_slip_in_one_village_gives_one_finding(kl224):
    """docs/forms.md: "one slip gives one finding, on the cell where it was made".

    The slip carries the summed commune row 3.1 to 110%; that percentage is
    explained by the village's finding and is not reported a second time.
    """
    villages = {"01": {**clean_villages()["02"], "ho_van_hoa": 55}}  # 55 households of 50
    commune = with_commune(ho_duoc_tuyen_truyen=50, ho_nghe_xem_tw=50, ho_nghe_xem_dia_phuong=50)
    evaluation = evaluate(kl224, report(villages, commune, order=("01",)))
    assert summary(evaluation) == [(Cell("ho_van_hoa", "01"), RULE_PART_OF_WHOLE, "error", "vuot_tong")]
    assert evaluation.figures["ho_van_hoa"].percent == pytest.approx(110.0)


def test_a_yes_no_slip_gives_one_finding(kl224):
    """The same with a yes/no "trong đó": village 03 says its culture house meets
    the standard but has none; the commune row 2.4 becomes 3 of 2 (150%)."""
    villages = with_village("02", ban_nvh_dat_chuan=1)
    villages["03"].update(ban_nvh_dat_chuan=1)
    evaluation = evaluate(kl224, report(villages))
    assert summary(evaluation) == [(Cell("ban_nvh_dat_chuan", "03"), RULE_OF_WHICH, "error", "vuot_chi_tieu_cha")]
    assert evaluation.figures["ban_nvh_dat_chuan"].percent == 150.0


# ---- the form's own rules ------------------------------------------------------------


def test_cultural_village_with_too_few_cultural_households_is_warned(kl224):
    evaluation = evaluate(kl224, report(with_village("01", ho_van_hoa=69)))  # 69 of 100 < 70%
    assert summary(evaluation) == [(Cell("ban_van_hoa", "01"), "ban_van_hoa_du_ho", "warning", CUSTOM_RULE_CODE)]
    assert evaluation.warnings == evaluation.findings and evaluation.errors == []
    assert evaluation.findings[0].params == {"left": 6900, "right": 7000}


def test_exactly_70_percent_is_enough(kl224):
    assert evaluate(kl224, report(with_village("01", ho_van_hoa=70))).findings == []


def test_the_warning_only_applies_to_a_cultural_village(kl224):
    evaluation = evaluate(kl224, report(with_village("01", ho_van_hoa=10, ban_van_hoa=0)))
    assert evaluation.findings == []


def test_the_warning_waits_for_missing_values(kl224):
    villages = with_village("01", ho_van_hoa=10)
    del villages["01"]["so_ho"]
    evaluation = evaluate(
        kl224, report(villages, with_commune(ho_duoc_tuyen_truyen=70, ho_nghe_xem_tw=75, ho_nghe_xem_dia_phuong=70))
    )
    assert evaluation.findings == []
    assert evaluation.missing == [Cell("so_ho", "01")]
    villages = clean_villages()
    del villages["01"]["ban_van_hoa"]
    villages["01"]["ho_van_hoa"] = 10
    evaluation = evaluate(kl224, report(villages))
    assert [f.rule for f in evaluation.findings] == []


def test_a_village_with_fewer_than_10_households_is_warned(kl224):
    evaluation = evaluate(kl224, report(with_village("03", so_ho=9, ho_van_hoa=7)))
    assert summary(evaluation) == [(Cell("so_ho", "03"), "ban_it_ho", "warning", CUSTOM_RULE_CODE)]


def test_commune_rule_leaders_within_party_members(kl224):
    evaluation = evaluate(kl224, report(commune=with_commune(can_bo_lanh_dao=130)))
    assert summary(evaluation) == [(Cell("can_bo_lanh_dao"), "lanh_dao_trong_can_bo", "error", CUSTOM_RULE_CODE)]


# ---- applies_to -------------------------------------------------------------------------


def test_a_ward_has_no_new_rural_row_but_has_the_civilised_urban_row(kl224):
    commune = with_commune(phuong_van_minh=1)  # xa_nong_thon_moi is still typed: it is ignored
    evaluation = evaluate(kl224, report(commune=commune, unit_kind="phường"))
    rural, urban = evaluation.figures["xa_nong_thon_moi"], evaluation.figures["phuong_van_minh"]
    assert rural.applicable is False
    assert (rural.value, rural.percent) == (None, None)
    assert urban.applicable is True
    assert (urban.value, urban.total, urban.percent) == (1, 1, 100.0)
    assert evaluation.findings == [] and evaluation.missing == []


def test_a_commune_has_the_new_rural_row_only(kl224):
    evaluation = evaluate(kl224, report())
    assert evaluation.figures["xa_nong_thon_moi"].applicable is True
    assert evaluation.figures["phuong_van_minh"].applicable is False
    assert Cell("phuong_van_minh") not in evaluation.missing


def test_a_ward_without_its_row_typed_misses_it(kl224):
    evaluation = evaluate(kl224, report(unit_kind="phường"))
    assert evaluation.missing == [Cell("phuong_van_minh")]


# ---- missing cells ----------------------------------------------------------------------


def test_missing_cells_are_listed(kl224):
    villages = clean_villages()
    del villages["03"]["ban_co_doi_van_nghe"]
    commune = clean_commune()
    del commune["xa_tram_fm"]
    evaluation = evaluate(kl224, report(villages, commune))
    assert evaluation.findings == []
    assert evaluation.missing == [Cell("ban_co_doi_van_nghe", "03"), Cell("xa_tram_fm")]
    assert evaluation.villages_missing(VILLAGES) == ["03"]


def test_a_village_with_nothing_entered_misses_every_village_row(kl224):
    villages = clean_villages()
    villages["02"] = {}
    evaluation = evaluate(kl224, report(villages, order=("02", "01", "03")))
    assert evaluation.missing == [Cell(i.id, "02") for i in kl224.village_indicators]
    assert evaluation.villages_missing(("01", "02", "03")) == ["02"]
    assert evaluation.villages_missing(("02", "01", "03")) == ["02"]


def test_a_commune_without_villages_misses_the_village_rows_at_commune_level(kl224):
    evaluation = evaluate(kl224, report({}, order=()))
    assert set(evaluation.missing) == {Cell(i.id) for i in kl224.village_indicators}
    assert evaluation.villages_missing(()) == []


# ---- targets ----------------------------------------------------------------------------


def uniform_villages(count: int, **values) -> dict[str, dict[str, int]]:
    base = {
        "so_ho": 20,
        "ho_van_hoa": 16,
        "ban_van_hoa": 1,
        "ban_co_nvh": 0,
        "ban_nvh_dat_chuan": 0,
        "ban_co_doi_van_nghe": 1,
        "doi_van_nghe_thuong_xuyen": 1,
        "ban_cum_loa_on_dinh": 1,
        "ban_cum_loa_cntt": 0,
    }
    return {f"{n:02d}": {**base, **values} for n in range(1, count + 1)}


def eighteen_villages(with_culture_house: int) -> ReportData:
    villages = uniform_villages(18)
    for code in list(villages)[:with_culture_house]:
        villages[code]["ban_co_nvh"] = 1
    return report(
        villages,
        with_commune(ho_duoc_tuyen_truyen=300, ho_nghe_xem_tw=350, ho_nghe_xem_dia_phuong=340),
        order=tuple(villages),
    )


def target(evaluation, indicator):
    return next(t for t in evaluation.targets if t.indicator == indicator)


def test_targets_follow_the_target_set_in_force(kl224):
    muong_te = kl224.target_set("muong-te-2025")
    evaluation = evaluate(kl224, eighteen_villages(13), muong_te)
    assert evaluation.findings == []
    assert evaluation.target_set is muong_te
    assert [t.indicator for t in evaluation.targets] == [t.indicator for t in muong_te.in_force()]
    heritage = target(evaluation, "xa_clb_di_san")
    assert (heritage.version, heritage.percent) == (2, 15)


def test_a_percent_target_not_reached_gives_the_gap(kl224):
    evaluation = evaluate(kl224, eighteen_villages(13), kl224.target_set("muong-te-2025"))
    result = target(evaluation, "ban_co_nvh")  # ≥ 85% of 18 = 15,3 → 16 villages
    assert result.status == "chua_dat"
    assert result.achieved == pytest.approx(13 * 100 / 18)
    assert result.gap == 3
    assert messages.target_text(kl224, result) == "≥ 85%: chưa đạt (72,2%), còn thiếu 3 bản"


def test_a_percent_target_reached(kl224):
    evaluation = evaluate(kl224, eighteen_villages(16), kl224.target_set("muong-te-2025"))
    result = target(evaluation, "ban_co_nvh")
    assert (result.status, result.gap) == ("dat", 0)
    assert messages.target_text(kl224, result) == "≥ 85%: đạt (88,9%)"


def test_strictly_above_at_exactly_the_threshold_is_not_reached(kl224):
    # 18 villages of 20 households, 16 cultural households each: 288 of 360 = 80%
    evaluation = evaluate(kl224, eighteen_villages(13), kl224.target_set("muong-te-2025"))
    result = target(evaluation, "ho_van_hoa")  # > 80%
    assert result.op == ">"
    assert result.achieved == pytest.approx(80.0)
    assert (result.status, result.gap) == ("chua_dat", 1)
    assert messages.target_text(kl224, result) == "> 80%: chưa đạt (80%), còn thiếu 1 hộ"


def test_at_or_above_at_exactly_the_threshold_is_reached(kl224):
    villages = uniform_villages(10)
    villages["01"]["ban_van_hoa"] = villages["02"]["ban_van_hoa"] = 0  # 8 of 10 cultural villages: 80%
    data = report(villages, order=tuple(villages))
    result = target(evaluate(kl224, data, kl224.target_set("de-an-241-2016-2020")), "ban_van_hoa")  # ≥ 80%
    assert (result.status, result.achieved, result.gap) == ("dat", 80.0, 0)
    result = target(evaluate(kl224, data, kl224.target_set("muong-te-2025")), "ban_van_hoa")  # ≥ 82%: 8,2 → 9
    assert (result.status, result.gap) == ("chua_dat", 1)
    assert messages.target_text(kl224, result) == "≥ 82%: chưa đạt (80%), còn thiếu 1 bản"


def test_count_target_does_not_apply_to_one_commune(kl224):
    evaluation = evaluate(kl224, report(commune=with_commune(xa_clb_di_san=1)), kl224.target_set("tp-lai-chau-2025"))
    result = target(evaluation, "xa_clb_di_san")
    assert (result.count, result.percent) == (3, None)
    assert (result.status, result.achieved, result.gap) == ("khong_ap_dung", None, None)
    assert messages.target_text(kl224, result) == "≥ 03 xã: không áp dụng"


def test_count_target_is_compared_for_a_district(kl224):
    district = report(commune=with_commune(xa_clb_di_san=2), unit_tier="huyen")
    result = target(evaluate(kl224, district, kl224.target_set("tp-lai-chau-2025")), "xa_clb_di_san")
    assert (result.status, result.achieved, result.gap) == ("chua_dat", 2, 1)
    assert messages.target_text(kl224, result) == "≥ 03 xã: chưa đạt (2 xã), còn thiếu 1 xã"
    district = report(commune=with_commune(xa_clb_di_san=3), unit_tier="huyen")
    result = target(evaluate(kl224, district, kl224.target_set("tp-lai-chau-2025")), "xa_clb_di_san")
    assert (result.status, result.achieved) == ("dat", 3)
    assert messages.target_text(kl224, result) == "≥ 03 xã: đạt (3 xã)"


def test_count_target_for_a_province_is_compared(kl224):
    province = report(commune=with_commune(truong_clb_van_hoa=5, so_truong=40), unit_tier="tinh")
    result = target(evaluate(kl224, province, kl224.target_set("tp-lai-chau-2025")), "truong_clb_van_hoa")
    assert (result.status, result.gap) == ("dat", 0)


def test_a_denominator_of_zero_does_not_apply(kl224):
    commune = with_commune(so_truong=0, truong_clb_van_hoa=0)
    evaluation = evaluate(kl224, report(commune=commune), kl224.target_set("muong-te-2025"))
    result = target(evaluation, "truong_clb_van_hoa")
    assert (result.status, result.achieved, result.gap) == ("khong_ap_dung", None, None)
    assert messages.target_text(kl224, result) == "≥ 20%: không áp dụng"


def test_a_missing_value_gives_missing_data(kl224):
    commune = clean_commune()
    del commune["co_quan_van_hoa"]
    evaluation = evaluate(kl224, report(commune=commune), kl224.target_set("muong-te-2025"))
    result = target(evaluation, "co_quan_van_hoa")
    assert (result.status, result.achieved, result.gap) == ("thieu_so_lieu", None, None)
    assert messages.target_text(kl224, result) == "≥ 97%: thiếu số liệu"
    commune = clean_commune()
    del commune["so_co_quan"]
    result = target(evaluate(kl224, report(commune=commune), kl224.target_set("muong-te-2025")), "co_quan_van_hoa")
    assert result.status == "thieu_so_lieu"


def test_a_count_target_with_a_missing_value_for_a_district(kl224):
    commune = clean_commune()
    del commune["xa_clb_di_san"]
    district = report(commune=commune, unit_tier="huyen")
    result = target(evaluate(kl224, district, kl224.target_set("tp-lai-chau-2025")), "xa_clb_di_san")
    assert result.status == "thieu_so_lieu"


def test_a_target_on_a_row_that_does_not_apply(kl224):
    evaluation = evaluate(
        kl224, report(commune=with_commune(phuong_van_minh=1), unit_kind="phường"), kl224.target_set("muong-te-2025")
    )
    assert target(evaluation, "xa_nong_thon_moi").status == "khong_ap_dung"


def test_the_heritage_club_target_in_force_is_15_percent(kl224):
    # a commune with the club: 100%, reached; the target text shows the annex figure
    evaluation = evaluate(kl224, report(commune=with_commune(xa_clb_di_san=1)), kl224.target_set("muong-te-2025"))
    result = target(evaluation, "xa_clb_di_san")
    assert (result.status, result.version) == ("dat", 2)
    assert messages.target_text(kl224, result) == "≥ 15%: đạt (100%)"
    evaluation = evaluate(kl224, report(), kl224.target_set("muong-te-2025"))
    result = target(evaluation, "xa_clb_di_san")
    assert (result.status, result.gap) == ("chua_dat", 1)
    assert messages.target_text(kl224, result) == "≥ 15%: chưa đạt (0%), còn thiếu 1 xã"


# ---- findings in Vietnamese -------------------------------------------------------------


def test_finding_text_for_a_part_over_its_whole(kl224):
    villages = with_village("01", so_ho=1200, ho_van_hoa=1250)
    finding = evaluate(kl224, report(villages)).findings[0]
    text = messages.finding_text(kl224, finding)
    assert text == ("3.1. Hộ gia đình đạt danh hiệu Gia đình văn hóa (1.250) lớn hơn tổng “Số hộ gia đình” (1.200).")


def test_finding_text_for_a_yes_no_child(kl224):
    finding = evaluate(kl224, report(with_village("03", ban_nvh_dat_chuan=1, ban_co_nvh=0))).findings[0]
    text = messages.finding_text(kl224, finding)
    assert text.startswith("2.4. Trong đó: nhà văn hóa bản, tổ dân phố đạt chuẩn là “Có” nhưng")
    assert "“2.3. Bản, tổ dân phố có nhà văn hóa” là “Không”" in text


def test_finding_text_for_a_commune_count_over_its_parent(kl224):
    finding = evaluate(kl224, report(commune=with_commune(cbtg_cao_cap_llct=3, cbtg_trung_cap_llct=2))).findings[0]
    text = messages.finding_text(kl224, finding)
    assert text == (
        "8.3. Trong đó: cao cấp lý luận chính trị (3) lớn hơn chỉ tiêu cha "
        "“8.2. Cán bộ tuyên giáo có trình độ trung cấp lý luận chính trị trở lên” (2)."
    )


def test_finding_text_for_a_typed_sum(kl224):
    finding = evaluate(kl224, report(commune=with_commune(so_ho=2000))).findings[0]
    assert messages.finding_text(kl224, finding) == (
        "Số hộ gia đình: số nhập cho cả xã (2.000) khác tổng của các bản (180)."
    )


def test_finding_text_for_a_negative_count(kl224):
    finding = evaluate(kl224, report(commune=with_commune(co_quan_van_hoa=-1))).findings[0]
    assert messages.finding_text(kl224, finding) == (
        "3.3. Cơ quan, đơn vị, doanh nghiệp, trường học đạt chuẩn văn hóa: không được là số âm (-1)."
    )


def test_finding_text_for_a_rule_of_the_form_is_its_message(kl224):
    finding = evaluate(kl224, report(with_village("01", ho_van_hoa=69))).findings[0]
    rule = next(r for r in kl224.rules if r.id == "ban_van_hoa_du_ho")
    assert messages.finding_text(kl224, finding) == rule.message


def test_finding_text_for_a_percentage_out_of_range(kl224):
    # A safety net the engine's other checks leave no way to reach with a
    # form's own data, so the sentence is checked on its own.
    finding = Finding(
        Cell("ho_van_hoa"), RULE_PERCENT_RANGE, "error", "ty_le_ngoai_khoang", {"percent": 135 / 130 * 100}
    )
    assert messages.finding_text(kl224, finding) == (
        "3.1. Hộ gia đình đạt danh hiệu Gia đình văn hóa: tỷ lệ 103,8% nằm ngoài khoảng 0-100%."
    )


def test_half_entered_villages_give_no_percentage_finding(kl224):
    """One village has its cultural families typed but not yet its households:
    the commune sums compare different villages, which is no slip to report."""
    data = ReportData("xã", "xa", ("01", "02"), {"01": {"so_ho": 40, "ho_van_hoa": 35}, "02": {"ho_van_hoa": 30}}, {})
    evaluation = evaluate(kl224, data)
    assert evaluation.figures["ho_van_hoa"].percent > 100
    assert [f for f in evaluation.findings if f.rule == RULE_PERCENT_RANGE] == []
    assert Cell("so_ho", "02") in evaluation.missing


@pytest.mark.parametrize(
    "op, count, value, status, gap",
    [
        (">=", 3, 2, "chua_dat", 1),
        (">", 3, 3, "chua_dat", 1),  # "more than 03": one more is needed
        (">", 3, 4, "dat", 0),
        ("<=", 3, 5, "chua_dat", -2),  # two too many
        ("<=", 3, 2, "dat", 0),
        ("=", 3, 1, "chua_dat", 2),
    ],
)
def test_count_target_gaps_follow_the_comparison(kl224, op, count, value, status, gap):
    from forms.engine import Figure, compare_targets
    from forms.schema import Target, TargetSet

    figures = {i.id: Figure(i.id, None, None, None, False) for i in kl224.indicators}
    figures["truong_clb_van_hoa"] = Figure("truong_clb_van_hoa", value, 6, value * 100 / 6, True)
    target_set = TargetSet("t", "t", "", "xa", "2025", (Target("truong_clb_van_hoa", op, count=count),))
    [result] = compare_targets(kl224, figures, target_set, "xa")
    assert (result.status, result.gap) == (status, gap)


def test_a_large_shortfall_is_grouped_as_vietnamese_writes_numbers(kl224):
    villages = uniform_villages(18, so_ho=2000, ho_van_hoa=1200)  # 21.600 of 36.000 households: 60%
    result = target(
        evaluate(kl224, report(villages, order=tuple(villages)), kl224.target_set("muong-te-2025")), "ho_van_hoa"
    )
    assert result.gap == 7201  # > 80%: 28.801 needed
    assert messages.target_text(kl224, result) == "> 80%: chưa đạt (60%), còn thiếu 7.201 hộ"


def test_units_are_lower_case_mid_sentence_and_an_excess_is_grouped(library):
    da241 = library.get("da241")
    assert da241.indicator("so_ho").unit == "Hộ"  # the form's ĐVT column keeps its capital
    short = TargetResult("so_ho", ">=", None, 5000, 1, "kiem-thu", "chua_dat", 3719, 1281)
    assert messages.target_text(da241, short) == "≥ 5.000 hộ: chưa đạt (3.719 hộ), còn thiếu 1.281 hộ"
    over = TargetResult("can_bo_lanh_dao", "<=", None, 2, 1, "kiem-thu", "chua_dat", 1283, -1281)
    assert messages.target_text(da241, over) == "≤ 02 người: chưa đạt (1.283 người), vượt 1.281 người"
    assert [vnformat.unit_in_sentence(u) for u in ("Người", "Bản", "Xã, thị trấn", "CLB", "hộ", "")] == [
        "người",
        "bản",
        "xã, thị trấn",
        "CLB",
        "hộ",
        "",
    ]
    assert (vnformat.decimal(4.5), vnformat.decimal(1234.567), vnformat.decimal(0.042, 3)) == (
        "4,50",
        "1.234,57",
        "0,042",
    )
