"""Packets received from the units below: read, verify, file.

Each packet is checked offline (exports/packets/verify.py), its figures
checked as if typed (exports/collect/figures.py), then filed among the
other packets of its report by the inbox's state machine
(models/tables/inbox.py, where the statuses are explained). The same file
twice changes nothing. Each packet is filed, with its figures, in its own
transaction: an import stopped half way leaves whole packets.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from exports.collect.admission import (
    Checked,
    key_hold,
    manifest_problem,
    receipt_hold,
    sequence_hold,
    village_hold,
)
from exports.collect.examine import BREAKS_READER, SPREAD_FROM, Examined, examine, examined_in_order
from exports.collect.figures import Figures
from exports.collect.merge import figures_to_json
from exports.collect.trust import Enrolled, enrol, is_below
from exports.packets.enrolment import SUFFIX as ENROLMENT_SUFFIX
from exports.packets.enrolment import Enrolment, KeyRing, key_ring
from exports.packets.format import SUFFIX, form_of
from exports.packets.verify import Verdict
from forms import vnformat
from forms.library import FormLibrary
from forms.schema import FormDef
from models.errors import BadInput, DatabaseError, UserError
from models.form_store import library_of
from models.gateway import Gateway
from models.keys import spoken_fingerprint
from models.vocabulary import BAD_OUTCOMES, ImportOutcome, PacketStatus, VerifyStatus

Progress = Callable[[int, int, Path], bool]  # (done, total, file) -> False to stop
BATCH_PACKETS = 100
BATCH_SECONDS = 1.0


@dataclass(frozen=True)
class Filed:
    file: Path
    outcome: ImportOutcome
    message: str
    packet_id: int | None = None
    unit_code: str | None = None
    form_id: str | None = None
    period_code: str | None = None
    sequence: int | None = None

    @property
    def where(self) -> str:
        """“03445 kl224 2024 lần 2”, or "" for a file that named no report."""
        return f"{self.unit_code} {self.form_id} {self.period_code} lần {self.sequence}" if self.unit_code else ""


@dataclass(frozen=True)
class ImportRun:
    filed: list[Filed]
    ignored: int  # files in the folders given that are not packets by name
    cancelled: bool
    ignored_keys: int = 0  # of those, the units' enrolment files (.sctk): enrolled elsewhere

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.filed if f.outcome == outcome)

    @property
    def counts(self) -> dict[ImportOutcome, int]:
        """How many files ended each way, in the vocabulary's order; outcomes with none left out."""
        return {o: self.count(o) for o in ImportOutcome if self.count(o)}

    @property
    def refused(self) -> int:
        """Files of which nothing was used: the officer must look at each again."""
        return sum(self.count(o) for o in BAD_OUTCOMES)

    def summary(self, total: int | None = None) -> str:
        """“12 tệp: 10 đã nhận, 1 chờ đăng ký khóa, 1 không hợp lệ”, and what was skipped or stopped.
        The one sentence the window's result dialog and ``inbox import`` both end with."""
        counts = ", ".join(f"{n} {_listed(o.words)}" for o, n in self.counts.items())
        text = f"{len(self.filed)} tệp: {counts}" if self.filed else "Không có gói nào để nhập"
        if self.ignored:
            text += f"; bỏ qua {self.ignored} tệp không phải gói (.sctg) trong thư mục"
        if self.ignored_keys:
            text += (
                f", trong đó {self.ignored_keys} tệp đăng ký khóa (.sctk): "
                "dùng Gói › Đăng ký khóa cấp dưới... để đăng ký"
            )
        if self.cancelled:
            text += f". Đã dừng sau {len(self.filed)}/{total or '?'} tệp; các gói đã nhập vẫn giữ nguyên"
        return text + "."

    def to_dict(self) -> dict:
        return {
            "files": [
                {
                    "file": str(f.file),
                    "outcome": f.outcome,
                    "message": f.message,
                    "packet_id": f.packet_id,
                    "unit_code": f.unit_code,
                    "form_id": f.form_id,
                    "period_code": f.period_code,
                    "sequence": f.sequence,
                }
                for f in self.filed
            ],
            "ignored": self.ignored,
            "ignored_keys": self.ignored_keys,
            "counts": self.counts,
        }


