"""JSON from outside (a packet, a receipt, a ``load`` file), read strictly.

Python's json module takes the last of two equal keys, reads NaN and
Infinity, and turns a 5,000-digit number into an int that later overflows
SQLite. A figure that arrives any of those ways was not written by this
program, so it is refused here with the reason, before anything uses it.
"""

from __future__ import annotations

import json

MAX_DIGITS = 20  # every figure a form allows has at most 15; a sequence or version far fewer
# Digits to "0", the rest to " ": a run of MAX_DIGITS + 1 zeros is then found by a plain
# substring search, ten times faster than a regular expression over a packet's 140 KB.
_DIGITS_ONLY = bytes(48 if 48 <= b <= 57 else 32 for b in range(256))
_LONG_RUN = b"0" * (MAX_DIGITS + 1)


class StrictJsonError(ValueError):
    """str() is the reason, in Vietnamese, without the file's name."""


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    made = dict(pairs)  # in C; a packet has hundreds of objects, the audit trail most of them
    if len(made) != len(pairs):
        seen = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise StrictJsonError(f"khóa “{twice[:40]}” xuất hiện hai lần trong cùng một mục")
    return made


def _number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise StrictJsonError(f"số {text[:12]}… dài quá {MAX_DIGITS} chữ số")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise StrictJsonError(f"số {text[:12]} quá lớn")
    return value


def _constant(name: str):
    raise StrictJsonError(f"giá trị “{name}” không phải là số")


def loads_strict(raw: bytes | str) -> object:
    """The JSON value in ``raw``; StrictJsonError says what is wrong (bad UTF-8 or syntax included)."""
    try:
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        # Every integer through a Python hook costs a tenth of an import; only a text with a run
        # of digits that long (perhaps inside a string) needs the hook that measures each number.
        ints = _number if _LONG_RUN in data.translate(_DIGITS_ONLY) else None
        return json.loads(text, object_pairs_hook=_pairs, parse_int=ints, parse_float=_float, parse_constant=_constant)
    except StrictJsonError:
        raise
    except UnicodeDecodeError:
        raise StrictJsonError("không phải văn bản UTF-8") from None
    except RecursionError:  # the C parser stops at Python's recursion limit, long before the stack does
        raise StrictJsonError("cấu trúc lồng nhau quá sâu") from None
    except ValueError:
        raise StrictJsonError("không phải JSON hợp lệ") from None
