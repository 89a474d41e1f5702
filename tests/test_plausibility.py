"""Plausibility warnings, pure: each rule fires past its bound and not at it, small counts with
change_min, ratios, ranges set per unit, and the loader's refusals of a broken threshold."""

from __future__ import annotations

import pytest

from forms import messages
from forms.definition_data import form_data
from forms.engine import Cell, ReportData, evaluate
from forms.library import default_library
from forms.loader import FormError, form_from_data, parse_form
from forms.plausibility import (
    PLAUSIBILITY_RULES,
    RULE_CHANGE,
    RULE_HISTORY_RANGE,
    RULE_RATIO,
    RULE_SET_RANGE,
    WHY_HISTORY,
    WHY_LAST,
    WHY_YEAR_BEFORE,
    History,
    plausibility_findings,
)

COMMUNE = "03445"
HEAD = """
format = 1
id = "thu"
version = 1
title = "BIỂU THỬ"

[plausibility]
change_percent = 20
change_min = 10
{defaults}

[[sections]]
code = "1"
title = "Mục 1"

[[indicators]]
id = "so_ho"
section = "1"
label = "Số hộ gia đình"
unit = "hộ"
kind = "count"
grain = "village"
{so_ho}

[[indicators]]
id = "ho_van_hoa"
code = "1.1"
section = "1"
label = "Hộ văn hóa"
unit = "hộ"
kind = "count"
grain = "village"
denominator = "so_ho"

[[indicators]]
id = "co_nvh"
code = "1.2"
section = "1"
label = "Bản có nhà văn hóa"
unit = "bản"
kind = "yesno"
grain = "village"
denominator = "so_ban"

[[indicators]]
id = "kinh_phi"
code = "1.3"
section = "1"
label = "Kinh phí"
unit = "đồng"
kind = "amount"
grain = "commune"
{tail}
"""


def form(defaults: str = "", so_ho: str = "", tail: str = ""):
    return parse_form(HEAD.format(defaults=defaults, so_ho=so_ho, tail=tail), "thu.toml")


def data(villages: dict, commune: dict | None = None) -> ReportData:
    return ReportData("xã", "xa", tuple(villages), villages, commune or {})


def history(*periods) -> History:
    return History(COMMUNE, periods)


LAST_61 = ("2024", "Năm 2024", WHY_LAST, {("so_ho", "01"): 61})


def rules(findings) -> list[str]:
    return [f.rule for f in findings]


# ---- the change against the last period -------------------------------------------------------


def test_1234_households_where_there_were_61_warns_naming_61_and_the_year():
    f = form()
    found = plausibility_findings(f, data({"01": {"so_ho": 1234}}), history(LAST_61))
    assert rules(found) == [RULE_CHANGE]
    finding = found[0]
    assert finding.cell == Cell("so_ho", "01") and finding.severity == "warning"
    assert finding.params.items() >= {"value": 1234, "before": 61, "period": "2024", "period_label": "Năm 2024"}.items()
    assert messages.finding_text(f, finding) == (
        "Số hộ gia đình 1.234 khác nhiều so với kỳ trước (Năm 2024: 61): tăng 1.173 hộ (1.923%). "
        "Kiểm tra lại hoặc ghi giải trình."
    )


@pytest.mark.parametrize(
    ("now", "warns"),
    [
        (120, False),  # +20 of 100: exactly 20%, not beyond
        (121, True),  # beyond 20% and at least 10
        (80, False),  # -20%
        (79, True),
    ],
)
def test_the_percent_bound(now, warns):
    found = plausibility_findings(
        form(), data({"01": {"so_ho": now}}), history(("2024", "Năm 2024", WHY_LAST, {("so_ho", "01"): 100}))
    )
    assert rules(found) == ([RULE_CHANGE] if warns else [])


