"""What so-lieu.json carries beside the figures since issue 20, checked in one
place: the cells taken from the last period (carried_check.py), the double
entry (the same record as the manifest's summary) and the plausibility
warnings' params and history (plausibility_check.py). Each is optional, so a
packet from before issue 20 passes; a malformed one makes the packet invalid."""

from __future__ import annotations

from exports.packets.carried_check import carried_problem
from exports.packets.format import DATA_JSON
from exports.packets.plausibility_check import plausibility_problem


def extras_problem(data: dict, manifest: dict) -> str | None:
    """The first thing wrong with so-lieu.json's issue-20 fields, in a sentence; None when all are sound."""
    if carried := carried_problem(data):
        return carried
    if isinstance(data, dict) and data.get("double_entry") != manifest["summary"].get("double_entry"):
        return f"tệp {DATA_JSON} ghi việc nhập hai lần khác với bản kê."
    return plausibility_problem(data)
