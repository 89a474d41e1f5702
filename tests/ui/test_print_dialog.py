"""Printing from the windows: the dialog of header and signature lines, the PDF it writes read
back with pdfplumber, the preview. Over copies of the commune demo (Xã Mường Tè, kl224) and the
province demo with real packets imported; message boxes are caught, never shown."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
import shiboken6
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QMessageBox
from testkit import put

from exports.collect.inbox import import_packets
from exports.paper.layout import MODE_WORDS
from exports.paper.letterhead import page_settings, save_page_settings
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE
from ui.print_dialog import PrintDialog
from ui.upper.merged_view import MergedView

COMMUNE = "03445"  # Xã Mường Tè; the demo opens on its kl224 report for 2025
NO_REPORT = "03637"  # Xã Mường Kim: no demo report
SIGNER = "Giàng Thị Dợ"
NUMBER = "Số 15-BC/ĐU"


@pytest.fixture
def warned(monkeypatch) -> list[str]:
    """What QMessageBox.warning would have shown, instead of a modal box that waits for a click."""
    said: list[str] = []

    def warning(_parent, _title, text, *_args, **_kwargs):
        said.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return said


def pdf_text(path: Path) -> str:
    """Every page's text, NFC, each run of white space one space (a long title wraps anywhere)."""
    with pdfplumber.open(path) as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def pdf_words(path: Path) -> set[str]:
    with pdfplumber.open(path) as pdf:
        return {unicodedata.normalize("NFC", w["text"]) for page in pdf.pages for w in page.extract_words()}


def pdf_pages(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def dotted(number: int) -> str:
    """2432 -> “2.432”, as Vietnamese pages write thousands."""
    return f"{number:,}".replace(",", ".")


def setting(db_path: Path, key: str) -> str | None:
    """A setting as another process would read it from the file."""
    gw = Gateway.open(db_path)
    try:
        return gw.setting(key)
    finally:
        gw.close()


def villages(db_path: Path, commune: str) -> list[str]:
    gw = Gateway.open(db_path)
    try:
        return [v.name for v in gw.villages_of(commune)]
    finally:
        gw.close()


def typed_figures(window) -> list[str]:
    """The totals and counts of every numeric row of the open report, as the page writes them."""
    view = window.controller.session.view
    shown = []
    for ind in view.form.indicators:
        figure = view.evaluation.figures[ind.id]
        if ind.is_row and ind.is_numeric and figure.applicable:
            shown += [dotted(n) for n in (figure.total, figure.value) if isinstance(n, int)]
    return shown


def footer_code(packet_path: Path) -> str:
    """“7BAD-12F0”: the first eight hex digits of the SHA-256 of the packet's manifest, computed here."""
    with zipfile.ZipFile(packet_path) as packet:
        head = hashlib.sha256(packet.read("manifest.json")).hexdigest()[:8].upper()
    return f"{head[:4]}-{head[4:]}"


# ---- the commune's window ---------------------------------------------------------------------------


def test_print_is_offered_only_while_a_report_is_open(window):
    action = window.print_action
    assert action.text() == "In biểu..." and action.shortcut() == QKeySequence("Ctrl+P")
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "In")
    assert action in menu.actions()
    assert action.isEnabled()  # the demo opens on Mường Tè's 2025 report
    window.select_unit(NO_REPORT)
    assert window.pages.currentWidget() is window.placeholder
    assert not action.isEnabled()
    assert window.open_print_dialog() is None
    window.select_unit(COMMUNE)
    assert window.controller is not None and action.isEnabled()


def test_the_dialog_starts_from_the_commune_committee_and_the_demo_signer(window):
    dialog = window.open_print_dialog()
    assert isinstance(dialog, PrintDialog) and dialog.isVisible()
    assert dialog.windowTitle() == "In biểu"
    assert dialog.filled.isChecked() and dialog.blank.isVisible()
    assert not dialog.words.isVisible()  # kl224 counts people and places, no amounts in đồng
    lines = {name: edit.text() for name, edit in dialog.edits.items()}
    assert "đảng ủy xã mường tè" in lines["issuer"].casefold()
    assert lines["superior"] == "Đảng bộ Tỉnh Lai Châu"
    assert lines["signer_name"] == "Lò Văn Hùng" and lines["signer_title"] == "Phó Bí thư"
    assert lines["on_behalf"] == "T/M Ban Thường vụ" and lines["place"] == "Mường Tè"
    assert lines["number"].startswith("Số ") and lines["number"].endswith("-BC/ĐU")
    assert dialog.recipients.toPlainText().splitlines()[-1] == "Lưu."


