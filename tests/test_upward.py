"""The upper level's own packet: the province signs its merged table and the
level above imports it and adds it up again. Real packets exported by the
commune demo, imported into the province demo, signed upward with the
province's key, imported into a central-level database; the command line in
a fresh process.

Why it is long: the upward packet needs the commune packets, the province and the
central level, built once for all its cases.
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
from packet_forge import VILLAGE, Commune
from testkit import copy_database, run_main

from exports.collect.completeness import completeness
from exports.collect.decisions import decide, decide_conflict
from exports.collect.inbox import import_packets, open_collection
from exports.collect.merge import merge
from exports.collect.receipts import issue_receipt
from exports.collect.trust import enrol
from exports.collect.upward import export_upward
from exports.packets.container import canonical_zip
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.format import DATA_JSON, MANIFEST, SIGNATURE, json_bytes
from exports.packets.verify import verify_packet
from exports.packets.write import ReportNotReady, export_packet
from forms.library import default_library
from models import catalogue
from models.demo import build_upper_demo
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, demo_private_key, key_in_use, unit_keys
from models.reporting import enter_values, view_report

AT = dt.datetime(2026, 2, 10, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
WHO = "kiem-thu"
COMMUNES = ("03445", "03408", "03478")
HAS_OPENSSL = shutil.which("openssl") is not None


def entries_of(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def export(gw: Gateway, unit: str, out: Path):
    kl224 = default_library().get("kl224")
    view = view_report(gw, gw.find_report(unit, "kl224", "2024"), kl224)
    return export_packet(gw, view, DEMO_PASSPHRASE, out, at=AT)


def checkpointed(gw: Gateway) -> None:
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()


@pytest.fixture(scope="session")
def sent(demo_template, tmp_path_factory):
    """kl224 2024 of Mường Tè, Tân Phong and Sìn Hồ, accepted by the province demo;
    a different lần 1 of Tân Phong from another machine, kept aside; the province's
    enrolment file; the province's merged packet and the table it was signed from."""
    folder = tmp_path_factory.mktemp("tong-hop")
    packets = folder / "goi"
    packets.mkdir()
    library = default_library()
    shutil.copy(demo_template, folder / "xa.db")
    gw = Gateway.open(folder / "xa.db")
    manifests = {}
    for unit in COMMUNES:
        exported = export(gw, unit, packets)
        manifests[unit] = gw.db.execute(
            "SELECT manifest_sha256 FROM packets WHERE file_name = ?", [exported.path.name]
        ).fetchone()[0]
        assert manifests[unit] == sha256(entries_of(exported.path.read_bytes())[MANIFEST])
    checkpointed(gw)
    shutil.copy(demo_template, folder / "xa-khac.db")
    gw = Gateway.open(folder / "xa-khac.db")
    report = gw.find_report("03408", "kl224", "2024")
    members = gw.values(report)[("can_bo_dang_vien", "03408")]
    enter_values(gw, report, library.get("kl224"), [("can_bo_dang_vien", "03408", members + 5)], WHO)
    (folder / "khac").mkdir()
    other = export(gw, "03408", folder / "khac").path
    checkpointed(gw)
    gw = Gateway.open(folder / "tinh.db")
    build_upper_demo(gw)
    assert {f.outcome for f in import_packets(gw, [packets], library, WHO).filed} == {"accepted"}
    enrolment = write_enrolment(key_in_use(gw, "12"), gw.require_unit("12"), folder / "khoa-12.sctk")
    checkpointed(gw)
    copy_database(folder / "tinh.db", folder / "tinh-da-gui.db")
    gw = Gateway.open(folder / "tinh-da-gui.db")
    table = merge(gw, "12", library.get("kl224"), "2024")
    merged = export_upward(gw, table, DEMO_PASSPHRASE, folder, at=AT).path
    gw.close()
    return SimpleNamespace(
        province=folder / "tinh.db",
        packets=packets,
        manifests=manifests,
        other=other,
        enrolment=enrolment,
        merged=merged,
        table=table,
    )


@pytest.fixture
def province(sent, tmp_path):
    copy_database(sent.province, tmp_path / "tinh.db")
    gw = Gateway.open(tmp_path / "tinh.db")
    yield gw
    gw.close()


