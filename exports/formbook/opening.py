"""A form workbook opened within limits: its bytes, what kind of file it really is, and its sheets'
cells, refusing what a form workbook never needs (merged cells, formulas, hidden sheets, too many rows).

Excel, LibreOffice or WPS write the workbook a province sends, not the program, so it is read with
openpyxl in read-only mode (streaming the sheets' XML) rather than with the strict reader of packets
(exports/packets/sheet_read.py); the limits are checked on the zip before anything is expanded.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from exports.formbook import layout
from exports.formbook.errors import FormBookErrors, FormBookUnreadable, Problem
from forms import vnformat
from models.errors import os_error_words

_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_MAX_EXPANDED = 64 * 1024 * 1024
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)"')


@dataclass(frozen=True)
class Grid:
    """One sheet's cells that hold something: row number -> {column number: value}."""

    name: str
    rows: dict[int, dict[int, object]]


def open_workbook(path: str | Path) -> dict[str, Grid]:
    """The sheets of the form workbook at ``path`` by name; FormBookUnreadable or FormBookErrors."""
    path = Path(path)
    raw = _read_bytes(path)
    _check_kind(raw, path.name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of extensions it drops (Excel's own validations)
        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False, keep_links=False)
        except Exception:  # noqa: BLE001 - openpyxl raises a dozen kinds over a damaged file; all mean the same
            raise FormBookUnreadable(path.name, "tệp hỏng, không đọc được như một bảng tính Excel (.xlsx).") from None
        try:
            return _sheets(book, raw, path.name)
        finally:
            book.close()


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > layout.MAX_FILE_BYTES:
            raise FormBookUnreadable(
                path.name, f"tệp lớn {vnformat.number(size // 1024)} KB, quá lớn cho một biểu mẫu; không mở."
            )
        return path.read_bytes()
    except OSError as exc:
        raise FormBookUnreadable(path.name, f"không đọc được tệp ({os_error_words(exc)}).") from None


def _check_kind(raw: bytes, name: str) -> None:
    if not raw:
        raise FormBookUnreadable(name, "tệp trống (0 byte), không phải bảng tính Excel.")
    if raw.startswith(_OLE):
        if _ENCRYPTED in raw:
            raise FormBookUnreadable(
                name, "tệp được đặt mật khẩu (mã hóa); hãy mở bằng Excel, bỏ mật khẩu, lưu lại rồi đọc lại."
            )
        raise FormBookUnreadable(name, "tệp Excel kiểu cũ (.xls); hãy mở bằng Excel và lưu lại dạng .xlsx.")
    if not raw.startswith(b"PK\x03\x04"):
        raise FormBookUnreadable(name, "không phải tệp Excel (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FormBookUnreadable(name, "tệp hỏng, không đọc được như một bảng tính Excel (.xlsx).") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        what = "tệp Word (.docx)" if "word/document.xml" in names else "tệp nén nhưng không phải bảng tính Excel"
        raise FormBookUnreadable(name, f"đây là {what}, không phải tệp Excel (.xlsx).")
    if sum(i.file_size for i in infos) > _MAX_EXPANDED or any(i.flag_bits & 0x1 for i in infos):
        raise FormBookUnreadable(name, "tệp giải nén ra quá lớn hoặc bị mã hóa; không mở.")


def _sheets(book, raw: bytes, file_name: str) -> dict[str, Grid]:
    problems: list[Problem] = []
    grids: dict[str, Grid] = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for ws in book.worksheets:
            name = ws.title
            if ws.sheet_state != "visible":
                problems.append(Problem(name, None, None, None, "trang bị ẩn; hãy bỏ ẩn hoặc xóa trang này."))
                continue
            if name not in layout.SHEET_BY_NAME:
                continue  # the guide, or a sheet of the user's own notes: not read
            problems += _merged(archive, ws, name)
            grids[name] = _grid(ws, name, problems)
    for sheet in layout.SHEETS:
        if sheet.name not in grids and not sheet.optional and not any(p.sheet == sheet.name for p in problems):
            problems.append(
                Problem(sheet.name, None, None, None, "thiếu trang này; không dùng thì để trống, đừng xóa hay đổi tên.")
            )
    if problems:
        raise FormBookErrors(file_name, problems)
    return grids


def _merged(archive: zipfile.ZipFile, ws, name: str) -> list[Problem]:
    part = getattr(ws, "_worksheet_path", None)
    try:
        xml = archive.read(part) if part else b""
    except KeyError:
        xml = b""
    return [
        Problem(name, None, None, None, f"có ô gộp ({ref.decode()}); hãy bỏ gộp ô, mỗi ô một giá trị.")
        for ref in _MERGE.findall(xml)
    ]


def _grid(ws, name: str, problems: list[Problem]) -> Grid:
    rows: dict[int, dict[int, object]] = {}
    for number, row in enumerate(ws.iter_rows(max_col=layout.MAX_COLUMNS), start=1):
        cells = {}
        for cell in row:
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if cell.data_type == "f":
                problems.append(
                    Problem(
                        name,
                        number,
                        get_column_letter(cell.column),
                        None,
                        "ô chứa công thức; hãy chép và dán dạng giá trị (Paste Values).",
                    )
                )
                continue
            cells[cell.column] = value
        if cells:
            if len(rows) >= layout.MAX_ROWS:
                problems.append(
                    Problem(name, None, None, None, f"có quá {vnformat.number(layout.MAX_ROWS)} dòng; không đọc.")
                )
                break
            rows[number] = cells
    return Grid(name, rows)
