"""Reporting periods from their codes: 2025, 2025-H1, 2025-Q3, 2021-2025."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from models.errors import BadInput
from models.vocabulary import PeriodKind

# [0-9], not \d: \d and int() also take Arabic-Indic, Devanagari... digits, a second code for one period.
_YEAR = re.compile(r"([0-9]{4})")
_HALF = re.compile(r"([0-9]{4})-H([12])")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_PHASE = re.compile(r"([0-9]{4})-([0-9]{4})")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    code: str
    kind: PeriodKind
    label: str
    starts: dt.date
    ends: dt.date

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: “năm 2024”, “quý III/2025” (the numeral stays upper case)."""
        return self.label[:1].lower() + self.label[1:]


def parse_period(code: str) -> Period:
    """The period of a code; fullwidth is read as ASCII (``２０２４`` is 2024), so one period has one
    code, the one stored. BadInput for anything else."""
    code = unicodedata.normalize("NFKC", code).strip().upper()
    if m := _YEAR.fullmatch(code):
        year = _year(m.group(1), code)
        return Period(code, PeriodKind.YEAR, f"Năm {year}", dt.date(year, 1, 1), dt.date(year, 12, 31))
    if m := _HALF.fullmatch(code):
        year, half = _year(m.group(1), code), int(m.group(2))
        label = f"6 tháng {'đầu' if half == 1 else 'cuối'} năm {year}"
        return Period(
            code,
            PeriodKind.HALF_YEAR,
            label,
            dt.date(year, 1 if half == 1 else 7, 1),
            dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31),
        )
    if m := _QUARTER.fullmatch(code):
        year, quarter = _year(m.group(1), code), int(m.group(2))
        first_month = 3 * quarter - 2
        last_day = dt.date(year + (quarter == 4), (first_month + 3 - 1) % 12 + 1, 1) - dt.timedelta(days=1)
        return Period(
            code, PeriodKind.QUARTER, f"Quý {_ROMAN[quarter]}/{year}", dt.date(year, first_month, 1), last_day
        )
    if m := _PHASE.fullmatch(code):
        first, last = _year(m.group(1), code), _year(m.group(2), code)
        if last <= first:
            raise BadInput(f"Kỳ “{code}” không hợp lệ: năm cuối phải sau năm đầu.")
        return Period(
            code, PeriodKind.PHASE, f"Giai đoạn {first} - {last}", dt.date(first, 1, 1), dt.date(last, 12, 31)
        )
    shown = code if len(code) <= 24 else code[:24] + "…"
    raise BadInput(f"Kỳ báo cáo “{shown}” không hợp lệ; dùng dạng 2025, 2025-H1, 2025-Q3 hoặc 2021-2025.")


def previous_period(code: str) -> Period:
    """The period just before, of the same kind: 2024 for 2025, 2025-H1 for 2025-H2, 2016-2020 for 2021-2025."""
    period = parse_period(code)
    year = period.starts.year
    if period.kind == PeriodKind.YEAR:
        return parse_period(str(year - 1))
    if period.kind == PeriodKind.HALF_YEAR:
        return parse_period(f"{year - 1}-H2" if period.code.endswith("H1") else f"{year}-H1")
    if period.kind == PeriodKind.QUARTER:
        quarter = int(period.code[-1])
        return parse_period(f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}")
    length = period.ends.year - year + 1
    return parse_period(f"{year - length}-{year - 1}")


def _year(text: str, code: str) -> int:
    year = int(text)
    if not 1945 <= year <= 2100:
        raise BadInput(f"Kỳ “{code}” không hợp lệ: năm {year} nằm ngoài khoảng 1945-2100.")
    return year