@pytest.mark.parametrize(
    ("before", "now", "warns"), [(1, 2, False), (1, 10, False), (1, 11, True), (0, 9, False), (0, 10, True)]
)
def test_small_counts_need_change_min(before, now, warns):
    found = plausibility_findings(
        form(), data({"01": {"so_ho": now}}), history(("2024", "Năm 2024", WHY_LAST, {("so_ho", "01"): before}))
    )
    assert rules(found) == ([RULE_CHANGE] if warns else [])


def test_an_indicator_overrides_the_form_and_can_be_switched_off():
    past = history(("2024", "Năm 2024", WHY_LAST, {("so_ho", "01"): 100}))
    assert rules(plausibility_findings(form(so_ho="change_percent = 50"), data({"01": {"so_ho": 140}}), past)) == []
    assert rules(plausibility_findings(form(so_ho="change_min = 50"), data({"01": {"so_ho": 140}}), past)) == []
    assert rules(plausibility_findings(form(), data({"01": {"so_ho": 140}}), past)) == [RULE_CHANGE]
    assert rules(plausibility_findings(form(so_ho="plausible = false"), data({"01": {"so_ho": 1400}}), past)) == []


def test_yes_no_and_empty_cells_and_missing_history_say_nothing():
    past = history(("2024", "Năm 2024", WHY_LAST, {("co_nvh", "01"): 0, ("so_ho", "02"): 50}))
    villages = {"01": {"co_nvh": 1, "so_ho": 500}, "02": {}}
    assert plausibility_findings(form(), data(villages), past) == []
    assert plausibility_findings(form(), data(villages), history()) == []


def test_a_seasonal_figure_close_to_the_same_half_a_year_before_does_not_warn():
    last = ("2025-H1", "6 tháng đầu năm 2025", WHY_LAST, {("so_ho", "01"): 100})
    year = ("2024-H2", "6 tháng cuối năm 2024", WHY_YEAR_BEFORE, {("so_ho", "01"): 200})
    assert plausibility_findings(form(), data({"01": {"so_ho": 195}}), history(last, year)) == []
    found = plausibility_findings(form(), data({"01": {"so_ho": 400}}), history(last, year))
    assert rules(found) == [RULE_CHANGE] and found[0].params["year_before"] == 200
    assert "cùng kỳ năm trước (6 tháng cuối năm 2024: 200)" in messages.finding_text(form(), found[0])


def test_a_commune_figure_is_checked_on_the_commune_cell():
    f = form()
    past = history(("2024", "Năm 2024", WHY_LAST, {("kinh_phi", COMMUNE): 1_000_000}))
    found = plausibility_findings(f, data({}, {"kinh_phi": 3_000_000}), past)
    assert [(x.rule, x.cell) for x in found] == [(RULE_CHANGE, Cell("kinh_phi"))]
    assert "giảm" not in messages.finding_text(f, found[0]) and "2.000.000 đồng (200%)" in messages.finding_text(
        f, found[0]
    )


# ---- the unit's own history range --------------------------------------------------------------


def test_the_history_range_is_min_max_widened_by_the_margin_and_needs_two_periods():
    f = form(defaults="history_margin = 50", so_ho="change_percent = 1000")
    periods = [
        ("2024", "Năm 2024", WHY_LAST, {("so_ho", "01"): 60}),
        ("2023", "Năm 2023", WHY_HISTORY, {("so_ho", "01"): 40}),
    ]
    # 40 x 0.5 = 20 .. 60 x 1.5 = 90
    for now, warns in ((20, False), (19, True), (90, False), (91, True)):
        found = plausibility_findings(f, data({"01": {"so_ho": now}}), history(*periods))
        assert rules(found) == ([RULE_HISTORY_RANGE] if warns else []), now
    found = plausibility_findings(f, data({"01": {"so_ho": 91}}), history(*periods))
    assert found[0].params.items() >= {"low": 20, "high": 90, "min": 40, "max": 60, "periods": 2}.items()
    assert "ngoài khoảng thường gặp của đơn vị (20–90)" in messages.finding_text(f, found[0])
    assert plausibility_findings(f, data({"01": {"so_ho": 91}}), history(periods[0])) == []


