"""A unit's filled form printed at the upper level, from the packet it sent.

The district or province prints a commune's table for its committee from
the accepted packet: the commune's header, the figures recomputed from the
packet's cells, the warnings with the reasons the commune wrote, and the
footer of that very packet, so the paper and the inbox name the same one.

A reprint keeps the body, number and date the report was signed with: the
manifest's "page" where the packet carries one, else the defaults of the
body in force on the day it was signed (a 2022 packet reprinted today is
headed by the 2022 Ban, not today's).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace

from exports.collect.completeness import explained_warnings
from exports.collect.merge import accepted_figures, packet_report_data
from exports.packets.container import container_of
from exports.paper.footer import packet_footer
from exports.paper.layout import Layout
from exports.paper.letterhead import PageSettings, default_settings, is_collecting, province_of, recorded_page
from exports.paper.page import Paragraph, PrintedDocument, Table
from exports.paper.report import amounts_in_words, form_table, reason_paragraphs, subtitles
from forms.engine import evaluate
from forms.schema import FormDef, TargetSet
from models.gateway import Gateway
from models.periods import Period
from models.units import Unit


def accepted_packet(gw: Gateway, unit: Unit, form: FormDef, period: Period) -> int | None:
    """The id of the unit's accepted packet of this form and period, if one is filed."""
    found = accepted_figures(gw, form, period.code, [unit]).get(unit.code)
    return found.packet_id if found else None


def signed_page(manifest: dict, gw: Gateway, unit: Unit, **overrides) -> tuple[PageSettings, dt.date]:
    """The page a packet was signed with and its date: the manifest's "page" object when present
    (verify.py checks its shape), else the defaults of the unit's body on the signing day, the
    signer's name left for the hand (the key's holder is the officer, not the Bí thư).
    ``overrides`` (a line given for this print) come last."""
    recorded = recorded_page(manifest.get("page"))
    if recorded is not None:
        return _with(recorded[0], overrides), recorded[1]
    day = dt.datetime.fromisoformat(manifest["created_at"]).date()
    unit = _as_signed(manifest, unit)
    parent = gw.unit(unit.parent_code) if unit.parent_code else None
    page = default_settings(unit, parent, upper_level=is_collecting(unit), on=day, province_code=province_of(gw, unit))
    return _with(page, overrides), day


def _as_signed(manifest: dict, unit: Unit) -> Unit:
    """The unit as the packet names it (its name and parent then: a commune since merged or
    renamed reprints under its old name)."""
    named = manifest.get("unit")
    if not isinstance(named, dict) or named.get("code") != unit.code:
        return unit
    return replace(
        unit,
        name=str(named.get("name") or unit.name),
        kind=str(named.get("kind") or unit.kind),
        parent_code=named.get("parent_code") if "parent_code" in named else unit.parent_code,
    )


def _with(page: PageSettings, overrides: dict) -> PageSettings:
    return replace(page, **{k: v for k, v in overrides.items() if v is not None})


def received_document(
    gw: Gateway,
    packet_id: int,
    unit: Unit,
    form: FormDef,
    period: Period,
    page: PageSettings | None = None,
    *,
    target_set: TargetSet | None = None,
    words: bool = False,
    printed_on: dt.date,
    lines: dict | None = None,
    layout: Layout | None = None,
) -> PrintedDocument:
    """The unit's form from packet ``packet_id``, headed as it was signed (``signed_page`` with the
    ``lines`` given for this print), or by ``page`` when the officer set every line himself; printed as
    ``layout`` says, else as the packet was (signed_layout)."""
    packet = gw.inbox.get(packet_id)
    sequence = packet["sequence"]
    manifest = json.loads(packet["manifest"])
    manifest_sha = hashlib.sha256(
        container_of(packet["packet"], packet["file_name"]).entries["manifest.json"]
    ).hexdigest()
    evaluation = evaluate(form, packet_report_data(gw, packet_id, unit), target_set)
    printed, dated = signed_page(manifest, gw, unit, **(lines or {}))
    if page is not None:
        printed = page  # the lines the officer chose for this print (the dialog starts from signed_page)
    # Which packet, who signed it and when are the footer's (packet_footer) and the inbox's: the page
    # itself is the committee's, with no program's note on it.
    blocks: list[Table | Paragraph] = [
        form_table(form, evaluation),
        *reason_paragraphs([(w, r) for w, r in explained_warnings(gw, packet_id) if r]),
    ]
    if words:
        blocks += amounts_in_words(form, evaluation)
    laid_out = layout or signed_layout(manifest)
    return PrintedDocument(
        name=f"{unit.code}_{form.id}_{period.code}_lan{sequence:02d}_bieu-in",
        letterhead=printed.letterhead(dated),
        title=form.title,
        # Without its letterhead (an annex) the page would name its unit only in the footer.
        subtitles=(*subtitles(form, period, target_set), *(() if laid_out.letterhead else (unit.name,))),
        blocks=tuple(blocks),
        signature=printed.signature(),
        footer=packet_footer(unit, form.id, period, sequence, manifest_sha, printed_on),
        layout=laid_out,
    )


def signed_layout(manifest: dict) -> Layout:
    """How the packet's page was laid out when it was signed (its manifest's page.mode, checked by
    verify.py): a report, or an annex; a packet that does not say prints as a report, with its letterhead."""
    recorded = manifest.get("page")
    mode = recorded.get("mode") if isinstance(recorded, dict) else None
    return Layout(mode=mode if mode in ("report", "annex") else "report")
