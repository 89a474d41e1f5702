"""Receipts and returns: the province signs an answer to a commune's packet,
the commune files it against the packet it exported. Real SQLite files (the
commune demo and the province demo), real packets and real Ed25519 signatures;
the command line in a fresh process.

Why it is long: the receipt's whole round trip, province and commune, through the library and the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from testkit import copy_database, run_main

from exports.collect.completeness import completeness
from exports.collect.inbox import import_packets, open_collection
from exports.collect.merge import merge
from exports.collect.receipts import Query, issue_receipt, parse_query
from exports.collect.trust import enrol
from exports.packets.answers import import_receipt, report_answer
from exports.packets.container import PacketInvalid, PacketUnreadable, canonical_zip
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.format import MANIFEST, json_bytes
from exports.packets.receipt_file import RECEIPT, RECEIPT_SIGNATURE, read_receipt
from exports.packets.write import export_packet
from forms.library import default_library
from forms.messages import label_of
from models.demo import build_upper_demo
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import (
    DEMO_PASSPHRASE,
    create_unit_key,
    fingerprint_of,
    key_in_use,
    public_pem,
    spoken_fingerprint,
)
from models.reporting import enter_values, view_report

ICT = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2026, 2, 3, 9, 30, tzinfo=ICT)
WHO = "kiem-thu"
BINH_LU_PASSPHRASE = "khoa xã Bình Lư"
NOTE = "Số  nhà văn hóa chưa khớp   biên bản."  # spaces collapse in the signed note
QUERIES = [
    Query("ban_co_nvh", "03445.03", "Bản này chưa có nhà văn hóa"),
    Query("can_bo_lanh_dao", "", "Thiếu hai đồng chí mới bổ nhiệm"),
]
HAS_OPENSSL = shutil.which("openssl") is not None


def export(gw: Gateway, unit: str, period: str, out: Path, passphrase: str = DEMO_PASSPHRASE):
    kl224 = default_library().get("kl224")
    return export_packet(gw, view_report(gw, gw.find_report(unit, "kl224", period), kl224), passphrase, out, at=AT)


def checkpointed(gw: Gateway) -> None:
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()


@pytest.fixture(scope="session")
def sent(demo_template, tmp_path_factory):
    """The commune demo after exporting packets, the province demo after importing them.

    Filed at the province: kl224 2024 of Mường Tè and Tân Phong accepted, Bình Lư
    quarantined (a key the province does not know); kl224 2025 of Sìn Hồ sent
    twice (lần 1 superseded), Tân Phong's lần 1 in conflict with a different lần 1
    exported by another machine."""
    folder = tmp_path_factory.mktemp("bien-nhan")
    packets, elsewhere = folder / "goi", folder / "goi-may-khac"
    packets.mkdir()
    elsewhere.mkdir()
    library = default_library()
    shutil.copy(demo_template, folder / "xa.db")
    gw = Gateway.open(folder / "xa.db")
    for unit, period in (("03445", "2024"), ("03408", "2024"), ("03478", "2025"), ("03478", "2025")):
        export(gw, unit, period, packets)
    export(gw, "03408", "2025", packets)
    create_unit_key(gw, "03390", BINH_LU_PASSPHRASE, "Lò Văn Tú")
    export(gw, "03390", "2024", packets, BINH_LU_PASSPHRASE)
    checkpointed(gw)
    shutil.copy(demo_template, folder / "xa-khac.db")
    gw = Gateway.open(folder / "xa-khac.db")
    report = gw.find_report("03408", "kl224", "2025")
    members = gw.values(report)[("can_bo_dang_vien", "03408")]
    enter_values(gw, report, library.get("kl224"), [("can_bo_dang_vien", "03408", members + 5)], WHO)
    export(gw, "03408", "2025", elsewhere)
    checkpointed(gw)
    gw = Gateway.open(folder / "tinh.db")
    build_upper_demo(gw)
    filed = import_packets(gw, [packets, elsewhere], library, WHO).filed
    assert [f.outcome for f in filed] == [
        "quarantined",  # 03390 2024
        "accepted",  # 03408 2024
        "accepted",  # 03408 2025
        "accepted",  # 03445 2024
        "accepted",  # 03478 2025 lần 1
        "accepted",  # 03478 2025 lần 2
        "conflict",  # 03408 2025 from the other machine
    ]
    checkpointed(gw)
    return SimpleNamespace(commune=folder / "xa.db", province=folder / "tinh.db", packets=packets)


def opened(source: Path, target: Path):
    copy_database(source, target)
    gw = Gateway.open(target)
    yield gw
    gw.close()


@pytest.fixture
def commune(sent, tmp_path):
    yield from opened(sent.commune, tmp_path / "xa.db")


@pytest.fixture
def province(sent, tmp_path):
    yield from opened(sent.province, tmp_path / "tinh.db")


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "bien-nhan"
    folder.mkdir()
    return folder


def packet_id(province: Gateway, unit: str, period: str = "2024", status: str = "accepted") -> int:
    (found,) = province.db.execute(
        "SELECT id FROM received_packets WHERE unit_code = ? AND form_id = 'kl224' AND period_code = ? AND status = ?",
        [unit, period, status],
    ).fetchall()
    return found[0]


def status_of(province: Gateway, packet: int) -> str:
    return province.db.execute("SELECT status FROM received_packets WHERE id = ?", [packet]).fetchone()[0]


def answer(province: Gateway, out: Path, kind: str = "bien_nhan", unit: str = "03445", **how):
    return issue_receipt(
        province, packet_id(province, unit), kind, DEMO_PASSPHRASE, out, default_library(), WHO, at=AT, **how
    )


def entries_of(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def province_enrolment(province: Gateway, folder: Path) -> Path:
    return write_enrolment(key_in_use(province, "12"), province.require_unit("12"), folder / "khoa-12.sctk")


def openssl_verify(entries: dict[str, bytes], signed: str, signature: str, folder: Path) -> subprocess.CompletedProcess:
    folder.mkdir()
    for name, body in entries.items():
        (folder / name).write_bytes(body)
    command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signer.pub.pem", "-rawin"]
    return subprocess.run(
        [*command, "-in", signed, "-sigfile", signature], cwd=folder, capture_output=True, text=True, timeout=30
    )


def forged(data: dict, path: Path, private: Ed25519PrivateKey | None = None) -> Path:
    """A receipt with this content, correctly signed by ``private`` (a key nobody enrolled)."""
    private = private or Ed25519PrivateKey.generate()
    data["signer"]["fingerprint"] = fingerprint_of(private.public_key())
    body = json_bytes(data)
    pem = public_pem(private.public_key()).encode()
    path.write_bytes(canonical_zip([(RECEIPT, body), (RECEIPT_SIGNATURE, private.sign(body)), ("signer.pub.pem", pem)]))
    return path


# ---- issuing ----------------------------------------------------------------------------------------------


def test_a_receipt_is_signed_names_the_packet_and_reads_back(province, sent, out):
    issued = answer(province, out)
    assert issued.path == out / "03445_kl224_2024_lan01_bien-nhan.sctb"
    raw = issued.path.read_bytes()
    assert list(entries_of(raw)) == ["bien-nhan.json", "bien-nhan.sig", "signer.pub.pem"]
    packet_file = (sent.packets / "03445_kl224_2024_lan01.sctg").read_bytes()
    data = read_receipt(issued.path).data
    assert data == issued.receipt
    assert data["kind"] == "bien_nhan" and data["issuer"] == {"code": "12", "name": "Tỉnh Lai Châu"}
    assert data["packet"]["manifest_sha256"] == hashlib.sha256(entries_of(packet_file)[MANIFEST]).hexdigest()
    assert data["packet"]["file_sha256"] == hashlib.sha256(packet_file).hexdigest()
    assert (data["packet"]["unit"]["code"], data["packet"]["sequence"]) == ("03445", 1)
    assert dt.datetime.fromisoformat(data["issued_at"]) == AT and data["note"] == "" and data["cells"] == []
    assert data["signer"]["fingerprint"] == key_in_use(province, "12").fingerprint
    (row,) = province.db["issued_receipts"].rows
    assert (row["kind"], row["issued_by"], row["file_name"]) == ("bien_nhan", WHO, issued.path.name)
    assert row["receipt_sha256"] == hashlib.sha256(raw).hexdigest()
    assert status_of(province, row["packet_id"]) == "accepted"


@pytest.mark.skipif(not HAS_OPENSSL, reason="openssl is not installed")
def test_openssl_verifies_a_receipt_and_refuses_an_altered_one(province, out, tmp_path):
    entries = entries_of(answer(province, out, "tra_lai", note=NOTE, queries=QUERIES).path.read_bytes())
    checked = openssl_verify(entries, RECEIPT, RECEIPT_SIGNATURE, tmp_path / "nguyen")
    assert checked.returncode == 0 and "Signature Verified Successfully" in checked.stdout
    altered = entries | {RECEIPT: entries[RECEIPT].replace("Bản này".encode(), "Bản kia".encode())}
    assert openssl_verify(altered, RECEIPT, RECEIPT_SIGNATURE, tmp_path / "sua").returncode != 0


def test_a_return_sets_the_packet_aside(province, out, library):
    open_collection(province, library.get("kl224"), "2024", None)  # no deadline: a packet in is "da_nhan"
    kl224 = library.get("kl224")
    assert {u.unit.code for u in merge(province, "12", kl224, "2024").received} == {"03445", "03408"}
    assert completeness(province, "12", "2024", library).states["03445", "kl224"].state == "da_nhan"
    returned = answer(province, out, "tra_lai", note=NOTE, queries=QUERIES)
    assert returned.path.name == "03445_kl224_2024_lan01_tra-lai.sctb"
    assert returned.receipt["note"] == "Số nhà văn hóa chưa khớp biên bản."
    packet = packet_id(province, "03445", status="returned")
    row = province.db["received_packets"].get(packet)
    assert row["reason"] == "Đã trả lại: Số nhà văn hóa chưa khớp biên bản."
    table = merge(province, "12", kl224, "2024")
    assert {u.unit.code for u in table.received} == {"03408"}
    assert next(u for u in table.units if u.unit.code == "03445").figures is None
    state = completeness(province, "12", "2024", library).states["03445", "kl224"]
    assert (state.state, state.sequence, state.words) == ("tra_lai", 1, "đã trả lại, chờ bản sửa")
    (issued,) = province.db["issued_receipts"].rows
    assert issued["kind"] == "tra_lai" and [c["indicator"] for c in json.loads(issued["cells"])] == [
        "ban_co_nvh",
        "can_bo_lanh_dao",
    ]


def test_a_returned_packet_can_be_returned_again_but_not_received(province, out):
    answer(province, out, "tra_lai", note="Lần đầu")
    packet = packet_id(province, "03445", status="returned")
    again = issue_receipt(
        province, packet, "tra_lai", DEMO_PASSPHRASE, out / "lan-2.sctb", default_library(), WHO, note="Nhắc lại"
    )
    assert again.receipt["note"] == "Nhắc lại" and status_of(province, packet) == "returned"
    with pytest.raises(BadInput, match="đã bị trả lại"):
        issue_receipt(province, packet, "bien_nhan", DEMO_PASSPHRASE, out / "nhan.sctb", default_library(), WHO)
    assert not (out / "nhan.sctb").exists() and province.db["issued_receipts"].count == 2


@pytest.mark.parametrize(
    ("kind", "how", "words"),
    [
        ("tra_lai", {"note": "  \n "}, "phải ghi lý do"),
        ("tra_lai", {"note": "x", "queries": [Query("chi_tieu_la", "", "sai")]}, "không có chỉ tiêu “chi_tieu_la”"),
        ("tra_lai", {"note": "x", "queries": [Query("ban_co_nvh", "03408.01", "sai")]}, "không có thôn, bản mã"),
        ("tra_lai", {"note": "x", "queries": [Query("ban_co_nvh", "03445.99", "sai")]}, "không có thôn, bản mã"),
        ("tra_lai", {"note": "x", "queries": [Query("ban_co_nvh", "03445.03", " ")]}, "Hãy ghi cần sửa gì"),
        ("tra_lai", {"note": "x", "queries": [Query("can_bo_lanh_dao", "03445.03", "sai")]}, "số của cả xã"),
        ("bien_nhan", {"queries": [Query("so_ho", "03445.03", "sai")]}, "chỉ ghi khi trả lại"),
        ("xac_nhan", {}, "không có"),
    ],
    ids=[
        "return-without-note",
        "unknown-indicator",
        "village-of-another-commune",
        "village-not-in-packet",
        "cell-without-note",
        "commune-figure-at-a-village",
        "cells-on-a-receipt",
        "unknown-kind",
    ],
)
def test_a_refused_answer_writes_nothing(province, out, kind, how, words):
    with pytest.raises(BadInput, match=words):
        answer(province, out, kind, **how)
    assert province.db["issued_receipts"].count == 0 and list(out.iterdir()) == []
    assert status_of(province, packet_id(province, "03445")) == "accepted"


@pytest.mark.parametrize(
    ("unit", "period", "status"),
    [("03478", "2025", "superseded"), ("03390", "2024", "quarantined"), ("03408", "2025", "conflict")],
)
@pytest.mark.parametrize("kind", ["bien_nhan", "tra_lai"])
def test_only_an_accepted_packet_is_answered(province, out, library, unit, period, status, kind):
    packet = min(
        r[0]
        for r in province.db.execute(
            "SELECT id FROM received_packets WHERE unit_code = ? AND period_code = ? AND status = ?",
            [unit, period, status],
        )
    )
    with pytest.raises(BadInput, match="không ở trạng thái đã nhận"):
        issue_receipt(province, packet, kind, DEMO_PASSPHRASE, out, library, WHO, note="Sai")
    assert status_of(province, packet) == status
    assert province.db["issued_receipts"].count == 0 and list(out.iterdir()) == []


def test_a_packet_not_in_the_inbox(province, out, library):
    with pytest.raises(BadInput, match="Không có gói số 9999"):
        issue_receipt(province, 9999, "bien_nhan", DEMO_PASSPHRASE, out, library, WHO)


def test_a_wrong_passphrase_leaves_no_row_and_no_file(province, out, library):
    packet = packet_id(province, "03445")
    with pytest.raises(BadInput, match="Sai mật khẩu"):
        issue_receipt(province, packet, "tra_lai", "khong-phai-mat-khau", out, library, WHO, note="Sai")
    assert province.db["issued_receipts"].count == 0 and list(out.iterdir()) == []
    assert status_of(province, packet) == "accepted"


def test_a_file_that_cannot_be_written_leaves_the_packet_accepted(province, out, library):
    packet = packet_id(province, "03445")
    with pytest.raises(BadInput, match="không tồn tại"):
        issue_receipt(province, packet, "tra_lai", DEMO_PASSPHRASE, out / "khong-co" / "x.sctb", library, WHO, note="a")
    assert province.db["issued_receipts"].count == 0 and status_of(province, packet) == "accepted"


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("ban_co_nvh@03445.03=Kiểm tra lại", Query("ban_co_nvh", "03445.03", "Kiểm tra lại")),
        ("can_bo_lanh_dao=Thiếu", Query("can_bo_lanh_dao", "", "Thiếu")),
        (" so_ho @ 03445.01 = tổng = 40 ", Query("so_ho", "03445.01", "tổng = 40")),
    ],
)
def test_parse_query(text, query):
    assert parse_query(text) == query


@pytest.mark.parametrize("text", ["ban_co_nvh", "=lý do", "@03445.03=lý do", ""])
def test_parse_query_refuses(text):
    with pytest.raises(BadInput, match="CHỈ_TIÊU=lý do"):
        parse_query(text)


# ---- reading: a receipt is whole or refused -----------------------------------------------------------------


@pytest.mark.slow
def test_every_flipped_bit_is_refused(province, out, tmp_path):
    raw = answer(province, out, "tra_lai", note=NOTE, queries=QUERIES).path.read_bytes()
    spoiled = tmp_path / "hong.sctb"
    accepted = []
    for at in range(len(raw)):
        for mask in (0x01, 0x80):
            changed = bytearray(raw)
            changed[at] ^= mask
            spoiled.write_bytes(changed)
            try:
                read_receipt(spoiled)
            except (PacketInvalid, PacketUnreadable):
                continue
            accepted.append((at, mask))
    assert accepted == []


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(issued_at="hôm qua"),
        lambda d: d["packet"]["period"].pop("label"),
        lambda d: d["packet"]["unit"].pop("name"),
        lambda d: d["packet"].update(sequence="1"),
        lambda d: d.update(kind="xac_nhan"),
        lambda d: d.update(cells=[{"indicator": "so_ho"}]),
        lambda d: d.update(cells="so_ho"),
        lambda d: d.update(issuer=["12"]),
        lambda d: d.update(note=None),
    ],
    ids=[
        "date-not-a-date",
        "no-period-label",
        "no-unit-name",
        "sequence-text",
        "unknown-kind",
        "cell-without-fields",
        "cells-not-a-list",
        "issuer-a-list",
        "note-null",
    ],
)
def test_a_signed_receipt_of_the_wrong_shape_is_refused(province, commune, out, tmp_path, edit):
    data = answer(province, out).receipt
    edit(data)
    path = forged(data, tmp_path / "la.sctb")
    with pytest.raises(PacketInvalid, match="bị hỏng hoặc thiếu thông tin"):
        read_receipt(path)
    with pytest.raises(PacketInvalid):
        import_receipt(commune, path)
    assert commune.db["receipts"].count == 0


def test_a_receipt_naming_another_key_or_rezipped_is_refused(province, out, tmp_path):
    issued = answer(province, out)
    entries = entries_of(issued.path.read_bytes())
    other = Ed25519PrivateKey.generate()
    swapped = tmp_path / "khoa-khac.sctb"
    swapped.write_bytes(
        canonical_zip(
            [
                (RECEIPT, entries[RECEIPT]),
                (RECEIPT_SIGNATURE, other.sign(entries[RECEIPT])),
                ("signer.pub.pem", public_pem(other.public_key()).encode()),
            ]
        )
    )
    with pytest.raises(PacketInvalid, match="khóa khác"):
        read_receipt(swapped)
    deflated = tmp_path / "nen-lai.sctb"
    with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    with pytest.raises(PacketInvalid, match="nén lại"):
        read_receipt(deflated)


@pytest.mark.parametrize("which", ["packet", "text"])
def test_a_file_that_is_not_a_receipt_is_unreadable(sent, tmp_path, which):
    path = sent.packets / "03445_kl224_2024_lan01.sctg"
    if which == "text":
        path = tmp_path / "ghi-chu.sctb"
        path.write_text("không phải biên nhận", encoding="utf-8")
    with pytest.raises(PacketUnreadable, match="không phải"):
        read_receipt(path)


# ---- filing at the commune ------------------------------------------------------------------------------------


def enrol_province(province: Gateway, commune: Gateway, folder: Path):
    """The commune trusts the province's key, as after reading its code over the phone."""
    return enrol(commune, read_enrolment(province_enrolment(province, folder)), WHO)