@pytest.fixture
def central(sent, tmp_path, library):
    """The level above the province: Trung ương, with Tỉnh Lai Châu below it and its key enrolled."""
    gw = Gateway.open(tmp_path / "tw.db")
    gw.add_unit("TW", "Trung ương", "trung ương", who=WHO)
    lai_chau = catalogue.find("12")
    gw.add_unit(lai_chau.code, lai_chau.name, lai_chau.kind, "TW", who=WHO)
    gw.set_setting("home_unit", "TW")
    open_collection(gw, library.get("kl224"), "2024", None)
    enrol(gw, read_enrolment(sent.enrolment), WHO)
    yield gw
    gw.close()


@pytest.fixture
def out(tmp_path) -> Path:
    folder = tmp_path / "ra"
    folder.mkdir()
    return folder


def upward(gw: Gateway, out: Path, library, **merge_how):
    return export_upward(gw, merge(gw, "12", library.get("kl224"), "2024", **merge_how), DEMO_PASSPHRASE, out, at=AT)


def resigned(raw: bytes, signer: str, *, manifest_edit=None, data_edit=None) -> bytes:
    """The packet with its manifest or so-lieu.json changed, the hashes redone and signed again with the demo key."""
    entries = entries_of(raw)
    if data_edit:
        data = json.loads(entries[DATA_JSON])
        data_edit(data)
        entries[DATA_JSON] = json_bytes(data)
    manifest = json.loads(entries[MANIFEST])
    if manifest_edit:
        manifest_edit(manifest)
    for item in manifest["files"]:
        body = entries[item["name"]]
        item.update(size=len(body), sha256=sha256(body))
    entries[MANIFEST] = json_bytes(manifest)
    entries[SIGNATURE] = demo_private_key(signer).sign(entries[MANIFEST])
    return canonical_zip(list(entries.items()))


def import_one(gw: Gateway, path: Path, library):
    (filed,) = import_packets(gw, [path], library, WHO).filed
    return filed


# ---- signing the merged table ----------------------------------------------------------------------------------


def test_the_merged_packet_is_whole_signed_and_names_its_children(province, sent, out, library):
    packet = upward(province, out, library)
    assert (packet.path, packet.sequence) == (out / "12_kl224_2024_lan01.sctg", 1)
    untrusted = verify_packet(packet.path, [], library)
    assert untrusted.intact and untrusted.status == "chua_tin_cay"
    verdict = verify_packet(packet.path, [read_enrolment(sent.enrolment)], library)
    assert verdict.status == "hop_le" and verdict.trusted_by.unit_code == "12"
    assert any("Bảng tổng hợp từ 3 gói" in line and "3/38" in line for line in verdict.lines())
    entries = entries_of(packet.path.read_bytes())
    manifest = json.loads(entries[MANIFEST])
    assert manifest == packet.manifest
    assert manifest["kind"] == "tong_hop" and manifest["unit"]["code"] == "12"
    assert manifest["signer"]["fingerprint"] == key_in_use(province, "12").fingerprint
    assert (manifest["summary"]["units"], manifest["summary"]["units_received"]) == (38, 3)
    names = {u.code: u.name for u in province.children("12")}
    assert len(manifest["children"]) == 3
    assert {c["unit_code"]: c for c in manifest["children"]} == {
        unit: {
            "unit_code": unit,
            "unit_name": names[unit],
            "sequence": 1,
            "file_sha256": sha256((sent.packets / f"{unit}_kl224_2024_lan01.sctg").read_bytes()),
            "manifest_sha256": sent.manifests[unit],
        }
        for unit in COMMUNES
    }
    row = province.db.execute(
        "SELECT reports.unit_code, packets.sequence, packets.manifest_sha256 FROM packets "
        "JOIN reports ON reports.id = packets.report_id"
    ).fetchall()
    assert row == [("12", 1, sha256(entries[MANIFEST]))]


def test_so_lieu_carries_the_totals_with_their_denominators(province, out, library):
    kl224 = library.get("kl224")
    table = merge(province, "12", kl224, "2024")
    packet = export_upward(province, table, DEMO_PASSPHRASE, out, at=AT)
    data = json.loads(entries_of(packet.path.read_bytes())[DATA_JSON])
    assert data["format"] == "so-chi-tieu.merged" and data["unit"] == {
        "code": "12",
        "name": "Tỉnh Lai Châu",
        "kind": "tỉnh",
    }
    numeric = [i.id for i in kl224.indicators if i.is_numeric and table.totals[i.id].applicable]
    assert data["figures"] == {i: {"value": table.totals[i].value, "total": table.totals[i].total} for i in numeric}
    assert data["figures"]["ho_van_hoa"]["total"] == table.totals["so_ho"].value > 0
    sent_units = [u for u in data["units"] if u["figures"] is not None]
    assert sorted(u["code"] for u in sent_units) == sorted(COMMUNES) and len(data["units"]) == 38