def _listed(words: str) -> str:
    """“trùng lần gửi, khác nội dung” -> “trùng lần gửi (khác nội dung)”: its comma would split the list."""
    head, comma, rest = words.partition(", ")
    return f"{head} ({rest})" if comma else words


def packet_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """The files to import: every path given, and the .sctg files in folders given; then the files left."""
    files: list[Path] = []
    ignored: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            for found in sorted(given.rglob("*")):
                if found.is_file():
                    if found.suffix.lower() == SUFFIX:
                        files.append(found)
                    else:
                        ignored.append(found)
        elif given.exists():
            files.append(given)
        else:
            raise BadInput(f"Không tìm thấy “{given}”.")
    return files, ignored


class ImportInterrupted(DatabaseError):
    """The database refused a write mid-import (a full disk): what was filed and what was not."""

    def __init__(self, cause: str, run: ImportRun, not_filed: list[Path]):
        self.run, self.not_filed = run, not_filed
        names = ", ".join(p.name for p in not_filed[:5])
        names += f" và {len(not_filed) - 5} tệp khác" if not_filed[5:] else ""
        cause = cause.replace("; chưa có gì thay đổi", "").rstrip(".")
        super().__init__(
            f"Dừng nhập giữa chừng: {cause}. Đã nhập xong {len(run.filed)} tệp (đã ghi, giữ nguyên); "
            f"{len(not_filed)} tệp chưa nhập: {names}. Khắc phục lỗi (ví dụ giải phóng chỗ trống trên ổ đĩa) "
            "rồi nhập lại: các tệp đã nhập không bị nhập hai lần."
        )


def import_packets(
    gw: Gateway,
    paths: Iterable[str | Path],
    library: FormLibrary,
    who: str,
    progress: Progress | None = None,
    spread_from: int = SPREAD_FROM,
) -> ImportRun:
    """Import the packet files given (and the .sctg files in the folders given), each filed whole or not
    at all; from ``spread_from`` files on, examined by worker processes while this one files them."""
    files, left = packet_files(paths)
    keys = sum(1 for p in left if p.suffix.lower() == ENROLMENT_SUFFIX)
    if gw.setting("home_unit") is None:
        raise BadInput("Máy này chưa chọn đơn vị nhận báo cáo.")
    file_again(gw, library, PacketStatus.WAITING)  # a collection opened or a form added since
    ring = key_ring(gw)
    examined = examined_in_order(gw, files, library, ring, spread_from)
    filed: list[Filed] = []
    try:
        while len(filed) < len(files):
            # One commit, so one disk sync, per batch: on an old hard disk a sync per
            # packet costs more than the packet. Each packet is still filed whole or
            # not at all (its own savepoint), and a batch cut short by a crash is
            # simply imported again.
            committed = len(filed)
            try:
                with gw.transaction():
                    until = time.monotonic() + BATCH_SECONDS
                    for _ in files[len(filed) : len(filed) + BATCH_PACKETS]:
                        path, found = next(examined)
                        if progress is not None and progress(len(filed), len(files), path) is False:
                            return ImportRun(filed, len(left), True, keys)
                        filed.append(import_packet(gw, path, found, library, ring, who))
                        if time.monotonic() > until:
                            break
            except DatabaseError as exc:
                done = ImportRun(filed[:committed], len(left), True, keys)
                raise ImportInterrupted(str(exc), done, files[committed:]) from None
    finally:
        examined.close()  # stops the workers of an import cut short
    if progress is not None:
        progress(len(files), len(files), Path())
    return ImportRun(filed, len(left), False, keys)


