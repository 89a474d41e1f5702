"""The upper level's window over the province demo, driven offscreen: real
packets exported by the commune demo dropped on it, imported by the worker
thread, keys enrolled, conflicts decided, the merged table read back.

Why it is long: one window, its three tabs and its menus, driven through the same province fixture.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import threading

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from python_calamine import CalamineWorkbook
from testkit import put
from upper_packets import MANY

from exports.collect.decisions import decide_conflict
from exports.collect.inbox import import_packets
from exports.collect.merge import Jump
from exports.packets.container import canonical_zip
from forms.library import default_library
from models.gateway import Gateway
from models.packet_store import packet_folder
from models.reporting import view_report
from models.units import Unit
from ui.upper.import_worker import ImportJob, stop_to_close_asked
from ui.upper.inbox_model import PacketIdRole, StatusRole
from ui.upper.merged_view import TOTAL_ROWS, jump_text
from ui.upper.window import UpperWindow

WAIT = 20_000  # ms; an import of a few packets takes a fraction of a second

FIRST_VILLAGES = "Danh sách 12 thôn, bản lấy theo gói đầu tiên nhận được của xã."


def type_text(widget, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier)


def drop(window, paths) -> QDropEvent:
    """Drop files and folders on the window, as the file manager does: the drag enters, then drops."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    center = window.rect().center()
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(center, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(center), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, event)
    return event


def dropped(qtbot, window, paths):
    """Drop and wait for the import to finish; the ImportRun (or None)."""
    with qtbot.waitSignal(window.import_finished, timeout=WAIT) as blocker:
        event = drop(window, paths)
    assert event.isAccepted()
    return blocker.args[0]


def imported(qtbot, window, paths):
    with qtbot.waitSignal(window.import_finished, timeout=WAIT) as blocker:
        assert window.import_paths(paths) is not None
    return blocker.args[0]


def statuses(window) -> dict[str, str]:
    """File name -> status, as the inbox model holds them."""
    model = window.inbox_view.model
    return {model.packet(r).file_name: model.index(r, 0).data(StatusRole) for r in range(model.rowCount())}


def inbox_row(window, file_name: str) -> list[str]:
    model = window.inbox_view.model
    row = next(r for r in range(model.rowCount()) if model.packet(r).file_name == file_name)
    return [model.index(row, c).data() for c in range(model.columnCount())]


def number(text: str) -> int | None:
    return int(text.replace(".", "")) if text else None


def db_counts(path) -> tuple[int, list[int]]:
    gw = Gateway.open(path)
    try:
        rows = gw.db["received_packets"].count
        ids = [packet_id for (packet_id,) in gw.db.execute("SELECT packet_id FROM received_figures")]
        per_packet = [len(gw.inbox.values(packet_id)) for packet_id in ids]
    finally:
        gw.close()
    return rows, per_packet


# ---- the window ------------------------------------------------------------------------------------------


def test_an_upper_level_database_opens_the_upper_window(upper_window, upper_path):
    assert isinstance(upper_window, UpperWindow)
    assert upper_window.windowTitle() == str(upper_path)  # Qt adds “ — Sổ Chỉ Tiêu” once, not twice
    assert [upper_window.tabs.tabText(i) for i in range(3)] == ["Hộp thư", "Tình hình nộp", "Biểu tổng hợp"]
    menu = upper_window.packet_menu
    assert menu.title() == "Gói"
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == [
        "Nhập gói...",
        "Nhập thư mục...",
        "Đăng ký khóa cấp dưới...",
        "Mở kỳ thu biểu...",
        "Xuất tệp đăng ký khóa của đơn vị...",
        "Khóa ký của đơn vị...",
    ]
    assert upper_window.import_files_action.shortcut() == QKeySequence("Ctrl+I")
    assert upper_window.acceptDrops()
    # the bar: the demo collects kl224 for two years, newest first
    assert upper_window.form_box.currentData() == "kl224"
    assert [upper_window.period_box.itemData(i) for i in range(upper_window.period_box.count())] == ["2025", "2024"]
    assert upper_window.period_box.itemText(1) == "Năm 2024 (hạn 15/01/2025)"
    assert upper_window.target_box.itemText(0) == "(không so với mục tiêu)"
    assert upper_window.inbox_view.start_pane.isVisible()
    upper_window.tabs.setCurrentWidget(upper_window.merged_view)  # the merged table is built when shown
    assert "Chưa nhận gói nào" in upper_window.merged_view.note.text()


