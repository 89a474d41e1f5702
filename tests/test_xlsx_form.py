"""The filled report as a printable xlsx: the engine's figures in Vietnamese
number formats and percentages as numbers, the header and signature of the
PDF (PageSettings and Layout: a report or an annex), the page setup, text that
stays text, and the same bytes every time. Read back with openpyxl and
python-calamine."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from exports.paper.layout import Layout
from exports.paper.letterhead import PageSettings, place_name
from exports.paper.page import date_words
from exports.paper.xlsx_form import form_workbook
from exports.paper.xlsx_sheet import number_format
from forms import vnformat
from forms.messages import finding_text
from models.reporting import enter_values, view_report

SIGNED_ON = dt.date(2026, 11, 22)
FINGERPRINT = "4821 0937 5512 8830 1146"
TIMES = "Times New Roman"


PAGE = PageSettings(
    superior="Đảng bộ tỉnh Lai Châu",
    issuer="Đảng ủy xã Mường Tè",
    number="Số 12-BC/ĐU",
    place="Mường Tè",
    on_behalf="T/M Ban Thường vụ",
    signer_title="Phó Bí thư",
    signer_name="Lò Văn Thắng",
    recipients=("Ban Tuyên giáo và Dân vận Tỉnh ủy (b/c),", "Lưu."),
)


def build(gw, view, **changes) -> bytes:
    arguments = {
        "period": gw.period(view.report.period_code),
        "signed_on": SIGNED_ON,
        "page": PAGE,
        "layout": Layout(),
        "signer_fingerprint": FINGERPRINT,
    }
    return form_workbook(view, **(arguments | changes))


def kl224_view(gw, library, unit: str, period: str, targets: str | None = None):
    return view_report(gw, gw.find_report(unit, "kl224", period), library.get("kl224"), targets)


def calamine_rows(data: bytes, sheet: str = "Biểu") -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def sheet(data: bytes, name: str = "Biểu"):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


def by_code(ws) -> dict:
    """Rows keyed by what is in column A: the table's Stt, mostly."""
    return {row[0].value: row for row in ws.iter_rows() if row[0].value}


def cell_with(ws, value):
    return next(c for row in ws.iter_rows() for c in row if c.value == value)


@pytest.fixture
def sin_ho(demo_db, library):
    """Xã Sìn Hồ, 60 villages, no target set."""
    view = kl224_view(demo_db, library, "03478", "2024")
    return view, build(demo_db, view)


@pytest.fixture
def muong_te(demo_db, library):
    """Xã Mường Tè 2025 against the district's targets, its one warning explained."""
    view = kl224_view(demo_db, library, "03445", "2025", "muong-te-2025")
    warning = view.evaluation.warnings[0]
    demo_db.set_reason(view.report, warning.rule, warning.cell.indicator, warning.cell.village, "Bản mới tách", "t")
    view = kl224_view(demo_db, library, "03445", "2025", "muong-te-2025")
    return view, build(demo_db, view)


def test_every_row_reads_back_as_the_engine_computed_it(sin_ho):
    view, data = sin_ho
    rows = {row[0]: row for row in calamine_rows(data) if row[0]}
    for ind in (i for i in view.form.indicators if i.is_row):
        figure, row = view.evaluation.figures[ind.id], rows[ind.code]
        assert row[1:3] == [ind.label, ind.unit]
        if not figure.applicable:
            assert row[3:6] == ["Không áp dụng", "", ""]
            continue
        assert row[3] == ("" if figure.total is None else float(figure.total)), ind.code
        assert row[4] == ("" if figure.value is None else float(figure.value)), ind.code
        shown = vnformat.percent(figure.percent).removesuffix("%").replace(",", ".")
        assert row[5] == ("" if figure.percent is None else float(shown)), ind.code
    assert {s.code for s in view.form.sections} <= rows.keys()


