"""double_entries, double_entry_values and double_entry_differences (commune): a report typed twice,
its second pass and the cells where the two passes differed, with each decision (models/double_entry.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.clock import now

if TYPE_CHECKING:
    from models.gateway import Gateway
    from models.report_records import Change, Edit


class DoubleEntries:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def of_report(self, report_id: int) -> dict | None:
        rows = list(self.gw.db["double_entries"].rows_where("report_id = ?", [report_id]))
        return rows[0] if rows else None

    def first_typists(self, report_id: int) -> list[str]:
        """Who typed the report's figures, the most cells first."""
        rows = self.gw.db.execute(
            "SELECT updated_by FROM cell_values WHERE report_id = ? GROUP BY updated_by "
            "ORDER BY count(*) DESC, updated_by",
            [report_id],
        )
        return [row[0] for row in rows]

    def begin(self, row: dict) -> None:
        """A new second pass: any earlier round's values and differences are replaced."""
        report_id = row["report_id"]
        for table in ("double_entry_values", "double_entry_differences", "double_entries"):
            self.gw.db.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])  # noqa: S608 - our names
        self.gw.db["double_entries"].insert(row)

    def drop(self, report_id: int) -> None:
        for table in ("double_entry_values", "double_entry_differences", "double_entries"):
            self.gw.db.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])  # noqa: S608 - our names

    def values(self, report_id: int) -> dict[tuple[str, str], int | str]:
        rows = self.gw.db.execute(
            "SELECT indicator, unit_code, value FROM double_entry_values WHERE report_id = ?", [report_id]
        )
        return {(ind, unit): value for ind, unit, value in rows}

    def put_values(self, report_id: int, edits: list[Edit], who: str) -> list[Change]:
        """Write second-pass values (None clears one); unchanged cells are skipped. Inside the caller's transaction."""
        from models.report_records import Change

        stamp, changes = now(), []
        for edit in edits:
            key = [report_id, edit.indicator, edit.unit_code]
            row = self.gw.db.execute(
                "SELECT value FROM double_entry_values WHERE report_id = ? AND indicator = ? AND unit_code = ?", key
            ).fetchone()
            old = row[0] if row else None
            if old == edit.value:
                continue
            if edit.value is None:
                self.gw.db.execute(
                    "DELETE FROM double_entry_values WHERE report_id = ? AND indicator = ? AND unit_code = ?", key
                )
            else:
                self.gw.db.execute(
                    "INSERT INTO double_entry_values (report_id, indicator, unit_code, value, at, who) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report_id, indicator, unit_code) "
                    "DO UPDATE SET value = excluded.value, at = excluded.at, who = excluded.who",
                    [*key, edit.value, stamp, who],
                )
            changes.append(Change(report_id, edit.indicator, edit.unit_code, old, edit.value))
        return changes

    def update(self, report_id: int, **fields) -> None:
        self.gw.db["double_entries"].update(report_id, fields)

    def record_differences(self, report_id: int, rows: list[dict]) -> None:
        self.gw.db["double_entry_differences"].insert_all(
            [{"report_id": report_id, **row} for row in rows],
            pk=("report_id", "indicator", "unit_code"),
        )

    def differences(self, report_id: int) -> list[dict]:
        return list(self.gw.db["double_entry_differences"].rows_where("report_id = ?", [report_id]))

    def decide(self, report_id: int, indicator: str, unit_code: str, **decision) -> None:
        self.gw.db.execute(
            "UPDATE double_entry_differences SET choice = ?, chosen_value = ?, decided_at = ?, decided_by = ? "
            "WHERE report_id = ? AND indicator = ? AND unit_code = ?",
            [
                decision["choice"],
                decision["chosen_value"],
                decision["decided_at"],
                decision["decided_by"],
                report_id,
                indicator,
                unit_code,
            ],
        )

    def record_kept(self, report_id: int, indicator: str, unit_code: str, value, at: str, who: str) -> None:
        """An audit row for a decision that left the cell as it was (the first pass kept): the trail still
        names it and who made it."""
        self.gw.db.execute(
            "INSERT INTO audit (report_id, indicator, unit_code, old_value, new_value, at, who) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [report_id, indicator, unit_code, value, value, at, who],
        )
