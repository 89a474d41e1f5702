"""How a packet's status looks in the upper level's window: its colour in the
inbox and in the import's results, and its place when the inbox is sorted by
status. The colours follow the completeness workbook's
(exports/paper/xlsx_completeness.STATE_COLOURS): green received, orange
figures with errors, salmon a conflict or a packet held for the officer,
lilac waiting for a key, red refused, yellow returned, greys set aside."""

from __future__ import annotations

from models.vocabulary import ImportOutcome, PacketStatus

# Most in need of the officer first.
STATUS_ORDER = (
    PacketStatus.CONFLICT,
    PacketStatus.FLAWED,
    PacketStatus.HELD,
    PacketStatus.QUARANTINED,
    PacketStatus.REJECTED,
    PacketStatus.RETURNED,
    PacketStatus.WAITING,
    PacketStatus.ACCEPTED,
    PacketStatus.STALE,
    PacketStatus.SUPERSEDED,
    PacketStatus.VOIDED,
)
STATUS_COLOURS = {
    PacketStatus.ACCEPTED: "#d9f0dd",
    PacketStatus.SUPERSEDED: "#eeeeee",
    PacketStatus.STALE: "#eeeeee",
    PacketStatus.CONFLICT: "#f9cb9c",
    PacketStatus.FLAWED: "#f6b26b",
    PacketStatus.HELD: "#f9cb9c",
    PacketStatus.QUARANTINED: "#e1d5f5",
    PacketStatus.REJECTED: "#ea9999",
    PacketStatus.RETURNED: "#ffe599",
    PacketStatus.WAITING: "#fce8b2",
    PacketStatus.VOIDED: "#d9d9d9",
}
# An import's outcome is a status, or one of two outcomes that file nothing.
OUTCOME_COLOURS = {
    **STATUS_COLOURS,
    ImportOutcome.UNCHANGED: "#eeeeee",
    ImportOutcome.NOT_PACKET: "#f4c7c3",
}