def test_a_receipt_at_the_commune_says_received(province, commune, out, tmp_path):
    enrol_province(province, commune, tmp_path)
    report = commune.find_report("03445", "kl224", "2024")
    before = report_answer(commune, report)
    assert (before.state, before.sequence) == ("cho_bien_nhan", 1) and "chưa có biên nhận" in before.text
    filed = import_receipt(commune, answer(province, out).path)
    assert (filed.new, filed.trusted, filed.report.id) == (True, True, report.id)
    assert filed.lines()[0].startswith("Tỉnh Lai Châu đã nhận gói lần 1 biểu kl224, Năm 2024; ký bởi Giàng Thị Dung")
    now = report_answer(commune, report)
    assert (now.state, now.sequence, now.cells, now.trusted) == ("da_nhan", 1, [], True)
    assert now.text == "Tỉnh Lai Châu đã nhận gói lần 1 ngày 03/02/2026."
    (row,) = commune.db["receipts"].rows
    assert (row["kind"], row["issuer_code"], row["trusted"]) == ("bien_nhan", "12", 1)
    never_sent = report_answer(commune, commune.find_report("03445", "kl224", "2025"))
    assert (never_sent.state, never_sent.sequence) == ("chua_xuat", None)


def test_before_the_provinces_key_is_enrolled_a_return_waits_unread(province, commune, out):
    """No key of the province on file: the return is filed unchecked and its reason is not shown as the answer."""
    report = commune.find_report("03445", "kl224", "2024")
    filed = import_receipt(commune, answer(province, out, "tra_lai", note=NOTE, queries=QUERIES).path)
    assert (filed.new, filed.trusted) == (True, False)
    assert filed.lines()[0].startswith("Tệp ghi rằng Tỉnh Lai Châu trả lại gói lần 1 biểu kl224")
    assert "Chưa đối chiếu được khóa của cấp trên" in filed.lines()[1]
    assert not any("nhà văn hóa" in line for line in filed.lines())  # the return's reason and cells: not yet
    waiting = report_answer(commune, report)
    assert (waiting.state, waiting.sequence, waiting.cells, waiting.trusted) == ("cho_bien_nhan", 1, [], False)
    assert waiting.text.startswith("Đã xuất gói lần 1 ngày ")
    assert "chưa đối chiếu được khóa của cấp trên" in waiting.text and "nhà văn hóa" not in waiting.text
    assert commune.db.execute("SELECT kind, trusted FROM receipts").fetchall() == [("tra_lai", 0)]


