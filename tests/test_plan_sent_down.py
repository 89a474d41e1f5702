"""Issue 19's whole path, through the library, on the demo databases with real
workbooks, real signatures, real packets and real PDFs:

the province exports kl224 to Excel, adds an indicator and a rule, changes
two targets, adds the target set "Kế hoạch 2026 của Tỉnh ủy", imports it as
its version 2 and publishes it with a collection notice for 2026; the
commune imports both, sees the to-do, fills version 2 and signs; Tân Phong
still sends 2026 on the program's version; the province imports, and merges
and prints 2025 (the program's version) and 2026 (its own), the 2026 table
summing the shared indicators and naming what was left out for Tân Phong."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pdfplumber

from exports.collect.inbox import import_packets
from exports.collect.merge import merged_table
from exports.collect.trust import enrol
from exports.formbook.read import read_form_workbook
from exports.formbook.write import write_form_workbook
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet
from exports.paper.printouts import merged_printout
from exports.publications.publish import publish_collection, publish_form
from exports.publications.receive import import_publication
from exports.publications.todos import collection_todos
from forms.library import default_library
from models.form_store import find_form, import_authored_form, library_of, version_in_use
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.reporting import enter_values, start_report, view_report

PLAN = "ke-hoach-2026-tu"
PRINTED = dt.date(2027, 1, 20)


def rows_of(sheet) -> dict[str, int]:
    return {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}


def header(sheet, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


def write_row(sheet, values: dict) -> None:
    row = sheet.max_row + 1
    for name, value in values.items():
        sheet.cell(row=row, column=header(sheet, name), value=value)


def province_changes(path) -> None:
    """What the province's clerk does in Excel: a new indicator and rule, two targets changed, a new set."""
    book = openpyxl.load_workbook(path)
    for row in book["Biểu"].iter_rows(min_row=2):
        if row[0].value == "Phiên bản":
            row[1].value = 2
    write_row(book["Chỉ tiêu"], {
        "Mã chỉ tiêu": "ban_co_loa", "Số thứ tự": "6.4", "Mục": "6", "Tên chỉ tiêu": "Bản có cụm loa hoạt động",
        "Đơn vị tính": "bản", "Loại": "có/không", "Nhập theo": "từng bản", "Mẫu số": "so_ban",
    })  # fmt: skip
    write_row(book["Kiểm tra"], {
        "Mã kiểm tra": "loa_khong_qua_ban", "Vế trái": "ban_co_loa", "So sánh": "<=", "Vế phải": "so_ban",
        "Mức": "lỗi", "Thông báo": "Số bản có cụm loa không thể lớn hơn số bản.",
    })  # fmt: skip
    targets = book["Mục tiêu"]
    changed = [r for r in range(2, targets.max_row + 1) if targets.cell(r, header(targets, "Tỷ lệ (%)")).value][:2]
    for row in changed:
        targets.cell(row=row, column=header(targets, "Tỷ lệ (%)"), value=99)
    write_row(book["Bộ mục tiêu"], {
        "Mã bộ": PLAN, "Tên bộ mục tiêu": "Kế hoạch 2026 của Tỉnh ủy",
        "Văn bản": "Kế hoạch số 12-KH/TU ngày 05/01/2026", "Cấp đặt": "tỉnh",
    })  # fmt: skip
    for indicator, percent in (("ban_co_nvh", 95), ("ban_co_loa", 80)):
        write_row(targets, {"Mã bộ": PLAN, "Chỉ tiêu": indicator, "So sánh": ">=", "Tỷ lệ (%)": percent})
    book.save(path)


def fill_and_sign(gw: Gateway, unit: str, form, period: str, folder, source_period: str = "2024"):
    """The unit's figures of ``source_period`` typed into its ``period`` report of ``form``, and signed."""
    report = start_report(gw, unit, form, period)
    old = gw.find_report(unit, "kl224", source_period)
    edits = [(ind, code, value) for (ind, code), value in gw.values(old).items() if form.has_indicator(ind)]
    if form.has_indicator("ban_co_loa"):
        edits += [("ban_co_loa", v.code, 1) for v in gw.report_villages(report)]
    enter_values(gw, report, form, edits, "xa")
    return export_packet(gw, view_report(gw, report, form, PLAN if form.publisher else None), DEMO_PASSPHRASE, folder)