def import_packet(gw: Gateway, path: Path, found: Examined, library: FormLibrary, ring: KeyRing, who: str) -> Filed:
    """One file filed: whatever is wrong with it stays with it (a Filed saying so), except a
    database that refuses writes (DatabaseError), which stops the import."""
    if found.unreadable is not None:
        return Filed(path, ImportOutcome.NOT_PACKET, found.unreadable)
    try:
        earlier = gw.inbox.row_of_file(found.file_sha)
        if earlier is not None and earlier["status"] != PacketStatus.WAITING:
            words = PacketStatus(earlier["status"]).words
            return Filed(path, ImportOutcome.UNCHANGED, f"Tệp này đã nhận từ trước; trạng thái: {words}.")
        assessed = judge(gw, found, library, ring)
        if assessed.status == ImportOutcome.NOT_PACKET:  # nothing to file: what it is, said in the result
            return Filed(path, ImportOutcome.NOT_PACKET, assessed.note)
        return file_assessed(gw, path, found.file_sha, found.raw, assessed, who, earlier["id"] if earlier else None)
    except DatabaseError:
        raise
    except UserError as exc:
        return Filed(path, ImportOutcome.NOT_PACKET, str(exc))
    except BREAKS_READER as exc:
        # A file built to break the reader: its fault stays with it, the rest of the folder is filed.
        return Filed(path, ImportOutcome.NOT_PACKET, f"Không đọc được tệp này (lỗi {type(exc).__name__}); không nhận.")


@dataclass(frozen=True)
class Assessed:
    """What a packet is, before filing: a status (None: trusted, to be placed among its report's
    packets), what to say of it, and what it carries."""

    status: PacketStatus | ImportOutcome | None
    note: str
    manifest: dict | None = None
    content: str | None = None
    values: Figures = ()
    checked: Checked | None = None
    keep_file: bool = True
    manifest_sha256: str | None = None  # found while examining, so filing need not open the zip again


def assess(
    gw: Gateway, raw: bytes, path: Path, library: FormLibrary, ring: KeyRing, *, confirmed: bool = False
) -> Assessed:
    """Every check a packet goes through at the upper level, writing nothing; ``confirmed``: the officer
    has confirmed what held it (key, villages, sequence), so those checks are passed."""
    return judge(gw, examine(gw, raw, path, library, ring), library, ring, confirmed=confirmed)


def judge(gw: Gateway, found: Examined, library: FormLibrary, ring: KeyRing, *, confirmed: bool = False) -> Assessed:
    """assess() of a packet already examined (exports/collect/examine.py): the checks that depend on
    this database's clock and on the packets filed before it."""
    if found.unreadable is not None:
        return Assessed(ImportOutcome.NOT_PACKET, found.unreadable)
    verdict = found.verdict
    if verdict.status == VerifyStatus.UNREADABLE:
        return Assessed(ImportOutcome.NOT_PACKET, verdict.problems[0])
    manifest = verdict.manifest
    if verdict.status == VerifyStatus.INVALID:
        if verdict.retry_later:
            return Assessed(PacketStatus.WAITING, f"Chờ: {verdict.problems[0]}", manifest)
        return Assessed(PacketStatus.REJECTED, verdict.headline(), manifest, keep_file=False)
    form = form_of(library, manifest["form"])
    same_key = ring.with_fingerprint(manifest["signer"]["fingerprint"])
    signer = next((e for e in same_key if e.unit_code == manifest["unit"]["code"]), None)
    problem = manifest_problem(manifest, gw.period(manifest["period"]["code"]), signer, dt.datetime.now().astimezone())
    if problem:
        return Assessed(PacketStatus.REJECTED, f"KHÔNG HỢP LỆ: {problem}", manifest, keep_file=False)
    refusal = _refusal(gw, manifest, form)
    if refusal:
        return Assessed(PacketStatus.WAITING, f"Chờ: {refusal}", manifest)
    if found.figures_error is not None:
        raise BadInput(found.figures_error)
    if found.figures_problem is not None:
        return Assessed(PacketStatus.REJECTED, f"KHÔNG HỢP LỆ: {found.figures_problem}", manifest, keep_file=False)
    checked = found.checked
    result = Assessed(None, "", manifest, found.content, found.values, checked, manifest_sha256=found.manifest_sha256)
    if verdict.status == VerifyStatus.UNTRUSTED:
        return replace(result, status=PacketStatus.QUARANTINED, note=_quarantine_note(gw, verdict, ring))
    village_wait, village_note = None, ""
    if checked.villages is not None:
        village_wait, village_note = village_hold(gw, manifest["unit"]["code"], checked.villages)
    if not confirmed:
        hold = (
            key_hold(gw, found.trusted_by(ring), manifest)
            or sequence_hold(gw.inbox.head(_report_of(manifest)), manifest["sequence"])
            or receipt_hold(gw, manifest)
            or village_wait
        )
        if hold:
            return replace(result, status=PacketStatus.HELD, note=hold)
    return replace(result, note=village_note)


