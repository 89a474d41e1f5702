"""packets: every packet this machine signed and wrote, by report and sequence.

The receipts of the upper level name a packet by the SHA-256 of its
manifest, kept here; the printed page names it while the report's figures
still match ``values_sha256``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.gateway import Gateway

_LATEST = ("id", "sequence", "manifest_sha256", "values_sha256", "created_at", "page")


class SentPackets:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def latest(self, report_id: int) -> dict | None:
        """The last packet exported for the report: id, sequence, manifest_sha256, values_sha256, created_at,
        and page (the JSON of the manifest's "page", or None for a packet exported before it was kept)."""
        row = self.gw.db.execute(
            f"SELECT {', '.join(_LATEST)} FROM packets WHERE report_id = ? ORDER BY sequence DESC LIMIT 1", [report_id]
        ).fetchone()
        return dict(zip(_LATEST, row, strict=True)) if row else None

    def first_created(self, report_id: int) -> str | None:
        """When the report's first packet was exported (its created_at), or None: was it sent in time?"""
        row = self.gw.db.execute("SELECT min(created_at) FROM packets WHERE report_id = ?", [report_id]).fetchone()
        return row[0] if row else None

    def next_sequence(self, report_id: int) -> int:
        row = self.gw.db.execute("SELECT coalesce(max(sequence), 0) + 1 FROM packets WHERE report_id = ?", [report_id])
        return row.fetchone()[0]

    def record(self, row: dict) -> None:
        """One exported packet: report_id, sequence, created_at, fingerprint, manifest_sha256, file_name,
        values_sha256, page. Called inside the caller's transaction, before the file is written, so that the
        row's write lock keeps another export of the same report off this sequence number."""
        with self.gw.transaction():
            self.gw.db["packets"].insert(row)

    def by_manifest(self, manifest_sha256: str) -> tuple[int, int] | None:
        """(packet id, report id) of the exported packet with this manifest hash."""
        row = self.gw.db.execute(
            "SELECT id, report_id FROM packets WHERE manifest_sha256 = ?", [manifest_sha256]
        ).fetchone()
        return (row[0], row[1]) if row else None
