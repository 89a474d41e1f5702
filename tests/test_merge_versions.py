"""Two versions of one form at the province, on real databases, real signed
packets and a real import: the province keeps its kl224 version 2 (one more
indicator); Mường Tè fills 2026 with it, Tân Phong still with version 1. Each
packet names its form's publisher; the province files both; the merged 2026
table sums the indicators both versions share and says, for Tân Phong, which
indicator was left out. A packet of a version the province never published
is held with the reason."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest
from testkit import province_kl224

from exports.collect.inbox import import_packets, open_collection
from exports.collect.merge import merge, table_form
from exports.packets.write import export_packet
from forms.library import default_library
from models.form_store import library_of, store_form
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE
from models.reporting import enter_values, start_report, view_report
from models.vocabulary import FormOrigin, PacketStatus

MUONG_TE, TAN_PHONG = "03445", "03408"


def filled_2026(gw: Gateway, unit: str, form, folder):
    """The unit's 2024 figures typed again as its 2026 report of ``form`` (yes to every new row), signed."""
    report = start_report(gw, unit, form, "2026")
    old = gw.find_report(unit, "kl224", "2024")
    edits = [(ind, code, value) for (ind, code), value in gw.values(old).items() if form.has_indicator(ind)]
    if form.has_indicator("ban_co_loa"):
        edits += [("ban_co_loa", v.code, 1) for v in gw.report_villages(report)]
    enter_values(gw, report, form, edits, "xa")
    return export_packet(gw, view_report(gw, report, form), DEMO_PASSPHRASE, folder).path


@pytest.fixture
def sent(demo_path, upper_path, tmp_path):
    """The province with its version 2 kept and 2026 open; the two communes' packets, and one of a version 3
    the province never issued."""
    out = tmp_path / "goi"
    out.mkdir()
    commune = Gateway.open(demo_path)
    try:
        v2 = store_form(commune, province_kl224(), FormOrigin.RECEIVED, "xa")[0]
        v3 = store_form(commune, province_kl224(3), FormOrigin.RECEIVED, "xa")[0]
        packets = {
            "v2": filled_2026(commune, MUONG_TE, v2, out),
            "v1": filled_2026(commune, TAN_PHONG, default_library().get("kl224", 1), out),
        }
    finally:
        commune.close()
    unpublished = tmp_path / "khac"
    unpublished.mkdir()
    shutil.copy(demo_path, tmp_path / "xa-khac.db")  # closed: its WAL is in the file
    other = Gateway.open(tmp_path / "xa-khac.db")  # Sìn Hồ, on a version 3 nobody issued at the province
    try:
        packets["v3"] = filled_2026(other, "03478", library_of(other).get("kl224", 3, "12"), unpublished)
    finally:
        other.close()
    province = Gateway.open(upper_path)
    store_form(province, province_kl224(), FormOrigin.AUTHORED, "tinh")
    open_collection(province, default_library().get("kl224"), "2026", None, library_of(province))
    yield province, packets, v3
    province.close()


def test_a_packet_names_the_publisher_of_its_form(sent):
    _province, packets, _v3 = sent
    with zipfile.ZipFile(packets["v2"]) as z:
        assert json.loads(z.read("manifest.json"))["form"]["publisher"] == "12"
    with zipfile.ZipFile(packets["v1"]) as z:
        assert "publisher" not in json.loads(z.read("manifest.json"))["form"]  # as packets always were


def test_the_merged_table_sums_what_both_versions_share_and_names_what_was_left_out(sent):
    province, packets, _v3 = sent
    run = import_packets(province, [packets["v2"], packets["v1"]], library_of(province), "tinh")
    assert [f.outcome for f in run.filed] == ["accepted", "accepted"]
    v2 = library_of(province).get("kl224", 2, "12")
    table = merge(province, "12", v2, "2026")
    assert {u.unit.code for u in table.received} == {MUONG_TE, TAN_PHONG}
    muong_te = next(u for u in table.received if u.unit.code == MUONG_TE).figures
    tan_phong = next(u for u in table.received if u.unit.code == TAN_PHONG).figures
    assert table.totals["ban_co_loa"].value == muong_te["ban_co_loa"].value  # Tân Phong has no 6.4
    assert not tan_phong["ban_co_loa"].applicable
    shared = "ban_co_nvh"
    assert table.totals[shared].value == muong_te[shared].value + tan_phong[shared].value
    assert set(table.version_gaps) == {TAN_PHONG}
    gap = table.version_gaps[TAN_PHONG]
    assert (gap.version, gap.publisher, gap.not_in_packet, gap.not_in_table) == (1, "", ("ban_co_loa",), ())
    assert table.versions_sentence() == (
        "Cộng trên các chỉ tiêu chung với 1 đơn vị gửi theo phiên bản khác của biểu: "
        "Phường Tân Phong theo phiên bản 1: không có 6.4 Bản có cụm loa hoạt động."
    )
    assert table.to_dict()["other_versions"][TAN_PHONG]["not_in_packet"] == ["ban_co_loa"]


def test_a_packet_of_a_version_the_province_never_issued_is_held_with_the_reason(sent):
    province, packets, _v3 = sent
    run = import_packets(province, [packets["v3"]], library_of(province), "tinh")
    filed = run.filed[0]
    assert filed.outcome == PacketStatus.WAITING
    assert "biểu kl224 phiên bản 3 do đơn vị 12 ban hành chưa có ở đây" in filed.message


def test_each_period_is_summed_with_the_version_its_packets_were_filled_with(sent):
    province, packets, _v3 = sent
    import_packets(province, [packets["v2"]], library_of(province), "tinh")
    assert table_form(province, "kl224", "2026").key == ("kl224", "12", 2)
    assert table_form(province, "kl224", "2024").key == ("kl224", "12", 2)  # nothing in: the province's own
    assert table_form(province, "kl224", "2025").key == ("kl224", "12", 2)


def test_a_period_whose_notice_named_a_version_is_summed_with_it(sent):
    province, packets, _v3 = sent
    import_packets(province, [packets["v1"]], library_of(province), "tinh")  # the one packet in: version 1
    assert table_form(province, "kl224", "2026").key == ("kl224", "", 1)
    province.collections.open("kl224", "2026", "2027-01-15", ("12", 2))  # as a notice sent down records it
    assert table_form(province, "kl224", "2026").key == ("kl224", "12", 2)
