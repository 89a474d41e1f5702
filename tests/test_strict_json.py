"""JSON from outside, read strictly (exports/strict_json.py): what Python's json module lets through
and a packet, a receipt or a ``load`` file must not."""

from __future__ import annotations

import pytest

from exports.strict_json import StrictJsonError, loads_strict


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"a": 1, "b": 2, "a": 3}', "khóa “a” xuất hiện hai lần"),
        ('{"x": {"values": {}, "values": {}}}', "khóa “values” xuất hiện hai lần"),
        ("[NaN]", "“NaN” không phải là số"),
        ("[-Infinity]", "“-Infinity” không phải là số"),
        ("[1e999]", "quá lớn"),
        ("[" + "9" * 21 + "]", "dài quá 20 chữ số"),
        ("[-" + "9" * 5000 + "]", "dài quá 20 chữ số"),
        ("[" * 100_000, "lồng nhau quá sâu"),
        (b'{"a": "\xff"}', "không phải văn bản UTF-8"),
        ('{"a": 1,}', "không phải JSON hợp lệ"),
    ],
)
def test_what_no_program_of_ours_writes_is_refused_with_the_reason(text, words):
    with pytest.raises(StrictJsonError, match=words):
        loads_strict(text)


def test_what_the_program_writes_reads_as_json_does():
    text = '{"so_ho": 123456789012345, "ghi_chu": "mã 012345678901234567890123", "ty_le": 14.2, "co": true}'
    assert loads_strict(text) == {
        "so_ho": 123456789012345,
        "ghi_chu": "mã 012345678901234567890123",  # a long run of digits inside a text is only text
        "ty_le": 14.2,
        "co": True,
    }
