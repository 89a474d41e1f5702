"""A unit's Ed25519 signing keys, kept in the database.

The private key is stored only as PKCS#8 PEM encrypted with the officer's
passphrase (cryptography's BestAvailableEncryption, the passphrase first
stretched with scrypt: see key_password); it never leaves this
table and is decrypted just for the moment of signing. A replaced key stays,
marked replaced, so packets it signed keep naming a known key.

A key is named by its fingerprint, the SHA-256 of the 32 raw public-key
bytes, and spoken as 20 digits in groups of four: digits are what two people
read to each other over a poor phone line without confusion.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from models.clock import now
from models.errors import BadInput, PassphraseRefused
from models.gateway import Gateway
from models.units import nfc

MIN_PASSPHRASE = 8
DEMO_PASSPHRASE = "muongte-mau"  # written in the README; the demo is for trying things


@dataclass(frozen=True)
class KeyInfo:
    fingerprint: str  # 64 hex digits
    unit_code: str
    public_pem: str
    holder_name: str
    holder_title: str
    created_at: str
    replaced_at: str | None
    replaced_by: str | None
    demo: bool

    @property
    def spoken(self) -> str:
        return spoken_fingerprint(self.fingerprint)

    @property
    def in_use(self) -> bool:
        return self.replaced_at is None

    def to_dict(self) -> dict:
        """What ``keys show --json`` lists; never the private half."""
        return {
            "unit_code": self.unit_code,
            "fingerprint": self.fingerprint,
            "spoken": self.spoken,
            "holder_name": self.holder_name,
            "holder_title": self.holder_title,
            "created_at": self.created_at,
            "replaced_at": self.replaced_at,
            "in_use": self.in_use,
        }

    @classmethod
    def from_row(cls, row: dict) -> KeyInfo:
        return cls(
            fingerprint=row["fingerprint"],
            unit_code=row["unit_code"],
            public_pem=row["public_pem"],
            holder_name=row["holder_name"],
            holder_title=row["holder_title"],
            created_at=row["created_at"],
            replaced_at=row["replaced_at"],
            replaced_by=row["replaced_by"],
            demo=bool(row["demo"]),
        )


# ---- fingerprints and PEM --------------------------------------------------------


def raw_public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint_of(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_bytes(key)).hexdigest()


def spoken_fingerprint(fingerprint: str) -> str:
    """“4821 0937 5512 8830 1146”: the first 64 bits of the fingerprint as 20 digits."""
    digits = f"{int(fingerprint[:16], 16):020d}"
    return " ".join(digits[i : i + 4] for i in range(0, 20, 4))


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def load_public_pem(data: bytes | str) -> Ed25519PublicKey:
    """The Ed25519 key in a PEM text, or BadInput."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise BadInput("Khóa công khai không đọc được (không phải PEM hợp lệ).") from None
    if not isinstance(key, Ed25519PublicKey):
        raise BadInput("Khóa công khai không phải loại Ed25519 mà Sổ Chỉ Tiêu dùng.")
    return key


# ---- passphrases -------------------------------------------------------------------


def passphrase_bytes(passphrase: str) -> bytes:
    # NFC: Unikey in its different modes types “ê” as one or two code points;
    # the same passphrase must open the key whichever way it was typed.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def key_password(passphrase: str, fingerprint: str) -> bytes:
    """What actually encrypts the private key: the passphrase stretched with scrypt.

    BestAvailableEncryption's PKCS#8 uses PBKDF2 with 2048 rounds, cheap to
    guess at if the database file is copied; scrypt first makes every guess
    cost tens of milliseconds and 16 MB. The salt is the key's own fingerprint.
    """
    # cryptography's scrypt, not hashlib's: the same function, and the bundle then needs no OpenSSL of Python's.
    return Scrypt(salt=bytes.fromhex(fingerprint), length=32, n=2**14, r=8, p=1).derive(passphrase_bytes(passphrase))


def check_new_passphrase(passphrase: str, repeated: str | None = None) -> None:
    if len(unicodedata.normalize("NFC", passphrase)) < MIN_PASSPHRASE:
        raise PassphraseRefused(f"Mật khẩu khóa ký cần ít nhất {MIN_PASSPHRASE} ký tự.")
    if repeated is not None and passphrase_bytes(passphrase) != passphrase_bytes(repeated):
        raise PassphraseRefused("Hai lần nhập mật khẩu không giống nhau.")


# ---- the keys of a unit --------------------------------------------------------------


