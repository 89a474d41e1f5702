"""A packet from a USB stick is hostile until proved otherwise: the reader
must refuse every damaged, altered or malicious file with a clear Vietnamese
reason, never raise, never expand a bomb, never write anything; and the
exported form must not carry formulas in from names people typed.

Why it is long: one case per way a file can be hostile; they share the genuine packet they alter.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import struct
import warnings
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testkit import with_cells

from exports.packets.container import MAX_ENTRIES, ZIP_EPOCH, canonical_zip, safe_name
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.format import DATA_JSON, FORM_XLSX, MANIFEST, PUBLIC_KEY, SIGNATURE
from exports.packets.verify import Verdict, verify_packet
from exports.packets.write import export_packet
from exports.paper.layout import default_layout
from exports.paper.letterhead import page_settings, save_page_settings
from forms.library import default_library
from models.gateway import Gateway
from models.keys import create_unit_key, fingerprint_of, public_pem, unlock_key
from models.reporting import start_report, view_report
from models.setup import setup_commune
from models.vocabulary import VerifyStatus

AT = dt.datetime(2025, 1, 10, 8, 0, tzinfo=dt.UTC)
PASSPHRASE = "mật khẩu thử nghiệm"
REJECTED = ("khong_hop_le", "khong_doc_duoc")
PACKET_NAMES = (MANIFEST, SIGNATURE, FORM_XLSX, DATA_JSON, PUBLIC_KEY)
HOSTILE_NAMES = ("../../x", "/etc/passwd", "C:\\x", "C:/x", "a/../../b", "dir/", "..\\..\\x", "./manifest.json", "a//b")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def small_packet(folder: Path, villages: list[str], holder: str) -> SimpleNamespace:
    """A fresh database with one commune, a key and an empty report, exported."""
    library = default_library()
    gw = Gateway.open(folder / "nho.db")
    try:
        setup_commune(gw, "03445", villages, "bản", "Lò Thị Mai", "")
        key = create_unit_key(gw, "03445", PASSPHRASE, holder)
        unit = gw.require_unit("03445")
        save_page_settings(gw, unit, replace(page_settings(gw, unit), signer_name=holder))  # the Party page's signer
        form = library.get("kl224")
        view = view_report(gw, start_report(gw, "03445", form, "2024"), form)
        exported = export_packet(gw, view, PASSPHRASE, folder, at=AT)
        enrolment = read_enrolment(write_enrolment(key, gw.require_unit("03445"), folder / "khoa.sctk"))
        private = unlock_key(gw, key, PASSPHRASE)
    finally:
        gw.close()
    raw = exported.path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    return SimpleNamespace(raw=raw, entries=entries, manifest=exported.manifest, enrolment=enrolment, private=private)


@pytest.fixture(scope="session")
def small(tmp_path_factory) -> SimpleNamespace:
    return small_packet(tmp_path_factory.mktemp("nho"), ["Bản A"], "Lò Thị Mai")


def folder_state(folder: Path) -> list[tuple]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


def check(path: Path, trusted=()) -> Verdict:
    """Verify, read every part of the verdict the CLI prints, and see that nothing was written."""
    before = folder_state(path.parent)
    verdict = verify_packet(path, list(trusted), default_library())
    assert isinstance(verdict, Verdict) and verdict.status in list(VerifyStatus)
    assert verdict.headline()
    verdict.lines()
    json.dumps(verdict.to_dict(), ensure_ascii=False)
    if verdict.status in REJECTED:
        assert verdict.problems and all(isinstance(p, str) and p for p in verdict.problems)
    assert folder_state(path.parent) == before
    return verdict


def put(tmp_path: Path, data: bytes, name: str = "goi.sctg") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rejected(tmp_path: Path, data: bytes, *words: str, status: str | None = None) -> Verdict:
    verdict = check(put(tmp_path, data))
    assert verdict.status in REJECTED, verdict
    if status:
        assert verdict.status == status, verdict.problems
    said = " ".join(verdict.problems)
    for word in words:
        assert word in said, said
    return verdict


def json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def signed(small, manifest: dict | bytes, key: Ed25519PrivateKey | None = None, files: dict | None = None) -> bytes:
    """A canonical packet around this manifest, signed (by the unit's key unless another is given)."""
    body = manifest if isinstance(manifest, bytes) else json_bytes(manifest)
    contents = {name: small.entries[name] for name in (FORM_XLSX, DATA_JSON, PUBLIC_KEY)} | (files or {})
    signature = (key or small.private).sign(body)
    return canonical_zip([(MANIFEST, body), (SIGNATURE, signature), *contents.items()])


def with_hashes(manifest: dict, contents: dict[str, bytes]) -> dict:
    """The manifest with the files list redone for these contents."""
    manifest = json.loads(json.dumps(manifest))
    for item in manifest["files"]:
        data = contents.get(item["name"])
        if data is not None:
            item.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    return manifest


def plain_zip(members, compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of some tests
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


def genuine_plus(small, *extra) -> list[tuple[str, bytes]]:
    return [*small.entries.items(), *extra]


# ---- raw zip surgery --------------------------------------------------------------------------------

LOCAL = {"flag_bits": (6, "<H"), "compress_type": (8, "<H"), "CRC": (14, "<I"), "file_size": (22, "<I")}
CENTRAL = {"flag_bits": (8, "<H"), "compress_type": (10, "<H"), "CRC": (16, "<I"), "file_size": (24, "<I")}


def patch_entry(data: bytes, name: str, **fields: int) -> bytes:
    """Change header fields of one entry in both its local and its central header."""
    raw = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.getinfo(name).header_offset
        cd_offset = archive.start_dir
    for field, value in fields.items():
        at, fmt = LOCAL[field]
        struct.pack_into(fmt, raw, offset + at, value)
    position = cd_offset
    while raw[position : position + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, position + 28)
        if raw[position + 46 : position + 46 + name_len].decode("utf-8", "replace") == name:
            for field, value in fields.items():
                at, fmt = CENTRAL[field]
                struct.pack_into(fmt, raw, position + at, value)
        position += 46 + name_len + extra_len + comment_len
    return bytes(raw)


# ---- every byte, every length ---------------------------------------------------------------------


@pytest.mark.slow
def test_every_flipped_byte_is_rejected(small, tmp_path):
    # The packet is about 24 KB: flipping every byte is ~24,000 verifications, about 8 s here; so every
    # byte, not a sample: headers, manifest, signature, key, and the data of both files.
    path = tmp_path / "lat.sctg"
    library = default_library()
    passed = []
    for index in range(len(small.raw)):
        spoiled = bytearray(small.raw)
        spoiled[index] ^= 0xFF
        path.write_bytes(spoiled)
        verdict = verify_packet(path, [small.enrolment], library)
        verdict.headline()
        if verdict.status not in REJECTED or not verdict.problems:
            passed.append((index, verdict.status))
    assert passed == []


@pytest.mark.parametrize("cut", [0, 1, 4, 10, 30, "half", -22, -1])
def test_a_truncated_packet_is_rejected(small, tmp_path, cut):
    length = len(small.raw) // 2 if cut == "half" else cut if cut >= 0 else len(small.raw) + cut
    verdict = rejected(tmp_path, small.raw[:length])
    if length < 4:
        assert verdict.status == "khong_doc_duoc"


def cut_points(small) -> dict[str, int]:
    end = small.raw.rfind(b"PK\x05\x06")  # the end-of-central-directory record
    with zipfile.ZipFile(io.BytesIO(small.raw)) as archive:
        data_starts = archive.getinfo(DATA_JSON).header_offset
    return {
        "in-eocd-signature": end + 2,
        "before-eocd": end,
        "in-central-dir": end - 40,
        "in-so-lieu": data_starts + 500,
    }


@pytest.mark.parametrize("where", ["in-eocd-signature", "before-eocd", "in-central-dir", "in-so-lieu"])
def test_a_packet_cut_short_is_called_damaged_not_another_file(small, tmp_path, where):
    rejected(tmp_path, small.raw[: cut_points(small)[where]], "cắt cụt", status="khong_hop_le")


@pytest.mark.parametrize(
    "change",
    [
        lambda raw: raw + b"\x00" * 16,
        lambda raw: raw + raw,
        lambda raw: b"PK\x03\x04" + raw,
        lambda raw: raw[:-2] + struct.pack("<H", 5) + b"ghi-c",  # an archive comment
        lambda raw: raw.replace(b"signer.pub.pem", b"signer.pub.pex"),
    ],
    ids=["appended", "doubled", "prefixed", "comment", "renamed"],
)
def test_a_changed_container_is_rejected(small, tmp_path, change):
    rejected(tmp_path, change(small.raw), status="khong_hop_le")


# ---- not packets at all -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"P", "Báo cáo năm 2024\n".encode(), b"%PDF-1.7\n" + b"\x00" * 100, b"PK\x05\x06" + b"\x00" * 18],
    ids=["empty", "one-byte", "text", "pdf", "empty-zip"],
)
def test_not_a_zip(tmp_path, data):
    rejected(tmp_path, data, "không phải", status="khong_doc_duoc")


def test_a_docx_or_the_form_itself_is_not_a_packet(small, tmp_path):
    docx = plain_zip(
        [("[Content_Types].xml", b"<Types/>"), ("_rels/.rels", b"<Relationships/>"), ("word/document.xml", b"<w/>")],
        zipfile.ZIP_DEFLATED,
    )
    verdict = rejected(tmp_path, docx, "không phải gói", status="khong_doc_duoc")
    assert "manifest" not in verdict.problems[0] and "zip" not in verdict.problems[0]
    rejected(tmp_path, small.entries[FORM_XLSX], "không phải gói", status="khong_doc_duoc")


def test_a_folder_a_missing_file_and_a_huge_file(tmp_path):
    library = default_library()
    assert verify_packet(tmp_path, [], library).status == "khong_doc_duoc"
    missing = verify_packet(tmp_path / "khong-co.sctg", [], library)
    assert missing.status == "khong_doc_duoc" and "Không tìm thấy" in missing.headline()
    huge = tmp_path / "lon.sctg"
    with huge.open("wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: no disk used, refused on its size alone
    verdict = check(huge)
    assert verdict.status == "khong_doc_duoc" and "quá lớn" in verdict.headline()


# ---- hostile zips -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_dangerous_entry_name_is_refused(small, tmp_path, name):
    rejected(tmp_path, plain_zip(genuine_plus(small, (name, b"x"))), "tên tệp không hợp lệ", status="khong_hop_le")
    rejected(tmp_path, plain_zip([(name, b"x")]), "tên tệp không hợp lệ", status="khong_hop_le")


def test_duplicate_names_are_refused(small, tmp_path):
    twice = plain_zip(genuine_plus(small, (FORM_XLSX, b"bieu khac")))
    rejected(tmp_path, twice, "hai tệp cùng tên", FORM_XLSX, status="khong_hop_le")


def test_too_many_entries_are_refused(small, tmp_path):
    extra = [(f"tep-{n:02d}.txt", b"x") for n in range(MAX_ENTRIES + 1 - len(small.entries))]
    rejected(tmp_path, plain_zip(genuine_plus(small, *extra)), "quá nhiều", status="khong_hop_le")
    at_the_limit = [(f"tep-{n:02d}.txt", b"x") for n in range(MAX_ENTRIES)]
    rejected(tmp_path, plain_zip(at_the_limit), "không phải gói", status="khong_doc_duoc")


@pytest.fixture(scope="session")
def bomb(tmp_path_factory) -> bytes:
    """101 MB of zeros in one entry, ~100 KB on disk, sizes declared honestly (zip64); built in chunks."""
    path = tmp_path_factory.mktemp("bom") / "bom.sctg"
    zeros = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(MANIFEST, b"{}")
        with archive.open(DATA_JSON, "w", force_zip64=True) as stream:
            for _ in range(101):
                stream.write(zeros)
    return path.read_bytes()


def test_a_zip_bomb_is_refused_before_it_is_expanded(bomb, tmp_path):
    assert len(bomb) < 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo(DATA_JSON).file_size == 101 * 1024 * 1024
    rejected(tmp_path, bomb, "bom zip", status="khong_hop_le")


def test_many_small_bombs_are_refused_by_their_total(tmp_path):
    zeros = bytes(14 * 1024 * 1024)
    members = [(f"phan-{n}.bin", zeros) for n in range(5)]  # 70 MB in all, each under the limit
    rejected(tmp_path, plain_zip(members, zipfile.ZIP_DEFLATED), "bom zip", status="khong_hop_le")


@pytest.mark.parametrize("crc", ["true", "of-the-lie"])
def test_a_lying_bomb_is_refused(small, tmp_path, crc):
    """20 MB of zeros that the headers say are 1,000 bytes: read no further than promised, then refused."""
    honest = plain_zip(genuine_plus(small, ("bom.bin", bytes(20 * 1024 * 1024))), zipfile.ZIP_DEFLATED)
    fields = {"file_size": 1000}
    if crc == "of-the-lie":
        fields["CRC"] = zlib.crc32(bytes(1000))
    liar = patch_entry(honest, "bom.bin", **fields)
    assert len(liar) < 1024 * 1024
    rejected(tmp_path, liar, status="khong_hop_le")


def test_an_encrypted_entry_is_refused(small, tmp_path):
    encrypted = patch_entry(canonical_zip(list(small.entries.items())), DATA_JSON, flag_bits=0x1)
    rejected(tmp_path, encrypted, "mã hóa", DATA_JSON, status="khong_hop_le")


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA], ids=["bzip2", "lzma"])
def test_an_odd_compression_is_refused(small, tmp_path, method):
    rejected(tmp_path, plain_zip(small.entries.items(), method), "nén theo cách lạ", status="khong_hop_le")
    unknown = patch_entry(canonical_zip(list(small.entries.items())), FORM_XLSX, compress_type=99)
    rejected(tmp_path, unknown, "nén theo cách lạ", status="khong_hop_le")


