"""Who a printed page comes from and who signs it, with the defaults of each level.

A commune's page is issued by its Party committee (“ĐẢNG ỦY XÃ MƯỜNG TÈ”
under “ĐẢNG BỘ TỈNH LAI CHÂU”) and signed on behalf of the standing
committee; the upper level's merged table by its Ban Tuyên giáo và Dân vận
under the province's committee. The officer changes any line once in the
print dialog and it is remembered in the database's settings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields, replace

from exports.paper.page import Letterhead, SignatureBlock
from models.gateway import Gateway
from models.units import Unit
from models.vocabulary import COLLECTING_TIERS, Tier

# The Party committee of each kind of unit, and its letters in a document number.
COMMITTEES = {
    "trung ương": ("Ban Chấp hành Trung ương", "TW"),
    "tỉnh": ("Tỉnh ủy", "TU"),
    "thành phố trung ương": ("Thành ủy", "ThU"),
    "huyện": ("Huyện ủy", "HU"),
    "quận": ("Quận ủy", "QU"),
    "thị xã": ("Thị ủy", "TXU"),
    "thành phố": ("Thành ủy", "ThU"),
}
COMMUNE_COMMITTEE = ("Đảng ủy", "ĐU")  # xã, phường, thị trấn, đặc khu: “Đảng ủy xã ...”
UPPER_ISSUER = "Ban Tuyên giáo và Dân vận"
NUMBER_BLANK = "     "  # the clerk writes the number by hand when the page is issued
PLACE_PREFIXES = ("xã", "phường", "thị trấn", "đặc khu", "tỉnh", "thành phố", "thị xã", "huyện", "quận")
SETTING_PREFIX = "print."  # print.<unit code>.<field>, as models/demo.py writes the demo signers


@dataclass(frozen=True)
class PageSettings:
    superior: str
    issuer: str
    number: str
    place: str
    on_behalf: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]

    def letterhead(self, day: dt.date) -> Letterhead:
        return Letterhead(self.superior, self.issuer, self.number, self.place, day)

    def signature(self) -> SignatureBlock:
        return SignatureBlock(self.on_behalf, self.signer_title, self.signer_name, self.recipients)


def place_name(name: str, kind: str = "") -> str:
    """“Xã Mường Tè” -> “Mường Tè”: the place in the date line goes without its kind."""
    for prefix in (kind, *PLACE_PREFIXES):
        if prefix and name.casefold().startswith(prefix.casefold() + " "):
            return name[len(prefix) + 1 :].strip()
    return name


def committee_of(unit: Unit) -> tuple[str, str]:
    """(“Tỉnh ủy Lai Châu”, “TU”): the unit's Party committee and its letters."""
    if unit.tier == Tier.COMMUNE:
        return f"{COMMUNE_COMMITTEE[0]} {unit.name}", COMMUNE_COMMITTEE[1]
    words, letters = COMMITTEES.get(unit.kind, ("Đảng bộ", "ĐB"))
    if unit.kind == "trung ương":
        return words, letters
    return f"{words} {place_name(unit.name, unit.kind)}", letters


def default_settings(unit: Unit, parent: Unit | None, *, upper_level: bool) -> PageSettings:
    committee, letters = committee_of(unit)
    if upper_level:
        return PageSettings(
            superior=committee,
            issuer=UPPER_ISSUER,
            number=f"Số {NUMBER_BLANK}-BC/BTGDV{letters}",
            place=place_name(unit.name, unit.kind),
            on_behalf="",
            signer_title="Trưởng ban",
            signer_name="",
            recipients=("Ban Thường vụ " + committee + " (b/c),", "Lưu."),
        )
    superior = f"Đảng bộ {parent.name}" if parent else ""
    return PageSettings(
        superior=superior,
        issuer=committee,
        number=f"Số {NUMBER_BLANK}-BC/{letters}",
        place=place_name(unit.name, unit.kind),
        on_behalf="T/M Ban Thường vụ",
        signer_title="Bí thư",
        signer_name="",
        recipients=((f"Ban Tuyên giáo và Dân vận {committee_of(parent)[0]} (b/c),",) if parent else ()) + ("Lưu.",),
    )


def is_collecting(unit: Unit) -> bool:
    """A province or district prints as its Ban Tuyên giáo; a commune as its Party committee."""
    return unit.tier in COLLECTING_TIERS


def page_settings(gw: Gateway, unit: Unit, **overrides) -> PageSettings:
    """The defaults for ``unit``, with what the officer changed before, then ``overrides`` for this print."""
    parent = gw.unit(unit.parent_code) if unit.parent_code else None
    settings = default_settings(unit, parent, upper_level=is_collecting(unit))
    stored = {}
    for item in fields(PageSettings):
        value = gw.setting(f"{SETTING_PREFIX}{unit.code}.{item.name}")
        if value is not None:
            stored[item.name] = (
                tuple(line for line in value.split("\n") if line) if item.name == "recipients" else value
            )
    return replace(settings, **{**stored, **{k: v for k, v in overrides.items() if v is not None}})


def save_page_settings(gw: Gateway, unit: Unit, settings: PageSettings) -> None:
    with gw.transaction():
        for name, value in asdict(settings).items():
            gw.set_setting(f"{SETTING_PREFIX}{unit.code}.{name}", "\n".join(value) if name == "recipients" else value)
