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

    def enrol(self, row: dict) -> None:
        """fingerprint, unit_code, public_pem, holder_name, holder_title, created_at, replaced_at,
        enrolled_at, enrolled_by; enrolling the same key again refreshes its row."""
        with self.gw.transaction():
            self.gw.db["trusted_keys"].upsert(row, pk=("fingerprint", "unit_code"))

    def all(self) -> list[dict]:
        return list(self.gw.db["trusted_keys"].rows)

    def of_unit(self, unit_code: str) -> list[dict]:
        """The keys enrolled for one unit, the latest enrolment first."""
        return list(
            self.gw.db["trusted_keys"].rows_where(
                "unit_code = ?", [unit_code], order_by="enrolled_at DESC, fingerprint"
            )
        )
