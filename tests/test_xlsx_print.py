"""How the workbooks print: the packet's form, the upper level's merged table and
the completeness matrix. First as Excel reads them (page setup, margins, the
font of every written cell, of the default style and of the footer), then, when
LibreOffice is installed, as printed to PDF: the words, the figures in
Vietnamese format, A4 landscape pages, the page number in the footer, Times
New Roman (Liberation Serif on Linux) embedded."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from types import SimpleNamespace
from xml.etree import ElementTree

import openpyxl
import pdfplumber
import pytest

from exports.collect.completeness import completeness
from exports.collect.inbox import import_packets
from exports.collect.merge import merge
from exports.packets.format import FORM_XLSX
from exports.packets.write import export_packet
from exports.paper.layout import Layout, default_layout
from exports.paper.letterhead import page_settings
from exports.paper.xlsx_completeness import completeness_workbook, state_text
from exports.paper.xlsx_form import form_workbook
from exports.paper.xlsx_merged import merged_workbook
from forms import vnformat
from forms.library import default_library
from forms.messages import target_text
from models.demo import build_upper_demo
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.reporting import view_report

AT = dt.datetime(2026, 2, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
SENT = (("03445", "2024"), ("03408", "2024"), ("03478", "2024"), ("03478", "2025"))
TIMES = "Times New Roman"
A4_LANDSCAPE = (841.89, 595.28)  # points
SOFFICE = shutil.which("soffice")
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

NAMES = ("packet", "targets", "completeness", "merged", "merged_jumps")
WORKBOOKS = NAMES


@pytest.fixture(scope="session")
def books(demo_template, tmp_path_factory) -> SimpleNamespace:
    """Real workbooks: the bieu.xlsx of Mường Tè's exported 2024 packet; its 2025 report against
    the district's targets (two more columns); the province's merged tables of 2024 and of 2025
    (with the figures that jumped) from imported packets; the province's completeness matrix."""
    folder = tmp_path_factory.mktemp("in-an")
    shutil.copy(demo_template, folder / "xa.db")
    library = default_library()
    kl224 = library.get("kl224")
    (folder / "goi").mkdir()
    gw = Gateway.open(folder / "xa.db")
    views, packets = {}, {}
    for unit, period in SENT:
        views[unit, period] = view_report(gw, gw.find_report(unit, "kl224", period), kl224)
        packets[unit, period] = export_packet(gw, views[unit, period], DEMO_PASSPHRASE, folder / "goi", at=AT).path
    key = key_in_use(gw, "03445")
    with zipfile.ZipFile(packets["03445", "2024"]) as archive:
        packet = archive.read(FORM_XLSX)
    with_targets = view_report(gw, gw.find_report("03445", "kl224", "2025"), kl224, "muong-te-2025")
    page = page_settings(gw, with_targets.unit)
    targets = form_workbook(
        with_targets,
        period=gw.period("2025"),
        signed_on=AT.date(),
        page=page,
        layout=Layout(),
        signer_fingerprint=key.spoken,
    )
    gw.close()
    gw = Gateway.open(folder / "tinh.db")
    build_upper_demo(gw)
    assert {f.outcome for f in import_packets(gw, [folder / "goi"], library, "kiem-thu").filed} == {"accepted"}
    table = merge(gw, "12", kl224, "2024")
    jumped = merge(gw, "12", kl224, "2025", jump_share=0.0)
    assert jumped.jumps
    matrix = completeness(gw, "12", "2024", library, today=dt.date(2026, 3, 1))
    signer = {"signed_on": AT.date(), "page": page_settings(gw, table.parent), "layout": Layout()}
    data = {
        "packet": packet,
        "targets": targets,
        "merged": merged_workbook(gw, table, **signer),
        "merged_jumps": merged_workbook(gw, jumped, **signer),
        "completeness": completeness_workbook(matrix, made_on=AT.date()),
    }
    gw.close()
    return SimpleNamespace(
        data=data,
        key=key,
        page=page,
        view=views["03445", "2024"],
        with_targets=with_targets,
        table=table,
        matrix=matrix,
        evaluations={
            "packet": views["03445", "2024"].evaluation,
            "targets": with_targets.evaluation,
            "merged": table.evaluation(),
        },
    )


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