def test_a_packet_zipped_again_is_refused_though_its_contents_are_whole(small, tmp_path):
    for compression in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        rejected(tmp_path, plain_zip(small.entries.items(), compression), "vỏ zip", status="khong_hop_le")


def test_entries_in_another_order_are_not_the_packet(small, tmp_path):
    reordered = canonical_zip(list(reversed(small.entries.items())))
    assert reordered != small.raw
    rejected(tmp_path, reordered, status="khong_hop_le")


# ---- the manifest -----------------------------------------------------------------------------------


def test_a_newer_format_version_asks_to_update(small, tmp_path):
    rejected(tmp_path, signed(small, {**small.manifest, "format_version": 2}), "cập nhật", status="khong_doc_duoc")
    bare = {"format": "so-chi-tieu.packet", "format_version": 2, "everything": "else is new"}
    rejected(tmp_path, signed(small, bare), "cập nhật", status="khong_doc_duoc")


@pytest.mark.parametrize("format_", [None, "so-chi-tieu.report", 1])
def test_a_manifest_of_another_format_is_not_a_packet(small, tmp_path, format_):
    manifest = {k: v for k, v in small.manifest.items() if k != "format"}
    if format_ is not None:
        manifest["format"] = format_
    rejected(tmp_path, signed(small, manifest), "không phải gói", status="khong_doc_duoc")


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe{}", b"[" * 100_000, b"{" * 100_000, b"", b'{"a": 1e99999999}' + b" " * (1 << 20)],
    ids=["broken", "not-utf8", "deep-list", "deep-object", "empty", "over-1mb"],
)
def test_a_manifest_that_is_not_json(small, tmp_path, body):
    rejected(tmp_path, signed(small, body), "manifest.json", status="khong_hop_le")


REQUIRED = [
    ("unit", "code"),
    ("unit", "name"),
    ("form", "id"),
    ("form", "version"),
    ("period", "code"),
    ("period", "label"),
    ("sequence",),
    ("created_at",),
    ("signer", "name"),
    ("signer", "fingerprint"),
    ("files",),
    ("summary", "errors"),
    ("summary", "warnings"),
    ("summary", "warnings_explained"),
    ("summary", "cells_missing"),
]


def edited(manifest: dict, keys: tuple, value=KeyError) -> dict:
    manifest = json.loads(json.dumps(manifest))
    holder = manifest
    for key in keys[:-1]:
        holder = holder[key]
    if value is KeyError:
        del holder[keys[-1]]
    else:
        holder[keys[-1]] = value
    return manifest


@pytest.mark.parametrize("keys", REQUIRED, ids=[".".join(k) for k in REQUIRED])
def test_a_manifest_missing_a_field(small, tmp_path, keys):
    rejected(tmp_path, signed(small, edited(small.manifest, keys)), ".".join(keys), status="khong_hop_le")


@pytest.mark.parametrize(
    ("keys", "value", "words"),
    [
        (("sequence",), "1", "sequence"),
        (("sequence",), True, "sequence"),
        (("form", "version"), 1.0, "form.version"),
        (("unit",), "03445", "unit.code"),
        (("summary", "errors"), None, "summary.errors"),
        (("files",), {"bieu.xlsx": "..."}, "files"),
        (("files",), ["bieu.xlsx"], "files"),
        (("files",), [{"name": "bieu.xlsx", "size": "9", "sha256": "00"}], "files"),
        (("signer", "fingerprint"), "ABC", "mã khóa"),
        (("signer", "fingerprint"), "G" * 64, "mã khóa"),
    ],
)
def test_a_manifest_field_of_the_wrong_type(small, tmp_path, keys, value, words):
    rejected(tmp_path, signed(small, edited(small.manifest, keys, value)), words, status="khong_hop_le")


@pytest.mark.parametrize(
    ("keys", "value", "words"),
    [
        (("page",), "report", "page"),
        (("page", "mode"), "village", "page.mode"),
        (("page", "mode"), None, "page.mode"),
        (("page", "issuer"), 7, "page.issuer"),
        (("page", "signer_name"), "x" * 301, "page.signer_name"),
        (("page", "number"), KeyError, "page.number"),
        (("page", "recipients"), "Lưu.", "page.recipients"),
        (("page", "recipients"), ["Lưu."] * 31, "page.recipients"),
        (("page", "recipients"), [None], "page.recipients"),
        (("page", "date"), "2026-02-30", "ngày có thật"),
        (("page", "date"), "10/02/2026", "ngày có thật"),
        (("page", "date"), 20260210, "ngày có thật"),
    ],
)
def test_a_page_of_the_wrong_shape_makes_the_packet_invalid(small, tmp_path, keys, value, words):
    rejected(tmp_path, signed(small, edited(small.manifest, keys, value)), words, status="khong_hop_le")


def test_the_page_says_how_the_form_is_printed_and_may_be_absent(small, tmp_path):
    page = small.manifest["page"]
    assert page["mode"] == default_layout(default_library().get("kl224")).mode
    assert page["date"] == AT.date().isoformat() and page["signer_name"] == "Lò Thị Mai"
    assert page["issuer"] == "Đảng ủy Xã Mường Tè" and page["recipients"][-1] == "Lưu."
    without = edited(small.manifest, ("page",))  # a packet written before issue 17
    path = tmp_path / "cu.sctg"
    path.write_bytes(signed(small, without))
    assert check(path, [small.enrolment]).status == VerifyStatus.VALID


@pytest.mark.parametrize("value", ["3", -1, True, 1.5, 2**62])
def test_a_plausibility_count_of_the_wrong_kind_makes_the_packet_invalid(small, tmp_path, value):
    manifest = edited(small.manifest, ("summary", "plausibility"), value)
    rejected(tmp_path, signed(small, manifest), "summary.plausibility", status="khong_hop_le")


def with_data(small, change) -> bytes:
    """The packet with its so-lieu.json changed by ``change(data)``, the manifest's hashes redone, signed."""
    data = json.loads(small.entries[DATA_JSON])
    change(data)
    body = json_bytes(data)
    return signed(small, with_hashes(small.manifest, {DATA_JSON: body}), files={DATA_JSON: body})


def a_finding_with(params):
    def change(data):
        data["findings"] = [
            {
                "severity": "warning",
                "rule": "bien_dong_so_ky_truoc",
                "indicator": "so_ho",
                "village": "03445.01",
                "reason": "Bản mới nhập thêm hộ.",
                "params": params,
            }
        ]

    return change


def a_history(history):
    def change(data):
        data["history"] = history

    return change


PERIOD_2023 = {"code": "2023", "label": "Năm 2023", "why": "kỳ trước"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (a_finding_with([1, 2]), "tham số"),
        (a_finding_with({"value": "x" * 201}), "tham số"),
        (a_finding_with({f"k{n}": n for n in range(41)}), "tham số"),
        (a_finding_with({"value": {"deep": 1}}), "tham số"),
        (a_finding_with({"value": 1e300}), "tham số"),
        (a_history([]), "history"),
        (a_history({"periods": []}), "history"),
        (a_history({"periods": [], "values": [], "more": 1}), "history"),
        (a_history({"periods": [PERIOD_2023] * 2, "values": []}), "hai lần"),
        (a_history({"periods": [PERIOD_2023 | {"why": "hôm qua"}], "values": []}), "history.periods"),
        (a_history({"periods": [dict(PERIOD_2023, code=str(n)) for n in range(25)], "values": []}), "quá nhiều"),
        (a_history({"periods": [PERIOD_2023], "values": [["so_ho", "03445.01", "2022", 61]]}), "kỳ trước sai dạng"),
        (a_history({"periods": [PERIOD_2023], "values": [["so_ho", "03445.01", "2023", "61"]]}), "kỳ trước sai dạng"),
        (a_history({"periods": [PERIOD_2023], "values": [["so_ho", "03445.01", "2023"]]}), "kỳ trước sai dạng"),
        (a_history({"periods": [PERIOD_2023], "values": [["so_ho", "x", "2023", 1]] * 100_001}), "quá nhiều"),
    ],
)
def test_a_plausibility_history_of_the_wrong_shape_makes_the_packet_invalid(small, tmp_path, change, words):
    rejected(tmp_path, with_data(small, change), words, status="khong_hop_le")


