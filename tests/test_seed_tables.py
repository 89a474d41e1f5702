"""Every row of the seeds' tables and target lists is found in a form, and every reading a form
records of a seed is there to read.

The seed lines are copies under tests/data/seeds/ (CI has no shared/seeds/): seed 003's two annex
tables, seed 000's and 001's target lists, seed 004's activity and budget lines.

Why it is long: each seed's target list is written out here target by target, with the row, unit and
figure it is found as, so that a row left out or a figure misread shows by name.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from testkit import run_main

from forms.library import FormLibrary
from forms.schema import FormDef, Indicator
from models.demo import plausible_figures
from models.gateway import Gateway
from models.reporting import enter_values, find_report_view

SEEDS = Path(__file__).resolve().parent / "data" / "seeds"
LIBRARY = FormLibrary.from_directory()
KL224 = LIBRARY.get("kl224")
DA241 = LIBRARY.get("da241")
DA241_HUYEN = LIBRARY.get("da241-huyen")
SAPA = LIBRARY.get("sapa-11-17")


def words(text: str) -> str:
    """NFC, lower case, one space between words: how a label is compared with the seed's words."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def tab_rows(name: str, heading: str) -> list[list[str]]:
    """The rows under a ``## heading`` of a seed copy (its header row left out), cells without markup."""
    rows, inside = [], False
    for line in seed_text(name).splitlines():
        if line.startswith("## "):
            inside = line[3:].strip() == heading
            header = True
            continue
        if inside and "\t" in line:
            if header:
                header = False
                continue
            rows.append([re.sub(r"</?b>", "", cell).strip() for cell in line.split("\t")])
    return rows


# ---- seed 003: the two annex tables -----------------------------------------------------------


def test_every_row_of_the_de_an_241_table_is_a_row_of_a_form_with_its_words_and_unit():
    rows = tab_rows("003-phu-luc.txt", "KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU CỦA ĐỀ ÁN 241")
    assert len(rows) == 23  # 6 Mục tiêu, the 6.2 heading and 16 indicator rows
    forms = (DA241, DA241_HUYEN)
    for stt, label, unit, *figures in rows:
        assert not any(figures), stt  # the seed's table is blank: its rows are all there is to carry
        if not unit:  # a heading: "Mục tiêu 01" … or "6.2 Trình độ lý luận chính trị"
            code = stt
            found = [s for f in forms for s in f.sections if s.code == code and words(s.title) == words(label)]
            assert found, (stt, label)
            continue
        found = [
            (f.id, i)
            for f in forms
            for i in f.indicators
            if i.is_row and i.code == stt and words(i.label) == words(label) and i.unit == unit
        ]
        assert len(found) == 1, (stt, label, unit)


def test_mục_tieu_06_is_filled_by_the_district_and_the_commune_form_keeps_no_district_body():
    assert {s.code for s in DA241_HUYEN.sections} == {"6", "6.2"}
    assert DA241_HUYEN.report_tier == "huyen"
    assert DA241_HUYEN.tiers_for(dt.date(2016, 1, 1), dt.date(2020, 12, 31)) == ("huyen",)
    assert DA241.report_tier == "xa"
    assert not [i.id for i in DA241.indicators if "ban tuyên giáo" in words(i.label) or "bdct" in words(i.label)]
    assert not [s.code for s in DA241.sections if s.code.startswith("6")]
    # Each "-" row of 6.2 counts its own people: the Ban alone, then the Ban and the Trung tâm.
    middle, high = (i for i in DA241_HUYEN.indicators if i.code == "-")
    assert (middle.denominator, high.denominator, high.parent) == ("can_bo_btg_huyen", "can_bo_tuyen_giao", None)


def test_mục_tieu_02_keeps_its_row_and_asks_the_station_and_the_villages_loudspeakers():
    rows = [i for i in DA241.indicators if i.section == "2"]
    assert [(i.id, i.kind, i.grain) for i in rows] == [
        ("xa_truyen_thanh", "yesno", "commune"),
        ("xa_tram_fm", "yesno", "commune"),
        ("ban_cum_loa_on_dinh", "yesno", "village"),
    ]
    in_force = {t.indicator for t in DA241.target_set("de-an-241-2016-2020").in_force()}
    assert {"xa_truyen_thanh", "xa_tram_fm", "ban_cum_loa_on_dinh"} <= in_force
    # kl224 carried the station alone; it carries both now.
    kl224_241 = {t.indicator: t.source for t in KL224.target_set("de-an-241-2016-2020").in_force()}
    assert "Mục tiêu 02" in kl224_241["xa_tram_fm"] and "Mục tiêu 02" in kl224_241["ban_cum_loa_on_dinh"]
    assert not [t for t in kl224_241 if t.startswith("cbtg_")]  # Mục tiêu 06 is the district's