def test_a_return_then_the_corrected_packet_then_its_receipt(province, commune, out, tmp_path, library):
    enrol_province(province, commune, tmp_path)
    kl224 = library.get("kl224")
    open_collection(province, kl224, "2024", None)
    report = commune.find_report("03445", "kl224", "2024")
    filed = import_receipt(commune, answer(province, out, "tra_lai", note=NOTE, queries=QUERIES).path)
    assert filed.lines()[1:] == [
        "Lý do trả lại: Số nhà văn hóa chưa khớp biên bản.",
        f"- 2.3. Bản, tổ dân phố có nhà văn hóa ({commune.unit('03445.03').name}): Bản này chưa có nhà văn hóa",
        "- Cán bộ lãnh đạo, quản lý (Xã Mường Tè): Thiếu hai đồng chí mới bổ nhiệm",
    ]
    returned = report_answer(commune, report)
    assert (returned.state, returned.sequence) == ("tra_lai", 1)
    assert returned.text == (
        "Tỉnh Lai Châu trả lại gói lần 1 ngày 03/02/2026: "
        "Số nhà văn hóa chưa khớp biên bản. Sửa rồi ký và xuất lại (lần 2)."
    )
    assert returned.cells == [
        {
            "indicator": "ban_co_nvh",
            "label": label_of(kl224, "ban_co_nvh"),
            "unit_code": "03445.03",
            "unit_name": commune.unit("03445.03").name,
            "note": "Bản này chưa có nhà văn hóa",
        },
        {
            "indicator": "can_bo_lanh_dao",
            "label": label_of(kl224, "can_bo_lanh_dao"),
            "unit_code": "03445",
            "unit_name": "Xã Mường Tè",
            "note": "Thiếu hai đồng chí mới bổ nhiệm",
        },
    ]

    # the commune corrects and signs again: lần 2, waiting for an answer
    leaders = commune.values(report)[("can_bo_lanh_dao", "03445")] + 2
    enter_values(commune, report, kl224, [("can_bo_lanh_dao", "03445", leaders)], WHO)
    corrected = export(commune, "03445", "2024", tmp_path)
    assert corrected.sequence == 2
    waiting = report_answer(commune, report)
    assert (waiting.state, waiting.sequence) == ("cho_bien_nhan", 2) and waiting.text.startswith("Đã xuất gói lần 2")

    # the province takes it in place of the returned one
    (taken,) = import_packets(province, [corrected.path], library, WHO).filed
    assert (taken.outcome, taken.sequence) == ("accepted", 2) and "thay lần gửi 1" in taken.message
    assert status_of(province, packet_id(province, "03445", status="returned")) == "returned"
    state = completeness(province, "12", "2024", library).states["03445", "kl224"]
    assert (state.state, state.sequence) == ("da_nhan", 2)
    back = next(u for u in merge(province, "12", kl224, "2024").received if u.unit.code == "03445")
    assert back.sequence == 2 and back.figures["can_bo_lanh_dao"].value == leaders

    # and its receipt answers lần 2
    receipt = issue_receipt(province, taken.packet_id, "bien_nhan", DEMO_PASSPHRASE, out, library, WHO, at=AT)
    assert receipt.path.name == "03445_kl224_2024_lan02_bien-nhan.sctb"
    assert import_receipt(commune, receipt.path).new
    done = report_answer(commune, report)
    assert (done.state, done.sequence) == ("da_nhan", 2)


