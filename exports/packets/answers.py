"""Commune side: the receipts and returns the upper level sent back, filed
against the packets this machine exported, and what they say about a report."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from exports.packets.container import PacketInvalid
from exports.packets.enrolment import key_ring
from exports.packets.receipt_file import Receipt, read_receipt, receipt_words, signer_words
from forms import vnformat
from models.gateway import Gateway, ReportRef
from models.vocabulary import AnswerState, ReceiptKind


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

    def to_dict(self) -> dict:
        """What ``receipt import --json`` prints."""
        return {
            "receipt": self.receipt.data,
            "trusted": self.trusted,
            "new": self.new,
            "report": {
                "unit_code": self.report.unit_code,
                "form_id": self.report.form_id,
                "period": self.report.period_code,
            },
        }


def import_receipt(gw: Gateway, path: str | Path) -> FiledReceipt:
    """File a receipt or return against the exported packet it answers; the same file twice changes nothing."""
    receipt = read_receipt(path)
    data = receipt.data
    packet = gw.sent.by_manifest(data["packet"]["manifest_sha256"])
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
    if gw.receipts.is_filed(sha):
        if trusted:  # the upper level's key was enrolled since: the receipt now counts as checked
            gw.receipts.mark_trusted(sha)
        return FiledReceipt(receipt, report, trusted, new=False)
    gw.receipts.file(
        {
            "packet_id": packet[0],
            "kind": data["kind"],
            "note": data["note"],
            "cells": data["cells"],
            "issued_at": data["issued_at"],
            "issuer_code": data["issuer"]["code"],
            "issuer_name": data["issuer"]["name"],
            "signer_name": data["signer"]["name"],
            "signer_fingerprint": receipt.fingerprint,
            "trusted": trusted,
            "receipt_sha256": sha,
        }
    )
    return FiledReceipt(receipt, report, trusted, new=True)


def answer_lines(data: dict) -> list[str]:
    """The return's reason and cells to correct, as a person reads them (nothing for a receipt)."""
    if data["kind"] != ReceiptKind.RETURN:
        return []
    lines = [f"Lý do trả lại: {data['note']}"]
    lines += [f"- {c['label']} ({c['unit_name']}): {c['note']}" for c in data["cells"]]
    return lines


@dataclass(frozen=True)
class ReportAnswer:
    """Where the report stands with the upper level."""

    state: AnswerState
    sequence: int | None
    text: str
    cells: list[dict]  # the cells a return asks to correct
    trusted: bool = True


def report_answer(gw: Gateway, report: ReportRef) -> ReportAnswer:
    latest = gw.sent.latest(report.id)
    if latest is None:
        return ReportAnswer(AnswerState.NOT_SENT, None, "Chưa ký và xuất gói gửi cấp trên.", [])
    sequence = latest["sequence"]
    answer = gw.receipts.latest_answer(latest["id"])
    sent = f"Đã xuất gói lần {sequence} ngày {_day(latest['created_at'])}"
    if answer is None:
        return ReportAnswer(AnswerState.AWAITING, sequence, f"{sent}; chưa có biên nhận của cấp trên.", [])
    unchecked = "" if answer["trusted"] else " (chưa đối chiếu khóa cấp trên)"
    issuer, day = answer["issuer_name"], _day(answer["issued_at"])
    if answer["kind"] == ReceiptKind.RECEIPT:
        text = f"{issuer} đã nhận gói lần {sequence} ngày {day}{unchecked}."
        return ReportAnswer(AnswerState.RECEIVED, sequence, text, [], answer["trusted"])
    text = (
        f"{issuer} trả lại gói lần {sequence} ngày {day}{unchecked}: {answer['note'].rstrip('.')}. "
        f"Sửa rồi ký và xuất lại (lần {sequence + 1})."
    )
    return ReportAnswer(AnswerState.RETURNED, sequence, text, answer["cells"], answer["trusted"])


def _day(stamp: str) -> str:
    return vnformat.date(dt.datetime.fromisoformat(stamp).date())