@pytest.mark.slow
def test_a_filled_pdf_carries_the_typed_lines_and_the_figures_and_the_lines_are_remembered(window, demo_path, tmp_path):
    dialog = window.open_print_dialog()
    choose(dialog, "report")
    dialog.edits["signer_name"].setText(SIGNER)
    dialog.edits["number"].setText(NUMBER)
    out = dialog.export_pdf(tmp_path / "bieu")  # the suffix is added
    assert out == tmp_path / "bieu.pdf" and out.is_file()
    text = pdf_text(out)
    title = window.controller.session.view.form.title.upper()
    for words in (SIGNER, NUMBER, title, "ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY XÃ MƯỜNG TÈ", "PHÓ BÍ THƯ"):
        assert words in text, words
    assert "Lò Văn Hùng" not in text
    assert "Kỳ báo cáo: Năm 2025" in text
    figures = typed_figures(window)
    assert "2.432" in figures  # households, as the window's summary shows them
    words = pdf_words(out)
    assert [f for f in figures if f not in words] == []
    assert "Khớp gói" not in text and "Kiểm tra:" not in text  # 2025 was never exported: a quiet footer
    dialog.close()

    again = window.open_print_dialog()
    assert again is not dialog
    assert again.edits["signer_name"].text() == SIGNER and again.edits["number"].text() == NUMBER
    assert again.edits["signer_title"].text() == "Phó Bí thư"
    again.close()
    assert setting(demo_path, f"print.{COMMUNE}.signer_name") == SIGNER
    assert setting(demo_path, f"print.{COMMUNE}.number") == NUMBER
    assert setting(demo_path, "last_export_dir") == str(tmp_path)


@pytest.mark.slow
def test_a_blank_form_holds_no_figures_and_leaves_the_villages_to_their_sheets(window, demo_path, tmp_path):
    figures = typed_figures(window)
    dialog = window.open_print_dialog()
    choose(dialog, "report")
    dialog.blank.setChecked(True)
    out = dialog.export_pdf(tmp_path / "bieu-trang.pdf")
    text = pdf_text(out)
    assert "Biểu để ghi tay số liệu" in text and "BÁO CÁO" in text
    assert [name for name in villages(demo_path, COMMUNE) if name in text] == []
    assert "SỐ LIỆU THEO BẢN" not in text  # the village meeting has its own sheet
    assert "Khớp gói" not in text and "Biểu trắng" not in text  # a sheet to fill by hand: a quiet footer
    large = {f for f in figures if len(f) >= 3}  # not to be mistaken for a row number
    assert "2.432" in large and not large & pdf_words(out)


@pytest.mark.slow
def test_a_blank_form_breaks_no_code_or_unit_in_the_middle(window, tmp_path):
    form = window.controller.session.view.form
    dialog = window.open_print_dialog()
    choose(dialog, "report")
    dialog.blank.setChecked(True)
    words = pdf_words(dialog.export_pdf(tmp_path / "bieu-trang.pdf"))
    rows = [ind for ind in form.indicators if ind.is_row]
    whole = {ind.code for ind in rows} | {word for ind in rows for word in ind.unit.split()}  # Stt and ĐVT
    # a piece of a code or unit left at the end of a line, the rest on the next (“4.1.” then “1”)
    broken = sorted({w for w in words for token in whole if len(w) >= 2 and token.startswith(w) and w not in whole})
    assert broken == []