def test_a_late_answer_to_an_older_packet_leaves_the_newer_waiting(province, commune, out, tmp_path):
    receipt = answer(province, out).path
    export(commune, "03445", "2024", tmp_path)
    assert import_receipt(commune, receipt).new
    waiting = report_answer(commune, commune.find_report("03445", "kl224", "2024"))
    assert (waiting.state, waiting.sequence) == ("cho_bien_nhan", 2)


def test_a_receipt_for_a_packet_this_machine_did_not_export_is_refused(province, demo_db, out):
    receipt = answer(province, out).path
    with pytest.raises(PacketInvalid, match="máy này không xuất gói đó"):
        import_receipt(demo_db, receipt)
    assert demo_db.db["receipts"].count == 0


def test_a_receipt_from_a_unit_not_directly_above_is_refused(province, commune, out):
    # The same inbox, but the machine now answers as the central level, which has its own key.
    province.add_unit("TW", "Trung ương", "trung ương", who=WHO)
    create_unit_key(province, "TW", DEMO_PASSPHRASE, "Nguyễn Văn Trung")
    province.set_setting("home_unit", "TW")
    issued = answer(province, out)
    assert issued.receipt["issuer"]["code"] == "TW"
    read_receipt(issued.path)  # whole and signed: refused for who signed it
    with pytest.raises(PacketInvalid, match="không phải cấp trên trực tiếp của Xã Mường Tè"):
        import_receipt(commune, issued.path)
    assert commune.db["receipts"].count == 0


