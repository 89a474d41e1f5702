"""The follow-up list at the upper level (issue 20): the plausibility warnings a commune sent with
their reasons, the ones the province finds itself against the packets it holds, and where the two
disagree; in completeness, the command line, the workbook and the PDF. Real databases: the commune
demo types and signs 2024 and 2025, the province demo imports the packets."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pdfplumber
import pytest
from followup_scene import HOUSEHOLDS, REASON, filed, sign_2025, with_sent_warning
from packet_forge import UNIT, VILLAGE, Commune, forged
from testkit import run_main

from exports.collect.completeness import completeness
from exports.collect.followup import BOTH, HERE, SENT, followup
from exports.collect.sent_plausibility import sent_plausibility
from forms.library import default_library
from forms.plausibility import RULE_CHANGE
from models.gateway import Gateway


@pytest.fixture
def province(upper_path):
    gw = Gateway.open(upper_path)
    yield gw
    gw.close()


@pytest.fixture
def commune(demo_template, tmp_path):
    made = Commune(demo_template, tmp_path / "xa", period="2024")
    yield made
    made.close()


def households_row(listed):
    rows = [r for r in listed.rows if r.indicator == "so_ho" and r.village_code == VILLAGE and r.rule == RULE_CHANGE]
    assert len(rows) == 1, [r.to_dict() for r in listed.rows]
    return rows[0]


def test_the_province_finds_the_change_against_the_2024_packet_it_holds(commune, province):
    packet_2024 = commune.sign(1, name="xa-2024.sctg")
    packet_2025, before = sign_2025(commune)
    filed(province, packet_2024, packet_2025)
    listed = followup(province, "kl224", "2025")
    row = households_row(listed)
    assert row.side in (HERE, BOTH) and row.value == HOUSEHOLDS
    assert [(e.period, e.value) for e in row.here_history] == [("2024", before)]
    assert "1.234" in row.message and f"Năm 2024: {before}" in row.message
    assert row.village_name == "Bản Nà Sáng" and row.unit_name == "Xã Mường Tè"
    assert listed.units and all(r.unit_code == UNIT for r in listed.rows)
    # The 2024 list has nothing before it to compare with: no warning of that kind.
    assert not [r for r in followup(province, "kl224", "2024").rows if r.rule == RULE_CHANGE]


def test_no_warning_when_the_figure_moved_little(commune, province):
    packet_2024 = commune.sign(1, name="xa-2024.sctg")
    before = commune.value("so_ho", VILLAGE)
    packet_2025, _ = sign_2025(commune, households=before + 1)
    filed(province, packet_2024, packet_2025)
    assert [r for r in followup(province, "kl224", "2025").rows if r.indicator == "so_ho"] == []


def test_the_warning_as_sent_with_its_reason_agrees_when_the_history_is_the_same(commune, province):
    packet_2024 = commune.sign(1, name="xa-2024.sctg")
    packet_2025, before = sign_2025(commune)
    filed(province, packet_2024, with_sent_warning(packet_2025, before, said=before))
    row = households_row(followup(province, "kl224", "2025"))
    assert row.side == BOTH and row.reason == REASON and not row.differs
    assert [(e.label, e.value) for e in row.sent_history] == [("Năm 2024", before)]
    assert row.check_words() == "xã gửi, cấp này cũng thấy"


def test_other_history_values_at_the_commune_are_a_disagreement(commune, province):
    packet_2024 = commune.sign(1, name="xa-2024.sctg")
    packet_2025, before = sign_2025(commune)
    filed(province, packet_2024, with_sent_warning(packet_2025, before, said=before + 4))
    listed = followup(province, "kl224", "2025")
    row = households_row(listed)
    assert row.side == BOTH and row.differs
    assert row.difference == f"xã ghi Năm 2024: {before + 4}, gói Năm 2024 cấp này nhận: {before}"
    assert row in listed.differing
    counted = listed.counted(UNIT)
    assert counted.differing >= 1 and counted.sent >= 1 and counted.here >= 1


def test_a_warning_sent_without_a_packet_of_last_year_here_says_so(commune, province):
    packet_2025, before = sign_2025(commune)
    filed(province, with_sent_warning(packet_2025, before, said=before))
    row = households_row(followup(province, "kl224", "2025"))
    assert row.side == SENT and row.reason == REASON
    assert row.difference.startswith("xã ghi Năm 2024") and "cấp này không có gói Năm 2024" in row.difference


def test_a_packet_that_says_nonsense_gives_only_what_this_level_finds(commune, province):
    packet_2024 = commune.sign(1, name="xa-2024.sctg")
    packet_2025, _ = sign_2025(commune)

    def edit(data):
        data["findings"] += [
            {"rule": RULE_CHANGE, "indicator": ["so_ho"], "village": VILLAGE},
            {"rule": RULE_CHANGE, "indicator": "so_ho", "village": 7, "params": []},
            "không phải một cảnh báo",
        ]
        data["history"] = {"periods": "2024", "values": [["so_ho", VILLAGE, "2024"], 5, ["so_ho", 1, 2, 3]]}

    filed(province, packet_2024, forged(packet_2025, data=edit, manifest=lambda m: m["summary"].update(plausibility=3)))
    packet = province.inbox.accepted("kl224", "2025")[0][0]
    assert sent_plausibility(province, packet) == ({}, {})
    assert households_row(followup(province, "kl224", "2025")).side in (HERE, BOTH)


def test_completeness_counts_the_warnings_of_each_unit(commune, province):
    packet_2024 = commune.sign(1, name="xa-2024.sctg")
    packet_2025, before = sign_2025(commune)
    filed(province, packet_2024, with_sent_warning(packet_2025, before, said=before + 4))
    table = completeness(province, "12", "2025", default_library(), today=dt.date(2026, 1, 2))
    state = table.states[UNIT, "kl224"]
    counted = followup(province, "kl224", "2025").counted(UNIT)
    assert state.plausibility == counted and counted.differing >= 1
    assert state.plausibility.to_dict()["found_here"] == counted.here
    words = counted.words()
    assert words.startswith(f"Bất thường: {counted.total} (xã ghi {counted.sent}, cấp này thấy {counted.here}")
    assert words.endswith(f"{counted.differing} chỗ khác nhau)")
    from exports.paper.completeness_words import state_text

    assert words in state_text(state)
    unit = next(u for u in table.to_dict()["units"] if u["code"] == UNIT)
    assert unit["forms"]["kl224"]["plausibility"]["differing"] == counted.differing
    assert table.states["03478", "kl224"].plausibility is None  # nothing received from Sìn Hồ
    from exports.paper.xlsx_completeness import completeness_workbook

    sheet = openpyxl.load_workbook(io.BytesIO(completeness_workbook(table, made_on=dt.date(2026, 1, 2)))).active
    assert any(words in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_the_command_prints_saves_a_workbook_and_a_pdf(commune, province, upper_path, tmp_path):
    packet_2024 = commune.sign(1, name="xa-2024.sctg")
    packet_2025, before = sign_2025(commune)
    filed(province, packet_2024, with_sent_warning(packet_2025, before, said=before + 4))
    province.close()
    xlsx, pdf = tmp_path / "theo-doi.xlsx", tmp_path / "theo-doi.pdf"
    done = run_main("followup", "--db", upper_path, "--form", "kl224", "--period", "2025", "--json",
                    "--xlsx", xlsx, "--pdf", pdf)  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    row = next(r for r in listed["rows"] if r["indicator"] == "so_ho" and r["rule"] == RULE_CHANGE)
    assert row["reason"] == REASON and row["differs"] and row["side"] == BOTH
    assert listed["files"] == {"xlsx": str(xlsx), "pdf": str(pdf)}

    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$3"
    assert [c.value for c in sheet[3]][:4] == ["Stt", "Đơn vị, thôn/bản", "Chỉ tiêu", "Số liệu"]
    found = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2] == "Số hộ gia đình")
    assert found[3] == HOUSEHOLDS and found[6] == REASON and f"{before + 4}" in found[8]
    cell = next(c for c in sheet["D"] if c.value == HOUSEHOLDS)
    assert cell.number_format == r"#\.##0"  # shown 1.234, the dots written into the format

    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
        assert document.pages[0].width > document.pages[0].height  # A4 landscape
    assert "DANH SÁCH CẦN THEO DÕI" in text and "1.234" in text and "KHÁC NHAU" in text

    done = run_main("followup", "--db", upper_path, "--form", "kl224", "--period", "2025")
    assert done.returncode == 0 and "Bản Nà Sáng" in done.stdout and REASON in done.stdout
    assert "KHÁC NHAU" in done.stdout


def test_bad_arguments_exit_2_with_a_sentence(upper_path):
    done = run_main("followup", "--db", upper_path, "--form", "khong-co", "--period", "2025")
    assert done.returncode == 2 and "khong-co" in done.stderr and "Traceback" not in done.stderr
    done = run_main("followup", "--db", upper_path, "--form", "kl224", "--period", "năm ngoái")
    assert done.returncode == 2 and "Traceback" not in done.stderr
