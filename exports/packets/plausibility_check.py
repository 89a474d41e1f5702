"""The parts of so-lieu.json the plausibility warnings added (issue 20), checked at verification: each
finding's "params" and the "history" block. A packet written before has neither and passes; one that
has them malformed, or larger than any commune's history can be, is refused with the reason.
"""

from __future__ import annotations

import math

from exports.packets.format import DATA_JSON
from forms.plausibility import WHYS

MAX_PERIODS = 24  # history_years is at most 20, and the same period a year before
MAX_VALUES = 100_000  # 60 villages x 40 indicators x 21 periods is 50.400
MAX_PARAMS = 40  # keys of one finding's params
MAX_TEXT = 200  # characters of a text in them
MAX_CODE = 64


def plausibility_problem(data: dict) -> str | None:
    """Why the "params" of a finding or the "history" of ``data`` cannot be read, in Vietnamese; else None."""
    for finding in data.get("findings") if isinstance(data.get("findings"), list) else ():
        if isinstance(finding, dict) and "params" in finding and not _params_ok(finding["params"]):
            return f"tệp {DATA_JSON} ghi tham số của một phát hiện sai dạng hoặc quá lớn."
    if "history" not in data:
        return None
    history = data["history"]
    if not isinstance(history, dict) or set(history) != {"periods", "values"}:
        return f"tệp {DATA_JSON} ghi mục “history” sai dạng (cần “periods” và “values”)."
    periods, values = history["periods"], history["values"]
    if not isinstance(periods, list) or len(periods) > MAX_PERIODS or not all(map(_period_ok, periods)):
        return f"tệp {DATA_JSON} ghi các kỳ trước (history.periods) sai dạng hoặc quá nhiều."
    codes = {p["code"] for p in periods}
    if len(codes) != len(periods):
        return f"tệp {DATA_JSON} ghi một kỳ trước hai lần trong history.periods."
    if not isinstance(values, list) or len(values) > MAX_VALUES:
        return f"tệp {DATA_JSON} ghi các số liệu kỳ trước (history.values) sai dạng hoặc quá nhiều."
    for row in values:
        if not _value_ok(row, codes):
            return f"tệp {DATA_JSON} ghi một số liệu kỳ trước sai dạng ({_shown(row)})."
    return None


def _code(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_CODE


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _period_ok(period) -> bool:
    return (
        isinstance(period, dict)
        and set(period) == {"code", "label", "why"}
        and _code(period["code"])
        and isinstance(period["label"], str)
        and len(period["label"]) <= MAX_TEXT
        and period["why"] in WHYS
    )


def _value_ok(row, codes: set) -> bool:
    return (
        isinstance(row, list)
        and len(row) == 4
        and _code(row[0])
        and _code(row[1])
        and row[2] in codes
        and _number(row[3])
        and abs(row[3]) < 10**16
    )


def _params_ok(params) -> bool:
    if not isinstance(params, dict) or len(params) > MAX_PARAMS:
        return False
    for key, value in params.items():
        if not _code(key):
            return False
        if isinstance(value, str):
            if len(value) > MAX_TEXT:
                return False
        elif not (value is None or isinstance(value, bool) or (_number(value) and abs(value) < 10**18)):
            return False
    return True


def _shown(row) -> str:
    text = repr(row)
    return text if len(text) <= 60 else text[:60] + "…"