def test_the_document_register_has_no_figures_and_the_form_says_why_it_is_not_a_form():
    rows = tab_rows("003-phu-luc.txt", "CÁC VĂN BẢN LÃNH ĐẠO, CHỈ ĐẠO TRIỂN KHAI THỰC ĐỀ ÁN 241")
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6"] and not any(any(r[1:]) for r in rows)
    assert [r for r in DA241.readings if "Các văn bản lãnh đạo, chỉ đạo" in r.subject]


def test_the_data_period_of_de_an_241_is_printed_and_recorded():
    note = seed_text("003-luu-y.txt")
    assert "30/9/2016" in note
    for form in (DA241, DA241_HUYEN):
        assert "30/9/2016" in form.subtitle
        (period,) = [r for r in form.readings if r.subject == "Thời kỳ số liệu của Đề án 241"]
        assert "30/9/2016" in period.chosen and "01/01/2016" in period.other


# ---- seeds 000 and 001: the target lists ------------------------------------------------------

# (the seed's words, the row, words of its label, its unit, op, percent or count, target version)
TP_LAI_CHAU = [
    ("100% cán bộ lãnh đạo, quản lý các cấp được bồi dưỡng", "cb_boi_duong", "bồi dưỡng", "người", ">=", 100, 1),
    (
        "97% cán bộ, đảng viên được học tập, quán triệt",
        "cbdv_hoc_nghi_quyet",
        "cán bộ, đảng viên được học tập",
        "người",
        ">=",
        97,
        1,
    ),
    ("100% xã, phường có nhà văn hóa đạt chuẩn", "xa_co_nvh", "có nhà văn hóa", "xã", ">=", 100, 1),
    ("100% xã, phường có nhà văn hóa đạt chuẩn", "xa_nvh_dat_chuan", "đạt chuẩn", "xã", ">=", 100, 1),
    ("100% bản, tổ dân phố có nhà văn hóa", "ban_co_nvh", "có nhà văn hóa", "bản", ">=", 100, 1),
    ("trong đó 80% đạt chuẩn", "ban_nvh_dat_chuan", "đạt chuẩn", "bản", ">=", 80, 1),
    ("Trên 96% hộ gia đình", "ho_van_hoa", "hộ gia đình", "hộ", ">", 96, 1),
    ("trên 96% tổ dân phố, bản", "ban_van_hoa", "tổ dân phố", "bản", ">", 96, 1),
    ("98% cơ quan, đơn vị, doanh nghiệp", "co_quan_van_hoa", "cơ quan, đơn vị, doanh nghiệp", "cơ quan", ">=", 98, 1),
    ("100% xã đạt chuẩn nông thôn mới", "xa_nong_thon_moi", "nông thôn mới", "xã", ">=", 100, 1),
    ("80% phường đạt chuẩn văn minh đô thị", "phuong_van_minh", "văn minh đô thị", "phường", ">=", 80, 1),
    (
        "97% bản, tổ dân phố có đội văn nghệ hoạt động thường xuyên",
        "doi_van_nghe_thuong_xuyen",
        "hoạt động thường xuyên",
        "bản",
        ">=",
        97,
        1,
    ),
    (
        "03 xã, phường thành lập, duy trì hoạt động câu lạc bộ bảo tồn di sản",
        "xa_clb_di_san",
        "câu lạc bộ bảo tồn di sản",
        "xã",
        ">=",
        3,
        1,
    ),
    ("05 trường phổ thông", "truong_clb_van_hoa", "trường phổ thông", "trường", ">=", 5, 1),
    ("03 đảng bộ phường", "xa_lich_su_dang_bo", "lịch sử đảng bộ", "xã", ">=", 3, 1),
    ("7/7 trạm truyền thanh FMp", "xa_tram_fm", "trạm truyền thanh fm", "xã", ">=", 100, 1),
    (
        "100% bản, tổ dân phố có cụm loa truyền thanh cơ sở hoạt động ổn định",
        "ban_cum_loa_on_dinh",
        "cụm loa truyền thanh cơ sở hoạt động ổn định",
        "bản",
        ">=",
        100,
        1,
    ),
    (
        "tối thiểu 30% là hệ thống truyền thanh ứng dụng Công nghệ thông tin",
        "ban_cum_loa_cntt",
        "công nghệ thông tin",
        "bản",
        ">=",
        30,
        1,
    ),
    ("97% tổ dân phố, bản có đội văn nghệ", "ban_co_doi_van_nghe", "có đội văn nghệ", "bản", ">=", 97, 1),
    ("trong đó có 80% hoạt động ổn định", "doi_van_nghe_thuong_xuyen", "ổn định", "bản", ">=", 80, 2),
]