def pdf_text(document, path) -> str:
    from ui.printing import write_pdf

    with pdfplumber.open(write_pdf(document, path)) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def test_the_province_s_plan_goes_down_and_comes_back_up(qapp, demo_path, upper_path, tmp_path):
    out = tmp_path / "ra"
    out.mkdir()
    province, commune = Gateway.open(upper_path), Gateway.open(demo_path)
    try:
        # The province: its form in Excel, changed, kept as its version 2, sent down with a notice.
        book = write_form_workbook(find_form(library_of(province), "kl224", None, None, "12"), tmp_path / "kl224.xlsx")
        province_changes(book)
        v2, new = import_authored_form(province, read_form_workbook(book), "Giàng Thị Dung")
        assert new and v2.key == ("kl224", "12", 2) and v2.has_indicator("ban_co_loa")
        assert v2.target_set(PLAN).name == "Kế hoạch 2026 của Tỉnh ủy"
        ids = [i.id for i in v2.indicators]  # the row added at the bottom of the sheet prints under section 6
        assert v2.indicators[ids.index("ban_co_loa") - 1].section == "6"
        form_file = publish_form(province, "kl224", 2, DEMO_PASSPHRASE, out, "tinh").path
        notice = publish_collection(
            province, "kl224", 2, "2026", dt.date(2027, 1, 15), "Nộp cùng báo cáo năm.", DEMO_PASSPHRASE, out, "tinh"
        ).path
        assert province.collections.get("kl224", "2026")["deadline"] == "2027-01-15"

        # The commune: trusts the province's key, takes the form and the notice, sees the to-do.
        key = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
        enrol(commune, read_enrolment(key), "xa")
        assert import_publication(commune, form_file, "xa").status == "applied"
        assert import_publication(commune, notice, "xa").status == "applied"
        todos = collection_todos(commune, today=dt.date(2027, 1, 5))
        assert any("kl224" in t.text and "15/01/2027" in t.text and t.days_left == 10 for t in todos)
        in_use = version_in_use(commune, "kl224")
        assert in_use.key == ("kl224", "12", 2)
        muong_te = fill_and_sign(commune, "03445", in_use, "2026", out)
        tan_phong = fill_and_sign(commune, "03408", default_library().get("kl224", 1), "2026", out)
        earlier = [
            export_packet(
                commune,
                view_report(commune, commune.find_report(u, "kl224", "2025"), default_library().get("kl224")),
                DEMO_PASSPHRASE,
                out,
            )  # fmt: skip
            for u in ("03408", "03478")
        ]

        # The province: files all four, merges and prints both years.
        run = import_packets(
            province, [muong_te.path, tan_phong.path, *(p.path for p in earlier)], library_of(province), "tinh"
        )
        assert [f.outcome for f in run.filed] == ["accepted"] * 4, [f.message for f in run.filed]
        table_2026 = merged_table(province, "12", "kl224", "2026", PLAN)
        assert table_2026.form.key == ("kl224", "12", 2)
        assert set(table_2026.version_gaps) == {"03408"}
        assert "ban_co_loa" in table_2026.version_gaps["03408"].not_in_packet  # and version 2's own rows
        assert table_2026.totals["ban_co_loa"].value == muong_te_villages(commune)
        table_2025 = merged_table(province, "12", "kl224", "2025")
        assert table_2025.form.key == ("kl224", "", default_library().get("kl224").version)
        assert table_2025.version_gaps == {}
        text_2026 = pdf_text(merged_printout(province, "12", "kl224", "2026", target_set=PLAN, printed_on=PRINTED),
                             tmp_path / "2026.pdf")  # fmt: skip
        assert "Bản có cụm loa hoạt động" in text_2026
        assert "Phường Tân Phong theo phiên bản 1" in " ".join(text_2026.split())
        text_2025 = pdf_text(
            merged_printout(province, "12", "kl224", "2025", printed_on=PRINTED), tmp_path / "2025.pdf"
        )
        assert "Năm 2025" in text_2025 and "Bản có cụm loa" not in text_2025
    finally:
        province.close()
        commune.close()


def muong_te_villages(gw: Gateway) -> int:
    return len(gw.report_villages(gw.find_report("03445", "kl224", "2026")))
