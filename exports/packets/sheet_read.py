"""Read back the workbook inside a packet (bieu.xlsx), as the program writes it and no other way.

The program writes its workbooks with openpyxl: the same few parts, cells
that hold a number or an inline string, styles, print titles. Anything else
in a packet's bieu.xlsx was put there by someone else and is refused with
its place named: parts openpyxl does not write for us (external links,
macros, pictures, connections, shared strings), a formula anywhere (a cell,
a defined name, a conditional format, a validation), a number format that
could print other digits, a hidden sheet or column, a DTD, a zip bomb.

The cells are read with two regular expressions over a sheet's XML, one
that checks the rows' structure (each row and each cell in it numbered, in
openpyxl's order of attributes, nothing but a value or an inline string in a
cell) and one that lists the cells: a fraction of openpyxl's time
(benchmarks/bench_sheet_check.py). What they cannot read is parsed again
with ElementTree, only to say what is wrong with it. Everything else (the
parts around the cells) is small and parsed with ElementTree, without DTDs.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from xml.etree import ElementTree

from exports.packets.format import FORM_XLSX

MAX_PARTS = 32
MAX_PART_BYTES = 16 * 1024 * 1024  # a sheet of 60 villages is 40 KB
MAX_EXPANDED_BYTES = 32 * 1024 * 1024

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"

# Every part openpyxl writes for our workbooks, and nothing else.
_PART_NAME = re.compile(
    r"\[Content_Types\]\.xml|_rels/\.rels|docProps/(?:app|core)\.xml|xl/workbook\.xml|"
    r"xl/_rels/workbook\.xml\.rels|xl/styles\.xml|xl/theme/theme1\.xml|xl/worksheets/sheet[1-9][0-9]?\.xml"
)
_NEEDED = ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")
_NOT_READ = ("docProps/", "xl/theme/")  # named and sized above; nothing in them reaches a cell
_TYPE = "application/vnd.openxmlformats-officedocument."
_PART_TYPES = {
    "xl/workbook.xml": _TYPE + "spreadsheetml.sheet.main+xml",
    "xl/styles.xml": _TYPE + "spreadsheetml.styles+xml",
    "xl/theme/theme1.xml": _TYPE + "theme+xml",
    "docProps/app.xml": _TYPE + "extended-properties+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
}
_SHEET_TYPE = _TYPE + "spreadsheetml.worksheet+xml"
_DEFAULT_TYPES = {"rels": "application/vnd.openxmlformats-package.relationships+xml", "xml": "application/xml"}
_RELATION_TYPES = {
    f"{_OFFICE_RELS}/{kind}" for kind in ("officeDocument", "worksheet", "styles", "theme", "extended-properties")
} | {f"{_PACKAGE_RELS}/metadata/core-properties"}

# The elements openpyxl writes in a workbook and around a sheet's cells.
_WORKBOOK_TAGS = {
    "workbook", "fileVersion", "workbookPr", "workbookProtection", "bookViews", "workbookView",
    "sheets", "sheet", "definedNames", "definedName", "calcPr",
}  # fmt: skip
_SHEET_TAGS = {
    "worksheet", "sheetPr", "outlinePr", "pageSetUpPr", "tabColor", "dimension", "sheetViews", "sheetView",
    "pane", "selection", "sheetFormatPr", "cols", "col", "sheetData", "mergeCells", "mergeCell",
    "printOptions", "pageMargins", "pageSetup", "headerFooter", "oddHeader", "oddFooter", "evenHeader",
    "evenFooter", "firstHeader", "firstFooter", "rowBreaks", "colBreaks", "brk",
}  # fmt: skip
_FORMULA_TAGS = {"f", "formula", "formula1", "formula2", "conditionalFormatting", "dataValidations"}
_SHEET_ELEMENTS = {f"{{{MAIN}}}{tag}" for tag in _SHEET_TAGS - {"col", "sheetFormatPr"}}
# A defined name may only repeat rows or columns on each printed page: 'Biểu'!$10:$10, 'Theo đơn vị'!$A:$B.
_PRINT_TITLES = re.compile(r"(?:'(?:[^']|'')+'|[^\W\d]\w*)!(?:\$[A-Z]{1,3}:\$[A-Z]{1,3}|\$[0-9]{1,7}:\$[0-9]{1,7})")
# Number formats that print a number as it is: General, 0, #,##0, @, and thousands with dots (#\.##0);
# a percentage with one decimal (0.0) and a change in whole percent with its sign (+0;-0;0). Never a
# format that scales (Excel's “%” prints 3 as 300%) or hides a number.
_PLAIN_FORMAT_IDS = {"0", "1", "3", "49"}
_PLAIN_FORMAT = re.compile(r"General|0|@|#,##0|#(?:\\\.###)*\\\.##0|0\.0|\+0;-0;0")

# A sheet's rows as openpyxl writes them (through ElementTree or lxml): each row and each cell in it
# numbered (\1 is the row's number), a cell's style one whose number format prints the number as it
# is (STYLES, filled in per styles.xml), nothing in a cell but a number or an inline string.
_TEXT = r"[^<&]*+(?:&(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});[^<&]*+)*+"
_ROWS = (
    r'(?:<row r="([1-9][0-9]{0,6})"(?: ht="[1-9][0-9]{1,3}(?:\.[0-9]{1,9})?")?(?: customHeight="1")? ?'
    r'(?:/>|>(?:<c r="[A-Z]{1,3}\1"(?: s="(?:STYLES)")?'
    r'(?: t="n" ?(?:/>|><v>[^<&]*+</v></c>)| t="inlineStr" ?(?:/>|><is><t(?: xml:space="preserve")?>'
    + _TEXT
    + r"</t></is></c>)))*+</row>))*+"
)
# The cells that hold something, once _ROWS has vouched for the structure: (column, row, kind, value).
_CELLS = re.compile(
    r'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="[0-9]{1,5}")? t="(n|inlineStr)" ?>'
    r'(?:<v>|<is><t(?: xml:space="preserve")?>)([^<]*+)'
)
_NEAR_CELL = re.compile(r'<c r="([A-Z]{1,3}[0-9]{1,7})"')
# Characters XML 1.0 forbids, written as themselves or as references: no XML reader opens such a
# sheet (Excel "repairs" it), and openpyxl never writes one.
_FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|&#0*(?:[0-8]|1[124-9]|2[0-9]|3[01]);|&#x0*(?:[0-8bcef]|1[0-9a-f]);",
    re.IGNORECASE,
)
# Each byte to 1, but 0 for a control byte _FORBIDDEN refuses, 2 for EF (U+FFFE and U+FFFF start so), 3 for "#".
_MARKS = bytes(
    0 if b < 0x20 and b not in (0x09, 0x0A, 0x0D) else 2 if b == 0xEF else 3 if b == ord("#") else 1 for b in range(256)
)
# A page's header or footer, and a text that is the same characters wherever it stands in an XML file.
_PAGE_TEXT = re.compile(r"<((?:odd|even|first)(?:Header|Footer))>([^<]*+)</\1>")
_PLAIN_TEXT = re.compile(r"(?:[^<>&\]\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|&(?:amp|lt|gt|quot|apos);)*+")
_DECLARATION = re.compile(r"\ufeff?(?:<\?xml[^>]*\?>)?")
_ENCODING = re.compile(r"""encoding=["']([^"']*)["']""")
_ZIP_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)
_ZIP_FAILURES += (OverflowError, OSError, struct.error, IndexError, KeyError)

NUMBER, TEXT = "n", "inlineStr"
Cell = tuple[str, str, str, str]  # (column letters, row number, NUMBER or TEXT, value as written in the XML)


class SheetRefused(Exception):
    """bieu.xlsx is not a workbook the program wrote; the message says where, in Vietnamese."""


@dataclass(frozen=True)
class Sheet:
    name: str
    cells: list[Cell]  # the cells that hold something, in the file's order; texts XML-escaped as written


def read_sheets(xlsx: bytes) -> dict[str, Sheet]:
    """Sheet name -> its cells, in the workbook's order; SheetRefused for anything the program does not write."""
    parts = _parts(xlsx)
    _check_content_types(parts["[Content_Types].xml"])
    _relations(parts["_rels/.rels"], "_rels/.rels", "")
    targets = _relations(parts["xl/_rels/workbook.xml.rels"], "xl/_rels/workbook.xml.rels", "xl/")
    rows = _rows_pattern(_plain_styles(parts["xl/styles.xml"]))
    sheets = {}
    for name, rid in _workbook_sheets(parts["xl/workbook.xml"]):
        part = targets.get(rid)
        if part not in parts or not part.startswith("xl/worksheets/") or name in sheets:
            raise SheetRefused(f"tệp {FORM_XLSX}: trang “{name[:40]}” trùng tên hoặc không trỏ tới trang nào.")
        sheets[name] = Sheet(name, _CELLS.findall(_sheet_body(name, parts[part], rows)))
    return sheets


