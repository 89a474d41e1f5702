"""The province's window, Biểu mẫu menu: the chosen form written to Excel
(read back by openpyxl), a workbook with mistakes listed in a dialog line by
line with its sheet, row and column (nothing kept), a good one kept as the
province's version and listed at once, a file that is no workbook said in
one sentence."""

from __future__ import annotations

import openpyxl

from ui.form_book import PROBLEM_COLUMNS


def column(sheet, header: str) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def set_version(book, version: int) -> None:
    for row in book["Biểu"].iter_rows(min_row=2):
        if row[0].value == "Phiên bản":
            row[1].value = version


def test_a_form_goes_to_excel_and_back_from_the_province_s_window(upper_window, tmp_path, qtbot):
    path = upper_window.export_form(tmp_path / "kl224")
    assert path == tmp_path / "kl224.xlsx" and "Đã ghi biểu kl224 phiên bản" in upper_window.notice.text()
    book = openpyxl.load_workbook(path)
    assert "Chỉ tiêu" in book.sheetnames
    sheet = book["Chỉ tiêu"]
    sheet.cell(row=3, column=column(sheet, "Loại"), value="cout")
    sheet.cell(row=4, column=column(sheet, "Mục"), value="99")
    book.save(tmp_path / "sai.xlsx")

    assert upper_window.import_form(tmp_path / "sai.xlsx") is None
    dialog = upper_window.form_book_errors
    qtbot.waitExposed(dialog)
    assert [dialog.table.horizontalHeaderItem(c).text() for c in range(4)] == list(PROBLEM_COLUMNS)
    lines = dialog.lines()
    assert lines[0][:3] == ("Chỉ tiêu", "3", "F (Loại)") and "“cout” không hợp lệ" in lines[0][3]
    assert lines[1] == ("Chỉ tiêu", "4", "C (Mục)", "mục “99” không có ở trang Mục")
    assert upper_window.gw.forms.all() == []
    dialog.close()

    book = openpyxl.load_workbook(path)
    set_version(book, 7)
    book.save(tmp_path / "dung.xlsx")
    form, new = upper_window.import_form(tmp_path / "dung.xlsx")
    assert new and form.key == ("kl224", "12", 7)
    assert "Đã lưu biểu kl224 phiên bản 7 (đơn vị 12 ban hành)" in upper_window.notice.text()
    assert upper_window.library.get("kl224", 7, "12") is not None
    assert upper_window.merged_view.library is upper_window.library


def test_a_file_that_is_no_workbook_is_said_in_one_sentence(upper_window, tmp_path):
    junk = tmp_path / "ke-hoach.xlsx"
    junk.write_text("không phải Excel", encoding="utf-8")
    assert upper_window.import_form(junk) is None
    assert upper_window.form_book_errors is None
    assert upper_window.message.text().startswith("Không đọc được biểu mẫu “ke-hoach.xlsx”")
