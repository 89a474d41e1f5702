"""Signing a finished report into a packet (.sctg) and checking it: real
SQLite, real Ed25519 keys, real files; with openssl and sha256sum where the
machine has them, and through the command line.

Why it is long: one feature, signing, with its checks by our verifier, openssl and sha256sum, and the key lifecycle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from testkit import ROOT, run_main

import main
from exports.atomic import write_atomically
from exports.packets.container import canonical_zip
from exports.packets.enrolment import enrolment_bytes, read_enrolment, write_enrolment
from exports.packets.format import DATA_JSON, FORM_XLSX, MANIFEST, PUBLIC_KEY, SIGNATURE
from exports.packets.verify import verify_packet
from exports.packets.write import ReportNotReady, build_packet, export_packet, signing_blockers
from models.about import APP_NAME, APP_VERSION
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key, find_key, key_in_use, load_public_pem, unit_keys, unlock_key
from models.reporting import enter_values, view_report

AT = dt.datetime(2025, 3, 14, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
ORDER = [MANIFEST, SIGNATURE, FORM_XLSX, DATA_JSON, PUBLIC_KEY]
NEW_PASSPHRASE = "mật khẩu xã Bình Lư"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("SCT_DEBUG", raising=False)
    monkeypatch.delenv("SCT_PASSPHRASE", raising=False)


def open_view(gw: Gateway, library, period="2024", unit="03445", targets="muong-te-2025"):
    return view_report(gw, gw.find_report(unit, "kl224", period), library.get("kl224"), targets)


def entries_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def manifest_of(path: Path) -> dict:
    return json.loads(entries_of(path)[MANIFEST])


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def rezip(path: Path, entries: dict[str, bytes]) -> None:
    """Zip again as a zip tool would: compressed, dated now."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_vietnamese_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert any(ord(ch) > 127 for ch in lines[0]), lines[0]
    return lines[0]


@pytest.fixture(scope="session")
def demo_packet(demo_template, tmp_path_factory):
    """The demo's clean 2024 report exported once, with its key's enrolment file; copy before changing."""
    folder = tmp_path_factory.mktemp("demo-packet")
    db = folder / "demo.db"
    shutil.copy(demo_template, db)
    gw = Gateway.open(db)
    try:
        from forms.library import default_library

        view = open_view(gw, default_library())
        exported = export_packet(gw, view, DEMO_PASSPHRASE, folder, at=AT)
        enrolment = write_enrolment(exported.key, view.unit, folder / "khoa-03445.sctk")
        row = next(iter(gw.db["packets"].rows))
    finally:
        gw.close()
    return SimpleNamespace(path=exported.path, exported=exported, enrolment=enrolment, row=row)


# ---- the round trip ------------------------------------------------------------------------------


def test_round_trip_untrusted_then_trusted(demo_packet, library):
    alone = verify_packet(demo_packet.path, [], library)
    assert (alone.status, alone.exit_code, alone.intact) == ("chua_tin_cay", 3, True)
    assert "--trust" in alone.trust_note
    trusted = verify_packet(demo_packet.path, [read_enrolment(demo_packet.enrolment)], library)
    assert (trusted.status, trusted.exit_code, trusted.problems) == ("hop_le", 0, [])
    assert trusted.trusted_by.unit_code == "03445"
    assert trusted.headline().startswith("HỢP LỆ") and "Xã Mường Tè" in trusted.headline()
    assert json.loads(json.dumps(trusted.to_dict()))["trusted"] is True


def test_manifest_fields(demo_packet, demo_db):
    path, key = demo_packet.path, key_in_use(demo_db, "03445")
    manifest = manifest_of(path)
    assert manifest == demo_packet.exported.manifest
    assert (manifest["format"], manifest["format_version"]) == ("so-chi-tieu.packet", 1)
    assert manifest["app"] == {"name": APP_NAME, "version": APP_VERSION}
    assert manifest["unit"] == {"code": "03445", "name": "Xã Mường Tè", "kind": "xã", "parent_code": "12"}
    assert (manifest["form"]["id"], manifest["form"]["version"]) == ("kl224", 2)
    assert manifest["period"] == {"code": "2024", "label": "Năm 2024"}
    assert manifest["target_set"]["id"] == "muong-te-2025"
    assert manifest["sequence"] == 1 == demo_packet.exported.sequence
    assert dt.datetime.fromisoformat(manifest["created_at"]) == AT
    assert manifest["created_at"] == AT.astimezone().isoformat(timespec="seconds")
    assert manifest["signer"]["fingerprint"] == key.fingerprint == demo_packet.exported.key.fingerprint
    assert manifest["signer"]["spoken"] == key.spoken and manifest["signer"]["name"] == "Lò Thị Mai"
    assert manifest["summary"]["errors"] == 0 and manifest["summary"]["warnings_explained"] == 0