# ---- as Excel reads it ---------------------------------------------------------------


@pytest.mark.parametrize("name", WORKBOOKS)
def test_every_sheet_prints_a4_landscape_fitted_to_the_width(books, name):
    for ws in workbook(books.data[name]):
        setup = ws.page_setup
        assert (int(setup.paperSize or 0), setup.orientation) == (9, "landscape"), ws.title
        if ws.print_title_cols:  # a grid too wide to shrink prints across pages, its first columns on each
            assert ws.print_title_cols == "$A:$B" and not ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        else:
            assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
            assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows, ws.title  # every sheet holds a table whose heading repeats


@pytest.mark.parametrize("name", WORKBOOKS)
def test_the_footer_has_room_and_numbers_the_pages(books, name):
    for ws in workbook(books.data[name]):
        margins = ws.page_margins
        assert margins.footer >= 0.3, ws.title  # less and LibreOffice cuts the footer off
        assert margins.bottom >= margins.footer + 0.3, ws.title  # a 10 pt line between footer and table
        assert margins.header <= margins.top, ws.title
        assert "&P" in (ws.oddFooter.center.text or ""), ws.title


@pytest.mark.parametrize("name", NAMES)
def test_header_and_footer_text_is_set_in_times_new_roman(books, name):
    for ws in workbook(books.data[name]):
        for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
            for part in (hf.left, hf.center, hf.right):
                if part.text:
                    assert (part.font or "").startswith(TIMES), (ws.title, part.text, part.font)


def stylesheet(archive: zipfile.ZipFile) -> tuple[list[str], list[int], list[int]]:
    """Font names, and the font of each cell format (cellXfs) and named style format (cellStyleXfs)."""
    root = ElementTree.fromstring(archive.read("xl/styles.xml"))
    fonts = [font.find(f"{NS}name").get("val") for font in root.find(f"{NS}fonts")]
    cell_formats = [int(xf.get("fontId", 0)) for xf in root.find(f"{NS}cellXfs")]
    style_formats = [int(xf.get("fontId", 0)) for xf in root.find(f"{NS}cellStyleXfs")]
    return fonts, cell_formats, style_formats


@pytest.mark.parametrize("name", NAMES)
def test_every_written_cell_row_and_column_is_times_new_roman(books, name):
    """Read from the xml as Excel does (openpyxl's read-back drops the style of the cells
    under a merge): each cell, row and column style -> cell format -> font."""
    with zipfile.ZipFile(io.BytesIO(books.data[name])) as archive:
        fonts, cell_formats, _ = stylesheet(archive)
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        for sheet in sheets:
            root = ElementTree.fromstring(archive.read(sheet))
            styled = [(c.get("r"), int(c.get("s", 0))) for c in root.iter(f"{NS}c")]
            styled += [(f"row {r.get('r')}", int(r.get("s"))) for r in root.iter(f"{NS}row") if r.get("s")]
            styled += [(f"col {c.get('min')}", int(c.get("style"))) for c in root.iter(f"{NS}col") if c.get("style")]
            assert styled
            wrong = {where: fonts[cell_formats[s]] for where, s in styled if fonts[cell_formats[s]] != TIMES}
            assert not wrong, (sheet, wrong)


@pytest.mark.parametrize("name", ["packet", "merged", "completeness"])
def test_the_default_style_is_times_new_roman_too(books, name):
    """Empty cells, rows without a height and LibreOffice's default cell style take their font
    from the 'Normal' style and cell format 0; Calibri is not on Linux and becomes another font."""
    with zipfile.ZipFile(io.BytesIO(books.data[name])) as archive:
        fonts, cell_formats, style_formats = stylesheet(archive)
    assert (fonts[style_formats[0]], fonts[cell_formats[0]]) == (TIMES, TIMES)  # 'Normal'; format 0
    assert "Calibri" not in fonts


# ---- as LibreOffice prints it -------------------------------------------------------------


@dataclass
class Page:
    width: float
    height: float
    text: str
    fonts: set[str]
    smallest: float  # the size of the smallest character, in points as printed
    tables: list[list[list[str]]]  # the bordered tables on the page, rows of cells
    footer: str  # the words below the lowest line of the body
    footer_inside: bool  # the footer's words lie within the sheet of paper


def squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def read_pdf(path) -> list[Page]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            bottom_margin = page.height - 72 * 0.8  # the workbooks' bottom margin
            footer = [w for w in words if w["top"] >= bottom_margin]
            body = [w for w in words if w["top"] < bottom_margin]
            pages.append(
                Page(
                    width=float(page.width),
                    height=float(page.height),
                    text=page.extract_text(),
                    fonts={c["fontname"].split("+")[-1] for c in page.chars},
                    smallest=min((c["size"] for c in page.chars), default=0),
                    tables=page.extract_tables(),
                    footer=" ".join(w["text"] for w in footer),
                    footer_inside=all(w["bottom"] <= page.height - 5 for w in footer)
                    and all(f["top"] > max((b["bottom"] for b in body), default=0) for f in footer),
                )
            )
    return pages


@pytest.fixture(scope="session")
def printed(books, tmp_path_factory) -> dict[str, list[Page]]:
    """The workbooks printed to PDF by LibreOffice, in one run with a profile of its own."""
    folder = tmp_path_factory.mktemp("pdf")
    names = ("packet", "targets", "merged", "completeness")
    for name in names:
        (folder / f"{name}.xlsx").write_bytes(books.data[name])
    profile = (folder / "profile").as_uri()
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "pdf"]
        + ["--outdir", str(folder), *(str(folder / f"{name}.xlsx") for name in names)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return {name: read_pdf(folder / f"{name}.pdf") for name in names}


needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def form_rows(pages: list[Page]) -> dict[str, list[str]]:
    """The rows of the form's table (sheet “Biểu”, under “Stt | Chỉ tiêu”) by Stt, over all its pages."""
    rows = {}
    for table in (t for page in pages for t in page.tables):
        if table and len(table[0]) > 1 and squash(table[0][1]) == "Chỉtiêu":
            rows.update((row[0], row) for row in table if row[0])
    return rows


def table_rows(pages: list[Page], heading: str) -> dict[str, list[str]]:
    """The rows of the tables whose second column is headed ``heading``, by that column, squashed."""
    rows = {}
    for table in (t for page in pages for t in page.tables):
        if table and len(table[0]) > 1 and squash(table[0][1]) == squash(heading):
            for row in table[1:]:
                if row[1]:
                    rows.setdefault(squash(row[1]), row)  # a grid printed across pages: its first page
    return rows


@needs_libreoffice
def test_the_packet_form_prints_its_header_title_and_signature(books, printed):
    text = squash("".join(p.text for p in printed["packet"]))  # the signature's lines wrap
    view, key, page = books.view, books.key, books.page
    layout = default_layout(view.form)  # the packet prints in the form's own mode
    words = [*(line.upper() for line in layout.heading(view.form.title)), "Kỳ báo cáo: Năm 2024"]
    if layout.letterhead:
        words += ["ĐẢNG CỘNG SẢN VIỆT NAM", page.superior.upper(), page.issuer.upper(), page.number]
        words.append("Mường Tè, ngày 10 tháng 02 năm 2026")
    if layout.signature:
        words += ["Nơi nhận:", *page.recipients, page.signer_title.upper(), page.signer_name]
    for line in words:
        assert squash(line) in text, line
    for gone in ("Kiểm tra", "NGƯỜI LẬP BIỂU", "Ký số", "ký số"):
        assert squash(gone) not in text, gone
    assert all(squash(village.name) in text for village in view.villages)  # the grid of sheet “Theo bản”
    for page in printed["packet"]:  # all three parts of the footer, on every page
        assert page.footer.startswith("03445 - Năm 2024 Trang ") and page.footer.endswith(f"Mã khóa {key.spoken}")


@needs_libreoffice
@pytest.mark.parametrize("name", ["packet", "targets", "merged"])
def test_every_indicator_prints_with_its_label_and_figures(books, printed, name):
    form = books.view.form
    figures = books.evaluations[name].figures
    rows = form_rows(printed[name])
    for ind in (i for i in form.indicators if i.is_row):
        row = rows[ind.code]
        assert squash(row[1]) == squash(ind.label), ind.code  # labels wrap inside their cell
        assert row[2] == ind.unit, ind.code
        figure = figures[ind.id]
        if not figure.applicable:
            assert row[3] == "Không áp dụng", ind.code
        elif ind.is_numeric:
            shown = [vnformat.number(figure.total), vnformat.number(figure.value)]
            # A number printed “0.0” in LibreOffice's own locale (en-US here): 88.9, 100.0.
            percent = vnformat.percent(figure.percent).removesuffix("%").replace(",", ".")
            shown.append(f"{float(percent):.1f}" if percent else "")
            assert [cell or "" for cell in row[3:6]] == shown, ind.code
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", cell or "") for row in rows.values() for cell in row)


@needs_libreoffice
def test_the_report_against_targets_prints_the_two_extra_columns(books, printed):
    rows = form_rows(printed["targets"])
    assert rows["Stt"][6:8] == ["Mục tiêu", "Đánh giá"]
    form = books.with_targets.form
    for target in books.with_targets.evaluation.targets:
        goal, _, status = target_text(form, target).partition(": ")
        row = rows[form.indicator(target.indicator).code]
        assert (squash(row[6]), squash(row[7]).casefold()) == (squash(goal), squash(status).casefold()), row[0]
    assert "2.432" in "\n".join(p.text for p in printed["targets"])  # Mường Tè's households, 2025
    assert "So với mục tiêu: " + books.with_targets.evaluation.target_set.name in printed["targets"][0].text


@needs_libreoffice
@pytest.mark.parametrize("name", ["packet", "targets", "completeness", "merged"])
def test_every_page_is_a4_landscape_and_numbered_in_its_footer(printed, name):
    pages = printed[name]
    assert "Trang 1/" in pages[0].footer, pages[0].footer
    for n, page in enumerate(pages, start=1):
        assert (round(page.width), round(page.height)) == tuple(round(x) for x in A4_LANDSCAPE), n
        assert re.search(r"Trang \d+/\d+", page.footer), (n, page.footer)
        assert page.footer_inside, n


@needs_libreoffice
@pytest.mark.parametrize("name", ["packet", "targets", "merged", "completeness"])
def test_the_text_is_set_in_times_new_roman_or_its_metric_twin(printed, name):
    fonts = set().union(*(p.fonts for p in printed[name]))
    assert fonts and all(f.startswith(("LiberationSerif", "TimesNewRoman")) for f in fonts), fonts


@needs_libreoffice
@pytest.mark.parametrize("name", ["packet", "targets", "merged", "completeness"])
def test_the_printed_text_stays_readable(printed, name):
    """Fitting a wide sheet to the page width shrinks its type: the forms use 11 to 14 pt;
    below 7 pt a printed figure is hard to read."""
    for n, page in enumerate(printed[name], start=1):
        assert page.smallest >= 7, (n, page.smallest)


@needs_libreoffice
def test_the_merged_table_prints_every_unit_below(books, printed):
    text = "\n".join(p.text for p in printed["merged"])
    assert "TỈNH ỦY LAI CHÂU" in text and "BAN TUYÊN GIÁO VÀ DÂN VẬN" in text  # the province's own letterhead
    assert "SỐ LIỆU TỪNG ĐƠN VỊ - KL224 - NĂM 2024" in text
    sent = table_rows(printed["merged"], "Đơn vị")
    for unit in books.table.units:
        expected = "chưa gửi" if unit.figures is None else f"lần {unit.sequence}"
        assert squash(sent[squash(unit.unit.name)][2]) == squash(expected), unit.unit.name


@needs_libreoffice
def test_the_completeness_matrix_prints_every_unit_and_its_state(books, printed):
    text = "\n".join(p.text for p in printed["completeness"])
    assert "TÌNH HÌNH NHẬN BÁO CÁO - TỈNH LAI CHÂU - NĂM 2024" in text
    states = table_rows(printed["completeness"], "Đơn vị")
    for unit in books.matrix.units:
        row = states[squash(unit.name)]
        assert (row[2], squash(row[3])) == (unit.code, squash(state_text(books.matrix.states[unit.code, "kl224"])))
