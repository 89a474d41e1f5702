"""What the gateway hands back of a report: which report it is, an edit asked
for, a change made (with the value before and after, for the audit trail and undo)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportRef:
    id: int
    unit_code: str
    form_id: str
    form_version: int
    period_code: str
    form_publisher: str = ""  # the unit that issued the form version ("" for one shipped with the program)


@dataclass(frozen=True)
class Edit:
    indicator: str
    unit_code: str  # a village, or the commune itself
    value: int | str | None  # None clears the cell


@dataclass(frozen=True)
class Change:
    report_id: int
    indicator: str
    unit_code: str
    old: int | str | None
    new: int | str | None
