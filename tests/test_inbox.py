"""The upper level's inbox: packets of the communes verified, filed and kept.
Real SQLite files, real packets signed with real Ed25519 keys, the command line.

Why it is long: every status of the inbox's state machine, from the same session's packets.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from testkit import copy_database, put, with_cells, with_packets_inside

import main
from exports.collect.decisions import decide_conflict
from exports.collect.examine import examined_in_order
from exports.collect.inbox import ImportInterrupted, file_again, import_packets, open_collection
from exports.collect.trust import enrol
from exports.packets.container import canonical_zip
from exports.packets.enrolment import key_ring, read_enrolment, write_enrolment
from exports.packets.format import DATA_JSON, FORM_XLSX, MANIFEST, SIGNATURE
from exports.packets.write import build_packet, signing_blockers
from forms.library import default_library
from models import catalogue
from models.demo import build_upper_demo
from models.errors import BadInput, DatabaseError
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key, demo_private_key, find_key, key_in_use, unlock_key
from models.migrations import migrations
from models.packet_store import PacketFileLost, PacketStore, packet_folder
from models.reporting import enter_values, view_report
from models.vocabulary import PacketStatus

AT = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
NEW_PASSPHRASE = "mật khẩu xã Bình Lư"
WHO = "kiem-thu"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("SCT_DEBUG", raising=False)


def entries_of(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def resigned(raw: bytes, edit, cells: dict | None = None) -> bytes:
    """The packet with its so-lieu.json values changed by ``edit``, the manifest redone and signed again;
    ``cells`` of the village sheet of bieu.xlsx changed to match, so that the values reach the inbox's own checks."""
    entries = entries_of(raw)
    data = json.loads(entries[DATA_JSON])
    edit(data["values"])
    entries[DATA_JSON] = json_bytes(data)
    if cells:
        entries[FORM_XLSX] = with_cells(entries[FORM_XLSX], cells)
    manifest = json.loads(entries[MANIFEST])
    for item in manifest["files"]:
        body = entries[item["name"]]
        item.update(size=len(body), sha256=hashlib.sha256(body).hexdigest())
    entries[MANIFEST] = json_bytes(manifest)
    entries[SIGNATURE] = demo_private_key("03445").sign(entries[MANIFEST])
    return canonical_zip(list(entries.items()))


@pytest.fixture(scope="session")
def packets(demo_template, tmp_path_factory):
    """Every packet the tests import, made once from copies of the commune demo; name -> bytes."""
    folder = tmp_path_factory.mktemp("inbox-packets")
    library, made = default_library(), {}

    def sign(gw, unit, period, sequence, at, key=None, private=None):
        view = view_report(gw, gw.find_report(unit, "kl224", period), library.get("kl224"))
        assert signing_blockers(view) == []
        key = key or key_in_use(gw, unit)
        private = private or unlock_key(gw, key, NEW_PASSPHRASE if unit == "03390" else DEMO_PASSPHRASE)
        return build_packet(gw, view, key, private, sequence, at)[1]

    for name in ("a", "b"):
        shutil.copy(demo_template, folder / f"xa-{name}.db")
    gw = Gateway.open(folder / "xa-a.db")
    try:
        for seq in (1, 2, 3):
            made[f"mt24-{seq}"] = sign(gw, "03445", "2024", seq, AT + dt.timedelta(hours=seq))
        made["mt24-1-later"] = sign(gw, "03445", "2024", 1, AT + dt.timedelta(days=2))
        made["tp24"] = sign(gw, "03408", "2024", 1, AT)
        made["sh25"] = sign(gw, "03478", "2025", 1, AT)
        new_key = create_unit_key(gw, "03390", NEW_PASSPHRASE, "Lường Văn Tâm", "Công chức Văn hóa - Xã hội")
        made["bl24"] = sign(gw, "03390", "2024", 1, dt.datetime.now(dt.UTC))  # after its key was made
        enrolment = write_enrolment(new_key, gw.require_unit("03390"), folder / "khoa-03390.sctk")
        # Mường Tè replaces its key; a packet signed with the old one after that must never be trusted.
        old = key_in_use(gw, "03445")
        create_unit_key(gw, "03445", DEMO_PASSPHRASE, "Lò Văn Mới", "Công chức", replace=True)
        retired = find_key(gw, old.fingerprint)
        assert retired.replaced_at
        retired_enrolment = write_enrolment(retired, gw.require_unit("03445"), folder / "khoa-03445-cu.sctk")
        later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
        made["mt24-retired"] = sign(gw, "03445", "2024", 4, later, retired, demo_private_key("03445"))
    finally:
        gw.close()
    gw = Gateway.open(folder / "xa-b.db")
    try:  # the same report, one figure changed: a second, different "lần gửi 1"
        report, form = gw.find_report("03445", "kl224", "2024"), library.get("kl224")
        members = gw.values(report)[("can_bo_dang_vien", "03445")]
        enter_values(gw, report, form, [("can_bo_dang_vien", "03445", members + 5)], WHO)
        made["mt24-1-other"] = sign(gw, "03445", "2024", 1, AT)
    finally:
        gw.close()
    data = bytearray(entries_of(made["mt24-1"])[DATA_JSON])
    at = data.index(b'"can_bo_lanh_dao": ') + len(b'"can_bo_lanh_dao": ')
    data[at] = ord("9") if data[at] != ord("9") else ord("8")
    entries = entries_of(made["mt24-1"]) | {DATA_JSON: bytes(data)}
    made["tampered"] = canonical_zip(list(entries.items()))
    return SimpleNamespace(raw=made, enrolment=enrolment, key=new_key, retired_enrolment=retired_enrolment)