@pytest.mark.skipif(not HAS_OPENSSL, reason="openssl is not installed")
def test_openssl_verifies_the_merged_manifest(sent, tmp_path):
    entries = entries_of(sent.merged.read_bytes())
    for name, body in entries.items():
        (tmp_path / name).write_bytes(body)
    command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signer.pub.pem", "-rawin"]
    checked = subprocess.run(
        [*command, "-in", MANIFEST, "-sigfile", SIGNATURE], cwd=tmp_path, capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0 and "Signature Verified Successfully" in checked.stdout
    listed = json.loads(entries[MANIFEST])["files"]
    assert {f["name"]: f["sha256"] for f in listed} == {
        name: sha256((tmp_path / name).read_bytes()) for name in ("bieu.xlsx", DATA_JSON, "signer.pub.pem")
    }


def test_each_export_takes_the_next_sequence(province, out, library):
    first, second = upward(province, out, library), upward(province, out, library)
    assert (first.sequence, second.sequence) == (1, 2)
    assert [p.name for p in sorted(out.iterdir())] == ["12_kl224_2024_lan01.sctg", "12_kl224_2024_lan02.sctg"]
    assert json.loads(entries_of(second.path.read_bytes())[MANIFEST])["sequence"] == 2


def test_nothing_accepted_is_refused(tmp_path, out, library, upper_template):
    gw = Gateway.open(copy_database(upper_template, tmp_path / "tinh-trong.db"))
    try:
        with pytest.raises(ReportNotReady, match="chưa nhận gói nào của đơn vị cấp dưới cho biểu kl224, năm 2024") as e:
            upward(gw, out, library)
        assert e.value.exit_code == 1
        assert gw.db["packets"].count == 0 and list(out.iterdir()) == []
    finally:
        gw.close()


def test_an_undecided_conflict_is_refused_until_decided(province, sent, out, library):
    filed = import_one(province, sent.other, library)
    assert filed.outcome == "conflict"
    with pytest.raises(ReportNotReady, match="Phường Tân Phong có hai gói trùng lần gửi chưa quyết định"):
        upward(province, out, library)
    assert province.db["packets"].count == 0 and list(out.iterdir()) == []
    decide_conflict(province, filed.packet_id, "Phường xác nhận số đảng viên qua điện thoại", WHO)
    children = {c["unit_code"]: c for c in upward(province, out, library).manifest["children"]}
    assert children["03408"]["file_sha256"] == sha256(sent.other.read_bytes())


def test_a_returned_packet_is_not_behind_the_totals(province, out, library):
    packet = province.db.execute("SELECT id FROM received_packets WHERE unit_code = '03445'").fetchone()[0]
    issue_receipt(province, packet, "tra_lai", DEMO_PASSPHRASE, out / "tra-lai.sctb", library, WHO, note="Sai số hộ")
    merged = upward(province, out, library)
    assert sorted(c["unit_code"] for c in merged.manifest["children"]) == ["03408", "03478"]
    assert merged.manifest["summary"]["units_received"] == 2


def test_a_wrong_passphrase_takes_no_sequence(province, out, library):
    table = merge(province, "12", library.get("kl224"), "2024")
    with pytest.raises(BadInput, match="Sai mật khẩu"):
        export_upward(province, table, "khong-phai-mat-khau", out)
    assert province.db["packets"].count == 0 and list(out.iterdir()) == []
    assert upward(province, out, library).sequence == 1


# ---- the level above ----------------------------------------------------------------------------------------------


def test_the_level_above_adds_the_provinces_totals(central, sent, library):
    filed = import_one(central, sent.merged, library)
    assert (filed.outcome, filed.unit_code, filed.sequence) == ("accepted", "12", 1)
    kl224 = library.get("kl224")
    table = merge(central, "TW", kl224, "2024")
    assert [u.unit.code for u in table.units] == ["12"] and [u.unit.code for u in table.received] == ["12"]
    numeric = [i.id for i in kl224.indicators if i.is_numeric]
    below = sent.table.totals
    assert {i: (table.totals[i].value, table.totals[i].total) for i in numeric} == {
        i: (below[i].value, below[i].total) for i in numeric
    }
    shares = [table.totals[i] for i in numeric if table.totals[i].total]
    assert len(shares) > 5
    for figure in shares:
        assert figure.percent == pytest.approx(figure.value * 100 / figure.total), figure.indicator
    state = completeness(central, "TW", "2024", library).states["12", "kl224"]
    assert (state.state, state.sequence) == ("da_nhan", 1)


def test_a_merged_packet_of_an_unenrolled_province_waits_for_its_key(sent, tmp_path, library):
    gw = Gateway.open(tmp_path / "tw-moi.db")
    try:
        gw.add_unit("TW", "Trung ương", "trung ương", who=WHO)
        gw.add_unit("12", "Tỉnh Lai Châu", "tỉnh", "TW", who=WHO)
        gw.set_setting("home_unit", "TW")
        open_collection(gw, library.get("kl224"), "2024", None)
        assert import_one(gw, sent.merged, library).outcome == "quarantined"
        assert merge(gw, "TW", library.get("kl224"), "2024").received == []
    finally:
        gw.close()


def test_a_commune_packet_sent_straight_to_the_centre_waits(central, sent, library):
    filed = import_one(central, sent.packets / "03445_kl224_2024_lan01.sctg", library)
    assert filed.outcome == "waiting" and filed.unit_code == "03445"
    assert filed.message == ("Chờ: gói của Xã Mường Tè (03445), không phải đơn vị cấp dưới của đơn vị trên máy này.")
    assert central.db["received_figures"].count == 0


def test_a_tampered_merged_packet_is_rejected(central, sent, library, tmp_path):
    entries = entries_of(sent.merged.read_bytes())
    data = entries[DATA_JSON]
    at = data.index(b'"value": ') + len(b'"value": ')
    entries[DATA_JSON] = data[:at] + (b"9" if data[at : at + 1] != b"9" else b"8") + data[at + 1 :]
    path = tmp_path / "12_sua.sctg"
    path.write_bytes(canonical_zip(list(entries.items())))
    filed = import_one(central, path, library)
    assert filed.outcome == "rejected" and DATA_JSON in filed.message and "thay đổi" in filed.message
    row = central.db["received_packets"].get(filed.packet_id)
    assert row["status"] == "rejected" and row["packet"] is None
    assert central.db["received_figures"].count == 0
    assert merge(central, "TW", library.get("kl224"), "2024").received == []


def test_a_province_must_send_a_merged_table(central, sent, library, tmp_path):
    path = tmp_path / "12_khong-tong-hop.sctg"
    path.write_bytes(resigned(sent.merged.read_bytes(), "12", manifest_edit=lambda m: m.pop("kind")))
    filed = import_one(central, path, library)
    assert filed.outcome == "rejected"
    assert "Tỉnh Lai Châu phải gửi bảng tổng hợp của biểu kl224, nhưng gói lại là số liệu tự điền" in filed.message


def test_a_commune_must_not_send_a_merged_table(province, sent, library, tmp_path):
    path = tmp_path / "03445_tong-hop.sctg"
    raw = (sent.packets / "03445_kl224_2024_lan01.sctg").read_bytes()
    path.write_bytes(resigned(raw, "03445", manifest_edit=lambda m: m.update(kind="tong_hop")))
    filed = import_one(province, path, library)
    assert filed.outcome == "rejected"
    assert "Xã Mường Tè phải gửi số liệu tự điền của biểu kl224, nhưng gói lại là bảng tổng hợp" in filed.message


def _figure(indicator: str, figure):
    def edit(data):
        data["figures"][indicator] = figure

    return edit


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d.pop("figures"), "thiếu mục “figures”"),
        (lambda d: d.update(figures=[1, 2]), "thiếu mục “figures”"),
        (_figure("so_ho", {"value": -4, "total": None}), "chỉ tiêu so_ho: số liệu tổng hợp “-4” không hợp lệ"),
        (_figure("so_ho", {"value": True, "total": None}), "số liệu tổng hợp “True” không hợp lệ"),
        # so_ho is not printed in the merged workbook: the sheet check lets it through to the figures' own.
        (_figure("so_ho", {"value": 10, "total": "nhiều"}), "chỉ tiêu so_ho: số liệu tổng hợp “nhiều”"),
        (_figure("so_ho", {"value": 1.5, "total": None}), "số liệu tổng hợp “1.5” không hợp lệ"),
        (_figure("so_ho", {"value": 10**16, "total": None}), "phải là số nguyên từ 0 đến 999.999.999"),
        (_figure("so_ho", {"value": float("nan"), "total": None}), "“NaN” không phải là số"),
        (_figure("so_ho", {"value": float("inf"), "total": None}), "“Infinity” không phải là số"),
        (_figure("so_ho", {"value": 1e308, "total": None}), "không hợp lệ"),
        (_figure("so_ho", {"value": 2**70, "total": None}), "dài quá 20 chữ số"),
        (_figure("chi_tieu_la", {"value": 1, "total": None}), "“chi_tieu_la” không có trong biểu kl224"),
    ],
    ids=[
        "no-figures",
        "figures-a-list",
        "negative",
        "boolean",
        "total-text",
        "fraction",
        "too-big",
        "nan",
        "infinity",
        "1e308",
        "2^70",
        "unknown-indicator",
    ],
)
def test_bad_figures_in_a_signed_merged_packet_are_rejected(central, sent, library, tmp_path, edit, words):
    path = tmp_path / "12_ky-lai.sctg"
    path.write_bytes(resigned(sent.merged.read_bytes(), "12", data_edit=edit))
    filed = import_one(central, path, library)
    assert filed.outcome == "rejected" and DATA_JSON in filed.message and words in filed.message
    assert central.db["received_figures"].count == 0


