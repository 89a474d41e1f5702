"""A form written as a workbook: its sheets, headers, cells and drop-down lists, seen by openpyxl itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.formbook import layout
from exports.formbook.write import write_form_workbook
from forms.loader import load_form
from models.errors import BadInput

DEFINITIONS = Path(__file__).resolve().parent.parent / "forms" / "definitions"


def test_another_reader_sees_the_sheets_headers_and_cells(tmp_path):
    form = load_form(DEFINITIONS / "kl224-v2.toml")
    wb = load_workbook(write_form_workbook(form, tmp_path / "kl224.xlsx"), read_only=True)
    assert wb.sheetnames == [layout.GUIDE] + [s.name for s in layout.SHEETS]
    rows = list(wb[layout.INDICATORS].iter_rows(values_only=True))
    assert rows[0][:6] == ("Mã chỉ tiêu", "Số thứ tự", "Mục", "Tên chỉ tiêu", "Đơn vị tính", "Loại")
    first_row = next(r for r in rows if r[0] == "cb_boi_duong")
    assert first_row[1:9] == ("1.1", "1", first_row[3], "người", "số đếm", "cả xã", None, "can_bo_lanh_dao")
    settings = {r[0]: r[1] for r in wb[layout.SETTINGS].iter_rows(values_only=True)}
    assert settings["Mã biểu"] == "kl224" and settings["Phiên bản"] == 2 and settings["Kiểu in"] == "phụ lục"
    targets = list(wb[layout.TARGETS].iter_rows(values_only=True))
    assert targets[0] == ("Mã bộ", "Chỉ tiêu", "So sánh", "Tỷ lệ (%)", "Số lượng", "Phiên bản", "Nguồn")
    heritage = [r for r in targets if r[0] == "muong-te-2025" and r[3] in (14.2, 15)]
    assert [(r[3], r[5]) for r in heritage] == [(14.2, 1), (15, 2)]
    wb.close()


def test_the_header_row_is_bold_frozen_and_offers_the_words(tmp_path):
    form = load_form(DEFINITIONS / "kl224.toml")
    wb = load_workbook(write_form_workbook(form, tmp_path / "kl224.xlsx"))
    ws = wb[layout.INDICATORS]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b and ws.column_dimensions["D"].width == 50
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["F2"] == '"số đếm,có/không,số tiền,chữ,ngày"' and lists["G2"] == '"từng bản,cả xã"'
    guide = " ".join(str(c.value) for row in wb[layout.GUIDE].iter_rows() for c in row if c.value)
    assert wb.sheetnames[0] == layout.GUIDE and "không dùng công thức" in guide and "tối đa 1.999 dòng" in guide


def test_a_folder_that_does_not_exist_is_refused_and_nothing_is_left(tmp_path):
    with pytest.raises(BadInput, match="không tồn tại"):
        write_form_workbook(load_form(DEFINITIONS / "kl224.toml"), tmp_path / "khong-co" / "kl224.xlsx")
    assert list(tmp_path.iterdir()) == []
