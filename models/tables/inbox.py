"""received_packets and received_figures: every packet the upper level
received, with how it was filed (its file kept whole beside the database,
models/packet_store.py), and the figures of each one that verified.

A report (unit, form, period) may arrive many times; the statuses
(models/vocabulary.PacketStatus) move only here:

- accepted: the newest packet signed by a key enrolled for that unit;
- superseded: an older one, replaced by a later sequence (or set aside when
  a conflict was decided);
- stale: arrived after a newer one; refused, kept for the record;
- conflict: the same sequence with different content; both kept until the
  officer decides;
- quarantined: whole and signed, but the key is not enrolled for that unit;
  filed again when it is;
- rejected: altered or damaged, with the reason;
- returned: sent back with a query; the corrected packet comes with the
  next sequence;
- flawed: trusted, but the form's rules, run again here, find errors in its
  figures; placed among its report's packets like an accepted one, never
  summed until the officer counts it (a decision, with a reason) or the
  corrected packet replaces it;
- held: trusted, but something only the officer can confirm (a retired key,
  villages new or gone, a sequence far ahead); it takes no place among its
  report's packets, so it can lock nothing out, until confirmed;
- waiting: refused for a reason that can go away (a form version this
  program lacks, a collection not opened, a unit not yet below); kept whole
  and filed again when that reason is gone;
- voided: set aside by the officer (a forged or mistaken sequence); the
  report's other packets are placed again as if it had never come.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from models.clock import now
from models.errors import BadInput
from models.tables.inbox_reads import InboxReads
from models.vocabulary import FILED_TRUSTED, ImportOutcome, PacketStatus

Figures = list[tuple[str, str, object, object]] | tuple  # (indicator, unit code, value, denominator or None)
Evaluated = tuple[int, dict]  # (form version, {indicator: [value, denominator, percent, typed, applicable]})

_PACKET_COLUMNS = (
    "file_sha256",
    "file_name",
    "received_at",
    "received_by",
    "unit_code",
    "form_id",
    "form_version",
    "form_publisher",
    "period_code",
    "sequence",
    "created_at",
    "signer_fingerprint",
    "content_sha256",
    "status",
    "reason",
    "manifest",
    "file_kept",
    "findings",
    "error_count",
    "villages",
    "manifest_sha256",
)
_INSERT_PACKET = (
    f"INSERT INTO received_packets ({', '.join(_PACKET_COLUMNS)}) VALUES ({', '.join('?' * len(_PACKET_COLUMNS))})"
)
_STATUSES_TRUSTED = f"({', '.join(repr(str(s)) for s in FILED_TRUSTED)})"


class Inbox(InboxReads):
    """Filing and the status machine; what the screens read is in InboxReads."""

    # ---- filing -------------------------------------------------------------------------

    def add(self, packet: dict, values: Figures, raw: bytes | None = None, evaluated: Evaluated | None = None) -> int:
        """File one packet (the columns of _PACKET_COLUMNS; received_at is now) with its figures, each
        (indicator, unit code, value, total), and the file itself when ``raw`` is given (kept beside the
        database, named by file_sha256): all or nothing. ``evaluated``: (form version, the unit's figures
        as this level evaluated them), which the merge adds up. Its id."""
        row = {**packet, "received_at": now(), "file_kept": raw is not None, **_json_columns(packet)}
        row["form_publisher"] = row.get("form_publisher") or ""  # a shipped form's packet names none
        if raw is not None:
            self.gw.packet_files.put(raw, packet["file_sha256"])
            row.setdefault("manifest_sha256", manifest_sha256_of(raw))
        with self.gw.transaction():
            # Plain SQL: sqlite-utils reads the schema on every insert, and an import files thousands.
            packet_id = self.gw.db.execute(_INSERT_PACKET, [row.get(c) for c in _PACKET_COLUMNS]).lastrowid
            self._file_figures(packet_id, values, evaluated)
        return packet_id

    def _file_figures(self, packet_id: int, values: Figures, evaluated: Evaluated | None) -> None:
        if not values and evaluated is None:
            return
        cells: dict[str, dict] = {}
        totals = {}
        for indicator, unit_code, value, total in values:
            cells.setdefault(unit_code, {})[indicator] = value
            if total is not None:
                totals[indicator] = total
        version, figures = evaluated or (None, None)
        self.gw.db.execute(
            "INSERT INTO received_figures (packet_id, cells, totals, form_version, figures) VALUES (?, ?, ?, ?, ?)",
            [
                packet_id,
                json.dumps(cells, ensure_ascii=False),
                json.dumps(totals) if totals else None,
                version,
                json.dumps(figures, ensure_ascii=False) if figures is not None else None,
            ],
        )

    def keep_figures(self, evaluated: dict[int, Evaluated]) -> None:
        """The figures of packets filed before they were kept (by an earlier version), evaluated since with
        the packet's own form version: kept, so the next merge adds them up without evaluating them again."""
        with self.gw.transaction():
            self.gw.db.conn.executemany(
                "UPDATE received_figures SET form_version = ?, figures = ? WHERE packet_id = ? AND figures IS NULL",
                [(version, json.dumps(figures), packet_id) for packet_id, (version, figures) in evaluated.items()],
            )

    def place_trusted(
        self, report: dict, content_sha256: str, packet_id: int | None = None
    ) -> tuple[ImportOutcome, str]:
        """Where a trusted packet of ``report`` (unit_code, form_id, period_code, sequence) goes among the
        others of its report, marking those it replaces: (status, why). ``unchanged`` for a copy of a
        packet already filed. Call inside the transaction that files the packet."""
        key = [report["unit_code"], report["form_id"], report["period_code"]]
        others = self.gw.db.execute(
            "SELECT id, sequence, content_sha256 FROM received_packets WHERE unit_code = ? AND form_id = ? "
            f"AND period_code = ? AND status IN {_STATUSES_TRUSTED} AND id IS NOT ?",
            [*key, packet_id],
        ).fetchall()
        sequence = report["sequence"]
        head = max((s for _, s, _ in others), default=None)
        if head is None or sequence > head:
            self.gw.db.execute(
                "UPDATE received_packets SET status = ?, reason = ? WHERE unit_code = ? AND form_id = ? "
                "AND period_code = ? AND status IN (?, ?, ?) AND id IS NOT ?",
                [
                    PacketStatus.SUPERSEDED,
                    f"Đã có lần gửi {sequence} mới hơn.",
                    *key,
                    PacketStatus.ACCEPTED,
                    PacketStatus.CONFLICT,
                    PacketStatus.FLAWED,
                    packet_id,
                ],
            )
            replaced = f", thay lần gửi {head}" if head is not None else ""
            return ImportOutcome.ACCEPTED, f"Đã nhận lần gửi {sequence}{replaced}."
        if sequence < head:
            note = f"Bản cũ: đã có lần gửi {head} mới hơn; không nhận lần gửi {sequence}."
            made = self.gw.db.execute(
                "SELECT MAX(created_at) FROM received_packets WHERE unit_code = ? AND form_id = ? "
                f"AND period_code = ? AND status IN {_STATUSES_TRUSTED} AND sequence = ?",
                [*key, head],
            ).fetchone()[0]
            if made and report.get("created_at") and report["created_at"] > made:
                note += (
                    f" Gói này lại tạo sau gói lần {head}: có thể máy xã đã khôi phục bản sao lưu cũ. "
                    "Nếu đúng là bản xã muốn gửi, cán bộ có thể nhận gói này (ghi lý do)."
                )
            return ImportOutcome.STALE, note
        if any(c == content_sha256 for _, s, c in others if s == sequence):
            return ImportOutcome.UNCHANGED, f"Đã có gói lần gửi {sequence} cùng nội dung."
        self.gw.db.execute(
            "UPDATE received_packets SET status = ?, reason = ? WHERE unit_code = ? AND form_id = ? "
            "AND period_code = ? AND sequence = ? AND status IN (?, ?)",
            [
                PacketStatus.CONFLICT,
                f"Trùng lần gửi {sequence} với một gói khác nội dung; chờ quyết định.",
                *key,
                sequence,
                PacketStatus.ACCEPTED,
                PacketStatus.FLAWED,
            ],
        )
        return (
            ImportOutcome.CONFLICT,
            f"Trùng lần gửi {sequence} nhưng khác nội dung gói đã nhận; giữ cả hai chờ quyết định.",
        )

    def to_file_again(self, *statuses: PacketStatus) -> list[dict]:
        """The packets of these statuses (held for a key, or waiting), oldest sequence first, with their
        files (``packet``)."""
        marks = ", ".join("?" * len(statuses))
        rows = self.gw.db.query(
            "SELECT id, file_sha256, unit_code, form_id, period_code, sequence, status, content_sha256, "
            f"file_name, file_kept FROM received_packets WHERE status IN ({marks}) ORDER BY sequence, id",
            list(statuses),
        )
        return [self._with_file(row) for row in rows]

    def row_of_file(self, file_sha256: str) -> dict | None:
        """The packet filed from this very file (id, status, file_name, file_kept), or None."""
        rows = list(
            self.gw.db.query(
                "SELECT id, status, file_name, file_kept FROM received_packets WHERE file_sha256 = ?", [file_sha256]
            )
        )
        return rows[0] if rows else None

    def refile(
        self,
        packet_id: int,
        packet: dict,
        values: Figures | None,
        raw: bytes | None = None,
        evaluated: Evaluated | None = None,
    ) -> None:
        """A packet filed again (its key now trusted, its reason to wait gone): the columns given, its
        file kept when ``raw`` is given, and its figures replaced when ``values`` is not None."""
        given = {**packet, **_json_columns(packet)}
        if raw is not None:
            self.gw.packet_files.put(raw, packet["file_sha256"])
            given["file_kept"] = True
        columns = [c for c in _PACKET_COLUMNS if c in given and c != "file_sha256"]
        with self.gw.transaction():
            self.gw.db.execute(
                f"UPDATE received_packets SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?",
                [*(given[c] for c in columns), packet_id],
            )
            if values is not None:
                self.gw.db.execute("DELETE FROM received_figures WHERE packet_id = ?", [packet_id])
                self._file_figures(packet_id, values, evaluated)

    def head(self, report: dict) -> int | None:
        """The highest sequence of a report's trusted packets: the one a new packet is placed against."""
        return self.gw.db.execute(
            "SELECT MAX(sequence) FROM received_packets WHERE unit_code = ? AND form_id = ? AND period_code = ? "
            f"AND status IN {_STATUSES_TRUSTED}",
            [report["unit_code"], report["form_id"], report["period_code"]],
        ).fetchone()[0]

    def last_villages(self, unit_code: str) -> list[list] | None:
        """[[code, name, active]] of the unit's latest trusted packet that listed villages; None before any."""
        row = self.gw.db.execute(
            f"SELECT villages FROM received_packets WHERE unit_code = ? AND status IN {_STATUSES_TRUSTED} "
            "AND villages IS NOT NULL ORDER BY id DESC LIMIT 1",
            [unit_code],
        ).fetchone()
        return json.loads(row[0]) if row else None

    def record_decision(self, packet_id: int, status: PacketStatus, note: str, who: str, reason: str) -> None:
        """The officer's decision on one packet, with its new status and what the inbox says of it."""
        self.gw.db.execute(
            "UPDATE received_packets SET status = ?, decided_at = ?, decided_by = ?, decision = ?, reason = ? "
            "WHERE id = ?",
            [status, now(), who, note, reason, packet_id],
        )

    def void(self, packet_ids: list[int], note: str, who: str) -> None:
        """Set packets aside for good (a forged or mistaken sequence), then place their report's others again."""
        with self.gw.transaction():
            for packet_id in packet_ids:
                self.record_decision(packet_id, PacketStatus.VOIDED, note, who, f"Đã hủy: {note}")
            for report in {self._report_key(packet_id) for packet_id in packet_ids}:
                self.settle(report)

    def settle(self, key: tuple[str, str, str]) -> None:
        """Place a report's packets again after some were voided: the newest remaining sequence leads
        (accepted, or flawed while its errors are not decided), the others are superseded. Packets
        returned or in conflict stay as they are; one not chosen in a conflict stays superseded."""
        rows = self.gw.db.execute(
            "SELECT id, sequence, status, error_count, decision FROM received_packets WHERE unit_code = ? "
            "AND form_id = ? AND period_code = ? AND status IN (?, ?, ?, ?, ?, ?) ORDER BY sequence DESC, id DESC",
            [
                *key,
                PacketStatus.ACCEPTED,
                PacketStatus.SUPERSEDED,
                PacketStatus.STALE,
                PacketStatus.FLAWED,
                PacketStatus.RETURNED,
                PacketStatus.CONFLICT,
            ],
        ).fetchall()
        movable = [r for r in rows if r[2] not in (PacketStatus.RETURNED, PacketStatus.CONFLICT)]
        movable = [r for r in movable if not (r[2] == PacketStatus.SUPERSEDED and r[4])]
        fixed_head = max((r[1] for r in rows if r[2] in (PacketStatus.RETURNED, PacketStatus.CONFLICT)), default=0)
        if not movable:
            return
        leader = movable[0]
        leads = leader[1] > fixed_head
        for packet_id, sequence, _, errors, decision in movable:
            if packet_id == leader[0] and leads:
                status = PacketStatus.FLAWED if errors and not decision else PacketStatus.ACCEPTED
                reason = f"Lần gửi {sequence} là bản mới nhất còn lại sau khi hủy gói."
            else:
                status, reason = PacketStatus.SUPERSEDED, f"Đã có lần gửi {max(leader[1], fixed_head)} mới hơn."
            self.gw.db.execute(
                "UPDATE received_packets SET status = ?, reason = ? WHERE id = ?", [status, reason, packet_id]
            )

    def later_trusted(self, packet_id: int) -> list[int]:
        """The trusted packets of the same report with a higher sequence than this one."""
        key = self._report_key(packet_id)
        sequence = self.gw.db.execute("SELECT sequence FROM received_packets WHERE id = ?", [packet_id]).fetchone()[0]
        rows = self.gw.db.execute(
            "SELECT id FROM received_packets WHERE unit_code = ? AND form_id = ? AND period_code = ? "
            f"AND status IN {_STATUSES_TRUSTED} AND sequence >= ? AND id != ?",
            [*key, sequence, packet_id],
        )
        return [r[0] for r in rows]

    def _report_key(self, packet_id: int) -> tuple[str, str, str]:
        row = self.gw.db.execute(
            "SELECT unit_code, form_id, period_code FROM received_packets WHERE id = ?", [packet_id]
        ).fetchone()
        return tuple(row)

    def set_status(self, packet_id: int, status: PacketStatus, reason: str) -> None:
        with self.gw.transaction():
            self.gw.db.execute(
                "UPDATE received_packets SET status = ?, reason = ? WHERE id = ?", [status, reason, packet_id]
            )

    def set_reason(self, packet_id: int, reason: str) -> None:
        with self.gw.transaction():
            self.gw.db.execute("UPDATE received_packets SET reason = ? WHERE id = ?", [reason, packet_id])

    def send_back(self, packet_id: int, note: str) -> None:
        """Returned with a query: set aside until the corrected packet (the next sequence) arrives."""
        self.set_status(packet_id, PacketStatus.RETURNED, f"Đã trả lại: {note}")

    def decide(self, packet_id: int, note: str, who: str) -> None:
        """Keep this packet of a conflict; the others of the same sequence are set aside, the decision recorded."""
        row = self.listed(packet_id)
        row = row and (row["unit_code"], row["form_id"], row["period_code"], row["sequence"], row["status"])
        if row is None or row[4] != PacketStatus.CONFLICT:
            raise BadInput("Chỉ chọn được giữa các gói đang trùng lần gửi.")
        note = note.strip()
        if not note:
            raise BadInput("Hãy ghi lý do chọn gói này.")
        stamp = now()
        with self.gw.transaction():
            self.gw.db.execute(
                "UPDATE received_packets SET status = ?, decided_at = ?, decided_by = ?, decision = ?, reason = ? "
                "WHERE unit_code = ? AND form_id = ? AND period_code = ? AND sequence = ? AND status = ?",
                [
                    PacketStatus.SUPERSEDED,
                    stamp,
                    who,
                    note,
                    f"Không chọn khi trùng lần gửi: {note}",
                    *row[:4],
                    PacketStatus.CONFLICT,
                ],
            )
            errors = self.gw.db.execute("SELECT error_count FROM received_packets WHERE id = ?", [packet_id]).fetchone()
            chosen = PacketStatus.FLAWED if errors[0] else PacketStatus.ACCEPTED
            self.gw.db.execute(
                "UPDATE received_packets SET status = ?, decided_at = ?, decided_by = ?, decision = ?, reason = ? "
                "WHERE id = ?",
                [chosen, stamp, who, note, f"Được chọn khi trùng lần gửi: {note}", packet_id],
            )


def manifest_sha256_of(raw: bytes | None) -> str | None:
    """The SHA-256 of a stored packet's manifest.json (its paper copy prints the first digits as the
    packet's code), kept at filing so no listing unzips a packet; None without a readable file."""
    if raw is None:
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            info = archive.getinfo("manifest.json")
            if info.file_size > _MANIFEST_MAX_BYTES:
                return None
            return hashlib.sha256(archive.read(info)).hexdigest()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        return None


_MANIFEST_MAX_BYTES = 1024 * 1024  # a manifest is a few KB; a stored packet passed the reader's limits


def _json_columns(packet: dict) -> dict:
    """The columns held as JSON text, written as such."""
    return {
        column: json.dumps(packet[column], ensure_ascii=False)
        for column in ("manifest", "findings", "villages")
        if column in packet and packet[column] is not None and not isinstance(packet[column], str)
    }