def test_report_letterhead_title_and_fonts_follow_the_page_settings(muong_te):
    view, data = muong_te
    ws = sheet(data)
    left = [ws.cell(row, 1).value for row in range(1, 5)]
    assert left == ["ĐẢNG BỘ TỈNH LAI CHÂU", "ĐẢNG ỦY XÃ MƯỜNG TÈ", "*", "Số 12-BC/ĐU"]
    assert not ws["A1"].font.b and ws["A2"].font.b and ws["A2"].font.sz == 14
    assert ws["C1"].value == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert (ws["C1"].font.b, ws["C1"].font.u, ws["C1"].font.sz) == (True, "single", 15)
    assert ws["C4"].value == "Mường Tè, ngày 22 tháng 11 năm 2026" and ws["C4"].font.i and ws["C4"].font.sz == 14
    assert {"A1:B1", "A2:B2", "A4:B4", "C1:H1", "C4:H4"} <= {str(r) for r in ws.merged_cells.ranges}
    texts = [ws.cell(row, 1).value for row in range(5, 12)]
    assert texts == [
        None,
        "BÁO CÁO",
        view.form.title,
        view.form.subtitle,
        "Kỳ báo cáo: Năm 2025",
        "So với mục tiêu: Huyện Mường Tè, mục tiêu đến năm 2025",
        None,
    ]
    assert ws["A6"].font.b and ws["A7"].font.b and ws["A7"].font.sz == 14 and ws["A9"].font.i
    assert [c.value for c in ws[12]] == [*view.form.columns, "Mục tiêu", "Đánh giá"]
    assert all(c.font.name == TIMES for row in ws.iter_rows() for c in row if c.value is not None)


def test_report_signature_and_recipients_follow_the_page_settings(muong_te):
    ws = sheet(muong_te[1])
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    here = cells["Nơi nhận:"]
    assert here.font.u == "single" and not here.font.b and here.font.sz == 14
    assert [ws.cell(here.row + n, 1).value for n in (1, 2)] == ["- Ban Tuyên giáo và Dân vận Tỉnh ủy (b/c),", "- Lưu."]
    right = [ws.cell(here.row + n, 3).value for n in range(7)]
    assert right == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", None, None, None, None, "Lò Văn Thắng"]
    texts = " ".join(str(v) for v in cells)
    for gone in ("Kiểm tra", "NGƯỜI LẬP BIỂU", "Cấp trên trực tiếp", "Ký số", "ký số"):
        assert gone not in texts, gone


def test_report_prints_the_text_the_clerk_typed_above_the_table(demo_db, library):
    view = kl224_view(demo_db, library, "03478", "2024")
    ws = sheet(build(demo_db, view, layout=Layout(body="Kết quả năm 2024 như sau:\nDòng thứ hai.")))
    texts = [ws.cell(row, 1).value for row in range(1, 16)]
    body = texts.index("Kết quả năm 2024 như sau:")
    assert texts[body + 1] == "Dòng thứ hai." and texts.index("Stt") > body + 1


@pytest.mark.parametrize("signed", [False, True])
def test_annex_has_no_letterhead_and_signs_only_when_asked(demo_db, library, signed):
    view = kl224_view(demo_db, library, "03478", "2024")
    annex = Layout(mode="annex", annex_number="02", annex_of="Báo cáo số 12-BC/ĐU ngày 05/01/2026", signed=signed)
    data = build(demo_db, view, layout=annex)
    texts = [row[0] for row in calamine_rows(data)]
    assert texts[:4] == [
        "PHỤ LỤC 02",
        view.form.title,
        "(Kèm theo Báo cáo số 12-BC/ĐU ngày 05/01/2026)",
        view.form.subtitle,
    ]
    everything = {str(v) for row in calamine_rows(data) for v in row}
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in everything and "Số 12-BC/ĐU" not in everything
    assert "Nơi nhận:" not in everything  # an annex goes with its document, whose recipients are the document's
    assert ("Lò Văn Thắng" in everything) is signed