def test_the_range_is_not_said_again_when_the_change_already_warned():
    f = form(defaults="history_margin = 10")
    periods = [
        ("2024", "Năm 2024", WHY_LAST, {("so_ho", "01"): 61}),
        ("2023", "Năm 2023", WHY_HISTORY, {("so_ho", "01"): 60}),
    ]
    assert rules(plausibility_findings(f, data({"01": {"so_ho": 1234}}), history(*periods))) == [RULE_CHANGE]


# ---- ranges set in the form ----------------------------------------------------------------------


RANGES = """
[[ranges]]
indicator = "so_ho"
low = 10
high = 500

[[ranges]]
indicator = "so_ho"
unit = "03445"
high = 300

[[ranges]]
indicator = "so_ho"
unit = "02"
low = 100
high = 200
"""


def test_the_most_particular_range_applies_and_its_bounds_are_inside():
    f = form(tail=RANGES)
    villages = {"01": {"so_ho": 300}, "02": {"so_ho": 200}, "03": {"so_ho": 99}}
    assert plausibility_findings(f, data(villages), history()) == []
    villages = {"01": {"so_ho": 301}, "02": {"so_ho": 99}, "03": {"so_ho": 9}, "04": {"so_ho": 301}}
    found = plausibility_findings(f, data(villages), history())
    assert [(x.rule, x.cell.village, x.params["high"]) for x in found] == [
        (RULE_SET_RANGE, "01", 300),
        (RULE_SET_RANGE, "02", 200),
        (RULE_SET_RANGE, "04", 300),
    ]  # 9 in 03: the commune's range, more particular than every unit's, sets no low
    assert "ngoài khoảng biểu quy định (100–200)" in messages.finding_text(f, found[1])
    other_commune = History("09999", ())
    assert plausibility_findings(f, data({"01": {"so_ho": 400}}), other_commune) == []


# ---- ratios --------------------------------------------------------------------------------------


RATIO = """
[[ratios]]
id = "van_hoa_tren_so_ho"
numerator = "ho_van_hoa"
denominator = "so_ho"
change_points = 10
high = 90
"""


def test_a_ratio_warns_when_its_share_moved_more_than_its_points_or_leaves_its_bounds():
    f = form(so_ho="plausible = false", tail=RATIO)
    past = history(("2024", "Năm 2024", WHY_LAST, {("ho_van_hoa", "01"): 50, ("so_ho", "01"): 100}))
    assert plausibility_findings(f, data({"01": {"ho_van_hoa": 54, "so_ho": 90}}), past) == []  # 10 points
    found = plausibility_findings(f, data({"01": {"ho_van_hoa": 55, "so_ho": 90}}), past)
    assert [(x.rule, x.cell) for x in found] == [(RULE_RATIO, Cell("ho_van_hoa", "01"))]
    assert found[0].params["before_share"] == 50
    text = messages.finding_text(f, found[0])
    assert "61,1%, thay đổi 11,1 điểm phần trăm so với kỳ trước (Năm 2024: 50%)" in text
    found = plausibility_findings(f, data({"01": {"ho_van_hoa": 91, "so_ho": 100}}), history())
    assert rules(found) == [RULE_RATIO] and "tối đa 90%" in messages.finding_text(f, found[0])


def test_an_earlier_share_over_its_whole_is_no_base_for_a_ratio_s_change():
    """The form holds ho_van_hoa as a share of so_ho, so its rules refuse 106%: a period that held such a
    slip is not compared with, even by a ratio without bounds of its own."""
    f = form(so_ho="plausible = false", tail=RATIO.replace("high = 90\n", ""))
    slipped = history(("2025", "Năm 2025", WHY_LAST, {("ho_van_hoa", "01"): 106, ("so_ho", "01"): 100}))
    assert RULE_RATIO not in rules(plausibility_findings(f, data({"01": {"ho_van_hoa": 95, "so_ho": 100}}), slipped))
    sound = history(("2025", "Năm 2025", WHY_LAST, {("ho_van_hoa", "01"): 100, ("so_ho", "01"): 100}))
    assert RULE_RATIO in rules(plausibility_findings(f, data({"01": {"ho_van_hoa": 89, "so_ho": 100}}), sound))


