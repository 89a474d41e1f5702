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
from followup_scene import HOUSEHOLDS, REASON, VILLAGE, filed, sign_2024, sign_2025
from packet_forge import UNIT, Commune, forged
from testkit import run_main

from exports.collect.completeness import completeness
from exports.collect.followup import BOTH, HERE, SENT, followup
from exports.collect.inbox import import_packets
from exports.paper.completeness_words import state_text
from exports.paper.xlsx_completeness import completeness_workbook
from forms.library import default_library
from forms.plausibility import RULE_CHANGE


@pytest.fixture
def commune(demo_template, tmp_path):
    made = Commune(demo_template, tmp_path / "xa", period="2024")
    yield made
    made.close()


def households_row(listed):
    rows = [r for r in listed.rows if r.indicator == "so_ho" and r.village_code == VILLAGE and r.rule == RULE_CHANGE]
    assert len(rows) == 1, [r.to_dict() for r in listed.rows]
    return rows[0]


def test_the_warning_as_sent_with_its_reason_and_as_found_here_against_the_2024_packet(commune, province):
    packet_2024, sent_2024 = sign_2024(commune)
    filed(province, packet_2024, sign_2025(commune))
    listed = followup(province, "kl224", "2025")
    row = households_row(listed)
    assert sent_2024 == 61 and row.value == HOUSEHOLDS
    assert row.side == BOTH and row.reason == REASON and not row.differs
    assert [(e.label, e.value) for e in row.sent_history] == [("Năm 2024", 61)]
    assert [(e.period, e.value) for e in row.here_history] == [("2024", 61)]
    assert "1.234" in row.message and "Năm 2024: 61" in row.message
    assert row.check_words() == "xã gửi, cấp này cũng thấy"
    assert row.unit_name == "Xã Mường Tè" and row.village_name
    assert listed.units and all(r.unit_code == UNIT for r in listed.rows)
    assert listed.differing == []
    # 2024 has nothing before it here: no change to warn of.
    assert not [r for r in followup(province, "kl224", "2024").rows if r.rule == RULE_CHANGE]


def test_no_warning_when_the_figure_moved_little(commune, province):
    packet_2024, sent_2024 = sign_2024(commune)
    filed(province, packet_2024, sign_2025(commune, households=sent_2024 + 1))
    assert [r for r in followup(province, "kl224", "2025").rows if r.indicator == "so_ho"] == []


def test_a_2024_figure_changed_at_the_commune_after_sending_is_a_disagreement(commune, province):
    packet_2024, sent_2024 = sign_2024(commune, then=65)
    filed(province, packet_2024, sign_2025(commune))
    listed = followup(province, "kl224", "2025")
    row = households_row(listed)
    assert row.side == BOTH and row.differs and row.reason == REASON
    assert row.difference == f"xã ghi Năm 2024: 65, gói Năm 2024 cấp này nhận: {sent_2024}"
    assert row.history_words() == f"xã ghi Năm 2024: 65; cấp này: Năm 2024: {sent_2024}"
    assert row in listed.differing
    counted = listed.counted(UNIT)
    assert (counted.sent, counted.here, counted.differing) == (1, 1, 1)
    assert counted.words() == "Bất thường: 1 (xã ghi 1, cấp này thấy 1, 1 chỗ khác nhau)"


def test_a_warning_sent_without_a_packet_of_last_year_here_says_so(commune, province):
    sign_2024(commune)
    filed(province, sign_2025(commune))
    row = households_row(followup(province, "kl224", "2025"))
    assert row.side == SENT and row.reason == REASON and row.differs
    assert row.difference == "xã ghi Năm 2024: 61, cấp này không có gói Năm 2024"


def test_found_here_only_when_the_packet_says_nothing_of_it(commune, province):
    """A packet from a program before issue 20 (no plausibility in it): the warning is this level's own."""
    packet_2024, _ = sign_2024(commune)

    def older(data):
        data["findings"] = [f for f in data["findings"] if f["rule"] != RULE_CHANGE]
        data.pop("history", None)
        for finding in data["findings"]:
            finding.pop("params", None)

    def count(manifest):
        manifest["summary"].pop("plausibility", None)

    filed(province, packet_2024, forged(sign_2025(commune), data=older, manifest=count))
    row = households_row(followup(province, "kl224", "2025"))
    assert row.side == HERE and row.reason == "" and row.differs
    assert row.difference == "cấp này thấy, xã không ghi cảnh báo này"
    assert [(e.period, e.value) for e in row.here_history] == [("2024", 61)]