MUONG_TE = [
    ("100% cán bộ lãnh đạo, quản lý các cấp được bồi dưỡng", "cb_boi_duong", "bồi dưỡng", "người", ">=", 100, 1),
    (
        "95% trở lên cán bộ, đảng viên, công chức, viên chức, người lao động",
        "cb_cc_vc_nld_hoc_nghi_quyet",
        "cán bộ, đảng viên, công chức, viên chức, người lao động",
        "người",
        ">=",
        95,
        1,
    ),
    ("100% xã, thị trấn có nhà văn hóa", "xa_co_nvh", "có nhà văn hóa", "xã", ">=", 100, 1),
    ("trong đó 92% đạt chuẩn", "xa_nvh_dat_chuan", "đạt chuẩn", "xã", ">=", 92, 1),
    ("85% trở lên bản, khu phố có nhà văn hóa", "ban_co_nvh", "có nhà văn hóa", "bản", ">=", 85, 1),
    ("trong đó 50% trở lên đạt chuẩn", "ban_nvh_dat_chuan", "đạt chuẩn", "bản", ">=", 50, 1),
    ("Trên 80% hộ gia đình", "ho_van_hoa", "hộ gia đình", "hộ", ">", 80, 1),
    ("82% bản, khu phố", "ban_van_hoa", "bản", "bản", ">=", 82, 1),
    ("97% cơ quan, đơn vị, doanh nghiệp", "co_quan_van_hoa", "cơ quan, đơn vị, doanh nghiệp", "cơ quan", ">=", 97, 1),
    ("46% xã đạt chuẩn nông thôn mới", "xa_nong_thon_moi", "nông thôn mới", "xã", ">=", 46, 1),
    (
        "75% bản, khu phố có đội văn nghệ hoạt động thường xuyên",
        "doi_van_nghe_thuong_xuyen",
        "hoạt động thường xuyên",
        "bản",
        ">=",
        75,
        1,
    ),
    (
        "14,2% xã, thị trấn thành lập, duy trì hoạt động câu lạc bộ bảo tồn di sản",
        "xa_clb_di_san",
        "câu lạc bộ bảo tồn di sản",
        "xã",
        ">=",
        14.2,
        1,
    ),
    ("20% trường phổ thông", "truong_clb_van_hoa", "trường phổ thông", "trường", ">=", 20, 1),
    ("Có 71% đảng bộ xã, thị trấn biên soạn và phát hành", "xa_lich_su_dang_bo", "lịch sử đảng bộ", "xã", ">=", 71, 1),
    ("100% xã, thị trấn có trạm truyền thanh FM", "xa_tram_fm", "trạm truyền thanh fm", "xã", ">=", 100, 1),
    (
        "75% bản, khu phố có cụm loa truyền thanh cơ sở hoạt động ổn định",
        "ban_cum_loa_on_dinh",
        "cụm loa truyền thanh cơ sở hoạt động ổn định",
        "bản",
        ">=",
        75,
        1,
    ),
    ("90% các bản, khu phố có đội văn nghệ", "ban_co_doi_van_nghe", "có đội văn nghệ", "bản", ">=", 90, 1),
    ("trong đó có 75% hoạt động ổn định", "doi_van_nghe_thuong_xuyen", "ổn định", "bản", ">=", 75, 1),
    ("văn nghệ dân gian xã, phường, thị trấn (15%)", "xa_clb_di_san", "câu lạc bộ bảo tồn di sản", "xã", ">=", 15, 2),
]