def test_files_hashes_signature_and_canonical_container(demo_packet):
    entries = entries_of(demo_packet.path)
    assert list(entries) == ORDER
    manifest = json.loads(entries[MANIFEST])
    assert [f["name"] for f in manifest["files"]] == [FORM_XLSX, DATA_JSON, PUBLIC_KEY]
    for item in manifest["files"]:
        assert item["sha256"] == hashlib.sha256(entries[item["name"]]).hexdigest()
        assert item["size"] == len(entries[item["name"]])
    assert len(entries[SIGNATURE]) == 64
    load_public_pem(entries[PUBLIC_KEY]).verify(entries[SIGNATURE], entries[MANIFEST])  # raises if wrong
    with zipfile.ZipFile(demo_packet.path) as archive:
        assert archive.comment == b""
        for info in archive.infolist():
            assert info.compress_type == zipfile.ZIP_STORED
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
    row = demo_packet.row
    assert row["manifest_sha256"] == hashlib.sha256(entries[MANIFEST]).hexdigest()
    assert (row["sequence"], row["file_name"]) == (1, "03445_kl224_2024_lan01.sctg")
    data = json.loads(entries[DATA_JSON])
    assert (data["unit"]["code"], data["period"]["code"], data["findings"]) == ("03445", "2024", [])
    assert isinstance(data["audit"], list) and data["audit"]
    workbook = openpyxl.load_workbook(io.BytesIO(entries[FORM_XLSX]))
    assert workbook.worksheets


def _openssl_3() -> bool:
    if not shutil.which("openssl"):
        return False
    version = subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout
    return version.startswith("OpenSSL 3")


@pytest.mark.skipif(not _openssl_3(), reason="OpenSSL 3 is not on this machine")
def test_openssl_verifies_the_signature_and_sees_a_changed_byte(demo_packet, tmp_path):
    with zipfile.ZipFile(demo_packet.path) as archive:
        archive.extractall(tmp_path)
    command = "openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in manifest.json -sigfile manifest.sig"
    good = subprocess.run(command.split(), cwd=tmp_path, capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert "Signature Verified Successfully" in good.stdout
    manifest = bytearray((tmp_path / MANIFEST).read_bytes())
    manifest[len(manifest) // 2] ^= 0x01
    (tmp_path / MANIFEST).write_bytes(bytes(manifest))
    bad = subprocess.run(command.split(), cwd=tmp_path, capture_output=True, text=True)
    assert bad.returncode != 0
    assert "Signature Verified Successfully" not in bad.stdout


@pytest.mark.skipif(not shutil.which("sha256sum"), reason="sha256sum is not on this machine")
def test_sha256sum_agrees_with_the_manifest(demo_packet, tmp_path):
    with zipfile.ZipFile(demo_packet.path) as archive:
        archive.extractall(tmp_path)
    names = [FORM_XLSX, DATA_JSON, PUBLIC_KEY]
    run = subprocess.run(["sha256sum", *names], cwd=tmp_path, capture_output=True, text=True, check=True)
    sums = {name: digest for digest, name in (line.split() for line in run.stdout.splitlines())}
    assert sums == {f["name"]: f["sha256"] for f in manifest_of(demo_packet.path)["files"]}


# ---- sequence, names, determinism ------------------------------------------------------------


def test_sequence_rises_per_report_and_names_the_file(demo_db, library, tmp_path):
    view = open_view(demo_db, library)
    packets = [export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path, at=AT) for _ in range(3)]
    assert [p.sequence for p in packets] == [1, 2, 3]
    assert [p.path.name for p in packets] == [f"03445_kl224_2024_lan0{n}.sctg" for n in (1, 2, 3)]
    assert [manifest_of(p.path)["sequence"] for p in packets] == [1, 2, 3]
    other = view_report(demo_db, demo_db.find_report("03445", "da241", "2016-2020"), library.get("da241"))
    first_of_other = export_packet(demo_db, other, DEMO_PASSPHRASE, tmp_path, at=AT)
    assert first_of_other.sequence == 1
    assert first_of_other.path.name == "03445_da241_2016-2020_lan01.sctg"
    named = export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path / "goi-gui-huyen.sctg", at=AT)
    assert (named.sequence, named.path.name) == (4, "goi-gui-huyen.sctg")
    assert demo_db.db["packets"].count == 5


