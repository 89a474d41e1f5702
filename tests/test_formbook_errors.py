"""A broken form workbook: every mistake at once, each with its sheet, row and column; bad files refused."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.formbook import layout
from exports.formbook.errors import FormBookErrors, FormBookUnreadable
from exports.formbook.read import read_form_workbook
from exports.formbook.write import write_form_workbook
from forms.loader import load_form

KL224 = Path(__file__).resolve().parent.parent / "forms" / "definitions" / "kl224.toml"


@pytest.fixture
def book(tmp_path):
    return write_form_workbook(load_form(KL224), tmp_path / "kl224.xlsx")


def row_of(ws, value) -> int:
    return next(c.row for c in ws["A"] if c.value == value)


def problems(path):
    with pytest.raises(FormBookErrors) as caught:
        read_form_workbook(path)
    return caught.value


def test_every_mistake_is_reported_at_once_with_its_place(book):
    wb = load_workbook(book)
    ind, rules, targets = wb[layout.INDICATORS], wb[layout.RULES], wb[layout.TARGETS]
    r_cb = row_of(ind, "cb_boi_duong")
    ind[f"C{r_cb}"] = "9"  # unknown section
    r_12 = row_of(ind, "cbdv_hoc_nghi_quyet")
    ind[f"I{r_12}"] = "khong_co"  # unknown denominator
    r_22 = row_of(ind, "xa_nvh_dat_chuan")
    ind[f"H{r_22}"] = "ma_la"  # unknown parent
    r_13 = row_of(ind, "ho_duoc_tuyen_truyen")
    ind[f"A{r_13}"] = "cb_boi_duong_2"
    ind[f"F{r_13}"] = "cout"  # a kind not in the list
    r_21 = row_of(ind, "xa_co_nvh")
    ind[f"G{r_21}"] = "cả huyện"  # a grain not in the list
    r_23 = row_of(ind, "ban_co_nvh")
    ind[f"A{r_23}"] = "so_ho"  # duplicate id
    r_text = row_of(ind, "co_quan_van_hoa")
    ind[f"I{r_text}"] = "ghi_chu_text"  # denominator that is not a number
    ind.append(["ghi_chu_text", None, "2", "Ghi chú", None, "chữ", "cả xã"])
    ind[f"D{row_of(ind, 'can_bo_dang_vien')}"] = None  # a required cell left empty
    rules["D2"] = "khong_ton_tai + 1"  # a rule naming an unknown indicator
    rules["E3"] = "≈"  # a bad operator
    rules["H3"] = "nặng"  # a bad severity
    targets["D8"] = 120  # a percentage above 100
    wb.save(book)
    error = problems(book)
    found = {(p.sheet, p.row, p.column): p.text for p in error.problems}
    assert (layout.INDICATORS, r_cb, "C") in found and "không có ở trang Mục" in found[(layout.INDICATORS, r_cb, "C")]
    assert "khong_co" in found[(layout.INDICATORS, r_12, "I")]
    assert "ma_la" in found[(layout.INDICATORS, r_22, "H")]
    assert "“cout” không hợp lệ; chọn một trong: số đếm" in found[(layout.INDICATORS, r_13, "F")]
    assert "cả huyện" in found[(layout.INDICATORS, r_21, "G")]
    assert "bị trùng" in found[(layout.INDICATORS, r_23, "A")]
    assert "không phải chỉ tiêu số" in found[(layout.INDICATORS, r_text, "I")]
    assert found[(layout.INDICATORS, row_of(ind, "can_bo_dang_vien"), "D")] == "chưa điền “Tên chỉ tiêu”"
    assert "khong_ton_tai" in found[(layout.RULES, 2, "D")]
    assert "≈" in found[(layout.RULES, 3, "E")]
    assert "nặng" in found[(layout.RULES, 3, "H")]
    assert "từ 0 đến 100" in found[(layout.TARGETS, 8, "D")]
    text = str(error)
    assert text.startswith(f"Biểu mẫu “kl224.xlsx” có {len(error.problems)} lỗi")
    assert f"- trang “{layout.INDICATORS}”, dòng {r_cb}, cột C (Mục): " in text
    assert error.exit_code == 1 and "Traceback" not in text


def test_a_cycle_of_parents_is_named_on_its_rows(book):
    wb = load_workbook(book)
    ind = wb[layout.INDICATORS]
    parent_row, child_row = row_of(ind, "xa_co_nvh"), row_of(ind, "xa_nvh_dat_chuan")
    ind[f"H{parent_row}"] = "xa_nvh_dat_chuan"
    wb.save(book)
    found = {(p.row, p.column): p.text for p in problems(book).problems}
    assert "vòng lặp" in found[(parent_row, "H")] and "vòng lặp" in found[(child_row, "H")]


def test_codes_with_spaces_or_fullwidth_digits_and_targets_of_unknown_sets(book):
    wb = load_workbook(book)
    ind = wb[layout.INDICATORS]
    r_23, r_24 = row_of(ind, "ban_co_nvh"), row_of(ind, "ban_nvh_dat_chuan")
    ind[f"B{r_23}"] = "２.３"
    ind[f"B{r_24}"] = "2. 4"
    ind[f"A{row_of(ind, 'so_ho')}"] = "so ho"
    wb[layout.TARGETS]["A3"] = "khong-co-bo-nay"
    wb.save(book)
    found = {(p.sheet, p.row, p.column): p.text for p in problems(book).problems}
    assert "toàn độ rộng" in found[(layout.INDICATORS, r_23, "B")]
    assert "dấu cách" in found[(layout.INDICATORS, r_24, "B")]
    assert "chữ thường không dấu" in found[(layout.INDICATORS, row_of(ind, "so ho"), "A")]
    assert "khong-co-bo-nay" in found[(layout.TARGETS, 3, "A")]


def test_structure_merged_formulas_hidden_missing_and_too_many_rows(book):
    wb = load_workbook(book)
    wb[layout.SECTIONS].merge_cells("A2:B2")
    wb[layout.INDICATORS]["L3"] = "=1+1"
    wb[layout.READINGS].sheet_state = "hidden"
    del wb[layout.FILLED_BY]
    rules = wb[layout.RULES]
    for n in range(layout.MAX_ROWS + 5):
        rules.append([f"r{n}", "cả xã", None, "so_ho", ">=", "0", None, "lỗi", "x"])
    wb.save(book)
    found = {(p.sheet, p.row, p.column): p.text for p in problems(book).problems}
    assert "ô gộp (A2:B2)" in found[(layout.SECTIONS, None, None)]
    assert "công thức" in found[(layout.INDICATORS, 3, "L")]
    assert "bị ẩn" in found[(layout.READINGS, None, None)]
    assert "thiếu trang" in found[(layout.FILLED_BY, None, None)]
    assert "quá 2.000 dòng" in found[(layout.RULES, None, None)]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "tệp trống"),
        (b"\x00\x01random bytes" * 50, "không phải tệp Excel (.xlsx)"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 512, "kiểu cũ (.xls)"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64, "mật khẩu"),
        ("docx", "tệp Word (.docx)"),
        (b"PK\x03\x04 cut", "tệp hỏng"),
    ],
    ids=["empty", "random", "xls", "encrypted", "docx", "cut"],
)
def test_a_file_that_is_no_workbook_is_refused_with_exit_code_2(tmp_path, content, words):
    path = tmp_path / "bieu.xlsx"
    if content == "docx":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", "<w:document/>")
    else:
        path.write_bytes(content)
    with pytest.raises(FormBookUnreadable) as caught:
        read_form_workbook(path)
    assert words in str(caught.value) and caught.value.exit_code == 2
    assert str(caught.value).startswith("Không đọc được biểu mẫu “bieu.xlsx”: ")


def test_a_workbook_libreoffice_saved_again_reads_the_same(book, tmp_path):
    import shutil
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "lo"
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "xlsx",
         "--outdir", str(out), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert read_form_workbook(out / "kl224.xlsx") == read_form_workbook(book)


def test_settings_rows_left_out_or_unknown(book):
    wb = load_workbook(book)
    settings = wb[layout.SETTINGS]
    settings.delete_rows(row_of(settings, "Tiêu đề"))
    settings.append(["Người ký", "Bí thư"])
    wb.save(book)
    found = [str(p) for p in problems(book).problems]
    assert f"trang “{layout.SETTINGS}”: thiếu dòng “Tiêu đề”" in found
    assert any("khóa “Người ký” không có" in p for p in found)


def test_a_needed_column_left_out_stops_before_its_rows_are_read(book):
    wb = load_workbook(book)
    wb[layout.RULES].delete_cols(1)  # Mã kiểm tra is needed
    wb.save(book)
    found = [str(p) for p in problems(book).problems]
    assert found == [f"trang “{layout.RULES}”, dòng 1, cột “Mã kiểm tra”: thiếu cột này (dòng 1 là tên cột)"]


def test_a_unit_left_out_is_named_by_its_column(book):
    wb = load_workbook(book)
    wb[layout.INDICATORS].delete_cols(5)
    wb.save(book)
    found = [str(p) for p in problems(book).problems]
    assert f"trang “{layout.INDICATORS}”, dòng 2, cột “Đơn vị tính”: chưa điền “Đơn vị tính”" in found


def test_dates_typed_as_text_and_a_date_that_is_none(book):
    wb = load_workbook(book)
    filled = wb[layout.FILLED_BY]
    filled.append(["huyện", None, "30/06/2025"])
    filled.append(["xã", "01/07/2025", None])
    wb.save(book)
    assert [(f.tier, f.starts, f.ends) for f in read_form_workbook(book).filled_by] == [
        ("huyen", None, dt.date(2025, 6, 30)),
        ("xa", dt.date(2025, 7, 1), None),
    ]
    filled["C2"] = "31/02/2025"
    wb.save(book)
    found = {(p.sheet, p.row, p.column): p.text for p in problems(book).problems}
    assert "không phải một ngày" in found[(layout.FILLED_BY, 2, "C")]
