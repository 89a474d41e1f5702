"""Who has sent what, in the window, the workbook and the printout: one
province, packets imported from the commune demo, the states read back."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintPreviewDialog
from python_calamine import CalamineWorkbook
from testkit import put

from exports.collect.inbox import import_packets, open_collection
from exports.paper.completeness_words import STATE_COLOURS
from exports.paper.page import to_html
from ui.print_dialog import PrintDialog
from ui.upper.completeness_view import CompletenessView, StateRole

TODAY = dt.date.today()
STATE = 2  # the column of kl224


@pytest.fixture
def province_due_today(province, tmp_path, packets, library):
    """Kl224 2024 due today: Tân Phong on time, Mường Tè in conflict, Bình Lư waiting for its key."""
    open_collection(province, library.get("kl224"), "2024", TODAY.isoformat())
    import_packets(
        province, put(packets, tmp_path / "in", "tp24", "mt24-1", "mt24-1-other", "bl24"), library, "kiem-thu"
    )
    return province


@pytest.fixture
def view(qtbot, province_due_today, library):
    view = CompletenessView(province_due_today, library)
    qtbot.addWidget(view)
    view.today = TODAY + dt.timedelta(days=1)  # the others are overdue from today
    view.refresh("2024")
    view.show()
    return view


def states_in_order(view) -> list[str]:
    return [view.proxy.index(r, STATE).data(StateRole) for r in range(view.proxy.rowCount())]


def test_rows_states_colours_and_summary(view):
    assert view.title.text() == "Tình hình nhận báo cáo — Tỉnh Lai Châu — Năm 2024"
    assert view.summary.text() == "Đã nhận 1/38; quá hạn 35; chờ xử lý 2"
    headers = [view.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(3)]
    assert headers == ["Mã", "Đơn vị", f"Biểu kl224 (hạn {TODAY:%d/%m/%Y})"]
    rows = {r[0]: r for r in view.shown_rows()}
    assert len(rows) == 38
    assert rows["03408"] == ["03408", "Phường Tân Phong", "đã nhận, lần 1"]
    assert rows["03445"][STATE] == "trùng, chờ quyết định, lần 1"
    assert rows["03390"][STATE] == "chờ đăng ký khóa, lần 1"
    assert rows["03388"][STATE] == "quá hạn, chưa gửi"
    for r in range(view.model.rowCount()):
        index = view.model.index(r, STATE)
        brush = index.data(Qt.ItemDataRole.BackgroundRole)
        assert brush.color().name().upper() == "#" + STATE_COLOURS[index.data(StateRole)]
    assert not view.note.isVisible()


def test_a_state_column_sorts_by_urgency_not_alphabetically(view):
    view.view.sortByColumn(STATE, Qt.SortOrder.AscendingOrder)
    order = states_in_order(view)
    assert order[:35] == ["qua_han"] * 35
    assert order[35:] == ["trung", "cho_khoa", "da_nhan"]
    view.view.sortByColumn(STATE, Qt.SortOrder.DescendingOrder)
    assert states_in_order(view)[0] == "da_nhan"
    view.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    names = [r[1] for r in view.shown_rows()]
    assert names == sorted(names)


def test_the_workbook_reads_back_with_a_second_reader(view, tmp_path):
    out = view.export_xlsx(tmp_path / "tinh-hinh")
    assert out == tmp_path / "tinh-hinh.xlsx" and view.message.text() == f"Đã lưu: {out}"
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Tình hình nộp").to_python()
    assert rows[0][0] == "TÌNH HÌNH NHẬN BÁO CÁO - TỈNH LAI CHÂU - NĂM 2024"
    assert rows[2] == ["Stt", "Đơn vị", "Mã", f"Biểu kl224 (hạn {TODAY:%d/%m/%Y})"]
    body = {r[2]: r for r in rows[3:41]}
    assert len(body) == 38
    assert body["03390"][1:] == ["Xã Bình Lư", "03390", "chờ đăng ký khóa, lần 1"]
    assert body["03408"][3] == "đã nhận, lần 1"
    texts = [r[0] for r in rows[41:] if r[0]]
    assert texts == ["Đã nhận 1/38; quá hạn 35; chờ xử lý 2.", f"Lập ngày {view.today:%d/%m/%Y}."]
    assert view.export_xlsx(tmp_path / "khong-co" / "x.xlsx") is None
    assert "không tồn tại" in view.error.text()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_printout_holds_the_same_table_with_its_header_on_every_page(view, tmp_path):
    pdf = view.render_pdf(tmp_path / "in.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    assert "TÌNH HÌNH NHẬN BÁO CÁO" in pages[0] and "Kỳ báo cáo: Năm 2024" in pages[0]
    assert "BAN TUYÊN GIÁO VÀ DÂN VẬN" in pages[0] and "ĐẢNG CỘNG SẢN VIỆT NAM" in pages[0]
    assert all(f"Biểu kl224 (hạn {TODAY:%d/%m/%Y})" in page and "Đơn vị" in page for page in pages)
    for words in (
        "Xã Bình Lư",
        "chờ đăng ký khóa, lần 1",
        "Phường Tân Phong",
        "Đã nhận 1/38; quá hạn 35; chờ xử lý 2.",
    ):
        assert words in text
    assert text.count("quá hạn, chưa gửi") == 35
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    if info:  # pdfinfo comes with pdftotext
        assert "595 x 842" in info  # A4 portrait: one form's column fits


def test_the_print_preview_opens_over_the_same_document(qtbot, view):
    dialog = view.print_preview()
    assert isinstance(dialog, PrintDialog)
    preview = dialog.open_preview()
    assert isinstance(preview, QPrintPreviewDialog)
    assert "Xã Bình Lư" in to_html(view.document()) and "<thead>" in to_html(view.document())
    preview.close()
    dialog.close()


def test_no_period_chosen_says_what_to_do(qtbot, province_due_today, library):
    view = CompletenessView(province_due_today, library)
    qtbot.addWidget(view)
    view.refresh(None)
    assert "Mở kỳ thu biểu" in view.note.text() and view.model.rowCount() == 0
    assert not view.export_button.isEnabled() and not view.print_button.isEnabled()
    assert view.print_preview() is None
    view.refresh("2023")
    assert "Chưa mở kỳ thu biểu nào cho năm 2023" in view.note.text()


def test_model_follows_qt_contract(qtmodeltester, view):
    qtmodeltester.check(view.model)