# A figure the seed sets: a percentage, a two-digit count ("03"), or "7/7".
FIGURE = re.compile(r"\d+(?:,\d+)?%|\b0\d\b|\b\d+/\d+\b")
# What the target lists say that is not a row of a commune's form, each settled by a reading.
NOT_A_ROW = "Trung tâm Chính trị"


def spans(text: str, fragment: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(re.escape(fragment), text)]


@pytest.mark.parametrize(
    ("copy", "set_id", "entries"),
    [("000-muc-tieu.txt", "tp-lai-chau-2025", TP_LAI_CHAU), ("001-muc-tieu.txt", "muong-te-2025", MUONG_TE)],
)
def test_every_target_of_a_plans_list_is_a_target_on_a_row_with_its_words_and_unit(copy, set_id, entries):
    text = seed_text(copy)
    covered = []
    for fragment, *_ in entries:
        found = spans(text, fragment)
        assert found, fragment
        covered += found
    # Every figure of the list is inside a fragment found in the form: no target of the seed left out.
    for figure in FIGURE.finditer(text):
        assert any(a <= figure.start() < b for a, b in covered), (figure.group(), text[figure.start() - 40 :][:90])
    assert NOT_A_ROW in text and [r for r in KL224.readings if r.subject.startswith(NOT_A_ROW)]
    targets = KL224.target_set(set_id).targets
    for fragment, indicator_id, label_words, unit, op, value, version in entries:
        indicator = KL224.indicator(indicator_id)
        assert label_words in words(indicator.label) and indicator.unit == unit, fragment
        matching = [
            t
            for t in targets
            if t.indicator == indicator_id and t.op == op and t.version == version
            if (t.count if t.count is not None else float(t.percent)) == value
        ]
        assert matching, fragment


def test_the_two_readings_of_the_art_troupe_target_are_two_versions_the_detailed_one_in_force():
    versions = [t for t in KL224.target_set("tp-lai-chau-2025").targets if t.indicator == "doi_van_nghe_thuong_xuyen"]
    assert [(t.version, t.percent) for t in versions] == [(1, 97), (2, 80)]
    (in_force,) = [t for t in KL224.target_set("tp-lai-chau-2025").in_force() if t.indicator == versions[0].indicator]
    assert in_force.percent == 80
    (reading,) = [r for r in KL224.readings if r.subject.startswith("Mục tiêu đội văn nghệ của Thành phố Lai Châu")]
    assert "80%" in reading.chosen and "97%" in reading.other


def test_muong_tes_wider_population_is_its_own_row_and_the_others_stay_on_cadres_and_members():
    wider = KL224.indicator("cb_cc_vc_nld_hoc_nghi_quyet")
    assert (wider.denominator, KL224.indicator(wider.denominator).label) == (
        "cb_cc_vc_nld",
        "Cán bộ, đảng viên, công chức, viên chức, người lao động",
    )
    on = {s.id: {t.indicator for t in s.in_force()} for s in KL224.target_sets}
    assert "cb_cc_vc_nld_hoc_nghi_quyet" in on["muong-te-2025"] and "cbdv_hoc_nghi_quyet" not in on["muong-te-2025"]
    assert "cbdv_hoc_nghi_quyet" in on["tp-lai-chau-2025"] and "cbdv_hoc_nghi_quyet" in on["de-an-241-2016-2020"]


# ---- seed 004: activities and budget ----------------------------------------------------------

