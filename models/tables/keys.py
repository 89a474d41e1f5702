"""signing_keys: this machine's own keys, the private half encrypted (models/keys.py makes and opens them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.gateway import Gateway


class SigningKeys:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def of_unit(self, unit_code: str) -> list[dict]:
        """Every key of the unit, the one in use first, then the replaced ones newest first."""
        return list(
            self.gw.db["signing_keys"].rows_where(
                "unit_code = ?", [unit_code], order_by="replaced_at IS NOT NULL, created_at DESC, rowid DESC"
            )
        )

    def get(self, fingerprint: str) -> dict | None:
        rows = list(self.gw.db["signing_keys"].rows_where("fingerprint = ?", [fingerprint]))
        return rows[0] if rows else None

    def private_pem(self, fingerprint: str) -> str | None:
        row = self.gw.db.execute("SELECT private_pem FROM signing_keys WHERE fingerprint = ?", [fingerprint]).fetchone()
        return row[0] if row else None

    def add(self, row: dict, replacing: str | None = None) -> None:
        """Store a new key; the one it replaces (its fingerprint) is marked replaced at the same moment."""
        with self.gw.transaction():
            self.gw.db["signing_keys"].insert(row)
            if replacing is not None:
                self.gw.db["signing_keys"].update(
                    replacing, {"replaced_at": row["created_at"], "replaced_by": row["fingerprint"]}
                )
