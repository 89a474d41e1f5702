"""Trusted keys: the enrolment files of the units below (the upper level) or of
the unit directly above (a commune, for its receipts and returns), kept in the
database after the fingerprint was read back over the phone."""

from __future__ import annotations

from dataclasses import dataclass

from exports.packets.enrolment import Enrolment
from exports.publications.receive import apply_held
from models.clock import now
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import public_pem, spoken_fingerprint


@dataclass(frozen=True)
class Enrolled:
    enrolment: Enrolment
    new: bool  # False: this key was already trusted for this unit
    receipts_checked: int = 0  # the unit above: receipts this key signed, filed unchecked, that now count
    receipts_set_aside: int = 0  # the unit above: receipts still unchecked (another key): never the answer
    retired: tuple[dict, ...] = ()  # the unit's keys this one replaced (trusted_keys rows)
    publications: tuple[str, ...] = ()  # the unit above: what its held publications did once applied, a sentence each

    def sentence(self) -> str:
        """What the officer is told: the key enrolled, and the keys it retired with their codes."""
        e = self.enrolment
        text = (
            f"Đã đăng ký khóa {e.spoken} của {e.holder_name} ({e.unit_name})."
            if self.new
            else f"Khóa {e.spoken} của {e.unit_name} đã được đăng ký từ trước."
        )
        return " ".join(part for part in (text, self.retired_sentence(), *self.publications) if part)

    def retired_sentence(self) -> str:
        """The keys this enrolment retired, each with its code and holder; "" when none."""
        return " ".join(
            f"Khóa cũ {spoken_fingerprint(old['fingerprint'])} của {old['holder_name']} thôi dùng từ lúc này: "
            "gói ký bằng khóa cũ nhận sau lúc này sẽ được giữ lại chờ cán bộ xem."
            for old in self.retired
        )


@dataclass(frozen=True)
class KeyOnFile:
    """A key this database already trusts for a unit, as the officer is told of it."""

    fingerprint: str
    unit_code: str
    holder_name: str
    holder_title: str
    created_at: str
    replaced_at: str | None
    enrolled_at: str
    retired_at: str | None = None  # when this machine enrolled the unit's next key

    @property
    def spoken(self) -> str:
        """Computed from the fingerprint, never taken from a file's text."""
        return spoken_fingerprint(self.fingerprint)


def keys_on_file(gw: Gateway, unit_code: str) -> list[KeyOnFile]:
    """The keys enrolled for the unit, the latest enrolment first."""
    return [
        KeyOnFile(
            fingerprint=row["fingerprint"],
            unit_code=row["unit_code"],
            holder_name=row["holder_name"],
            holder_title=row["holder_title"],
            created_at=row["created_at"],
            replaced_at=row["replaced_at"],
            enrolled_at=row["enrolled_at"],
            retired_at=row["retired_at"],
        )
        for row in gw.trust.of_unit(unit_code)
    ]


def other_keys_on_file(gw: Gateway, enrolment: Enrolment) -> list[KeyOnFile]:
    """The keys already on file for the enrolment's unit that are not the one it carries: the officer
    is warned that enrolling this file replaces them."""
    return [k for k in keys_on_file(gw, enrolment.unit_code) if k.fingerprint != enrolment.fingerprint]


def enrol(gw: Gateway, enrolment: Enrolment, who: str) -> Enrolled:
    """Trust the key for its unit: a unit below this one (its packets), or the
    one directly above (its receipts and returns; those it signed that were
    filed unchecked count from now on)."""
    unit = gw.unit(enrolment.unit_code)
    home = gw.unit(gw.setting("home_unit") or "")
    above = home is not None and unit is not None and home.parent_code == unit.code
    if unit is None or home is None or not (above or is_below(gw, unit.code, home.code)):
        raise BadInput(
            f"Khóa này của đơn vị “{enrolment.unit_name}” ({enrolment.unit_code}), không phải đơn vị cấp dưới "
            "hay cấp trên trực tiếp của đơn vị trên máy này; không đăng ký."
        )
    known = gw.trust.is_trusted(enrolment.fingerprint, unit.code)
    with gw.transaction():
        retired = gw.trust.enrol(
            {
                "fingerprint": enrolment.fingerprint,
                "unit_code": unit.code,
                "public_pem": public_pem(enrolment.public_key),
                "holder_name": enrolment.holder_name,
                "holder_title": enrolment.holder_title,
                "created_at": enrolment.created_at,
                "replaced_at": enrolment.replaced_at,
                "enrolled_at": now(),
                "enrolled_by": who,
            }
        )
        checked = gw.receipts.trust_signer(enrolment.fingerprint, unit.code) if above else 0
    set_aside = gw.receipts.unchecked(unit.code) if above else 0
    applied = apply_held(gw, unit.code, enrolment.fingerprint, who) if above else []
    return Enrolled(enrolment, not known, checked, set_aside, tuple(retired), tuple(applied))


def is_below(gw: Gateway, code: str, ancestor: str) -> bool:
    """True when ``code`` sits somewhere under ``ancestor`` in the unit tree."""
    seen = set()
    unit = gw.unit(code)
    while unit is not None and unit.parent_code is not None and unit.code not in seen:
        seen.add(unit.code)
        if unit.parent_code == ancestor:
            return True
        unit = gw.unit(unit.parent_code)
    return False
