"""The upper level's own packet: its merged table, signed with its own key,
sent to the level above in the same format as a commune's packet.

The manifest says ``"kind": "tong_hop"`` and lists the child packets the
table was built from with their hashes, so the level above (or anyone with
openssl) can tell exactly which signed packets stand behind each total.
so-lieu.json carries the summed figures with their denominators, so the
level above adds counts to counts and recomputes every percentage.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from exports.collect.merge import MergedTable
from exports.packets.container import container_of
from exports.packets.format import (
    DATA_JSON,
    FORM_XLSX,
    MERGED_KIND,
    PUBLIC_KEY,
    default_packet_name,
    json_bytes,
    manifest_of,
    page_entry,
    signed_zip,
)
from exports.packets.write import ExportedPacket, ReportNotReady, write_packet
from exports.paper.layout import default_layout
from exports.paper.letterhead import page_settings
from exports.paper.xlsx_merged import merged_workbook
from forms.engine import Figure
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import key_in_use, unlock_key
from models.reporting import fills

MERGED_FORMAT = "so-chi-tieu.merged"


def upward_blockers(gw: Gateway, table: MergedTable) -> list[str]:
    """Why the merged table cannot be signed upward yet; empty when it can."""
    blockers = []
    if fills(table.form, table.parent, table.period):
        blockers.append(
            f"{table.parent.name} tự lập biểu {table.form.id} cho {table.period.in_sentence}: gói gửi lên là báo cáo"
            " của chính đơn vị; bảng tổng hợp các đơn vị cấp dưới để in và lưu."
        )
    if not table.received:
        blockers.append(f"chưa nhận gói nào của đơn vị cấp dưới cho biểu {table.form.id}, {table.period.in_sentence}.")
    undecided = gw.inbox.units_in_conflict(table.form.id, table.period.code)
    names = {u.unit.code: u.unit.name for u in table.units}
    blockers += [f"{names.get(code, code)} có hai gói trùng lần gửi chưa quyết định." for code in undecided]
    return blockers


def export_upward(
    gw: Gateway, table: MergedTable, passphrase: str, out, *, at: dt.datetime | None = None
) -> ExportedPacket:
    """Sign the merged table with this unit's key and write it as a packet; each export takes the next sequence."""
    blockers = upward_blockers(gw, table)
    if blockers:
        raise ReportNotReady(blockers)
    parent, form, period = table.parent, table.form, table.period
    key = key_in_use(gw, parent.code)
    if key is None:
        raise BadInput(f"{parent.name} chưa có khóa ký; hãy tạo khóa ký của đơn vị trước.")
    private = unlock_key(gw, key, passphrase)
    at = (at or dt.datetime.now(dt.UTC)).astimezone()
    report = gw.ensure_report(parent.code, form.id, form.version, period.code, form.publisher)
    page, layout = page_settings(gw, parent, on=at.date()), default_layout(form)  # the body of its day

    def build(sequence: int) -> tuple[dict, bytes]:
        files = {
            FORM_XLSX: merged_workbook(
                gw, table, signed_on=at.date(), page=page, layout=layout, signer_fingerprint=key.spoken
            ),
            DATA_JSON: json_bytes(merged_data(table)),
            PUBLIC_KEY: key.public_pem.encode("ascii"),
        }
        manifest = manifest_of(
            parent,
            form,
            period,
            table.target_set,
            key,
            sequence,
            at,
            _summary(table),
            files,
            kind=MERGED_KIND,
            children=child_packets(gw, table),
            page=page_entry(page, layout, at.date()),
        )
        return manifest, signed_zip(manifest, files, private)

    return write_packet(
        gw,
        report,
        key,
        out,
        lambda sequence: default_packet_name(parent.code, form.id, period.code, sequence),
        build,
        values_sha256=merged_fingerprint(table),
    )


def merged_fingerprint(table: MergedTable) -> str:
    """SHA-256 of the merged figures: the printed merged table names the upward packet while it matches."""
    return hashlib.sha256(json_bytes(merged_data(table))).hexdigest()


def merged_data(table: MergedTable) -> dict:
    """so-lieu.json of a merged packet: the totals with denominators, then each unit's figures."""
    parent, form, period = table.parent, table.form, table.period
    numeric = [ind for ind in form.indicators if ind.is_numeric]
    return {
        "format": MERGED_FORMAT,
        "format_version": 1,
        "unit": {"code": parent.code, "name": parent.name, "kind": parent.kind},
        "form": {"id": form.id, "version": form.version, "title": form.title},
        "period": {
            "code": period.code,
            "label": period.label,
            "starts": period.starts.isoformat(),
            "ends": period.ends.isoformat(),
        },
        "target_set": (
            {"id": table.target_set.id, "name": table.target_set.name, "version": table.target_set.version}
            if table.target_set
            else None
        ),
        "figures": {ind.id: _figure(table.totals[ind.id]) for ind in numeric if table.totals[ind.id].applicable},
        "units": [
            {
                "code": u.unit.code,
                "name": u.unit.name,
                "sequence": u.sequence,
                "figures": (
                    {ind.id: _figure(u.figures[ind.id]) for ind in numeric if u.figures[ind.id].applicable}
                    if u.figures is not None
                    else None
                ),
            }
            for u in table.units
        ],
        "jumps": [
            {"unit": j.unit.code, "indicator": j.indicator, "previous": j.previous, "current": j.current}
            for j in table.jumps
        ],
    }


def child_packets(gw: Gateway, table: MergedTable) -> list[dict]:
    """The accepted packets behind the table, each with the hashes of its file and its manifest."""
    listed = []
    for unit in table.received:
        packet = gw.inbox.get(unit.packet_id)
        manifest = container_of(packet["packet"], packet["file_name"]).entries["manifest.json"]
        listed.append(
            {
                "unit_code": unit.unit.code,
                "unit_name": unit.unit.name,
                "sequence": unit.sequence,
                "file_sha256": packet["file_sha256"],
                "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
            }
        )
    return listed


def _summary(table: MergedTable) -> dict:
    return {
        "errors": 0,
        "warnings": len(table.jumps),
        "warnings_explained": 0,
        "cells_missing": 0,
        "units": len(table.units),
        "units_received": len(table.received),
    }


def _figure(figure: Figure) -> dict:
    return {"value": figure.value, "total": figure.total}
