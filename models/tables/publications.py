"""issued_publications (upper level: each form version, target set or
collection notice it signed and sent down) and received_publications (commune: each one it
imported, applied or held for its signer's key)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from models.clock import now

if TYPE_CHECKING:
    from models.gateway import Gateway

APPLIED, HELD, OLDER, REFUSED = "applied", "held", "older", "refused"  # received_publications.status

_RECEIVED = (
    "file_sha256",
    "kind",
    "issuer_code",
    "issuer_name",
    "issued_at",
    "signer_fingerprint",
    "form_id",
    "form_publisher",
    "form_version",
    "period_code",
    "deadline",
    "note",
    "manifest",
    "status",
    "reason",
    "imported_at",
    "imported_by",
)


class Publications:
    def __init__(self, gw: Gateway):
        self.gw = gw

    # ---- upper level ---------------------------------------------------------------

    def record_issued(self, row: dict) -> None:
        """kind, form_id, form_publisher, form_version, period_code, deadline, note, issued_at, issued_by,
        fingerprint, file_name, file_sha256; unit_code for a reopening."""
        with self.gw.transaction():
            self.gw.db["issued_publications"].insert(row)

    def latest_issued_reopening(self, unit_code: str, form_id: str, period_code: str) -> dt.datetime | None:
        """When this level last signed a reopening of one unit's report; None if it never did."""
        rows = self.gw.db.execute(
            "SELECT issued_at FROM issued_publications WHERE kind = 'reopening' AND unit_code = ? "
            "AND form_id = ? AND period_code = ?",
            [unit_code, form_id, period_code],
        )
        return max((dt.datetime.fromisoformat(at) for (at,) in rows), default=None)

    def issued(self) -> list[dict]:
        rows = self.gw.db.execute("SELECT * FROM issued_publications ORDER BY id")
        names = [d[0] for d in rows.description]
        return [dict(zip(names, row, strict=True)) for row in rows]

    # ---- commune ---------------------------------------------------------------------

    def latest_reopening(self, unit_code: str, form_id: str, period_code: str) -> dict | None:
        """The reopening applied last for one unit's report: issued_at (UTC ISO), issuer_name, reason."""
        rows = self.gw.db.execute(
            "SELECT issued_at, issuer_name, note, manifest FROM received_publications WHERE kind = 'reopening' "
            "AND status = ? AND form_id = ? AND period_code = ? ORDER BY issued_at DESC",
            [APPLIED, form_id, period_code],
        )
        for issued_at, issuer_name, reason, manifest in rows:
            if json.loads(manifest)["reopening"]["unit_code"] == unit_code:
                return {"issued_at": issued_at, "issuer_name": issuer_name, "reason": reason}
        return None

    def received(self, file_sha256: str) -> dict | None:
        row = self.gw.db.execute(
            f"SELECT {', '.join(_RECEIVED)} FROM received_publications WHERE file_sha256 = ?", [file_sha256]
        ).fetchone()
        return dict(zip(_RECEIVED, row, strict=True)) if row else None

    def file(self, row: dict) -> None:
        """Every column of received_publications but imported_at."""
        with self.gw.transaction():
            self.gw.db["received_publications"].insert({**row, "imported_at": now()})

    def set_status(self, file_sha256: str, status: str, reason: str | None = None) -> None:
        with self.gw.transaction():
            self.gw.db.execute(
                "UPDATE received_publications SET status = ?, reason = ? WHERE file_sha256 = ?",
                [status, reason, file_sha256],
            )

    def held(self, issuer_code: str, fingerprint: str | None = None) -> list[dict]:
        """The publications of that unit held for its key (signed by ``fingerprint`` when given), oldest first."""
        query = f"SELECT {', '.join(_RECEIVED)} FROM received_publications WHERE status = ? AND issuer_code = ?"
        params = [HELD, issuer_code]
        if fingerprint is not None:
            query += " AND signer_fingerprint = ?"
            params.append(fingerprint)
        rows = self.gw.db.execute(query + " ORDER BY issued_at, file_sha256", params)
        return [dict(zip(_RECEIVED, row, strict=True)) for row in rows]

    def latest_notice(self, issuer_code: str, form_id: str, period_code: str) -> dict | None:
        """The collection notice applied last for that form and period (the latest issued)."""
        row = self.gw.db.execute(
            f"SELECT {', '.join(_RECEIVED)} FROM received_publications WHERE kind = 'collection' AND status = ? "
            "AND issuer_code = ? AND form_id = ? AND period_code = ? ORDER BY issued_at DESC LIMIT 1",
            [APPLIED, issuer_code, form_id, period_code],
        ).fetchone()
        return dict(zip(_RECEIVED, row, strict=True)) if row else None

    def latest_target_set(self, issuer_code: str, form_id: str, set_id: str) -> dict | None:
        """The target set publication of that unit applied last for that form and set (the latest issued)."""
        row = self.gw.db.execute(
            f"SELECT {', '.join(_RECEIVED)} FROM received_publications WHERE kind = 'target_set' AND status = ? "
            "AND issuer_code = ? AND form_id = ? AND json_extract(manifest, '$.target_set.id') = ? "
            "ORDER BY issued_at DESC LIMIT 1",
            [APPLIED, issuer_code, form_id, set_id],
        ).fetchone()
        return dict(zip(_RECEIVED, row, strict=True)) if row else None

    def notices(self) -> list[dict]:
        """The standing collection notices: for each issuer, form and period, the latest applied."""
        rows = self.gw.db.execute(
            f"SELECT {', '.join(_RECEIVED)} FROM received_publications AS r WHERE kind = 'collection' "
            "AND status = ? AND issued_at = (SELECT max(issued_at) FROM received_publications AS o "
            "WHERE o.kind = 'collection' AND o.status = r.status AND o.issuer_code = r.issuer_code "
            "AND o.form_id = r.form_id AND o.period_code = r.period_code) ORDER BY deadline, form_id, period_code",
            [APPLIED],
        )
        return [dict(zip(_RECEIVED, row, strict=True)) for row in rows]
