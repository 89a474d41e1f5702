"""Commune side: the receipts and returns the upper level sent back, filed
against the packets this machine exported, and what they say about a report."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from exports.collect.trust import key_ring
from exports.packets.container import PacketInvalid
from exports.packets.receipt_file import Receipt, read_receipt, receipt_words, signer_words
from forms import vnformat
from models.gateway import Gateway, ReportRef, now


@dataclass(frozen=True)
class FiledReceipt:
    receipt: Receipt
    report: ReportRef
    trusted: bool  # signed by a key enrolled for the upper level
    new: bool  # False: this file was imported before

    def lines(self) -> list[str]:
        data = self.receipt.data
        lines = [f"{receipt_words(data)}; {signer_words(data)}."]
        if not self.trusted:
            lines.append(
                "Chưa đối chiếu được khóa của cấp trên: hãy nhận tệp đăng ký khóa (.sctk) của cấp trên "
                "(lệnh keys enrol) sau khi đọc mã khóa qua điện thoại."
            )
        return lines + answer_lines(data)


def import_receipt(gw: Gateway, path: str | Path) -> FiledReceipt:
    """File a receipt or return against the exported packet it answers; the same file twice changes nothing."""
    receipt = read_receipt(path)
    data = receipt.data
    packet = gw.db.execute(
        "SELECT packets.id, reports.id FROM packets JOIN reports ON reports.id = packets.report_id "
        "WHERE packets.manifest_sha256 = ?",
        [data["packet"]["manifest_sha256"]],
    ).fetchone()
    if packet is None:
        raise PacketInvalid(
            f"{receipt_words(data)}, nhưng máy này không xuất gói đó (của {data['packet']['unit']['name']}); "
            "hãy mở biên nhận trên máy đã ký gói."
        )
    report = next(r for r in gw.reports() if r.id == packet[1])
    unit = gw.require_unit(report.unit_code)
    if data["issuer"]["code"] != unit.parent_code:
        raise PacketInvalid(f"Biên nhận do {data['issuer']['name']} ký, không phải cấp trên trực tiếp của {unit.name}.")
    trusted = any(e.unit_code == unit.parent_code for e in key_ring(gw).with_fingerprint(receipt.fingerprint))
    sha = hashlib.sha256(receipt.raw).hexdigest()
    if gw.db.execute("SELECT 1 FROM receipts WHERE receipt_sha256 = ?", [sha]).fetchone():
        if trusted:  # the upper level's key was enrolled since: the receipt now counts as checked
            with gw.transaction():
                gw.db.execute("UPDATE receipts SET trusted = 1 WHERE receipt_sha256 = ?", [sha])
        return FiledReceipt(receipt, report, trusted, new=False)
    with gw.transaction():
        gw.db["receipts"].insert(
            {
                "packet_id": packet[0],
                "kind": data["kind"],
                "note": data["note"],
                "cells": json.dumps(data["cells"], ensure_ascii=False),
                "issued_at": data["issued_at"],
                "issuer_code": data["issuer"]["code"],
                "issuer_name": data["issuer"]["name"],
                "signer_name": data["signer"]["name"],
                "signer_fingerprint": receipt.fingerprint,
                "trusted": int(trusted),
                "receipt_sha256": sha,
                "imported_at": now(),
            }
        )
    return FiledReceipt(receipt, report, trusted, new=True)


def answer_lines(data: dict) -> list[str]:
    """The return's reason and cells to correct, as a person reads them (nothing for a receipt)."""
    if data["kind"] != "tra_lai":
        return []
    lines = [f"Lý do trả lại: {data['note']}"]
    lines += [f"- {c['label']} ({c['unit_name']}): {c['note']}" for c in data["cells"]]
    return lines


@dataclass(frozen=True)
class ReportAnswer:
    """Where the report stands with the upper level."""

    state: str  # chua_xuat, cho_bien_nhan, da_nhan, tra_lai
    sequence: int | None
    text: str
    cells: list[dict]  # the cells a return asks to correct
    trusted: bool = True


def report_answer(gw: Gateway, report: ReportRef) -> ReportAnswer:
    latest = gw.db.execute(
        "SELECT id, sequence, created_at FROM packets WHERE report_id = ? ORDER BY sequence DESC LIMIT 1", [report.id]
    ).fetchone()
    if latest is None:
        return ReportAnswer("chua_xuat", None, "Chưa ký và xuất gói gửi cấp trên.", [])
    packet_id, sequence, created_at = latest
    answer = gw.db.execute(
        "SELECT kind, note, cells, issued_at, issuer_name, trusted FROM receipts WHERE packet_id = ? "
        "ORDER BY trusted DESC, issued_at DESC, id DESC LIMIT 1",  # an unchecked key never outranks the checked one
        [packet_id],
    ).fetchone()
    sent = f"Đã xuất gói lần {sequence} ngày {_day(created_at)}"
    if answer is None:
        return ReportAnswer("cho_bien_nhan", sequence, f"{sent}; chưa có biên nhận của cấp trên.", [])
    kind, note, cells, issued_at, issuer, trusted = answer
    unchecked = "" if trusted else " (chưa đối chiếu khóa cấp trên)"
    if kind == "bien_nhan":
        text = f"{issuer} đã nhận gói lần {sequence} ngày {_day(issued_at)}{unchecked}."
        return ReportAnswer("da_nhan", sequence, text, [], bool(trusted))
    text = (
        f"{issuer} trả lại gói lần {sequence} ngày {_day(issued_at)}{unchecked}: {note.rstrip('.')}. "
        f"Sửa rồi ký và xuất lại (lần {sequence + 1})."
    )
    return ReportAnswer("tra_lai", sequence, text, json.loads(cells), bool(trusted))


def _day(stamp: str) -> str:
    return vnformat.date(dt.datetime.fromisoformat(stamp).date())