@pytest.mark.slow
def test_the_footer_names_the_packet_until_a_figure_is_edited(qtbot, window, tmp_path):
    window.period_box.setCurrentIndex(window.period_box.findData("2024"))  # 2024 has no error: it can be signed
    assert window.controller.session.report.period_code == "2024"
    sign = window.open_sign_dialog()
    sign.path_edit.setText(str(tmp_path / "goi.sctg"))
    sign.passphrase_edit.setText(DEMO_PASSPHRASE)
    with qtbot.waitSignal(sign.exported, timeout=10_000) as blocker:
        assert sign.sign()
    code = footer_code(blocker.args[0].path)

    dialog = window.open_print_dialog()
    text = pdf_text(dialog.export_pdf(tmp_path / "sau-goi.pdf"))
    assert f"Khớp gói số liệu lần 01, mã gói {code} (03445 - Xã Mường Tè, biểu kl224, năm 2024)" in text
    assert "Số liệu đã sửa sau gói" not in text and "Bản in chưa gửi" not in text

    model = window.grid.model()
    index = model.index(0, [i.id for i in model.indicators].index("so_ho") + 1)
    households = window.controller.session.value("so_ho", model.cell(index)[1])
    assert model.setData(index, str(households + 1000))
    edited = dialog.export_pdf(tmp_path / "da-sua.pdf")
    text = pdf_text(edited)
    assert f"Số liệu đã sửa sau gói lần 01 (mã gói {code})" in text and "Khớp gói" not in text
    total = window.controller.session.view.evaluation.figures["so_ho"].value
    assert dotted(total) in pdf_words(edited)  # the page shows the edited figures it warns about

    window.undo_action.trigger()  # the figures are the packet's again
    assert f"Khớp gói số liệu lần 01, mã gói {code}" in pdf_text(dialog.export_pdf(tmp_path / "hoan-tac.pdf"))


def test_a_folder_that_does_not_exist_is_said_and_nothing_is_written(window, tmp_path, warned):
    dialog = window.open_print_dialog()
    missing = tmp_path / "khong-co" / "bieu.pdf"
    assert dialog.export_pdf(missing) is None
    assert len(warned) == 1
    assert warned[0].startswith("Không ghi được tệp PDF") and "khong-co" in warned[0]
    assert not missing.parent.exists()
    assert list(tmp_path.rglob("*.pdf")) == [] and list(tmp_path.rglob(".in-*")) == []
    assert dialog.isVisible()  # the officer chooses another place


def test_the_preview_opens_over_the_same_pages_as_the_pdf(qtbot, window, tmp_path):
    dialog = window.open_print_dialog()
    pages = pdf_pages(dialog.export_pdf(tmp_path / "bieu.pdf"))
    preview = dialog.open_preview()
    assert isinstance(preview, QPrintPreviewDialog) and preview.isVisible()
    assert preview.windowTitle() == "Xem trước khi in: 03445_kl224_2025_bieu-in"
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == pages, timeout=10_000)
    preview.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(preview), timeout=5_000)  # deleted on close
    assert dialog.isVisible()


# ---- the upper level's merged table -----------------------------------------------------------------


@pytest.mark.slow
def test_the_merged_table_prints_once_packets_are_accepted(qtbot, province, packets, library, tmp_path):
    merged = MergedView(province, library)
    qtbot.addWidget(merged)
    merged.show()
    merged.refresh("kl224", "2024", None)
    assert not merged.print_button.isEnabled() and merged.print_button.text() == "In..."
    assert merged.open_print_dialog() is None

    import_packets(province, put(packets, tmp_path / "in", "mt24-2", "tp24"), library, "kiem-thu")
    merged.refresh("kl224", "2024", None)
    assert merged.print_button.isEnabled()
    dialog = merged.open_print_dialog()
    assert isinstance(dialog, PrintDialog) and dialog.windowTitle() == "In biểu tổng hợp"
    assert not dialog.blank.isVisible()  # a merged table is never printed blank
    assert dialog.edits["issuer"].text() == "Ban Tuyên giáo và Dân vận"
    assert dialog.edits["superior"].text() == "Tỉnh ủy Lai Châu"
    assert dialog.edits["signer_name"].text() == "Tòng Văn Thắng"
    assert [dialog.mode.itemData(i) for i in range(dialog.mode.count())] == ["report", "annex"]
    assert dialog.chosen_mode() == "annex"  # kl224's own mode, as the merged xlsx is written
    choose(dialog, "report")

    out = dialog.export_pdf(tmp_path / "tong-hop.pdf")
    text = pdf_text(out)
    for words in (
        "TỔNG HỢP",
        "PHỤ LỤC: SỐ LIỆU THEO ĐƠN VỊ",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "TỈNH ỦY LAI CHÂU",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Tổng hợp từ gói đã chấp nhận của 2/38 đơn vị",
        "Xã Mường Tè",
        "Phường Tân Phong",
        "TRƯỞNG BAN",
        "Tòng Văn Thắng",
    ):
        assert words in text, words
    households = merged.table.evaluation().figures["so_ho"]
    assert dotted(households.value) in pdf_words(out)


