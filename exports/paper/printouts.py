"""Which page to print, from what the officer chose: the window and `main.py print` both ask here."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from exports.paper.layout import Layout, layout_for
from exports.paper.letterhead import page_settings
from exports.paper.page import PrintedDocument
from models.errors import BadInput
from models.form_store import library_of
from models.gateway import Gateway
from models.periods import parse_period
from models.reporting import find_report_view, require_filler, require_form, require_period_kind, target_set_for


def filled_printout(
    gw: Gateway,
    unit_code: str,
    form_id: str,
    period_code: str,
    *,
    target_set: str | None = None,
    words: bool = False,
    printed_on: dt.date,
    layout: Layout | None = None,
    **page,
) -> PrintedDocument:
    from exports.paper.report import report_document, signed_as

    view = find_report_view(gw, unit_code, form_id, period_code, target_set)
    unit, period = gw.require_unit(unit_code), gw.period(period_code)
    if view is None:
        form = require_form(form_id, gw)
        return received_printout(gw, unit, form, period, target_set, words, printed_on, page, layout)
    signed = signed_as(gw, view)  # a report already sent: headed as it was signed, lines given here on top
    given = {name: value for name, value in page.items() if value is not None}
    settings = replace(signed, **given) if signed else page_settings(gw, unit, on=printed_on, **page)
    return report_document(gw, view, period, settings, printed_on=printed_on, words=words, layout=layout)


def received_printout(
    gw: Gateway, unit, form, period, target_set, words, printed_on, page, layout=None
) -> PrintedDocument:
    """At the upper level: the unit's form from its accepted packet, laid out as ``layout`` says or else
    as the packet was signed."""
    from exports.paper.received import accepted_packet, received_document

    packet_id = accepted_packet(gw, unit, form, period)
    if packet_id is None:
        raise BadInput(
            f"Chưa có báo cáo biểu {form.id} của {unit.name} cho {period.in_sentence}"
            " (ở cấp trên: chưa có gói được chấp nhận); in biểu trắng bằng --blank."
        )
    return received_document(
        gw,
        packet_id,
        unit,
        form,
        period,
        target_set=target_set_for(gw, form, target_set, period.code),
        words=words,
        printed_on=printed_on,
        lines=page,  # headed as it was signed (received.signed_page), with the lines given here
        layout=layout,
    )


def blank_printout(
    gw: Gateway,
    unit_code: str,
    form_id: str,
    period_code: str,
    *,
    printed_on: dt.date,
    layout: Layout | None = None,
    **page,
) -> PrintedDocument:
    """The form with empty cells (a report or an annex), or the village sheets when ``layout`` says village."""
    from exports.paper.report import blank_document
    from exports.paper.village_sheet import village_sheets

    unit = gw.require_unit(unit_code)
    form = require_form(form_id, gw)
    period = parse_period(period_code)
    require_filler(form, unit, period)
    require_period_kind(form, period)
    villages = gw.villages_of(unit.code)
    if layout is not None and layout.mode == "village":
        return village_sheets(form, unit, villages, period, printed_on=printed_on, per_sheet=layout.villages_per_sheet)
    settings = page_settings(gw, unit, on=printed_on, **page)
    return blank_document(form, unit, villages, period, settings, printed_on=printed_on, layout=layout)


def merged_printout(
    gw: Gateway,
    unit_code: str,
    form_id: str,
    period_code: str,
    *,
    target_set: str | None = None,
    words: bool = False,
    printed_on: dt.date,
    layout: Layout | None = None,
    **page,
) -> PrintedDocument:
    """The merged table as the level chose to print it for this form (layout_for, as its xlsx)."""
    from exports.collect.merge import merged_table
    from exports.paper.merged import merged_document

    table = merged_table(gw, unit_code, form_id, period_code, target_set).require_received()
    settings = page_settings(gw, table.parent, on=printed_on, **page)
    layout = layout or layout_for(gw, table.parent, table.form)
    return merged_document(gw, table, settings, printed_on=printed_on, words=words, layout=layout)


def completeness_printout(gw: Gateway, unit_code: str, period_code: str, *, printed_on: dt.date, **page):
    from exports.collect.completeness import completeness
    from exports.paper.merged import completeness_document

    table = completeness(gw, unit_code, period_code, library_of(gw), today=printed_on)
    return completeness_document(table, page_settings(gw, table.parent, on=printed_on, **page), printed_on=printed_on)


def form_document(
    gw: Gateway, view, period, settings, *, layout: Layout, blank: bool, words: bool, printed_on: dt.date
) -> PrintedDocument:
    """The open report as the print dialog chose it: filled or blank as a report or an annex, or the village
    sheets (always blank: written at the meetings)."""
    from exports.paper.report import blank_document, report_document
    from exports.paper.village_sheet import village_sheets

    unit, form = view.unit, view.form
    if layout.mode == "village":
        villages = gw.villages_of(unit.code)
        return village_sheets(form, unit, villages, period, printed_on=printed_on, per_sheet=layout.villages_per_sheet)
    if blank:
        villages = gw.villages_of(unit.code)
        return blank_document(form, unit, villages, period, settings, printed_on=printed_on, layout=layout)
    return report_document(gw, view, period, settings, printed_on=printed_on, words=words, layout=layout)
