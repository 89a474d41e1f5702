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
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from exports.collect.figures import Figures, sent_values
from exports.collect.trust import Enrolled, enrol, is_below
from exports.packets.container import PacketInvalid, PacketUnreadable, read_packet_file
from exports.packets.enrolment import Enrolment, KeyRing, key_ring
from exports.packets.format import DATA_JSON, SUFFIX
from exports.packets.verify import Verdict, verify_packet_bytes
from forms import vnformat
from forms.library import FormLibrary
from forms.schema import FormDef
from models.errors import BadInput
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
            "counts": self.counts,
        }


def _listed(words: str) -> str:
    """“trùng lần gửi, khác nội dung” -> “trùng lần gửi (khác nội dung)”: its comma would split the list."""
    head, comma, rest = words.partition(", ")
    return f"{head} ({rest})" if comma else words


def packet_files(paths: Iterable[str | Path]) -> tuple[list[Path], int]:
    """The files to import: every path given, and the .sctg files in folders given."""
    files, ignored = [], 0
    for given in map(Path, paths):
        if given.is_dir():
            for found in sorted(given.rglob("*")):
                if found.is_file():
                    if found.suffix.lower() == SUFFIX:
                        files.append(found)
                    else:
                        ignored += 1
        elif given.exists():
            files.append(given)
        else:
            raise BadInput(f"Không tìm thấy “{given}”.")
    return files, ignored


def import_packets(
    gw: Gateway, paths: Iterable[str | Path], library: FormLibrary, who: str, progress: Progress | None = None
) -> ImportRun:
    files, ignored = packet_files(paths)
    if gw.setting("home_unit") is None:
        raise BadInput("Máy này chưa chọn đơn vị nhận báo cáo.")
    ring = key_ring(gw)
    filed: list[Filed] = []
    while len(filed) < len(files):
        # One commit, so one disk sync, per batch: on an old hard disk a sync per
        # packet costs more than the packet. Each packet is still filed whole or
        # not at all (its own savepoint), and a batch cut short by a crash is
        # simply imported again.
        with gw.transaction():
            until = time.monotonic() + BATCH_SECONDS
            for path in files[len(filed) : len(filed) + BATCH_PACKETS]:
                if progress is not None and progress(len(filed), len(files), path) is False:
                    return ImportRun(filed, ignored, cancelled=True)
                filed.append(import_packet(gw, path, library, ring, who))
                if time.monotonic() > until:
                    break
    if progress is not None:
        progress(len(files), len(files), Path())
    return ImportRun(filed, ignored, cancelled=False)


def import_packet(gw: Gateway, path: Path, library: FormLibrary, ring: KeyRing, who: str) -> Filed:
    try:
        raw = read_packet_file(path)
    except PacketUnreadable as exc:
        return Filed(path, ImportOutcome.NOT_PACKET, str(exc))
    file_sha = hashlib.sha256(raw).hexdigest()
    earlier = gw.inbox.status_of_file(file_sha)
    if earlier is not None:
        return Filed(path, ImportOutcome.UNCHANGED, f"Tệp này đã nhận từ trước; trạng thái: {earlier.words}.")
    verdict = verify_packet_bytes(raw, path, ring, library)
    if verdict.status == VerifyStatus.UNREADABLE:
        return Filed(path, ImportOutcome.NOT_PACKET, verdict.problems[0])
    manifest = verdict.manifest
    if verdict.status == VerifyStatus.INVALID:
        return _record(gw, path, file_sha, raw, manifest, None, [], PacketStatus.REJECTED, verdict.headline(), who)
    form = library.get(manifest["form"]["id"], manifest["form"]["version"])
    refusal = _refusal(gw, manifest, form)
    if refusal:
        return Filed(path, ImportOutcome.REFUSED, refusal, **_report_of(manifest))
    try:
        values = sent_values(gw, manifest, verdict.data, form)
    except PacketInvalid as exc:
        return _record(gw, path, file_sha, raw, manifest, None, [], PacketStatus.REJECTED, str(exc), who)
    content = hashlib.sha256(verdict.entries[DATA_JSON]).hexdigest()
    if verdict.status == VerifyStatus.UNTRUSTED:
        note = _quarantine_note(verdict, ring)
        return _record(gw, path, file_sha, raw, manifest, content, values, PacketStatus.QUARANTINED, note, who)
    return _record(gw, path, file_sha, raw, manifest, content, values, None, "", who)