def test_a_packet_with_its_plausibility_history_or_without_one_is_valid(small, tmp_path):
    assert json.loads(small.entries[DATA_JSON])["history"] == {"periods": [], "values": []}
    assert small.manifest["summary"]["plausibility"] == 0
    good = a_history({"periods": [PERIOD_2023], "values": [["so_ho", "03445.01", "2023", 61]]})
    for name, change in (("co.sctg", good), ("cu.sctg", lambda data: data.pop("history"))):
        path = put(tmp_path, with_data(small, change), name)
        assert check(path, [small.enrolment]).status == VerifyStatus.VALID
    older = edited(small.manifest, ("summary", "plausibility"))  # a packet written before issue 20
    assert check(put(tmp_path, signed(small, older), "truoc.sctg"), [small.enrolment]).status == VerifyStatus.VALID


# ---- the files and the signature --------------------------------------------------------------------


@pytest.mark.parametrize("name", [FORM_XLSX, DATA_JSON, PUBLIC_KEY])
def test_a_changed_file_is_named(small, tmp_path, name):
    entries = dict(small.entries)
    data = bytearray(entries[name])
    data[len(data) // 2] ^= 0x01
    entries[name] = bytes(data)
    verdict = rejected(tmp_path, canonical_zip(list(entries.items())), name, "thay đổi", status="khong_hop_le")
    others = {FORM_XLSX, DATA_JSON} - {name}
    assert not any(other in p for p in verdict.problems for other in others)


@pytest.mark.parametrize("name", [FORM_XLSX, DATA_JSON, PUBLIC_KEY, SIGNATURE])
def test_a_missing_file_is_named(small, tmp_path, name):
    entries = [(n, d) for n, d in small.entries.items() if n != name]
    rejected(tmp_path, canonical_zip(entries), "thiếu", name, status="khong_hop_le")


def test_a_missing_manifest_is_named(small, tmp_path):
    entries = [(n, d) for n, d in small.entries.items() if n != MANIFEST]
    rejected(tmp_path, canonical_zip(entries), "thiếu", MANIFEST, status="khong_hop_le")


def test_an_unlisted_file_is_named(small, tmp_path):
    extra = canonical_zip(genuine_plus(small, ("ghi-chu.txt", "thêm vào sau khi ký".encode())))
    rejected(tmp_path, extra, "tệp lạ", "ghi-chu.txt", status="khong_hop_le")


def test_a_signature_of_the_wrong_length_or_by_nobody(small, tmp_path):
    for signature in (b"", small.entries[SIGNATURE][:63], bytes(64), small.entries[SIGNATURE] + b"\x00"):
        entries = {**small.entries, SIGNATURE: signature}
        rejected(tmp_path, canonical_zip(list(entries.items())), "chữ ký", status="khong_hop_le")


def test_swapped_key_and_signature_under_the_same_manifest_is_another_key(small, tmp_path):
    attacker = Ed25519PrivateKey.generate()
    entries = {
        **small.entries,
        SIGNATURE: attacker.sign(small.entries[MANIFEST]),
        PUBLIC_KEY: public_pem(attacker.public_key()).encode(),
    }
    rejected(tmp_path, canonical_zip(list(entries.items())), "khóa khác", status="khong_hop_le")


def test_an_attacker_who_re_signs_everything_is_not_trusted(small, tmp_path):
    attacker = Ed25519PrivateKey.generate()
    pem = public_pem(attacker.public_key()).encode()
    data = small.entries[DATA_JSON].replace(b'"name": "B\xe1\xba\xa3n A"', b'"name": "B\xe1\xba\xa3n B"')
    assert data != small.entries[DATA_JSON]
    sheet = with_cells(small.entries[FORM_XLSX], {"B4": "Bản B"})  # the printed form says the same
    files = {PUBLIC_KEY: pem, DATA_JSON: data, FORM_XLSX: sheet}
    manifest = with_hashes(small.manifest, files)
    manifest["signer"]["fingerprint"] = fingerprint_of(attacker.public_key())
    forged = signed(small, manifest, attacker, files)
    verdict = check(put(tmp_path, forged), [small.enrolment])
    assert verdict.status == "chua_tin_cay" and verdict.exit_code == 3
    assert "không có trong các khóa tin cậy" in verdict.trust_note
    assert check(put(tmp_path, small.raw), [small.enrolment]).status == "hop_le"  # the genuine one is


def test_a_key_that_is_not_ed25519(small, tmp_path):
    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    manifest = with_hashes(small.manifest, {PUBLIC_KEY: pem})
    rejected(tmp_path, signed(small, manifest, files={PUBLIC_KEY: pem}), PUBLIC_KEY, "Ed25519", status="khong_hop_le")
    manifest = with_hashes(small.manifest, {PUBLIC_KEY: b"not a key"})
    rejected(tmp_path, signed(small, manifest, files={PUBLIC_KEY: b"not a key"}), "PEM", status="khong_hop_le")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda m: m["form"].update(version=99), "cập nhật tệp biểu mẫu"),
        (lambda m: m["form"].update(id="kl999"), "kl999"),
        (lambda m: m["period"].update(code="2024-Q9"), "kỳ báo cáo"),
        (lambda m: m["period"].update(code="2025"), "không khớp"),
        (lambda m: m["unit"].update(code="03390"), "không khớp"),
    ],
    ids=["form-version", "form-id", "bad-period", "other-period", "other-unit"],
)
def test_a_signed_manifest_that_disagrees_with_the_program_or_the_data(small, tmp_path, change, words):
    manifest = json.loads(json.dumps(small.manifest))
    change(manifest)
    rejected(tmp_path, signed(small, manifest), words, status="khong_hop_le")