def test_a_drag_of_local_files_is_welcome_and_a_web_address_is_not(upper_window, packets, tmp_path):
    (path,) = put(packets, tmp_path, "tp24")
    for urls, welcome in (([QUrl.fromLocalFile(str(path))], True), ([QUrl("https://example.com/goi.sctg")], False)):
        mime = QMimeData()
        mime.setUrls(urls)
        event = QDragEnterEvent(
            upper_window.rect().center(),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(upper_window, event)
        assert event.isAccepted() is welcome
    assert not upper_window.importing


# ---- the path: drop, enrol, decide, merge ---------------------------------------------------------


def test_dropped_packets_are_filed_and_a_key_enrolled_releases_the_held_one(qtbot, upper_window, packets, tmp_path):
    paths = put(packets, tmp_path / "usb", "mt24-1", "mt24-2", "tp24", "bl24")
    run = dropped(qtbot, upper_window, paths)
    assert {f.file.name: f.outcome for f in run.filed} == {
        "mt24-1.sctg": "accepted",
        "mt24-2.sctg": "accepted",
        "tp24.sctg": "accepted",
        "bl24.sctg": "quarantined",
    }
    assert statuses(upper_window) == {
        "mt24-1.sctg": "superseded",
        "mt24-2.sctg": "accepted",
        "tp24.sctg": "accepted",
        "bl24.sctg": "quarantined",
    }
    assert upper_window.notice.text() == "4 tệp: 3 đã nhận, 1 chờ đăng ký khóa."
    assert upper_window.tabs.tabText(0) == "Hộp thư (1 cần xử lý)"
    lines = upper_window.results_dialog.lines()
    assert ("bl24.sctg", "chờ đăng ký khóa") == lines[3][:2] and packets.key.spoken in lines[3][2]
    unit, form, period, sequence, status, received, reason = inbox_row(upper_window, "mt24-2.sctg")
    assert (unit, form, period, sequence, status) == ("03445 Xã Mường Tè", "kl224", "Năm 2024", "lần 2", "đã nhận")
    assert dt.datetime.strptime(received, "%d/%m/%Y %H:%M")
    assert inbox_row(upper_window, "mt24-1.sctg")[4] == "đã có bản mới hơn"
    assert packets.key.spoken in inbox_row(upper_window, "bl24.sctg")[6]
    # the held packet shows its signer's key code large in the detail panel
    upper_window.inbox_view.set_status_filter("quarantined")
    assert [p.file_name for p in upper_window.inbox_view.rows()] == ["bl24.sctg"]
    upper_window.inbox_view.table.selectRow(0)
    assert upper_window.inbox_view.fingerprint.text() == packets.key.spoken
    assert upper_window.inbox_view.fingerprint.isVisible()
    assert not upper_window.inbox_view.conflict_button.isEnabled()
    assert upper_window.inbox_view.selected_packet_id() == run.filed[3].packet_id

    dialog = upper_window.enrol_file(packets.enrolment)
    qtbot.addWidget(dialog)
    assert dialog.fingerprint.text() == packets.key.spoken
    assert dialog.facts["unit"].text() == "Xã Bình Lư (mã 03390)"
    assert not dialog.enrol_button.isEnabled()
    dialog.confirm_box.setChecked(True)
    with qtbot.waitSignal(upper_window.refreshed, timeout=WAIT):
        qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    assert dialog.refiled_lines() == [
        f"Gói số {run.filed[3].packet_id} đang chờ khóa: đã nhận. Đã nhận lần gửi 1. " + FIRST_VILLAGES
    ]
    assert statuses(upper_window)["bl24.sctg"] == "accepted"
    upper_window.inbox_view.set_status_filter(None)
    assert upper_window.tabs.tabText(0) == "Hộp thư"

    upper_window.choose("kl224", "2024")
    upper_window.tabs.setCurrentWidget(upper_window.completeness_view)
    rows = {r[0]: r for r in upper_window.completeness_view.shown_rows()}
    assert rows["03390"][2] == "nộp trễ, lần 1"  # received now, after 15/01/2025
    assert rows["03445"][2] == "nộp trễ, lần 2"
    assert rows["03388"][2] == "quá hạn, chưa gửi"
    assert upper_window.completeness_view.summary.text() == "Đã nhận 3/38; quá hạn 35"


def test_merged_totals_are_the_sums_of_the_accepted_units_and_drill_down_lists_villages(
    qtbot, upper_window, packets, tmp_path, demo_db, library, upper_path
):
    dropped(qtbot, upper_window, put(packets, tmp_path, "mt24-2", "tp24", "bl24"))  # Bình Lư stays held
    upper_window.choose("kl224", "2024")
    merged = upper_window.merged_view
    table = merged.table
    assert table is not None and [u.unit.code for u in table.received] == ["03408", "03445"]
    assert not merged.note.isVisible()
    model = merged.model
    kl224 = library.get("kl224")
    own = {u: view_report(demo_db, demo_db.find_report(u, "kl224", "2024"), kl224) for u in ("03445", "03408")}
    for column, ind in enumerate(model.indicators, start=2):
        expected = [own[u].evaluation.figures[ind.id] for u in own]
        values = [f.value for f in expected if f.applicable and f.value is not None]
        total = model.index(0, column).data()
        assert number(total) == (sum(values) if values else None), ind.id
        shown = [number(model.index(r, column).data()) for r in range(TOTAL_ROWS, model.rowCount())]
        assert sum(v for v in shown if v is not None) == (number(total) or 0), ind.id
    assert model.index(0, 0).data() == "Tổng cộng" and model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, 1).data() == "2/38 đã gửi"
    labels = {model.index(r, 0).data(): model.index(r, 1).data() for r in range(TOTAL_ROWS, model.rowCount())}
    assert labels["Xã Mường Tè"] == "lần 2"
    assert labels["Xã Bình Lư"] == "chưa nhận: chờ đăng ký khóa"
    assert labels["Phường Đoàn Kết"] == "chưa gửi"

    row = merged.row_of("03408")
    index = model.index(row, 0)
    with qtbot.waitSignal(merged.drill_down_opened, timeout=WAIT) as blocker:
        rect = merged.view.visualRect(index)
        qtbot.mouseClick(merged.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(merged.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    drill = blocker.args[0]
    qtbot.addWidget(drill)
    villages = demo_db.villages_of("03408")
    assert drill.village_names() == [v.name for v in villages] and len(villages) == 24
    values = demo_db.values(demo_db.find_report("03408", "kl224", "2024"))
    assert drill.table.item(0, 1).text() == f"{values[('so_ho', villages[0].code)]:,}".replace(",", ".")
    assert merged.open_drill_down(merged.row_of("03390")) is None  # nothing accepted: nothing to show
    assert merged.open_drill_down(0) is None  # the total row

    out = merged.export_xlsx(tmp_path / "tong-hop", signed_on=dt.date(2026, 2, 1))
    assert out == tmp_path / "tong-hop.xlsx" and "Đã lưu" in merged.message.text()
    book = CalamineWorkbook.from_filelike(io.BytesIO(out.read_bytes()))
    units = book.get_sheet_by_name("Theo đơn vị").to_python()
    assert sum(1 for r in units if "chưa gửi" in r) == 36
    assert merged.export_xlsx(tmp_path / "khong-co" / "x.xlsx") is None
    assert "không tồn tại" in merged.error.text()


def test_targets_and_jumps_are_listed_under_the_merged_table(qtbot, upper_window, packets, tmp_path):
    dropped(qtbot, upper_window, put(packets, tmp_path, "mt24-2", "tp24"))
    upper_window.choose("kl224", "2024", "tp-lai-chau-2025")
    merged = upper_window.merged_view
    upper_window.tabs.setCurrentWidget(merged)
    assert merged.table.target_set.id == "tp-lai-chau-2025"
    lines = merged.target_lines()
    assert lines and all(": " in line for line in lines)
    assert any(word in " ".join(lines) for word in ("đạt", "chưa đạt"))
    assert merged.targets.isVisible()
    assert merged.jump_lines() == [] and not merged.jumps.isVisible()  # no 2023 to compare with


def test_a_figure_that_jumps_against_the_previous_period_is_listed(qtbot, upper_window, packets, tmp_path):
    dropped(qtbot, upper_window, put(packets, tmp_path, "sh24", "sh25"))
    merged = upper_window.merged_view
    upper_window.tabs.setCurrentWidget(merged)
    merged.jump_share = 0.0  # every change is a jump: Sìn Hồ has both years, its households drifting a little
    upper_window.choose("kl224", "2025")
    upper_window.refresh_all()
    lines = merged.jump_lines()
    assert lines and [merged.jumps.item(i).text() for i in range(merged.jumps.count())] == lines
    assert merged.jumps.isVisible() and merged.jumps_caption.text().startswith("Cảnh báo")
    pattern = re.compile(r"^Xã Sìn Hồ: .+ từ [\d.]+ (lên|xuống) [\d.]+ \([+-][\d,]+%\)$")
    assert all(pattern.match(line) for line in lines), lines
    merged.jump_share = 10.0
    upper_window.refresh_all()
    assert merged.jump_lines() == [] and not merged.jumps.isVisible()


@pytest.mark.parametrize(
    ("previous", "current", "text"),
    [
        (1200, 1740, "từ 1.200 lên 1.740 (+45%)"),
        (40, 30, "từ 40 xuống 30 (-25%)"),
        (3, 4, "từ 3 lên 4 (+33,3%)"),
    ],
)
def test_jump_text(library, previous, current, text):
    unit = Unit("03478", "Xã Sìn Hồ", "xã", "12")
    line = jump_text(library.get("kl224"), Jump(unit, "ho_van_hoa", previous, current))
    assert line == f"Xã Sìn Hồ: 3.1. Hộ gia đình đạt danh hiệu Gia đình văn hóa {text}"


def test_a_conflict_is_decided_side_by_side_with_a_reason(qtbot, upper_window, packets, tmp_path, upper_path):
    first, other = put(packets, tmp_path, "mt24-1", "mt24-1-other")
    imported(qtbot, upper_window, [first])
    run = imported(qtbot, upper_window, [other])
    assert run.filed[0].outcome == "conflict"
    assert statuses(upper_window) == {"mt24-1.sctg": "conflict", "mt24-1-other.sctg": "conflict"}
    inbox = upper_window.inbox_view
    assert not inbox.conflict_button.isEnabled()
    inbox.select_packet(run.filed[0].packet_id)
    assert inbox.conflict_button.isEnabled()
    with qtbot.waitSignal(inbox.conflict_dialog_opened, timeout=WAIT) as blocker:
        qtbot.mouseClick(inbox.conflict_button, Qt.MouseButton.LeftButton)
    dialog = blocker.args[0]
    qtbot.addWidget(dialog)
    assert [p.file_name for p in dialog.packets] == ["mt24-1.sctg", "mt24-1-other.sctg"]
    assert "Xã Mường Tè — biểu kl224 — Năm 2024 — lần gửi 1: 2 gói khác nội dung" == dialog.heading.text()
    assert "Cán bộ, đảng viên" in dialog.differing_labels()
    first_id, other_id = (p.id for p in dialog.packets)
    assert dialog.cell_text("Cán bộ, đảng viên", first_id) == str(packets.members)
    assert dialog.cell_text("Cán bộ, đảng viên", other_id) == str(packets.other_members)
    assert dialog.is_highlighted("Cán bộ, đảng viên") and not dialog.is_highlighted("Cán bộ lãnh đạo, quản lý")
    assert dialog.cell_text("Mã khóa người ký", first_id) == dialog.packets[0].signer_spoken
    assert dialog.cell_text("Tệp", other_id) == "mt24-1-other.sctg"
    # the reason is required: buttons off, and the core's refusal said in the dialog if called anyway
    assert not any(b.isEnabled() for b in dialog.keep_buttons)
    assert dialog.keep(other_id) is False
    assert dialog.error_label.text() == "Hãy ghi lý do chọn gói này." and dialog.isVisible()
    reason = "Xã xác nhận qua điện thoại: số đảng viên đã sửa"
    type_text(dialog.reason_edit, reason)
    assert all(b.isEnabled() for b in dialog.keep_buttons)
    with qtbot.waitSignal(upper_window.refreshed, timeout=WAIT):
        qtbot.mouseClick(dialog.keep_buttons[1], Qt.MouseButton.LeftButton)
    assert dialog.kept == other_id
    assert statuses(upper_window) == {"mt24-1.sctg": "superseded", "mt24-1-other.sctg": "accepted"}
    assert reason in inbox_row(upper_window, "mt24-1-other.sctg")[6]
    upper_window.choose("kl224", "2024")
    assert upper_window.merged_view.table.totals["can_bo_dang_vien"].value == packets.other_members


def test_a_conflict_settled_elsewhere_is_refused_in_the_dialog(qtbot, upper_window, packets, tmp_path, upper_path):
    imported(qtbot, upper_window, put(packets, tmp_path, "mt24-1"))
    run = imported(qtbot, upper_window, put(packets, tmp_path, "mt24-1-other"))
    upper_window.inbox_view.select_packet(run.filed[0].packet_id)
    dialog = upper_window.inbox_view.open_conflict_dialog()
    qtbot.addWidget(dialog)
    other = Gateway.open(upper_path)  # the command line decides first
    try:
        decide_conflict(other, run.filed[0].packet_id, "đã quyết định bằng lệnh", "kiem-thu")
    finally:
        other.close()
    dialog.reason_edit.setText("quyết định trong cửa sổ")
    assert dialog.keep(dialog.packets[0].id) is False
    assert dialog.error_label.text() == "Chỉ chọn được giữa các gói đang trùng lần gửi."


# ---- the import itself --------------------------------------------------------------------------------------


def test_stopping_an_import_half_way_leaves_whole_packets(qtbot, upper_window, packets, tmp_path, upper_path):
    folder = tmp_path / "nhieu"
    put(packets, folder, *(f"many-{n:02d}" for n in range(MANY)))
    seen = []

    def stop_at_five(job):
        def progressed(done, total, name):  # runs on the worker's thread, before it checks for a stop
            seen.append((done, total))
            if done == 5:
                job.stop()

        job.worker.progress.connect(progressed, Qt.ConnectionType.DirectConnection)

    upper_window.import_started.connect(stop_at_five)
    run = dropped(qtbot, upper_window, [folder])
    assert run.cancelled and len(run.filed) == 5
    assert seen[-1] == (5, MANY)
    rows, per_packet = db_counts(upper_path)
    assert rows == len([f for f in run.filed if f.packet_id is not None]) == 5
    assert len(per_packet) == 5 and len(set(per_packet)) == 1 and per_packet[0] > 100  # every packet whole
    assert upper_window.notice.text() == (
        f"5 tệp: 5 đã nhận. Đã dừng sau 5/{MANY} tệp; các gói đã nhập vẫn giữ nguyên."
    )
    assert len(upper_window.inbox_view.model.packets) == 5
    upper_window.import_started.disconnect(stop_at_five)
    run = dropped(qtbot, upper_window, [folder])  # the rest, the first five unchanged
    assert not run.cancelled and run.count("unchanged") == 5 and run.count("accepted") == MANY - 5


def test_the_stop_button_and_a_second_import_while_one_runs(qtbot, upper_window, packets, tmp_path):
    paths = put(packets, tmp_path, *(f"many-{n:02d}" for n in range(MANY)))
    with qtbot.waitSignal(upper_window.import_finished, timeout=WAIT):
        job = upper_window.import_paths(paths)
        assert (
            upper_window.importing
            and upper_window.stop_button.isVisible()
            and upper_window.stop_button.text() == "Dừng"
        )
        assert upper_window.import_paths(paths[:1]) is None
        assert upper_window.message.isVisible() and "mỗi lần chỉ nhập một đợt" in upper_window.message.text()
        assert drop(upper_window, paths[:1]).isAccepted()  # a drop meanwhile is refused the same way
        qtbot.mouseClick(upper_window.stop_button, Qt.MouseButton.LeftButton)
        assert job.worker._stop.is_set() and not upper_window.stop_button.isEnabled()
    assert not upper_window.importing and not upper_window.stop_button.isVisible()


def test_a_file_that_is_not_a_packet_and_a_folder_of_junk(qtbot, upper_window, packets, tmp_path):
    note = tmp_path / "ghi-chu.txt"
    note.write_text("không phải gói", encoding="utf-8")
    fake = tmp_path / "gia.sctg"
    fake.write_bytes(canonical_zip([("a.txt", b"x")]))
    letter = tmp_path / "cong-van.docx"  # a Word file is a zip too
    letter.write_bytes(canonical_zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>")]))
    key = tmp_path / "khoa.sctk"
    shutil.copy(packets.enrolment, key)
    junk = tmp_path / "rac"
    (junk / "con").mkdir(parents=True)
    for name in ("a.txt", "b.xlsx", "con/c.docx"):
        (junk / name).write_bytes(b"PK\x03\x04 rac")
    shutil.copy(packets.enrolment, junk / "con" / "khoa-xa.sctk")
    run = dropped(qtbot, upper_window, [note, fake, letter, key, junk])
    assert [f.outcome for f in run.filed] == ["not_packet"] * 4 and (run.ignored, run.ignored_keys) == (4, 1)
    assert upper_window.notice.text() == (
        "4 tệp: 4 không phải gói; bỏ qua 4 tệp không phải gói (.sctg) trong thư mục, trong đó 1 tệp đăng ký khóa "
        "(.sctk): dùng Gói › Đăng ký khóa cấp dưới... để đăng ký."
    )
    lines = upper_window.results_dialog.lines()
    assert [line[:2] for line in lines] == [
        ("ghi-chu.txt", "không phải gói"),
        ("gia.sctg", "không phải gói"),
        ("cong-van.docx", "không phải gói"),
        ("khoa.sctk", "không phải gói"),
    ]
    said = {line[0]: line[2] for line in lines}
    assert said["ghi-chu.txt"] == (
        "Tệp “ghi-chu.txt” không phải gói báo cáo của Sổ Chỉ Tiêu (tệp văn bản?): "
        "chỉ nhập tệp .sctg do cấp dưới gửi lên."
    )
    assert said["gia.sctg"].startswith("Tệp “gia.sctg” mang đuôi .sctg nhưng không phải gói báo cáo")
    assert said["cong-van.docx"] == (
        "Tệp “cong-van.docx” không phải gói báo cáo của Sổ Chỉ Tiêu (tệp Word?): "
        "chỉ nhập tệp .sctg do cấp dưới gửi lên."
    )
    unit = upper_window.gw.require_unit("03390").name
    assert said["khoa.sctk"] == (
        f"Tệp “khoa.sctk” là tệp đăng ký khóa của {unit}, không phải gói báo cáo: "
        "dùng Gói › Đăng ký khóa cấp dưới... để đăng ký."
    )
    assert upper_window.enrol_action.text() == "Đăng ký khóa cấp dưới..."  # the menu item the words point to
    words = " ".join(line[2] for line in lines)
    assert not any(w in words for w in ("zip", "manifest", "bản kê", "mã băm"))
    assert not upper_window.message.isVisible()
    upper_window.results_dialog.close()

    (junk / "con" / "khoa-xa.sctk").unlink()
    run = dropped(qtbot, upper_window, [junk])
    assert run.filed == [] and upper_window.results_dialog is None
    assert upper_window.notice.text() == "Không có gói nào để nhập; bỏ qua 3 tệp không phải gói (.sctg) trong thư mục."

    run = dropped(qtbot, upper_window, [tmp_path / "khong-co.sctg"])
    assert run is None
    assert upper_window.message.isVisible() and upper_window.message.text().startswith("Không tìm thấy")
    assert statuses(upper_window) == {}


def test_a_period_not_opened_waits_until_it_opens(qtbot, upper_window, packets, tmp_path):
    gw = upper_window.gw
    gw.db.execute("DELETE FROM collections WHERE period_code = '2024'")
    upper_window.fill_bar()
    (path,) = put(packets, tmp_path, "tp24")
    run = dropped(qtbot, upper_window, [path])
    assert run.filed[0].outcome == "waiting" and "chưa mở kỳ thu biểu" in run.filed[0].message
    assert upper_window.notice.text() == "1 tệp: 1 chờ đủ điều kiện để nhận."
    assert not upper_window.open_collection("kl224", "2024-Q5", dt.date(2025, 1, 15))
    assert "không hợp lệ" in upper_window.message.text()
    assert upper_window.open_collection("kl224", "2024", dt.date(2025, 1, 15))
    assert upper_window.notice.text() == (
        "Đã mở kỳ thu biểu kl224, năm 2024, hạn nộp 15/01/2025. 1 gói đang chờ kỳ này đã được nhận vào hộp thư."
    )
    assert upper_window.current_period() == "2024"
    assert statuses(upper_window) == {path.name: "accepted"}


def test_the_collection_dialog_opens_a_period_with_its_deadline(qtbot, upper_window):
    dialog = upper_window.ask_open_collection()
    qtbot.addWidget(dialog)
    assert dialog.deadline_edit.displayFormat() == "dd/MM/yyyy"
    dialog.form_box.setCurrentIndex(dialog.form_box.findData("kl224"))
    dialog.period_edit.setText("2026-H1")
    dialog.deadline_edit.setDate(dt.date(2026, 7, 20))
    assert dialog.deadline_edit.text() == "20/07/2026"
    with qtbot.waitSignal(upper_window.refreshed, timeout=WAIT):
        assert dialog.submit()
    assert upper_window.current_period() == "2026-H1"
    assert upper_window.period_box.currentText() == "6 tháng đầu năm 2026 (hạn 20/07/2026)"
    upper_window.tabs.setCurrentWidget(upper_window.completeness_view)
    assert upper_window.completeness_view.summary.text().startswith("Đã nhận 0/38")
    dialog = upper_window.ask_open_collection()
    qtbot.addWidget(dialog)
    dialog.form_box.setCurrentIndex(dialog.form_box.findData("kl224"))
    dialog.period_edit.setText("2026-Q1")  # kl224 is not collected by quarter
    assert not dialog.submit() and "không lập theo kỳ" in dialog.error_label.text() and dialog.isVisible()


def test_models_follow_qt_contract(qtmodeltester, qtbot, upper_window, packets, tmp_path):
    dropped(qtbot, upper_window, put(packets, tmp_path, "mt24-2", "tp24", "bl24"))
    upper_window.choose("kl224", "2024")
    for view in (upper_window.completeness_view, upper_window.merged_view):  # built when shown
        upper_window.tabs.setCurrentWidget(view)
    for model in (upper_window.inbox_view.model, upper_window.completeness_view.model, upper_window.merged_view.model):
        qtmodeltester.check(model)
    assert upper_window.inbox_view.model.index(0, 0).data(PacketIdRole) is not None


def close_during_import(qtbot, monkeypatch, window, paths, answer: str):
    """Close the window while the worker is held after its fifth packet, answering the question with
    the button named ``answer``: what was asked, and what the window said after."""
    asked, told, at_five = [], [], threading.Event()

    def hold_at_five(job):
        def progressed(done, total, name):  # the worker's thread, before it checks for a stop
            if done == 5:
                at_five.set()
                assert asked_once.wait(WAIT)  # held until the question is answered
                if answer == "Dừng và đóng":
                    assert job.worker._stop.wait(WAIT)  # and, to stop, until the window has said stop

        job.worker.progress.connect(progressed, Qt.ConnectionType.DirectConnection)

    asked_once = threading.Event()

    def exec_(box):
        asked.append((box.text(), box.informativeText(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == answer).click()
        asked_once.set()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: told.append(text))
    window.import_started.connect(hold_at_five)
    job = window.import_paths(paths)
    assert at_five.wait(WAIT)
    qtbot.waitUntil(lambda: job.done == 5)  # the progress the window has been told of
    window.close()
    return job, asked, told


def test_closing_during_an_import_asks_and_stopping_says_what_was_filed(
    qtbot, monkeypatch, upper_window, packets, tmp_path, upper_path
):
    paths = put(packets, tmp_path, *(f"many-{n:02d}" for n in range(MANY)))
    job, asked, told = close_during_import(qtbot, monkeypatch, upper_window, paths, "Dừng và đóng")
    assert asked == [
        (
            f"Đang nhập gói (5/{MANY}). Dừng nhập và đóng?",
            "Các gói đã nhập xong vẫn giữ nguyên; gói đang nhập dở không được ghi.",
            ["Dừng và đóng", "Tiếp tục nhập"],
        )
    ]
    assert upper_window.import_job is None and not upper_window.isVisible() and not job.running
    assert told == [
        f"5 tệp: 5 đã nhận. Đã dừng sau 5/{MANY} tệp; các gói đã nhập vẫn giữ nguyên. Các tệp còn lại nhập lại "
        "sau được: chọn lại các tệp hoặc thư mục đó, gói đã nhận sẽ không bị nhập hai lần."
    ]
    rows, per_packet = db_counts(upper_path)
    assert rows == len(per_packet) == 5  # as many as were said, each whole
    assert len(set(per_packet)) == 1 and per_packet[0] > 100


def test_closing_during_an_import_and_going_on(qtbot, monkeypatch, upper_window, packets, tmp_path, upper_path):
    paths = put(packets, tmp_path, *(f"many-{n:02d}" for n in range(MANY)))
    with qtbot.waitSignal(upper_window.import_finished, timeout=WAIT) as finished:
        job, asked, told = close_during_import(qtbot, monkeypatch, upper_window, paths, "Tiếp tục nhập")
        assert [text for text, *_ in asked] == [f"Đang nhập gói (5/{MANY}). Dừng nhập và đóng?"]
        assert upper_window.isVisible() and not upper_window.closed
    run = finished.args[0]
    assert not run.cancelled and run.count("accepted") == MANY and told == []
    rows, per_packet = db_counts(upper_path)
    assert rows == len(per_packet) == MANY and len(set(per_packet)) == 1
    upper_window.close()  # nothing running: no question
    assert len(asked) == 1 and not upper_window.isVisible()


def test_the_question_counts_in_the_officers_numbers(qtbot, monkeypatch, upper_window):
    job = ImportJob(upper_window.gw.path, [], default_library(), "kiem-thu", upper_window)
    job.done, job.total = 630, 2100
    asked = []

    def exec_(box):
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.No).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert stop_to_close_asked(upper_window, job) is False
    assert asked == ["Đang nhập gói (630/2.100). Dừng nhập và đóng?"]


def test_a_database_without_its_packet_folder_warns_in_the_window(open_shown, upper_path, packets, tmp_path):
    province = Gateway.open(upper_path)
    try:
        (p1,) = put(packets, tmp_path / "in", "mt24-1")
        import_packets(province, [p1], default_library(), "Đỗ Thu Tài")
    finally:
        province.close()
    shutil.rmtree(packet_folder(upper_path))
    window = open_shown(upper_path)
    assert window.notice.isVisible() and "Không thấy thư mục “tinh-goi”" in window.notice.text()


def test_import_starts_in_the_folder_packets_were_last_taken_from(qtbot, upper_window, packets, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    usb = tmp_path / "usb" / "goi-thang-1"
    paths = put(packets, usb, "tp24")
    started: list[str] = []

    def chosen(_parent, _title, folder, *_args, **_kwargs):
        started.append(folder)
        return ([str(p) for p in paths] if len(started) == 1 else []), ""  # the second time: cancelled

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", chosen)  # Qt's dialog, answered as the officer would
    with qtbot.waitSignal(upper_window.import_finished, timeout=WAIT):
        upper_window.ask_import_files()
    upper_window.ask_import_files()  # the next time: the same folder, not the home folder
    assert started[1] == str(usb) and started[0] != str(usb)