def test_a_resigned_merged_packet_with_good_figures_is_accepted(central, sent, library, tmp_path):
    path = tmp_path / "12_ky-lai.sctg"
    path.write_bytes(resigned(sent.merged.read_bytes(), "12", data_edit=_figure("so_ho", {"value": 7, "total": None})))
    assert import_one(central, path, library).outcome == "accepted"
    assert merge(central, "TW", library.get("kl224"), "2024").totals["so_ho"].value == 7


def test_a_merged_packet_breaking_the_forms_rules_is_flawed_and_not_summed(
    central, sent, library, demo_template, tmp_path
):
    """A province that counted a commune's flawed figures by decision sends totals that break the
    form (households of culture above all households): the level above files them as flawed."""
    commune = Commune(demo_template, tmp_path / "xa")
    try:
        commune.type(("ho_van_hoa", VILLAGE, commune.value("so_ho", VILLAGE) + 50_000))
        flawed = commune.sign(2)
    finally:
        commune.close()
    copy_database(sent.province, tmp_path / "tinh.db")
    gw = Gateway.open(tmp_path / "tinh.db")
    try:
        filed = import_one(gw, flawed, library)
        assert filed.outcome == "flawed"
        decide(gw, filed.packet_id, "Xã xác nhận qua điện thoại", WHO, library)
        table = merge(gw, "12", library.get("kl224"), "2024")
        assert table.totals["ho_van_hoa"].value > table.totals["ho_van_hoa"].total
        upward = export_upward(gw, table, DEMO_PASSPHRASE, tmp_path / "len", at=dt.datetime.now(dt.UTC)).path
    finally:
        gw.close()
    sent_up = import_one(central, upward, library)
    assert sent_up.outcome == "flawed" and "vượt tổng" in sent_up.message
    assert merge(central, "TW", library.get("kl224"), "2024").received == []


