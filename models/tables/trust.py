"""trusted_keys: the keys of other units this one trusts, each for its unit
only, enrolled after the fingerprint was read back over the phone."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.gateway import Gateway


class TrustedKeys:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def is_trusted(self, fingerprint: str, unit_code: str) -> bool:
        return bool(
            self.gw.db.execute(
                "SELECT 1 FROM trusted_keys WHERE fingerprint = ? AND unit_code = ?", [fingerprint, unit_code]
            ).fetchone()
        )

    def enrol(self, row: dict) -> list[dict]:
        """fingerprint, unit_code, public_pem, holder_name, holder_title, created_at, replaced_at,
        enrolled_at, enrolled_by; enrolling the same key again refreshes its row. The unit's other
        keys still in use retire as of ``enrolled_at``: the rows they had, as they were."""
        with self.gw.transaction():
            retiring = list(
                self.gw.db.query(
                    "SELECT * FROM trusted_keys WHERE unit_code = ? AND fingerprint != ? AND retired_at IS NULL",
                    [row["unit_code"], row["fingerprint"]],
                )
            )
            self.gw.db.execute(
                "UPDATE trusted_keys SET retired_at = ?, retired_for = ? WHERE unit_code = ? AND fingerprint != ? "
                "AND retired_at IS NULL",
                [row["enrolled_at"], row["fingerprint"], row["unit_code"], row["fingerprint"]],
            )
            self.gw.db["trusted_keys"].upsert(
                {**row, "retired_at": None, "retired_for": None}, pk=("fingerprint", "unit_code")
            )
        return retiring

    def of_unit(self, unit_code: str) -> list[dict]:
        """The keys enrolled for one unit, the one in use first, then the retired, newest first."""
        return list(
            self.gw.db.query(
                "SELECT * FROM trusted_keys WHERE unit_code = ? ORDER BY retired_at IS NOT NULL, enrolled_at DESC",
                [unit_code],
            )
        )

    def all(self) -> list[dict]:
        return list(self.gw.db["trusted_keys"].rows)
