"""The cells a packet says were carried from the last period and not confirmed
(so-lieu.json “carried_forward”, models/carry_forward.py), read as hostile: a
packet made before issue 20 has no such key and is fine; one that has it must
list, at most once each, cells that hold a value in the same file, as
[indicator, unit code, period code] of bounded text."""

from __future__ import annotations

from exports.packets.format import DATA_JSON
from models.errors import BadInput
from models.periods import parse_period

LONGEST_PART = 64  # an indicator id, a unit code or a period code is far shorter


def carried_problem(data: dict) -> str | None:
    """Why the packet's “carried_forward” cannot stand, in Vietnamese; None when absent or sound."""
    if not isinstance(data, dict) or "carried_forward" not in data:
        return None
    listed = data["carried_forward"]
    cells = _cells_with_values(data)
    if not isinstance(listed, list):
        return f"tệp {DATA_JSON} ghi các ô chuyển từ kỳ trước (carried_forward) sai dạng."
    if len(listed) > len(cells):
        return f"tệp {DATA_JSON} ghi {len(listed)} ô chuyển từ kỳ trước, nhiều hơn số ô có số liệu ({len(cells)})."
    seen = set()
    for item in listed:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and all(isinstance(part, str) and 0 < len(part) <= LONGEST_PART for part in item)
        ):
            return f"tệp {DATA_JSON} ghi một ô chuyển từ kỳ trước (carried_forward) sai dạng."
        indicator, unit, period = item
        if (indicator, unit) not in cells or (indicator, unit) in seen:
            return (
                f"tệp {DATA_JSON} ghi ô {indicator[:LONGEST_PART]} của {unit[:LONGEST_PART]} là chuyển từ kỳ trước "
                "nhưng ô đó không có số liệu, hoặc được ghi hai lần."
            )
        try:
            parse_period(period)
        except BadInput:
            return f"tệp {DATA_JSON} ghi kỳ “{period[:LONGEST_PART]}” của một ô chuyển từ kỳ trước không hợp lệ."
        seen.add((indicator, unit))
    return None


def _cells_with_values(data: dict) -> set[tuple[str, str]]:
    """(indicator, unit code) of every value in the file: the commune's under its own code."""
    values = data.get("values")
    unit = data.get("unit")
    if not isinstance(values, dict) or not isinstance(unit, dict):
        return set()
    commune, villages = values.get("commune"), values.get("villages")
    cells = set()
    if isinstance(commune, dict):
        cells |= {(ind, unit.get("code")) for ind in commune}
    if isinstance(villages, dict):
        for code, row in villages.items():
            if isinstance(row, dict):
                cells |= {(ind, code) for ind in row}
    return cells
