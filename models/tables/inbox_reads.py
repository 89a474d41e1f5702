"""What the upper level's screens and listings read of the inbox (received_packets
and received_figures, and the files kept beside the database); filing and the
statuses are in models/tables/inbox.py."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from models.vocabulary import AWAITING_OFFICER, PacketStatus

if TYPE_CHECKING:
    from models.gateway import Gateway

# What the screens read of a packet: everything but the file itself.
_LISTED = (
    "id, file_name, received_at, unit_code, form_id, form_version, form_publisher, period_code, sequence, created_at, "
    "status, reason, decision, decided_by, signer_fingerprint, manifest, findings, error_count"
)


def is_row_id(packet_id) -> bool:
    """A packet number SQLite can hold: a number from outside (a command line, a receipt) may be any."""
    return type(packet_id) is int and 0 < packet_id < 2**63


class InboxReads:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def get(self, packet_id: int) -> dict | None:
        """Every column of one packet, its file included (``packet``: its bytes, checked against their
        SHA-256; None for a file not kept). PacketFileLost when the kept file is missing or altered."""
        if not is_row_id(packet_id):
            return None
        rows = list(self.gw.db.query("SELECT * FROM received_packets WHERE id = ?", [packet_id]))
        return self._with_file(rows[0]) if rows else None

    def _with_file(self, row: dict) -> dict:
        row["packet"] = self.gw.packet_files.read(row["file_sha256"]) if row["file_kept"] else None
        return row

    def listed(self, packet_id: int) -> dict | None:
        """One packet as the screens read it (no file)."""
        if not is_row_id(packet_id):
            return None
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
                f"decision, error_count, findings, manifest_sha256 FROM received_packets WHERE {where} "
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
        if not is_row_id(packet_id):
            return None
        row = self.gw.db.execute(
            "SELECT file_name, file_sha256, file_kept FROM received_packets WHERE id = ?", [packet_id]
        ).fetchone()
        if row is None:
            return None
        return row[0], self.gw.packet_files.read(row[1]) if row[2] else None

    def folder_lost(self) -> str | None:
        """What to tell the officer when packets are kept but the folder that holds them is not beside the
        database (a database copied without it); None otherwise. Only the folder is looked at: each file
        is checked when it is read."""
        kept = self.gw.db.execute("SELECT count(*) FROM received_packets WHERE file_kept").fetchone()[0]
        folder = self.gw.packet_files.folder
        if not kept or folder.is_dir():
            return None
        return (
            f"Không thấy thư mục “{folder.name}” chứa {kept} gói đã nhận bên cạnh cơ sở dữ liệu, nên không mở "
            "được các gói đó. Nếu đã chép cơ sở dữ liệu từ máy khác, hãy chép cả thư mục này vào cùng chỗ; "
            "nếu không, hãy khôi phục bản sao lưu gần nhất (các gói được sao lưu cùng cơ sở dữ liệu)."
        )

    def kept_files(self) -> list[str]:
        """The SHA-256 of every packet file kept, which must be beside the database."""
        return [r[0] for r in self.gw.db.execute("SELECT file_sha256 FROM received_packets WHERE file_kept")]

    def manifest_sha256(self, packet_id: int) -> str | None:
        """The SHA-256 of a packet's manifest.json, kept when it was filed; None for a packet without its file."""
        if not is_row_id(packet_id):
            return None
        row = self.gw.db.execute("SELECT manifest_sha256 FROM received_packets WHERE id = ?", [packet_id]).fetchone()
        return row[0] if row else None

    def manifest(self, packet_id: int) -> dict | None:
        """The manifest a packet was filed with (verified then); None without one."""
        if not is_row_id(packet_id):
            return None
        row = self.gw.db.execute("SELECT manifest FROM received_packets WHERE id = ?", [packet_id]).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def unit_of(self, packet_id: int) -> str | None:
        if not is_row_id(packet_id):
            return None
        row = self.gw.db.execute("SELECT unit_code FROM received_packets WHERE id = ?", [packet_id]).fetchone()
        return row[0] if row else None

    def values(self, packet_id: int) -> dict[tuple[str, str], int | str]:
        """(indicator, unit code) -> value: the commune's own cells and its villages'."""
        cells, _ = self._figures(packet_id)
        return {(indicator, code): value for code, row in cells.items() for indicator, value in row.items()}

    def totals(self, packet_id: int) -> dict[str, tuple]:
        """indicator -> (value, denominator): the figures of a merged packet."""
        cells, totals = self._figures(packet_id)
        return {indicator: (value, totals.get(indicator)) for row in cells.values() for indicator, value in row.items()}

    def villages(self, packet_id: int) -> list[list]:
        """[[code, name, active]] of the villages a commune's packet listed; [] for another packet."""
        row = self.gw.db.execute("SELECT villages FROM received_packets WHERE id = ?", [packet_id]).fetchone()
        return json.loads(row[0]) if row and row[0] else []

    def _figures(self, packet_id: int) -> tuple[dict, dict]:
        row = self.gw.db.execute(
            "SELECT cells, totals FROM received_figures WHERE packet_id = ?", [packet_id]
        ).fetchone()
        if row is None:
            return {}, {}
        return json.loads(row[0]), json.loads(row[1]) if row[1] else {}

    def evaluated(self, form_id: str, period_code: str) -> list[tuple[int, str, int, tuple[int, str], dict | None]]:
        """(packet id, unit code, sequence, the packet's form version and its publisher, the unit's figures
        as evaluated at filing with that version: None when the packet was filed before they were kept) of
        the accepted packets of a form and period."""
        rows = self.gw.db.execute(
            "SELECT p.id, p.unit_code, p.sequence, p.form_version, p.form_publisher, f.figures "
            "FROM received_packets p "
            "LEFT JOIN received_figures f ON f.packet_id = p.id WHERE p.form_id = ? AND p.period_code = ? "
            "AND p.status = ?",
            [form_id, period_code, PacketStatus.ACCEPTED],
        )
        return [
            (i, unit, seq, (version, publisher or ""), json.loads(figures) if figures else None)
            for i, unit, seq, version, publisher, figures in rows
        ]

    def accepted_cells(
        self, form_id: str, period_code: str, cells: bool = True
    ) -> dict[str, tuple[int, str | None, str | None, object]]:
        """unit code -> (packet id, its cells as kept: JSON {unit or village code: {indicator: value}} or None,
        its villages as kept: JSON [[code, name, active]] or None, the manifest summary's "plausibility")
        of the accepted packets of a form and period, in one read: the follow-up list of a province.
        ``cells`` False leaves the cells out (None), for cells_of() to read where they are needed."""
        rows = self.gw.db.execute(
            f"SELECT p.unit_code, p.id, {'f.cells' if cells else 'NULL'}, p.villages, "
            "CASE WHEN json_valid(p.manifest) THEN json_extract(p.manifest, '$.summary.plausibility') END "
            "FROM received_packets p LEFT JOIN received_figures f ON f.packet_id = p.id "
            "WHERE p.form_id = ? AND p.period_code = ? AND p.status = ?",
            [form_id, period_code, PacketStatus.ACCEPTED],
        )
        return {unit: (packet, cells, villages, sent) for unit, packet, cells, villages, sent in rows}

    def cells_of(self, packet_id: int) -> str | None:
        """A packet's cells as kept (JSON), or None."""
        row = self.gw.db.execute("SELECT cells FROM received_figures WHERE packet_id = ?", [packet_id]).fetchone()
        return row[0] if row else None

    def versions_used(self, form_id: str, period_code: str) -> dict[tuple[int, str], int]:
        """(form version, publisher) -> how many accepted packets of a form and period were filled with it."""
        rows = self.gw.db.execute(
            "SELECT form_version, form_publisher, count(*) FROM received_packets WHERE form_id = ? "
            "AND period_code = ? AND status = ? GROUP BY form_version, form_publisher",
            [form_id, period_code, PacketStatus.ACCEPTED],
        )
        return {(version, publisher or ""): count for version, publisher, count in rows}

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
                "SELECT status, sequence, received_at, manifest, id, findings, error_count FROM received_packets "
                "WHERE unit_code = ? AND form_id = ? AND period_code = ? ORDER BY sequence DESC, id DESC",
                [unit_code, form_id, period_code],
            )
        )

    def awaiting(self, form_id: str, period_code: str) -> dict[str, PacketStatus]:
        """unit code -> the most pressing status among its packets that wait for something
        (AWAITING_OFFICER, returned, waiting), for a form and period."""
        waiting = (*AWAITING_OFFICER, PacketStatus.RETURNED, PacketStatus.WAITING)
        rows = self.gw.db.execute(
            f"SELECT unit_code, status FROM received_packets WHERE form_id = ? AND period_code = ? "
            f"AND status IN ({', '.join('?' * len(waiting))})",
            [form_id, period_code, *waiting],
        )
        found: dict[str, PacketStatus] = {}
        for unit_code, status in rows:
            if unit_code not in found or waiting.index(status) < waiting.index(found[unit_code]):
                found[unit_code] = PacketStatus(status)
        return found

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