def check_filing(gw: Gateway) -> None:
    """What must hold whatever arrived: one accepted packet per report, and it is the newest filed."""
    q = gw.db.execute
    assert (
        q(
            "SELECT unit_code, form_id, period_code FROM received_packets WHERE status = 'accepted' "
            "GROUP BY 1, 2, 3 HAVING count(*) > 1"
        ).fetchall()
        == []
    )
    assert (
        q(
            "SELECT a.id, o.id FROM received_packets a JOIN received_packets o USING (unit_code, form_id, period_code) "
            "WHERE a.status = 'accepted' AND (o.status = 'conflict' OR "
            "(o.status IN ('accepted', 'superseded') AND o.sequence > a.sequence))"
        ).fetchall()
        == []
    )
    assert q("SELECT count(*) FROM received_packets WHERE status = 'rejected' AND file_kept").fetchone()[0] == 0
    assert (
        q(
            "SELECT count(*) FROM received_figures WHERE packet_id IN "
            "(SELECT id FROM received_packets WHERE status = 'rejected')"
        ).fetchone()[0]
        == 0
    )


@pytest.fixture(scope="session")
def upper_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("upper") / "tinh.db"
    gw = Gateway.open(path)
    build_upper_demo(gw)
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()
    return path


@pytest.fixture
def upper_path(upper_template, tmp_path):
    target = tmp_path / "tinh.db"
    copy_database(upper_template, target)
    yield target
    gw = Gateway.open(target)
    try:
        check_filing(gw)
    finally:
        gw.close()


@pytest.fixture
def upper(upper_path):
    gw = Gateway.open(upper_path)
    yield gw
    gw.close()


def run(gw, paths, library=None):
    return import_packets(gw, paths, library or default_library(), WHO)


def rows(gw) -> dict[str, dict]:
    """Every packet filed, by file name, each with its kept file read back (``packet``)."""
    return {r["file_name"]: gw.inbox.get(r["id"]) for r in gw.db.query("SELECT id, file_name FROM received_packets")}


def stored_values(gw) -> dict[str, object]:
    """“indicator@unit code” -> value, over every packet's figures kept."""
    ids = [r[0] for r in gw.db.execute("SELECT packet_id FROM received_figures")]
    return {f"{i}@{c}": v for packet_id in ids for (i, c), v in gw.inbox.values(packet_id).items()}


def counts(gw) -> tuple[int, int]:
    """(packets filed, figures kept)."""
    return gw.db["received_packets"].count, len(stored_values(gw))


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# ---- filing by sequence -------------------------------------------------------------------------------


def test_accepted_then_superseded_by_a_later_sequence(upper, packets, tmp_path):
    p1, p2, p3 = put(packets, tmp_path / "in", "mt24-1", "mt24-2", "mt24-3")
    first = run(upper, [p1]).filed[0]
    assert (first.outcome, first.unit_code, first.period_code, first.sequence) == ("accepted", "03445", "2024", 1)
    row = rows(upper)[p1.name]
    assert row["packet"] == p1.read_bytes() and row["received_by"] == WHO and row["status"] == "accepted"
    values = json.loads(entries_of(p1.read_bytes())[DATA_JSON])["values"]
    village = next(iter(values["villages"]))
    stored = stored_values(upper)
    assert stored[f"so_ho@{village}"] == values["villages"][village]["so_ho"]
    assert stored["can_bo_lanh_dao@03445"] == values["commune"]["can_bo_lanh_dao"]
    second = run(upper, [p2]).filed[0]
    assert second.outcome == "accepted" and "thay lần gửi 1" in second.message
    assert rows(upper)[p1.name]["status"] == "superseded" and "lần gửi 2" in rows(upper)[p1.name]["reason"]
    assert run(upper, [p3]).filed[0].outcome == "accepted"
    assert {r["status"] for r in rows(upper).values()} == {"superseded", "accepted"}
    assert "lần gửi 3" in rows(upper)[p2.name]["reason"]


def test_an_older_sequence_arriving_late_is_stale(upper, packets, tmp_path):
    p1, p2 = put(packets, tmp_path, "mt24-1", "mt24-2")
    run(upper, [p2])
    late = run(upper, [p1]).filed[0]
    assert late.outcome == "stale" and "lần gửi 2" in late.message
    assert rows(upper)[p2.name]["status"] == "accepted"


def test_the_same_file_twice_changes_nothing(upper, packets, tmp_path):
    (p1,) = put(packets, tmp_path, "mt24-1")
    run(upper, [p1])
    before = counts(upper)
    copy = tmp_path / "gui-lai.sctg"
    copy.write_bytes(p1.read_bytes())
    again = run(upper, [p1, copy]).filed
    assert [f.outcome for f in again] == ["unchanged", "unchanged"] and "đã nhận từ trước" in again[0].message
    assert counts(upper) == before


