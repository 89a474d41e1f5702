"""issued_receipts (upper level: each receipt or return it signed) and
receipts (commune: the answers it imported for the packets it sent)."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from models.clock import now
from models.vocabulary import ReceiptKind

if TYPE_CHECKING:
    from models.gateway import Gateway


class Receipts:
    def __init__(self, gw: Gateway):
        self.gw = gw

    # ---- upper level ---------------------------------------------------------------

    def record_issued(self, row: dict) -> None:
        """packet_id, kind, note, cells (a list), issued_at, issued_by, fingerprint, file_name, receipt_sha256."""
        with self.gw.transaction():
            self.gw.db["issued_receipts"].insert({**row, "cells": json.dumps(row["cells"], ensure_ascii=False)})

    def standing_issued(self, unit_code: str, form_id: str, period_code: str) -> dict | None:
        """This level's last answer to a unit's report, when it is a receipt: the sequence it received,
        issued_at (a datetime), issued_by; None when it answered nothing yet, or last asked for a correction."""
        rows = self.gw.db.execute(
            "SELECT a.kind, p.sequence, a.issued_at, a.issued_by FROM issued_receipts a "
            "JOIN received_packets p ON p.id = a.packet_id "
            "WHERE p.unit_code = ? AND p.form_id = ? AND p.period_code = ? ORDER BY a.id",
            [unit_code, form_id, period_code],
        )
        answers = [
            (dt.datetime.fromisoformat(at), index, kind, seq, by) for index, (kind, seq, at, by) in enumerate(rows)
        ]
        if not answers:
            return None
        issued_at, _, kind, sequence, issued_by = max(answers)
        if kind != ReceiptKind.RECEIPT:
            return None
        return {"sequence": sequence, "issued_at": issued_at, "issued_by": issued_by}

    # ---- commune ---------------------------------------------------------------------

    def is_filed(self, receipt_sha256: str) -> bool:
        return bool(self.gw.db.execute("SELECT 1 FROM receipts WHERE receipt_sha256 = ?", [receipt_sha256]).fetchone())

    def mark_trusted(self, receipt_sha256: str) -> None:
        """The upper level's key was enrolled since this receipt came: it now counts as checked."""
        with self.gw.transaction():
            self.gw.db.execute("UPDATE receipts SET trusted = 1 WHERE receipt_sha256 = ?", [receipt_sha256])

    def trust_signer(self, fingerprint: str, issuer_code: str) -> int:
        """The key ``fingerprint`` was just enrolled for the unit above: the receipts it signed
        that were waiting for it now count as checked. How many."""
        with self.gw.transaction():
            return self.gw.db.execute(
                "UPDATE receipts SET trusted = 1 WHERE signer_fingerprint = ? AND issuer_code = ? AND trusted = 0",
                [fingerprint, issuer_code],
            ).rowcount

    def unchecked(self, issuer_code: str) -> int:
        """How many receipts of that unit are filed unchecked (their key not enrolled)."""
        return self.gw.db.execute(
            "SELECT count(*) FROM receipts WHERE issuer_code = ? AND trusted = 0", [issuer_code]
        ).fetchone()[0]

    def file(self, row: dict) -> None:
        """packet_id, kind, note, cells (a list), issued_at, issuer_code, issuer_name, signer_name,
        signer_fingerprint, trusted, receipt_sha256."""
        with self.gw.transaction():
            self.gw.db["receipts"].insert(
                {
                    **row,
                    "cells": json.dumps(row["cells"], ensure_ascii=False),
                    "trusted": int(row["trusted"]),
                    "imported_at": now(),
                }
            )

    def standing_receipt(self, report_id: int) -> dict | None:
        """The receipt that locks the report: the answer that stands for its latest exported packet, when
        it is a receipt (not a return) signed by the upper level's enrolled key. issuer_name, signer_name,
        issued_at; None when the report is not locked."""
        row = self.gw.db.execute(
            "SELECT kind, issuer_name, signer_name, issued_at FROM receipts WHERE trusted = 1 AND packet_id = "
            "(SELECT id FROM packets WHERE report_id = ? ORDER BY sequence DESC LIMIT 1) "
            "ORDER BY issued_at DESC, id DESC LIMIT 1",
            [report_id],
        ).fetchone()
        if row is None or row[0] != ReceiptKind.RECEIPT:
            return None
        return {"issuer_name": row[1], "signer_name": row[2], "issued_at": row[3]}

    def latest_answer(self, sent_packet_id: int) -> dict | None:
        """The answer that stands for an exported packet: kind, note, cells, issued_at, issuer_name, trusted.
        An answer signed by a key not (yet) checked never outranks a checked one."""
        row = self.gw.db.execute(
            "SELECT kind, note, cells, issued_at, issuer_name, trusted FROM receipts WHERE packet_id = ? "
            "ORDER BY trusted DESC, issued_at DESC, id DESC LIMIT 1",
            [sent_packet_id],
        ).fetchone()
        if row is None:
            return None
        kind, note, cells, issued_at, issuer_name, trusted = row
        return {
            "kind": ReceiptKind(kind),
            "note": note,
            "cells": json.loads(cells),
            "issued_at": issued_at,
            "issuer_name": issuer_name,
            "trusted": bool(trusted),
        }
