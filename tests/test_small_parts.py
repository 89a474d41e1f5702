"""The small pure parts: period codes, Vietnamese number/date formats, what a
cell accepts, and the official catalogue."""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

import pytest

from forms import vnformat
from forms.schema import Indicator
from forms.values import ValueRejected, coerce
from models import catalogue
from models.errors import BadInput
from models.periods import parse_period


def has_vietnamese(text: str) -> bool:
    """True when the text holds a letter outside ASCII (ă, ê, ơ, đ, ạ...)."""
    return any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# ---- periods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, kind, label, starts, ends",
    [
        ("2025", "nam", "Năm 2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ("2025-H1", "6thang", "6 tháng đầu năm 2025", dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        ("2025-H2", "6thang", "6 tháng cuối năm 2025", dt.date(2025, 7, 1), dt.date(2025, 12, 31)),
        ("2025-Q1", "quy", "Quý I/2025", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("2025-Q2", "quy", "Quý II/2025", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        ("2025-Q3", "quy", "Quý III/2025", dt.date(2025, 7, 1), dt.date(2025, 9, 30)),
        ("2025-Q4", "quy", "Quý IV/2025", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2024-Q1", "quy", "Quý I/2024", dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("2021-2025", "giaidoan", "Giai đoạn 2021 - 2025", dt.date(2021, 1, 1), dt.date(2025, 12, 31)),
        ("2016-2020", "giaidoan", "Giai đoạn 2016 - 2020", dt.date(2016, 1, 1), dt.date(2020, 12, 31)),
    ],
)
def test_parse_period(code, kind, label, starts, ends):
    period = parse_period(code)
    assert period.code == code
    assert period.kind == kind
    assert period.label == label
    assert period.starts == starts
    assert period.ends == ends


@pytest.mark.parametrize("typed, code", [("2025-q3", "2025-Q3"), (" 2025 ", "2025"), ("2025-h1", "2025-H1")])
def test_parse_period_normalises_the_code(typed, code):
    assert parse_period(typed).code == code


@pytest.mark.parametrize(
    "code",
    ["2025-Q5", "2025-Q0", "2025-H3", "2025-2021", "2025-2025", "abc", "1800", "2101", "", "25", "2025-", "2025/Q1"],
)
def test_parse_period_refuses(code):
    with pytest.raises(BadInput) as caught:
        parse_period(code)
    assert has_vietnamese(str(caught.value))


# ---- Vietnamese formats ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        (6505490000, "6.505.490.000"),
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (1234567, "1.234.567"),
        (None, ""),
        (14.0, "14"),
        (1234.5, "1.234,5"),
        (-1234.5, "-1.234,5"),
        (-0.5, "-0,5"),  # the sign of a negative fraction above -1 must not be lost
        (-0.04, "0"),  # rounds to zero: no "-0"
        (0.04, "0"),
    ],
)
def test_number(value, text):
    assert vnformat.number(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        (14.2, "14,2%"),
        (100, "100%"),
        (100.0, "100%"),
        (81.25, "81,3%"),  # half up, as by hand
        (14.25, "14,3%"),
        (88.8889, "88,9%"),
        (0, "0%"),
        (50.0, "50%"),
        (None, ""),
    ],
)
def test_percent(value, text):
    assert vnformat.percent(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        ("2023-12-18", "18/12/2023"),
        (dt.date(2023, 12, 18), "18/12/2023"),
        ("2024-02-29", "29/02/2024"),
        (None, ""),
        ("", ""),
    ],
)
def test_date(value, text):
    assert vnformat.date(value) == text


# ---- what a cell accepts ------------------------------------------------------------------


def indicator(kind: str) -> Indicator:
    return Indicator(
        id=f"chi_tieu_{kind}",
        label=f"Chỉ tiêu thử ({kind})",
        unit="hộ",
        kind=kind,
        grain="village",
        section="1",
        code="1.1",
    )