def test_a_ratio_with_a_commune_indicator_is_checked_on_commune_figures():
    f = form(tail=RATIO.replace('"ho_van_hoa"', '"kinh_phi"').replace("high = 90", ""))
    f = parse_form(
        HEAD.format(
            defaults="",
            so_ho="",
            tail="""
[[ratios]]
id = "kinh_phi_moi_ho"
numerator = "kinh_phi"
denominator = "so_ho"
change_points = 1000
""",
        ),
        "thu.toml",
    )
    past = history(
        ("2024", "Năm 2024", WHY_LAST, {("kinh_phi", COMMUNE): 1000, ("so_ho", "01"): 5, ("so_ho", "02"): 5})
    )
    same = data({"01": {"so_ho": 5}, "02": {"so_ho": 5}}, {"kinh_phi": 1000})
    assert [x.rule for x in plausibility_findings(f, same, past)] == []
    more = data({"01": {"so_ho": 5}, "02": {"so_ho": 5}}, {"kinh_phi": 1200})  # 10.000% -> 12.000%
    found = plausibility_findings(f, more, past)
    assert [(x.rule, x.cell) for x in found] == [(RULE_RATIO, Cell("kinh_phi"))]


# ---- the engine, the history's own work ---------------------------------------------------------


def test_evaluate_appends_them_only_with_a_history():
    f = form()
    report = data({"01": {"so_ho": 1234}})
    assert evaluate(f, report).warnings == []
    assert rules(evaluate(f, report, history=history(LAST_61)).warnings) == [RULE_CHANGE]
    assert PLAUSIBILITY_RULES == {RULE_CHANGE, RULE_HISTORY_RANGE, RULE_SET_RANGE, RULE_RATIO}


def test_the_history_works_out_each_cell_once_and_says_which_values_a_finding_used():
    past = history(
        ("2024", "Năm 2024", WHY_LAST, {("so_ho", "01"): 61, ("so_ho", "02"): 40}),
        ("2023", "Năm 2023", WHY_HISTORY, {("so_ho", "01"): 59}),
    )
    cell = past.cell("so_ho", "01")
    assert (cell.last, cell.year_before, cell.low, cell.high, cell.count) == (61, None, 59, 61, 2)
    assert past.cell("so_ho", COMMUNE).last == 101  # the villages summed
    found = plausibility_findings(form(), data({"01": {"so_ho": 1234}, "02": {"so_ho": 40}}), past)
    assert past.used(found) == {
        "periods": [
            {"code": "2024", "label": "Năm 2024", "why": WHY_LAST},
            {"code": "2023", "label": "Năm 2023", "why": WHY_HISTORY},
        ],
        "values": [["so_ho", "01", "2024", 61], ["so_ho", "01", "2023", 59]],
    }