def test_a_signed_manifest_with_data_that_is_not_json(small, tmp_path):
    for data in (b"\xff", b"[]", b'"so-lieu"', b"{}", b"[" * 100_000):
        manifest = with_hashes(small.manifest, {DATA_JSON: data})
        rejected(tmp_path, signed(small, manifest, files={DATA_JSON: data}), DATA_JSON, status="khong_hop_le")


def test_verifying_a_folder_of_hostile_files_writes_nothing(small, bomb, tmp_path):
    files = {
        "bom.sctg": bomb,
        "leo.sctg": plain_zip(genuine_plus(small, ("../../x", b"x"))),
        "nen.sctg": plain_zip(small.entries.items(), zipfile.ZIP_DEFLATED),
        "that.sctg": small.raw,
    }
    for name, data in files.items():
        put(tmp_path, data, name)
    before = folder_state(tmp_path)
    statuses = [verify_packet(tmp_path / name, [small.enrolment], default_library()).status for name in files]
    assert statuses == ["khong_hop_le", "khong_hop_le", "khong_hop_le", "hop_le"]
    assert folder_state(tmp_path) == before


# ---- generated hostility ----------------------------------------------------------------------------

NAMES = st.one_of(
    st.sampled_from(PACKET_NAMES),
    st.sampled_from(HOSTILE_NAMES + ("ghi-chu.txt", "Bản A.txt", "a/b.txt", "\\", ":", "..", ".", "")),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
)
CONTENTS = st.one_of(st.binary(max_size=64), st.sampled_from(PACKET_NAMES))  # a packet name: that file's bytes
HOW = st.sampled_from(["canonical", "stored", "deflated"])