def test_the_same_receipt_twice_is_filed_once(province, commune, out, tmp_path):
    receipt = answer(province, out).path
    assert import_receipt(commune, receipt).new
    copy = tmp_path / "ban-sao.sctb"
    shutil.copy(receipt, copy)
    assert [import_receipt(commune, p).new for p in (receipt, copy)] == [False, False]
    assert commune.db["receipts"].count == 1


def test_a_receipt_is_trusted_once_the_provinces_key_is_enrolled(province, commune, out, tmp_path):
    report = commune.find_report("03445", "kl224", "2024")
    receipt = answer(province, out).path
    assert import_receipt(commune, receipt).trusted is False
    assert report_answer(commune, report).state == "cho_bien_nhan"
    enrolled = enrol_province(province, commune, tmp_path)
    assert enrolled.new and enrolled.enrolment.unit_code == "12" and enrolled.receipts_checked == 1
    assert commune.db.execute("SELECT trusted FROM receipts").fetchall() == [(1,)]  # checked at the enrolment
    trusted = report_answer(commune, report)
    assert trusted.trusted and trusted.text == "Tỉnh Lai Châu đã nhận gói lần 1 ngày 03/02/2026."
    again = import_receipt(commune, receipt)
    assert (again.new, again.trusted) == (False, True)
    other = import_receipt(commune, answer(province, out, unit="03408").path)  # Tân Phong's, on the same machine
    assert (other.new, other.trusted) == (True, True)
    assert enrol_province(province, commune, tmp_path).receipts_checked == 0  # enrolled again: nothing left to check


