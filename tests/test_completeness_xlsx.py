"""The completeness workbook, built from a matrix made by hand: what it says,
how it prints, and that the same matrix gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from exports.collect.completeness import Collected, Completeness, State
from exports.paper.completeness_words import STATE_COLOURS, STATE_ORDER, state_rank, state_text, summary_line
from exports.paper.xlsx_completeness import completeness_workbook
from models.periods import parse_period
from models.units import Unit

MADE_ON = dt.date(2026, 2, 1)
PROVINCE = Unit("12", "Tỉnh Lai Châu", "tỉnh", None)
UNITS = [
    Unit("03388", "Phường Đoàn Kết", "phường", "12"),
    Unit("03390", "Xã Bình Lư", "xã", "12"),
    Unit("03408", "Phường Tân Phong", "phường", "12"),
    Unit("03445", "Xã Mường Tè", "xã", "12"),
    Unit("03478", "=Xã Sìn Hồ", "xã", "12"),  # a name that looks like a formula stays text
]


def matrix(two_forms: bool = False) -> Completeness:
    forms = [Collected("kl224", dt.date(2025, 1, 15))]
    states = {
        ("03388", "kl224"): State("qua_han"),
        ("03390", "kl224"): State("cho_khoa", 1, "2025-01-10T08:00:00+07:00"),
        ("03408", "kl224"): State("da_nhan", 2, "2025-01-09T08:00:00+07:00", 0, 1),
        ("03445", "kl224"): State("trung", 1, "2025-01-11T08:00:00+07:00"),
        ("03478", "kl224"): State("nop_tre", 1, "2025-02-01T08:00:00+07:00", 0, 0),
    }
    if two_forms:
        forms.append(Collected("da241", None))
        states[("03445", "da241")] = State("chua_gui")
    return Completeness(PROVINCE, parse_period("2024"), forms, UNITS, states)


def sheet_rows(data: bytes) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["Tình hình nộp"]
    return book.get_sheet_by_name("Tình hình nộp").to_python()


def test_the_table_reads_back_with_a_second_reader():
    rows = sheet_rows(completeness_workbook(matrix(), made_on=MADE_ON))
    assert rows[0][0] == "TÌNH HÌNH NHẬN BÁO CÁO - TỈNH LAI CHÂU - NĂM 2024"
    assert rows[2] == ["Stt", "Đơn vị", "Mã", "Biểu kl224 (hạn 15/01/2025)"]
    assert rows[3:8] == [
        [1.0, "Phường Đoàn Kết", "03388", "quá hạn, chưa gửi"],
        [2.0, "Xã Bình Lư", "03390", "chờ đăng ký khóa, lần 1"],
        [3.0, "Phường Tân Phong", "03408", "đã nhận, lần 2, 1 cảnh báo"],
        [4.0, "Xã Mường Tè", "03445", "trùng, chờ quyết định, lần 1"],
        [5.0, "=Xã Sìn Hồ", "03478", "nộp trễ, lần 1"],
    ]
    assert [r[0] for r in rows[8:] if r[0]] == ["Đã nhận 2/5; quá hạn 1; chờ xử lý 2.", "Lập ngày 01/02/2026."]


def test_two_forms_two_columns_and_a_form_a_unit_does_not_fill():
    rows = sheet_rows(completeness_workbook(matrix(two_forms=True), made_on=MADE_ON))
    assert rows[2][3:] == ["Biểu kl224 (hạn 15/01/2025)", "Biểu da241"]
    assert rows[3][4] == "không lập biểu này" and rows[6][4] == "chưa gửi"
    lines = [r[0] for r in rows[8:] if r[0]]
    assert lines[:2] == ["Biểu kl224: Đã nhận 2/5; quá hạn 1; chờ xử lý 2.", "Biểu da241: Đã nhận 0/1; quá hạn 0."]


def test_it_prints_on_a4_landscape_with_the_header_repeated_and_states_coloured():
    book = load_workbook(io.BytesIO(completeness_workbook(matrix(), made_on=MADE_ON)))
    ws = book["Tình hình nộp"]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3"
    assert ws.oddFooter.center.text == "Trang &P/&N"
    assert ws.oddFooter.right.text == "Lập ngày 01/02/2026"
    assert ws.page_margins.bottom == pytest.approx(0.8)
    fills = {ws.cell(row=r, column=3).value: ws.cell(row=r, column=4).fill.fgColor.rgb for r in range(4, 9)}
    assert fills["03408"].endswith(STATE_COLOURS["da_nhan"]) and fills["03388"].endswith(STATE_COLOURS["qua_han"])
    name = ws.cell(row=8, column=2)
    assert name.data_type == "s" and name.value == "=Xã Sìn Hồ" and name.quotePrefix
    assert ws.column_dimensions["D"].width >= 25  # the words fit on a line
    assert book.properties.title == "Tình hình nhận báo cáo, Tỉnh Lai Châu, năm 2024"


def test_the_same_matrix_gives_the_same_bytes():
    assert completeness_workbook(matrix(), made_on=MADE_ON) == completeness_workbook(matrix(), made_on=MADE_ON)
    assert completeness_workbook(matrix(), made_on=MADE_ON) != completeness_workbook(matrix(), made_on=dt.date.today())


@pytest.mark.parametrize(
    ("state", "text"),
    [
        (State("chua_gui"), "chưa gửi"),
        (State("da_nhan", 3, "2025-01-01", 0, 0), "đã nhận, lần 3"),
        (State("nop_tre", 1, "2025-01-01", 2, 5), "nộp trễ, lần 1, 2 lỗi, 5 cảnh báo"),
        (State("khong_hop_le", 1, "2025-01-01"), "gói không dùng được, lần 1"),
    ],
)
def test_state_text(state, text):
    assert state_text(state) == text


def test_states_rank_most_urgent_first():
    assert sorted(STATE_COLOURS, key=state_rank) == list(STATE_ORDER)
    assert state_rank("qua_han") < state_rank("cho_khoa") < state_rank("da_nhan") < state_rank("khong_biet")


def test_summary_line():
    assert summary_line(matrix(), "kl224") == "Đã nhận 2/5; quá hạn 1; chờ xử lý 2"