# (the seed's words, the row, its unit, the target's count or None for a figure the report fills)
SA_PA = [
    ("ít nhất **05** hội nghị học tập, quán triệt", "hoi_nghi_quan_triet", "cuộc", 5),
    (
        "**01** hội nghị bồi dưỡng, cập nhật kiến thức cho cán bộ, đảng viên đối tượng 4",
        "hoi_nghi_doi_tuong_4",
        "cuộc",
        1,
    ),
    ("ít nhất **05** cuộc kiểm tra", "cuoc_kiem_tra", "cuộc", 5),
    ("**01** Hội thi tìm hiểu về tư tưởng, đạo đức, phong cách Hồ Chí Minh", "hoi_thi_ho_chi_minh", "cuộc", 1),
    ("01 cuộc thi tìm hiểu, học tập Bác", "hoi_thi_ho_chi_minh", "cuộc", 1),
    ("**01** Hội thi Giảng viên lý luận chính trị giỏi", "hoi_thi_giang_vien", "cuộc", 1),
    ("01 Hội thi Giảng viên lý luận chính trị giỏi", "hoi_thi_giang_vien", "cuộc", 1),
    ("**07** cuốn sách lịch sử Đảng bộ, lịch sử truyền thống ngành", "sach_lich_su", "cuốn", 7),
    ("tổ chức hội thảo đối với 04/07 đơn vị", "sach_hoi_thao", "cuốn", 4),
    ("**16** trang tuyên truyền trên mạng xã hội tại 16 phường, xã", "trang_mang_xa_hoi", "trang", None),
    ("03 lớp tập huấn nghiệp vụ", "lop_tap_huan", "lớp", 3),
    ("khen thưởng 02 tập thể", "khen_tap_the", "tập thể", 2),
    ("07 cá nhân có thành tích", "khen_ca_nhan", "cá nhân", 7),
    ("Tổng kinh phí thực hiện Đề án dự kiến:** 6.505.490.000đ", "kinh_phi_tong", "đồng", None),
    ("Ngân sách của Thị xã: 6.145.490.000đ", "kinh_phi_ngan_sach", "đồng", None),
    ("Xã hội hoá: 360.000.000đ", "kinh_phi_xa_hoi_hoa", "đồng", None),
    ("Nhu cầu kinh phí năm 2022: 1.750.060.000", "kinh_phi_nam", "đồng", None),
]


def test_every_activity_and_budget_line_of_sa_pas_plan_is_a_row_with_its_unit_and_target():
    text = seed_text("004-hoat-dong-kinh-phi.txt")
    targets = {t.indicator: t for t in SAPA.target_set("sa-pa-2022").in_force()}
    for fragment, indicator_id, unit, count in SA_PA:
        assert fragment in text, fragment
        indicator = SAPA.indicator(indicator_id)
        assert indicator.unit == unit, fragment
        if count is not None:
            assert (targets[indicator_id].op, targets[indicator_id].count) == (">=", count), fragment
    # 16 pages at 16 communes: one page per commune, 100% of them (a reading of the form).
    assert targets["trang_mang_xa_hoi"].percent == 100
    assert [r for r in SAPA.readings if r.subject.startswith("Trang tuyên truyền trên mạng xã hội")]
    # The budget's sources add up as the seed prints them, and the form's rule says they must.
    amounts = [int(a.replace(".", "")) for a in re.findall(r"(\d{1,3}(?:\.\d{3})+)đ", text)]
    assert amounts[0] == amounts[1] + amounts[2] == 6_505_490_000
    assert [r.id for r in SAPA.rules if r.id == "kinh_phi_theo_nguon"]


# ---- the readings ------------------------------------------------------------------------------

