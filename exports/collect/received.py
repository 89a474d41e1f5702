"""A received packet read back for the upper level's screens and listings:
who signed it, its figures, the villages it lists, the packets it is in
conflict with.

Read only; filing and deciding are in exports/collect/inbox.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from exports.packets.container import container_of
from exports.packets.format import DATA_JSON
from exports.paper.footer import short_fingerprint
from models.errors import BadInput, UserError
from models.gateway import Gateway
from models.keys import spoken_fingerprint
from models.vocabulary import PacketStatus


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
    status: PacketStatus
    reason: str
    decision: str | None
    decided_by: str | None
    signer_name: str | None
    signer_title: str | None
    signer_spoken: str | None  # “4821 0937 5512 8830 1146”, from the fingerprint, to read back over the phone
    # What this level found checking the figures again: severity, rule, indicator, unit_code,
    # message, and the commune's written reason for a warning; () when none (or not checked here).
    findings: tuple[dict, ...] = ()
    error_count: int = 0
    form_publisher: str = ""  # the unit that published the packet's form version ("" for a shipped one)

    @property
    def errors(self) -> list[dict]:
        return [f for f in self.findings if f.get("severity") == "error"]

    @property
    def warnings(self) -> list[dict]:
        return [f for f in self.findings if f.get("severity") != "error"]


def received_packet(gw: Gateway, packet_id: int) -> ReceivedPacket:
    row = gw.inbox.listed(packet_id)
    if row is None:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    return _packet(row)


def packet_code(gw: Gateway, packet_id: int) -> str | None:
    """“0FF6-7C46”: the short fingerprint the packet's paper copy prints in its footer; None if unreadable."""
    return _code_of(gw.inbox.manifest_sha256(packet_id))


def declared_lines(gw: Gateway, packet_id: int) -> list[str]:
    """What the packet's manifest says of how its figures were typed (issue 20), in sentences: a double
    entry, and the plausibility warnings the commune explained (the follow-up list has them)."""
    manifest = gw.inbox.manifest(packet_id)
    summary = manifest.get("summary", {}) if isinstance(manifest, dict) else {}
    lines = []
    if isinstance(double := summary.get("double_entry"), dict):
        lines.append(
            f"Xã nhập hai lần (lần 1: {double.get('first_by')}, lần 2: {double.get('second_by')}): "
            f"{double.get('differences')} chỗ khác nhau, đã đối chiếu {double.get('resolved')}."
        )
    if isinstance(count := summary.get("plausibility"), int) and count > 0:
        lines.append(
            f"Xã gửi kèm {count} cảnh báo bất thường có giải trình (Tình hình nộp › Danh sách cần theo dõi...)."
        )
    return lines


def inbox_listing(
    gw: Gateway, *, form_id: str | None = None, period_code: str | None = None, status: str | None = None
) -> list[dict]:
    """The inbox by report then sequence, each row with its packet code (``inbox list``); filters when given."""
    rows = gw.inbox.by_report(form_id=form_id, period_code=period_code, status=status)
    for row in rows:
        row["packet_code"] = _code_of(row.pop("manifest_sha256"))
        row["findings"] = json.loads(row["findings"]) if row["findings"] else []
    return rows


def _code_of(manifest_sha256: str | None) -> str | None:
    """The packet's code from its manifest's SHA-256, kept when it was filed (models/tables/inbox.py)."""
    return short_fingerprint(manifest_sha256) if manifest_sha256 else None


def received_list(gw: Gateway, *, form_id: str | None = None, period_code: str | None = None) -> list[ReceivedPacket]:
    """The inbox, newest first; each filter applies when given."""
    return [_packet(row) for row in gw.inbox.newest_first(form_id=form_id, period_code=period_code)]


def conflicting_packets(gw: Gateway, packet_id: int) -> list[ReceivedPacket]:
    """The packets still in conflict with this one (itself included): same unit, form, period and sequence."""
    row = gw.inbox.listed(packet_id)
    if row is None:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    if row["status"] != PacketStatus.CONFLICT:
        return []
    return [_packet(other) for other in gw.inbox.in_conflict_with(row)]


def received_values(gw: Gateway, packet_id: int) -> dict[tuple[str, str], int | str]:
    """(indicator, unit code) -> value: the commune's own cells and its villages'."""
    return gw.inbox.values(packet_id)


def packet_villages(gw: Gateway, packet_id: int) -> list[tuple[str, str]]:
    """(code, name) of the villages the packet lists, in its order.

    The upper level keeps no villages of its own; their names come from the
    packet's so-lieu.json. A village holding figures but missing from the list
    (never, for a packet that verified) is shown by its code.
    """
    stored = gw.inbox.file_of(packet_id)
    if stored is None:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    listed: list[tuple[str, str]] = []
    if stored[1] is not None:
        try:
            data = json.loads(container_of(stored[1], stored[0]).entries[DATA_JSON].decode("utf-8"))
            listed = [(str(v["code"]), str(v["name"])) for v in data.get("villages", [])]
        except (UserError, KeyError, TypeError, ValueError, AttributeError):
            listed = []  # a stored packet verified on arrival; if it cannot be read now, show codes
    known = {code for code, _ in listed}
    unit = gw.inbox.unit_of(packet_id)
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
    return ReceivedPacket(
        id=row["id"],
        file_name=row["file_name"],
        received_at=row["received_at"],
        unit_code=row["unit_code"],
        form_id=row["form_id"],
        form_version=row["form_version"],
        form_publisher=row["form_publisher"] or "",
        period_code=row["period_code"],
        sequence=row["sequence"],
        created_at=row["created_at"],
        status=PacketStatus(row["status"]),
        reason=row["reason"] or "",
        decision=row["decision"],
        decided_by=row["decided_by"],
        signer_name=_text(signer.get("name")),
        signer_title=_text(signer.get("title")),
        signer_spoken=_spoken(row, signer),
        findings=_findings(row.get("findings")),
        error_count=row.get("error_count") or 0,
    )


def _spoken(row: dict, signer: dict) -> str | None:
    """The signer's key code computed from its fingerprint, which the verifier checked against the key in
    the packet; never the manifest's own “spoken” text. None for a rejected packet, whose signer may be
    anyone's name."""
    if row["status"] == PacketStatus.REJECTED:
        return None
    fingerprint = signer.get("fingerprint") or row["signer_fingerprint"]
    if not isinstance(fingerprint, str) or len(fingerprint) != 64:
        return None
    try:
        return spoken_fingerprint(fingerprint)
    except ValueError:
        return None


def _findings(stored: str | None) -> tuple[dict, ...]:
    """The findings column as a tuple of dicts; () when absent or unreadable."""
    try:
        found = json.loads(stored) if stored else []
    except ValueError:
        return ()
    return tuple(f for f in found if isinstance(f, dict)) if isinstance(found, list) else ()


def _text(value) -> str | None:
    return value if isinstance(value, str) else None