def test_a_packet_with_malformed_plausibility_never_reaches_the_list(commune, province):
    packet_2024, _ = sign_2024(commune)

    def edit(data):
        data["history"] = {"periods": "2024", "values": [["so_ho", VILLAGE, "2024"], 5]}

    run = import_packets(province, [packet_2024, forged(sign_2025(commune), data=edit)], default_library(), "tinh")
    assert [f.outcome for f in run.filed] == ["accepted", "rejected"]
    assert followup(province, "kl224", "2025").rows == []


def test_completeness_counts_the_warnings_of_each_unit(commune, province):
    packet_2024, _ = sign_2024(commune, then=65)
    filed(province, packet_2024, sign_2025(commune))
    table = completeness(province, "12", "2025", default_library(), today=dt.date(2026, 1, 2))
    state = table.states[UNIT, "kl224"]
    counted = followup(province, "kl224", "2025").counted(UNIT)
    assert state.plausibility == counted and counted.differing == 1
    words = "Bất thường: 1 (xã ghi 1, cấp này thấy 1, 1 chỗ khác nhau)"
    assert counted.words() == words and words in state_text(state)
    unit = next(u for u in table.to_dict()["units"] if u["code"] == UNIT)
    assert unit["forms"]["kl224"]["plausibility"] == {"sent": 1, "found_here": 1, "differing": 1, "total": 1}
    assert table.states["03478", "kl224"].plausibility is None  # nothing received from Sìn Hồ
    sheet = openpyxl.load_workbook(io.BytesIO(completeness_workbook(table, made_on=dt.date(2026, 1, 2)))).active
    assert any(words in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_the_command_prints_saves_a_workbook_and_a_pdf(commune, province, upper_path, tmp_path):
    packet_2024, sent_2024 = sign_2024(commune, then=65)
    filed(province, packet_2024, sign_2025(commune))
    province.close()
    xlsx, pdf = tmp_path / "theo-doi.xlsx", tmp_path / "theo-doi.pdf"
    done = run_main("followup", "--db", upper_path, "--form", "kl224", "--period", "2025", "--json",
                    "--xlsx", xlsx, "--pdf", pdf)  # fmt: skip
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    row = next(r for r in listed["rows"] if r["indicator"] == "so_ho" and r["rule"] == RULE_CHANGE)
    assert row["reason"] == REASON and row["differs"] and row["side"] == BOTH
    assert row["sent_history"] == [{"period": "2024", "label": "Năm 2024", "value": 65}]
    assert listed["files"] == {"xlsx": str(xlsx), "pdf": str(pdf)}

    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$3"
    assert [c.value for c in sheet[3]][:4] == ["Stt", "Đơn vị, thôn/bản", "Chỉ tiêu", "Số liệu"]
    found = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2] == "Số hộ gia đình")
    assert found[3] == HOUSEHOLDS and found[6] == REASON
    assert found[8] == f"xã ghi Năm 2024: 65, gói Năm 2024 cấp này nhận: {sent_2024}"
    cell = next(c for c in sheet["D"] if c.value == HOUSEHOLDS)
    assert cell.number_format == r"#\.##0"  # shown 1.234, the dots written into the format

    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
        assert document.pages[0].width > document.pages[0].height  # A4 landscape
    assert "DANH SÁCH CẦN THEO DÕI" in text and "1.234" in text and "KHÁC NHAU" in text

    done = run_main("followup", "--db", upper_path, "--form", "kl224", "--period", "2025")
    assert done.returncode == 0 and REASON in done.stdout and "KHÁC NHAU" in done.stdout


def test_bad_arguments_exit_2_with_a_sentence(upper_path):
    done = run_main("followup", "--db", upper_path, "--form", "khong-co", "--period", "2025")
    assert done.returncode == 2 and "khong-co" in done.stderr and "Traceback" not in done.stderr
    done = run_main("followup", "--db", upper_path, "--form", "kl224", "--period", "năm ngoái")
    assert done.returncode == 2 and "Traceback" not in done.stderr
