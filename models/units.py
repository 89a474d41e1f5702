"""Reporting units: any depth, any names, kinds mapped to four tiers.

A unit's kind is the word the documents use (tỉnh, xã, phường, bản, tổ dân
phố...). The tier says which level of the reporting chain it sits at, so a
form can say "filled by communes, itemised by villages" whatever the depth
of the hierarchy above.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from models.vocabulary import Tier

KIND_TIERS = {
    "trung ương": Tier.CENTRAL,
    "tỉnh": Tier.PROVINCE,
    "thành phố trung ương": Tier.PROVINCE,
    "huyện": Tier.DISTRICT,
    "quận": Tier.DISTRICT,
    "thị xã": Tier.DISTRICT,
    "thành phố": Tier.DISTRICT,
    "xã": Tier.COMMUNE,
    "phường": Tier.COMMUNE,
    "thị trấn": Tier.COMMUNE,
    "đặc khu": Tier.COMMUNE,
    "bản": Tier.VILLAGE,
    "thôn": Tier.VILLAGE,
    "tổ dân phố": Tier.VILLAGE,
    "khu phố": Tier.VILLAGE,
    "xóm": Tier.VILLAGE,
    "làng": Tier.VILLAGE,
    "ấp": Tier.VILLAGE,
    "buôn": Tier.VILLAGE,
    "khu": Tier.VILLAGE,
    "tổ": Tier.VILLAGE,
}
VILLAGE_KINDS = tuple(k for k, tier in KIND_TIERS.items() if tier == Tier.VILLAGE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


# A unit's code: the official national code (12, 03445), a village's with its commune's and a dot
# (03445.05), or letters for a level above the provinces (TW); ASCII only, so one unit has one code.
_UNIT_CODE = re.compile(r"[0-9A-Za-z]{1,16}(\.[0-9A-Za-z]{1,16}){0,3}")


def is_unit_code(code: object) -> bool:
    return isinstance(code, str) and _UNIT_CODE.fullmatch(code) is not None


def tier_of(kind: str) -> Tier:
    return KIND_TIERS.get(kind, Tier.VILLAGE)


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str
    parent_code: str | None
    local_code: str | None = None
    active: bool = True
    demo: bool = False
    merged_into: str | None = None

    @property
    def tier(self) -> Tier:
        return tier_of(self.kind)

    @classmethod
    def from_row(cls, row: dict) -> Unit:
        return cls(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            parent_code=row["parent_code"],
            local_code=row["local_code"],
            active=bool(row["active"]),
            demo=bool(row["demo"]),
            merged_into=row["merged_into"],
        )

    def to_dict(self, depth: int | None = None) -> dict:
        """What ``units --json`` lists: the unit, its tier and, in a tree, its depth."""
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "tier": self.tier,
            "parent": self.parent_code,
            "depth": depth,
            "active": self.active,
            "demo": self.demo,
            "merged_into": self.merged_into,
        }