def test_same_data_same_files_manifests_differ_only_in_sequence_and_time(demo_db, library, tmp_path):
    view = open_view(demo_db, library)
    a = export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path / "a.sctg", at=AT)
    b = export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path / "b.sctg", at=AT)
    c = export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path / "c.sctg", at=AT + dt.timedelta(hours=2))
    ea, eb, ec = entries_of(a.path), entries_of(b.path), entries_of(c.path)
    for name in (FORM_XLSX, DATA_JSON, PUBLIC_KEY):
        assert ea[name] == eb[name] == ec[name], name
    ma, mb, mc = (json.loads(e[MANIFEST]) for e in (ea, eb, ec))
    assert {k for k in ma if ma[k] != mb[k]} == {"sequence"}
    assert {k for k in ma if ma[k] != mc[k]} == {"sequence", "created_at"}
    # Ed25519 is deterministic: the signatures differ only because the manifests do.
    private = unlock_key(demo_db, a.key, DEMO_PASSPHRASE)
    assert ea[SIGNATURE] != eb[SIGNATURE]
    assert private.sign(ea[MANIFEST]) == ea[SIGNATURE] and private.sign(eb[MANIFEST]) == eb[SIGNATURE]
    # and the whole packet, given the same sequence and time, is the same file
    first = build_packet(demo_db, view, a.key, private, 7, AT)
    assert build_packet(demo_db, view, a.key, private, 7, AT) == first


# ---- refusals ------------------------------------------------------------------------------------


