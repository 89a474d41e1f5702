"""Sent down, signed: the province demo publishes its own version of a form
and collection notices (.sctp, signed with its real demo key); the commune
demo imports them, checked against the province's enrolled key. Real
databases, real files, real signatures; openssl checks one too."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import zipfile
from dataclasses import replace

import pytest

from exports.collect.trust import enrol
from exports.formbook.write import write_form_workbook
from exports.packets.container import PacketInvalid, PacketUnreadable
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.publications.format import MANIFEST, SIGNATURE, SUFFIX, read_publication
from exports.publications.publish import publish_collection, publish_form
from exports.publications.receive import PublicationRefused, import_publication
from exports.publications.todos import collection_todos
from forms.library import default_library
from models.errors import BadInput
from models.form_store import import_authored_form, library_of
from models.keys import DEMO_PASSPHRASE, create_unit_key, key_in_use

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def commune(commune_gw):
    return commune_gw


def own_version(province, number=3):
    """The province's own kl224: version 2 of the program's, numbered anew and kept as Tỉnh Lai Châu's."""
    form, _ = import_authored_form(province, replace(default_library().get("kl224", 2), version=number), "tinh")
    return form


def enrol_province(commune, province, tmp_path):
    """The commune trusts the province's key (read back over the phone)."""
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    return enrol(commune, read_enrolment(enrolment), who="xa")


def notice(province, folder, deadline, at=None, note="Nộp kèm biên bản họp chi bộ.", version=3):
    return publish_collection(
        province, "kl224", version, "2026", deadline, note, DEMO_PASSPHRASE, folder, "tinh", at=at
    )