def built(small, members) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content, how in members:
                info = zipfile.ZipInfo(name, ZIP_EPOCH if how == "canonical" else (2025, 1, 10, 8, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED if how == "deflated" else zipfile.ZIP_STORED
                if how == "canonical":
                    info.create_system, info.external_attr = 3, 0o100644 << 16
                archive.writestr(info, small.entries[content] if isinstance(content, str) else content)
    return buffer.getvalue()


def only_genuine_if_intact(verdict: Verdict, data: bytes, small) -> None:
    """Intact means exactly the signed files: nothing added, nothing changed."""
    if verdict.intact:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert sorted((i.filename, archive.read(i)) for i in archive.infolist()) == sorted(small.entries.items())


@pytest.mark.slow
@FUZZ
@given(members=st.lists(st.tuples(NAMES, CONTENTS, HOW), max_size=8))
def test_generated_zips_never_raise_and_never_pass(small, tmp_path, members):
    data = built(small, members)
    verdict = check(put(tmp_path, data), [small.enrolment])
    only_genuine_if_intact(verdict, data, small)


@pytest.mark.slow
@FUZZ
@given(order=st.permutations(PACKET_NAMES), hows=st.lists(HOW, min_size=5, max_size=5))
def test_the_genuine_files_rezipped_pass_only_in_canonical_form(small, tmp_path, order, hows):
    data = built(small, [(name, name, how) for name, how in zip(order, hows, strict=True)])
    verdict = check(put(tmp_path, data), [small.enrolment])
    only_genuine_if_intact(verdict, data, small)
    if set(hows) != {"canonical"}:
        assert verdict.status == "khong_hop_le"


MUTATION = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("delete"), st.integers(0, 1 << 20), st.integers(1, 64)),
)


