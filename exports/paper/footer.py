"""The footer that tells which electronic packet a sheet of paper matches.

A packet is named by the SHA-256 of its manifest, the same hash a receipt
quotes and the upper level's inbox shows; its first eight hex digits are the
short fingerprint people compare by eye, the QR code carries all of it. A
page whose figures were edited after the last packet says so instead of
naming a packet it no longer matches; a page never exported says nothing
(an official page carries no software's notes).
"""

from __future__ import annotations

import datetime as dt

from exports.paper.page import Footer
from forms import vnformat
from models.periods import Period
from models.units import Unit

QR_PREFIX = "SCTG"


def short_fingerprint(manifest_sha256: str) -> str:
    """“7BAD-12F0”: eight hex digits of the manifest's SHA-256, in two groups for reading aloud."""
    head = manifest_sha256[:8].upper()
    return f"{head[:4]}-{head[4:]}"


def packet_footer(
    unit: Unit, form_id: str, period: Period, sequence: int, manifest_sha256: str, printed_on: dt.date
) -> Footer:
    text = (
        f"Khớp gói số liệu lần {sequence:02d}, mã gói {short_fingerprint(manifest_sha256)}"
        f" ({unit.code} - {unit.name}, biểu {form_id}, {period.in_sentence}). In ngày {vnformat.date(printed_on)}."
    )
    qr = f"{QR_PREFIX}:{unit.code}:{form_id}:{period.code}:{sequence}:{manifest_sha256}"
    return Footer(text, qr)


def unsent_footer(packet: dict | None) -> Footer:
    """For figures that no packet holds: a page never exported is an ordinary page, its footer quiet; a page
    edited after the last packet says so in one short line, so it is not taken for that packet's copy."""
    if packet is None:
        return Footer("")
    short = short_fingerprint(packet["manifest_sha256"])
    return Footer(f"Số liệu đã sửa sau gói lần {packet['sequence']:02d} (mã gói {short}): bản in không khớp gói nào.")


def sent_or_unsent_footer(
    unit: Unit, form_id: str, period: Period, packet: dict | None, values_sha256: str, printed_on: dt.date
) -> Footer:
    """The packet's footer when ``packet`` still holds these values; otherwise the line saying the figures
    changed since ``packet``, or nothing for figures never exported."""
    if packet and packet["values_sha256"] == values_sha256:
        return packet_footer(unit, form_id, period, packet["sequence"], packet["manifest_sha256"], printed_on)
    return unsent_footer(packet)