def received(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT kind, status, form_version, deadline FROM received_publications").fetchall()


def collections_of(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT deadline, form_publisher, form_version FROM collections WHERE form_id = 'kl224' "
            "AND period_code = '2026'"
        ).fetchall()


# ---- the form ---------------------------------------------------------------------------------


def test_a_form_the_province_published_is_kept_at_the_commune_as_the_provinces(province, commune, tmp_path):
    own_version(province)
    published = publish_form(province, "kl224", None, DEMO_PASSPHRASE, tmp_path, "tinh")
    assert published.path.name == f"12_kl224_v3_bieu-mau{SUFFIX}"
    assert published.data["form"]["publisher"] == "12" and published.data["kind"] == "form"
    enrol_province(commune, province, tmp_path)

    got = import_publication(commune, published.path, "xa")
    assert got.status == "applied"
    assert got.sentence.startswith("Đã lưu biểu kl224 phiên bản 3 do Tỉnh Lai Châu ban hành")
    kept = library_of(commune).get("kl224", 3, "12")
    assert kept is not None and kept.publisher == "12"
    assert commune.forms.get("kl224", "12", 3).origin == "cap_tren_gui"

    again = import_publication(commune, published.path, "xa")
    assert again.status == "already" and "đã nhập từ trước" in again.sentence
    assert len(received(commune.path)) == 1


def test_only_a_version_this_unit_published_is_sent_down(province, tmp_path):
    with pytest.raises(BadInput, match="chưa ban hành biểu kl224 phiên bản 2"):
        publish_form(province, "kl224", 2, DEMO_PASSPHRASE, tmp_path)
    with pytest.raises(BadInput, match="Không có biểu khong-co"):
        publish_form(province, "khong-co", None, DEMO_PASSPHRASE, tmp_path)
    own_version(province)
    with pytest.raises(BadInput):  # a wrong passphrase: nothing written, nothing recorded
        publish_form(province, "kl224", 3, "sai-mat-khau-1", tmp_path)
    assert list(tmp_path.glob("*.sctp")) == [] and province.publications.issued() == []


# ---- the collection notice --------------------------------------------------------------------


def test_a_notice_opens_one_collection_at_the_province_and_a_later_one_extends_it(province, tmp_path):
    own_version(province)
    first = notice(province, tmp_path, dt.date(2027, 1, 15))
    assert first.path.name == f"12_kl224_v3_2026_thu-bieu{SUFFIX}"
    assert "Đã mở kỳ thu biểu kl224, năm 2026, hạn nộp 15/01/2027" in first.sentence
    assert collections_of(province.path) == [("2027-01-15", "12", 3)]

    later = notice(province, tmp_path / "gia-han.sctp", dt.date(2027, 1, 31))
    assert "Đã gia hạn thu biểu kl224, năm 2026: từ 15/01/2027 đến 31/01/2027." in later.sentence
    assert collections_of(province.path) == [("2027-01-31", "12", 3)]  # one record, not two
    earlier = notice(province, tmp_path / "rut-ngan.sctp", dt.date(2027, 1, 20))
    assert "Đã rút ngắn hạn thu biểu kl224, năm 2026: từ 31/01/2027 về 20/01/2027." in earlier.sentence
    assert collections_of(province.path) == [("2027-01-20", "12", 3)]
    issued = [p["deadline"] for p in province.publications.issued()]
    assert issued == ["2027-01-15", "2027-01-31", "2027-01-20"]


def test_a_notice_is_a_to_do_at_the_commune_with_its_days_left(province, commune, tmp_path):
    own_version(province)
    enrol_province(commune, province, tmp_path)
    got = import_publication(commune, notice(province, tmp_path, dt.date(2027, 1, 15)).path, "xa")
    assert got.status == "applied" and got.sentence.startswith("Đã nhận thông báo của Tỉnh Lai Châu")

    (todo,) = collection_todos(commune, TODAY)
    assert todo.text.startswith(
        "Tỉnh Lai Châu yêu cầu nộp biểu kl224 (phiên bản 3) kỳ Năm 2026 trước ngày 15/01/2027 — còn 40 ngày"
    )
    assert "máy này chưa có biểu kl224 phiên bản 3" in todo.text  # the form itself was not sent yet
    assert todo.text.endswith("Lời dặn: Nộp kèm biên bản họp chi bộ.")
    assert "quá hạn 2 ngày" in collection_todos(commune, dt.date(2027, 1, 17))[0].text
    assert "hôm nay là hạn cuối" in collection_todos(commune, dt.date(2027, 1, 15))[0].text
    assert todo.to_dict()["days_left"] == 40 and todo.to_dict()["deadline"] == "2027-01-15"

    import_publication(commune, publish_form(province, "kl224", 3, DEMO_PASSPHRASE, tmp_path).path, "xa")
    assert "chưa có biểu" not in collection_todos(commune, TODAY)[0].text


def test_a_newer_notice_extends_an_older_one_is_refused_and_changes_nothing(province, commune, tmp_path):
    own_version(province)
    enrol_province(commune, province, tmp_path)
    at = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    first = notice(province, tmp_path / "a.sctp", dt.date(2027, 1, 15), at=at)
    second = notice(province, tmp_path / "b.sctp", dt.date(2027, 1, 31), at=at + dt.timedelta(days=2))

    import_publication(commune, first.path, "xa")
    extended = import_publication(commune, second.path, "xa")
    assert "Tỉnh Lai Châu gia hạn nộp biểu kl224 kỳ Năm 2026: từ 15/01/2027 đến 31/01/2027" in extended.sentence
    assert [t.deadline for t in collection_todos(commune, TODAY)] == [dt.date(2027, 1, 31)]

    # Signed before the extension, brought after it: refused, the deadline stays.
    stale = notice(province, tmp_path / "c.sctp", dt.date(2027, 1, 20), at=at + dt.timedelta(days=1))
    with pytest.raises(PublicationRefused, match="cũ hơn thông báo đã nhập"):
        import_publication(commune, stale.path, "xa")
    assert [t.deadline for t in collection_todos(commune, TODAY)] == [dt.date(2027, 1, 31)]
    assert len(received(commune.path)) == 2


# ---- trust ------------------------------------------------------------------------------------


def test_before_the_province_key_is_enrolled_a_publication_is_held_then_applied_at_enrolment(
    province, commune, tmp_path
):
    own_version(province)
    form = publish_form(province, "kl224", 3, DEMO_PASSPHRASE, tmp_path)
    told = notice(province, tmp_path, dt.date(2027, 1, 15))
    for published in (form, told):
        got = import_publication(commune, published.path, "xa")
        assert got.status == "held" and got.held
        assert "Chưa đối chiếu được khóa của cấp trên" in got.sentence and "Đã giữ lại" in got.sentence
    assert collection_todos(commune, TODAY) == [] and library_of(commune).get("kl224", 3, "12") is None
    assert "đang giữ lại" in import_publication(commune, told.path, "xa").sentence

    enrolled = enrol_province(commune, province, tmp_path)
    assert len(enrolled.publications) == 2
    assert "Đã lưu biểu kl224 phiên bản 3" in enrolled.sentence()
    assert library_of(commune).get("kl224", 3, "12") is not None
    (todo,) = collection_todos(commune, TODAY)
    assert "còn 40 ngày" in todo.text and "chưa có biểu" not in todo.text
    assert {status for _, status, _, _ in received(commune.path)} == {"applied"}


def test_once_a_key_is_enrolled_a_file_signed_by_another_is_refused(province, commune, tmp_path):
    own_version(province)
    enrol_province(commune, province, tmp_path)
    create_unit_key(province, "12", DEMO_PASSPHRASE, "Người khác", replace=True)
    forged = publish_form(province, "kl224", 3, DEMO_PASSPHRASE, tmp_path)
    with pytest.raises(PacketInvalid, match="không phải khóa đã đăng ký của Tỉnh Lai Châu"):
        import_publication(commune, forged.path, "xa")
    assert received(commune.path) == [] and library_of(commune).get("kl224", 3, "12") is None


def test_a_publication_from_a_unit_not_directly_above_is_refused(commune, tmp_path):
    # The commune demo publishes a version of its own: itself is not the unit above it.
    import_authored_form(commune, replace(default_library().get("kl224", 2), version=3), "xa")
    own = publish_form(commune, "kl224", 3, DEMO_PASSPHRASE, tmp_path)
    refused = r"do Xã Mường Tè \(03445\) ký, không phải cấp trên trực tiếp của Xã Mường Tè \(cấp trên trực tiếp là Tỉnh"
    with pytest.raises(PacketInvalid, match=refused):
        import_publication(commune, own.path, "xa")
    assert received(commune.path) == []


# ---- damaged and foreign files ----------------------------------------------------------------


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_a_changed_byte_anywhere_is_refused_and_nothing_is_kept(province, commune, tmp_path, where):
    own_version(province)
    enrol_province(commune, province, tmp_path)
    path = publish_form(province, "kl224", 3, DEMO_PASSPHRASE, tmp_path).path
    raw = bytearray(path.read_bytes())
    raw[int(len(raw) * where)] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(PacketInvalid):
        import_publication(commune, path, "xa")
    assert received(commune.path) == [] and commune.forms.all() == []


def test_a_truncated_file_or_another_file_is_said_in_vietnamese(province, commune, tmp_path):
    own_version(province)
    path = notice(province, tmp_path, dt.date(2027, 1, 15)).path
    cut = tmp_path / "cut.sctp"
    cut.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(PacketInvalid, match="bị hỏng hoặc bị cắt cụt"):
        import_publication(commune, cut, "xa")
    junk = tmp_path / "thong-bao.sctp"
    junk.write_text("không phải tệp phát hành", encoding="utf-8")
    with pytest.raises(PacketUnreadable, match="không phải tệp phát hành của Sổ Chỉ Tiêu"):
        import_publication(commune, junk, "xa")
    workbook = tmp_path / "kl224.xlsx"  # a zip too, of more entries than a publication may hold
    write_form_workbook(default_library().get("kl224", 2), workbook)
    with pytest.raises(PacketUnreadable, match="“kl224.xlsx” không phải tệp phát hành"):
        import_publication(commune, workbook, "xa")
    with pytest.raises(PacketUnreadable, match="Không tìm thấy tệp"):
        import_publication(commune, tmp_path / "khong-co.sctp", "xa")
    assert received(commune.path) == []


def _openssl_3() -> bool:
    if not shutil.which("openssl"):
        return False
    return subprocess.run(["openssl", "version"], capture_output=True, text=True).stdout.startswith("OpenSSL 3")


@pytest.mark.skipif(not _openssl_3(), reason="OpenSSL 3 is not on this machine")
def test_openssl_verifies_the_signature_and_sees_a_changed_byte(province, tmp_path):
    own_version(province)
    path = notice(province, tmp_path, dt.date(2027, 1, 15)).path
    out = tmp_path / "mo"
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == [MANIFEST, SIGNATURE, "signer.pub.pem"]
        archive.extractall(out)
    command = f"openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in {MANIFEST} -sigfile {SIGNATURE}"
    good = subprocess.run(command.split(), cwd=out, capture_output=True, text=True)
    assert good.returncode == 0 and "Signature Verified Successfully" in good.stdout, good.stderr
    manifest = bytearray((out / MANIFEST).read_bytes())
    manifest[len(manifest) // 2] ^= 0x01
    (out / MANIFEST).write_bytes(bytes(manifest))
    bad = subprocess.run(command.split(), cwd=out, capture_output=True, text=True)
    assert bad.returncode != 0 and "Signature Verified Successfully" not in bad.stdout
    assert read_publication(path).data["collection"]["deadline"] == "2027-01-15"


def test_notices_held_are_applied_oldest_first_so_the_latest_deadline_stands(province, commune, tmp_path):
    own_version(province)
    at = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    first = notice(province, tmp_path / "a.sctp", dt.date(2027, 1, 15), at=at)
    second = notice(province, tmp_path / "b.sctp", dt.date(2027, 1, 31), at=at + dt.timedelta(days=2))
    for published in (second, first):  # brought in the wrong order, before the key
        assert import_publication(commune, published.path, "xa").status == "held"
    enrolled = enrol_province(commune, province, tmp_path)
    assert "gia hạn nộp biểu kl224 kỳ Năm 2026: từ 15/01/2027 đến 31/01/2027" in enrolled.publications[1]
    assert [t.deadline for t in collection_todos(commune, TODAY)] == [dt.date(2027, 1, 31)]


def test_a_held_publication_signed_by_another_key_stays_held_when_the_key_is_enrolled(province, commune, tmp_path):
    own_version(province)
    told = notice(province, tmp_path / "cu.sctp", dt.date(2027, 1, 15))
    create_unit_key(province, "12", DEMO_PASSPHRASE, "Người khác", replace=True)
    assert import_publication(commune, told.path, "xa").status == "held"
    assert enrol_province(commune, province, tmp_path).publications == ()  # the new key did not sign it
    assert received(commune.path)[0][1] == "held" and collection_todos(commune, TODAY) == []


# ---- signed, yet out of bounds ----------------------------------------------------------------


def _signed(province, folder, change) -> object:
    """A notice signed with the province's real key after ``change`` edited its manifest."""
    from exports.publications.format import publication_data, signed_publication
    from models.keys import unlock_key

    key = key_in_use(province, "12")
    body = {
        "collection": {
            "form_id": "kl224",
            "publisher": "",
            "version": 2,
            "period_code": "2026",
            "deadline": "2027-01-15",
            "note": "",
        }
    }
    data = publication_data("collection", province.require_unit("12"), key, dt.datetime.now(dt.UTC), body)
    change(data)
    path = folder / "ky-sai.sctp"
    path.write_bytes(signed_publication(data, key, unlock_key(province, key, DEMO_PASSPHRASE)))
    return path


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["collection"].update(deadline="2027-02-30"),
        lambda d: d["collection"].update(deadline="3027-01-15"),
        lambda d: d["collection"].update(period_code="2026-13"),
        lambda d: d["collection"].update(version=0),
        lambda d: d["collection"].update(version=True),
        lambda d: d["collection"].update(form_id="../kl224"),
        lambda d: d["collection"].update(note="dòng\ngiữa"),
        lambda d: d["collection"].update(note="x" * 1001),
        lambda d: d["collection"].update(extra=1),
        lambda d: d["issuer"].update(name=""),
        lambda d: d.update(issued_at="2026-12-06T10:00:00"),  # no offset
        lambda d: d.update(form={"id": "kl224"}),
        lambda d: d["collection"].pop("deadline"),
    ],
)
def test_a_signed_notice_with_a_field_out_of_bounds_is_refused(province, commune, tmp_path, change):
    enrol_province(commune, province, tmp_path)
    with pytest.raises(PacketInvalid, match="có nội dung không hợp lệ"):
        import_publication(commune, _signed(province, tmp_path, change), "xa")
    assert received(commune.path) == []


