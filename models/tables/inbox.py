"""received_packets and received_values: every packet the upper level
received, whole, with how it was filed, and the figures of each one that
verified.

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
  next sequence.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from models.clock import now
from models.errors import BadInput
from models.vocabulary import FILED_TRUSTED, ImportOutcome, PacketStatus

if TYPE_CHECKING:
    from models.gateway import Gateway

# What the screens read of a packet: everything but the file itself.
_LISTED = (
    "id, file_name, received_at, unit_code, form_id, form_version, period_code, sequence, created_at, "
    "status, reason, decision, decided_by, signer_fingerprint, manifest"
)
_PACKET_COLUMNS = (
    "file_sha256",
    "file_name",
    "received_at",
    "received_by",
    "unit_code",
    "form_id",
    "form_version",
    "period_code",
    "sequence",
    "created_at",
    "signer_fingerprint",
    "content_sha256",
    "status",
    "reason",
    "manifest",
    "packet",
)
_INSERT_PACKET = (
    f"INSERT INTO received_packets ({', '.join(_PACKET_COLUMNS)}) VALUES ({', '.join('?' * len(_PACKET_COLUMNS))})"
)
_STATUSES_TRUSTED = f"({', '.join(repr(str(s)) for s in FILED_TRUSTED)})"


class Inbox:
    def __init__(self, gw: Gateway):
        self.gw = gw

    # ---- filing -------------------------------------------------------------------------

    def status_of_file(self, file_sha256: str) -> PacketStatus | None:
        """How the file with this hash was filed, if it was received before."""
        row = self.gw.db.execute("SELECT status FROM received_packets WHERE file_sha256 = ?", [file_sha256]).fetchone()
        return PacketStatus(row[0]) if row else None

    def add(self, packet: dict, values: list[tuple]) -> int:
        """File one packet (the columns of _PACKET_COLUMNS; received_at is now) with its figures,
        (indicator, unit code, value, total) each; both or neither. Its id."""
        row = {**packet, "received_at": now(), "manifest": _manifest_text(packet.get("manifest"))}
        with self.gw.transaction():
            # Plain SQL: sqlite-utils reads the schema on every insert, and an import files thousands.
            packet_id = self.gw.db.execute(_INSERT_PACKET, [row.get(c) for c in _PACKET_COLUMNS]).lastrowid
            self.gw.db.conn.executemany(
                "INSERT INTO received_values (packet_id, indicator, unit_code, value, total) VALUES (?, ?, ?, ?, ?)",
                [(packet_id, *value) for value in values],
            )
        return packet_id

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
                "AND period_code = ? AND status IN (?, ?) AND id IS NOT ?",
                [
                    PacketStatus.SUPERSEDED,
                    f"Đã có lần gửi {sequence} mới hơn.",
                    *key,
                    PacketStatus.ACCEPTED,
                    PacketStatus.CONFLICT,
                    packet_id,
                ],
            )
            replaced = f", thay lần gửi {head}" if head is not None else ""
            return ImportOutcome.ACCEPTED, f"Đã nhận lần gửi {sequence}{replaced}."
        if sequence < head:
            return ImportOutcome.STALE, f"Bản cũ: đã có lần gửi {head} mới hơn; không nhận lần gửi {sequence}."
        if any(c == content_sha256 for _, s, c in others if s == sequence):
            return ImportOutcome.UNCHANGED, f"Đã có gói lần gửi {sequence} cùng nội dung."
        self.gw.db.execute(
            "UPDATE received_packets SET status = ?, reason = ? WHERE unit_code = ? AND form_id = ? "
            "AND period_code = ? AND sequence = ? AND status = ?",
            [
                PacketStatus.CONFLICT,
                f"Trùng lần gửi {sequence} với một gói khác nội dung; chờ quyết định.",
                *key,
                sequence,
                PacketStatus.ACCEPTED,
            ],
        )
        return (
            ImportOutcome.CONFLICT,
            f"Trùng lần gửi {sequence} nhưng khác nội dung gói đã nhận; giữ cả hai chờ quyết định.",
        )

    def quarantined(self) -> list[dict]:
        """The packets held for want of a trusted key, oldest sequence first, with their files."""
        return list(
            self.gw.db.query(
                "SELECT id, unit_code, form_id, period_code, sequence, content_sha256, file_name, packet "
                "FROM received_packets WHERE status = ? ORDER BY sequence, id",
                [PacketStatus.QUARANTINED],
            )
        )

    def refile(self, packet_id: int, report: dict, content_sha256: str) -> tuple[PacketStatus, str]:
        """A quarantined packet whose key is now trusted, filed among its report's packets."""
        with self.gw.transaction():
            status, note = self.place_trusted(report, content_sha256, packet_id)
            if status == ImportOutcome.UNCHANGED:
                status = ImportOutcome.SUPERSEDED
            status = PacketStatus(status)
            self.set_status(packet_id, status, note)
        return status, note

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
        row = self.gw.db.execute(
            "SELECT unit_code, form_id, period_code, sequence, status FROM received_packets WHERE id = ?",
            [packet_id],
        ).fetchone()
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
            self.gw.db.execute(
                "UPDATE received_packets SET status = ?, decided_at = ?, decided_by = ?, decision = ?, reason = ? "
                "WHERE id = ?",
                [PacketStatus.ACCEPTED, stamp, who, note, f"Được chọn khi trùng lần gửi: {note}", packet_id],
            )

    # ---- reading ------------------------------------------------------------------------

    def get(self, packet_id: int) -> dict | None:
        """Every column of one packet, its file included."""
        rows = list(self.gw.db.query("SELECT * FROM received_packets WHERE id = ?", [packet_id]))
        return rows[0] if rows else None

    def listed(self, packet_id: int) -> dict | None:
        """One packet as the screens read it (no file)."""
        rows = list(self.gw.db.query(f"SELECT {_LISTED} FROM received_packets WHERE id = ?", [packet_id]))
        return rows[0] if rows else None

    def newest_first(self, *, form_id: str | None = None, period_code: str | None = None) -> list[dict]:
        """The inbox as the screens read it, newest first; each filter applies when given."""
        where, args = _filters(form_id=form_id, period_code=period_code)
        return list(
            self.gw.db.query(
                f"SELECT {_LISTED} FROM received_packets WHERE {where} ORDER BY received_at DESC, id DESC", args
            )
        )

    def by_report(
        self, *, form_id: str | None = None, period_code: str | None = None, status: str | None = None
    ) -> list[dict]:
        """The inbox for a listing: by report then sequence; each filter applies when given."""
        where, args = _filters(form_id=form_id, period_code=period_code, status=status)
        return list(
            self.gw.db.query(
                "SELECT id, file_name, received_at, unit_code, form_id, period_code, sequence, status, reason, "
                f"decision FROM received_packets WHERE {where} "
                "ORDER BY unit_code, form_id, period_code, sequence, id",
                args,
            )
        )

    def in_conflict_with(self, packet: dict) -> list[dict]:
        """The packets in conflict of the same unit, form, period and sequence, as the screens read them."""
        return list(
            self.gw.db.query(
                f"SELECT {_LISTED} FROM received_packets WHERE unit_code = ? AND form_id = ? AND period_code = ? "
                "AND sequence = ? AND status = ? ORDER BY id",
                [
                    packet["unit_code"],
                    packet["form_id"],
                    packet["period_code"],
                    packet["sequence"],
                    PacketStatus.CONFLICT,
                ],
            )
        )

    def file_of(self, packet_id: int) -> tuple[str, bytes | None] | None:
        """(file name, the packet's bytes: None for a rejected one) of a received packet."""
        row = self.gw.db.execute("SELECT file_name, packet FROM received_packets WHERE id = ?", [packet_id]).fetchone()
        return (row[0], row[1]) if row else None

    def unit_of(self, packet_id: int) -> str | None:
        row = self.gw.db.execute("SELECT unit_code FROM received_packets WHERE id = ?", [packet_id]).fetchone()
        return row[0] if row else None

    def values(self, packet_id: int) -> dict[tuple[str, str], int | str]:
        """(indicator, unit code) -> value: the commune's own cells and its villages'."""
        rows = self.gw.db.execute(
            "SELECT indicator, unit_code, value FROM received_values WHERE packet_id = ?", [packet_id]
        )
        return {(indicator, code): value for indicator, code, value in rows}

    def totals(self, packet_id: int) -> dict[str, tuple]:
        """indicator -> (value, denominator): the figures of a merged packet."""
        rows = self.gw.db.execute(
            "SELECT indicator, value, total FROM received_values WHERE packet_id = ?", [packet_id]
        )
        return {indicator: (value, total) for indicator, value, total in rows}

    def accepted(self, form_id: str, period_code: str) -> list[tuple[int, str, int]]:
        """(packet id, unit code, sequence) of the accepted packets of a form and period."""
        rows = self.gw.db.execute(
            "SELECT id, unit_code, sequence FROM received_packets WHERE form_id = ? AND period_code = ? AND status = ?",
            [form_id, period_code, PacketStatus.ACCEPTED],
        )
        return [tuple(row) for row in rows]

    def of_report(self, unit_code: str, form_id: str, period_code: str) -> list[dict]:
        """Every packet of one report, newest sequence first: status, sequence, received_at, manifest, id."""
        return list(
            self.gw.db.query(
                "SELECT status, sequence, received_at, manifest, id FROM received_packets "
                "WHERE unit_code = ? AND form_id = ? AND period_code = ? ORDER BY sequence DESC, id DESC",
                [unit_code, form_id, period_code],
            )
        )

    def units_in_conflict(self, form_id: str, period_code: str) -> list[str]:
        """The units with two packets of one sequence still waiting for the officer's decision."""
        rows = self.gw.db.execute(
            "SELECT DISTINCT unit_code FROM received_packets WHERE form_id = ? AND period_code = ? AND status = ?",
            [form_id, period_code, PacketStatus.CONFLICT],
        )
        return [code for (code,) in rows]


def _filters(**chosen) -> tuple[str, list]:
    """A WHERE clause over fixed column names (never the caller's text), with the values given."""
    given = {column: value for column, value in chosen.items() if value}
    return " AND ".join([f"{column} = ?" for column in given] or ["1 = 1"]), list(given.values())


def _manifest_text(manifest) -> str | None:
    if manifest is None or isinstance(manifest, str):
        return manifest
    return json.dumps(manifest, ensure_ascii=False)
