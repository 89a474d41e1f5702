"""The packet's workbook and the PDF of the same report say the same page: LibreOffice prints the
xlsx to PDF, pdfplumber reads both, and the letterhead, the number, the place and date, the
recipients and the signer's title and name are the same words (a report), or the annex's heading
with the same signature and no letterhead (an annex). LibreOffice is required: without soffice the
test fails, saying how to install it (tools/debian-packages.sh --office)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pdfplumber
import pytest

from exports.paper.layout import Layout
from exports.paper.letterhead import page_settings
from exports.paper.page import date_line
from exports.paper.report import report_document
from exports.paper.xlsx_form import form_workbook
from models.reporting import view_report

pytestmark = pytest.mark.slow  # LibreOffice starts in several seconds

DAY = dt.date(2026, 2, 10)
ANNEX = Layout(mode="annex", annex_number="01", annex_of="Báo cáo số 12-BC/ĐU ngày 05/01/2026", signed=True)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(path) -> str:
    """Each page's text read column by column: the left half's runs of words top to bottom, then the
    right half's, so that a recipient that wraps beside the signer's title reads as one line."""
    out = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            sides: dict[bool, list[str]] = {True: [], False: []}
            lines: list[list[dict]] = []
            for word in sorted(page.extract_words(), key=lambda w: (round(w["top"]), w["x0"])):
                if lines and abs(lines[-1][0]["top"] - word["top"]) < 3:
                    lines[-1].append(word)
                else:
                    lines.append([word])
            for line in lines:
                line.sort(key=lambda w: w["x0"])
                run = [line[0]]
                for word in line[1:]:
                    if word["x0"] - run[-1]["x1"] > 12:  # a wide gap: the other column
                        sides[run[0]["x0"] < page.width / 2].append(" ".join(w["text"] for w in run))
                        run = []
                    run.append(word)
                sides[run[0]["x0"] < page.width / 2].append(" ".join(w["text"] for w in run))
            out += sides[True] + sides[False]
    return squash("".join(out))


@pytest.fixture
def printed(qapp, demo_db, library, tmp_path):
    """Mường Tè's 2024 report in both modes: our PDFs, and the xlsx printed by LibreOffice."""
    from ui.printing import write_pdf

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) is not installed: run `bash tools/debian-packages.sh --office`.")
    view = view_report(demo_db, demo_db.find_report("03445", "kl224", "2024"), library.get("kl224"))
    period = demo_db.period("2024")
    page = page_settings(demo_db, view.unit)
    ours = {}
    for name, layout in (("report", Layout(mode="report")), ("annex", ANNEX)):
        document = report_document(demo_db, view, period, page, printed_on=DAY, layout=layout)
        ours[name] = pdf_text(write_pdf(document, tmp_path / f"ours-{name}.pdf"))
        data = form_workbook(view, period=period, signed_on=DAY, page=page, layout=layout, signer_fingerprint="1 2")
        (tmp_path / f"{name}.xlsx").write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(tmp_path / "report.xlsx"), str(tmp_path / "annex.xlsx")],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return page, view, ours, pdf_text(tmp_path / "report.pdf"), pdf_text(tmp_path / "annex.pdf")


def signature_lines(page, recipients: bool = True) -> list[str]:
    lines = ["Nơi nhận:", *(f"- {r}" for r in page.recipients)] if recipients else []
    lines += [page.on_behalf.upper()] if page.on_behalf else []
    return lines + [page.signer_title.upper()] + ([page.signer_name] if page.signer_name else [])


def test_the_report_xlsx_prints_the_letterhead_and_signature_of_the_pdf(printed):
    page, view, ours, report, _ = printed
    ours = ours["report"]
    assert page.signer_name and page.recipients  # the demo's commune has its signer and recipients
    lines = [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        page.superior.upper(),
        page.issuer.upper(),
        page.number,
        date_line(page.place, DAY),
        view.form.title.upper(),
        *signature_lines(page),
    ]
    for line in lines:
        assert squash(line) in ours, f"our PDF lacks {line!r}"
        assert squash(line) in report, f"the xlsx printed by LibreOffice lacks {line!r}"
    assert squash("BÁO CÁO") in report
    for gone in ("Kiểm tra", "NGƯỜI LẬP BIỂU", "Ký số", "ký số", "Cấp trên trực tiếp"):
        assert squash(gone) not in report, gone


def test_the_annex_xlsx_has_no_letterhead_and_the_signature_of_the_pdf(printed):
    page, view, ours, _, annex = printed
    ours = ours["annex"]
    heading = ("PHỤ LỤC 01", view.form.title.upper(), ANNEX.annex_line(), "Kỳ báo cáo: Năm 2024")
    for line in (*heading, *signature_lines(page, recipients=False)):
        assert squash(line) in ours, f"our PDF lacks {line!r}"
        assert squash(line) in annex, f"the xlsx printed by LibreOffice lacks {line!r}"
    # The same order: the heading lines, then the signature's.
    assert [annex.index(squash(line)) for line in heading] == sorted(annex.index(squash(line)) for line in heading)
    assert [ours.index(squash(line)) for line in heading] == sorted(ours.index(squash(line)) for line in heading)
    gone = ("ĐẢNG CỘNG SẢN VIỆT NAM", page.number, date_line(page.place, DAY), page.issuer.upper(), "Nơi nhận:")
    for line in gone:
        assert squash(line) not in annex, line
        assert squash(line) not in ours, line
