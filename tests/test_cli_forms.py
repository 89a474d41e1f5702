"""``forms``, ``forms export`` and ``forms import`` on the province demo: a
real database file, a real workbook written, changed with openpyxl as a
clerk changes it in Excel, and read back. A new version is kept with the
province as its publisher and listed; a broken workbook lists every mistake
(exit 1); a file that is no workbook, or a change of an indicator's meaning,
is refused; nothing is kept then."""

from __future__ import annotations

import json
import sqlite3

import openpyxl
import pytest

import main
from forms.library import default_library


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("SCT_DEBUG", raising=False)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def load_form_v1():
    return default_library().get("kl224", 1)


def kept_forms(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT form_id, publisher, version, stored_by FROM forms").fetchall()


def exported(capsys, upper_path, tmp_path, version=1):
    out = tmp_path / "kl224.xlsx"
    code, said, err = cli(
        capsys, "forms", "export", "--db", upper_path, "--form", "kl224", "--version", version, "--out", out
    )
    assert code == 0, err
    assert f"Đã ghi biểu kl224 phiên bản {version} ra" in said
    return out


def edit(path, change) -> None:
    """Open the workbook as Excel would, change it, save it."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def column(sheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def set_setting(book, key: str, value) -> None:
    sheet = book["Biểu"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == key:
            row[1].value = value
            return
    raise AssertionError(key)


def new_version(book) -> None:
    """Version 2 with one more indicator: what a province does with the shipped form."""
    set_setting(book, "Phiên bản", 2)
    sheet = book["Chỉ tiêu"]
    row = sheet.max_row + 1
    for header, value in {
        "Mã chỉ tiêu": "ban_co_loa", "Số thứ tự": "6.4", "Mục": "6", "Tên chỉ tiêu": "Bản có cụm loa hoạt động",
        "Đơn vị tính": "bản", "Loại": "có/không", "Nhập theo": "từng bản", "Mẫu số": "so_ban",
    }.items():  # fmt: skip
        sheet.cell(row=row, column=column(sheet, header), value=value)


def test_a_form_goes_to_excel_and_comes_back_as_the_province_s_version(capsys, upper_path, tmp_path):
    path = exported(capsys, upper_path, tmp_path)
    book = openpyxl.load_workbook(path, read_only=True)  # a second reader sees the layout
    assert {"Biểu", "Chỉ tiêu", "Kiểm tra", "Mục tiêu"} <= set(book.sheetnames)
    book.close()
    edit(path, new_version)
    code, out, err = cli(capsys, "forms", "import", "--db", upper_path, path, "--user", "Nguyễn Văn Bình", "--json")
    assert code == 0, err
    assert json.loads(out) == {"form": "kl224", "publisher": "12", "version": 2, "new": True}
    assert kept_forms(upper_path) == [("kl224", "12", 2, "Nguyễn Văn Bình")]
    code, out, _ = cli(capsys, "forms", "--db", upper_path, "--json")
    listed = {(f["id"], f["publisher"], f["version"]): f for f in json.loads(out)}
    assert listed[("kl224", "12", 2)]["indicators"] == len(load_form_v1().indicators) + 1  # 6.4 added to v1
    code, out, _ = cli(capsys, "forms", "--db", upper_path)
    assert "kl224  phiên bản 2  (đơn vị 12 ban hành)" in out
    code, out, _ = cli(capsys, "forms", "import", "--db", upper_path, path)  # again: nothing new
    assert code == 0 and out.startswith("Đã có từ trước, không đổi: biểu kl224 phiên bản 2 (đơn vị 12 ban hành)")
    again = tmp_path / "lai.xlsx"
    code, _, err = cli(capsys, "forms", "export", "--db", upper_path, "--form", "kl224", "--version", 2, "--out", again)
    assert code == 0, err  # the province's own version 2 before the program's
    names = openpyxl.load_workbook(again, read_only=True)["Chỉ tiêu"].iter_rows(values_only=True)
    assert any(row[0] == "ban_co_loa" for row in names)


def test_every_mistake_of_a_workbook_is_listed_with_its_place_and_nothing_is_kept(capsys, upper_path, tmp_path):
    path = exported(capsys, upper_path, tmp_path)

    def two_mistakes(book):
        sheet = book["Chỉ tiêu"]
        sheet.cell(row=3, column=column(sheet, "Loại"), value="cout")
        sheet.cell(row=4, column=column(sheet, "Mục"), value="99")

    edit(path, two_mistakes)
    code, out, err = cli(capsys, "forms", "import", "--db", upper_path, path)
    assert code == 1
    assert err == "Biểu mẫu “kl224.xlsx” có 2 lỗi; sửa hết rồi đọc lại:\n"
    assert out.splitlines()[0].startswith("- trang “Chỉ tiêu”, dòng 3, cột F (Loại): “cout” không hợp lệ")
    assert out.splitlines()[1] == "- trang “Chỉ tiêu”, dòng 4, cột C (Mục): mục “99” không có ở trang Mục"
    code, out, _ = cli(capsys, "forms", "import", "--db", upper_path, path, "--json")
    assert code == 1 and [p["row"] for p in json.loads(out)["problems"]] == [3, 4]
    assert kept_forms(upper_path) == []


def test_a_file_that_is_no_workbook_is_refused_with_exit_2(capsys, upper_path, tmp_path):
    word = tmp_path / "ke-hoach.xlsx"
    word.write_bytes(b"PK\x03\x04 not really a zip")
    code, out, err = cli(capsys, "forms", "import", "--db", upper_path, word)
    assert code == 2 and out == ""
    assert err.startswith("Không đọc được biểu mẫu “ke-hoach.xlsx”") and len(err.splitlines()) == 1
    assert kept_forms(upper_path) == []


def test_a_change_of_an_indicator_s_meaning_is_refused_with_exit_1(capsys, upper_path, tmp_path):
    path = exported(capsys, upper_path, tmp_path)

    def other_unit(book):
        set_setting(book, "Phiên bản", 3)
        sheet = book["Chỉ tiêu"]
        row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "ban_co_nvh")
        sheet.cell(row=row, column=column(sheet, "Đơn vị tính"), value="thôn")

    edit(path, other_unit)
    code, out, err = cli(capsys, "forms", "import", "--db", upper_path, path)
    assert code == 1 and out == ""
    assert "đổi nghĩa chỉ tiêu đã có" in err and "chỉ tiêu “ban_co_nvh”" in err and len(err.splitlines()) == 1
    assert kept_forms(upper_path) == []


def test_an_unknown_form_or_version_is_named_with_those_there_are(capsys, upper_path, tmp_path):
    code, out, err = cli(capsys, "forms", "export", "--db", upper_path, "--form", "kl999", "--out", tmp_path / "a.xlsx")
    assert code == 2 and out == ""
    assert err == "Không có biểu “kl999” (có: da241, da241-huyen, kl224, sapa-11-17).\n"
    code, _, err = cli(
        capsys, "forms", "export", "--db", upper_path, "--form", "kl224", "--version", "０９", "--out", "a"
    )
    assert code == 2 and err.startswith("Không có biểu “kl224” phiên bản 9")
    assert not (tmp_path / "a.xlsx").exists()