# ---- how the form prints: report, annex, village sheets ---------------------------------------------


BODY = "Thực hiện Kết luận số 224-KL/TU, Ban Thường vụ Đảng ủy xã báo cáo như sau:"
ANNEX_OF = "Báo cáo số 12-BC/ĐU ngày 05/01/2026 của Ban Thường vụ Đảng ủy xã Mường Tè"


def shown_fields(dialog) -> set[str]:
    """The layout fields the dialog shows for the chosen mode."""
    widgets = {"body": dialog.body, "annex_number": dialog.annex_number, "annex_of": dialog.annex_of}
    widgets |= {"signed": dialog.signed, "per_sheet": dialog.per_sheet}
    return {name for name, widget in widgets.items() if dialog.layout_rows.isRowVisible(widget)}


def choose(dialog, mode: str) -> None:
    dialog.mode.setCurrentIndex(dialog.mode.findData(mode))


def test_the_dialog_offers_the_three_modes_and_the_fields_of_the_chosen_one(window):
    dialog = window.open_print_dialog()
    assert [dialog.mode.itemText(i) for i in range(dialog.mode.count())] == list(MODE_WORDS.values())
    assert dialog.chosen_mode() == "annex"  # kl224's own print_mode (an annex, as the seeds), nothing remembered
    assert shown_fields(dialog) == {"annex_number", "annex_of", "signed"}
    choose(dialog, "report")
    assert shown_fields(dialog) == {"body"}
    assert dialog.signed.text() == "Ký tên dưới phụ lục"
    choose(dialog, "village")
    assert shown_fields(dialog) == {"per_sheet"}
    assert (dialog.per_sheet.minimum(), dialog.per_sheet.maximum(), dialog.per_sheet.value()) == (1, 6, 1)
    assert not dialog.kind_box.isEnabled()  # the village sheets are always blank
    assert not dialog.header_box.isEnabled()  # and name no committee
    choose(dialog, "report")
    assert dialog.kind_box.isEnabled() and dialog.header_box.isEnabled()


@pytest.mark.slow
def test_a_report_prints_the_typed_text_before_the_table(window, demo_path, tmp_path):
    dialog = window.open_print_dialog()
    choose(dialog, "report")
    dialog.body.setPlainText(BODY)
    text = pdf_text(dialog.export_pdf(tmp_path / "bao-cao.pdf"))
    assert text.index("ĐẢNG CỘNG SẢN VIỆT NAM") < text.index("BÁO CÁO") < text.index(BODY) < text.index("Stt Chỉ tiêu")
    assert "Nơi nhận:" in text
    assert setting(demo_path, f"print.{COMMUNE}.kl224.layout.body") == BODY


@pytest.mark.slow
def test_an_annex_is_printed_and_remembered_for_the_next_print(window, demo_path, tmp_path):
    dialog = window.open_print_dialog()
    choose(dialog, "annex")
    dialog.annex_number.setText("02")
    dialog.annex_of.setText(ANNEX_OF)
    text = pdf_text(dialog.export_pdf(tmp_path / "phu-luc.pdf"))
    assert text.startswith("PHỤ LỤC 02 KẾT QUẢ THỰC HIỆN") and f"(Kèm theo {ANNEX_OF})" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text and "Nơi nhận" not in text and "Lò Văn Hùng" not in text
    dialog.signed.setChecked(True)
    text = pdf_text(dialog.export_pdf(tmp_path / "phu-luc-ky.pdf"))
    assert "Lò Văn Hùng" in text and "PHÓ BÍ THƯ" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" not in text
    dialog.close()

    again = window.open_print_dialog()
    assert again.chosen_mode() == "annex" and again.annex_number.text() == "02"
    assert again.annex_of.text() == ANNEX_OF and again.signed.isChecked()
    again.close()
    assert setting(demo_path, f"print.{COMMUNE}.kl224.layout.mode") == "annex"