def _quarantine_note(verdict: Verdict, ring: KeyRing) -> str:
    manifest = verdict.manifest
    if ring.with_fingerprint(manifest["signer"]["fingerprint"]):
        return f"Chưa tin cậy: {verdict.trust_note}"  # known, but replaced or enrolled for another unit
    return (
        f"Chờ đăng ký khóa: chữ ký đúng nhưng khóa {spoken_fingerprint(manifest['signer']['fingerprint'])} "
        f"chưa được đăng ký cho {manifest['unit']['name']}."
    )


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
        return f"Gói của {unit['name']} ({unit['code']}), không phải đơn vị cấp dưới của đơn vị trên máy này."
    if sender.parent_code != home:  # each level collects from the one directly below (merge and completeness do)
        above = gw.unit(sender.parent_code)
        return (
            f"Gói của {unit['name']} ({unit['code']}) phải gửi cho "
            f"{above.name if above else sender.parent_code}, không gửi thẳng lên đây."
        )
    if not gw.collections.is_open(form.id, period["code"]):
        return (
            f"Chưa mở kỳ thu biểu {form.id}, {gw.period(period['code']).in_sentence}; "
            f"mở kỳ (lệnh inbox open) rồi nhập lại gói của {unit['name']}."
        )
    return None


def _record(
    gw: Gateway,
    path: Path,
    file_sha: str,
    raw: bytes,
    manifest: dict | None,
    content: str | None,
    values: Figures,
    status: PacketStatus | None,
    note: str,
    who: str,
) -> Filed:
    """File the packet and its figures; a trusted one (``status`` None) is placed among its report's packets."""
    report = _report_of(manifest)
    with gw.transaction():
        if status is None:
            status, note = gw.inbox.place_trusted(report, content)
        if status == ImportOutcome.UNCHANGED:
            return Filed(path, ImportOutcome.UNCHANGED, note, **report)
        packet_id = gw.inbox.add(
            {
                "file_sha256": file_sha,
                "file_name": path.name,
                "received_by": who,
                **{k: report.get(k) for k in ("unit_code", "form_id", "period_code", "sequence")},
                "form_version": manifest["form"]["version"] if manifest else None,
                "created_at": manifest["created_at"] if manifest else None,
                "signer_fingerprint": manifest["signer"]["fingerprint"] if manifest else None,
                "content_sha256": content,
                "status": status,
                "reason": note,
                "manifest": manifest or None,
                "packet": raw if status != PacketStatus.REJECTED else None,
            },
            values,
        )
    return Filed(path, ImportOutcome(status), note, packet_id, **report)


def refile_quarantined(gw: Gateway, library: FormLibrary) -> list[tuple[int, PacketStatus, str]]:
    """File again, oldest first, the packets held for want of a trusted key,
    checking each against the keys enrolled now: (id, status, message)."""
    ring = key_ring(gw)
    refiled = []
    for row in gw.inbox.quarantined():
        verdict = verify_packet_bytes(row["packet"], Path(row["file_name"]), ring, library)
        if verdict.status != VerifyStatus.VALID:
            if verdict.status == VerifyStatus.UNTRUSTED:
                gw.inbox.set_reason(row["id"], _quarantine_note(verdict, ring))
            continue  # still waiting (a replaced key stays waiting, whatever is enrolled again)
        report = {k: row[k] for k in ("unit_code", "form_id", "period_code", "sequence")}
        status, note = gw.inbox.refile(row["id"], report, row["content_sha256"])
        refiled.append((row["id"], status, note))
    return refiled


def enrol_and_refile(
    gw: Gateway, enrolment: Enrolment, library: FormLibrary, who: str
) -> tuple[Enrolled, list[tuple[int, PacketStatus, str]]]:
    """Trust a key from its enrolment file, then file the packets that were waiting for it:
    the one action behind ``keys enrol`` and the window's enrolment dialog."""
    enrolled = enrol(gw, enrolment, who)
    return enrolled, refile_quarantined(gw, library)


def open_collection(gw: Gateway, form: FormDef, period_code: str, deadline: dt.date | str | None) -> str:
    """Start collecting a form for a period (``deadline`` a date, an ISO date or None); the sentence
    that tells the officer so."""
    period = gw.period(period_code)
    if period.kind not in form.period_kinds:
        raise BadInput(f"Biểu {form.id} không lập theo kỳ {period.in_sentence}.")
    day = dt.date.fromisoformat(deadline) if isinstance(deadline, str) else deadline
    gw.collections.open(form.id, period.code, day.isoformat() if day else None)
    until = f", hạn nộp {vnformat.date(day)}" if day else ""
    return f"Đã mở kỳ thu biểu {form.id}, {period.in_sentence}{until}."


def decide_conflict(gw: Gateway, packet_id: int, note: str, who: str) -> None:
    """Keep this packet of a conflict; the others of the same sequence are set aside, the decision recorded."""
    gw.inbox.decide(packet_id, note, who)