SEED_COPIES = " ".join(words(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")))


def quotes(text: str) -> list[str]:
    """The seed's words a reading quotes (“…”), each piece between ellipses."""
    return [piece.strip() for quote in re.findall(r"“([^”]+)”", text) for piece in quote.split("…") if piece.strip()]


@pytest.mark.parametrize("form", [KL224, DA241, DA241_HUYEN, SAPA], ids=lambda f: f.id)
def test_every_reading_is_whole_and_quotes_its_seed_as_printed(form: FormDef):
    assert form.readings, form.id
    for reading in form.readings:
        assert reading.subject and reading.source and reading.chosen, reading
        for text in (reading.subject, reading.source, reading.chosen, reading.other):
            assert unicodedata.is_normalized("NFC", text)
        for quoted in quotes(reading.source):
            if len(quoted) >= 12:  # a name of a row ("Mục tiêu 02") is not a quotation
                assert words(quoted) in SEED_COPIES, (form.id, quoted)


EXPECTED_READINGS = {
    "kl224": [
        "Mục tiêu 1.2: ai được học tập, quán triệt",
        "Mục tiêu đội văn nghệ của Thành phố Lai Châu (4.1, 4.1.1)",
        "Câu lạc bộ bảo tồn di sản văn hóa, văn nghệ dân gian của Mường Tè (4.2)",
        "Mục tiêu 02 của Đề án 241 (6.1, 6.2)",
        "Mục tiêu 06 của Đề án 241 (đội ngũ Ban Tuyên giáo, Trung tâm BDCT cấp huyện)",
    ],
    "da241": [
        "Thời kỳ số liệu của Đề án 241",
        "Mục tiêu 02: trạm truyền thanh cơ sở và cụm loa truyền thanh",
        "Mục tiêu 06: cán bộ Ban Tuyên giáo huyện, Trung tâm BDCT",
    ],
    "da241-huyen": ["Mục tiêu 06: ai lập", "Thời kỳ số liệu của Đề án 241"],
}


@pytest.mark.parametrize(("form_id", "subjects"), EXPECTED_READINGS.items())
def test_each_reading_the_issue_names_is_recorded_in_its_form(form_id, subjects):
    recorded = [r.subject for r in LIBRARY.get(form_id).readings]
    for subject in subjects:
        assert subject in recorded, subject


def test_the_14_2_and_15_percent_versions_and_their_reading_agree():
    versions = [t for t in KL224.target_set("muong-te-2025").targets if t.indicator == "xa_clb_di_san"]
    assert [(t.version, float(t.percent)) for t in versions] == [(1, 14.2), (2, 15.0)]
    (reading,) = [r for r in KL224.readings if r.subject.startswith("Câu lạc bộ bảo tồn di sản")]
    assert "15%" in reading.chosen and "14,2%" in reading.other


# ---- versions -------------------------------------------------------------------------------------


def test_the_versions_the_library_keeps_and_the_latest_it_offers():
    kept = {(f.id, f.version) for f_id in ("kl224", "da241") for f in [LIBRARY.get(f_id, 1), LIBRARY.get(f_id, 2)]}
    assert kept == {("kl224", 1), ("kl224", 2), ("da241", 1), ("da241", 2)}
    assert {(f.id, f.version) for f in LIBRARY.all()} == {
        ("kl224", 2),
        ("da241", 2),
        ("da241-huyen", 1),
        ("sapa-11-17", 1),
    }
    # Every row id version 2 kept means what it meant in version 1.
    for form_id in ("kl224", "da241"):
        old, new = LIBRARY.get(form_id, 1), LIBRARY.get(form_id, 2)
        for ind in new.indicators:
            if old.has_indicator(ind.id):
                assert same_meaning(old.indicator(ind.id), ind), (form_id, ind.id)
    assert (LIBRARY.get("kl224", 1).print_mode, KL224.print_mode, DA241.print_mode) == ("report", "annex", "annex")
    assert SAPA.print_mode == "report"


def same_meaning(old: Indicator, new: Indicator) -> bool:
    meaning = ("kind", "grain", "unit", "denominator", "parent", "applies_to")
    return all(getattr(old, key) == getattr(new, key) for key in meaning)


def printed_text(db: Path, period: str, out: Path) -> str:
    """``main.py print`` of Mường Tè's da241 report for ``period``, its pages' text with no whitespace."""
    done = run_main("print", "--db", db, "--unit", "03445", "--form", "da241", "--period", period, "--out", out)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    with pdfplumber.open(out) as pdf:
        return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))


def test_a_report_filled_with_version_1_still_opens_and_prints_with_version_1s_rows(demo_path, tmp_path):
    old_form = LIBRARY.get("da241", 1)
    gw = Gateway.open(demo_path)
    try:
        report = gw.ensure_report("03445", "da241", 1, "2020")  # as a report made before version 2 was shipped
        villages = [v.code for v in gw.villages_of("03445")]
        village_values, commune_values = plausible_figures(old_form, "xã", villages, random.Random(241))
        edits = [(i, code, v) for code in villages for i, v in village_values[code].items()]
        enter_values(gw, report, old_form, [*edits, *((i, "03445", v) for i, v in commune_values.items())], "thử")
        old = find_report_view(gw, "03445", "da241", "2020")
        new = find_report_view(gw, "03445", "da241", "2016-2020")  # the demo's, made with the latest
    finally:
        gw.close()
    assert (old.form.version, new.form.version) == (1, 2)
    assert not old.evaluation.missing and old.evaluation.figures["cbtg_dai_hoc"].value is not None
    # A label wraps inside its cell with the figures between its lines: words that fit on one line.
    old_page = printed_text(demo_path, "2020", tmp_path / "v1.pdf")
    new_page = printed_text(demo_path, "2016-2020", tmp_path / "v2.pdf")
    assert "BDCT" in old_page and "FM" not in old_page  # Mục tiêu 06 is there, the station row is not
    assert "BDCT" not in new_page and "FM" in new_page
    assert "(30/9/2016)" in new_page and "(30/9/2016)" not in old_page  # the data period, in version 2's subtitle
