"""Every window and dialog of both levels, opened on the demo data and saved
as a PNG each: the first-run setup, the commune's window and its dialogs, the
province's window, its three tabs and its dialogs, a message box and Qt's
file dialog. To look at before saying a screen is right, at an ordinary
screen and at an old commune PC's (1366×768 at 125%):

    .venv/bin/python tools/screenshot_walk.py /tmp/walk
    .venv/bin/python tools/screenshot_walk.py /tmp/walk-small --screen 1366x768 --scale 1.25

With ``--docs`` the README's pictures (docs/screenshot-*.png) are copied from
the walk's.

The screen's size and scale are set before Qt starts (the offscreen
platform's screen, QT_SCALE_FACTOR); each main window fills the screen as a
maximised one would. A window or dialog larger than the screen is listed at
the end as cut off. tests/ui/test_screenshot_walk.py runs the same walk and
fails on any English word on screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The scenes that are the README's pictures (``--docs`` copies them into docs/).
DOCS = {
    "xa-cua-so": "screenshot-main-window.png",
    "tinh-goi-dang-giu": "screenshot-upper-window.png",
    "xa-ky-va-xuat": "screenshot-sign-dialog.png",
}
SCREEN_CONFIG = {"synchronousWindowSystemEvents": False, "windowFrameMargins": False}
OFFICER, PROVINCE_OFFICER = "Lò Thị Hoa", "Nguyễn Văn Bình"
BINH_LU_PASSPHRASE = "khóa xã Bình Lư"


class Walk:
    """Saves each scene as NN-name.png under ``out`` and hands it to ``look`` (the test's check of its words)."""

    def __init__(self, out: Path, look: Callable[[str, object], None] | None = None):
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.out, self.look = out, look
        self.saved: list[Path] = []
        self.too_big: list[str] = []
        out.mkdir(parents=True, exist_ok=True)

    @property
    def screen(self):
        return self.app.primaryScreen().availableGeometry()

    def settle(self, seconds: float = 0.05) -> None:
        end = time.monotonic() + seconds
        while True:
            self.app.processEvents()
            if time.monotonic() >= end:
                return
            time.sleep(0.01)

    def fill_screen(self, window) -> None:
        """As a maximised window: the whole screen's available area."""
        window.resize(self.screen.size())
        window.show()
        self.settle()

    def shot(self, name: str, widget) -> Path:
        if not widget.isVisible():
            widget.show()
        self.settle()
        path = self.out / f"{len(self.saved) + 1:02d}-{name}.png"
        widget.grab().save(str(path))
        self.saved.append(path)
        size, screen = widget.frameGeometry().size(), self.screen
        if size.width() > screen.width() or size.height() > screen.height():
            self.too_big.append(f"{path.name}: {size.width()}×{size.height()} > {screen.width()}×{screen.height()}")
        if self.look is not None:
            self.look(name, widget)
        return path

    def shot_and_close(self, name: str, dialog) -> Path:
        path = self.shot(name, dialog)
        dialog.close()
        self.settle()
        return path

    def while_open(self, name: str, opens: Callable[[], object]) -> None:
        """Shoots the modal dialog ``opens`` shows and blocks in (a file dialog, an input dialog), then closes it."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        before = QApplication.activeModalWidget()
        done: list[bool] = []

        def check() -> None:
            shown = QApplication.activeModalWidget()
            if done or shown is None or shown is before:
                return
            done.append(True)
            timer.stop()
            self.shot(name, shown)
            shown.reject()

        timer = QTimer(interval=50)
        timer.timeout.connect(check)
        timer.start()
        opens()
        deadline = time.monotonic() + 5
        while not done and time.monotonic() < deadline:
            self.settle()
        timer.stop()
        if not done:
            raise RuntimeError(f"không thấy hộp thoại “{name}” mở ra")


# ---- the data: the commune demo, its packets, the province demo --------------------------------------


def make_data(folder: Path):
    """xa.db (the commune demo), tinh.db (the province demo, empty inbox), the packets the communes sent."""
    from exports.packets.enrolment import write_enrolment
    from exports.packets.write import export_packet
    from forms.library import default_library
    from models.demo import build_demo, build_upper_demo
    from models.gateway import Gateway
    from models.keys import DEMO_PASSPHRASE, create_unit_key
    from models.reporting import enter_values, view_report

    library = default_library()
    kl224 = library.get("kl224")
    packets = folder / "goi-nhan"
    packets.mkdir()
    at = dt.datetime(2025, 1, 10, 8, 0).astimezone()
    gw = Gateway.open(folder / "xa.db")
    try:
        build_demo(gw, library)
        gw.set_setting("officer_name", OFFICER)
    finally:
        gw.close()
    shutil.copy(folder / "xa.db", folder / "xa-khac.db")
    gw = Gateway.open(folder / "xa.db")
    try:
        tan_phong = view_report(gw, gw.find_report("03408", "kl224", "2024"), kl224)
        (folder / "goi-den-sau").mkdir()
        export_packet(gw, tan_phong, DEMO_PASSPHRASE, folder / "goi-den-sau", at=at)  # lần 1 comes in late
        for unit in ("03445", "03408", "03478"):
            view = view_report(gw, gw.find_report(unit, "kl224", "2024"), kl224)
            export_packet(gw, view, DEMO_PASSPHRASE, packets, at=at)
        key = create_unit_key(gw, "03390", BINH_LU_PASSPHRASE, "Lường Văn Tâm", "Công chức Văn hóa - Xã hội")
        view = view_report(gw, gw.find_report("03390", "kl224", "2024"), kl224)
        export_packet(gw, view, BINH_LU_PASSPHRASE, packets)  # signed now: after its key was made
        enrolment = write_enrolment(key, gw.require_unit("03390"), folder / "khoa-binh-lu.sctk")
    finally:
        gw.close()
    other = Gateway.open(folder / "xa-khac.db")  # Mường Tè's “lần gửi 1” again, one figure different
    try:
        report = other.find_report("03445", "kl224", "2024")
        members = other.values(report)[("can_bo_dang_vien", "03445")]
        enter_values(other, report, kl224, [("can_bo_dang_vien", "03445", members + 5)], OFFICER)
        (folder / "goi-khac").mkdir()
        export_packet(other, view_report(other, report, kl224), DEMO_PASSPHRASE, folder / "goi-khac", at=at)
    finally:
        other.close()
    upper = Gateway.open(folder / "tinh.db")
    try:
        build_upper_demo(upper)
        upper.set_setting("officer_name", PROVINCE_OFFICER)
    finally:
        upper.close()
    return packets, [folder / "goi-khac", folder / "goi-den-sau"], enrolment


# ---- the scenes -------------------------------------------------------------------------------------


def setup_scenes(walk: Walk, folder: Path) -> None:
    from forms.library import default_library
    from models.gateway import Gateway
    from ui.setup_dialog import SetupDialog

    gw = Gateway.open(folder / "moi.db")
    try:
        dialog = SetupDialog(gw, default_library())
        walk.shot("cai-dat-xa", dialog)
        dialog.upper_role.setChecked(True)
        walk.shot_and_close("cai-dat-cap-tren", dialog)
    finally:
        gw.close()


def broken_workbook(book: Path, out: Path) -> None:
    """The form's workbook with three slips a clerk makes: a kind misspelt, an unknown section, a parent
    that is not there."""
    import openpyxl

    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Chỉ tiêu"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=3, column=headers.index("Loại") + 1, value="số dem")
    sheet.cell(row=4, column=headers.index("Mục") + 1, value="9")
    sheet.cell(row=5, column=headers.index("Thuộc chỉ tiêu") + 1, value="ban_co_nha")
    workbook.save(out)


def upper_scenes(
    walk: Walk, folder: Path, packets: Path, later: list[Path], enrolment: Path
) -> tuple[Path, list[Path]]:
    """The province's window from its first opening to the table it sends up; returns its key file, the
    receipt it signed for Mường Tè and a collection notice it sent down."""
    from PySide6.QtCore import QEventLoop

    from exports.collect.receipts import issue_receipt
    from exports.publications.publish import publish_collection
    from ui.app import open_window
    from ui.export_folder import remember_folder
    from ui.upper.inbox_view import DECIDING

    window = open_window(folder / "tinh.db")
    walk.fill_screen(window)
    walk.shot("tinh-lan-dau", window)
    collection = window.ask_open_collection()
    walk.shot_and_close("tinh-mo-ky-thu", collection)
    remember_folder(window.gw, packets)
    walk.while_open("hop-chon-tep", window.ask_import_files)

    loop = QEventLoop()
    window.import_finished.connect(lambda _run: loop.quit())
    window.import_paths([packets])
    loop.exec()
    walk.shot_and_close("tinh-ket-qua-nhap", window.results_dialog)
    window.import_paths(later)  # Mường Tè's other “lần 1” (a conflict), Tân Phong's lần 1 after its lần 2
    loop.exec()
    if window.results_dialog is not None:
        window.results_dialog.close()
    window.choose("kl224", "2024")
    window.inbox_view.set_status_filter(None)
    rows = window.inbox_view.rows()
    walk.shot("tinh-hop-thu", window)
    held = next(p for p in rows if p.status == "quarantined")
    window.inbox_view.select_packet(held.id)
    walk.shot("tinh-goi-dang-giu", window)
    walk.shot_and_close("tinh-dang-ky-khoa-xa", window.enrol_file(enrolment))
    conflict = next((p for p in rows if p.status == "conflict"), None)
    if conflict is not None:
        window.inbox_view.select_packet(conflict.id)
        walk.shot_and_close("tinh-hai-goi-khac-nhau", window.inbox_view.open_conflict_dialog())
    accepted = next(p for p in rows if p.status == "accepted")
    window.inbox_view.select_packet(accepted.id)
    walk.shot("tinh-goi-da-nhan", window)
    walk.shot_and_close("tinh-bien-nhan", window.open_receipt_dialog())
    walk.shot_and_close("tinh-in-goi", window.inbox_view.open_print_dialog())
    walk.shot_and_close("tinh-huy-goi", window.inbox_view.open_void_dialog())
    deciding = next((p for p in rows if p.status in DECIDING), None)
    if deciding is not None:
        window.inbox_view.select_packet(deciding.id)
        walk.shot_and_close("tinh-quyet-dinh", window.inbox_view.open_decision_dialog())

    window.tabs.setCurrentWidget(window.completeness_view)
    walk.shot("tinh-tinh-hinh-nop", window)
    walk.shot_and_close("tinh-danh-sach-theo-doi", window.open_followup())
    window.tabs.setCurrentWidget(window.merged_view)
    walk.shot("tinh-bieu-tong-hop", window)
    row = window.merged_view.row_of(accepted.unit_code)
    if row is not None:
        walk.shot_and_close("tinh-so-lieu-cac-ban", window.merged_view.open_drill_down(row))
    print_dialog = window.merged_view.open_print_dialog()
    walk.shot("tinh-in-bieu-tong-hop", print_dialog)
    walk.shot_and_close("xem-truoc-khi-in", print_dialog.open_preview())
    print_dialog.close()
    walk.shot_and_close("tinh-gui-len", window.open_upward_dialog())
    walk.shot_and_close("tinh-khoa-ky", window.open_keys_dialog())
    key_file = window.export_key_file(folder / "khoa-tinh.sctk")
    walk.shot_and_close("tinh-tep-dang-ky-khoa", key_file)
    book = window.export_form(folder / "kl224.xlsx")  # a clerk's slips in Excel: every one listed
    broken_workbook(book, folder / "kl224-sai.xlsx")
    window.import_form(folder / "kl224-sai.xlsx")
    walk.shot_and_close("tinh-bieu-mau-co-loi", window.form_book_errors)
    walk.shot_and_close("tinh-gui-xuong", window.open_publish_dialog("collection"))

    from models.keys import DEMO_PASSPHRASE

    receipt = issue_receipt(
        window.gw, accepted.id, "bien_nhan", DEMO_PASSPHRASE, folder, window.library, PROVINCE_OFFICER
    ).path
    window.inbox_view.refresh()
    window.inbox_view.select_packet(accepted.id)  # received now: the lock exception is offered
    walk.shot_and_close("tinh-mo-lai-bao-cao", window.inbox_view.open_reopen_dialog())
    deadline = dt.date.today() + dt.timedelta(days=40)
    notice = publish_collection(
        window.gw, "kl224", None, str(dt.date.today().year), deadline, "Nộp cùng báo cáo năm.", DEMO_PASSPHRASE, folder
    ).path  # what the commune sees as a to-do
    window.close()
    walk.settle()
    return folder / "khoa-tinh.sctk", [receipt, notice]


def commune_scenes(walk: Walk, folder: Path, province_key: Path, sent: list[Path]) -> None:
    from PySide6.QtWidgets import QMessageBox

    from exports.collect.trust import enrol
    from exports.packets.enrolment import read_enrolment
    from models.keys import DEMO_PASSPHRASE
    from ui.app import open_window
    from ui.key_dialogs import CreateKeyDialog

    window = open_window(folder / "xa.db")
    walk.fill_screen(window)
    window.target_box.setCurrentIndex(window.target_box.findData("muong-te-2025"))
    evaluation = window.controller.session.view.evaluation
    if evaluation.errors:
        window.findings.list.setCurrentRow(0)
        window.jump_to_finding(evaluation.errors[0])
    walk.shot("xa-cua-so", window)
    walk.shot_and_close("xa-ky-moi", window.ask_new_period())
    if window.double_entry.start_second_pass("Vàng A Sình"):  # typed again blind, then compared
        walk.shot("xa-nhap-lan-hai", window)
        walk.shot_and_close("xa-doi-chieu-hai-lan", window.double_entry.finish())
        window.double_entry.cancel()
    for row in range(window.findings.list.count()):  # the first warning: its reason is asked for
        window.findings.list.setCurrentRow(row)
        if window.findings.selected_finding().severity == "warning":
            walk.while_open("xa-ly-do-giu-so-lieu", window.findings.ask_reason)
            break
    walk.while_open("xa-quan-ly-ban", window.manage_villages)
    walk.shot_and_close("xa-bo-muc-tieu", window.open_target_sets())
    walk.shot_and_close("xa-ky-va-xuat-con-loi", window.open_sign_dialog())
    print_dialog = window.open_print_dialog()
    walk.shot_and_close("xa-in-bieu", print_dialog)
    walk.shot_and_close("xa-khoa-ky", window.open_keys_dialog())
    create = CreateKeyDialog(window.gw, window.current_unit(), replace=True, parent=window)
    walk.shot_and_close("xa-thay-khoa", create)
    walk.while_open("xa-chon-bien-nhan", window.ask_receipt_file)
    walk.shot_and_close("xa-khoa-cap-tren", window.enrol_upper_key(province_key))
    enrol(window.gw, read_enrolment(province_key), OFFICER)  # read back over the phone, as the dialog asks
    receipt, notice = sent
    window.import_receipt_file(receipt)
    walk.shot("xa-da-co-bien-nhan", window)
    window.import_publication_file(notice)
    walk.shot("xa-cap-tren-yeu-cau", window)
    window.new_period("2026", carry=True)  # households carried from 2025, counted empty until confirmed
    walk.shot("xa-chuyen-tu-ky-truoc", window)
    sign = window.open_sign_dialog()
    sign.passphrase_edit.setText(DEMO_PASSPHRASE)
    walk.shot("xa-ky-va-xuat", sign)
    sign.sign()
    walk.shot("xa-hoi-con-o-chua-nhap", sign.confirm_box)
    (folder / "goi-gui").mkdir()
    sign.path_edit.setText(str(folder / "goi-gui"))
    sign.confirm_box.button(QMessageBox.StandardButton.Yes).click()  # “Vẫn ký”
    walk.settle()
    walk.shot("xa-da-xuat-goi", sign)
    if not sign.open_folder():  # no file manager here: the folder's path, to copy
        walk.shot("xa-duong-dan-goi", sign)
    sign.close()
    window.close()
    walk.settle()


def walk(out: Path, look: Callable[[str, object], None] | None = None) -> Walk:
    """Opens every scene over fresh demo data in a temporary folder; the PNGs land in ``out``."""
    done = Walk(out, look)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        packets, later, enrolment = make_data(folder)
        setup_scenes(done, folder)
        province_key, sent = upper_scenes(done, folder, packets, later, enrolment)
        commune_scenes(done, folder, province_key, sent)
    return done


def screen_config(size: str) -> Path:
    width, height = (int(n) for n in size.lower().split("x"))
    config = {**SCREEN_CONFIG, "screens": [{"name": "walk", "x": 0, "y": 0, "width": width, "height": height}]}
    path = Path(tempfile.gettempdir()) / f"screenshot-walk-{width}x{height}.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def quiet_offscreen(_kind, _context, message: str) -> None:
    """Qt's messages on stderr, less the offscreen platform's notes on every dialog shown and on the
    folder it cannot open (the walk shoots what the officer sees then)."""
    if "propagateSizeHints" not in message and "openDocument" not in message:
        print(message, file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description="Chụp mọi cửa sổ và hộp thoại trên dữ liệu mẫu.")
    parser.add_argument("out", type=Path, help="thư mục lưu ảnh PNG")
    parser.add_argument("--screen", default="1600x1000", help="cỡ màn hình, ví dụ 1366x768")
    parser.add_argument("--scale", default="1", help="tỉ lệ phóng, ví dụ 1.25 (125%%)")
    parser.add_argument("--docs", action="store_true", help="chép các ảnh minh họa của README vào docs/")
    args = parser.parse_args()
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen_config(args.screen)}"
    os.environ["QT_SCALE_FACTOR"] = args.scale
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from ui.app import prepare_application

    qInstallMessageHandler(quiet_offscreen)

    if prepare_application(QApplication(sys.argv)) is None:
        print("Chưa có bản dịch tiếng Việt của Qt (ui/translations/qtbase_vi.qm): chạy tools/setup.sh trước.")
        return 2
    done = walk(args.out)
    for path in done.saved:
        print(path)
    if args.docs:
        for path in done.saved:
            if (name := DOCS.get(path.stem.split("-", 1)[1])) is not None:
                shutil.copy(path, ROOT / "docs" / name)
                print(f"docs/{name}")
    for line in done.too_big:
        print("quá màn hình:", line)
    print(f"{len(done.saved)} ảnh trong {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
