"""The bodies that issue and sign the printed pages, each with the dates it was in force.

A page bears the name of the body in force on its date line (shared/DOMAIN.md): a new page the
name of today's body, a reprint of a sent packet the one it was signed with (received.py). The
table below is the only place these names and dates are written; docs/printing.md repeats it
with the sources.

A body's words and letters are templates over its Party committee: ``{committee}`` is
“Tỉnh ủy Lai Châu”, “Huyện ủy Mường Tè”, “Đảng ủy xã Mường Tè”; ``{letters}`` the committee's
symbol in a document number (Hướng dẫn 36-HD/VPTW: Tỉnh ủy TU, Thành ủy thuộc tỉnh ThU,
Huyện ủy HU, Quận ủy QU, Thị ủy TU as seed 004's “11-ĐA/TU” of Thị ủy Sa Pa, Đảng ủy xã ĐU).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.vocabulary import Tier

# The Party committee of each kind of unit above the communes, and its letters in a document
# number. Seeds: 000 “147-KH/ThU” (Thành ủy Lai Châu, a city of the province), 001 “250-KH/HU”
# (Huyện ủy Mường Tè), 002 and 003 “-KH/TU” (Tỉnh ủy), 004 “11-ĐA/TU” (Thị ủy Sa Pa). A city
# under the centre (Hà Nội) writes its Thành ủy's documents “-NQ/TU” as a province does.
COMMITTEES = {
    "trung ương": ("Ban Chấp hành Trung ương", "TW"),
    "tỉnh": ("Tỉnh ủy", "TU"),
    "thành phố trung ương": ("Thành ủy", "TU"),
    "huyện": ("Huyện ủy", "HU"),
    "quận": ("Quận ủy", "QU"),
    "thị xã": ("Thị ủy", "TU"),
    "thành phố": ("Thành ủy", "ThU"),
}
COMMUNE_COMMITTEE = ("Đảng ủy", "ĐU")  # xã, phường, thị trấn, đặc khu: “Đảng ủy xã ...”

# The provinces' Ban Tuyên giáo and Ban Dân vận merged on the date each province's committee
# decided (Kết luận 121-KL/TW, 24/01/2025, on streamlining the apparatus; the decisions came in
# February 2025 with effect mostly from 01/03/2025). Lai Châu's (the catalogue's province):
# Quyết định 1676-QĐ/TU ngày 10/02/2025 of the province's Party committee, in force from
# 01/03/2025 (laichau.dcs.vn). Bắc Giang (983-QĐ/TU, 12/02/2025) and Hải Dương chose the same
# day; Tiền Giang announced its merged Ban on 06/02/2025. Lào Cai's merged Ban was at work by
# 26/03/2025 but its decision and date are not confirmed here: it takes the common date. A
# province whose date differs is added to this table by its code.
PROVINCE_MERGED = dt.date(2025, 3, 1)
PROVINCE_MERGERS = {"12": (dt.date(2025, 3, 1), "Quyết định 1676-QĐ/TU ngày 10/02/2025 của Tỉnh ủy Lai Châu")}
# Two-tier local government (Nghị quyết 202/2025/QH15): districts and their Party committees
# ended; the first day without them.
TWO_TIERS = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class Body:
    tier: Tier  # the tier of the unit whose page it issues
    words: str  # over {committee}
    letters: str  # over {letters}: the symbol after “-BC/”
    starts: dt.date | None  # first day in force; None: before any date the program prints
    ends: dt.date | None  # first day no longer in force; None: still in force
    decision: str  # what set it (or ended it)

    def in_force(self, day: dt.date) -> bool:
        return (self.starts is None or self.starts <= day) and (self.ends is None or day < self.ends)

    def name(self, committee: str) -> str:
        return self.words.format(committee=committee)

    def symbol(self, letters: str) -> str:
        return self.letters.format(letters=letters)


BODIES = (
    Body(
        Tier.PROVINCE,
        "Ban Tuyên giáo {committee}",
        "BTG{letters}",
        None,
        PROVINCE_MERGED,
        "Hướng dẫn 36-HD/VPTW (ký hiệu); hợp nhất theo Kết luận 121-KL/TW ngày 24/01/2025",
    ),
    Body(
        Tier.PROVINCE,
        "Ban Tuyên giáo và Dân vận {committee}",
        "BTGDV{letters}",
        PROVINCE_MERGED,
        None,
        "Kết luận 121-KL/TW ngày 24/01/2025; quyết định hợp nhất của từng Tỉnh ủy (tháng 2/2025)",
    ),
    # Some districts may also have merged their two Ban in the spring of 2025; not confirmed for
    # the districts of Lai Châu or Lào Cai, so the district's Ban Tuyên giáo stands until the
    # districts ended (the clerk corrects the line in the print dialog if his district differed).
    Body(
        Tier.DISTRICT,
        "Ban Tuyên giáo {committee}",
        "BTG{letters}",
        None,
        TWO_TIERS,
        "Hướng dẫn 36-HD/VPTW (ký hiệu); cấp huyện kết thúc theo Nghị quyết 202/2025/QH15 (01/7/2025)",
    ),
    Body(Tier.COMMUNE, "{committee}", "{letters}", None, None, "Đảng ủy xã, phường, thị trấn, đặc khu (ký hiệu ĐU)"),
)


def _dated(body: Body, province_code: str | None) -> Body:
    """The table's province row with the merger date of ``province_code`` where it is known."""
    if body.tier != Tier.PROVINCE or province_code not in PROVINCE_MERGERS:
        return body
    day, decision = PROVINCE_MERGERS[province_code]
    if body.ends == PROVINCE_MERGED:
        return Body(body.tier, body.words, body.letters, body.starts, day, body.decision)
    if body.starts == PROVINCE_MERGED:
        return Body(body.tier, body.words, body.letters, day, body.ends, decision)
    return body


def body_in_force(tier: Tier, day: dt.date, province_code: str | None = None) -> Body:
    """The body that issues a page of a ``tier`` unit dated ``day``. After a district's last day
    its last name stands (nothing took its name; its pages are reprints of its own past)."""
    rows = [_dated(b, province_code) for b in BODIES if b.tier == (Tier.PROVINCE if tier == Tier.CENTRAL else tier)]
    if not rows:
        rows = [b for b in BODIES if b.tier == Tier.COMMUNE]
    for body in rows:
        if body.in_force(day):
            return body
    return rows[-1] if rows[-1].ends is not None and day >= rows[-1].ends else rows[0]
