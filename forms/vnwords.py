"""Amounts in words, as Party and State documents print them: 6.505.490.000 is
“Sáu tỷ năm trăm linh năm triệu bốn trăm chín mươi nghìn đồng”.

The northern standard: “linh” (not “lẻ”) for a zero tens digit, “không trăm”
inside a number, “mốt” and “lăm” after a tens digit, and the formal “bốn”
(not “tư”). num2words gets several of these wrong, hence our own.
"""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Units of the groups of three digits below a billion, from the top.
GROUP_UNITS = ("triệu", "nghìn", "")
BILLION = 10**9


def number_words(n: int) -> str:
    """2024 -> “hai nghìn không trăm hai mươi bốn”; a negative number starts with “âm”."""
    # bool is an int to Python, but True is not an amount.
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number_words needs an int, not {type(n).__name__}")
    if n == 0:
        return DIGITS[0]
    sign = "âm " if n < 0 else ""
    return sign + _words(abs(n))


def amount_words(n: int, unit: str = "đồng") -> str:
    """6505490000 -> “Sáu tỷ năm trăm linh năm triệu bốn trăm chín mươi nghìn đồng”."""
    words = number_words(n)
    text = f"{words} {unit}" if unit else words
    return text[0].upper() + text[1:]


def _words(n: int) -> str:
    # Above a billion, the count of billions is itself read as a number, so the
    # units run on as “nghìn tỷ”, “triệu tỷ”, “tỷ tỷ”, and “tỷ” is said once
    # even when the groups under it are all zero: 10^15 is “một triệu tỷ”, as
    # people say it, never a bare “một triệu” that would read as 10^6.
    billions, rest = divmod(n, BILLION)
    if not billions:
        return _below_billion(rest, leading=True)
    parts = [_words(billions), "tỷ"]
    if rest:
        parts.append(_below_billion(rest, leading=False))
    return " ".join(parts)


def _below_billion(n: int, *, leading: bool) -> str:
    """1..999.999.999; groups that are all zero are skipped: 1.000.005 -> “một triệu không trăm linh năm”."""
    groups = (n // 10**6, n // 1000 % 1000, n % 1000)
    parts = []
    for unit, group in zip(GROUP_UNITS, groups, strict=True):
        if group == 0:
            continue
        parts.append(_group(group, leading=leading))
        if unit:
            parts.append(unit)
        leading = False
    return " ".join(parts)


def _group(n: int, *, leading: bool) -> str:
    """1..999. Only the first group of a number may drop its hundreds: 5 is “năm”,
    but the 5 of 1.005 is “không trăm linh năm”."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    words = [DIGITS[hundreds], "trăm"] if hundreds or not leading else []
    if tens:
        words += _tens(tens, ones)
    elif ones:
        words += ["linh", DIGITS[ones]] if words else [DIGITS[ones]]
    return " ".join(words)


def _tens(tens: int, ones: int) -> list[str]:
    """10..99: “mười lăm”, “hai mươi mốt”, “hai mươi bốn”."""
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if ones == 1 and tens >= 2:
        words.append("mốt")
    elif ones == 5:
        words.append("lăm")
    elif ones:
        words.append(DIGITS[ones])
    return words