def test_a_receipt_signed_by_a_stranger_key_is_refused_once_the_provinces_key_is_on_file(
    province, commune, out, tmp_path
):
    enrol_province(province, commune, tmp_path)
    data = answer(province, out, "tra_lai", note="Sửa hết").receipt  # the province's words, signed by someone else
    stranger = Ed25519PrivateKey.generate()
    with pytest.raises(PacketInvalid, match="không phải khóa đã đăng ký của Tỉnh Lai Châu") as refused:
        import_receipt(commune, forged(data, tmp_path / "gia.sctb", stranger))
    assert key_in_use(province, "12").spoken in str(refused.value)
    assert spoken_fingerprint(fingerprint_of(stranger.public_key())) in str(refused.value)
    assert commune.db["receipts"].count == 0
    waiting = report_answer(commune, commune.find_report("03445", "kl224", "2024"))
    assert waiting.state == "cho_bien_nhan" and "Sửa hết" not in waiting.text


def test_unchecked_answers_signed_by_another_key_are_dropped_when_the_provinces_key_is_enrolled(
    province, commune, out, tmp_path
):
    """Before the enrolment a forged return and the real receipt both wait unread; after it the
    real one counts and the forged one is kept on record but never shown as the answer."""
    report = commune.find_report("03445", "kl224", "2024")
    forged_return = answer(province, out, "tra_lai", note="Sửa hết, gửi lại ngay").receipt
    import_receipt(commune, forged(forged_return, tmp_path / "gia.sctb"))
    assert "Sửa hết" not in report_answer(commune, report).text
    real = answer(province, out, unit="03408").path  # Tân Phong: only the forged return filed for Mường Tè
    import_receipt(commune, real)
    enrolled = enrol_province(province, commune, tmp_path)
    assert (enrolled.receipts_checked, enrolled.receipts_set_aside) == (1, 1)
    dropped = report_answer(commune, report)
    assert (dropped.state, dropped.cells, dropped.trusted) == ("cho_bien_nhan", [], True)
    assert "khóa khác với khóa đã đăng ký" in dropped.text and "Sửa hết" not in dropped.text
    tan_phong = report_answer(commune, commune.find_report("03408", "kl224", "2024"))
    assert tan_phong.state == "da_nhan"
    assert sorted(commune.db.execute("SELECT kind, trusted FROM receipts").fetchall()) == [
        ("bien_nhan", 1),
        ("tra_lai", 0),  # kept for the record
    ]