# ---- the command line --------------------------------------------------------------------------------------------


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def counts(path: Path) -> tuple[int, int]:
    gw = Gateway.open(path)
    try:
        return gw.db["units"].count, gw.db["signing_keys"].count
    finally:
        gw.close()


@pytest.mark.slow
def test_cli_init_upper_sets_up_the_province_and_its_key(tmp_path):
    db = tmp_path / "tinh.db"
    setup = ("init", "--db", db, "--upper", "12", "--officer", "Giàng Thị Dung", "--title", "Chuyên viên")
    done = run_main(*setup, SCT_PASSPHRASE="mật khẩu của tỉnh")
    assert done.returncode == 0, done.stderr
    assert "Đã thiết lập Tỉnh Lai Châu nhận gói của 38 xã, phường; người giữ khóa: Giàng Thị Dung." in done.stdout
    gw = Gateway.open(db)
    try:
        assert len(gw.children("12")) == 38 and gw.db["units"].count == 39
        assert gw.setting("home_unit") == "12" and gw.setting("officer_name") == "Giàng Thị Dung"
        (key,) = unit_keys(gw, "12")
        assert (key.holder_name, key.holder_title, key.demo) == ("Giàng Thị Dung", "Chuyên viên", False)
        assert f"Mã khóa: {key.spoken}" in done.stdout
    finally:
        gw.close()
    again = run_main("init", "--db", db, "--upper", "12", "--officer", "Lò Văn B", SCT_PASSPHRASE="mật khẩu khác")
    assert again.returncode == 2 and "đã có đơn vị" in one_line(again)
    assert counts(db) == (39, 1)


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (("--upper", "12", "--officer", "Giàng Thị Dung"), {"SCT_PASSPHRASE": "ngan"}, "ít nhất 8 ký tự"),
        (("--upper", "12", "--officer", "Giàng Thị Dung"), {}, "SCT_PASSPHRASE"),
        (("--upper", "12"), {"SCT_PASSPHRASE": "mật khẩu của tỉnh"}, "Cần họ tên cán bộ tổng hợp"),
        (("--upper", "03445", "--officer", "A"), {"SCT_PASSPHRASE": "mật khẩu của tỉnh"}, "Mã tỉnh “03445”"),
    ],
    ids=["short-passphrase", "no-passphrase", "no-officer", "a-commune-code"],
)
def test_cli_init_upper_refused_leaves_no_units(tmp_path, args, env, words):
    db = tmp_path / "tinh.db"
    refused = run_main("init", "--db", db, *args, **env)
    assert refused.returncode == 2 and words in one_line(refused)
    assert counts(db) == (0, 0)