def file_assessed(
    gw: Gateway, path: Path, file_sha: str, raw: bytes, assessed: Assessed, who: str, packet_id: int | None = None
) -> Filed:
    """File a packet assessed (``packet_id``: filed before, now filed again in its row); a trusted one
    is placed among its report's packets, as flawed when its figures have errors."""
    manifest, checked = assessed.manifest, assessed.checked
    report = _report_of(manifest)
    status, note = assessed.status, assessed.note
    with gw.transaction():
        if status is None:
            status, placed = gw.inbox.place_trusted(
                {**report, "created_at": manifest["created_at"]}, assessed.content, packet_id
            )
            if status == ImportOutcome.UNCHANGED:
                if packet_id is None:
                    return Filed(path, ImportOutcome.UNCHANGED, placed, **report)
                status = PacketStatus.SUPERSEDED
            if status == ImportOutcome.ACCEPTED and checked.errors:
                status = PacketStatus.FLAWED
                placed += (
                    f" Số liệu có {checked.errors} lỗi nên chưa cộng vào tổng hợp (xem lỗi; trả lại để xã sửa, "
                    f"hoặc quyết định cộng): {'; '.join(line.rstrip('.') for line in checked.error_lines[:3])}"
                    + (f"; và {checked.errors - 3} lỗi khác." if checked.errors > 3 else ".")
                )
            note = " ".join(part for part in (placed, checked.summary_note, note) if part)
        row = {
            "file_sha256": file_sha,
            "file_name": path.name,
            "received_by": who,
            **{k: report.get(k) for k in ("unit_code", "form_id", "period_code", "sequence")},
            "form_version": manifest["form"]["version"] if manifest else None,
            "form_publisher": manifest["form"].get("publisher", "") if manifest else "",
            "created_at": manifest["created_at"] if manifest else None,
            "signer_fingerprint": manifest["signer"]["fingerprint"] if manifest else None,
            "content_sha256": assessed.content,
            "status": PacketStatus(status),
            "reason": note,
            "manifest": manifest or None,
            "findings": checked.findings if checked else None,
            "error_count": checked.errors if checked else None,
            "villages": checked.villages if checked else None,
            **({"manifest_sha256": assessed.manifest_sha256} if assessed.manifest_sha256 else {}),
        }
        kept = raw if assessed.keep_file else None
        evaluated = (manifest["form"]["version"], figures_to_json(checked.figures)) if checked else None
        if packet_id is None:
            packet_id = gw.inbox.add(row, assessed.values, kept, evaluated)
        else:
            gw.inbox.refile(packet_id, row, list(assessed.values), kept, evaluated)
    return Filed(path, ImportOutcome(status), note, packet_id, **report)


def _quarantine_note(gw: Gateway, verdict: Verdict, ring: KeyRing) -> str:
    """Why a packet waits for a key, with the key's code computed from the key itself, and
    the key already on file for the unit, if any, with who holds it."""
    manifest = verdict.manifest
    fingerprint, unit = manifest["signer"]["fingerprint"], manifest["unit"]
    if ring.with_fingerprint(fingerprint) and verdict.trust_note:
        return f"Chưa tin cậy: {verdict.trust_note}"  # known, but enrolled for another unit
    note = (
        f"Chờ đăng ký khóa: chữ ký đúng nhưng khóa {spoken_fingerprint(fingerprint)} "
        f"({manifest['signer']['name'][:80]} ký) chưa được đăng ký cho {unit['name']}."
    )
    on_file = [k for k in gw.trust.of_unit(unit["code"]) if k["retired_at"] is None]
    if on_file:
        key = on_file[0]
        note += (
            f" Cảnh báo: máy này đã có khóa khác của {unit['name']}: {spoken_fingerprint(key['fingerprint'])} "
            f"của {key['holder_name']}. Chỉ đăng ký khóa mới sau khi gọi điện hỏi xã: đăng ký khóa mới "
            "thì khóa cũ thôi dùng."
        )
    return note