def test_a_key_of_a_sibling_commune_cannot_be_enrolled_at_the_commune(commune, tmp_path):
    path = write_enrolment(key_in_use(commune, "03478"), commune.require_unit("03478"), tmp_path / "khoa.sctk")
    with pytest.raises(BadInput, match="không phải đơn vị cấp dưới hay cấp trên trực tiếp"):
        enrol(commune, read_enrolment(path), WHO)


# ---- the command line -----------------------------------------------------------------------------------------


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


@pytest.mark.slow
def test_cli_receipt_issue_and_import(province, commune, out, tmp_path):
    packet = packet_id(province, "03445")
    issue = ("receipt", "issue", "--db", province.path, "--packet", packet, "--out", out)
    done = run_main(*issue, SCT_PASSPHRASE=DEMO_PASSPHRASE)
    assert done.returncode == 0, done.stderr
    assert "Đã ký và lưu biên nhận" in done.stdout and "gói lần 1 của Xã Mường Tè" in done.stdout
    receipt = out / "03445_kl224_2024_lan01_bien-nhan.sctb"
    assert read_receipt(receipt).kind == "bien_nhan"
    untrusted = run_main("receipt", "import", "--db", commune.path, receipt)
    assert untrusted.returncode == 3 and "Tỉnh Lai Châu đã nhận gói lần 1" in untrusted.stdout
    assert "Chưa đối chiếu được khóa" in one_line(untrusted)
    assert run_main("keys", "enrol", "--db", commune.path, province_enrolment(province, tmp_path)).returncode == 0
    trusted = run_main("receipt", "import", "--db", commune.path, receipt, "--json")
    assert (trusted.returncode, trusted.stderr) == (0, "")
    shown = json.loads(trusted.stdout)
    assert (shown["new"], shown["trusted"], shown["report"]["unit_code"]) == (False, True, "03445")
    listed = run_main("reports", "--db", commune.path, "--unit", "03445", "--json")
    states = {e["period"]: e["upper_level"] for e in json.loads(listed.stdout) if e["form_id"] == "kl224"}
    assert states["2024"]["state"] == "da_nhan" and states["2025"]["state"] == "chua_xuat"
    text = run_main("reports", "--db", commune.path, "--unit", "03445").stdout
    assert "03445  Xã Mường Tè  kl224  2024" in text and "    Tỉnh Lai Châu đã nhận gói lần 1 ngày " in text


