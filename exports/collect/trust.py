"""The upper level's trusted keys: enrolment files of the units below, kept in
its database after the fingerprint was read back over the phone."""

from __future__ import annotations

from dataclasses import dataclass

from exports.packets.enrolment import Enrolment
from models.clock import now
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import public_pem, spoken_fingerprint


@dataclass(frozen=True)
class Enrolled:
    enrolment: Enrolment
    new: bool  # False: this key was already trusted for this unit
    retired: tuple[dict, ...] = ()  # the unit's keys this one replaced (trusted_keys rows)

    def sentence(self) -> str:
        """What the officer is told: the key enrolled, and the keys it retired with their codes."""
        e = self.enrolment
        text = (
            f"Đã đăng ký khóa {e.spoken} của {e.holder_name} ({e.unit_name})."
            if self.new
            else f"Khóa {e.spoken} của {e.unit_name} đã được đăng ký từ trước."
        )
        for old in self.retired:
            text += (
                f" Khóa cũ {spoken_fingerprint(old['fingerprint'])} của {old['holder_name']} thôi dùng từ lúc này: "
                "gói ký bằng khóa cũ nhận sau lúc này sẽ được giữ lại chờ cán bộ xem."
            )
        return text


def enrol(gw: Gateway, enrolment: Enrolment, who: str) -> Enrolled:
    """Trust the key for its unit: a unit below this one (its packets), or the
    one directly above (its receipts and returns)."""
    unit = gw.unit(enrolment.unit_code)
    home = gw.unit(gw.setting("home_unit") or "")
    above = home is not None and unit is not None and home.parent_code == unit.code
    if unit is None or home is None or not (above or is_below(gw, unit.code, home.code)):
        raise BadInput(
            f"Khóa này của đơn vị “{enrolment.unit_name}” ({enrolment.unit_code}), không phải đơn vị cấp dưới "
            "hay cấp trên trực tiếp của đơn vị trên máy này; không đăng ký."
        )
    known = gw.trust.is_trusted(enrolment.fingerprint, unit.code)
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
    return Enrolled(enrolment, not known, tuple(retired))


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