@pytest.mark.parametrize(
    "raw, value",
    [
        ("1.234", 1234),
        ("12", 12),
        (" 7 ", 7),
        ("6.505.490", 6505490),
        ("6.505.490đ", 6505490),
        ("1 234", 1234),
        ("0", 0),
        (12, 12),
        (12.0, 12),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_coerce_count(raw, value):
    assert coerce(indicator("count"), raw) == value


@pytest.mark.parametrize("raw", ["abc", "1,5", "-3", True, False, -3, 1.5, "12.34", "1.2345", "12a", "1e3", [1]])
def test_coerce_count_refuses(raw):
    with pytest.raises(ValueRejected) as caught:
        coerce(indicator("count"), raw)
    message = str(caught.value)
    assert has_vietnamese(message)
    assert "Chỉ tiêu thử" in message or str(raw).strip() in message


def test_coerce_holds_a_figure_to_the_indicators_max():
    assert coerce(indicator("count"), "999.999.999") == 999_999_999
    assert coerce(indicator("amount"), "6.505.490.000") == 6_505_490_000  # Sa Pa's budget: 10 digits
    for kind, raw in (("count", "1.000.000.000"), ("amount", 10**15), ("count", "9" * 5000)):
        with pytest.raises(ValueRejected, match="vượt mức tối đa"):
            coerce(indicator(kind), raw)
    with pytest.raises(ValueRejected, match="vượt mức tối đa 60"):
        coerce(dataclasses.replace(indicator("count"), max=60), "61")


def test_coerce_text_has_a_length_bound():
    with pytest.raises(ValueRejected, match="dài quá 2.000 ký tự"):
        coerce(indicator("text"), "a" * 2001)


@pytest.mark.parametrize(
    "raw, value",
    [
        ("Có", 1),
        ("có", 1),
        ("CÓ", 1),
        ("x", 1),
        ("X", 1),
        ("đạt", 1),
        (" có ", 1),
        ("không", 0),
        ("Không", 0),
        ("chưa", 0),
        ("-", 0),
        (1, 1),
        (0, 0),
        (True, 1),
        (False, 0),
        ("", None),
    ],
)
def test_coerce_yesno(raw, value):
    result = coerce(indicator("yesno"), raw)
    assert result == value
    assert result is None or type(result) is int


@pytest.mark.parametrize("raw, value", [(nfd("Có"), 1), (nfd("có"), 1), (nfd("Không"), 0), (nfd("không"), 0)])
def test_coerce_yesno_accepts_decomposed_unicode(raw, value):
    """Typed with a “Unicode tổ hợp” keyboard, Có/Không arrive decomposed (NFD)."""
    assert coerce(indicator("yesno"), raw) == value


@pytest.mark.parametrize("raw", ["maybe", "2", 2, -1, "có không"])
def test_coerce_yesno_refuses(raw):
    with pytest.raises(ValueRejected) as caught:
        coerce(indicator("yesno"), raw)
    assert has_vietnamese(str(caught.value))


@pytest.mark.parametrize(
    "raw, value",
    [
        ("18/12/2023", "2023-12-18"),
        ("2023-12-18", "2023-12-18"),
        (" 01/02/2024 ", "2024-02-01"),
        ("29/02/2024", "2024-02-29"),
    ],
)
def test_coerce_date(raw, value):
    assert coerce(indicator("date"), raw) == value


@pytest.mark.parametrize("raw", ["31/02/2023", "29/02/2023", "32/01/2023", "abc", "12/2023"])
def test_coerce_date_refuses(raw):
    with pytest.raises(ValueRejected) as caught:
        coerce(indicator("date"), raw)
    assert has_vietnamese(str(caught.value))


def test_coerce_text_is_stored_nfc_and_trimmed():
    typed = nfd("  Bản Nà Hừ đạt chuẩn  ")
    assert typed != unicodedata.normalize("NFC", typed)
    stored = coerce(indicator("text"), typed)
    assert stored == "Bản Nà Hừ đạt chuẩn"
    assert unicodedata.is_normalized("NFC", stored)


# ---- the catalogue ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["muong te", "Mường Tè", "MUONG TE", nfd("Mường Tè"), "mường te"])
def test_catalogue_search_finds_muong_te(query):
    found = {u.code: u for u in catalogue.search(query)}
    assert "03445" in found
    assert found["03445"].name == "Xã Mường Tè"
    assert found["03445"].province_code == "12"


def test_catalogue_search_within_a_province():
    found = catalogue.search("muong", province_code="12")
    assert found
    assert all(u.province_code == "12" for u in found)
    assert "03445" in {u.code for u in found}


def test_catalogue_search_without_province_finds_provinces_too():
    assert "12" in {u.code for u in catalogue.search("lai chau")}


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Mường Tè", "muong te"),
        ("Đoàn Kết", "doan ket"),
        ("  Sìn Hồ ", "sin ho"),
        (nfd("Tủa Sín Chải"), "tua sin chai"),
    ],
)
def test_fold(text, folded):
    assert catalogue.fold(text) == folded


def test_catalogue_find_and_counts():
    province = catalogue.find("12")
    assert province.name == "Tỉnh Lai Châu"
    assert province.kind == "tỉnh"
    assert province.province_code is None
    assert catalogue.find("03445").name == "Xã Mường Tè"
    assert catalogue.find("99999") is None
    assert len(catalogue.provinces()) == 34
    communes = catalogue.communes("12")
    assert len(communes) == 38
    assert len({c.code for c in communes}) == 38
    assert all(c.province_code == "12" for c in communes)
    assert {"03445", "03408", "03390", "03478"} <= {c.code for c in communes}


@pytest.mark.parametrize(("raw", "value"), [("１２３", 123), ("１.２３４", 1234)])
def test_coerce_reads_fullwidth_digits_as_the_usual_ones(raw, value):
    assert coerce(indicator("count"), raw) == value


@pytest.mark.parametrize("raw", ["٣", "१२", "١٢٣"])
def test_coerce_refuses_digits_of_other_scripts(raw):
    with pytest.raises(ValueRejected):
        coerce(indicator("count"), raw)