@pytest.mark.slow
def test_cli_packet_upward_then_the_level_above_imports_it(province, central, sent, out):
    upward_args = ("packet", "upward", "--db", province.path, "--unit", "12", "--form", "kl224", "--period", "2024")
    done = run_main(*upward_args, "--out", out, SCT_PASSPHRASE=DEMO_PASSPHRASE)
    assert done.returncode == 0, done.stderr
    path = out / "12_kl224_2024_lan01.sctg"
    assert f"Đã ký và lưu gói tổng hợp “{path}”" in done.stdout and "3/38 đơn vị, lần gửi 1" in done.stdout
    verified = run_main("packet", "verify", path, "--trust", sent.enrolment)
    assert verified.returncode == 0 and "Bảng tổng hợp từ 3 gói của đơn vị cấp dưới" in verified.stdout
    assert run_main("packet", "verify", path).returncode == 3
    again = run_main(*upward_args, "--out", out, "--json", SCT_PASSPHRASE=DEMO_PASSPHRASE)
    assert again.returncode == 0 and json.loads(again.stdout)["manifest"]["sequence"] == 2
    imported = run_main("inbox", "import", "--db", central.path, path)
    assert imported.returncode == 0 and "1 đã nhận" in imported.stdout
    listed = run_main("completeness", "--db", central.path, "--unit", "TW", "--period", "2024", "--json")
    (unit,) = json.loads(listed.stdout)["units"]
    assert unit["code"] == "12" and unit["forms"]["kl224"]["state"] == "da_nhan"


@pytest.mark.slow
def test_cli_packet_upward_refusals(province, tmp_path, out):
    empty = tmp_path / "tinh-trong.db"
    assert run_main("init", "--db", empty, "--demo-upper").returncode == 0
    args = ("packet", "upward", "--unit", "12", "--period", "2024", "--out", out)
    nothing = run_main(*args, "--db", empty, "--form", "kl224", SCT_PASSPHRASE=DEMO_PASSPHRASE)
    assert nothing.returncode == 1 and "Chưa ký được: chưa nhận gói nào" in one_line(nothing)
    unknown = run_main(*args, "--db", province.path, "--form", "kl999", SCT_PASSPHRASE=DEMO_PASSPHRASE)
    assert unknown.returncode == 2 and "Không có biểu “kl999”" in one_line(unknown)
    wrong = run_main(*args, "--db", province.path, "--form", "kl224", SCT_PASSPHRASE="khong-phai-mat-khau")
    assert wrong.returncode == 2 and "Sai mật khẩu khóa ký" in one_line(wrong)
    assert list(out.iterdir()) == [] and province.db["packets"].count == 0


def test_a_commune_under_the_province_in_the_centres_tree_still_sends_to_its_province(central, sent, library):
    commune = catalogue.find("03445")
    central.add_unit(commune.code, commune.name, commune.kind, "12", who=WHO)
    filed = import_one(central, sent.packets / "03445_kl224_2024_lan01.sctg", library)
    assert filed.outcome == "waiting"
    assert filed.message == "Chờ: gói của Xã Mường Tè (03445) phải gửi cho Tỉnh Lai Châu, không gửi thẳng lên đây."
    assert central.db["received_figures"].count == 0