def test_a_kind_this_program_does_not_know_asks_for_an_update(province, commune, tmp_path):
    path = _signed(province, tmp_path, lambda d: d.update(kind="budget"))
    with pytest.raises(PacketUnreadable, match="định dạng mới hơn"):
        import_publication(commune, path, "xa")


def test_a_form_whose_hash_or_content_is_wrong_is_refused(province, commune, tmp_path):
    from forms.definition_data import data_sha256, form_data

    enrol_province(commune, province, tmp_path)
    data = form_data(own_version(province))

    def carry(form, sha=None):
        return lambda d: (d.pop("collection"), d.update(kind="form", form=form, form_sha256=sha or data_sha256(form)))

    with pytest.raises(PacketInvalid, match="mã kiểm tra của biểu mẫu không khớp"):
        import_publication(commune, _signed(province, tmp_path, carry(data, "0" * 64)), "xa")
    with pytest.raises(PacketInvalid, match="không ghi đơn vị ban hành là đơn vị đã ký"):
        import_publication(commune, _signed(province, tmp_path, carry({**data, "publisher": "01"})), "xa")
    broken = {**data, "indicators": [{**data["indicators"][0], "kind": "khong-co"}, *data["indicators"][1:]]}
    with pytest.raises(PacketInvalid, match="Biểu mẫu trong tệp .* không hợp lệ"):
        import_publication(commune, _signed(province, tmp_path, carry(broken)), "xa")
    assert received(commune.path) == [] and commune.forms.all() == []