def _report_of(manifest: dict | None) -> dict:
    if not manifest:
        return {}
    return {
        "unit_code": manifest["unit"]["code"],
        "form_id": manifest["form"]["id"],
        "period_code": manifest["period"]["code"],
        "sequence": manifest["sequence"],
    }


def _refusal(gw: Gateway, manifest: dict, form: FormDef) -> str | None:
    unit, period = manifest["unit"], manifest["period"]
    home = gw.setting("home_unit")
    sender = gw.unit(unit["code"])
    if sender is None or not is_below(gw, sender.code, home):
        return f"gói của {unit['name']} ({unit['code']}), không phải đơn vị cấp dưới của đơn vị trên máy này."
    if sender.parent_code != home:  # each level collects from the one directly below (merge and completeness do)
        above = gw.unit(sender.parent_code)
        return (
            f"gói của {unit['name']} ({unit['code']}) phải gửi cho "
            f"{above.name if above else sender.parent_code}, không gửi thẳng lên đây."
        )
    if not gw.collections.is_open(form.id, period["code"]):
        return (
            f"chưa mở kỳ thu biểu {form.id}, {gw.period(period['code']).in_sentence}; "
            f"gói của {unit['name']} sẽ tự được nhận khi mở kỳ."
        )
    return None


def file_again(gw: Gateway, library: FormLibrary, *statuses: PacketStatus, who: str = "") -> list[Filed]:
    """File again, oldest first, the packets kept whole while they waited (for a key to be
    enrolled, a collection to open, a form version to arrive), each against what is known now;
    those still waiting stay as they are, their reason brought up to date."""
    ring = key_ring(gw)
    refiled = []
    for row in gw.inbox.to_file_again(*statuses):
        path = Path(row["file_name"])
        found = examine(gw, row["packet"], path, library, ring)
        if found.unreadable is not None:
            continue  # it was read once; whatever breaks now leaves it where it was
        try:
            assessed = judge(gw, found, library, ring)
        except BREAKS_READER:
            continue
        if assessed.status == row["status"]:
            gw.inbox.set_reason(row["id"], assessed.note)
            continue
        refiled.append(file_assessed(gw, path, row["file_sha256"], row["packet"], assessed, who, row["id"]))
    return refiled


def enrol_and_refile(
    gw: Gateway, enrolment: Enrolment, library: FormLibrary, who: str
) -> tuple[Enrolled, list[tuple[int, PacketStatus, str]]]:
    """Trust a key from its enrolment file, then file the packets that were waiting for it:
    the one action behind ``keys enrol`` and the window's enrolment dialog."""
    enrolled = enrol(gw, enrolment, who)
    refiled = file_again(gw, library, PacketStatus.QUARANTINED, who=who)
    return enrolled, [(f.packet_id, PacketStatus(f.outcome), f.message) for f in refiled]


def open_collection(
    gw: Gateway, form: FormDef, period_code: str, deadline: dt.date | str | None, library: FormLibrary | None = None
) -> str:
    """Start collecting a form for a period (``deadline`` a date, an ISO date or None), then file the
    packets that waited for it; the sentence that tells the officer so."""
    period = gw.period(period_code)
    if period.kind not in form.period_kinds:
        raise BadInput(f"Biểu {form.id} không lập theo kỳ {period.in_sentence}.")
    day = dt.date.fromisoformat(deadline) if isinstance(deadline, str) else deadline
    gw.collections.open(form.id, period.code, day.isoformat() if day else None)
    until = f", hạn nộp {vnformat.date(day)}" if day else ""
    refiled = file_again(gw, library or library_of(gw), PacketStatus.WAITING)
    filed = f" {len(refiled)} gói đang chờ kỳ này đã được nhận vào hộp thư." if refiled else ""
    return f"Đã mở kỳ thu biểu {form.id}, {period.in_sentence}{until}.{filed}"