def test_same_sequence_same_content_in_another_file_is_unchanged(upper, packets, tmp_path):
    p1, later = put(packets, tmp_path, "mt24-1", "mt24-1-later")
    assert p1.read_bytes() != later.read_bytes()
    run(upper, [p1])
    before = counts(upper)
    filed = run(upper, [later]).filed[0]
    assert filed.outcome == "unchanged" and "cùng nội dung" in filed.message
    assert counts(upper) == before and rows(upper)[p1.name]["status"] == "accepted"


@pytest.mark.parametrize("order", list(itertools.permutations(range(4))))
def test_a_folder_in_any_order_ends_with_the_newest_accepted(upper, packets, tmp_path, order):
    names = ["mt24-1", "mt24-1-later", "mt24-2", "mt24-3"]
    for place, index in enumerate(order):
        put(packets, tmp_path / "usb", names[index], prefix=f"{place}_")
    done = run(upper, [tmp_path / "usb"])
    assert [f.file.name[0] for f in done.filed] == ["0", "1", "2", "3"] and not done.cancelled
    final = {(r["sequence"], r["status"]) for r in rows(upper).values()}
    assert (3, "accepted") in final
    assert all(status in ("superseded", "stale") for seq, status in final if seq < 3)


# ---- conflicts ------------------------------------------------------------------------------------------


def test_conflict_then_decided(upper, packets, tmp_path):
    p1, other = put(packets, tmp_path, "mt24-1", "mt24-1-other")
    run(upper, [p1])
    filed = run(upper, [other]).filed[0]
    assert filed.outcome == "conflict" and "khác nội dung" in filed.message
    assert {r["status"] for r in rows(upper).values()} == {"conflict"}
    with pytest.raises(BadInput, match="lý do"):
        decide_conflict(upper, filed.packet_id, "  ", WHO)
    decide_conflict(upper, filed.packet_id, "Xã xác nhận qua điện thoại bản sửa số đảng viên", "Giàng Thị Dung")
    kept, aside = rows(upper)[other.name], rows(upper)[p1.name]
    assert (kept["status"], aside["status"]) == ("accepted", "superseded")
    for row in (kept, aside):
        assert row["decided_by"] == "Giàng Thị Dung" and "điện thoại" in row["decision"] and row["decided_at"]
    with pytest.raises(BadInput, match="trùng lần gửi"):
        decide_conflict(upper, kept["id"], "lý do", WHO)
    with pytest.raises(BadInput):
        decide_conflict(upper, 9999, "lý do", WHO)


def test_a_higher_sequence_settles_a_conflict(upper, packets, tmp_path):
    paths = put(packets, tmp_path, "mt24-1", "mt24-1-other", "mt24-2")
    assert [f.outcome for f in run(upper, paths).filed] == ["accepted", "conflict", "accepted"]
    status = {name: r["status"] for name, r in rows(upper).items()}
    assert status == {paths[0].name: "superseded", paths[1].name: "superseded", paths[2].name: "accepted"}


# ---- keys not enrolled ------------------------------------------------------------------------------------


def test_unknown_key_quarantined_until_enrolled(upper, packets, tmp_path, library):
    (bl,) = put(packets, tmp_path, "bl24")
    filed = run(upper, [bl]).filed[0]
    assert filed.outcome == "quarantined" and packets.key.spoken in filed.message
    assert counts(upper)[1] > 0
    enrolled = enrol(upper, read_enrolment(packets.enrolment), WHO)
    assert enrolled.new and key_ring(upper).with_fingerprint(packets.key.fingerprint)
    refiled = file_again(upper, library, PacketStatus.QUARANTINED)
    assert [(f.packet_id, f.outcome) for f in refiled] == [(filed.packet_id, "accepted")]
    assert rows(upper)[bl.name]["status"] == "accepted"


def test_enrolling_a_key_of_a_unit_not_below_is_refused(upper, tmp_path):
    path = write_enrolment(key_in_use(upper, "12"), upper.require_unit("12"), tmp_path / "khoa-tinh.sctk")
    before = upper.db["trusted_keys"].count
    with pytest.raises(BadInput, match="không phải đơn vị cấp dưới"):
        enrol(upper, read_enrolment(path), WHO)
    assert upper.db["trusted_keys"].count == before


def test_cli_keys_enrol_files_the_held_packets(upper_path, packets, tmp_path, capsys):
    (bl,) = put(packets, tmp_path, "bl24")
    assert cli(capsys, "inbox", "import", "--db", upper_path, bl)[0] == 0
    code, out, _ = cli(capsys, "keys", "enrol", "--db", upper_path, packets.enrolment)
    assert code == 0 and packets.key.spoken in out and "Đã đăng ký" in out
    assert "Gói số 1 đang chờ khóa này: đã nhận" in out
    code, out, _ = cli(capsys, "keys", "enrol", "--db", upper_path, packets.enrolment)
    assert code == 0 and "đã được đăng ký từ trước" in out and "Gói số" not in out


def test_a_packet_signed_after_its_key_was_replaced_stays_held(upper, packets, tmp_path, library):
    (late,) = put(packets, tmp_path, "mt24-retired")
    enrol(upper, read_enrolment(packets.retired_enrolment), WHO)  # the province learns the key was replaced
    held = run(upper, [late]).filed[0]
    assert held.outcome == "quarantined" and "thay bằng khóa mới" in held.message
    enrol(upper, read_enrolment(packets.retired_enrolment), WHO)  # the same file again
    assert file_again(upper, library, PacketStatus.QUARANTINED) == []
    assert rows(upper)[late.name]["status"] == "quarantined"


