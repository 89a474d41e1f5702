"""Packets received from the units below: verify, file, keep.

A report (unit, form, period) may arrive many times. By sequence number:

- accepted: the newest packet signed by a key enrolled for that unit;
- superseded: an older one, replaced by a later sequence (or set aside when a
  conflict was decided);
- stale: arrived after a newer one; refused, kept for the record;
- conflict: the same sequence with different content; both kept until the
  officer decides;
- quarantined: whole and signed, but the key is not enrolled for that unit;
  filed again when it is;
- rejected: altered or damaged, with the reason;
- returned: sent back with a query (exports/packets/receipt_file.py); the corrected
  packet comes with the next sequence.

The same file twice changes nothing. Each packet is filed, with its figures,
in its own transaction: an import stopped half way leaves whole packets.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from exports.collect.trust import is_below, key_ring
from exports.packets.container import PacketInvalid, PacketUnreadable, read_packet_file
from exports.packets.enrolment import KeyRing
from exports.packets.verify import verify_packet_bytes
from exports.packets.write import DATA_JSON, MERGED_KIND, SUFFIX
from forms.library import FormLibrary
from forms.schema import FormDef
from forms.values import LARGEST, ValueRejected, coerce
from models.errors import BadInput
from models.gateway import Gateway, now
from models.keys import spoken_fingerprint

STATUS_WORDS = {
    "accepted": "đã nhận",
    "superseded": "đã có bản mới hơn",
    "stale": "bản cũ, không nhận",
    "conflict": "trùng lần gửi, khác nội dung",
    "quarantined": "chờ đăng ký khóa",
    "rejected": "không hợp lệ",
    "returned": "đã trả lại, chờ bản sửa",
}
OUTCOME_WORDS = {
    **STATUS_WORDS,
    "unchanged": "đã nhận từ trước",
    "not_packet": "không phải gói",
    "refused": "không nhận",
}
FILED_TRUSTED = ("accepted", "superseded", "conflict", "returned")

Progress = Callable[[int, int, Path], bool]  # (done, total, file) -> False to stop
BATCH_PACKETS = 100
BATCH_SECONDS = 1.0


@dataclass(frozen=True)
class Filed:
    file: Path
    outcome: str  # a status of STATUS_WORDS, or unchanged, not_packet, refused
    message: str
    packet_id: int | None = None
    unit_code: str | None = None
    form_id: str | None = None
    period_code: str | None = None
    sequence: int | None = None


@dataclass(frozen=True)
class ImportRun:
    filed: list[Filed]
    ignored: int  # files in the folders given that are not packets by name
    cancelled: bool

    def count(self, outcome: str) -> int:
        return sum(1 for f in self.filed if f.outcome == outcome)


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
        return Filed(path, "not_packet", str(exc))
    file_sha = hashlib.sha256(raw).hexdigest()
    earlier = gw.db.execute(
        "SELECT status, received_at FROM received_packets WHERE file_sha256 = ?", [file_sha]
    ).fetchone()
    if earlier is not None:
        return Filed(path, "unchanged", f"Tệp này đã nhận từ trước; trạng thái: {STATUS_WORDS[earlier[0]]}.")
    verdict = verify_packet_bytes(raw, path, ring, library)
    if verdict.status == "khong_doc_duoc":
        return Filed(path, "not_packet", verdict.problems[0])
    manifest = verdict.manifest
    if verdict.status == "khong_hop_le":
        return _record(gw, path, file_sha, raw, manifest, None, [], "rejected", verdict.headline(), who)
    form = library.get(manifest["form"]["id"], manifest["form"]["version"])
    refusal = _refusal(gw, manifest, form)
    if refusal:
        return Filed(path, "refused", refusal, **_report_of(manifest))
    try:
        values = sent_values(gw, manifest, verdict.data, form)
    except PacketInvalid as exc:
        return _record(gw, path, file_sha, raw, manifest, None, [], "rejected", str(exc), who)
    content = hashlib.sha256(verdict.entries[DATA_JSON]).hexdigest()
    if verdict.status == "chua_tin_cay":
        note = _quarantine_note(verdict, ring)
        return _record(gw, path, file_sha, raw, manifest, content, values, "quarantined", note, who)
    return _record(gw, path, file_sha, raw, manifest, content, values, None, "", who)


def _quarantine_note(verdict, ring: KeyRing) -> str:
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
    opened = gw.db.execute(
        "SELECT 1 FROM collections WHERE form_id = ? AND period_code = ?", [form.id, period["code"]]
    ).fetchone()
    if opened is None:
        return (
            f"Chưa mở kỳ thu biểu {form.id}, {gw.period(period['code']).in_sentence}; "
            f"mở kỳ (lệnh inbox open) rồi nhập lại gói của {unit['name']}."
        )
    return None


def sent_values(gw: Gateway, manifest: dict, data: dict, form: FormDef) -> list[tuple[str, str, object, object]]:
    """(indicator, unit code, value, total) of a packet: typed cells from a commune,
    summed figures from a district or province that merged its own units."""
    unit = gw.require_unit(manifest["unit"]["code"])
    merged = manifest.get("kind") == MERGED_KIND
    if merged != (unit.tier != form.report_tier):
        raise PacketInvalid(
            f"{unit.name} phải gửi {'số liệu tự điền' if unit.tier == form.report_tier else 'bảng tổng hợp'} "
            f"của biểu {form.id}, nhưng gói lại là {'bảng tổng hợp' if merged else 'số liệu tự điền'}."
        )
    if merged:
        return merged_values(data, form, unit.code)
    return [(indicator, code, value, None) for indicator, code, value in packet_values(data, form, unit.code)]


def merged_values(data: dict, form: FormDef, unit_code: str) -> list[tuple[str, str, object, object]]:
    """The totals of a merged packet, each a count with its denominator; PacketInvalid otherwise."""
    try:
        figures = data["figures"]
        if not isinstance(figures, dict):
            raise TypeError
    except (KeyError, TypeError):
        raise PacketInvalid(f"tệp {DATA_JSON} của bảng tổng hợp thiếu mục “figures”.") from None
    checked = []
    for indicator, figure in figures.items():
        if not form.has_indicator(indicator) or not form.indicator(indicator).is_numeric:
            raise PacketInvalid(f"tệp {DATA_JSON} có chỉ tiêu “{indicator[:40]}” không có trong biểu {form.id}.")
        value, total = (figure.get("value"), figure.get("total")) if isinstance(figure, dict) else (None, None)
        for number in (value, total):
            if number is not None and (isinstance(number, bool) or not isinstance(number, int | float) or number < 0):
                raise PacketInvalid(f"tệp {DATA_JSON}, chỉ tiêu {indicator}: số liệu tổng hợp không hợp lệ.")
        if value is not None:
            checked.append((indicator, unit_code, value, total))
    return checked


def packet_values(data: dict, form: FormDef, unit_code: str) -> list[tuple[str, str, object]]:
    """(indicator, unit code, value) of so-lieu.json, each checked as if typed; PacketInvalid otherwise."""
    try:
        values = data["values"]
        commune, villages = values["commune"], values["villages"]
        if not isinstance(commune, dict) or not isinstance(villages, dict):
            raise TypeError
    except (KeyError, TypeError):
        raise PacketInvalid(f"tệp {DATA_JSON} thiếu mục số liệu “values”.") from None
    own = {ind.id: ind for ind in form.indicators}
    by_village = {ind.id: ind for ind in form.village_indicators}
    checked = _checked_cells(commune, own, unit_code, form)
    for code, row in villages.items():
        if not code.startswith(f"{unit_code}.") or not isinstance(row, dict):
            raise PacketInvalid(f"tệp {DATA_JSON} có bản mã “{code[:40]}” không thuộc {unit_code}.")
        checked += _checked_cells(row, by_village, code, form)
    return checked


def _checked_cells(row: dict, allowed: dict, code: str, form: FormDef) -> list[tuple[str, str, object]]:
    checked = []
    for indicator, raw in row.items():
        ind = allowed.get(indicator)
        if ind is None:
            raise PacketInvalid(f"tệp {DATA_JSON} có chỉ tiêu “{indicator[:40]}” không có trong biểu {form.id}.")
        if type(raw) is int and 0 <= raw <= (1 if ind.kind == "yesno" else LARGEST) and ind.is_numeric:
            # the usual cell, as the program writes it: no need for the typed-text parser
            checked.append((indicator, code, raw))
            continue
        try:
            value = coerce(ind, raw)
        except ValueRejected as exc:
            raise PacketInvalid(f"tệp {DATA_JSON}, ô {indicator} của {code}: {exc}") from None
        if value is not None:
            checked.append((indicator, code, value))
    return checked


def _record(gw, path, file_sha, raw, manifest, content, values, status, note, who) -> Filed:
    """Insert the packet and its figures, filing a trusted one among its report's packets."""
    report = _report_of(manifest)
    with gw.transaction():
        if status is None:
            status, note = _file_trusted(gw, report, content)
        if status == "unchanged":
            return Filed(path, status, note, **report)
        row = {
            "file_sha256": file_sha,
            "file_name": path.name,
            "received_at": now(),
            "received_by": who,
            **{k: report.get(k) for k in ("unit_code", "form_id", "period_code", "sequence")},
            "form_version": manifest["form"]["version"] if manifest else None,
            "created_at": manifest["created_at"] if manifest else None,
            "signer_fingerprint": manifest["signer"]["fingerprint"] if manifest else None,
            "content_sha256": content,
            "status": status,
            "reason": note,
            "manifest": json.dumps(manifest, ensure_ascii=False) if manifest else None,
            "packet": raw if status != "rejected" else None,
        }
        packet_id = gw.db.execute(  # plain SQL: sqlite-utils reads the schema on every insert
            f"INSERT INTO received_packets ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        ).lastrowid
        gw.db.conn.executemany(
            "INSERT INTO received_values (packet_id, indicator, unit_code, value, total) VALUES (?, ?, ?, ?, ?)",
            [(packet_id, *value) for value in values],
        )
    return Filed(path, status, note, packet_id, **report)


def _file_trusted(gw: Gateway, report: dict, content: str, packet_id: int | None = None) -> tuple[str, str]:
    """Where a trusted packet goes among the others of its report, marking those it replaces."""
    key = [report["unit_code"], report["form_id"], report["period_code"]]
    others = gw.db.execute(
        "SELECT id, sequence, content_sha256 FROM received_packets WHERE unit_code = ? AND form_id = ? "
        f"AND period_code = ? AND status IN {FILED_TRUSTED} AND id IS NOT ?",
        [*key, packet_id],
    ).fetchall()
    sequence = report["sequence"]
    head = max((s for _, s, _ in others), default=None)
    if head is None or sequence > head:
        gw.db.execute(
            "UPDATE received_packets SET status = 'superseded', reason = ? WHERE unit_code = ? AND form_id = ? "
            "AND period_code = ? AND status IN ('accepted', 'conflict') AND id IS NOT ?",
            [f"Đã có lần gửi {sequence} mới hơn.", *key, packet_id],
        )
        replaced = f", thay lần gửi {head}" if head is not None else ""
        return "accepted", f"Đã nhận lần gửi {sequence}{replaced}."
    if sequence < head:
        return "stale", f"Bản cũ: đã có lần gửi {head} mới hơn; không nhận lần gửi {sequence}."
    if any(c == content for _, s, c in others if s == sequence):
        return "unchanged", f"Đã có gói lần gửi {sequence} cùng nội dung."
    gw.db.execute(
        "UPDATE received_packets SET status = 'conflict', reason = ? WHERE unit_code = ? AND form_id = ? "
        "AND period_code = ? AND sequence = ? AND status = 'accepted'",
        [f"Trùng lần gửi {sequence} với một gói khác nội dung; chờ quyết định.", *key, sequence],
    )
    return "conflict", f"Trùng lần gửi {sequence} nhưng khác nội dung gói đã nhận; giữ cả hai chờ quyết định."


def refile_quarantined(gw: Gateway, library: FormLibrary) -> list[tuple[int, str, str]]:
    """File again, oldest first, the packets held for want of a trusted key,
    checking each against the keys enrolled now: (id, status, message)."""
    ring = key_ring(gw)
    rows = gw.db.execute(
        "SELECT id, unit_code, form_id, period_code, sequence, content_sha256, file_name, packet "
        "FROM received_packets WHERE status = 'quarantined' ORDER BY sequence, id"
    ).fetchall()
    refiled = []
    for packet_id, unit, form_id, period_code, sequence, content, name, raw in rows:
        verdict = verify_packet_bytes(raw, Path(name), ring, library)
        if verdict.status != "hop_le":
            if verdict.status == "chua_tin_cay":
                gw.db["received_packets"].update(packet_id, {"reason": _quarantine_note(verdict, ring)})
            continue  # still waiting (a replaced key stays waiting, whatever is enrolled again)
        report = {"unit_code": unit, "form_id": form_id, "period_code": period_code, "sequence": sequence}
        with gw.transaction():
            status, note = _file_trusted(gw, report, content, packet_id)
            if status == "unchanged":
                status = "superseded"
            gw.db["received_packets"].update(packet_id, {"status": status, "reason": note})
        refiled.append((packet_id, status, note))
    return refiled


def decide_conflict(gw: Gateway, packet_id: int, note: str, who: str) -> None:
    """Keep this packet of a conflict; the others of the same sequence are set aside, the decision recorded."""
    row = gw.db.execute(
        "SELECT unit_code, form_id, period_code, sequence, status FROM received_packets WHERE id = ?", [packet_id]
    ).fetchone()
    if row is None or row[4] != "conflict":
        raise BadInput("Chỉ chọn được giữa các gói đang trùng lần gửi.")
    if not note.strip():
        raise BadInput("Hãy ghi lý do chọn gói này.")
    stamp = now()
    with gw.transaction():
        gw.db.execute(
            "UPDATE received_packets SET status = 'superseded', decided_at = ?, decided_by = ?, decision = ?, "
            "reason = ? WHERE unit_code = ? AND form_id = ? AND period_code = ? AND sequence = ? "
            "AND status = 'conflict'",
            [stamp, who, note.strip(), f"Không chọn khi trùng lần gửi: {note.strip()}", *row[:4]],
        )
        gw.db["received_packets"].update(
            packet_id,
            {
                "status": "accepted",
                "decided_at": stamp,
                "decided_by": who,
                "decision": note.strip(),
                "reason": f"Được chọn khi trùng lần gửi: {note.strip()}",
            },
        )


def received_packets(
    gw: Gateway, *, form_id: str | None = None, period_code: str | None = None, status: str | None = None
) -> list[dict]:
    """The inbox as rows, by report then sequence; each filter applies when given."""
    chosen = {"form_id": form_id, "period_code": period_code, "status": status}
    where = " AND ".join([f"{column} = ?" for column, value in chosen.items() if value] or ["1 = 1"])
    return list(
        gw.db.query(
            "SELECT id, file_name, received_at, unit_code, form_id, period_code, sequence, status, reason, decision "
            f"FROM received_packets WHERE {where} ORDER BY unit_code, form_id, period_code, sequence, id",
            [value for value in chosen.values() if value],
        )
    )


def open_collection(gw: Gateway, form: FormDef, period_code: str, deadline: str | None) -> None:
    """Start collecting a form for a period (``deadline`` ISO date or None)."""
    period = gw.period(period_code)
    if period.kind not in form.period_kinds:
        raise BadInput(f"Biểu {form.id} không lập theo kỳ {period.in_sentence}.")
    with gw.transaction():
        gw.db["collections"].upsert(
            {"form_id": form.id, "period_code": period.code, "deadline": deadline, "opened_at": now()},
            pk=("form_id", "period_code"),
        )