@pytest.mark.slow
def test_cli_receipt_import_refusals(province, demo_path, sent, out, tmp_path):
    receipt = answer(province, out).path
    elsewhere = run_main("receipt", "import", "--db", demo_path, receipt)
    assert elsewhere.returncode == 1 and "máy này không xuất gói đó" in one_line(elsewhere)
    not_receipt = run_main("receipt", "import", "--db", demo_path, sent.packets / "03445_kl224_2024_lan01.sctg")
    assert not_receipt.returncode == 2 and "không phải biên nhận" in one_line(not_receipt)
    entries = entries_of(receipt.read_bytes())
    entries[RECEIPT] = entries[RECEIPT].replace("Giàng Thị Dung".encode(), "Giàng Thị Dũng".encode())
    spoiled = tmp_path / "sua.sctb"
    spoiled.write_bytes(canonical_zip(list(entries.items())))
    altered = run_main("receipt", "import", "--db", demo_path, spoiled)
    assert altered.returncode == 1 and "Biên nhận “sua.sctb” không hợp lệ: chữ ký không khớp" in one_line(altered)


@pytest.mark.slow
def test_cli_receipt_return(province, out):
    packet = packet_id(province, "03445")
    base = ("receipt", "issue", "--db", province.path, "--packet", packet, "--out", out)
    cells = ("--cell", "ban_co_nvh@03445.03=Kiểm tra lại", "--cell", "can_bo_lanh_dao=Thiếu")
    for args, code, words in [
        ((*base, "--return"), 2, "phải ghi lý do"),
        ((*base, *cells), 2, "chỉ ghi khi trả lại gói (--return)"),
        ((*base, "--return", "--note", "Sai", "--cell", "ban_co_nvh"), 2, "CHỈ_TIÊU=lý do"),
        ((*base, "--return", "--note", "Sai", "--cell", "so_ho@03408.01=x"), 2, "không có thôn, bản mã"),
    ]:
        refused = run_main(*args, SCT_PASSPHRASE=DEMO_PASSPHRASE)
        assert refused.returncode == code and words in one_line(refused)
    wrong = run_main(*base, "--return", "--note", "Sai", SCT_PASSPHRASE="khong-dung-mat-khau")
    assert wrong.returncode == 2 and "Sai mật khẩu khóa ký" in one_line(wrong)
    unasked = run_main(*base, "--return", "--note", "Sai")
    assert unasked.returncode == 2 and "SCT_PASSPHRASE" in one_line(unasked)
    assert list(out.iterdir()) == [] and status_of(province, packet) == "accepted"
    done = run_main(*base, "--return", "--note", "Số liệu chưa khớp", *cells, "--json", SCT_PASSPHRASE=DEMO_PASSPHRASE)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    assert shown["file"] == str(out / "03445_kl224_2024_lan01_tra-lai.sctb")
    assert [(c["indicator"], c["unit_code"]) for c in shown["receipt"]["cells"]] == [
        ("ban_co_nvh", "03445.03"),
        ("can_bo_lanh_dao", "03445"),
    ]
    assert status_of(province, packet) == "returned"


@pytest.mark.slow
def test_cli_a_stranger_keys_return_is_refused_or_waits_unread(province, commune, out, tmp_path):
    data = answer(province, out, "tra_lai", note="Sửa hết, gửi lại ngay").receipt
    fake = forged(data, tmp_path / "gia.sctb")
    # no key of the province enrolled: filed unchecked (exit 3), its reason never shown as the answer
    waiting = run_main("receipt", "import", "--db", commune.path, fake)
    assert waiting.returncode == 3 and "Sửa hết" not in waiting.stdout
    assert "Chưa đối chiếu được khóa" in waiting.stdout
    listed = run_main("reports", "--db", commune.path, "--unit", "03445")
    assert "Sửa hết" not in listed.stdout and "chưa đối chiếu được khóa của cấp trên" in listed.stdout
    # the province's key enrolled: the same forgery refused, exit 1, one line, nothing more filed
    assert run_main("keys", "enrol", "--db", commune.path, province_enrolment(province, tmp_path)).returncode == 0
    other = forged(answer(province, out, "tra_lai", unit="03408", note="Giả").receipt, tmp_path / "gia-2.sctb")
    refused = run_main("receipt", "import", "--db", commune.path, other)
    assert refused.returncode == 1 and "không phải khóa đã đăng ký của Tỉnh Lai Châu" in one_line(refused)
    assert refused.stdout == ""
    assert commune.db["receipts"].count == 1
    listed = run_main("reports", "--db", commune.path, "--unit", "03445")
    assert "Sửa hết" not in listed.stdout and "khóa khác với khóa đã đăng ký" in listed.stdout
