"""The upper level answers a packet: a receipt (biên nhận, "received,
accepted") or a return (trả lại, "correct these cells and send again", with
the reason for each), signed with its key and written as a receipt file
(exports/packets/receipt_file.py). A return sets the packet aside until the
corrected one, the next sequence, arrives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from exports.atomic import output_path, write_atomically
from exports.collect.received import packet_villages
from exports.packets.container import container_of
from exports.packets.format import MANIFEST
from exports.packets.receipt_file import receipt_data, receipt_file_name, signed_receipt
from forms.library import FormLibrary
from forms.messages import label_of
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import key_in_use, unlock_key
from models.vocabulary import ANSWERABLE, PacketStatus, ReceiptKind


@dataclass(frozen=True)
class Query:
    """One cell the upper level asks to be corrected, and why."""

    indicator: str
    unit_code: str
    note: str


@dataclass(frozen=True)
class IssuedReceipt:
    path: Path
    receipt: dict

    def to_dict(self) -> dict:
        """What ``receipt issue --json`` prints."""
        return {"file": str(self.path), "receipt": self.receipt}


def issue_receipt(
    gw: Gateway,
    packet_id: int,
    kind: str,
    passphrase: str,
    out: str | Path,
    library: FormLibrary,
    who: str,
    *,
    note: str = "",
    queries: list[Query] = (),
    at: dt.datetime | None = None,
) -> IssuedReceipt:
    """Sign and write a receipt or return for a received packet; a return sets the packet aside."""
    try:
        kind = ReceiptKind(kind)
    except ValueError:
        raise BadInput(f"Loại biên nhận “{kind}” không có; chọn bien_nhan hoặc tra_lai.") from None
    packet = _answerable_packet(gw, packet_id)
    note = " ".join(note.split())
    if kind == ReceiptKind.RETURN and not note:
        raise BadInput("Trả lại gói thì phải ghi lý do, để xã biết sửa gì.")
    if kind == ReceiptKind.RECEIPT and packet["status"] == PacketStatus.RETURNED:
        # The packet stays set aside (merge does not count it): a receipt would tell the commune the opposite.
        raise BadInput(f"Gói số {packet_id} đã bị trả lại; chờ bản sửa (lần gửi sau) rồi gửi biên nhận cho bản đó.")
    if kind == ReceiptKind.RECEIPT and queries:
        raise BadInput("Ô cần sửa chỉ ghi khi trả lại gói.")
    form = library.get(packet["form_id"], packet["form_version"], packet["form_publisher"] or "")
    manifest = json.loads(packet["manifest"])
    places = {manifest["unit"]["code"]: manifest["unit"]["name"]}
    if queries:  # the village names travel in the packet's so-lieu.json, read once for all the cells
        places.update(packet_villages(gw, packet_id))
    cells = [_query_cell(packet, form, places, q) for q in queries]
    home = gw.require_unit(gw.setting("home_unit") or "")
    key = key_in_use(gw, home.code)
    if key is None:
        raise BadInput(f"{home.name} chưa có khóa ký; hãy tạo khóa ký của đơn vị trước.")
    private = unlock_key(gw, key, passphrase)
    at = (at or dt.datetime.now(dt.UTC)).astimezone()
    packet_manifest = container_of(packet["packet"], packet["file_name"]).entries[MANIFEST]
    receipt = receipt_data(
        kind, home, manifest, hashlib.sha256(packet_manifest).hexdigest(), packet["file_sha256"], key, at, note, cells
    )
    zipped = signed_receipt(receipt, key, private)
    with gw.transaction():
        path = output_path(out, receipt_file_name(manifest, kind))
        gw.receipts.record_issued(
            {
                "packet_id": packet_id,
                "kind": kind,
                "note": note,
                "cells": cells,
                "issued_at": receipt["issued_at"],
                "issued_by": who,
                "fingerprint": key.fingerprint,
                "file_name": path.name,
                "receipt_sha256": hashlib.sha256(zipped).hexdigest(),
            }
        )
        if kind == ReceiptKind.RETURN:
            gw.inbox.send_back(packet_id, note)
        write_atomically(path, zipped)
    return IssuedReceipt(path, receipt)


def _answerable_packet(gw: Gateway, packet_id: int) -> dict:
    packet = gw.inbox.get(packet_id)
    if packet is None:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    if packet["status"] not in ANSWERABLE:
        raise BadInput(
            f"Gói số {packet_id} không ở trạng thái đã nhận; chỉ gửi biên nhận hoặc trả lại gói đã nhận "
            "(gói trùng lần gửi: quyết định trước; gói chờ khóa: đăng ký khóa trước)."
        )
    return packet


def _query_cell(packet: dict, form, places: dict[str, str], query: Query) -> dict:
    """The queried cell with its label and place named, refused if the packet has no such cell."""
    if form is None or not form.has_indicator(query.indicator):
        raise BadInput(f"Biểu {packet['form_id']} không có chỉ tiêu “{query.indicator}”.")
    unit_code = query.unit_code or packet["unit_code"]
    if unit_code not in places:
        raise BadInput(f"Gói của {places[packet['unit_code']]} không có thôn, bản mã “{unit_code}”.")
    if unit_code != packet["unit_code"] and form.indicator(query.indicator).grain != "village":
        raise BadInput(f"Chỉ tiêu “{query.indicator}” là số của cả xã, không ghi theo thôn, bản.")
    if not query.note.strip():
        raise BadInput(f"Hãy ghi cần sửa gì ở ô {query.indicator} của {places[unit_code]}.")
    return {
        "indicator": query.indicator,
        "label": label_of(form, query.indicator),
        "unit_code": unit_code,
        "unit_name": places[unit_code],
        "note": " ".join(query.note.split()),
    }


def return_queries(gw: Gateway, packet_id: int) -> list[Query]:
    """The cells a return should ask to correct: the errors this level found in the packet's
    figures, one query each with the rule's own sentence (none for a packet without errors)."""
    packet = gw.inbox.get(packet_id)
    if packet is None:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    findings = json.loads(packet["findings"] or "[]")
    queries, seen = [], set()
    for f in findings:
        cell = (f["indicator"], f["unit_code"])
        if f["severity"] == "error" and cell not in seen:
            seen.add(cell)
            queries.append(Query(f["indicator"], f["unit_code"], f["message"]))
    return queries


def parse_query(text: str) -> Query:
    """``INDICATOR[@UNIT]=why`` as typed on the command line."""
    cell, sep, note = text.partition("=")
    indicator, _, unit = cell.strip().partition("@")
    if not sep or not indicator:
        raise BadInput(f"Ô cần sửa “{text}” phải viết dạng CHỈ_TIÊU=lý do hoặc CHỈ_TIÊU@MÃ_BẢN=lý do.")
    return Query(indicator.strip(), unit.strip(), note.strip())
