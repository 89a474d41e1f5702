"""Commune side: the receipts and returns the upper level sent back, filed
against the packets this machine exported, and what they say about a report."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from exports.packets.container import PacketInvalid
from exports.packets.receipt_file import Receipt, read_receipt, receipt_words, signer_words
from forms import vnformat
from models.gateway import Gateway
from models.keys import spoken_fingerprint
from models.report_records import ReportRef
from models.vocabulary import AnswerState, ReceiptKind


@dataclass(frozen=True)
class FiledReceipt:
    receipt: Receipt
    report: ReportRef
    trusted: bool  # signed by a key enrolled for the upper level; False: filed unchecked, none enrolled yet
    new: bool  # False: this file was imported before

    def lines(self) -> list[str]:
        """What the file says, as a person reads it. An unchecked one is told as a claim, with what to do:
        its content does not count until the upper level's key is enrolled."""
        data = self.receipt.data
        if not self.trusted:
            return [
                f"Tệp ghi rằng {receipt_words(data)}; {signer_words(data)}.",
                f"Chưa đối chiếu được khóa của cấp trên: máy này chưa đăng ký khóa của {data['issuer']['name']}, "
                "nên nội dung biên nhận chưa được tính. Hãy nhận tệp đăng ký khóa (.sctk) của cấp trên và đọc lại "
                "mã khóa với cấp trên qua điện thoại; biên nhận này được đối chiếu ngay khi đăng ký khóa.",
            ]
        return [f"{receipt_words(data)}; {signer_words(data)}.", *answer_lines(data)]

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
    """File a receipt or return against the exported packet it answers; the same file twice changes nothing.

    Signed by a key enrolled for the unit directly above: filed, checked. No key of that unit enrolled
    yet: filed unchecked, and it does not count as the answer until its key is enrolled
    (``exports.collect.trust.enrol`` checks it then). A key of that unit enrolled but not this one:
    refused (PacketInvalid), nothing filed."""
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
    on_file = [row["fingerprint"] for row in gw.trust.of_unit(unit.parent_code)]
    if on_file and receipt.fingerprint not in on_file:
        raise PacketInvalid(
            f"Biên nhận “{Path(path).name}” ghi là của {data['issuer']['name']} nhưng được ký bằng khóa "
            f"{spoken_fingerprint(receipt.fingerprint)}, không phải khóa đã đăng ký của {data['issuer']['name']} "
            f"(mã {', '.join(spoken_fingerprint(f) for f in on_file)}); không nhập. Hãy gọi điện hỏi lại cấp trên: "
            "tệp có thể bị giả mạo, hoặc cấp trên đã đổi khóa (khi đó hãy nhận tệp đăng ký khóa mới của cấp trên)."
        )
    trusted = receipt.fingerprint in on_file
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
    trusted: bool = True  # False: a receipt is filed unchecked, waiting for the upper level's key


def report_answer(gw: Gateway, report: ReportRef) -> ReportAnswer:
    """The latest packet's answer. Only a receipt signed by the upper level's enrolled key counts; one
    filed unchecked is said to be waiting for that key, never shown as the answer."""
    latest = gw.sent.latest(report.id)
    if latest is None:
        return ReportAnswer(AnswerState.NOT_SENT, None, "Chưa ký và xuất gói gửi cấp trên.", [])
    sequence = latest["sequence"]
    answer = gw.receipts.latest_answer(latest["id"])  # a checked one first
    sent = f"Đã xuất gói lần {sequence} ngày {_day(latest['created_at'])}"
    if answer is None:
        return ReportAnswer(AnswerState.AWAITING, sequence, f"{sent}; chưa có biên nhận của cấp trên.", [])
    if not answer["trusted"]:
        parent = gw.require_unit(report.unit_code).parent_code
        if parent and gw.trust.of_unit(parent):  # the upper level's key is on file, and did not sign this one
            text = (
                f"{sent}; chưa có biên nhận của cấp trên (tệp biên nhận ký bằng khóa khác với khóa đã đăng ký "
                "của cấp trên không được tính)."
            )
            return ReportAnswer(AnswerState.AWAITING, sequence, text, [])
        text = (
            f"{sent}; có biên nhận hoặc trả lại chưa đối chiếu được khóa của cấp trên: hãy nhận tệp đăng ký "
            "khóa (.sctk) của cấp trên và đọc lại mã khóa với cấp trên qua điện thoại."
        )
        return ReportAnswer(AnswerState.AWAITING, sequence, text, [], trusted=False)
    issuer, day = answer["issuer_name"], _day(answer["issued_at"])
    if answer["kind"] == ReceiptKind.RECEIPT:
        text = f"{issuer} đã nhận gói lần {sequence} ngày {day}."
        return ReportAnswer(AnswerState.RECEIVED, sequence, text, [])
    text = (
        f"{issuer} trả lại gói lần {sequence} ngày {day}: {answer['note'].rstrip('.')}. "
        f"Sửa rồi ký và xuất lại (lần {sequence + 1})."
    )
    return ReportAnswer(AnswerState.RETURNED, sequence, text, answer["cells"])


def _day(stamp: str) -> str:
    return vnformat.date(dt.datetime.fromisoformat(stamp).date())