# ---- the loader ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("defaults", "so_ho", "tail", "words"),
    [
        ("history_years = 0", "", "", "history_years"),
        ("change_margin = 3", "", "", "không có trong định dạng"),
        ("", "change_percent = -1", "", "không được là số âm"),
        ("", 'change_min = "10"', "", "phải là một số"),
        ("", "plausible = 1", "", "phải là true hoặc false"),
        ("", "", '\n[[ranges]]\nindicator = "khong_co"\nhigh = 3\n', "không có trong biểu"),
        ("", "", '\n[[ranges]]\nindicator = "co_nvh"\nhigh = 1\n', "không phải số đếm hoặc số tiền"),
        ("", "", '\n[[ranges]]\nindicator = "so_ho"\nlow = 9\nhigh = 3\n', "lớn hơn mức cao"),
        ("", "", '\n[[ranges]]\nindicator = "so_ho"\n', "ít nhất một trong hai"),
        ("", "", '\n[[ranges]]\nindicator = "so_ho"\nunit = "bản 1"\nhigh = 3\n', "mã bản hoặc mã xã"),
        (
            "",
            "",
            '\n[[ranges]]\nindicator = "so_ho"\nhigh = 3\n\n[[ranges]]\nindicator = "so_ho"\nhigh = 4\n',
            "đã có ở trên",
        ),
        ("", "plausible = false", '\n[[ranges]]\nindicator = "so_ho"\nhigh = 3\n', "đã tắt kiểm tra"),
        (
            "",
            "",
            '\n[[ratios]]\nid = "r"\nnumerator = "so_ho"\ndenominator = "so_ho"\nchange_points = 5\n',
            "hai chỉ tiêu khác nhau",
        ),
        ("", "", '\n[[ratios]]\nid = "r"\nnumerator = "ho_van_hoa"\ndenominator = "so_ho"\n', "cần change_points"),
        (
            "",
            "",
            '\n[[ratios]]\nid = "r"\nnumerator = "ho_van_hoa"\ndenominator = "co_nvh"\nchange_points = 5\n',
            "không phải số đếm",
        ),
        ("", "", RATIO + RATIO.replace("van_hoa_tren", "lan_nua"), "đã là tử số"),
    ],
)
def test_the_loader_refuses_a_broken_threshold_in_vietnamese(defaults, so_ho, tail, words):
    with pytest.raises(FormError, match=words):
        form(defaults, so_ho, tail)


def test_a_threshold_on_a_yes_no_indicator_is_refused():
    text = HEAD.format(defaults="", so_ho="", tail="").replace(
        'denominator = "so_ban"', 'denominator = "so_ban"\nchange_percent = 5'
    )
    with pytest.raises(FormError, match="không được kiểm tra biến động"):
        parse_form(text, "thu.toml")


def test_every_threshold_survives_the_form_as_data():
    f = form(
        defaults="history_margin = 30\nhistory_years = 3",
        so_ho="change_percent = 12.5\nchange_min = 0",
        tail=RANGES + RATIO,
    )
    back = form_from_data(form_data(f), "thu")
    assert (back.plausibility, back.indicators, back.ranges, back.ratios) == (
        f.plausibility,
        f.indicators,
        f.ranges,
        f.ratios,
    )


def test_a_form_without_thresholds_keeps_the_data_it_always_had():
    kl224 = default_library().get("kl224", 1)
    data_ = form_data(kl224)
    assert data_["plausibility"] == {"change_percent": 30, "change_min": 10, "history_margin": 50}
    bare = parse_form(
        HEAD.format(defaults="", so_ho="", tail="").replace(
            "[plausibility]\nchange_percent = 20\nchange_min = 10\n", ""
        ),
        "thu.toml",
    )
    assert not {"plausibility", "ranges", "ratios"} & set(form_data(bare))
    assert all(
        set(i) <= {"id", "code", "section", "label", "unit", "kind", "grain", "denominator"}
        for i in form_data(bare)["indicators"]
    )


def test_a_ratio_says_nothing_after_a_slip_of_last_period_or_a_change_already_said():
    f = form(tail=RATIO.replace("high = 90", "high = 100"))
    slipped = history(("2024", "Năm 2024", WHY_LAST, {("ho_van_hoa", "01"): 112, ("so_ho", "01"): 100}))
    assert plausibility_findings(f, data({"01": {"ho_van_hoa": 100, "so_ho": 100}}), slipped) == []  # 12 points
    past = history(("2024", "Năm 2024", WHY_LAST, {("ho_van_hoa", "01"): 50, ("so_ho", "01"): 61}))
    found = plausibility_findings(f, data({"01": {"ho_van_hoa": 50, "so_ho": 1234}}), past)
    assert [(x.rule, x.cell) for x in found] == [(RULE_CHANGE, Cell("so_ho", "01"))]  # not the share again
