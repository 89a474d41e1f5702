"""The plausibility warnings a packet was sent with: its so-lieu.json findings of a plausibility rule
(with the commune's reason and params) and the history block of the earlier values they used, read
within bounds from the packet file the inbox keeps. Anything malformed is left out: a packet that
verified on arrival never holds it, and the follow-up list then says only what this level finds."""

from __future__ import annotations

import json

from exports.packets.container import container_of
from exports.packets.format import DATA_JSON
from forms.plausibility import PLAUSIBILITY_RULES
from models.errors import UserError
from models.gateway import Gateway

# What a packet may say, read within these bounds (a packet that verified is far below them).
MAX_FINDINGS = 20_000
MAX_HISTORY_VALUES = 200_000
MAX_PERIODS = 64
MAX_TEXT = 2_000

Key = tuple[str, str, "str | None"]  # (rule, indicator, village code or None for the commune's own cell)


def finding_key(rule: str, indicator: str, village: str | None) -> Key:
    return (rule, indicator, village or None)


def sent_count(manifest: str | None) -> int:
    """How many plausibility warnings a packet's manifest says it carries (its summary's
    "plausibility"); 0 for a packet made before the commune checked plausibility."""
    try:
        summary = json.loads(manifest).get("summary") if manifest else None
    except (ValueError, AttributeError):
        return 0
    count = summary.get("plausibility") if isinstance(summary, dict) else None
    return count if type(count) is int and count > 0 else 0


def sent_plausibility(gw: Gateway, packet_id: int) -> tuple[dict[Key, dict], dict]:
    """(the plausibility warnings a packet was sent with, by (rule, indicator, village); the history
    values they used, (indicator, unit code) -> {period code: (label, value)}), read from its
    so-lieu.json within bounds. The file is opened only when the manifest counts some: a province's
    completeness matrix asks this of every accepted packet."""
    listed = gw.inbox.listed(packet_id)
    if listed is None or not sent_count(listed["manifest"]):
        return {}, {}
    stored = gw.inbox.file_of(packet_id)
    if stored is None or stored[1] is None:
        return {}, {}
    try:
        data = json.loads(container_of(stored[1], stored[0]).entries[DATA_JSON].decode("utf-8"))
    except (UserError, KeyError, ValueError):
        return {}, {}  # verified on arrival; unreadable now, the list says only what this level finds
    if not isinstance(data, dict):
        return {}, {}
    findings = {}
    for f in _listed(data.get("findings"), MAX_FINDINGS):
        rule, indicator, village = f.get("rule"), f.get("indicator"), f.get("village")
        if (
            rule not in PLAUSIBILITY_RULES
            or not isinstance(indicator, str)
            or not isinstance(village, (str, type(None)))
        ):
            continue
        params = f.get("params") if isinstance(f.get("params"), dict) else {}
        findings[finding_key(rule, indicator, village)] = {
            "message": _text(f.get("message")),
            "reason": _text(f.get("reason")),
            "params": {k: v for k, v in list(params.items())[:64] if isinstance(v, (str, int, float, type(None)))},
        }
    return findings, _sent_history(data.get("history"))


def _sent_history(block) -> dict[tuple[str, str], dict[str, tuple[str, object]]]:
    if not isinstance(block, dict):
        return {}
    labels = {
        p["code"]: _text(p.get("label")) or p["code"]
        for p in _listed(block.get("periods"), MAX_PERIODS)
        if isinstance(p.get("code"), str)
    }
    found: dict[tuple[str, str], dict[str, tuple[str, object]]] = {}
    values = block.get("values")
    for row in values[:MAX_HISTORY_VALUES] if isinstance(values, list) else ():
        if not (isinstance(row, list) and len(row) == 4 and all(isinstance(x, str) for x in row[:3])):
            continue
        indicator, unit, period, value = row
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            found.setdefault((indicator, unit), {})[period] = (labels.get(period, period), value)
    return found


def _listed(items, bound: int) -> list[dict]:
    return [i for i in items[:bound] if isinstance(i, dict)] if isinstance(items, list) else []


def _text(value) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""