def unit_keys(gw: Gateway, unit_code: str) -> list[KeyInfo]:
    """Every key of the unit, the one in use first, then the replaced ones newest first."""
    return [KeyInfo.from_row(r) for r in gw.keys.of_unit(unit_code)]


def key_in_use(gw: Gateway, unit_code: str) -> KeyInfo | None:
    return next((k for k in unit_keys(gw, unit_code) if k.in_use), None)


def unit_key(gw: Gateway, unit_code: str, code: str | None = None) -> KeyInfo:
    """The unit's key in use, or, given ``code``, its key (replaced ones too) whose fingerprint or
    spoken code starts with it (spaces ignored); BadInput when there is none."""
    unit = gw.require_unit(unit_code)
    keys = unit_keys(gw, unit.code)
    if code:
        wanted = code.replace(" ", "").lower()
        keys = [k for k in keys if k.fingerprint.startswith(wanted) or k.spoken.replace(" ", "").startswith(wanted)]
        if not keys:
            raise BadInput(f"{unit.name} không có khóa nào có mã bắt đầu bằng “{code}”.")
    if not keys:
        raise BadInput(f"{unit.name} chưa có khóa ký (tạo bằng lệnh keys init).")
    return keys[0]


def find_key(gw: Gateway, fingerprint: str) -> KeyInfo | None:
    row = gw.keys.get(fingerprint)
    return KeyInfo.from_row(row) if row else None


def create_unit_key(
    gw: Gateway,
    unit_code: str,
    passphrase: str,
    holder_name: str,
    holder_title: str = "",
    *,
    replace: bool = False,
    demo: bool = False,
) -> KeyInfo:
    """A new key pair for the unit. With ``replace`` the key in use is marked
    replaced (lost passphrase, new officer) and kept; without it a unit that
    already has a key is refused."""
    unit = gw.require_unit(unit_code)
    check_new_passphrase(passphrase)
    if not nfc(holder_name):
        raise BadInput("Cần họ tên người giữ khóa ký.")
    current = key_in_use(gw, unit.code)
    if current is not None and not replace:
        raise BadInput(
            f"{unit.name} đã có khóa ký (mã {current.spoken}). "
            "Muốn thay khóa mới thì chọn thay khóa; gói đã ký bằng khóa cũ vẫn kiểm tra được."
        )
    private = demo_private_key(unit.code) if demo else Ed25519PrivateKey.generate()
    public = private.public_key()
    encrypted = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(key_password(passphrase, fingerprint_of(public))),
    ).decode()
    stamp = DEMO_KEYS_MADE if demo else now()
    row = {
        "fingerprint": fingerprint_of(public),
        "unit_code": unit.code,
        "public_pem": public_pem(public),
        "private_pem": encrypted,
        "holder_name": nfc(holder_name),
        "holder_title": nfc(holder_title),
        "created_at": stamp,
        "replaced_at": None,
        "replaced_by": None,
        "demo": int(demo),
    }
    gw.keys.add(row, replacing=current.fingerprint if current is not None else None)
    return find_key(gw, row["fingerprint"])


# The demo's keys are the same on every machine (below), so they carry one date:
# the start of the demo's first period, so the upper level, which checks that a
# packet is not older than its key, accepts the demo packets of any date since.
DEMO_KEYS_MADE = "2024-01-01T08:00:00+07:00"


def demo_private_key(unit_code: str) -> Ed25519PrivateKey:
    """The demo's keys are derived from the unit code, so a demo upper level can
    trust the demo communes' keys without an exchange; they protect nothing."""
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(f"so-chi-tieu mau {unit_code}".encode()).digest())


def unlock_key(gw: Gateway, key: KeyInfo, passphrase: str) -> Ed25519PrivateKey:
    """The private key for one signature; BadInput for a wrong passphrase."""
    pem = gw.keys.private_pem(key.fingerprint)
    if pem is None:
        raise BadInput("Không tìm thấy khóa ký trong cơ sở dữ liệu.")
    try:
        private = serialization.load_pem_private_key(pem.encode(), key_password(passphrase, key.fingerprint))
    except (ValueError, TypeError):
        raise BadInput("Sai mật khẩu khóa ký.") from None
    if not isinstance(private, Ed25519PrivateKey) or fingerprint_of(private.public_key()) != key.fingerprint:
        raise BadInput("Khóa ký trong cơ sở dữ liệu không khớp với khóa công khai của nó; hãy tạo khóa mới.")
    return private
