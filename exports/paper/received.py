"""A unit's filled form printed at the upper level, from the packet it sent.

The district or province prints a commune's table for its committee from
the accepted packet: the commune's header, the figures recomputed from the
packet's cells, the warnings with the reasons the commune wrote, and the
footer of that very packet, so the paper and the inbox name the same one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from exports.collect.completeness import explained_warnings
from exports.collect.merge import accepted_figures, packet_report_data
from exports.packets.container import container_of
from exports.paper.footer import packet_footer
from exports.paper.letterhead import PageSettings
from exports.paper.page import Paragraph, PrintedDocument, Table
from exports.paper.report import amounts_in_words, form_table, reason_paragraphs, subtitles
from forms import vnformat
from forms.engine import evaluate
from forms.schema import FormDef, TargetSet
from models.gateway import Gateway
from models.periods import Period
from models.units import Unit


def accepted_packet(gw: Gateway, unit: Unit, form: FormDef, period: Period) -> int | None:
    """The id of the unit's accepted packet of this form and period, if one is filed."""
    found = accepted_figures(gw, form, period.code, [unit]).get(unit.code)
    return found.packet_id if found else None


def received_document(
    gw: Gateway,
    packet_id: int,
    unit: Unit,
    form: FormDef,
    period: Period,
    page: PageSettings,
    *,
    target_set: TargetSet | None = None,
    words: bool = False,
    printed_on: dt.date,
) -> PrintedDocument:
    packet = gw.inbox.get(packet_id)
    sequence, created_at = packet["sequence"], packet["created_at"]
    signer = json.loads(packet["manifest"])["signer"]["name"]
    manifest_sha = hashlib.sha256(
        container_of(packet["packet"], packet["file_name"]).entries["manifest.json"]
    ).hexdigest()
    evaluation = evaluate(form, packet_report_data(gw, packet_id, unit), target_set)
    signed_on = dt.datetime.fromisoformat(created_at).date()
    blocks: list[Table | Paragraph] = [
        form_table(form, evaluation),
        Paragraph(
            f"In từ gói lần {sequence} của {unit.name}, do {signer} ký ngày {vnformat.date(signed_on)},"
            f" {len(evaluation.errors)} lỗi, {len(evaluation.warnings)} cảnh báo.",
            italic=True,
            size=11,
        ),
        *reason_paragraphs([(w, r) for w, r in explained_warnings(gw, packet_id) if r]),
    ]
    if words:
        blocks += amounts_in_words(form, evaluation)
    return PrintedDocument(
        name=f"{unit.code}_{form.id}_{period.code}_lan{sequence:02d}_bieu-in",
        letterhead=page.letterhead(signed_on),
        title=form.title,
        subtitles=subtitles(form, period, target_set),
        blocks=tuple(blocks),
        signature=page.signature(),
        footer=packet_footer(unit, form.id, period, sequence, manifest_sha, printed_on),
    )
