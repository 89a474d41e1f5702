"""Last period beside each cell (models/history.py) on the commune demo, a
real SQLite file: the period before and the same period a year before, the
values the unit reported then, as the officer reads them."""

from __future__ import annotations

from forms.library import default_library
from models.gateway import Gateway
from models.history import cell_history, earlier_periods, report_history


def test_the_periods_before_are_the_previous_one_and_the_same_one_a_year_before():
    assert [(p.code, why) for p, why in earlier_periods("2025")] == [("2024", "kỳ trước")]
    assert [(p.code, why) for p, why in earlier_periods("2025-H2")] == [
        ("2025-H1", "kỳ trước"),
        ("2024-H2", "cùng kỳ năm trước"),
    ]
    assert [p.code for p, _ in earlier_periods("2025-Q1")] == ["2024-Q4", "2024-Q1"]
    assert [p.code for p, _ in earlier_periods("2021-2025")] == ["2016-2020"]


def test_a_cell_shows_what_the_village_reported_the_year_before(demo_path):
    gw = Gateway.open(demo_path)
    try:
        report = gw.find_report("03478", "kl224", "2025")
        form = default_library().get("kl224", report.form_version)
        history = report_history(gw, report)
        assert [e.period.code for e in history] == ["2024"]
        village = gw.report_villages(report)[0].code
        households = gw.values(gw.find_report("03478", "kl224", "2024"))[("so_ho", village)]
        shown = f"{households:,}".replace(",", ".")
        assert cell_history(history, form, "so_ho", village) == [f"Kỳ trước (Năm 2024): {shown}"]
        yes_no = next(i.id for i in form.village_indicators if i.kind == "yesno")
        assert cell_history(history, form, yes_no, village)[0].endswith(("Có", "Không"))
        assert cell_history(report_history(gw, gw.find_report("03478", "kl224", "2024")), form, "so_ho", village) == []
    finally:
        gw.close()
