"""Amounts in words: a hand-checked table, and properties checked by reading the
words back with a parser written here, apart from the converter."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.vnwords import amount_words, number_words

# ---- a hand-checked table -------------------------------------------------------------

CASES = [
    (0, "không"),
    (1, "một"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (19, "mười chín"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (30, "ba mươi"),
    (55, "năm mươi lăm"),
    (91, "chín mươi mốt"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (505, "năm trăm linh năm"),
    (999, "chín trăm chín mươi chín"),
    (1_000, "một nghìn"),
    (1_001, "một nghìn không trăm linh một"),
    (1_005, "một nghìn không trăm linh năm"),
    (1_010, "một nghìn không trăm mười"),
    (1_015, "một nghìn không trăm mười lăm"),
    (1_100, "một nghìn một trăm"),
    (2_024, "hai nghìn không trăm hai mươi bốn"),
    (10_000, "mười nghìn"),
    (15_000, "mười lăm nghìn"),
    (21_000, "hai mươi mốt nghìn"),
    (100_005, "một trăm nghìn không trăm linh năm"),
    (1_000_000, "một triệu"),
    (1_000_001, "một triệu không trăm linh một"),
    (1_001_000, "một triệu không trăm linh một nghìn"),
    (12_345_678, "mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám"),
    (360_000_000, "ba trăm sáu mươi triệu"),
    (1_000_000_000, "một tỷ"),
    (1_000_000_005, "một tỷ không trăm linh năm"),
    (1_750_060_000, "một tỷ bảy trăm năm mươi triệu không trăm sáu mươi nghìn"),
    (5_000_360_000, "năm tỷ ba trăm sáu mươi nghìn"),
    (6_145_490_000, "sáu tỷ một trăm bốn mươi lăm triệu bốn trăm chín mươi nghìn"),
    (6_505_490_000, "sáu tỷ năm trăm linh năm triệu bốn trăm chín mươi nghìn"),
    (1_000_000_000_000, "một nghìn tỷ"),
    (2_500_000_000_000, "hai nghìn năm trăm tỷ"),
    (1_000_005_000_000, "một nghìn tỷ không trăm linh năm triệu"),
    (1_005_000_000_000, "một nghìn không trăm linh năm tỷ"),
    (1_000_000_000_000_000, "một triệu tỷ"),
    (1_000_000_000_000_001, "một triệu tỷ không trăm linh một"),
    (10**18, "một tỷ tỷ"),
    (10**18 + 10**9, "một tỷ không trăm linh một tỷ"),
    (10**18 + 1, "một tỷ tỷ không trăm linh một"),
    (-5, "âm năm"),
    (-2_024, "âm hai nghìn không trăm hai mươi bốn"),
]

# The figures of the seed documents, exactly as they are printed there.
SEED_AMOUNTS = [
    (6_505_490_000, "Sáu tỷ năm trăm linh năm triệu bốn trăm chín mươi nghìn đồng"),
    (6_145_490_000, "Sáu tỷ một trăm bốn mươi lăm triệu bốn trăm chín mươi nghìn đồng"),
    (360_000_000, "Ba trăm sáu mươi triệu đồng"),
    (1_750_060_000, "Một tỷ bảy trăm năm mươi triệu không trăm sáu mươi nghìn đồng"),
]


@pytest.mark.parametrize("n, words", CASES, ids=[str(n) for n, _ in CASES])
def test_number_words(n, words):
    assert number_words(n) == words


@pytest.mark.parametrize("n, words", SEED_AMOUNTS, ids=[str(n) for n, _ in SEED_AMOUNTS])
def test_seed_amounts(n, words):
    assert amount_words(n) == words


def test_amount_words_capitalises_and_takes_a_unit():
    assert amount_words(0) == "Không đồng"
    assert amount_words(-5) == "Âm năm đồng"
    assert amount_words(21, unit="người") == "Hai mươi mốt người"
    assert amount_words(15, unit="") == "Mười lăm"


@pytest.mark.parametrize("value", [True, False, 2024.0, "2024", None, Decimal(2024)], ids=repr)
def test_only_an_int_is_accepted(value):
    with pytest.raises(TypeError):
        number_words(value)
    with pytest.raises(TypeError):
        amount_words(value)


@pytest.mark.parametrize("n, words", CASES, ids=[str(n) for n, _ in CASES])
def test_the_reader_reads_the_table(n, words):
    """The properties below lean on read_back; it must agree with the hand-checked table."""
    assert read_back(words) == n


# ---- an independent reader ------------------------------------------------------------

# Strict on purpose: it takes only the standard form, so a wrong spelling fails
# the round trip instead of being read back generously.
PLAIN_DIGITS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}
# After a tens digit 5 is “lăm”, never “năm”; 1 is “mốt” after “mươi” but stays “một” after “mười”.
AFTER_MUOI_TEN = {**{w: d for w, d in PLAIN_DIGITS.items() if d != 5}, "lăm": 5}
AFTER_MUOI = {**{w: d for w, d in AFTER_MUOI_TEN.items() if d != 1}, "mốt": 1}
READ_SCALES = {"triệu": 10**6, "nghìn": 10**3}


def read_back(text: str) -> int:
    """Words back to an int; anything but the standard form raises."""
    tokens = text.split(" ")
    if tokens == ["không"]:
        return 0
    if tokens[0] == "âm":
        return -_read_with_billions(tokens[1:], leading=True)
    return _read_with_billions(tokens, leading=True)


def _read_with_billions(tokens: list[str], *, leading: bool) -> int:
    # “tỷ” is the one unit that repeats (“một triệu tỷ”, “một tỷ tỷ”): all that
    # comes before the last one counts billions, all after it is below a billion.
    if "tỷ" not in tokens:
        return _read_below_billion(tokens, leading=leading)
    last = len(tokens) - 1 - tokens[::-1].index("tỷ")
    billions = _read_with_billions(tokens[:last], leading=leading)
    rest = tokens[last + 1 :]
    return billions * 10**9 + (_read_below_billion(rest, leading=False) if rest else 0)


def _read_below_billion(tokens: list[str], *, leading: bool) -> int:
    total, group, last_scale = 0, [], 10**9
    for token in tokens:
        if token in READ_SCALES:
            scale = READ_SCALES[token]
            assert scale < last_scale, f"units out of order in {tokens}"
            total += _read_group(group, leading=leading) * scale
            group, last_scale, leading = [], scale, False
        else:
            group.append(token)
    return total + (_read_group(group, leading=leading) if group else 0)


def _read_group(words: list[str], *, leading: bool) -> int:
    """1..999; only the first group of a number may leave out its hundreds."""
    if len(words) >= 2 and words[1] == "trăm":
        hundreds = 0 if words[0] == "không" else PLAIN_DIGITS[words[0]]
        assert hundreds or not leading, f"a number does not start with không trăm: {words}"
        return hundreds * 100 + _read_tens(words[2:], after_hundreds=True)
    assert leading, f"a group inside a number names its hundreds: {words}"
    value = _read_tens(words, after_hundreds=False)
    assert value, f"empty group: {words}"
    return value


def _read_tens(words: list[str], *, after_hundreds: bool) -> int:
    match words:
        case []:
            return 0
        case ["linh", ones] if after_hundreds:
            return PLAIN_DIGITS[ones]
        case ["mười"]:
            return 10
        case [ones] if not after_hundreds:
            return PLAIN_DIGITS[ones]
        case ["mười", ones]:
            return 10 + AFTER_MUOI_TEN[ones]
        case [tens, "mươi"] if PLAIN_DIGITS[tens] >= 2:
            return PLAIN_DIGITS[tens] * 10
        case [tens, "mươi", ones] if PLAIN_DIGITS[tens] >= 2:
            return PLAIN_DIGITS[tens] * 10 + AFTER_MUOI[ones]
    raise ValueError(f"not a standard reading of tens and ones: {words}")


# ---- properties -----------------------------------------------------------------------

# Groups that exercise the rules: zeros, linh, mười, mốt, lăm.
EDGE_GROUPS = st.sampled_from([0, 0, 0, 1, 5, 10, 11, 15, 21, 25, 100, 101, 105, 110, 115, 500, 999])
# Numbers built group by group, so that runs of zero groups are common.
GROUPED = st.lists(EDGE_GROUPS | st.integers(0, 999), min_size=1, max_size=8).map(
    lambda groups: sum(g * 1000**i for i, g in enumerate(groups))
)
UP_TO_10_15 = st.integers(0, 10**15) | GROUPED.filter(lambda n: n <= 10**15)
ANY_SIGN = st.integers(-(10**30), 10**30) | GROUPED | GROUPED.map(lambda n: -n)

PROPERTIES = settings(max_examples=400)


@pytest.mark.slow
@PROPERTIES
@given(UP_TO_10_15)
def test_words_read_back_to_the_number(n):
    assert read_back(number_words(n)) == n


@pytest.mark.slow
@PROPERTIES
@given(ANY_SIGN)
def test_large_and_negative_numbers_read_back(n):
    assert read_back(number_words(n)) == n


def _pairs(n: int) -> list[tuple[str, str]]:
    tokens = number_words(n).split(" ")
    # Each word with the one before it; the first word follows "".
    return list(zip(["", *tokens], tokens, strict=False))


@pytest.mark.slow
@PROPERTIES
@given(ANY_SIGN)
def test_mot_only_after_muoi(n):
    assert all(before == "mươi" for before, word in _pairs(n) if word == "mốt")


@pytest.mark.slow
@PROPERTIES
@given(ANY_SIGN)
def test_lam_only_after_muoi_or_muoi(n):
    assert all(before in ("mười", "mươi") for before, word in _pairs(n) if word == "lăm")


@pytest.mark.slow
@PROPERTIES
@given(ANY_SIGN)
def test_linh_only_after_tram(n):
    assert all(before == "trăm" for before, word in _pairs(n) if word == "linh")


@pytest.mark.slow
@PROPERTIES
@given(ANY_SIGN)
def test_no_stray_spaces(n):
    words = number_words(n)
    assert "  " not in words
    assert words == words.strip()


@pytest.mark.slow
@PROPERTIES
@given(ANY_SIGN)
def test_only_zero_starts_with_khong(n):
    words = number_words(n).removeprefix("âm ")
    assert words.startswith("không") == (n == 0)


@pytest.mark.slow
@PROPERTIES
@given(ANY_SIGN)
def test_amount_words_is_number_words_capitalised(n):
    amount = amount_words(n)
    assert amount[0].isupper()
    assert amount == number_words(n).capitalize() + " đồng"


@pytest.mark.slow
@PROPERTIES
@given(ANY_SIGN)
def test_output_is_nfc(n):
    assert unicodedata.is_normalized("NFC", number_words(n))
    assert unicodedata.is_normalized("NFC", amount_words(n))
