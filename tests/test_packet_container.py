"""The packet's container read the short way (a file in canonical_zip's form read straight from its
bytes) gives what zipfile's way gives, for genuine packets and for every change to one."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exports.packets import container
from exports.packets.container import END_MAGIC, MAX_ENTRIES, PacketInvalid, canonical_zip, container_of, safe_name
from exports.packets.format import DATA_JSON, FORM_XLSX, MANIFEST, PUBLIC_KEY, SIGNATURE

NAME = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, blacklist_characters="\\:/"), min_size=1).filter(
    safe_name
)
ENTRIES = st.dictionaries(NAME, st.binary(max_size=300), min_size=1, max_size=MAX_ENTRIES)
SMALL = [(MANIFEST, b'{"format": "x"}'), (SIGNATURE, b"\x00" * 64), (DATA_JSON, b"{}"), (FORM_XLSX, b"PK")]


def the_long_way(raw: bytes):
    """What container_of gave before the short way: zipfile's reading, its words when it refuses."""
    try:
        found = container._read_with_zipfile(raw)
    except PacketInvalid as exc:
        return str(exc)
    return found.entries, list(found.entries), found.canonical


def both_ways(raw: bytes):
    try:
        found = container_of(raw, "goi.sctg")
    except PacketInvalid as exc:
        return str(exc)
    return found.entries, list(found.entries), found.canonical


@settings(max_examples=300, deadline=None)
@given(entries=ENTRIES)
def test_the_short_way_reads_every_canonical_zip_as_zipfile_writes_it(entries):
    raw = canonical_zip(list(entries.items()))
    assert container._canonical_entries(raw) == entries  # not None: the headers are zipfile's, byte for byte
    assert both_ways(raw) == the_long_way(raw) == (entries, list(entries), True)


def test_a_zip_beyond_the_limits_or_with_other_names_is_left_to_zipfile():
    too_many = canonical_zip([(f"{n}.txt", b"x") for n in range(MAX_ENTRIES + 1)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile's own about the duplicate name
        twice = canonical_zip([("a.txt", b"1"), ("a.txt", b"2")])
    climbing = canonical_zip([("../a.txt", b"1")])
    vietnamese = canonical_zip([("bản.txt", b"1")])
    for raw in (too_many, twice, climbing, vietnamese):
        assert container._canonical_entries(raw) is None
        assert both_ways(raw) == the_long_way(raw)
    assert "quá nhiều" in both_ways(too_many) and "cùng tên" in both_ways(twice)


@pytest.mark.parametrize("value", [0x00, 0xFF, 0x01])
def test_every_byte_of_a_packet_changed_gives_the_same_answer_both_ways(value):
    # Headers, names, contents, central directory, end record: each byte in turn.
    raw = canonical_zip(SMALL + [(PUBLIC_KEY, b"-----BEGIN PUBLIC KEY-----")])
    for at in range(4, len(raw)):
        changed = raw[:at] + bytes([value if raw[at] != value else value ^ 0x80]) + raw[at + 1 :]
        if changed[-22:-18] != END_MAGIC:
            continue  # container_of says the file is cut short, before either way
        assert both_ways(changed) == the_long_way(changed), at


def test_bytes_added_or_cut_give_the_same_answer_both_ways():
    raw = canonical_zip(SMALL)
    header = 30 + len(MANIFEST)
    cases = [
        raw[:header] + b"x" + raw[header:],  # one byte more in the first entry
        raw[: header + 1] + raw[header + 2 :],  # one byte less
        raw[:-22] + b"PK\x03\x04" + raw[-22:],  # a local header's magic before the end
    ]
    for changed in cases:
        assert both_ways(changed) == the_long_way(changed)