# ---- waiting: kept whole, filed when the reason goes ---------------------------------------------------


def test_a_period_not_opened_waits_and_is_filed_when_it_opens(upper, packets, tmp_path, library):
    upper.db.execute("DELETE FROM collections WHERE period_code = '2024'")
    (p1,) = put(packets, tmp_path, "mt24-1")
    filed = run(upper, [p1]).filed[0]
    assert filed.outcome == "waiting" and "khi mở kỳ" in filed.message and filed.unit_code == "03445"
    assert counts(upper) == (1, 0) and rows(upper)[p1.name]["packet"] == packets.raw["mt24-1"]
    said = open_collection(upper, library.get("kl224"), "2024", "2025-01-15")
    assert said.endswith("1 gói đang chờ kỳ này đã được nhận vào hộp thư.")
    assert rows(upper)[p1.name]["status"] == "accepted" and counts(upper)[1] > 0


def test_a_waiting_packet_imported_again_is_filed_again(upper, packets, tmp_path):
    upper.db.execute("DELETE FROM collections WHERE period_code = '2024'")
    (p1,) = put(packets, tmp_path, "mt24-1")
    assert run(upper, [p1]).filed[0].outcome == "waiting"
    assert run(upper, [p1]).filed[0].outcome == "waiting" and counts(upper)[0] == 1  # still waiting, one row
    upper.collections.open("kl224", "2024", None)  # opened some other way: the next import files it first
    assert run(upper, [p1]).filed[0].outcome == "unchanged" and counts(upper)[0] == 1
    assert rows(upper)[p1.name]["status"] == "accepted"


def test_a_unit_not_below_home_waits(upper, packets, tmp_path):
    hanoi = catalogue.find("01")
    upper.add_unit(hanoi.code, hanoi.name, hanoi.kind, who=WHO)
    upper.set_setting("home_unit", hanoi.code)
    filed = run(upper, put(packets, tmp_path, "mt24-1")).filed[0]
    assert filed.outcome == "waiting" and "không phải đơn vị cấp dưới" in filed.message
    assert counts(upper) == (1, 0)


# ---- rejected -----------------------------------------------------------------------------------------------


def test_a_tampered_packet_is_rejected_and_not_kept(upper, packets, tmp_path):
    (bad,) = put(packets, tmp_path, "tampered")
    filed = run(upper, [bad]).filed[0]
    assert filed.outcome == "rejected" and DATA_JSON in filed.message and "thay đổi" in filed.message
    row = rows(upper)[bad.name]
    assert row["status"] == "rejected" and row["packet"] is None and DATA_JSON in row["reason"]
    assert counts(upper) == (1, 0)
    assert run(upper, [bad]).filed[0].outcome == "unchanged" and counts(upper) == (1, 0)


def _set(where: str, indicator: str, value):
    def edit(values):
        if where == "03445":
            values["commune"][indicator] = value
        else:
            values["villages"].setdefault(where, {})[indicator] = value

    return edit


@pytest.mark.parametrize(
    ("edit", "cells", "words"),
    [
        (_set("03445.02", "so_ho", -3), {"C5": -3}, "so_ho"),
        (_set("03445", "chi_tieu_la", 4), {}, "không có trong biểu"),
        # Values the printed form has no cell for: bieu.xlsx cannot say them, the sheet check refuses.
        (_set("03445.01", "so_co_quan", 4), {}, "“so_co_quan” của bản mã 03445.01"),
        (_set("03408.01", "so_ho", 40), {}, "bản mã 03408.01"),
        (_set("03445.01", "so_ho", "nhiều"), {"C4": "nhiều"}, "so_ho"),
    ],
    ids=["negative", "unknown-indicator", "commune-indicator-in-village", "other-commune-village", "not-a-number"],
)
def test_bad_values_in_a_signed_packet_are_rejected(upper, packets, tmp_path, edit, cells, words):
    path = tmp_path / "sua-tay.sctg"
    path.write_bytes(resigned(packets.raw["mt24-1"], edit, cells))
    filed = run(upper, [path]).filed[0]
    assert filed.outcome == "rejected" and DATA_JSON in filed.message and words in filed.message
    assert counts(upper) == (1, 0) and rows(upper)[path.name]["packet"] is None


def test_a_resigned_packet_with_good_values_is_accepted(upper, packets, tmp_path):
    path = tmp_path / "ky-lai.sctg"
    path.write_bytes(resigned(packets.raw["mt24-1"], _set("03445.01", "so_ho", 400), {"C4": 400}))
    assert run(upper, [path]).filed[0].outcome == "accepted"
    assert stored_values(upper)["so_ho@03445.01"] == 400


# ---- each packet all or nothing -------------------------------------------------------------------------------