def test_a_report_with_an_error_then_an_unexplained_warning_is_refused(demo_db, library, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    view = open_view(demo_db, library, "2025")
    with pytest.raises(ReportNotReady) as refused:
        export_packet(demo_db, view, DEMO_PASSPHRASE, out)
    assert refused.value.exit_code == 1
    error = view.evaluation.errors[0]
    village = next(v.name for v in view.villages if v.code == error.cell.village)
    assert "lỗi" in str(refused.value) and village in str(refused.value)
    assert "và 1 điều khác" in str(refused.value)
    assert (listing(out), demo_db.db["packets"].count) == ([], 0)

    households = demo_db.values(view.report)[("so_ho", error.cell.village)]
    enter_values(demo_db, view.report, view.form, [("ho_van_hoa", error.cell.village, households - 1)], "kiem-thu")
    view = open_view(demo_db, library, "2025")
    assert view.evaluation.errors == []
    with pytest.raises(ReportNotReady, match="cảnh báo chưa có giải trình"):
        export_packet(demo_db, view, DEMO_PASSPHRASE, out)
    assert (listing(out), demo_db.db["packets"].count) == ([], 0)

    reason = "Bản mới được công nhận lại cuối năm 2025"
    for warning in view.evaluation.warnings:
        where = warning.cell.village or view.unit.code
        demo_db.set_reason(view.report, warning.rule, warning.cell.indicator, where, reason, "Lò Thị Mai")
    view = open_view(demo_db, library, "2025")
    assert signing_blockers(view) == []
    packet = export_packet(demo_db, view, DEMO_PASSPHRASE, out)
    assert packet.sequence == 1 and listing(out) == ["03445_kl224_2025_lan01.sctg"]
    findings = json.loads(entries_of(packet.path)[DATA_JSON])["findings"]
    assert [f["reason"] for f in findings] == [reason] * len(view.evaluation.warnings)
    summary = manifest_of(packet.path)["summary"]
    assert summary["warnings"] == summary["warnings_explained"] == len(view.evaluation.warnings) >= 1
    assert verify_packet(packet.path, [], library).intact


@pytest.fixture
def out_dir(tmp_path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_wrong_passphrase_writes_nothing(demo_db, library, out_dir):
    with pytest.raises(BadInput, match="Sai mật khẩu"):
        export_packet(demo_db, open_view(demo_db, library), "mat-khau-sai", out_dir)
    assert (listing(out_dir), demo_db.db["packets"].count) == ([], 0)


def test_a_unit_without_a_key_is_refused(demo_db, library, out_dir):
    with pytest.raises(BadInput, match="chưa có khóa ký"):
        export_packet(demo_db, open_view(demo_db, library, unit="03390", targets=None), "bat-ky-mat-khau", out_dir)
    assert (listing(out_dir), demo_db.db["packets"].count) == ([], 0)


def test_a_passphrase_typed_decomposed_opens_a_key_made_composed(demo_db, library, tmp_path):
    composed = unicodedata.normalize("NFC", "mật khẩu xã Mường Tè")
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    key = create_unit_key(demo_db, "03390", composed, "Nguyễn Văn A")
    assert unlock_key(demo_db, key, decomposed).public_key() is not None
    packet = export_packet(demo_db, open_view(demo_db, library, unit="03390", targets=None), decomposed, tmp_path)
    assert manifest_of(packet.path)["signer"]["fingerprint"] == key.fingerprint
    with pytest.raises(BadInput, match="Sai mật khẩu"):
        unlock_key(demo_db, key, composed.upper())


# ---- writing whole or not at all -----------------------------------------------------------------


def temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions that apply (not root)")
def test_a_failed_write_over_an_old_packet_leaves_it_intact(demo_db, library, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    view = open_view(demo_db, library)
    old = export_packet(demo_db, view, DEMO_PASSPHRASE, out / "goi.sctg", at=AT)
    before = old.path.read_bytes()
    out.chmod(0o500)
    try:
        with pytest.raises(BadInput, match="Không ghi được"):
            export_packet(demo_db, view, DEMO_PASSPHRASE, out / "goi.sctg", at=AT + dt.timedelta(hours=1))
    finally:
        out.chmod(0o700)
    assert old.path.read_bytes() == before
    assert temp_files(out) == [] and demo_db.db["packets"].count == 1


FILE_SIZE_LIMIT_SCRIPT = r"""
import json, resource, signal, sys
sys.path.insert(0, ".")
from exports.packets.write import export_packet
from forms.library import default_library
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE
from models.reporting import view_report
gw = Gateway.open(sys.argv[1])
view = view_report(gw, gw.find_report("03445", "kl224", "2024"), default_library().get("kl224"))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]), hard))  # no file can grow past this
try:
    export_packet(gw, view, DEMO_PASSPHRASE, sys.argv[2])
    said = "written"
except BadInput as exc:
    said = str(exc)
finally:
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
print(json.dumps(said))
"""


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
def test_a_write_cut_short_leaves_the_old_packet_even_as_root(demo_packet, demo_path, tmp_path):
    """The disk-full case, made with a file size limit (root ignores folder permissions, not this).

    Half a packet: room for openpyxl's temporary sheet files (about 20 KB), not for the packet."""
    target = tmp_path / "out" / "goi.sctg"
    target.parent.mkdir()
    shutil.copy(demo_packet.path, target)
    before = target.read_bytes()
    run = subprocess.run(
        [sys.executable, "-c", FILE_SIZE_LIMIT_SCRIPT, str(demo_path), str(target), str(len(before) // 2)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    said = json.loads(run.stdout)
    assert "Không ghi được" in said and "không có tệp nào bị ghi dở" in said
    assert target.read_bytes() == before
    assert temp_files(target.parent) == []
    gw = Gateway.open(demo_path)
    assert gw.db["packets"].count == 0
    gw.close()


def test_a_missing_folder_is_refused_and_leaves_no_temp_file(demo_db, library, tmp_path):
    with pytest.raises(BadInput, match="không tồn tại"):
        export_packet(demo_db, open_view(demo_db, library), DEMO_PASSPHRASE, tmp_path / "chua-co" / "goi.sctg")
    assert not (tmp_path / "chua-co").exists()
    assert temp_files(tmp_path) == [] and demo_db.db["packets"].count == 0


def test_a_missing_folder_named_with_a_trailing_slash_is_refused(demo_db, library, tmp_path):
    wanted = str(tmp_path / "gui-huyen") + os.sep
    with pytest.raises(BadInput):
        export_packet(demo_db, open_view(demo_db, library), DEMO_PASSPHRASE, wanted)
    assert not (tmp_path / "gui-huyen").exists()


def test_write_atomically_replaces_the_whole_file(tmp_path):
    path = tmp_path / "tep.bin"
    path.write_bytes(b"x" * 10_000)
    assert write_atomically(path, b"ngan") == path
    assert path.read_bytes() == b"ngan"
    assert temp_files(tmp_path) == []
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o644
    with pytest.raises(BadInput, match="thư mục"):
        write_atomically(tmp_path, b"x")
    with pytest.raises(BadInput, match="không tồn tại"):
        write_atomically(tmp_path / "khong-co" / "x", b"x")
    assert listing(tmp_path) == ["tep.bin"]


@pytest.mark.slow
def test_two_exports_at_once_wait_for_each_other_and_never_share_a_number(demo_path, library, tmp_path):
    """Two exports of one report at once (the window and a command line on one database): the
    second waits for the first's write lock, then takes the next sequence and its own file."""
    first = Gateway.open(demo_path)
    done: dict = {}

    def second_export() -> None:
        second = Gateway.open(demo_path)
        try:
            done["second"] = export_packet(second, open_view(second, library), DEMO_PASSPHRASE, tmp_path, at=AT)
        finally:
            second.close()

    try:
        with first.transaction():  # holds the write lock while the other export starts
            waiting = threading.Thread(target=second_export)
            waiting.start()
            waiting.join(0.3)
            assert waiting.is_alive(), "the second export waits for the lock"
            done["first"] = export_packet(first, open_view(first, library), DEMO_PASSPHRASE, tmp_path, at=AT)
        waiting.join(10)
        assert [done["first"].sequence, done["second"].sequence] == [1, 2]
        for packet in done.values():
            row = next(first.db["packets"].rows_where("file_name = ?", [packet.path.name]))
            assert hashlib.sha256(entries_of(packet.path)[MANIFEST]).hexdigest() == row["manifest_sha256"]
        assert first.db["packets"].count == 2 and temp_files(tmp_path) == []
    finally:
        first.close()


# ---- keys ------------------------------------------------------------------------------------------


def test_replacing_a_key_keeps_the_old_one_and_its_packets(demo_db, library, tmp_path):
    unit = demo_db.require_unit("03445")
    old_key = key_in_use(demo_db, "03445")
    view = open_view(demo_db, library)
    old_packet = export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path, at=AT)
    old_enrolment = read_enrolment(write_enrolment(old_key, unit, tmp_path / "cu.sctk"))
    with pytest.raises(BadInput, match="đã có khóa ký"):
        create_unit_key(demo_db, "03445", NEW_PASSPHRASE, "Lò Văn Minh")
    new_key = create_unit_key(demo_db, "03445", NEW_PASSPHRASE, "Lò Văn Minh", replace=True)
    keys = unit_keys(demo_db, "03445")
    assert [k.fingerprint for k in keys] == [new_key.fingerprint, old_key.fingerprint]
    assert keys[1].replaced_at is not None and keys[1].replaced_by == new_key.fingerprint
    assert key_in_use(demo_db, "03445") == new_key
    new_enrolment = read_enrolment(write_enrolment(new_key, unit, tmp_path / "moi.sctk"))

    assert verify_packet(old_packet.path, [old_enrolment], library).status == "hop_le"
    with pytest.raises(BadInput, match="Sai mật khẩu"):
        export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path)  # the new key has the new passphrase
    new_packet = export_packet(demo_db, view, NEW_PASSPHRASE, tmp_path, at=AT)
    assert new_packet.sequence == 2 and new_packet.key == new_key
    assert verify_packet(new_packet.path, [new_enrolment], library).status == "hop_le"
    assert verify_packet(new_packet.path, [old_enrolment], library).status == "chua_tin_cay"
    both = verify_packet(old_packet.path, [new_enrolment, old_enrolment], library)
    assert both.status == "hop_le" and both.trusted_by.fingerprint == old_key.fingerprint


def test_the_old_key_is_not_trusted_for_packets_dated_after_its_replacement(demo_db, library, tmp_path):
    unit, old_key = demo_db.require_unit("03445"), key_in_use(demo_db, "03445")
    view = open_view(demo_db, library)
    before = export_packet(demo_db, view, DEMO_PASSPHRASE, tmp_path, at=AT)
    create_unit_key(demo_db, "03445", NEW_PASSPHRASE, "Lò Văn Minh", replace=True)
    replaced = find_key(demo_db, old_key.fingerprint)
    enrolment = read_enrolment(write_enrolment(replaced, unit, tmp_path / "cu.sctk"))
    assert enrolment.replaced_at == replaced.replaced_at
    assert verify_packet(before.path, [enrolment], library).status == "hop_le"
    # Whoever still holds the old key and its passphrase signs after the replacement.
    private = unlock_key(demo_db, replaced, DEMO_PASSPHRASE)
    _, data = build_packet(demo_db, view, replaced, private, 9, dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))
    (tmp_path / "sau.sctg").write_bytes(data)
    verdict = verify_packet(tmp_path / "sau.sctg", [enrolment], library)
    assert verdict.status == "chua_tin_cay" and "thay bằng khóa mới" in verdict.trust_note


def test_the_private_key_never_appears_unencrypted(demo_db, demo_packet, demo_path):
    create_unit_key(demo_db, "03390", NEW_PASSPHRASE, "Nguyễn Văn A")
    pems = [r["private_pem"] for r in demo_db.db["signing_keys"].rows]
    assert len(pems) == 4  # the three demo keys and the new one
    assert all(p.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----") for p in pems)
    assert b"PRIVATE KEY" not in demo_packet.path.read_bytes()
    for stored in demo_path.parent.glob(demo_path.name + "*"):  # the database and its -wal
        assert b"BEGIN PRIVATE KEY" not in stored.read_bytes(), stored.name
    assert b"PRIVATE KEY" not in demo_packet.enrolment.read_bytes()


@pytest.mark.parametrize(
    "passphrase",
    ["", "1234567", "Mường1!", unicodedata.normalize("NFD", "Mường1!")],
    ids=["empty", "7", "nfc7", "nfd7"],
)
def test_a_short_passphrase_is_refused(demo_db, passphrase):
    with pytest.raises(BadInput, match="ít nhất 8"):
        create_unit_key(demo_db, "03390", passphrase, "Nguyễn Văn A")
    assert unit_keys(demo_db, "03390") == []


# ---- trust is per unit -----------------------------------------------------------------------------


def edited_enrolment(demo_packet, tmp_path: Path, change) -> Path:
    data = json.loads(demo_packet.enrolment.read_bytes())
    change(data)
    path = tmp_path / "sua.sctk"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_key_enrolled_for_another_unit_is_not_trusted_for_this_one(demo_packet, library, tmp_path):
    def other_unit(data):
        data["unit"] = {"code": "03390", "name": "Xã Bình Lư"}

    enrolment = read_enrolment(edited_enrolment(demo_packet, tmp_path, other_unit))
    assert enrolment.unit_code == "03390"
    verdict = verify_packet(demo_packet.path, [enrolment], library)
    assert verdict.status == "chua_tin_cay" and verdict.exit_code == 3
    assert "Xã Bình Lư (03390)" in verdict.trust_note and "không phải cho đơn vị" in verdict.trust_note


def test_a_packet_of_this_unit_signed_with_another_units_key_is_not_trusted(demo_db, library, tmp_path):
    """Xã Bình Lư signs a report that says it is Mường Tè's, and Bình Lư's key is trusted for Bình Lư."""
    other = create_unit_key(demo_db, "03390", NEW_PASSPHRASE, "Nguyễn Văn A")
    private = unlock_key(demo_db, other, NEW_PASSPHRASE)
    _, packet = build_packet(demo_db, open_view(demo_db, library), other, private, 1, AT)
    path = tmp_path / "gia.sctg"
    path.write_bytes(packet)
    enrolment = read_enrolment(write_enrolment(other, demo_db.require_unit("03390"), tmp_path / "bl.sctk"))
    verdict = verify_packet(path, [enrolment], library)
    assert verdict.status == "chua_tin_cay" and "Xã Bình Lư (03390)" in verdict.trust_note


def _other_public_pem() -> str:
    from models.keys import public_pem

    return public_pem(Ed25519PrivateKey.generate().public_key())


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.update(fingerprint="0" * 64), "đã bị sửa"),
        (lambda d: d.update(public_key_pem=_other_public_pem()), "đã bị sửa"),
        (lambda d: d.update(public_key_pem="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), "PEM"),
        (lambda d: d.update(format_version=2), "cập nhật"),
        (lambda d: d.pop("holder"), "thiếu thông tin"),
        (lambda d: d.update(format="khac"), "không phải tệp đăng ký"),
    ],
    ids=["fingerprint", "other-key", "broken-pem", "version-2", "no-holder", "format"],
)
def test_a_tampered_enrolment_is_refused(demo_packet, tmp_path, change, words):
    with pytest.raises(BadInput, match=words):
        read_enrolment(edited_enrolment(demo_packet, tmp_path, change))


def test_enrolment_bytes_round_trip(demo_db, demo_packet, tmp_path):
    key, unit = key_in_use(demo_db, "03445"), demo_db.require_unit("03445")
    assert demo_packet.enrolment.read_bytes() == enrolment_bytes(key, unit)
    enrolment = read_enrolment(demo_packet.enrolment)
    assert (enrolment.unit_code, enrolment.fingerprint, enrolment.spoken) == ("03445", key.fingerprint, key.spoken)


# ---- the command line ------------------------------------------------------------------------------


def export_args(db: Path, out: Path, period="2024", unit="03445") -> list:
    return ["packet", "export", "--db", db, "--unit", unit, "--form", "kl224", "--period", period, "--out", out]


def test_cli_packet_export(capsys, monkeypatch, demo_path, tmp_path):
    monkeypatch.setenv("SCT_PASSPHRASE", DEMO_PASSPHRASE)
    code, out, err = cli(capsys, *export_args(demo_path, tmp_path))
    path = tmp_path / "03445_kl224_2024_lan01.sctg"
    assert (code, err) == (0, "") and str(path) in out and "lần gửi 1" in out
    code, out, err = cli(capsys, *export_args(demo_path, tmp_path), "--json")
    printed = json.loads(out)
    assert (code, printed["file"]) == (0, str(tmp_path / "03445_kl224_2024_lan02.sctg"))
    assert printed["manifest"] == manifest_of(Path(printed["file"]))


def test_cli_packet_export_refusals(capsys, monkeypatch, demo_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setenv("SCT_PASSPHRASE", DEMO_PASSPHRASE)
    code, stdout, err = cli(capsys, *export_args(demo_path, out, period="2025"))
    assert (code, stdout) == (1, "")
    assert "Chưa ký được" in one_vietnamese_line(err)
    code, stdout, err = cli(capsys, *export_args(demo_path, out, unit="99999"))
    assert (code, stdout) == (2, "")
    one_vietnamese_line(err)
    monkeypatch.setenv("SCT_PASSPHRASE", "mat-khau-sai")
    code, stdout, err = cli(capsys, *export_args(demo_path, out))
    assert (code, stdout) == (2, "")
    assert "Sai mật khẩu" in one_vietnamese_line(err)
    monkeypatch.delenv("SCT_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, stdout, err = cli(capsys, *export_args(demo_path, out))
    assert code == 2 and "SCT_PASSPHRASE" in one_vietnamese_line(err)
    assert listing(out) == []


def test_cli_packet_verify_exit_codes_and_json(capsys, demo_packet, tmp_path):
    trust = ["--trust", demo_packet.enrolment]
    code, out, err = cli(capsys, "packet", "verify", demo_packet.path, *trust)
    assert (code, err) == (0, "") and out.startswith("HỢP LỆ")
    code, out, err = cli(capsys, "packet", "verify", demo_packet.path)
    assert code == 3 and out.startswith("CHƯA TIN CẬY") and one_vietnamese_line(err).startswith("CHƯA TIN CẬY")
    code, out, _ = cli(capsys, "packet", "verify", demo_packet.path, *trust, "--json")
    verdict = json.loads(out)
    assert {"status", "exit_code", "problems", "unit", "signer"} <= set(verdict)
    assert (verdict["status"], verdict["exit_code"], verdict["problems"]) == ("hop_le", 0, [])
    assert (
        verdict["unit"]["code"] == "03445" and verdict["signer"]["fingerprint"] == demo_packet.exported.key.fingerprint
    )

    changed = tmp_path / "sua.sctg"
    entries = entries_of(demo_packet.path)
    entries[DATA_JSON] = entries[DATA_JSON].replace(b'"so_ho": ', b'"so_ho":  ', 1)
    changed.write_bytes(canonical_zip(list(entries.items())))
    code, out, err = cli(capsys, "packet", "verify", changed, *trust, "--json")
    verdict = json.loads(out)
    assert (code, verdict["status"], verdict["exit_code"]) == (1, "khong_hop_le", 1)
    assert any(DATA_JSON in p for p in verdict["problems"]) and DATA_JSON in err

    not_packet = tmp_path / "ghi-chu.txt"
    not_packet.write_text("không phải gói", encoding="utf-8")
    code, out, err = cli(capsys, "packet", "verify", not_packet, "--json")
    assert (code, json.loads(out)["status"]) == (2, "khong_doc_duoc")
    assert "không phải gói" in one_vietnamese_line(err)


def test_cli_trust_folder_keys_init_show_export(capsys, monkeypatch, demo_path, demo_packet, tmp_path):
    monkeypatch.setenv("SCT_PASSPHRASE", NEW_PASSPHRASE)
    code, made, err = cli(capsys, "keys", "init", "--db", demo_path, "--unit", "03390", "--holder", "Nguyễn Văn A")
    assert (code, err) == (0, "") and "Xã Bình Lư" in made
    code, out, _ = cli(capsys, "keys", "show", "--db", demo_path, "--unit", "03390", "--json")
    shown = json.loads(out)
    assert code == 0 and len(shown) == 1
    assert (shown[0]["holder_name"], shown[0]["in_use"], shown[0]["unit_code"]) == ("Nguyễn Văn A", True, "03390")
    assert shown[0]["spoken"] in made
    trust = tmp_path / "tin-cay"
    trust.mkdir()
    code, out, _ = cli(capsys, "keys", "export", "--db", demo_path, "--unit", "03390", "--out", trust)
    (written,) = trust.glob("*.sctk")
    enrolment = read_enrolment(written)
    assert code == 0 and (enrolment.unit_code, enrolment.fingerprint) == ("03390", shown[0]["fingerprint"])
    shutil.copy(demo_packet.enrolment, trust / "muong-te.sctk")
    (trust / "doc-toi.txt").write_text("không phải tệp khóa", encoding="utf-8")
    code, out, _ = cli(capsys, "packet", "verify", demo_packet.path, "--trust", trust, "--json")
    assert (code, json.loads(out)["trusted_by"]["unit_code"]) == (0, "03445")

    code, out, err = cli(capsys, "keys", "init", "--db", demo_path, "--unit", "03390", "--holder", "Nguyễn Văn B")
    assert code == 2 and "đã có khóa ký" in one_vietnamese_line(err)
    monkeypatch.delenv("SCT_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, out, err = cli(capsys, "keys", "init", "--db", demo_path, "--unit", "03408", "--holder", "Nguyễn Văn C")
    assert (code, out) == (2, "") and "SCT_PASSPHRASE" in one_vietnamese_line(err)


# ---- "done when": a changed number, a changed byte, a zip tool ------------------------------------


@pytest.mark.slow
def test_done_when_a_changed_file_is_named_end_to_end(demo_path, demo_packet, tmp_path):
    made = run_main(*export_args(demo_path, tmp_path), SCT_PASSPHRASE=DEMO_PASSPHRASE)
    assert made.returncode == 0, made.stderr
    packet = tmp_path / "03445_kl224_2024_lan01.sctg"
    assert str(packet) in made.stdout
    trust = ["--trust", demo_packet.enrolment]
    assert run_main("packet", "verify", packet, *trust).returncode == 0

    original = entries_of(packet)
    text = original[DATA_JSON].decode("utf-8")
    number = re.search(r'"so_ho": (\d+)', text)
    edited = text[: number.start(1)] + str(int(number.group(1)) + 1) + text[number.end(1) :]
    xlsx = bytearray(original[FORM_XLSX])
    xlsx[len(xlsx) // 2] ^= 0x20
    cases = {
        DATA_JSON: {**original, DATA_JSON: edited.encode("utf-8")},
        FORM_XLSX: {**original, FORM_XLSX: bytes(xlsx)},
    }
    for name, entries in cases.items():
        altered = tmp_path / f"sua-{name}.sctg"
        rezip(altered, entries)
        checked = run_main("packet", "verify", altered, *trust)
        assert checked.returncode == 1, checked.stdout + checked.stderr
        assert name in checked.stdout and name in checked.stderr
        assert "Traceback" not in checked.stderr
        other = FORM_XLSX if name == DATA_JSON else DATA_JSON
        assert other not in checked.stdout

    rezipped = tmp_path / "nen-lai.sctg"
    rezip(rezipped, original)
    checked = run_main("packet", "verify", rezipped, *trust)
    assert checked.returncode == 1
    assert "vỏ zip" in checked.stdout and "công cụ khác" in checked.stdout
