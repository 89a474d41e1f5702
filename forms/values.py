"""What an officer may type in a cell, turned into the value we store.

Refusals carry a Vietnamese message and nothing is stored: letters in a
count, a negative count, a fraction of a household.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from forms import vnformat
from forms.schema import Indicator

_YES = {"có", "co", "x", "c", "1", "true", "đạt", "dat", "yes"}
_NO = {"không", "khong", "k", "0", "false", "chưa", "chua", "no", "-"}
_GROUPED = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")  # 1.234 or 6.505.490.000
_PLAIN = re.compile(r"^[0-9]+$")
BEYOND_ANY_MAX = 10**21  # what a number of more than 20 digits reads as: too large for every cell
LONGEST_TEXT = 2000  # a note on a plan's row, not a report of its own


class ValueRejected(ValueError):
    """str() is the message to show the officer."""


def coerce(indicator: Indicator, raw) -> int | str | None:
    """The stored value for ``raw`` (None clears the cell)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    kind = indicator.kind
    if kind == "text":
        text = unicodedata.normalize("NFC", str(raw)).strip()
        if len(text) > LONGEST_TEXT:
            raise ValueRejected(f"“{indicator.label}” dài quá {vnformat.number(LONGEST_TEXT)} ký tự.")
        return text
    if kind == "date":
        return _date(raw, indicator)
    if kind == "yesno":
        return _yes_no(raw, indicator)
    return _whole_number(raw, indicator)


def parse_number(text: str) -> int | None:
    """A whole number as Vietnamese write it: 1234, 1.234, 6.505.490.000đ, 1 234."""
    # NFKC: digits typed on a fullwidth (East Asian) input mode read as the usual ones.
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "").removesuffix("đ").removesuffix("đồng")
    digits = cleaned.replace(".", "") if _GROUPED.match(cleaned) else cleaned if _PLAIN.match(cleaned) else None
    if digits is None:
        return None
    return int(digits) if len(digits) <= 20 else BEYOND_ANY_MAX  # int() of 5,000 digits raises


def _whole_number(raw, indicator: Indicator) -> int:
    if isinstance(raw, bool):
        raise ValueRejected(f"“{indicator.label}” cần một số, không phải Có/Không.")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip()
        negative = text.startswith("-")
        parsed = parse_number(text.lstrip("-"))
        if parsed is None:
            raise ValueRejected(
                f"“{text}” không phải là số nguyên; “{indicator.label}” chỉ nhận số nguyên, ví dụ 1.234."
            )
        value = -parsed if negative else parsed
    else:
        raise ValueRejected(f"“{raw}” không phải là số nguyên; “{indicator.label}” chỉ nhận số nguyên.")
    if value < 0:
        raise ValueRejected(f"“{indicator.label}” không nhận số âm ({value}).")
    if value > indicator.largest:
        unit = f" {indicator.unit.lower()}" if indicator.unit else ""  # “tối đa 999.999.999 hộ”
        raise ValueRejected(
            f"Số {vnformat.number(value) if value < BEYOND_ANY_MAX else str(raw).strip()[:20] + '…'} vượt mức tối đa "
            f"{vnformat.number(indicator.largest)}{unit} của “{indicator.label}”."
        )
    return value


def _yes_no(raw, indicator: Indicator) -> int:
    if isinstance(raw, bool) or raw in (0, 1):
        return int(raw)
    word = unicodedata.normalize("NFC", raw).strip().lower() if isinstance(raw, str) else None
    if word in _YES:
        return 1
    if word in _NO:
        return 0
    raise ValueRejected(f"“{raw}” không hợp lệ; “{indicator.label}” chỉ nhận Có hoặc Không.")


def _date(raw, indicator: Indicator) -> str:
    text = str(raw).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise ValueRejected(f"“{text}” không phải ngày hợp lệ; “{indicator.label}” cần ngày dạng dd/mm/yyyy.")
