"""``main.py --selftest``: prove an installed copy works, with no screen and
no data of the officer's touched.

In a temporary folder it does what a commune does in a season: a database
with the demo communes, a report checked against its targets, a signed packet
exported and verified as the district would, a backup taken and checked, and
the filled form printed to PDF, Qt's words in Vietnamese found and read (a
bundle built without them would show English buttons). Each step prints one line; a failure says
which step, in Vietnamese, and the exit code is 1.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

UNIT, FORM, PERIOD, TARGETS = "03445", "kl224", "2024", "muong-te-2025"  # the demo's clean report


def cmd_selftest() -> int:
    """``--selftest``: 0 when every step passed; 1 and the failed step on stderr otherwise."""
    try:
        return run_selftest()
    except SelftestFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1


class SelftestFailed(Exception):
    pass


def say_now(line: str) -> None:
    print(line, flush=True)  # each step as it ends, even into a pipe


def run_selftest(say: Callable[[str], None] = say_now) -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="so-chi-tieu-tu-kiem-") as scratch:
        state: dict = {}
        try:
            for label, step in STEPS:
                began = time.perf_counter()
                try:
                    detail = step(Path(scratch), state)
                except Exception as exc:  # noqa: BLE001 - any failure is the answer the selftest exists to give
                    raise SelftestFailed(f"Tự kiểm tra không đạt ở bước “{label}”: {exc}") from exc
                say(step_line(label, detail, time.perf_counter() - began))
        finally:
            if "gw" in state:
                state["gw"].close()
    say(finished_line(len(STEPS), time.perf_counter() - started))
    return 0


def step_line(label: str, detail: str, seconds: float) -> str:
    """“đạt  Sao lưu: … (1.234 ms)”: the milliseconds grouped as Vietnamese writes numbers."""
    from forms import vnformat

    return f"đạt  {label}: {detail} ({vnformat.number(round(seconds * 1000))} ms)"


def finished_line(steps: int, seconds: float) -> str:
    """“Tự kiểm tra đạt, 6 bước trong 4,50 s.”: a decimal comma, as every figure the program prints."""
    from forms import vnformat

    return f"Tự kiểm tra đạt, {steps} bước trong {vnformat.decimal(seconds, 2)} s."


def _database(folder: Path, state: dict) -> str:
    from models.gateway import Gateway

    state["gw"] = gw = Gateway.open(folder / "tu-kiem.db")
    mode = gw.journal_mode
    if mode.lower() != "wal":
        raise SelftestFailed(f"nhật ký ghi là {mode}, không phải WAL")
    return "cơ sở dữ liệu mới, nhật ký WAL"


def _demo(folder: Path, state: dict) -> str:
    from forms import vnformat
    from forms.library import default_library
    from models.demo import build_demo

    state["library"] = library = default_library()
    build_demo(state["gw"], library)
    forms = ", ".join(form.id for form in library.all())
    return f"{vnformat.number(len(state['gw'].unit_names()))} đơn vị, biểu {forms}"


def _validate(folder: Path, state: dict) -> str:
    from models.reporting import view_report

    gw = state["gw"]
    report = gw.find_report(UNIT, FORM, PERIOD)
    state["view"] = view = view_report(gw, report, state["library"].get(FORM), TARGETS)
    if view.evaluation.errors:
        raise SelftestFailed(f"báo cáo mẫu có {len(view.evaluation.errors)} lỗi")
    return f"{view.unit.name}, biểu {FORM} năm {PERIOD}: không lỗi, {len(view.evaluation.warnings)} cảnh báo"


def _packet(folder: Path, state: dict) -> str:
    from exports.packets.enrolment import enrolment_bytes, read_enrolment
    from exports.packets.verify import verify_packet
    from exports.packets.write import export_packet
    from models.keys import DEMO_PASSPHRASE
    from models.vocabulary import VerifyStatus

    gw, view = state["gw"], state["view"]
    packet = export_packet(gw, view, DEMO_PASSPHRASE, folder)
    enrolment = folder / "khoa.sctk"
    enrolment.write_bytes(enrolment_bytes(packet.key, view.unit))
    verdict = verify_packet(packet.path, [read_enrolment(enrolment)], state["library"])
    if verdict.status != VerifyStatus.VALID:
        raise SelftestFailed(verdict.headline())
    return f"{packet.path.name} ký và kiểm tra hợp lệ, mã khóa {packet.key.spoken}"


def _backup(folder: Path, state: dict) -> str:
    from models.backups import check_backup

    made = state["gw"].backup()
    check_backup(made)
    return f"bản sao lưu {made.name} toàn vẹn"


def _pdf(folder: Path, state: dict) -> str:
    from exports.paper import printouts
    from forms import vnformat
    from ui.printing import ensure_application, write_pdf

    document = printouts.filled_printout(
        state["gw"], UNIT, FORM, PERIOD, target_set=TARGETS, printed_on=dt.date.today()
    )
    ensure_application()
    path = write_pdf(document, folder / (document.name + ".pdf"))
    data = path.read_bytes()
    if not data.startswith(b"%PDF") or b"/FontFile2" not in data:
        raise SelftestFailed("tệp PDF không đúng dạng hoặc thiếu phông chữ nhúng")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    return f"{path.name}, {vnformat.number(len(data) // 1024)} KB, {pages} trang"


def _qt_words(folder: Path, state: dict) -> str:
    from PySide6.QtCore import QTranslator

    from ui.resources import QT_TRANSLATION

    translator = QTranslator()
    if not translator.load(str(QT_TRANSLATION)):
        raise SelftestFailed(f"không đọc được bản dịch {QT_TRANSLATION.name}")
    cancel = translator.translate("QPlatformTheme", "Cancel")
    if cancel != "Hủy":
        raise SelftestFailed(f"nút Cancel của Qt dịch là “{cancel}”, không phải “Hủy”")
    return f"{QT_TRANSLATION.name}: nút Cancel là “Hủy”"


STEPS = [
    ("Mở cơ sở dữ liệu", _database),
    ("Tạo dữ liệu mẫu", _demo),
    ("Kiểm tra báo cáo", _validate),
    ("Ký, xuất và kiểm tra gói", _packet),
    ("Sao lưu", _backup),
    ("In PDF", _pdf),
    ("Chữ tiếng Việt của Qt", _qt_words),
]