def test_a_failure_half_way_through_a_packet_leaves_the_one_before(upper, packets, tmp_path):
    p1, p2 = put(packets, tmp_path, "mt24-1", "mt24-2")
    run(upper, [p1])
    before = counts(upper)
    upper.db.execute(
        "CREATE TRIGGER hong BEFORE INSERT ON received_figures WHEN NEW.cells LIKE '%03445.05%' "
        "BEGIN SELECT RAISE(ABORT, 'hỏng giữa chừng'); END"
    )
    with pytest.raises(ImportInterrupted) as stopped:
        run(upper, [p2])
    assert "Đã nhập xong 0 tệp" in str(stopped.value) and "1 tệp chưa nhập: mt24-2.sctg" in str(stopped.value)
    assert counts(upper) == before and rows(upper)[p1.name]["status"] == "accepted"
    upper.db.execute("DROP TRIGGER hong")
    assert run(upper, [p2]).filed[0].outcome == "accepted"


def test_a_database_that_cannot_be_written_files_nothing(upper, packets, tmp_path):
    upper.db.execute("PRAGMA query_only = ON")
    with pytest.raises(DatabaseError, match="Không ghi được"):
        run(upper, put(packets, tmp_path, "mt24-1", "tp24"))
    upper.db.execute("PRAGMA query_only = OFF")
    assert counts(upper) == (0, 0)


# ---- progress, cancel, folders, wrong paths ----------------------------------------------------------------------


def test_progress_and_cancel(upper, packets, tmp_path, library):
    put(packets, tmp_path / "in", "mt24-1", "sh25", "tp24")
    calls = []

    def stop_at_second(done, total, path):
        calls.append((done, total, path.name))
        return done < 1

    done = import_packets(upper, [tmp_path / "in"], library, WHO, stop_at_second)
    assert done.cancelled and len(done.filed) == 1 and counts(upper)[0] == 1
    assert calls == [(0, 3, "mt24-1.sctg"), (1, 3, "sh25.sctg")]
    calls.clear()
    done = import_packets(upper, [tmp_path / "in"], library, WHO, lambda *a: calls.append(a[:2]) or True)
    assert not done.cancelled and [f.outcome for f in done.filed] == ["unchanged", "accepted", "accepted"]
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


@pytest.mark.slow
def test_a_folder_full_of_other_files(upper, packets, tmp_path):
    root = tmp_path / "usb"
    for i in range(2000):
        sub = root / f"thu-muc-{i % 7}" / ("sau" if i % 3 else "")
        sub.mkdir(parents=True, exist_ok=True)
        name = f"tep-{i}" + (".txt", ".xlsx", ".sctk", ".sctg.bak", "")[i % 5]
        (sub / name).write_bytes(b"PK\x03\x04 rac" if i % 2 else b"khong phai goi")
    put(packets, root / "thu-muc-3" / "sau", "tp24")
    put(packets, root, "sh25")
    done = run(upper, [root])
    assert done.ignored == 2000 and [f.outcome for f in done.filed] == ["accepted", "accepted"]
    assert done.ignored_keys == 400 and done.summary().endswith(
        "bỏ qua 2000 tệp không phải gói (.sctg) trong thư mục, trong đó 400 tệp đăng ký khóa (.sctk): "
        "dùng Gói › Đăng ký khóa cấp dưới... để đăng ký."
    )


def test_not_a_packet_and_a_missing_path(upper, packets, fresh_db, tmp_path):
    note = tmp_path / "ghi-chu.txt"
    note.write_text("không phải gói", encoding="utf-8")
    fake = tmp_path / "gia.sctg"
    fake.write_bytes(canonical_zip([("a.txt", b"x")]))
    done = run(upper, [note, fake])
    assert [(f.outcome, f.message) for f in done.filed] == [
        (
            "not_packet",
            "Tệp “ghi-chu.txt” không phải gói báo cáo của Sổ Chỉ Tiêu (tệp văn bản?): "
            "chỉ nhập tệp .sctg do cấp dưới gửi lên.",
        ),
        (
            "not_packet",
            "Tệp “gia.sctg” mang đuôi .sctg nhưng không phải gói báo cáo của Sổ Chỉ Tiêu (hỏng hoặc bị đổi tên): "
            "hãy xin đơn vị gửi lại.",
        ),
    ]
    (p1,) = put(packets, tmp_path, "mt24-1")
    with pytest.raises(BadInput, match="Không tìm thấy"):
        run(upper, [p1, tmp_path / "khong-co.sctg"])
    assert counts(upper) == (0, 0)
    with pytest.raises(BadInput, match="chưa chọn đơn vị"):
        run(fresh_db, [p1])


# ---- the command line ----------------------------------------------------------------------------------------------


def test_an_upgrade_keeps_every_packet_code_without_unzipping_at_listing(upper_path, packets, tmp_path, capsys):
    """A database of today's schema (no manifest_sha256 column: each code was computed from the stored
    file at every listing) is upgraded on open, the codes filled from the stored files, the listing unchanged."""
    put(packets, tmp_path / "in", "mt24-1", "mt24-2", "tp24", "tampered")
    code, _, _ = cli(capsys, "inbox", "import", "--db", upper_path, tmp_path / "in")
    assert code == 1  # the tampered one refused, its file not kept
    code, out, _ = cli(capsys, "inbox", "list", "--db", upper_path, "--json")
    before = json.loads(out)
    with_packets_inside(upper_path, before_m008=True)  # as the version before m008 left it
    code, out, _ = cli(capsys, "inbox", "list", "--db", upper_path, "--json")
    assert code == 0 and json.loads(out) == before
    manifests = {f"{n}.sctg": entries_of(packets.raw[n])[MANIFEST] for n in ("mt24-1", "mt24-2", "tp24")}
    expected = {name: hashlib.sha256(m).hexdigest()[:8].upper() for name, m in manifests.items()}
    codes = {row["file_name"]: row["packet_code"] for row in before}
    assert {name: c.replace("-", "") for name, c in codes.items() if c} == expected
    assert codes["tampered.sctg"] is None
    with sqlite3.connect(upper_path) as conn:
        kept = conn.execute("SELECT file_name, manifest_sha256 FROM received_packets WHERE file_kept")
        assert {name: digest[:8].upper() for name, digest in kept} == expected
    conn.close()