def cell_map(sheet: Sheet) -> dict[tuple[str, str], tuple[str, str]]:
    """(column, row) -> (kind, value unescaped): the slow way, to compare and to name cells."""
    found = {}
    for column, row, kind, value in sheet.cells:
        if (column, row) in found:
            raise SheetRefused(f"tệp {FORM_XLSX}, trang “{sheet.name}” có ô {column}{row} ghi hai lần.")
        if value:
            found[(column, row)] = (kind, unescape(value) if "&" in value else value)
    return found


# ---- the parts ------------------------------------------------------------------------


def _parts(xlsx: bytes) -> dict[str, bytes]:
    """The parts we read, within limits checked before anything is expanded."""
    try:
        with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
            infos = archive.infolist()
            _check_listing(infos)
            parts = {i.filename: _read_part(archive, i) for i in infos if not i.filename.startswith(_NOT_READ)}
    except SheetRefused:
        raise
    except _ZIP_FAILURES:
        raise SheetRefused(f"tệp {FORM_XLSX} hỏng, không đọc được như một bảng tính Excel.") from None
    for name in _NEEDED:
        if name not in parts:
            raise SheetRefused(f"tệp {FORM_XLSX} thiếu phần “{name}” của một bảng tính Excel.")
    return parts


def _check_listing(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS:
        raise SheetRefused(f"tệp {FORM_XLSX} có {len(infos)} phần, quá nhiều cho một biểu; không mở.")
    total, seen = 0, set()
    for info in infos:
        name = info.filename
        if not _PART_NAME.fullmatch(name):
            raise SheetRefused(
                f"tệp {FORM_XLSX} có phần “{name[:80]}” mà Sổ Chỉ Tiêu không ghi "
                "(liên kết ngoài, macro, hình hoặc dữ liệu khác); không nhận."
            )
        if name in seen or info.flag_bits & 0x1:
            raise SheetRefused(f"tệp {FORM_XLSX} có phần “{name}” trùng tên hoặc bị mã hóa; không nhận.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SheetRefused(f"tệp {FORM_XLSX} có phần “{name}” nén theo cách lạ; không nhận.")
        seen.add(name)
        total += info.file_size
        if info.file_size > MAX_PART_BYTES or total > MAX_EXPANDED_BYTES:
            raise SheetRefused(f"tệp {FORM_XLSX} giải nén ra quá lớn (có thể là “bom zip”); không mở.")


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as stream:  # never more than declared: a lie about the size fails the CRC
        data = stream.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise SheetRefused(f"tệp {FORM_XLSX}: phần “{info.filename}” dài khác kích thước ghi trong tệp zip.")
    return data


def _xml(name: str, raw: bytes | str) -> ElementTree.Element:
    """A part parsed, refusing a DTD (its entities and default attributes are not ours) and any
    encoding but UTF-8 (which the checks on the raw text assume)."""
    text = raw if isinstance(raw, str) else raw[:256].decode("ascii", "replace")
    declared = _ENCODING.search(_DECLARATION.match(text).group())
    doctype = "<!DOCTYPE" in raw if isinstance(raw, str) else b"<!DOCTYPE" in raw
    if (
        doctype
        or not text.lstrip("\ufeff").startswith("<")
        or "\x00" in text
        or (declared and declared.group(1).lower().replace("-", "") != "utf8")
    ):
        raise SheetRefused(f"tệp {FORM_XLSX}: phần “{name}” có khai báo DTD hoặc bảng mã lạ; không nhận.")
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError:
        raise SheetRefused(f"tệp {FORM_XLSX}: phần “{name}” không phải XML hợp lệ.") from None


def _local(tag: str, namespace: str = MAIN) -> str | None:
    """The element's name when it is in ``namespace``, else None."""
    prefix = "{" + namespace + "}"
    return tag[len(prefix) :] if tag.startswith(prefix) else None


def _short(tag: str) -> str:
    return tag.rpartition("}")[2][:40]


@lru_cache(maxsize=64)  # these small parts are the same in most packets: each is read once
def _check_content_types(raw: bytes) -> None:
    """Each part declared as what openpyxl declares it (a sheet is not a macro sheet)."""
    for item in _xml("[Content_Types].xml", raw):
        kind = _local(item.tag, _CONTENT_TYPES)
        part = (item.get("PartName") or "").lstrip("/")
        if kind == "Default":
            wanted = _DEFAULT_TYPES.get(item.get("Extension", ""))
        elif kind == "Override":
            wanted = _PART_TYPES.get(part, _SHEET_TYPE if part.startswith("xl/worksheets/") else None)
        else:
            wanted = None
        if wanted is None or item.get("ContentType") != wanted:
            raise SheetRefused(
                f"tệp {FORM_XLSX} khai báo kiểu nội dung lạ “{str(item.get('ContentType'))[:80]}”; không nhận."
            )


@lru_cache(maxsize=64)
def _relations(raw: bytes, name: str, folder: str) -> dict[str, str]:
    """Relationship id -> the part it names; nothing outside the workbook, nothing of another kind."""
    found = {}
    for rel in _xml(name, raw):
        target = rel.get("Target") or ""
        if (
            _local(rel.tag, _PACKAGE_RELS) != "Relationship"
            or rel.get("TargetMode") not in (None, "Internal")
            or rel.get("Type") not in _RELATION_TYPES
        ):
            raise SheetRefused(f"tệp {FORM_XLSX} có liên kết lạ “{target[:80]}” ({name}); không nhận.")
        found[rel.get("Id")] = target[1:] if target.startswith("/") else folder + target
    return found


@lru_cache(maxsize=64)
def _workbook_sheets(raw: bytes) -> tuple[tuple[str, str], ...]:
    """(name, relationship id) of each sheet; defined names only as print titles, no hidden sheet."""
    sheets = []
    for element in _xml("xl/workbook.xml", raw).iter():
        tag = _local(element.tag)
        if tag not in _WORKBOOK_TAGS:
            raise SheetRefused(f"tệp {FORM_XLSX} có phần lạ <{_short(element.tag)}> trong xl/workbook.xml; không nhận.")
        if tag == "sheet":
            name = element.get("name") or ""
            if element.get("state") not in (None, "visible"):
                raise SheetRefused(f"tệp {FORM_XLSX} có trang “{name[:40]}” bị ẩn; biểu của gói không giấu trang nào.")
            sheets.append((name, element.get(f"{{{_OFFICE_RELS}}}id")))
        elif tag == "definedName" and not (
            element.get("name") == "_xlnm.Print_Titles"
            and all(_PRINT_TITLES.fullmatch(part) for part in (element.text or "").split(","))
        ):
            raise SheetRefused(
                f"tệp {FORM_XLSX} có tên “{str(element.get('name'))[:40]}” chứa công thức "
                f"“{(element.text or '')[:60]}”; biểu trong gói không được có công thức."
            )
    return tuple(sheets)


@lru_cache(maxsize=64)  # a province's packets share a handful of styles.xml
def _plain_styles(raw: bytes) -> frozenset[str]:
    """The cell styles whose number format prints a number as it is (not 15 as “150”, not hidden)."""
    root = _xml("xl/styles.xml", raw)
    codes = {fmt.get("numFmtId"): fmt.get("formatCode") or "" for fmt in root.iter(f"{{{MAIN}}}numFmt")}
    formats = root.find(f"{{{MAIN}}}cellXfs")
    plain = set()
    for index, xf in enumerate(formats if formats is not None else ()):
        number = xf.get("numFmtId", "0")
        if _PLAIN_FORMAT.fullmatch(codes[number]) if number in codes else number in _PLAIN_FORMAT_IDS:
            plain.add(str(index))
    return frozenset(plain)


@lru_cache(maxsize=64)
def _rows_pattern(plain: frozenset[str]) -> re.Pattern:
    styles = "|".join(sorted(plain, key=lambda s: (-len(s), s))) or "(?!)"
    return re.compile(_ROWS.replace("STYLES", styles))


# ---- a sheet ----------------------------------------------------------------------------


def _sheet_body(name: str, raw: bytes, rows: re.Pattern) -> str:
    """The XML of the sheet's cells, once the rest of the sheet and their structure are found sound."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SheetRefused(f"tệp {FORM_XLSX}, trang “{name}” không phải văn bản UTF-8.") from None
    start, end = text.find("<sheetData>"), text.find("</sheetData>")
    if start < 0 or end < start or text.count("<sheetData") != 1 or text.count("</sheetData>") != 1:
        # openpyxl writes an empty sheet as <sheetData />; ours never are.
        raise SheetRefused(f"tệp {FORM_XLSX}, trang “{name}” không có bảng ô đọc được.")
    _check_skeleton(name, text[:start] + "<sheetData/>" + text[end + len("</sheetData>") :])
    body = text[start + len("<sheetData>") : end]
    if not rows.fullmatch(body):
        raise SheetRefused(_diagnosis(name, text, body, rows))
    if _may_be_forbidden(raw) and _FORBIDDEN.search(body):
        raise SheetRefused(f"tệp {FORM_XLSX}, trang “{name}” có ký tự điều khiển mà không chương trình nào đọc được.")
    return body


def _may_be_forbidden(raw: bytes) -> bool:
    """False when no character _FORBIDDEN finds can be in the sheet: no control byte (in UTF-8 one is
    only ever itself), no U+FFFE or U+FFFF (EF BF BE, EF BF BF), no character reference (&#). One pass
    of bytes.translate marks the bytes that could start one; the pattern's search costs ten times more."""
    marked = raw.translate(_MARKS)
    return (
        b"\x00" in marked
        or (b"\x02" in marked and (b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw))
        or (b"\x03" in marked and b"&#" in raw)
    )


def _check_skeleton(name: str, skeleton: str) -> None:
    """Everything around the cells: only the elements openpyxl writes, no column hidden. Each packet's
    footer names its unit and key; taken out when it is plain text (any XML reader reads it, wherever it
    stands), the rest is the same in most packets and is parsed once."""
    if "<!" not in skeleton and "<?" not in skeleton[2:]:  # no comment, CDATA, DTD or instruction to hide in
        texts = _PAGE_TEXT.findall(skeleton)
        if all(_PLAIN_TEXT.fullmatch(text) for _, text in texts):
            return _check_skeleton_once(name, _PAGE_TEXT.sub(r"<\1></\1>", skeleton) if texts else skeleton)
    return _parse_skeleton(name, skeleton)


def _parse_skeleton(name: str, skeleton: str) -> None:
    root = _xml(f"trang {name}", skeleton)
    if _local(root.tag) != "worksheet" or root.find(f"{{{MAIN}}}sheetData") is None:
        raise SheetRefused(f"tệp {FORM_XLSX}, trang “{name}” không phải một trang bảng tính.")
    for element in root.iter():
        if element.tag in _SHEET_ELEMENTS:
            continue  # most of them: checked with one look-up
        tag = _local(element.tag)
        if tag in _FORMULA_TAGS:
            raise SheetRefused(
                f"tệp {FORM_XLSX}, trang “{name}” có công thức (<{tag}>); biểu trong gói không được có công thức."
            )
        if tag not in ("col", "sheetFormatPr"):
            raise SheetRefused(f"tệp {FORM_XLSX}, trang “{name}” có phần lạ <{_short(element.tag)}>; không nhận.")
        if element.get("hidden") in ("1", "true") or not _wide(element.get("width")):
            raise SheetRefused(f"tệp {FORM_XLSX}, trang “{name}” có cột bị ẩn; biểu của gói không giấu cột nào.")
        if element.get("zeroHeight") in ("1", "true"):
            raise SheetRefused(f"tệp {FORM_XLSX}, trang “{name}” ẩn các dòng; biểu của gói không giấu dòng nào.")


_check_skeleton_once = lru_cache(maxsize=64)(_parse_skeleton)


def _tall(height: str | None) -> bool:
    """A row one can read (ours are at least 17 points high), or one left at Excel's height."""
    try:
        return height is None or float(height) >= 10
    except ValueError:
        return False


def _wide(width: str | None) -> bool:
    """A column one can read (ours are at least 6 characters wide), or one left at Excel's width."""
    try:
        return width is None or float(width) >= 2
    except ValueError:
        return False


def _diagnosis(name: str, text: str, body: str, rows: re.Pattern) -> str:
    """Why the rows could not be read, found the slow way: the sentence names the cell."""
    where = f"tệp {FORM_XLSX}, trang “{name}”"
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return f"{where} không phải XML hợp lệ."
    for cell in root.iter(f"{{{MAIN}}}c"):
        at = str(cell.get("r"))[:12]
        formula = cell.find(f"{{{MAIN}}}f")
        if formula is not None:
            shown = f" ={formula.text[:60]}" if formula.text else ""
            return f"{where}, ô {at} chứa công thức{shown}; biểu trong gói không được có công thức."
        if cell.get("t") not in ("n", "inlineStr"):
            return f"{where}, ô {at} có kiểu dữ liệu lạ (t=“{str(cell.get('t'))[:12]}”); không nhận."
        if not rows.fullmatch(f'<row r="1"><c r="A1" s="{cell.get("s", "0")}" t="n" /></row>'):
            return f"{where}, ô {at} có định dạng số lạ (có thể in ra số khác số ghi trong ô); không nhận."
    for row in root.iter(f"{{{MAIN}}}row"):
        if row.get("hidden") in ("1", "true") or not _tall(row.get("ht")):
            return f"{where}, dòng {str(row.get('r'))[:8]} bị ẩn; biểu của gói không giấu dòng nào."
    near = _NEAR_CELL.search(body, rows.match(body).end())
    return f"{where}: dòng, ô không theo dạng Sổ Chỉ Tiêu ghi" + (f" (gần ô {near.group(1)})." if near else ".")
