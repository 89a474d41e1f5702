"""A received packet read back for the upper level's screens: who signed it,
its figures, the villages it lists, the packets it is in conflict with.

Read only; filing and deciding are in exports/collect/inbox.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from exports.packets.container import container_of
from exports.packets.write import DATA_JSON
from exports.paper.footer import short_fingerprint
from models.errors import BadInput, UserError
from models.gateway import Gateway
from models.keys import spoken_fingerprint


@dataclass(frozen=True)
class ReceivedPacket:
    id: int
    file_name: str
    received_at: str
    unit_code: str | None
    form_id: str | None
    form_version: int | None
    period_code: str | None
    sequence: int | None
    created_at: str | None
    status: str
    reason: str
    decision: str | None
    decided_by: str | None
    signer_name: str | None
    signer_title: str | None
    signer_spoken: str | None  # “4821 0937 5512 8830 1146”, to read back over the phone


_COLUMNS = (
    "id, file_name, received_at, unit_code, form_id, form_version, period_code, sequence, created_at, "
    "status, reason, decision, decided_by, signer_fingerprint, manifest"
)


def received_packet(gw: Gateway, packet_id: int) -> ReceivedPacket:
    rows = list(gw.db.query(f"SELECT {_COLUMNS} FROM received_packets WHERE id = ?", [packet_id]))
    if not rows:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    return _packet(rows[0])


def packet_code(gw: Gateway, packet_id: int) -> str | None:
    """“0FF6-7C46”: the short fingerprint the packet's paper copy prints in its footer; None if unreadable."""
    row = gw.db.execute("SELECT file_name, packet FROM received_packets WHERE id = ?", [packet_id]).fetchone()
    if row is None or row[1] is None:
        return None
    try:
        manifest = container_of(row[1], row[0]).entries["manifest.json"]
    except (UserError, KeyError):
        return None
    return short_fingerprint(hashlib.sha256(manifest).hexdigest())


def unit_names(gw: Gateway) -> dict[str, str]:
    """code -> name of every unit this level knows (its own and those below)."""
    return dict(gw.db.execute("SELECT code, name FROM units").fetchall())


def collected(gw: Gateway) -> list[tuple[str, str, str | None]]:
    """(form id, period code, ISO deadline or None) of every collection opened."""
    rows = gw.db.execute("SELECT form_id, period_code, deadline FROM collections ORDER BY form_id, period_code")
    return [tuple(row) for row in rows]


def received_list(gw: Gateway, *, form_id: str | None = None, period_code: str | None = None) -> list[ReceivedPacket]:
    """The inbox, newest first; each filter applies when given."""
    chosen = {"form_id": form_id, "period_code": period_code}
    where = " AND ".join([f"{column} = ?" for column, value in chosen.items() if value] or ["1 = 1"])
    rows = gw.db.query(
        f"SELECT {_COLUMNS} FROM received_packets WHERE {where} ORDER BY received_at DESC, id DESC",
        [value for value in chosen.values() if value],
    )
    return [_packet(row) for row in rows]


def conflicting_packets(gw: Gateway, packet_id: int) -> list[ReceivedPacket]:
    """The packets still in conflict with this one (itself included): same unit, form, period and sequence."""
    packet = received_packet(gw, packet_id)
    if packet.status != "conflict":
        return []
    rows = gw.db.query(
        f"SELECT {_COLUMNS} FROM received_packets WHERE unit_code = ? AND form_id = ? AND period_code = ? "
        "AND sequence = ? AND status = 'conflict' ORDER BY id",
        [packet.unit_code, packet.form_id, packet.period_code, packet.sequence],
    )
    return [_packet(row) for row in rows]


def received_values(gw: Gateway, packet_id: int) -> dict[tuple[str, str], int | str]:
    """(indicator, unit code) -> value: the commune's own cells and its villages'."""
    rows = gw.db.execute("SELECT indicator, unit_code, value FROM received_values WHERE packet_id = ?", [packet_id])
    return {(indicator, code): value for indicator, code, value in rows}


def packet_villages(gw: Gateway, packet_id: int) -> list[tuple[str, str]]:
    """(code, name) of the villages the packet lists, in its order.

    The upper level keeps no villages of its own; their names come from the
    packet's so-lieu.json. A village holding figures but missing from the list
    (never, for a packet that verified) is shown by its code.
    """
    row = gw.db.execute("SELECT file_name, packet FROM received_packets WHERE id = ?", [packet_id]).fetchone()
    if row is None:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    listed: list[tuple[str, str]] = []
    if row[1] is not None:
        try:
            data = json.loads(container_of(row[1], row[0]).entries[DATA_JSON].decode("utf-8"))
            listed = [(str(v["code"]), str(v["name"])) for v in data.get("villages", [])]
        except (UserError, KeyError, TypeError, ValueError, AttributeError):
            listed = []  # a stored packet verified on arrival; if it cannot be read now, show codes
    known = {code for code, _ in listed}
    unit = gw.db.execute("SELECT unit_code FROM received_packets WHERE id = ?", [packet_id]).fetchone()[0]
    extra = sorted(
        {code for (_, code) in received_values(gw, packet_id) if code != unit and code not in known},
    )
    return listed + [(code, code) for code in extra]


def _packet(row: dict) -> ReceivedPacket:
    signer = {}
    if row["manifest"]:
        try:
            signer = json.loads(row["manifest"]).get("signer") or {}
        except (ValueError, AttributeError):
            signer = {}
        if not isinstance(signer, dict):
            signer = {}
    spoken = signer.get("spoken") if isinstance(signer.get("spoken"), str) else None
    if spoken is None and row["signer_fingerprint"]:
        try:
            spoken = spoken_fingerprint(row["signer_fingerprint"])
        except ValueError:  # a rejected packet may name anything as its signer
            spoken = None
    return ReceivedPacket(
        id=row["id"],
        file_name=row["file_name"],
        received_at=row["received_at"],
        unit_code=row["unit_code"],
        form_id=row["form_id"],
        form_version=row["form_version"],
        period_code=row["period_code"],
        sequence=row["sequence"],
        created_at=row["created_at"],
        status=row["status"],
        reason=row["reason"] or "",
        decision=row["decision"],
        decided_by=row["decided_by"],
        signer_name=_text(signer.get("name")),
        signer_title=_text(signer.get("title")),
        signer_spoken=spoken,
    )


def _text(value) -> str | None:
    return value if isinstance(value, str) else None
