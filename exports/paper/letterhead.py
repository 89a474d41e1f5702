"""Who a printed page comes from and who signs it, with the defaults of each level.

A commune's page is issued by its Party committee (“ĐẢNG ỦY XÃ MƯỜNG TÈ”
under “ĐẢNG BỘ TỈNH LAI CHÂU”) and signed on behalf of the standing
committee; the upper level's merged table by its Ban under the committee:
the body in force on the page's date (bodies.py), “BAN TUYÊN GIÁO VÀ DÂN
VẬN” of a province since 01/03/2025, “BAN TUYÊN GIÁO” before it and at a
district. The officer changes any line once in the print dialog and it is
remembered in the database's settings.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, fields, replace

from exports.paper.bodies import COMMITTEES, COMMUNE_COMMITTEE, body_in_force
from exports.paper.page import Letterhead, SignatureBlock
from models.gateway import Gateway
from models.units import Unit
from models.vocabulary import COLLECTING_TIERS, Tier

NUMBER_BLANK = "     "  # the clerk writes the number by hand when the page is issued
PLACE_PREFIXES = ("xã", "phường", "thị trấn", "đặc khu", "tỉnh", "thành phố", "thị xã", "huyện", "quận")
SETTING_PREFIX = "print."  # print.<unit code>.<field>, as models/demo.py writes the demo signers
BODY_KEY = "body"  # print.<unit code>.body: the issuer in force when the lines were saved
# The lines of a page besides the recipients, as a packet's manifest "page" names them.
PAGE_LINES = ("superior", "issuer", "number", "place", "on_behalf", "signer_title", "signer_name")
BODY_FIELDS = ("superior", "issuer", "number", "recipients")  # the lines that name the body


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


def issuer_of(unit: Unit, day: dt.date, province_code: str | None = None) -> tuple[str, str]:
    """(“Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu”, “BTGDVTU”): the body that issues the unit's
    pages on ``day`` (bodies.py) and its symbol in a document number."""
    committee, letters = committee_of(unit)
    body = body_in_force(unit.tier, day, province_code)
    return body.name(committee), body.symbol(letters)


def default_settings(
    unit: Unit,
    parent: Unit | None,
    *,
    upper_level: bool,
    on: dt.date | None = None,
    province_code: str | None = None,
) -> PageSettings:
    """The page of ``unit`` dated ``on`` (today when not given), headed by the body in force then."""
    day = on or dt.date.today()
    committee, _ = committee_of(unit)
    issuer, symbol = issuer_of(unit, day, province_code)
    if upper_level:
        return PageSettings(
            superior=committee,
            issuer=issuer.removesuffix(" " + committee),
            number=f"Số {NUMBER_BLANK}-BC/{symbol}",
            place=place_name(unit.name, unit.kind),
            on_behalf="",
            signer_title="Trưởng ban",
            signer_name="",
            recipients=("Ban Thường vụ " + committee + " (b/c),", "Lưu."),
        )
    superior = f"Đảng bộ {parent.name}" if parent else ""
    above = (f"{issuer_of(parent, day, province_code)[0]} (b/c),",) if parent else ()
    return PageSettings(
        superior=superior,
        issuer=issuer,
        number=f"Số {NUMBER_BLANK}-BC/{symbol}",
        place=place_name(unit.name, unit.kind),
        on_behalf="T/M Ban Thường vụ",
        signer_title="Bí thư",
        signer_name="",
        recipients=(*above, "Lưu."),
    )


def is_collecting(unit: Unit) -> bool:
    """A province or district prints as its Ban Tuyên giáo; a commune as its Party committee."""
    return unit.tier in COLLECTING_TIERS


def province_of(gw: Gateway, unit: Unit) -> str | None:
    """The code of the province above (or at) ``unit``: the date its Ban merged is the province's."""
    seen: Unit | None = unit
    while seen is not None and seen.tier not in (Tier.PROVINCE, Tier.CENTRAL):
        seen = gw.unit(seen.parent_code) if seen.parent_code else None
    return seen.code if seen is not None and seen.tier == Tier.PROVINCE else None


