"""The upper level believes nothing it can check again (issue 15): packets
signed with a commune's own (or stolen) key that carry figures breaking the
form's rules, invented villages, impossible dates or sequences, or a retired
key, each end with the outcome the issue's table asks for, through the
library and the command line.

Packets with wrong figures are made the way a careless or dishonest commune
would: the figures typed into a real commune database and signed there, so
the printable bieu.xlsx inside agrees with so-lieu.json; only the cases
about the JSON itself edit the file and sign it again.

Why it is long: one case per row of the issue's table, sharing the commune and province they run on.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packet_forge import UNIT, VILLAGE, Commune, forged, now
from testkit import copy_database, run_main

from exports.collect.completeness import completeness
from exports.collect.decisions import decide, void
from exports.collect.figures import packet_values
from exports.collect.inbox import import_packets
from exports.collect.merge import merged_table
from exports.collect.trust import enrol
from exports.packets.container import PacketInvalid
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.format import DATA_JSON
from exports.packets.write import signing_blockers
from forms.library import FormLibrary, default_library
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key, key_in_use

WHO = "kiem-thu"
NEW_PASSPHRASE = "mật khẩu khóa mới của xã"


def file_in(gw: Gateway, path: Path, library: FormLibrary | None = None):
    """The one packet at ``path`` filed (a folder: the whole run)."""
    run = import_packets(gw, [path], library or default_library(), WHO)
    return run if path.is_dir() else run.filed[0]


def status_of(gw: Gateway, packet_id: int) -> str:
    return gw.inbox.get(packet_id)["status"]


def merged_units(gw: Gateway) -> list[str]:
    return [r.unit.code for r in merged_table(gw, "12", "kl224", "2024").received]


# ---- rule-breaking figures: filed as flawed, never summed -------------------------------------------------


def test_part_above_whole_is_filed_flawed_and_left_out_of_the_merge(commune, province):
    commune.type(("ho_van_hoa", VILLAGE, commune.value("so_ho", VILLAGE) + 5000))
    filed = file_in(province, commune.sign(1))
    assert filed.outcome == "flawed" and "chưa cộng vào tổng hợp" in filed.message
    assert UNIT not in merged_units(province)
    table = merged_table(province, "12", "kl224", "2024")
    assert table.left_out == {UNIT: "flawed"}
    assert table.left_out_sentence() == "Chưa cộng 1 đơn vị đã gửi gói: Xã Mường Tè (số liệu có lỗi, chưa cộng)."
    state = completeness(province, "12", "2024", default_library()).states[UNIT, "kl224"]
    assert state.state == "co_loi" and state.errors >= 1


@pytest.mark.parametrize(
    "cells",
    [
        [("ban_nvh_dat_chuan", VILLAGE, 1), ("ban_co_nvh", VILLAGE, 0)],  # "trong đó" above its parent
        [("can_bo_lanh_dao", UNIT, 500), ("can_bo_dang_vien", UNIT, 20)],  # leaders above all staff
        [("ho_duoc_tuyen_truyen", UNIT, 999_999)],  # a share of the villages' households, far above them
        [("so_ho", UNIT, 999_999)],  # a typed commune total against its villages' sum
    ],
    ids=["of-which-above-parent", "leaders-above-staff", "share-above-total", "typed-total-not-the-sum"],
)
def test_every_kind_of_rule_error_is_flawed(commune, province, cells):
    commune.type(*cells)
    assert signing_blockers(commune.view())  # the commune's own program would not sign this
    assert file_in(province, commune.sign(1)).outcome == "flawed"
    assert merged_units(province) == []


def test_a_flawed_packet_is_counted_only_by_decision_and_a_corrected_one_replaces_it(commune, province):
    good = commune.value("so_ho", VILLAGE)
    commune.type(("ho_van_hoa", VILLAGE, good + 5000))
    flawed = file_in(province, commune.sign(1))
    with pytest.raises(BadInput, match="lý do"):
        decide(province, flawed.packet_id, " ", WHO, default_library())
    said = decide(province, flawed.packet_id, "Đã gọi điện, xã xác nhận số đúng", WHO, default_library())
    assert "dù có lỗi" in said and status_of(province, flawed.packet_id) == "accepted"
    assert UNIT in merged_units(province)
    commune.type(("ho_van_hoa", VILLAGE, good))
    corrected = file_in(province, commune.sign(2))
    assert corrected.outcome == "accepted" and status_of(province, flawed.packet_id) == "superseded"


def test_a_return_of_a_flawed_packet_lists_its_errors_as_the_cells_to_correct(commune, province, tmp_path):
    from exports.collect.receipts import issue_receipt, return_queries

    commune.type(("ho_van_hoa", VILLAGE, commune.value("so_ho", VILLAGE) + 5000))
    filed = file_in(province, commune.sign(1))
    queries = return_queries(province, filed.packet_id)
    assert [(q.indicator, q.unit_code) for q in queries] == [("ho_van_hoa", VILLAGE)]
    issued = issue_receipt(
        province,
        filed.packet_id,
        "tra_lai",
        DEMO_PASSPHRASE,
        tmp_path,
        default_library(),
        WHO,
        note="Số liệu có lỗi",
        queries=queries,
    )
    assert issued.receipt["cells"][0]["unit_code"] == VILLAGE and status_of(province, filed.packet_id) == "returned"


def test_a_manifest_summary_that_disagrees_is_shown_and_the_provinces_count_stands(commune, province):
    path = forged(commune.sign(1), manifest=lambda m: m["summary"].update(errors=1))
    filed = file_in(province, path)
    assert filed.outcome == "accepted" and "Bản kê của gói ghi 1 lỗi" in filed.message
    assert "kiểm tra lại ở đây thấy 0 lỗi" in filed.message
    state = completeness(province, "12", "2024", default_library()).states[UNIT, "kl224"]
    assert state.errors == 0


def test_findings_and_the_communes_reasons_are_kept_with_the_packet(commune, province):
    filed = file_in(province, commune.sign(1))
    findings = json.loads(province.inbox.get(filed.packet_id)["findings"])
    assert all(f["severity"] == "warning" for f in findings)
    assert province.inbox.get(filed.packet_id)["error_count"] == 0


# ---- villages: the commune's own, the same as last time ----------------------------------------------------


def test_the_first_packet_sets_the_villages_and_a_new_one_is_held_until_confirmed(commune, province):
    first = file_in(province, commune.sign(1))
    assert first.outcome == "accepted" and "lấy theo gói đầu tiên" in first.message
    commune.gw.add_unit(f"{UNIT}.99", "Bản Mới Lập", "bản", UNIT, who="xa")
    second = file_in(province, commune.sign(2))
    assert second.outcome == "held" and "Bản Mới Lập (03445.99)" in second.message
    assert status_of(province, first.packet_id) == "accepted"  # the held one displaces nothing
    said = decide(province, second.packet_id, "Xã lập bản mới theo Nghị quyết", WHO, default_library())
    assert "đã nhận" in said and status_of(province, second.packet_id) == "accepted"
    assert status_of(province, first.packet_id) == "superseded"


def test_a_vanished_village_holds_the_packet(commune, province, demo_template, tmp_path):
    commune.gw.add_unit(f"{UNIT}.50", "Bản Sắp Nhập", "bản", UNIT, who="xa")
    file_in(province, commune.sign(1))
    reinstalled = Commune(demo_template, tmp_path / "cai-lai")  # the same commune and key, without that village
    try:
        second = file_in(province, reinstalled.sign(2))
    finally:
        reinstalled.close()
    assert second.outcome == "held" and "không còn Bản Sắp Nhập (03445.50)" in second.message


def test_a_village_retired_at_the_commune_is_noted_not_held(commune, province):
    commune.gw.add_unit(f"{UNIT}.50", "Bản Sắp Nhập", "bản", UNIT, who="xa")
    commune.type(("so_ho", f"{UNIT}.50", 40))
    file_in(province, commune.sign(1))
    commune.gw.retire_unit(f"{UNIT}.50", "xa", merged_into=VILLAGE)  # keeps its figures: still listed
    second = file_in(province, commune.sign(2))
    assert second.outcome == "accepted" and "Bản Sắp Nhập (03445.50) thôi hoạt động" in second.message


def test_more_than_300_villages_hold_the_packet(commune, province):
    file_in(province, commune.sign(1))
    commune.gw.add_villages(UNIT, [f"Bản Thử {n}" for n in range(300)], "bản", "xa")
    filed = file_in(province, commune.sign(2))
    assert filed.outcome == "held" and "quá 300" in filed.message


@pytest.mark.parametrize("code", ["03408.77", "03445.1099", "03445.5", "03445.x1", "034450.01", "0344.01"])
def test_a_village_not_the_communes_own_is_refused(commune, province, code):
    commune.gw.add_unit(code, "Bản Lạ", "bản", UNIT, who="xa")
    filed = file_in(province, commune.sign(1))
    assert filed.outcome == "rejected" and code in filed.message


# ---- the JSON itself ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda t: t.replace('"values": {', '"values": {"commune": {}, "villages": {}}, "values": {', 1), "hai lần"),
        (lambda t: t.replace('"so_ho": ', '"so_ho": NaN, "x": ', 1), "NaN"),
        (lambda t: t.replace('"so_ho": ', '"so_ho": Infinity, "x": ', 1), "Infinity"),
        (lambda t: t.replace('"so_ho": ', '"so_ho": 1e999, "x": ', 1), "quá lớn"),
        (lambda t: t.replace('"so_ho": ', f'"so_ho": {2**70}, "x": ', 1), "chữ số"),
    ],
    ids=["duplicate-key", "nan", "infinity", "overflow", "huge-integer"],
)
def test_json_no_program_writes_is_refused_with_the_key(commune, province, edit, words):
    filed = file_in(province, forged(commune.sign(1), data_text=edit))
    assert filed.outcome == "rejected" and words in filed.message and DATA_JSON in filed.message


@pytest.mark.parametrize(("value", "words"), [(1.5, "số nguyên"), (1_000_000_000, "vượt mức tối đa")])
def test_a_figure_the_form_does_not_allow_is_refused_naming_the_cell(commune, province, value, words):
    path = commune.sign(1)
    data = json.loads(zipfile.ZipFile(path).read(DATA_JSON))
    data["values"]["villages"][VILLAGE]["so_ho"] = value
    with pytest.raises(PacketInvalid, match=words) as refused:
        packet_values(data, default_library().get("kl224"), UNIT)
    assert f"ô so_ho của {VILLAGE}" in str(refused.value)
    # sent as a packet, it is refused (by the printed form that disagrees, or by the figure itself)
    forged_path = forged(path, data=lambda d: d["values"]["villages"][VILLAGE].update(so_ho=value))
    assert file_in(province, forged_path).outcome == "rejected"


# ---- dates and sequences -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stamp", "words"),
    [
        ("not-a-date", "không đọc được"),
        ("2020-01-01T08:00:00+07:00", "trước khi có khóa"),
        ((now() + dt.timedelta(days=3)).isoformat(), "đồng hồ"),
        ("2999-01-01T08:00:00+07:00", "đồng hồ"),
    ],
    ids=["unparseable", "before-its-key", "three-days-ahead", "year-2999"],
)
def test_an_impossible_creation_date_is_refused(commune, province, stamp, words):
    filed = file_in(province, forged(commune.sign(1), manifest=lambda m: m.update(created_at=stamp)))
    assert filed.outcome == "rejected" and words in filed.message


@pytest.mark.parametrize("sequence", [0, -5, 10_000, 2**63 - 1])
def test_a_sequence_out_of_bounds_is_refused(commune, province, sequence):
    filed = file_in(province, forged(commune.sign(1), manifest=lambda m: m.update(sequence=sequence)))
    assert filed.outcome == "rejected" and ("lần gửi" in filed.message or "“sequence”" in filed.message)


def test_a_sequence_far_ahead_is_held_and_locks_nothing_out(commune, province):
    file_in(province, commune.sign(1))
    far = file_in(province, commune.sign(500, name="xa-500.sctg"))
    assert far.outcome == "held" and "quá 100" in far.message
    assert file_in(province, commune.sign(2)).outcome == "accepted"


def test_a_forged_high_sequence_voided_lets_the_genuine_ones_in(commune, province):
    genuine_1 = file_in(province, commune.sign(1))
    forged_50 = file_in(province, forged(commune.sign(50, name="x.sctg"), data=lambda d: None))
    assert forged_50.outcome == "accepted"  # within the step: nothing tells it from a genuine one yet
    genuine_2 = file_in(province, commune.sign(2))
    assert genuine_2.outcome == "stale"
    said = void(province, forged_50.packet_id, "Xã không gửi lần 50", WHO)
    assert "Đã hủy" in said and status_of(province, forged_50.packet_id) == "voided"
    assert status_of(province, genuine_2.packet_id) == "accepted"
    assert status_of(province, genuine_1.packet_id) == "superseded"
    assert file_in(province, commune.sign(3)).outcome == "accepted"


def test_an_older_sequence_after_a_restored_backup_is_shown_and_can_be_taken(commune, province):
    file_in(province, commune.sign(1, at=now() - dt.timedelta(hours=5)))
    three = file_in(province, commune.sign(3, at=now() - dt.timedelta(hours=4)))
    restored = file_in(province, commune.sign(2, name="khoi-phuc.sctg"))
    assert restored.outcome == "stale" and "khôi phục bản sao lưu" in restored.message
    said = decide(province, restored.packet_id, "Xã khôi phục bản sao lưu, gửi lại lần 2", WHO, default_library())
    assert "đã hủy" in said
    assert status_of(province, restored.packet_id) == "accepted" and status_of(province, three.packet_id) == "voided"


# ---- the key lifecycle ---------------------------------------------------------------------------------------------


def test_a_stolen_old_key_after_replacement_is_held_with_both_codes(commune, province, tmp_path):
    first = file_in(province, commune.sign(1))
    old = commune.key
    new = create_unit_key(commune.gw, UNIT, NEW_PASSPHRASE, "Lò Văn Mới", "Công chức", replace=True)
    enrolled = enrol(province, read_enrolment(write_enrolment(new, commune.gw.require_unit(UNIT), tmp_path / "k")), WHO)
    assert old.spoken in enrolled.sentence() and "thôi dùng" in enrolled.sentence()
    stolen = file_in(province, commune.sign(3, key=old, name="khoa-cu.sctg"))
    assert stolen.outcome == "held" and old.spoken in stolen.message and new.spoken in stolen.message
    assert status_of(province, first.packet_id) == "accepted"
    commune.passphrase = NEW_PASSPHRASE
    commune.key = key_in_use(commune.gw, UNIT)
    assert file_in(province, commune.sign(2)).outcome == "accepted"


def test_a_second_key_for_a_commune_with_one_warns_with_both_codes(commune, province):
    on_file = commune.key
    other = create_unit_key(commune.gw, UNIT, NEW_PASSPHRASE, "Người Lạ", "Không rõ", replace=True)
    commune.passphrase, commune.key = NEW_PASSPHRASE, other
    filed = file_in(province, commune.sign(1))
    assert filed.outcome == "quarantined"
    assert other.spoken in filed.message and "đã có khóa khác" in filed.message and on_file.spoken in filed.message


# ---- an inbox that one file cannot stop --------------------------------------------------------------------------


def test_one_absurd_file_in_a_folder_leaves_the_rest_filed(commune, province, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    good = commune.sign(1)
    shutil.copy(good, folder / "a.sctg")
    absurd = forged(good, manifest=lambda m: m.update(sequence=10**30))
    shutil.move(absurd, folder / "b.sctg")
    (folder / "c.sctg").write_bytes(b"PK\x03\x04" + b"\xff" * 100)
    run = file_in(province, folder)
    assert [f.outcome for f in run.filed] == ["accepted", "rejected", "rejected"]
    assert "chữ số" in run.filed[1].message and "c.sctg" not in run.filed[1].message


def test_a_packet_of_a_form_version_not_here_waits_and_is_filed_when_imported_again(commune, province):
    path = commune.sign(1)
    without = FormLibrary([f for f in default_library().all() if f.id != "kl224"])
    waiting = file_in(province, path, library=without)
    assert waiting.outcome == "waiting" and "cập nhật tệp biểu mẫu" in waiting.message
    again = file_in(province, path)  # with the form: the import files what waited first, then sees this file
    assert again.outcome == "unchanged" and status_of(province, waiting.packet_id) == "accepted"


# ---- the command line ------------------------------------------------------------------------------------------------


def test_cli_decide_void_and_list_by_the_new_statuses(commune, province, upper_path):
    commune.type(("ho_van_hoa", VILLAGE, commune.value("so_ho", VILLAGE) + 5000))
    path = commune.sign(1)
    province.close()
    imported = run_main("inbox", "import", "--db", upper_path, path, "--json")
    assert imported.returncode == 0
    packet = json.loads(imported.stdout)["files"][0]["packet_id"]
    listed = run_main("inbox", "list", "--db", upper_path, "--status", "flawed")
    assert listed.returncode == 0 and "[số liệu có lỗi, chưa cộng]" in listed.stdout
    decided = run_main("inbox", "decide", "--db", upper_path, "--packet", packet, "--reason", "Xã xác nhận")
    assert decided.returncode == 0 and "dù có lỗi" in decided.stdout
    voided = run_main("inbox", "void", "--db", upper_path, "--packet", packet, "--reason", "Nhầm")
    assert voided.returncode == 0 and "Đã hủy gói số" in voided.stdout
    again = run_main("inbox", "void", "--db", upper_path, "--packet", packet, "--reason", "Nhầm")
    assert again.returncode == 2 and "đã hủy" in again.stderr
    listed = run_main("inbox", "list", "--db", upper_path, "--status", "voided", "--json")
    assert [r["id"] for r in json.loads(listed.stdout)] == [packet]


# ---- the property: figures a commune could not sign are never summed ----------------------------------------------

FIGURE_CELLS = [
    ("so_ho", VILLAGE),
    ("ho_van_hoa", VILLAGE),
    ("ban_co_nvh", VILLAGE),
    ("ban_nvh_dat_chuan", VILLAGE),
    ("can_bo_lanh_dao", UNIT),
    ("can_bo_dang_vien", UNIT),
]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(FIGURE_CELLS), st.integers(min_value=0, max_value=3000)), min_size=1, max_size=4)
)
def test_no_packet_the_commune_could_not_sign_is_ever_summed(demo_template, upper_template, tmp_path_factory, edits):
    folder = tmp_path_factory.mktemp("tinh-chat")
    commune = Commune(demo_template, folder / "xa")
    copy_database(upper_template, folder / "tinh.db")
    province = Gateway.open(folder / "tinh.db")
    try:
        cells = [(ind, unit, 1 if ind.startswith("ban_") and value else value) for (ind, unit), value in edits]
        commune.type(*cells)
        refused_at_home = bool(commune.view().evaluation.errors)
        filed = file_in(province, commune.sign(1))
        summed = UNIT in merged_units(province)
        assert summed != refused_at_home, (cells, filed.outcome, filed.message)
        assert (filed.outcome == "flawed") == refused_at_home
    finally:
        province.close()
        commune.close()


def test_cli_keys_enrol_of_a_replacement_names_the_key_it_retires(commune, province, upper_path, tmp_path):
    old = commune.key
    new = create_unit_key(commune.gw, UNIT, NEW_PASSPHRASE, "Lò Văn Mới", "Công chức", replace=True)
    path = write_enrolment(new, commune.gw.require_unit(UNIT), tmp_path / "khoa-moi.sctk")
    province.close()
    enrolled = run_main("keys", "enrol", "--db", upper_path, path)
    assert enrolled.returncode == 0 and new.spoken in enrolled.stdout
    assert f"Khóa cũ {old.spoken} của" in enrolled.stdout and "thôi dùng từ lúc này" in enrolled.stdout
    stolen = commune.sign(2, key=old)
    imported = run_main("inbox", "import", "--db", upper_path, stolen)
    assert imported.returncode == 0 and "[chờ cán bộ xác nhận]" in imported.stdout and old.spoken in imported.stdout
    listed = run_main("inbox", "list", "--db", upper_path, "--status", "held")
    assert new.spoken in listed.stdout and old.spoken in listed.stdout


@pytest.mark.parametrize("field", ["sequence", "version"])
def test_a_manifest_number_beyond_sqlite_is_refused_not_crashed(commune, province, field):
    def edit(manifest):
        (manifest if field == "sequence" else manifest["form"])[field] = 10**19

    filed = file_in(province, forged(commune.sign(1), manifest=edit))
    assert filed.outcome == "rejected" and "số quá lớn" in filed.message


def test_a_packet_number_beyond_sqlite_is_no_packet_in_the_library(province):
    for number in (0, -1, 2**63, 10**30):
        assert province.inbox.get(number) is None
        with pytest.raises(BadInput, match="Không có gói số"):
            void(province, number, "lý do", WHO)
        with pytest.raises(BadInput, match="Không có gói số"):
            decide(province, number, "lý do", WHO, default_library())


def test_a_unit_code_in_fullwidth_digits_is_refused_with_the_reason(commune, province):
    filed = file_in(province, forged(commune.sign(1), manifest=lambda m: m["unit"].update(code="０３４４５")))
    assert filed.outcome == "rejected" and "mã đơn vị (unit.code) sai dạng" in filed.message
    # Plain words first and what to do; the file's name only at the end, for the technician.
    assert filed.message.startswith("KHÔNG HỢP LỆ: gói bị hỏng hoặc đã bị sửa sau khi ký: bản kê của gói ghi mã đơn vị")
    assert filed.message.endswith("Đề nghị đơn vị gửi lại gói. (manifest.json)")
    assert filed.message.count("manifest") == 1