def mutated(raw: bytes, mutations) -> bytes:
    data = bytearray(raw)
    for kind, where, what in mutations:
        at = where % (len(data) + 1)
        if kind == "set":
            data[at : at + len(what)] = what
        elif kind == "insert":
            data[at:at] = what
        else:
            del data[at : at + what]
    return bytes(data)


@pytest.mark.slow
@FUZZ
@given(mutations=st.lists(MUTATION, min_size=1, max_size=5), cut=st.none() | st.integers(0, 1 << 20))
def test_a_mutated_packet_never_raises_and_never_passes(small, tmp_path, mutations, cut):
    data = mutated(small.raw, mutations)
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    verdict = check(put(tmp_path, data), [small.enrolment])
    if data != small.raw:
        assert verdict.status in REJECTED, verdict


# ---- names ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("manifest.json", True),
        ("so-lieu.json", True),
        ("Bản A.txt", True),
        ("a/b.txt", True),
        ("x" * 200, True),
        ("x" * 201, False),
        ("", False),
        (".", False),
        ("..", False),
        ("../x", False),
        ("../../x", False),
        ("a/../../b", False),
        ("a/..", False),
        ("./x", False),
        ("a/./b", False),
        ("a//b", False),
        ("a/.", False),
        ("dir/", False),
        ("/etc/passwd", False),
        ("//server/share", False),
        ("C:\\x", False),
        ("C:/x", False),
        ("C:x", False),
        ("a\\b", False),
        ("..\\x", False),
        ("a\x00b", False),
    ],
)
def test_safe_name(name, safe):
    assert safe_name(name) is safe


# ---- no formulas in the form ------------------------------------------------------------------------

TYPED = ["=1+2", "+84 912 345 678", "-5 hộ", "@SUM(A1)", '=HYPERLINK("http://x","y")']


def test_names_that_look_like_formulas_stay_text_in_the_form(tmp_path):
    holder = "=cmd|' /C calc'!A0"
    packet = small_packet(tmp_path, TYPED, holder)
    xlsx = packet.entries[FORM_XLSX]
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for sheet in sheets:
            body = archive.read(sheet)
            assert b"<f>" not in body and b"<f " not in body, sheet
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx))
    cells = [cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    signed = default_layout(default_library().get("kl224")).signature  # an annex prints no signer
    for typed in [*TYPED, *([holder] if signed else [])]:
        holding = [cell for cell in cells if cell.value == typed]
        assert holding, typed
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in holding), typed
