"""collections: what the upper level collects, a form for a period, with its deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.clock import now

if TYPE_CHECKING:
    from models.gateway import Gateway


class Collections:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def open(self, form_id: str, period_code: str, deadline: str | None) -> None:
        """Start (or change the deadline of) collecting a form for a period; ``deadline`` an ISO date."""
        with self.gw.transaction():
            self.gw.db["collections"].upsert(
                {"form_id": form_id, "period_code": period_code, "deadline": deadline, "opened_at": now()},
                pk=("form_id", "period_code"),
            )

    def is_open(self, form_id: str, period_code: str) -> bool:
        return bool(
            self.gw.db.execute(
                "SELECT 1 FROM collections WHERE form_id = ? AND period_code = ?", [form_id, period_code]
            ).fetchone()
        )

    def of_period(self, period_code: str) -> list[tuple[str, str | None]]:
        """(form id, ISO deadline or None) of each form collected for the period."""
        rows = self.gw.db.execute(
            "SELECT form_id, deadline FROM collections WHERE period_code = ? ORDER BY form_id", [period_code]
        )
        return [tuple(row) for row in rows]

    def all(self) -> list[tuple[str, str, str | None]]:
        """(form id, period code, ISO deadline or None) of every collection opened."""
        rows = self.gw.db.execute(
            "SELECT form_id, period_code, deadline FROM collections ORDER BY form_id, period_code"
        )
        return [tuple(row) for row in rows]