def test_numbers_use_vietnamese_formats_and_percentages_are_numbers(muong_te):
    rows = by_code(sheet(muong_te[1]))
    total = rows["7.1"][3]
    assert (total.value, total.number_format, total.data_type) == (2432, r"#\.##0", "n")
    percent = rows["7.2"][5]
    assert (percent.value, percent.number_format, percent.data_type) == (88.9, "0.0", "n")
    assert percent.alignment.horizontal == "right"
    assert (rows["1.1"][6].value, rows["1.1"][7].value) == ("≥ 100%", "Đạt (100%)")
    calamine = {row[0]: row for row in calamine_rows(muong_te[1]) if row[0]}
    assert calamine["7.2"][5] == 88.9


@pytest.mark.parametrize(
    "value, expected",
    [(0, "0"), (999, "0"), (1000, r"#\.##0"), (999_999, r"#\.##0"), (1_000_000, r"#\.###\.##0")]
    + [(6_505_490_000, r"#\.###\.###\.##0"), (10**12, r"#\.###\.###\.###\.##0")],
)
def test_number_format_by_magnitude(value, expected):
    assert number_format(value) == expected


@pytest.mark.parametrize(
    "day, words",
    [(dt.date(2026, 11, 22), "ngày 22 tháng 11 năm 2026"), (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026")]
    + [(dt.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026")],
)
def test_date_line_words(day, words):
    assert date_words(day) == words


@pytest.mark.parametrize(
    "name, kind, place",
    [
        ("Xã Mường Tè", "xã", "Mường Tè"),
        ("Phường Tân Phong", "phường", "Tân Phong"),
        ("Thị xã Sa Pa", "thị xã", "Sa Pa"),
    ]
    + [
        ("Đặc khu Cô Tô", "đặc khu", "Cô Tô"),
        ("Thị trấn Tam Đường", "thị trấn", "Tam Đường"),
        ("Bình Lư", "xã", "Bình Lư"),
    ],
)
def test_place_goes_without_its_kind(name, kind, place):
    assert place_name(name, kind) == place


@pytest.mark.parametrize("name", ["Biểu", "Theo bản"])
def test_page_setup_prints_a4_landscape_one_page_wide(sin_ho, name):
    ws = sheet(sin_ho[1], name)
    assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape")
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    margins = ws.page_margins
    assert [margins.left, margins.right, margins.top, margins.bottom] == [0.6, 0.5, 0.6, 0.8]
    assert (margins.header, margins.footer) == (0.3, 0.3)
    header = cell_with(ws, "Stt").row
    assert ws.print_title_rows == f"${header}:${header}"
    footer = ws.oddFooter
    assert footer.center.text == "Trang &P/&N"
    assert footer.left.text == "03478 - Năm 2024" and FINGERPRINT in footer.right.text


def test_village_sheet_has_a_row_per_village(sin_ho):
    view, data = sin_ho
    rows = calamine_rows(data, "Theo bản")
    assert rows[0][0] == "SỐ LIỆU THEO BẢN, TỔ DÂN PHỐ - XÃ SÌN HỒ - NĂM 2024"
    header = next(n for n, row in enumerate(rows) if row[0] == "Stt")
    columns = view.form.village_indicators
    assert rows[header][2:] == [i.code or i.label for i in columns]
    villages = [row for row in rows[header + 1 :] if row[0] != ""]
    assert len(villages) == len(view.villages) == 60
    for n, (row, village) in enumerate(zip(villages, view.villages, strict=True), start=1):
        values = view.data.village_values[village.code]
        expected = [vnformat.yes_no(values[i.id]) if i.kind == "yesno" else float(values[i.id]) for i in columns]
        assert row == [float(n), village.name, *expected]


def test_written_reasons_are_listed_under_the_table_without_a_check_summary(muong_te):
    view, data = muong_te
    texts = [row[0] for row in calamine_rows(data)]
    assert not any(str(text).startswith("Kiểm tra") for text in texts)
    assert "Giải trình cảnh báo:" in texts
    warning = view.evaluation.warnings[0]
    village = next(v.name for v in view.villages if v.code == warning.cell.village)
    assert f"1. {village}: {finding_text(view.form, warning)} Giải trình: Bản mới tách" in texts


RISKY = ["=1+1", "-Bản Lạ", "@Bản", "+1"]


def test_names_that_look_like_formulas_stay_text(demo_db, library):
    for village, name in zip(demo_db.villages_of("03478"), RISKY, strict=False):
        demo_db.rename_unit(village.code, name, who="t")
    officer = '=HYPERLINK("http://x")'
    page = PageSettings("=Đảng bộ", "-Đảng ủy", "+Số 1", "@x", "", "+chức vụ", officer, ("=Lưu.",))
    data = build(demo_db, kl224_view(demo_db, library, "03478", "2024"), page=page)
    for name, texts in [("Biểu", [officer, "- =Lưu.", "+Số 1"]), ("Theo bản", RISKY)]:
        ws, rows = sheet(data, name), calamine_rows(data, name)
        for text in texts:
            cell = cell_with(ws, text)
            assert (cell.data_type, cell.quotePrefix) == ("s", True), text
            assert rows[cell.row - 1][cell.column - 1] == text
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


@pytest.mark.slow
def test_same_inputs_give_the_same_bytes(sin_ho, demo_db):
    view, first = sin_ho
    time.sleep(1.1)  # the zip entries and the document dates would show the clock
    assert build(demo_db, view) == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert b"2026-11-22T00:00:00Z" in archive.read("docProps/core.xml")
    assert build(demo_db, view, signed_on=dt.date(2026, 11, 23)) != first


@pytest.fixture
def sapa(sapa_report):
    gw, form, report = sapa_report
    typed = {
        "hoi_nghi_quan_triet": 6,
        "kinh_phi_tong": "6.505.490.000",
        "kinh_phi_ngan_sach": "6.145.490.000",
        "kinh_phi_xa_hoi_hoa": "360.000.000",
        "ngay_chot_so_lieu": "15/12/2022",
        "ghi_chu": "=Đề nghị hỗ trợ thêm kinh phí",
    }
    enter_values(gw, report, form, [(k, "089", v) for k, v in typed.items()], who="test")
    return gw, view_report(gw, report, form, "sa-pa-2022")


def test_amounts_dates_and_text_of_a_district_form(sapa):
    gw, view = sapa
    page = PageSettings("", "Thị ủy Sa Pa", "Số 67-BC/TU", "Sa Pa", "", "Bí thư", "", ())
    data = build(gw, view, page=page, signer_fingerprint=None)
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Biểu"]
    ws = sheet(data)
    assert [ws["A1"].value, ws["A2"].value, ws["A3"].value] == ["THỊ ỦY SA PA", "*", "Số 67-BC/TU"]
    assert ws["C3"].value == "Sa Pa, ngày 22 tháng 11 năm 2026"
    rows = by_code(ws)
    assert rows["5.1"][4].value == 6_505_490_000 and rows["5.1"][4].number_format == r"#\.###\.###\.##0"
    assert rows["5.1.2"][4].number_format == r"#\.###\.##0"
    assert rows["6.1"][3].value == "15/12/2022" and rows["6.2"][3].value == "=Đề nghị hỗ trợ thêm kinh phí"
    assert rows["6.2"][3].data_type == "s"
    assert (rows["1.1"][6].value, rows["1.1"][7].value) == ("≥ 05 cuộc", "Đạt (6 cuộc)")
    assert ws.oddFooter.left.text is None
    assert not any("Ký số" in str(c.value) for row in ws.iter_rows() for c in row)
