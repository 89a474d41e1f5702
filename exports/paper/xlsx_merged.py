"""The merged table as a printable workbook: the form filled with the upper
level's totals under the upper level's own letterhead and signature (its
PageSettings, as the merged PDF), then one row per unit below, then the
figures that jumped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from exports.atomic import output_path, write_atomically
from exports.collect.merge import MergedTable
from exports.paper.layout import Layout, layout_for, merged_title
from exports.paper.letterhead import PageSettings, page_settings
from exports.paper.xlsx_form import form_sheets
from exports.paper.xlsx_sheet import Change, grid_sheet, page_setup, workbook_bytes
from forms.engine import ReportData
from forms.messages import label_of
from models.gateway import Gateway
from models.report_records import ReportRef
from models.reporting import ReportView


def merged_file_name(table: MergedTable) -> str:
    return f"{table.parent.code}_{table.form.id}_{table.period.code}_tong-hop.xlsx"


def save_merged_workbook(gw: Gateway, table: MergedTable, out: str | Path, signed_on: dt.date | None = None) -> Path:
    """Write the merged workbook, under the upper level's letterhead and signer as its printout has them,
    to a file or into a folder (under merged_file_name); refused while no packet is accepted. The path written."""
    day = signed_on or dt.date.today()
    data = merged_workbook(
        gw,
        table.require_received(),
        signed_on=day,
        page=page_settings(gw, table.parent, on=day),
        layout=layout_for(gw, table.parent, table.form),
    )
    return write_atomically(output_path(out, merged_file_name(table)), data)


def merged_workbook(
    gw: Gateway,
    table: MergedTable,
    *,
    signed_on: dt.date,
    page: PageSettings,
    layout: Layout,
    signer_fingerprint: str | None = None,
) -> bytes:
    parent, form, period = table.parent, table.form, table.period
    view = ReportView(
        ReportRef(0, parent.code, form.id, form.version, period.code),
        form,
        parent,
        [],
        ReportData(parent.kind, parent.tier, (), {}, {}),
        table.evaluation(),
        {},
    )
    wb = form_sheets(
        view,
        period=period,
        signed_on=signed_on,
        page=page,
        layout=layout,
        signer_fingerprint=signer_fingerprint,
        title=merged_title(form),
        more_subtitles=(parent.name,),
    )
    rows = [ind for ind in form.indicators if ind.is_row and ind.is_numeric]
    units = [
        [
            u.unit.name,
            f"lần {u.sequence}" if u.figures is not None else "chưa gửi",
            *((u.figures[ind.id].value if u.figures is not None else None) for ind in rows),
        ]
        for u in table.units
    ]
    title = (
        f"SỐ LIỆU TỪNG ĐƠN VỊ - {form.id.upper()} - {period.label.upper()} ({len(table.received)}/{len(units)} đã gửi)"
    )
    by_unit = wb.create_sheet("Theo đơn vị")
    grid_sheet(by_unit, title, ["Đơn vị", "Gói", *(ind.code for ind in rows)], units)
    # A column for every indicator is too wide to shrink onto one page: it prints across pages.
    page_setup(by_unit, view, period, signer_fingerprint, pages_across=True)
    if table.jumps:
        jumps = [
            [
                j.unit.name,
                label_of(form, j.indicator),
                j.previous,
                j.current,
                Change(j.change),
            ]
            for j in table.jumps
        ]
        changes = wb.create_sheet("Biến động")
        grid_sheet(
            changes,
            f"SỐ LIỆU THAY ĐỔI NHIỀU SO VỚI KỲ TRƯỚC - {period.label.upper()}",
            ["Đơn vị", "Chỉ tiêu", "Kỳ trước", "Kỳ này", "Thay đổi (%)"],
            jumps,
        )
        page_setup(changes, view, period, signer_fingerprint)
    return workbook_bytes(wb, signed_on, form.title)
