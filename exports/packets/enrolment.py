"""The enrolment file: a unit's public signing key, sent to the upper level.

The upper level trusts a key once someone has read its spoken fingerprint
aloud over the phone and it matched; after that, `packet verify --trust
FILE` accepts the packets that key signed for that unit. The file is JSON
so it can be read by eye; see docs/packet-format.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from exports.atomic import write_atomically
from exports.strict_json import StrictJsonError, loads_strict
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import KeyInfo, fingerprint_of, load_public_pem, spoken_fingerprint
from models.units import Unit

FORMAT = "so-chi-tieu.enrolment"
FORMAT_VERSION = 1
SUFFIX = ".sctk"
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Enrolment:
    unit_code: str
    unit_name: str
    holder_name: str
    holder_title: str
    fingerprint: str
    public_key: Ed25519PublicKey
    created_at: str
    replaced_at: str | None
    retired_at: str | None = None  # when this machine enrolled the unit's next key (never the sender's date)

    @property
    def spoken(self) -> str:
        return spoken_fingerprint(self.fingerprint)


class KeyRing:
    """Trusted enrolments looked up by fingerprint: an upper level holds thousands."""

    def __init__(self, enrolments=()):
        self._by_fingerprint: dict[str, list[Enrolment]] = {}
        for enrolment in enrolments:
            self.add(enrolment)

    def add(self, enrolment: Enrolment) -> None:
        self._by_fingerprint.setdefault(enrolment.fingerprint, []).append(enrolment)

    def with_fingerprint(self, fingerprint: str) -> list[Enrolment]:
        return self._by_fingerprint.get(fingerprint, [])

    def __bool__(self) -> bool:
        return bool(self._by_fingerprint)


def key_ring(gw: Gateway) -> KeyRing:
    """The keys this database trusts (gw.trust), each for its unit, as a ring to check signatures against."""
    names = gw.unit_names()
    return KeyRing(
        Enrolment(
            unit_code=row["unit_code"],
            unit_name=names.get(row["unit_code"], ""),
            holder_name=row["holder_name"],
            holder_title=row["holder_title"],
            fingerprint=row["fingerprint"],
            public_key=load_public_pem(row["public_pem"]),
            created_at=row["created_at"],
            replaced_at=row["replaced_at"],
            retired_at=row["retired_at"],
        )
        for row in gw.trust.all()
    )


def enrolment_bytes(key: KeyInfo, unit: Unit) -> bytes:
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "unit": {"code": unit.code, "name": unit.name},
        "holder": {"name": key.holder_name, "title": key.holder_title},
        "fingerprint": key.fingerprint,
        "spoken": key.spoken,
        "created_at": key.created_at,
        "replaced_at": key.replaced_at,
        "public_key_pem": key.public_pem,
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_enrolment(key: KeyInfo, unit: Unit, path: str | Path) -> Path:
    return write_atomically(path, enrolment_bytes(key, unit))


def default_enrolment_name(key: KeyInfo) -> str:
    return f"khoa-{key.unit_code}-{key.spoken.replace(' ', '')[:8]}{SUFFIX}"


def read_enrolment(path: str | Path) -> Enrolment:
    """The enrolment in a file, or BadInput saying what is wrong with it."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BadInput(f"Tệp “{path.name}” quá lớn để là tệp đăng ký khóa.")
        data = loads_strict(path.read_bytes())
    except FileNotFoundError:
        raise BadInput(f"Không tìm thấy tệp đăng ký khóa “{path}”.") from None
    except (OSError, StrictJsonError):
        raise BadInput(f"Tệp “{path.name}” không phải tệp đăng ký khóa của Sổ Chỉ Tiêu.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadInput(f"Tệp “{path.name}” không phải tệp đăng ký khóa của Sổ Chỉ Tiêu.")
    if data.get("format_version") != FORMAT_VERSION:
        raise BadInput(
            f"Tệp đăng ký khóa “{path.name}” theo định dạng phiên bản {data.get('format_version')!r}; "
            "hãy cập nhật chương trình."
        )
    try:
        unit, holder = data["unit"], data["holder"]
        fields = (unit["code"], unit["name"], holder["name"], holder["title"], data["fingerprint"], data["created_at"])
        pem = data["public_key_pem"]
    except (KeyError, TypeError):
        raise BadInput(f"Tệp đăng ký khóa “{path.name}” thiếu thông tin; hãy xin lại tệp.") from None
    if not all(isinstance(f, str) for f in (*fields, pem)):
        raise BadInput(f"Tệp đăng ký khóa “{path.name}” thiếu thông tin; hãy xin lại tệp.")
    public_key = load_public_pem(pem)
    if fingerprint_of(public_key) != data["fingerprint"]:
        raise BadInput(f"Tệp đăng ký khóa “{path.name}” đã bị sửa: khóa không khớp với mã khóa ghi trong tệp.")
    replaced = data.get("replaced_at")
    return Enrolment(*fields[:5], public_key, fields[5], replaced if isinstance(replaced, str) else None)


def read_trusted(given: Path) -> list[Enrolment]:
    """The enrolments of a file, or of every enrolment file in a folder (``packet verify --trust``)."""
    found = sorted(given.glob(f"*{SUFFIX}")) if given.is_dir() else [given]
    return [read_enrolment(path) for path in found]
