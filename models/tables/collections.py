"""collections: what the upper level collects, a form for a period, with its deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.clock import now

if TYPE_CHECKING:
    from models.gateway import Gateway


class Collections:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def open(
        self, form_id: str, period_code: str, deadline: str | None, version: tuple[str, int] | None = None
    ) -> None:
        """Start (or change the deadline of) collecting a form for a period; ``deadline`` an ISO date;
        ``version`` (publisher, number) the form version a collection notice asked for."""
        row = {"form_id": form_id, "period_code": period_code, "deadline": deadline, "opened_at": now()}
        if version is not None:
            row.update(form_publisher=version[0], form_version=version[1])
        with self.gw.transaction():
            self.gw.db["collections"].upsert(row, pk=("form_id", "period_code"))

    def get(self, form_id: str, period_code: str) -> dict | None:
        """deadline, form_publisher, form_version of a collection opened, or None."""
        row = self.gw.db.execute(
            "SELECT deadline, form_publisher, form_version FROM collections WHERE form_id = ? AND period_code = ?",
            [form_id, period_code],
        ).fetchone()
        return dict(zip(("deadline", "form_publisher", "form_version"), row, strict=True)) if row else None

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
