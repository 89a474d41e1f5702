"""A target set sent down, signed: the province demo sets its own targets for kl224
(models/target_store.py) and publishes the set with every version (.sctp, signed with
its real demo key); the commune demo imports it against the province's enrolled key,
keeps it as the province's and offers it among kl224's target sets. Real databases,
real files, real signatures."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zipfile

import pytest

from exports.packets.container import PacketInvalid
from exports.packets.format import json_bytes
from exports.publications.format import MANIFEST, SUFFIX, read_publication, shape_problem, signed_publication
from exports.publications.publish import publish_target_set
from exports.publications.receive import PublicationRefused, import_publication
from models.errors import BadInput
from models.form_store import library_of
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, key_in_use, unlock_key
from models.reporting import find_report_view
from models.target_store import parse_targets, save_target_set
from tests.test_publications import enrol_province

D = dt.date
JANUARY_2024 = D(2024, 1, 1)
SET = "tinh-2026"
NAME = "Kế hoạch 2026 của Tỉnh ủy"


@pytest.fixture
def commune(commune_gw):
    return commune_gw


def set_targets(province, *targets, starts=JANUARY_2024, set_id=SET):
    form = library_of(province).get("kl224")
    stored, _ = save_target_set(
        province,
        form,
        set_id,
        NAME,
        "Kế hoạch số 67-KH/ThU",
        D(2024, 1, 5),
        starts,
        parse_targets(list(targets)),
        "tinh",
    )
    return stored


def publish(province, folder, at=None, set_id=SET):
    return publish_target_set(province, "kl224", set_id, DEMO_PASSPHRASE, folder, "tinh", at=at)


def kept(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT owner, set_id, version, starts, targets FROM target_sets ORDER BY owner, version"
        ).fetchall()


def statuses(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT kind, status FROM received_publications").fetchall()


# ---- publish and receive ----------------------------------------------------------------------


def test_the_provinces_set_is_kept_at_the_commune_and_offered_among_its_targets(province, commune, tmp_path):
    set_targets(province, "2.3>=90%", "1.1>=120")
    set_targets(province, "2.3>=95%", "1.1>=150", starts=D(2026, 1, 1))
    published = publish(province, tmp_path)
    assert published.path.name == f"12_kl224_{SET}_v2_muc-tieu{SUFFIX}"
    body = published.data["target_set"]
    assert published.data["kind"] == "target_set" and body["owner"] == "12" and body["tier"] == "tinh"
    assert [(v["version"], v["from"], v["source_number"]) for v in body["versions"]] == [
        (1, "2024-01-01", "Kế hoạch số 67-KH/ThU"),
        (2, "2026-01-01", "Kế hoạch số 67-KH/ThU"),
    ]
    assert body["versions"][1]["targets"] == [
        {"indicator": "ban_co_nvh", "op": ">=", "percent": "95"},
        {"indicator": "cb_boi_duong", "op": ">=", "count": 150},
    ]
    assert "Đã ký và lưu bộ mục tiêu tinh-2026 của biểu kl224" in published.sentence
    assert province.publications.issued()[-1]["kind"] == "target_set"
    enrol_province(commune, province, tmp_path)

    got = import_publication(commune, published.path, "xa")
    assert got.status == "applied"
    assert got.sentence.startswith(
        f"Đã lưu bộ mục tiêu “{NAME}” ({SET}) của biểu kl224 do Tỉnh Lai Châu đặt, Kế hoạch số 67-KH/ThU ngày "
        "05/01/2024: phiên bản 1, 2 (2 mục tiêu, phiên bản 2 áp dụng từ ngày 01/01/2026)"
    )
    assert [row[:3] for row in kept(commune.path)] == [("12", SET, 1), ("12", SET, 2)]
    offered = library_of(commune).get("kl224").target_set(SET)
    assert offered.owner == "12" and offered.name == NAME and len(offered.earlier) == 1
    # The report of 2024 is compared with version 1 (in force then), 2026's would be with version 2.
    view = find_report_view(commune, "03445", "kl224", "2024", SET)
    assert view is not None
    compared = {r.indicator: (r.version, r.percent, r.count) for r in view.evaluation.targets}
    assert compared == {"ban_co_nvh": (1, 90, None), "cb_boi_duong": (1, None, 120)}
    # 16 of the 18 villages fall short of 90%; a count of the province's (its total over its communes) does
    # not apply to one commune.
    assert [(r.status, r.achieved) for r in view.evaluation.targets] == [
        ("chua_dat", pytest.approx(16 * 100 / 18)),
        ("khong_ap_dung", None),
    ]

    again = import_publication(commune, published.path, "xa")
    assert again.status == "already" and "đã nhập từ trước" in again.sentence
    assert statuses(commune.path) == [("target_set", "applied")]


def test_held_until_the_provinces_key_is_enrolled_then_applied(province, commune, tmp_path):
    set_targets(province, "2.3>=90%")
    published = publish(province, tmp_path)
    got = import_publication(commune, published.path, "xa")
    assert got.status == "held" and "chưa đăng ký khóa của Tỉnh Lai Châu" in got.headline
    assert kept(commune.path) == [] and library_of(commune).get("kl224").target_set(SET) is None
    said = enrol_province(commune, province, tmp_path)
    assert len(said.publications) == 1 and said.publications[0].startswith(f"Đã lưu bộ mục tiêu “{NAME}”")
    assert [row[:3] for row in kept(commune.path)] == [("12", SET, 1)]
    assert statuses(commune.path) == [("target_set", "applied")]


def test_publishing_only_a_set_of_this_unit(province, tmp_path):
    with pytest.raises(BadInput, match="chưa đặt bộ mục tiêu “khong-co” cho biểu kl224"):
        publish(province, tmp_path, set_id="khong-co")
    with pytest.raises(BadInput, match="không do Tỉnh Lai Châu đặt"):  # a set shipped in the form's file
        publish(province, tmp_path, set_id="muong-te-2025")
    set_targets(province, "2.3>=90%")
    with pytest.raises(BadInput):  # a wrong passphrase: nothing written, nothing recorded
        publish_target_set(province, "kl224", SET, "sai-mat-khau-1", tmp_path)
    assert list(tmp_path.glob("*.sctp")) == [] and province.publications.issued() == []


def test_an_altered_byte_is_refused_and_nothing_kept(province, commune, tmp_path):
    set_targets(province, "2.3>=90%")
    published = publish(province, tmp_path)
    enrol_province(commune, province, tmp_path)
    raw = bytearray(published.path.read_bytes())
    at = raw.index(b"ban_co_nvh")
    raw[at : at + 10] = b"ban_co_nvx"
    altered = tmp_path / "sua.sctp"
    altered.write_bytes(bytes(raw))
    with pytest.raises(PacketInvalid):
        import_publication(commune, altered, "xa")
    assert kept(commune.path) == [] and statuses(commune.path) == []


def test_an_older_publication_of_the_set_changes_nothing(province, commune, tmp_path):
    set_targets(province, "2.3>=90%")
    first = publish(province, tmp_path / "1", at=dt.datetime(2026, 1, 10, 8, tzinfo=dt.UTC))
    set_targets(province, "2.3>=95%", starts=D(2026, 1, 1))
    second = publish(province, tmp_path / "2", at=dt.datetime(2026, 2, 10, 8, tzinfo=dt.UTC))
    enrol_province(commune, province, tmp_path)
    assert import_publication(commune, second.path, "xa").status == "applied"
    with pytest.raises(PublicationRefused, match="bản cũ của bộ mục tiêu tinh-2026 .*giữ bộ mục tiêu đã có"):
        import_publication(commune, first.path, "xa")
    assert [row[2] for row in kept(commune.path)] == [1, 2]
    assert statuses(commune.path) == [("target_set", "applied")]


def test_a_commune_set_of_the_same_id_is_said_and_nothing_kept(province, commune, tmp_path):
    set_targets(province, "2.3>=90%")
    published = publish(province, tmp_path)
    set_targets(commune, "2.3>=80%")  # the commune's own set, by chance the same id
    enrol_province(commune, province, tmp_path)
    with pytest.raises(PublicationRefused, match="đơn vị đã tự đặt một bộ mục tiêu mang mã “tinh-2026”"):
        import_publication(commune, published.path, "xa")
    assert [row[0] for row in kept(commune.path)] == ["03445"] and statuses(commune.path) == []


# ---- the manifest's bounds ---------------------------------------------------------------------


def _resigned(province, published, change, folder):
    """The publication's manifest changed by ``change`` and signed again with the province's own key: a
    signed mistake, which reading refuses all the same."""
    data = json.loads(zipfile.ZipFile(published.path).read(MANIFEST))
    change(data["target_set"])
    key = key_in_use(province, "12")
    path = folder / f"sai{SUFFIX}"
    path.write_bytes(signed_publication(data, key, unlock_key(province, key, DEMO_PASSPHRASE)))
    return path


def _version(body):
    return body["versions"][0]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda b: b.update(owner="11"), "không ghi đơn vị đặt là đơn vị đã ký"),
        (lambda b: b.update(extra=1), "bộ mục tiêu thiếu hoặc thừa mục"),
        (lambda b: b.update(id="Tinh 2026"), "sai mã biểu, mã bộ mục tiêu hoặc cấp"),
        (lambda b: b.update(tier="vua"), "sai mã biểu, mã bộ mục tiêu hoặc cấp"),
        (lambda b: b.update(versions=[]), "từ 1 đến 100 phiên bản"),
        (lambda b: _version(b).update(version=2), "đánh số liền nhau từ 1"),
        (lambda b: _version(b).update(version=True), "đánh số liền nhau từ 1"),
        (lambda b: _version(b).update(name="x" * 201), "tên hoặc số văn bản"),
        (lambda b: _version(b).update(source_number=""), "tên hoặc số văn bản"),
        (lambda b: _version(b).update(source_date="05/01/2024"), "sai ngày văn bản"),
        (lambda b: _version(b).update(targets=[]), "từ 1 đến 500 mục tiêu"),
        (lambda b: _version(b)["targets"][0].update(op="!="), "phép so sánh không hợp lệ"),
        (lambda b: _version(b)["targets"][0].update(percent="100.5"), "tỷ lệ phải là số từ 0 đến 100"),
        (lambda b: _version(b)["targets"][0].update(percent=90), "tỷ lệ phải là số từ 0 đến 100"),
        (lambda b: _version(b)["targets"][0].update(count=5), "đúng một trong tỷ lệ hoặc số lượng"),
        (lambda b: _version(b)["targets"].append({"indicator": "cb_boi_duong", "op": ">=", "count": -1}), "nguyên"),
        (lambda b: _version(b)["targets"].append({"indicator": "cb_boi_duong", "op": ">=", "count": 1.5}), "nguyên"),
        (lambda b: _version(b)["targets"].append(dict(_version(b)["targets"][0])), "có hai mục tiêu"),
        (lambda b: b["versions"].append({**_version(b), "version": 2}), "phải sau ngày áp dụng"),
    ],
)
def test_a_signed_manifest_out_of_bounds_is_refused(province, commune, tmp_path, change, said):
    set_targets(province, "2.3>=90%")
    published = publish(province, tmp_path)
    enrol_province(commune, province, tmp_path)
    path = _resigned(province, published, change, tmp_path)
    with pytest.raises(PacketInvalid, match=said):
        import_publication(commune, path, "xa")
    assert kept(commune.path) == [] and statuses(commune.path) == []


def test_the_published_manifest_is_within_bounds(province, tmp_path):
    set_targets(province, "2.3>=90%", "1.1>=120")
    published = publish(province, tmp_path)
    assert shape_problem(published.data) is None
    assert read_publication(published.path).words() == (
        f"bộ mục tiêu “{NAME}” ({SET}, phiên bản 1) của biểu kl224 do Tỉnh Lai Châu đặt"
    )
    assert json_bytes(published.data) == zipfile.ZipFile(published.path).read(MANIFEST)


# ---- on the command line -----------------------------------------------------------------------


def test_targets_publish_and_publication_import_on_the_command_line(
    qapp, upper_path, demo_path, tmp_path, capsys, monkeypatch
):
    import main

    monkeypatch.delenv("SCT_DEBUG", raising=False)
    monkeypatch.setenv("SCT_PASSPHRASE", DEMO_PASSPHRASE)

    def cli(*args):
        code = main.main([str(a) for a in args])
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    code, _, err = cli(
        "targets", "set", "--db", upper_path, "--form", "kl224", "--set", SET, "--name", NAME,
        "--source", "Kế hoạch số 67-KH/ThU", "--source-date", "05/01/2024", "--from", "01/01/2024",
        "--target", "2.3>=90%",
    )  # fmt: skip
    assert code == 0, err
    code, said, err = cli(
        "targets", "publish", "--db", upper_path, "--form", "kl224", "--set", "khong-co", "--out", tmp_path
    )
    assert code == 2 and said == "" and err.strip() == "Tỉnh Lai Châu chưa đặt bộ mục tiêu “khong-co” cho biểu kl224."
    code, said, err = cli(
        "targets", "publish", "--db", upper_path, "--form", "kl224", "--set", SET, "--out", tmp_path, "--json"
    )
    assert code == 0, err
    published = json.loads(said)
    assert published["publication"]["kind"] == "target_set"

    province, commune = Gateway.open(upper_path), Gateway.open(demo_path)
    enrol_province(commune, province, tmp_path)
    province.close()
    commune.close()
    code, said, err = cli("publication", "import", "--db", demo_path, published["file"], "--json")
    assert code == 0, err
    got = json.loads(said)
    assert got["status"] == "applied" and got["kind"] == "target_set" and got["target_set"]["id"] == SET
    assert got["form"] == {"id": "kl224", "publisher": "", "version": 0}
    code, said, err = cli(
        "show", "--db", demo_path, "--unit", "03445", "--form", "kl224", "--period", "2024", "--targets", SET, "--json"
    )
    assert code == 0, err
    shown = json.loads(said)
    assert shown["target_set"]["id"] == SET
    assert [(t["indicator"], t["status"]) for t in shown["targets"]] == [("ban_co_nvh", "chua_dat")]  # 16 of 18
