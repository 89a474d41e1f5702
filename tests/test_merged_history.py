"""A village merged since: its earlier value is its own plus those of the villages
merged into it after that period ended (models/history.values_as_today), on the
commune demo, a real SQLite file, with the gateway's own merge and rename."""

from __future__ import annotations

import pytest

from forms import vnformat
from models.carry_forward import carry_forward
from models.history import cell_history, report_history, values_as_today
from models.reporting import start_report

UNIT, FORM = "03478", "kl224"


@pytest.fixture
def gw(commune_gw):
    return commune_gw


def test_the_2025_note_of_a_merged_village_is_the_sum_of_2024(gw, library):
    report = gw.find_report(UNIT, FORM, "2025")
    form = library.get(FORM, report.form_version)
    a, b, c = gw.report_villages(report)[:3]
    last = gw.values(gw.find_report(UNIT, FORM, "2024"))
    gw.retire_unit(b.code, "mai", merged_into=a.code)
    gw.retire_unit(c.code, "mai", merged_into=a.code)

    history = report_history(gw, report)
    total = last[("so_ho", a.code)] + last[("so_ho", b.code)] + last[("so_ho", c.code)]
    assert history[0].values[("so_ho", a.code)] == total
    parts = ", ".join(f"{v.name} {vnformat.number(last[('so_ho', v.code)])}" for v in (a, b, c))
    assert cell_history(history, form, "so_ho", a.code) == [
        f"Kỳ trước (Năm 2024): {vnformat.number(total)} (gồm {parts})"
    ]
    # a yes/no has no sum: the village's own answer stays
    yes_no = next(i.id for i in form.village_indicators if i.kind == "yesno")
    assert history[0].values[(yes_no, a.code)] == last[(yes_no, a.code)]
    # the villages merged away keep their own history
    assert history[0].values[("so_ho", b.code)] == last[("so_ho", b.code)]


def test_a_merge_on_top_of_a_merge_adds_up_and_an_older_merge_does_not(gw, library):
    report = gw.find_report(UNIT, FORM, "2025")
    a, b, c = gw.report_villages(report)[:3]
    gw.retire_unit(c.code, "mai", merged_into=b.code)
    gw.retire_unit(b.code, "mai", merged_into=a.code)  # b (with c in it) into a
    earlier = gw.find_report(UNIT, FORM, "2024")
    last = gw.values(earlier)
    today = values_as_today(gw, earlier, gw.period("2024"))
    assert today.values[("so_ho", a.code)] == sum(last[("so_ho", v.code)] for v in (a, b, c))
    # a period that ended after the merges (a future one here) reads its values as they are
    assert values_as_today(gw, earlier, gw.period("2100")).values == last


def test_a_renamed_village_keeps_its_history_with_its_name_then(gw, library):
    report = gw.find_report(UNIT, FORM, "2025")
    form = library.get(FORM, report.form_version)
    village = gw.report_villages(report)[0]
    gw.rename_unit(village.code, "Bản Mới Đổi Tên", "mai")
    last = gw.values(gw.find_report(UNIT, FORM, "2024"))
    line = cell_history(report_history(gw, report), form, "so_ho", village.code)
    assert line == [
        f"Kỳ trước (Năm 2024): {vnformat.number(last[('so_ho', village.code)])} (khi đó tên {village.name})"
    ]


def test_a_new_period_carries_the_sum_into_the_village_they_were_merged_into(gw, library):
    form = library.get(FORM)
    a, b = gw.villages_of(UNIT)[:2]
    last = gw.values(gw.find_report(UNIT, FORM, "2025"))
    gw.retire_unit(b.code, "mai", merged_into=a.code)
    report = start_report(gw, UNIT, form, "2026")
    assert [v.code for v in gw.report_villages(report)].count(b.code) == 0  # the village list as it stands
    carry_forward(gw, report, form, "mai")
    assert gw.values(report)[("so_ho", a.code)] == last[("so_ho", a.code)] + last[("so_ho", b.code)]