def page_settings(gw: Gateway, unit: Unit, *, on: dt.date | None = None, **overrides) -> PageSettings:
    """The defaults for ``unit`` on the page's date ``on`` (today when not given), with what the
    officer changed before, then ``overrides`` for this print.

    The lines that name the body (superior, issuer, number, recipients) the officer saved are
    used while that body is in force: a page dated after a merger is headed by the new body even
    if the old one's lines were saved. With no signer's name stored for the unit, the officer's
    own name (setup) stands under the title rather than a blank.
    """
    parent = gw.unit(unit.parent_code) if unit.parent_code else None
    settings = default_settings(
        unit, parent, upper_level=is_collecting(unit), on=on, province_code=province_of(gw, unit)
    )
    saved_for = gw.setting(f"{SETTING_PREFIX}{unit.code}.{BODY_KEY}")
    stored = {}
    for item in fields(PageSettings):
        value = gw.setting(f"{SETTING_PREFIX}{unit.code}.{item.name}")
        if value is None or (item.name in BODY_FIELDS and saved_for not in (None, settings.issuer)):
            continue
        stored[item.name] = tuple(line for line in value.split("\n") if line) if item.name == "recipients" else value
    chosen = replace(settings, **{**stored, **{k: v for k, v in overrides.items() if v is not None}})
    return chosen


def save_page_settings(gw: Gateway, unit: Unit, settings: PageSettings, *, on: dt.date | None = None) -> None:
    """Remember the lines, with the body in force on ``on`` they were written for."""
    parent = gw.unit(unit.parent_code) if unit.parent_code else None
    body = default_settings(unit, parent, upper_level=is_collecting(unit), on=on, province_code=province_of(gw, unit))
    with gw.transaction():
        for name, value in asdict(settings).items():
            gw.set_setting(f"{SETTING_PREFIX}{unit.code}.{name}", "\n".join(value) if name == "recipients" else value)
        gw.set_setting(f"{SETTING_PREFIX}{unit.code}.{BODY_KEY}", body.issuer)


def recorded_page(recorded: object) -> tuple[PageSettings, dt.date] | None:
    """The page a packet recorded when it was signed (its manifest's "page": the lines, the ISO
    "date", the "recipients" list), or None when there is none or it cannot be read."""
    if isinstance(recorded, str):
        try:
            recorded = json.loads(recorded)
        except ValueError:
            return None
    if not isinstance(recorded, dict):
        return None
    try:
        day = dt.date.fromisoformat(str(recorded["date"]))
        recipients = recorded.get("recipients") or ()
        if isinstance(recipients, str):
            return None
        lines = {name: str(recorded.get(name) or "") for name in PAGE_LINES}
        return PageSettings(**lines, recipients=tuple(str(line) for line in recipients)), day
    except (KeyError, TypeError, ValueError):
        return None  # a shape verify.py refuses never gets this far; an old reader falls back


def sent_page(gw: Gateway, unit: Unit, sent: dict, **overrides) -> tuple[PageSettings, dt.date]:
    """A commune's own reprint of a report already sent, its figures those of packet ``sent`` (a row
    of ``gw.sent``, as ``exports.packets.write.latest_packet`` gives it): the page the packet
    recorded (a "page" field, when the row keeps one), else the page of the body in force on the
    day it was signed, with the lines saved for that body. exports/paper/report.report_document
    heads such a page with it instead of today's."""
    recorded = recorded_page(sent.get("page"))
    if recorded is not None:
        page, day = recorded
        return replace(page, **{k: v for k, v in overrides.items() if v is not None}), day
    day = dt.datetime.fromisoformat(sent["created_at"]).date()
    return page_settings(gw, unit, on=day, **overrides), day
