"""The time stamps the database records: local time with its offset, to the second."""

from __future__ import annotations

import datetime as dt


def now() -> str:
    return dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")


def today() -> dt.date:
    """The day as this machine counts it (deadlines, days late); the library's functions take it as an
    argument where a test must choose the day."""
    return dt.date.today()
