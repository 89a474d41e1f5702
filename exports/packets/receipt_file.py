"""Receipts and returns: the upper level's signed answer to a packet.

A receipt (biên nhận) says "received, accepted"; a return (trả lại) says
"received, correct these cells and send again", with the reason for each.
Either is a small zip like a packet (bien-nhan.json, its Ed25519 signature,
the signer's public key), so it travels the same way and openssl can check
it. It names the packet it answers by the SHA-256 of that packet's manifest,
which the commune's program kept when it exported the packet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature

from exports.atomic import output_path, write_atomically
from exports.collect.received import packet_villages
from exports.packets.container import PacketInvalid, PacketUnreadable, canonical_zip, container_of, read_packet_file
from exports.packets.write import MANIFEST, PUBLIC_KEY, json_bytes
from forms.library import FormLibrary
from forms.messages import label_of
from models.about import APP_NAME, APP_VERSION
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import fingerprint_of, key_in_use, load_public_pem, spoken_fingerprint, unlock_key

FORMAT = "so-chi-tieu.receipt"
FORMAT_VERSION = 1
SUFFIX = ".sctb"
RECEIPT = "bien-nhan.json"
RECEIPT_SIGNATURE = "bien-nhan.sig"
ENTRIES = (RECEIPT, RECEIPT_SIGNATURE, PUBLIC_KEY)
KIND_WORDS = {"bien_nhan": "biên nhận", "tra_lai": "trả lại, yêu cầu sửa"}
FILE_WORDS = {"bien_nhan": "bien-nhan", "tra_lai": "tra-lai"}


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


@dataclass(frozen=True)
class Receipt:
    """A receipt read back, its signature checked against the key inside it."""

    data: dict
    raw: bytes

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def fingerprint(self) -> str:
        return self.data["signer"]["fingerprint"]


# ---- issuing (upper level) ------------------------------------------------------------


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
    if kind not in KIND_WORDS:
        raise BadInput(f"Loại biên nhận “{kind}” không có; chọn bien_nhan hoặc tra_lai.")
    packet = _answerable_packet(gw, packet_id)
    note = " ".join(note.split())
    if kind == "tra_lai" and not note:
        raise BadInput("Trả lại gói thì phải ghi lý do, để xã biết sửa gì.")
    if kind == "bien_nhan" and packet["status"] == "returned":
        # The packet stays set aside (merge does not count it): a receipt would tell the commune the opposite.
        raise BadInput(f"Gói số {packet_id} đã bị trả lại; chờ bản sửa (lần gửi sau) rồi gửi biên nhận cho bản đó.")
    if kind == "bien_nhan" and queries:
        raise BadInput("Ô cần sửa chỉ ghi khi trả lại gói.")
    form = library.get(packet["form_id"], packet["form_version"])
    manifest = json.loads(packet["manifest"])
    places = {manifest["unit"]["code"]: manifest["unit"]["name"]}
    if queries:  # the village names travel in the packet's so-lieu.json, read once for all the cells
        places.update(packet_villages(gw, packet_id))
    cells = [_query_cell(packet, form, places, q) for q in queries]
    home = gw.require_unit(gw.setting("home_unit") or "")
    key = key_in_use(gw, home.code)
    if key is None:
        raise BadInput(f"{home.name} chưa có khóa ký; hãy tạo khóa trước (lệnh keys init).")
    private = unlock_key(gw, key, passphrase)
    at = (at or dt.datetime.now(dt.UTC)).astimezone()
    packet_manifest = container_of(packet["packet"], packet["file_name"]).entries[MANIFEST]
    receipt = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app": {"name": APP_NAME, "version": APP_VERSION},
        "kind": kind,
        "issuer": {"code": home.code, "name": home.name},
        "packet": {
            "unit": {"code": manifest["unit"]["code"], "name": manifest["unit"]["name"]},
            "form": {"id": manifest["form"]["id"], "version": manifest["form"]["version"]},
            "period": manifest["period"],
            "sequence": manifest["sequence"],
            "manifest_sha256": hashlib.sha256(packet_manifest).hexdigest(),
            "file_sha256": packet["file_sha256"],
        },
        "issued_at": at.isoformat(timespec="seconds"),
        "signer": {
            "name": key.holder_name,
            "title": key.holder_title,
            "fingerprint": key.fingerprint,
            "spoken": key.spoken,
        },
        "note": note,
        "cells": cells,
    }
    data = json_bytes(receipt)
    zipped = canonical_zip(
        [(RECEIPT, data), (RECEIPT_SIGNATURE, private.sign(data)), (PUBLIC_KEY, key.public_pem.encode())]
    )
    name = (
        f"{manifest['unit']['code']}_{manifest['form']['id']}_{manifest['period']['code']}"
        f"_lan{manifest['sequence']:02d}_{FILE_WORDS[kind]}{SUFFIX}"
    )
    with gw.transaction():
        path = output_path(out, name)
        gw.db["issued_receipts"].insert(
            {
                "packet_id": packet_id,
                "kind": kind,
                "note": note,
                "cells": json.dumps(cells, ensure_ascii=False),
                "issued_at": receipt["issued_at"],
                "issued_by": who,
                "fingerprint": key.fingerprint,
                "file_name": path.name,
                "receipt_sha256": hashlib.sha256(zipped).hexdigest(),
            }
        )
        if kind == "tra_lai":
            gw.db["received_packets"].update(packet_id, {"status": "returned", "reason": f"Đã trả lại: {note}"})
        write_atomically(path, zipped)
    return IssuedReceipt(path, receipt)


def _answerable_packet(gw: Gateway, packet_id: int) -> dict:
    rows = list(gw.db.query("SELECT * FROM received_packets WHERE id = ?", [packet_id]))
    if not rows:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    packet = rows[0]
    if packet["status"] not in ("accepted", "returned"):
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


def parse_query(text: str) -> Query:
    """``INDICATOR[@UNIT]=why`` as typed on the command line."""
    cell, sep, note = text.partition("=")
    indicator, _, unit = cell.strip().partition("@")
    if not sep or not indicator:
        raise BadInput(f"Ô cần sửa “{text}” phải viết dạng CHỈ_TIÊU=lý do hoặc CHỈ_TIÊU@MÃ_BẢN=lý do.")
    return Query(indicator.strip(), unit.strip(), note.strip())


# ---- reading (commune level) ------------------------------------------------------------


def read_receipt(path: str | Path) -> Receipt:
    """A receipt file, whole and signed by the key it carries; PacketUnreadable or PacketInvalid otherwise."""
    path = Path(path)
    raw = read_packet_file(path)
    container = container_of(raw, path.name)
    entries = container.entries
    if RECEIPT not in entries:
        raise PacketUnreadable(f"Tệp “{path.name}” không phải biên nhận của Sổ Chỉ Tiêu.")
    try:
        data = json.loads(entries[RECEIPT].decode("utf-8"))
        if data.get("format") != FORMAT:
            raise PacketUnreadable(f"Tệp “{path.name}” không phải biên nhận của Sổ Chỉ Tiêu.")
        if data.get("format_version") != FORMAT_VERSION:
            raise PacketUnreadable(f"Biên nhận “{path.name}” theo định dạng mới hơn; hãy cập nhật Sổ Chỉ Tiêu.")
        key = load_public_pem(entries[PUBLIC_KEY])
        if fingerprint_of(key) != data["signer"]["fingerprint"]:
            raise PacketInvalid("biên nhận được ký bằng một khóa khác với khóa ghi trong biên nhận.")
        key.verify(entries[RECEIPT_SIGNATURE], entries[RECEIPT])
        _check_shape(data)
    except InvalidSignature:
        raise PacketInvalid(f"Biên nhận “{path.name}” không hợp lệ: chữ ký không khớp, tệp đã bị sửa.") from None
    except (ValueError, KeyError, TypeError, AttributeError, BadInput):
        raise PacketInvalid(f"Biên nhận “{path.name}” bị hỏng hoặc thiếu thông tin.") from None
    if list(entries) != list(ENTRIES) or not container.canonical:
        raise PacketInvalid(f"Biên nhận “{path.name}” đã bị nén lại hoặc thêm bớt tệp; hãy xin lại bản gốc.")
    return Receipt(data, raw)


def _check_shape(data: dict) -> None:
    packet = data["packet"]
    texts = (
        data["kind"],
        data["issuer"]["code"],
        data["issuer"]["name"],
        packet["unit"]["code"],
        packet["unit"]["name"],
        packet["form"]["id"],
        packet["period"]["code"],
        packet["period"]["label"],
        packet["manifest_sha256"],
        data["issued_at"],
        data["signer"]["name"],
        data["note"],
    )
    if not all(isinstance(t, str) for t in texts) or data["kind"] not in KIND_WORDS:
        raise ValueError
    if not isinstance(packet["sequence"], int) or not isinstance(data["cells"], list):
        raise ValueError
    dt.datetime.fromisoformat(data["issued_at"])  # shown as a date beside the report: ValueError if it is not one
    for cell in data["cells"]:
        if not all(isinstance(cell[k], str) for k in ("indicator", "label", "unit_code", "unit_name", "note")):
            raise ValueError


def receipt_words(data: dict) -> str:
    """One sentence: who answered which packet, how."""
    packet = data["packet"]
    said = f"{data['issuer']['name']} {'đã nhận' if data['kind'] == 'bien_nhan' else 'trả lại'}"
    return f"{said} gói lần {packet['sequence']} biểu {packet['form']['id']}, {packet['period']['label']}"


def signer_words(data: dict) -> str:
    signer = data["signer"]
    return f"ký bởi {signer['name']}, mã khóa {spoken_fingerprint(signer['fingerprint'])}"
