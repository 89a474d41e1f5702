"""The receipt file (.sctb): the upper level's signed answer to a packet.

A receipt (biên nhận) says "received, accepted"; a return (trả lại) says
"received, correct these cells and send again", with the reason for each
(exports/collect/receipts.py issues them). Either is a small zip like a
packet (bien-nhan.json, its Ed25519 signature, the signer's public key), so
it travels the same way and openssl can check it. It names the packet it
answers by the SHA-256 of that packet's manifest, which the commune's
program kept when it exported the packet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from exports.packets.container import PacketInvalid, PacketUnreadable, canonical_zip, container_of, read_packet_file
from exports.packets.format import PUBLIC_KEY, json_bytes
from exports.strict_json import loads_strict
from models.about import APP_NAME, APP_VERSION
from models.errors import BadInput
from models.keys import KeyInfo, fingerprint_of, load_public_pem, spoken_fingerprint
from models.units import Unit
from models.vocabulary import ReceiptKind

FORMAT = "so-chi-tieu.receipt"
FORMAT_VERSION = 1
SUFFIX = ".sctb"
RECEIPT = "bien-nhan.json"
RECEIPT_SIGNATURE = "bien-nhan.sig"
ENTRIES = (RECEIPT, RECEIPT_SIGNATURE, PUBLIC_KEY)


@dataclass(frozen=True)
class Receipt:
    """A receipt read back, its signature checked against the key inside it."""

    data: dict
    raw: bytes

    @property
    def kind(self) -> ReceiptKind:
        return ReceiptKind(self.data["kind"])

    @property
    def fingerprint(self) -> str:
        return self.data["signer"]["fingerprint"]


# ---- writing (upper level) ---------------------------------------------------------------


def receipt_data(
    kind: ReceiptKind,
    issuer: Unit,
    manifest: dict,
    manifest_sha256: str,
    file_sha256: str,
    key: KeyInfo,
    at: dt.datetime,
    note: str,
    cells: list[dict],
) -> dict:
    """bien-nhan.json: the answer to the packet whose manifest (parsed, and its hash) is given."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app": {"name": APP_NAME, "version": APP_VERSION},
        "kind": kind,
        "issuer": {"code": issuer.code, "name": issuer.name},
        "packet": {
            "unit": {"code": manifest["unit"]["code"], "name": manifest["unit"]["name"]},
            "form": {"id": manifest["form"]["id"], "version": manifest["form"]["version"]},
            "period": manifest["period"],
            "sequence": manifest["sequence"],
            "manifest_sha256": manifest_sha256,
            "file_sha256": file_sha256,
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


def signed_receipt(receipt: dict, key: KeyInfo, private: Ed25519PrivateKey) -> bytes:
    """The receipt file's bytes: the JSON, its signature, the signer's public key."""
    data = json_bytes(receipt)
    return canonical_zip(
        [(RECEIPT, data), (RECEIPT_SIGNATURE, private.sign(data)), (PUBLIC_KEY, key.public_pem.encode())]
    )


def receipt_file_name(manifest: dict, kind: ReceiptKind) -> str:
    """ASCII, like the packet's: ``03445_kl224_2024_lan02_tra-lai.sctb``."""
    return (
        f"{manifest['unit']['code']}_{manifest['form']['id']}_{manifest['period']['code']}"
        f"_lan{manifest['sequence']:02d}_{kind.file_word}{SUFFIX}"
    )


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
        data = loads_strict(entries[RECEIPT])  # StrictJsonError is a ValueError: "bị hỏng" below
        if not isinstance(data, dict) or data.get("format") != FORMAT:
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
    if not all(isinstance(t, str) for t in texts) or data["kind"] not in set(ReceiptKind):
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
    said = f"{data['issuer']['name']} {'đã nhận' if data['kind'] == ReceiptKind.RECEIPT else 'trả lại'}"
    return f"{said} gói lần {packet['sequence']} biểu {packet['form']['id']}, {packet['period']['label']}"


def signer_words(data: dict) -> str:
    signer = data["signer"]
    return f"ký bởi {signer['name']}, mã khóa {spoken_fingerprint(signer['fingerprint'])}"