def test_cli_import_summary_exit_codes_and_json(upper_path, packets, tmp_path, capsys):
    put(packets, tmp_path / "in", "mt24-1", "mt24-2", "tp24")
    code, out, err = cli(capsys, "inbox", "import", "--db", upper_path, tmp_path / "in")
    assert code == 0 and err == "" and "Tổng cộng 3 tệp: 3 đã nhận." in out
    (bad,) = put(packets, tmp_path / "hong", "tampered")
    code, out, err = cli(capsys, "inbox", "import", "--db", upper_path, "--json", bad, tmp_path / "in")
    assert code == 1 and len(err.splitlines()) == 1 and "không nhận được" in err
    data = json.loads(out)
    assert set(data) == {"files", "ignored", "ignored_keys", "counts"}
    assert data["counts"] == {"rejected": 1, "unchanged": 3}
    assert data["files"][0]["outcome"] == "rejected" and data["files"][0]["packet_id"] == 4
    code, out, _ = cli(capsys, "inbox", "list", "--db", upper_path, "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 4
    assert set(listed[0]) == {"id", "file_name", "received_at", "unit_code", "form_id", "period_code", "sequence"} | {
        "status",
        "reason",
        "decision",
        "error_count",
        "findings",
        "packet_code",
    }
    accepted = [row for row in listed if row["status"] != "rejected"]
    assert accepted and all(len(row["packet_code"]) == 9 and row["packet_code"][4] == "-" for row in accepted)
    code, out, _ = cli(capsys, "inbox", "list", "--db", upper_path, "--json", "--status", "superseded")
    assert [r["file_name"] for r in json.loads(out)] == ["mt24-1.sctg"]
    code, out, _ = cli(capsys, "inbox", "list", "--db", upper_path)
    assert code == 0 and "[đã có bản mới hơn]" in out and "Xã Mường Tè" in out


def test_cli_waiting_file_says_what_it_waits_for(upper_path, packets, tmp_path, capsys):
    gw = Gateway.open(upper_path)
    gw.db.execute("DELETE FROM collections")
    gw.close()
    code, out, err = cli(capsys, "inbox", "import", "--db", upper_path, *put(packets, tmp_path, "sh25"))
    assert code == 0 and "[chờ đủ điều kiện để nhận]" in out and "inbox open" in out and err == ""
    code, out, _ = cli(capsys, "inbox", "list", "--db", upper_path, "--status", "waiting")
    assert code == 0 and "03478" in out and "[chờ đủ điều kiện để nhận]" in out


def test_cli_inbox_open(upper_path, capsys):
    args = ("inbox", "open", "--db", upper_path, "--form", "kl224", "--period")
    code, out, _ = cli(capsys, *args, "2023", "--deadline", "15/01/2026")
    assert code == 0 and "15/01/2026" in out and "năm 2023" in out
    gw = Gateway.open(upper_path)
    row = gw.db.execute("SELECT deadline FROM collections WHERE form_id = 'kl224' AND period_code = '2023'").fetchone()
    gw.close()
    assert row == ("2026-01-15",)
    code, _, err = cli(capsys, *args, "2022", "--deadline", "31/02/2026")
    assert code == 2 and "không hợp lệ" in err and len(err.splitlines()) == 1


def test_cli_inbox_decide(upper_path, packets, tmp_path, capsys):
    put(packets, tmp_path / "in", "mt24-1", "mt24-1-other")
    assert cli(capsys, "inbox", "import", "--db", upper_path, tmp_path / "in")[0] == 0
    code, out, _ = cli(capsys, "inbox", "list", "--db", upper_path, "--json", "--status", "conflict")
    assert len(json.loads(out)) == 2
    code, out, _ = cli(capsys, "inbox", "decide", "--db", upper_path, "--packet", 2, "--reason", "Xã xác nhận")
    assert code == 0 and "Đã chọn gói số 2" in out
    code, _, err = cli(capsys, "inbox", "decide", "--db", upper_path, "--packet", 1, "--reason", "Xã xác nhận")
    assert code == 2 and "trùng lần gửi" in err
    code, out, _ = cli(capsys, "inbox", "list", "--db", upper_path, "--json", "--status", "accepted")
    assert [(r["id"], r["decision"]) for r in json.loads(out)] == [(2, "Xã xác nhận")]


def test_an_upgrade_moves_every_packet_file_beside_the_database_without_loss(upper_path, packets, tmp_path, capsys):
    """A database of the versions that kept each packet file in its row and each figure in a row of its own:
    on open, every file moves to the folder beside it, named by its hash, the figures to one JSON each;
    the listing, the merge and every file read back are unchanged, and the database gives its space back."""
    put(packets, tmp_path / "in", "mt24-1", "mt24-2", "tp24", "tampered")
    cli(capsys, "inbox", "import", "--db", upper_path, tmp_path / "in")
    merge = ("merge", "--db", upper_path, "--unit", "12", "--form", "kl224", "--period", "2024", "--json")
    listed_before = cli(capsys, "inbox", "list", "--db", upper_path, "--json")[1]
    merged_before = json.loads(cli(capsys, *merge, "--out", tmp_path / "truoc.xlsx")[1]) | {"file": None}
    with_packets_inside(upper_path)
    folder = packet_folder(upper_path)
    assert not folder.exists()
    with sqlite3.connect(upper_path) as conn:
        inside = conn.execute("SELECT file_name, length(packet) FROM received_packets WHERE packet IS NOT NULL")
        assert {name for name, size in inside if size > 1000} == {"mt24-1.sctg", "mt24-2.sctg", "tp24.sctg"}
    conn.close()
    pages = "SELECT page_count - freelist_count FROM pragma_page_count, pragma_freelist_count"
    with sqlite3.connect(upper_path) as conn:
        pages_inside = conn.execute(pages).fetchone()[0]
    conn.close()
    code, listed_after, _ = cli(capsys, "inbox", "list", "--db", upper_path, "--json")
    assert code == 0 and json.loads(listed_after) == json.loads(listed_before)
    # the figures evaluated at filing are gone with the old schema: evaluated again from the cells, the same
    assert json.loads(cli(capsys, *merge, "--out", tmp_path / "sau.xlsx")[1]) | {"file": None} == merged_before
    # and kept by that merge, so the next adds them up as filed: the same again
    with sqlite3.connect(upper_path) as conn:
        unkept = "SELECT count(*) FROM received_figures f JOIN received_packets p ON p.id = f.packet_id "
        assert conn.execute(unkept + "WHERE p.status = 'accepted' AND f.figures IS NULL").fetchone() == (0,)
    conn.close()
    assert json.loads(cli(capsys, *merge, "--out", tmp_path / "lai.xlsx")[1]) | {"file": None} == merged_before
    gw = Gateway.open(upper_path)
    try:
        used, free = gw.db.execute(
            "SELECT page_count, freelist_count FROM pragma_page_count, pragma_freelist_count"
        ).fetchone()
        # three packets' worth of pages given back to the disk, not kept free inside (counted in bytes: each
        # new table of a later migration takes a page of its own); a page the merges after the upgrade freed
        # while keeping the figures of a form's larger version may stay on the free list
        page_size = gw.db.execute("PRAGMA page_size").fetchone()[0]
        moved = sum(len(packets.raw[name]) for name in ("mt24-1", "mt24-2", "tp24"))
        assert (pages_inside - used) * page_size >= moved and free <= 1
        assert gw.db.execute("SELECT count(*) FROM received_packets WHERE packet IS NOT NULL").fetchone()[0] == 0
        for name in ("mt24-1", "mt24-2", "tp24"):
            packet_id = next(r["id"] for r in gw.inbox.by_report() if r["file_name"] == f"{name}.sctg")
            assert gw.inbox.file_of(packet_id)[1] == packets.raw[name]
            digest = hashlib.sha256(packets.raw[name]).hexdigest()
            assert gw.packet_files.path_of(digest).read_bytes() == packets.raw[name]
        assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == sorted(
            f"{hashlib.sha256(packets.raw[n]).hexdigest()}.sctg" for n in ("mt24-1", "mt24-2", "tp24")
        )
        assert "m009_packets_beside_figures_as_json" in {m.name for m in migrations.applied(gw.db)}
    finally:
        gw.close()


def test_a_packet_file_lost_or_altered_beside_the_database_is_named_never_used(
    qapp, upper_path, packets, tmp_path, capsys
):
    # qapp: `print` in this process needs a Qt application; pytest-qt's, made first, is the widget-capable one
    (p1,) = put(packets, tmp_path / "in", "mt24-1")
    cli(capsys, "inbox", "import", "--db", upper_path, p1)
    kept = PacketStore(packet_folder(upper_path)).path_of(hashlib.sha256(packets.raw["mt24-1"]).hexdigest())
    printed = ("print", "--db", upper_path, "--unit", "03445", "--form", "kl224", "--period", "2024")
    assert cli(capsys, *printed, "--out", tmp_path / "truoc.pdf")[0] == 0  # the page of the packet received
    altered = bytearray(kept.read_bytes())
    altered[-30] ^= 1
    kept.write_bytes(bytes(altered))
    code, _, err = cli(capsys, *printed, "--out", tmp_path / "sua.pdf")
    assert code == 2 and len(err.splitlines()) == 1 and "đã bị sửa hoặc hỏng" in err
    assert not (tmp_path / "sua.pdf").exists()
    kept.unlink()
    gw = Gateway.open(upper_path)
    try:
        with pytest.raises(PacketFileLost, match="Mất tệp gói đã nhận"):
            gw.inbox.get(1)
        assert gw.inbox.listed(1)["status"] == "accepted"  # the listing needs no file
    finally:
        gw.close()


def test_backups_carry_the_packet_files_and_a_restore_brings_them_back(upper_path, packets, tmp_path, capsys):
    """The packet files are evidence kept beside the database: each backup carries every one its database
    names (each file once in the backup folder, however many backups), and a restore puts back those lost."""
    put(packets, tmp_path / "in", "mt24-1", "mt24-2")
    cli(capsys, "inbox", "import", "--db", upper_path, tmp_path / "in")
    assert cli(capsys, "backup", "create", "--db", upper_path)[0] == 0
    (p3,) = put(packets, tmp_path / "sau", "tp24")
    cli(capsys, "inbox", "import", "--db", upper_path, p3)
    assert cli(capsys, "backup", "create", "--db", upper_path)[0] == 0
    copies = sorted(p.name for p in (tmp_path / "tinh-sao-luu" / "goi").rglob("*.sctg"))
    digests = {n: hashlib.sha256(packets.raw[n]).hexdigest() for n in ("mt24-1", "mt24-2", "tp24")}
    assert copies == sorted(f"{d}.sctg" for d in digests.values())
    shutil.rmtree(packet_folder(upper_path))  # the folder beside the database lost
    copy_of_tp24 = tmp_path / "tinh-sao-luu" / "goi" / digests["tp24"][:2] / f"{digests['tp24']}.sctg"
    code, _, err = cli(capsys, "backup", "restore", "--db", upper_path, "--force")
    assert code == 0, err
    gw = Gateway.open(upper_path)
    try:
        for name, digest in digests.items():
            assert gw.packet_files.read(digest) == packets.raw[name]
        assert copy_of_tp24.read_bytes() == packets.raw["tp24"]  # the backups keep theirs
    finally:
        gw.close()


def test_worker_processes_examine_a_folder_as_this_process_would(upper_template, packets, tmp_path):
    """A big import is examined by worker processes (started fresh, as on Windows) while this one files:
    every outcome, message and stored row is what importing the same folder here gives."""
    names = ["mt24-1", "mt24-2", "tp24", "sh25", "bl24", "tampered", "mt24-1-other", "mt24-retired"]
    folder = tmp_path / "in"
    put(packets, folder, *names)
    (folder / "ghi-chu.sctg").write_bytes(b"PK not a zip at all")
    results = {}
    for label, spread_from in (("here", 10**6), ("workers", 1)):
        gw = Gateway.open(copy_database(upper_template, tmp_path / f"{label}.db"))
        try:
            run_ = import_packets(gw, [folder], default_library(), WHO, spread_from=spread_from)
            stored = [
                {k: v for k, v in row.items() if k not in ("received_at", "id")}
                for row in gw.db.query("SELECT * FROM received_packets ORDER BY id")
            ]
            figures = list(gw.db.query("SELECT * FROM received_figures ORDER BY packet_id"))
            results[label] = ([(f.file.name, f.outcome, f.message) for f in run_.filed], stored, figures)
        finally:
            gw.close()
    assert results["workers"] == results["here"]
    outcomes = {outcome for _, outcome, _ in results["here"][0]}
    assert {"accepted", "rejected", "not_packet"} <= outcomes


def test_workers_that_cannot_start_leave_the_files_to_be_examined_here(upper_path, packets, tmp_path):
    """The database moved while the import runs: the workers cannot open it, so this process examines
    every file itself, in order, and nothing is lost."""
    files = put(packets, tmp_path / "in", "mt24-1", "tp24", "tampered")
    gw = Gateway.open(upper_path)
    try:
        ring = key_ring(gw)
        here = [
            (p.name, e.file_sha, e.verdict.status) for p, e in examined_in_order(gw, files, default_library(), ring)
        ]
        upper_path.rename(tmp_path / "da-chuyen.db")  # the open connection still reads it; a new one cannot
        spread = examined_in_order(gw, files, default_library(), ring, spread_from=1)
        assert [(p.name, e.file_sha, e.verdict.status) for p, e in spread] == here
    finally:
        gw.close()
        (tmp_path / "da-chuyen.db").rename(upper_path)


def test_a_database_copied_without_its_packet_folder_says_so(upper_path, packets, tmp_path, capsys):
    """The officer copies tinh.db to another PC and leaves tinh-goi/ behind: the listing still works and
    says, in one line, which folder to bring (or to restore a backup)."""
    (p1,) = put(packets, tmp_path / "in", "mt24-1")
    assert cli(capsys, "inbox", "import", "--db", upper_path, p1)[0] == 0
    moved = tmp_path / "may-moi"
    moved.mkdir()
    for side in ("", "-wal", "-shm"):  # the database whole (a command run here leaves its log open)
        Path(f"{upper_path}{side}").rename(moved / f"tinh.db{side}")
    code, out, err = cli(capsys, "inbox", "list", "--db", moved / "tinh.db")
    assert code == 0 and "mt24-1.sctg" not in err and "03445" in out, err
    assert len(err.splitlines()) == 1 and "Không thấy thư mục “tinh-goi” chứa 1 gói đã nhận" in err
    shutil.copytree(packet_folder(upper_path), packet_folder(moved / "tinh.db"))
    code, _, err = cli(capsys, "inbox", "list", "--db", moved / "tinh.db")
    assert code == 0 and err == ""
    for side in ("", "-wal", "-shm"):  # back, for the fixture's own check
        if (moved / f"tinh.db{side}").exists():
            (moved / f"tinh.db{side}").rename(f"{upper_path}{side}")
