"""The inbox's look of every packet status (issue 15's new ones included)."""

from __future__ import annotations

from models.vocabulary import ImportOutcome, PacketStatus
from ui.upper.status_look import OUTCOME_COLOURS, STATUS_COLOURS, STATUS_ORDER


def test_every_status_has_its_colour_and_place():
    assert set(STATUS_COLOURS) == set(PacketStatus) == set(STATUS_ORDER)
    assert set(OUTCOME_COLOURS) == set(ImportOutcome)
    assert STATUS_COLOURS[PacketStatus.FLAWED] != STATUS_COLOURS[PacketStatus.ACCEPTED]
