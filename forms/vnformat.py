"""Numbers and dates the Vietnamese way: 6.505.490.000, 14,2%, 18/12/2023."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal


def number(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        shown = f"{abs(value):.1f}"
        sign = "-" if value < 0 and shown != "0.0" else ""
        whole, _, fraction = shown.partition(".")
        grouped = f"{int(whole):,}".replace(",", ".")
        return sign + (f"{grouped},{fraction}" if fraction != "0" else grouped)
    return f"{int(value):,}".replace(",", ".")


def decimal(value: float, places: int = 2) -> str:
    """A measured quantity with a fixed number of decimals: 4,50 / 1.234,5 (a comma, never a dot)."""
    shown = f"{value:,.{places}f}"
    return shown.replace(",", " ").replace(".", ",").replace(" ", ".")


def unit_in_sentence(unit: str) -> str:
    """The unit of measure as it reads mid-sentence: “Người” -> “người”, “Bản” -> “bản”; letters
    in capitals (“CLB”) stay as they are. The table's ĐVT column keeps the form's own spelling."""
    if len(unit) > 1 and unit[0].isupper() and unit[1].islower():
        return unit[0].lower() + unit[1:]
    return unit


def percent(value: float | None) -> str:
    """One decimal, comma as the decimal mark, no trailing ",0": 14,2% / 100%."""
    if value is None:
        return ""
    # Half up, as people round by hand: 13/16 = 81,25% prints 81,3%.
    rounded = Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded)}%"
    return f"{rounded}".replace(".", ",") + "%"


def date(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def datetime_text(value: dt.datetime | str) -> str:
    """“14:05 ngày 22/11/2026”, in the time zone it was written in; text that is not a time is shown as is."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    return f"{value:%H:%M} ngày {value:%d/%m/%Y}"


def yes_no(value) -> str:
    if value is None:
        return ""
    return "Có" if value else "Không"
