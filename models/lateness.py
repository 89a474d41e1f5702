"""A report past its collection deadline: still filled and sent, but it says so.

The deadline is the upper level's collection notice for the report's form and
period (received_publications, kind collection: the latest applied of each
issuer; the earliest deadline when two issuers asked). A report is late when
the day is after the deadline and no packet of it was exported on or before
that day. The commune window's notice band, ``show --json``/``check --json``
(“late”) and the packet's manifest say it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forms import vnformat
from models.clock import today as clock_today
from models.gateway import Gateway
from models.report_records import ReportRef


@dataclass(frozen=True)
class Late:
    deadline: dt.date
    days: int  # days past the deadline, 1 or more
    issuer_name: str

    @property
    def text(self) -> str:
        """“Quá hạn nộp: hạn 15/01/2025, đã quá 3 ngày”."""
        return f"Quá hạn nộp: hạn {vnformat.date(self.deadline)}, đã quá {vnformat.number(self.days)} ngày"

    def to_dict(self) -> dict:
        return {"deadline": self.deadline.isoformat(), "days": self.days}


def deadline_of(gw: Gateway, report: ReportRef) -> tuple[dt.date, str] | None:
    """The collection deadline of the report's form and period, with who set it; None without a notice."""
    found = [
        (dt.date.fromisoformat(row["deadline"]), row["issuer_name"])
        for row in gw.publications.notices()
        if row["form_id"] == report.form_id and row["period_code"] == report.period_code and row["deadline"]
    ]
    return min(found, default=None)


def report_lateness(gw: Gateway, report: ReportRef | None, today: dt.date | None = None) -> Late | None:
    """How late the report is on ``today`` (default: models.clock.today), or None: no notice, the deadline
    not passed, or a packet of it exported by the deadline."""
    if report is None:
        return None
    found = deadline_of(gw, report)
    if found is None:
        return None
    deadline, issuer = found
    today = today or clock_today()
    if today <= deadline:
        return None
    first = gw.sent.first_created(report.id)
    if first is not None and dt.date.fromisoformat(first[:10]) <= deadline:
        return None
    return Late(deadline, (today - deadline).days, issuer)
