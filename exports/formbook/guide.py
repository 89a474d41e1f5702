"""The first sheet of a form workbook, “Hướng dẫn”: how to fill the others, in Vietnamese. Never read back."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from exports.formbook import layout
from exports.paper.xlsx_sheet import LEFT, font_of, put_text
from forms import vnformat
from forms.schema import FormDef

_RULES = (
    "Mỗi trang là một bảng: dòng 1 là tên cột, mỗi dòng sau là một mục, một chỉ tiêu, một phép kiểm tra, "
    "một mục tiêu… Không đổi tên trang, không đổi tên cột, không xóa trang (trang không dùng thì để trống).",
    "Chỉ gõ giá trị: không dùng công thức (=…), không gộp ô, không ẩn trang. Mỗi trang tối đa "
    f"{vnformat.number(layout.MAX_ROWS - 1)} dòng, cộng dòng tên cột.",
    "Mã (mã chỉ tiêu, mã kiểm tra, mã bộ mục tiêu) viết chữ thường không dấu, số và “_”, không có dấu cách; "
    "mã chỉ tiêu là tên dùng trong các phép kiểm tra và mục tiêu, nên đã dùng thì không đổi.",
    "Số thứ tự (2.3, 4.1.1) gõ bằng chữ số thường, không có dấu cách; để trống khi chỉ tiêu là số liệu gốc "
    "(ví dụ Số hộ gia đình) chỉ dùng làm mẫu số.",
    "Các cột có danh sách chọn (Loại, Nhập theo, Mức, So sánh…) chọn một giá trị trong danh sách; "
    "mã của định dạng biểu mẫu (count, village, error…) cũng được nhận.",
    "Khi đọc biểu, chương trình báo mọi lỗi cùng một lúc, mỗi lỗi ghi trang, dòng và cột; sửa hết rồi đọc lại.",
)


def write_guide(ws: Worksheet, form: FormDef) -> None:
    ws.title = layout.GUIDE
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 90
    put_text(ws, 1, 1, f"BIỂU MẪU {form.id.upper()} – PHIÊN BẢN {form.version}", font_of(14, bold=True))
    put_text(ws, 2, 1, form.title, font_of(12, italic=True))
    row = 4
    put_text(ws, row, 1, "Cách điền", font_of(12, bold=True))
    for text in _RULES:
        row += 1
        put_text(ws, row, 1, "–", font_of(12))
        put_text(ws, row, 2, text, font_of(12), LEFT)
    row += 2
    put_text(ws, row, 1, "Các trang", font_of(12, bold=True))
    for sheet in layout.SHEETS:
        row += 1
        put_text(ws, row, 1, sheet.name, font_of(12, bold=True))
        put_text(ws, row, 2, sheet.purpose, font_of(12), LEFT)
        for column in sheet.columns or layout.SETTING_ROWS:
            if column.note:
                row += 1
                put_text(ws, row, 2, f"{column.header}: {column.note}", font_of(11, italic=True), LEFT)