@pytest.mark.slow
def test_the_village_sheets_side_by_side_and_the_preview_follows_the_mode(qtbot, window, demo_path, tmp_path):
    dialog = window.open_print_dialog()
    choose(dialog, "village")
    dialog.per_sheet.setValue(2)
    out = dialog.export_pdf(tmp_path / "hop-ban.pdf")
    names = villages(demo_path, COMMUNE)
    with pdfplumber.open(out) as pdf:
        texts = [re.sub(r"\s+", " ", unicodedata.normalize("NFC", p.extract_text())) for p in pdf.pages]
    firsts = [t for t in texts if t.startswith("PHIẾU GHI SỐ LIỆU HỌP BẢN")]
    assert len(firsts) == 9
    for n, text in enumerate(firsts):
        assert f"{names[2 * n]}, {names[2 * n + 1]} - Xã Mường Tè" in text
        assert "TRƯỞNG BẢN" in text or "TRƯỞNG BẢN" in texts[texts.index(text) + 1]
    assert all("ĐẢNG CỘNG SẢN VIỆT NAM" not in t and "Nơi nhận" not in t for t in texts)

    preview = dialog.open_preview()
    assert preview.windowTitle() == "Xem trước khi in: 03445_kl224_2025_phieu-hop-ban"
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == len(texts), timeout=20_000)
    preview.close()
    dialog.close()
    assert setting(demo_path, f"print.{COMMUNE}.kl224.layout.villages_per_sheet") == "2"
    assert window.open_print_dialog().chosen_mode() == "annex"  # the village sheets are a one-off


@pytest.mark.slow
def test_a_report_already_sent_reprints_with_the_lines_it_was_signed_with(qtbot, window, demo_path, tmp_path):
    window.period_box.setCurrentIndex(window.period_box.findData("2024"))
    first = window.open_print_dialog()
    first.edits["number"].setText("Số 04-BC/ĐU")
    first.export_pdf(tmp_path / "truoc-goi.pdf")  # the lines are the unit's: remembered, and signed with
    first.close()
    sign = window.open_sign_dialog()
    sign.path_edit.setText(str(tmp_path / "goi.sctg"))
    sign.passphrase_edit.setText(DEMO_PASSPHRASE)
    with qtbot.waitSignal(sign.exported, timeout=10_000):
        assert sign.sign()
    gw = window.gw
    unit = gw.require_unit(COMMUNE)
    save_page_settings(gw, unit, replace(page_settings(gw, unit), number="Số 09-BC/ĐU"))  # lines for new pages

    reprint = window.open_print_dialog()
    assert reprint.edits["number"].text() == "Số 04-BC/ĐU"  # as the packet was signed
    choose(reprint, "report")
    reprint.edits["signer_name"].setText("Lò Thị Hoa")
    assert "Số 04-BC/ĐU" in pdf_text(reprint.export_pdf(tmp_path / "in-lai.pdf"))
    reprint.close()
    assert setting(demo_path, f"print.{COMMUNE}.number") == "Số 09-BC/ĐU"  # a reprint changes no saved line
    assert setting(demo_path, f"print.{COMMUNE}.signer_name") != "Lò Thị Hoa"

    model = window.grid.model()
    index = model.index(0, [i.id for i in model.indicators].index("so_ho") + 1)
    households = window.controller.session.value("so_ho", model.cell(index)[1])
    assert model.setData(index, str(households + 1))
    assert window.open_print_dialog().edits["number"].text() == "Số 09-BC/ĐU"  # new figures, a new page
