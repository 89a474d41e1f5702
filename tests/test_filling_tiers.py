"""The tiers that fill a form, by date: sapa-11-17 was the district's (Thị ủy Sa Pa's) until the
districts ended on 1/7/2025, and is a commune's and the province's own since. Real databases (the
commune demo, the province demo, a district of 2022 with its own key), real packets signed by the
commune's program and imported at the province, the merged table printed to PDF and read back.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pytest
from testkit import run_main

from exports.collect.completeness import completeness
from exports.collect.inbox import import_packets, open_collection
from exports.collect.merge import merge
from exports.collect.trust import enrol
from exports.collect.upward import upward_blockers
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.packets.write import export_packet
from exports.paper.printouts import blank_printout, filled_printout, merged_printout
from forms.library import default_library
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key
from models.reporting import enter_values, start_report, view_report
from models.vocabulary import CollectionState

ICT = dt.timezone(dt.timedelta(hours=7))
AT = dt.datetime(2026, 2, 10, 14, 0, tzinfo=ICT)
WHO = "kiem-thu"
PRINTED = dt.date(2026, 2, 10)
COMMUNES = {"03445": 3, "03408": 5}  # demo communes with a key, and the conferences each held


def sapa():
    return default_library().get("sapa-11-17")


def figures(unit: str, conferences: int) -> list[tuple[str, str, object]]:
    return [
        ("hoi_nghi_quan_triet", unit, conferences),
        ("cuoc_kiem_tra", unit, 1),
        ("kinh_phi_tong", unit, 30_000_000),
        ("kinh_phi_ngan_sach", unit, 20_000_000),
        ("kinh_phi_xa_hoi_hoa", unit, 10_000_000),
        ("kinh_phi_nam", unit, 30_000_000),
    ]


def fill(gw: Gateway, unit: str, period: str, conferences: int):
    form = sapa()
    report = start_report(gw, unit, form, period)
    enter_values(gw, report, form, figures(unit, conferences), WHO)
    return view_report(gw, report, form)


def pdf_text(document, path: Path) -> str:
    from ui.printing import write_pdf

    with pdfplumber.open(write_pdf(document, path)) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def test_the_form_says_who_fills_it_before_and_after_the_reform():
    form = sapa()
    assert form.version == 1  # who fills it is not what its rows mean
    year = lambda y: (dt.date(y, 1, 1), dt.date(y, 12, 31))  # noqa: E731
    assert form.tiers_for(*year(2022)) == ("huyen",)
    assert form.tiers_for(*year(2024)) == ("huyen",)
    assert form.tiers_for(dt.date(2025, 1, 1), dt.date(2025, 6, 30)) == ("huyen",)
    assert form.tiers_for(*year(2025)) == ("xa", "tinh")
    assert default_library().get("kl224").tiers_for(*year(2025)) == ("xa",)  # no filled_by: its report_tier


def test_a_commune_asking_for_a_district_year_is_told_who_filled_it(demo_db):
    with pytest.raises(BadInput) as refused:
        start_report(demo_db, "03445", sapa(), "2024")
    assert str(refused.value) == "Biểu sapa-11-17 cho năm 2024 do cấp huyện lập; Xã Mường Tè là cấp xã."
    with pytest.raises(BadInput, match="6 tháng đầu năm 2025 do cấp huyện lập"):
        start_report(demo_db, "03445", sapa(), "2025-H1")
    assert demo_db.find_report("03445", "sapa-11-17", "2024") is None


def test_the_province_is_refused_a_communes_form_naming_the_commune_tier(upper_path):
    gw = Gateway.open(upper_path)
    try:
        with pytest.raises(BadInput, match="Biểu kl224 cho năm 2025 do cấp xã lập; Tỉnh Lai Châu là cấp tỉnh"):
            start_report(gw, "12", default_library().get("kl224"), "2025")
    finally:
        gw.close()


@pytest.mark.slow
def test_the_command_line_refuses_a_commune_its_district_years(demo_path, tmp_path):
    values = tmp_path / "so-lieu.json"
    values.write_text(json.dumps({"values": {"commune": {"hoi_nghi_quan_triet": 2}}}), encoding="utf-8")
    args = ("--unit", "03445", "--form", "sapa-11-17")
    refused = run_main("load", "--db", demo_path, *args, "--period", "2024", str(values))
    assert refused.returncode == 2
    assert refused.stderr.strip() == "Biểu sapa-11-17 cho năm 2024 do cấp huyện lập; Xã Mường Tè là cấp xã."
    done = run_main("load", "--db", demo_path, *args, "--period", "2025", str(values))
    assert (done.returncode, done.stderr) == (0, "")


# ---- 2025: the communes and the province ----------------------------------------------------------


@pytest.fixture(scope="module")
def year_2025(demo_template, upper_template, tmp_path_factory):
    """Two demo communes fill sapa-11-17 for 2025 and sign it; the province demo collects the form,
    imports both packets, and fills its own."""
    folder = tmp_path_factory.mktemp("sapa-2025")
    packets = folder / "goi"
    packets.mkdir()
    shutil.copy(demo_template, folder / "xa.db")
    gw = Gateway.open(folder / "xa.db")
    views = {unit: fill(gw, unit, "2025", n) for unit, n in COMMUNES.items()}
    exported = {unit: export_packet(gw, view, DEMO_PASSPHRASE, packets, at=AT) for unit, view in views.items()}
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()
    shutil.copy(upper_template, folder / "tinh.db")
    gw = Gateway.open(folder / "tinh.db")
    open_collection(gw, sapa(), "2025", "2026-01-31")
    filed = import_packets(gw, [packets], default_library(), WHO).filed
    own = fill(gw, "12", "2025", 7)
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()
    return SimpleNamespace(folder=folder, province=folder / "tinh.db", exported=exported, filed=filed, own=own)


@pytest.fixture
def province(year_2025, tmp_path):
    shutil.copy(year_2025.province, tmp_path / "tinh.db")
    gw = Gateway.open(tmp_path / "tinh.db")
    yield gw
    gw.close()


def test_communes_fill_and_sign_the_form_for_2025(year_2025):
    for unit, exported in year_2025.exported.items():
        manifest = exported.manifest
        assert (manifest["unit"]["code"], manifest["form"]["id"], manifest["period"]["code"]) == (
            unit,
            "sapa-11-17",
            "2025",
        )
        assert manifest.get("kind") != "tong_hop"  # the commune's own figures


def test_the_province_accepts_the_communes_packets_and_merges_them(year_2025, province):
    assert sorted(f.outcome for f in year_2025.filed) == ["accepted", "accepted"]
    table = merge(province, "12", sapa(), "2025")
    assert sorted(u.unit.code for u in table.received) == sorted(COMMUNES)
    assert "12" not in {u.unit.code for u in table.units}  # its own report is not one of its units'
    assert all(u.unit.tier == "xa" for u in table.units) and len(table.units) == 38
    assert table.totals["hoi_nghi_quan_triet"].value == sum(COMMUNES.values())  # 7 of its own not added
    assert table.totals["kinh_phi_tong"].value == 60_000_000


def test_the_province_fills_and_signs_its_own_report(year_2025, province, tmp_path):
    own = view_report(province, province.find_report("12", "sapa-11-17", "2025"), sapa())
    assert own.evaluation.figures["hoi_nghi_quan_triet"].value == 7
    exported = export_packet(province, own, DEMO_PASSPHRASE, tmp_path, at=AT)
    assert exported.manifest["unit"]["code"] == "12" and exported.manifest.get("kind") != "tong_hop"


def test_the_province_sends_its_own_report_up_not_the_merged_table(province):
    blockers = upward_blockers(province, merge(province, "12", sapa(), "2025"))
    assert blockers == [
        "Tỉnh Lai Châu tự lập biểu sapa-11-17 cho năm 2025: gói gửi lên là báo cáo của chính đơn vị;"
        " bảng tổng hợp các đơn vị cấp dưới để in và lưu."
    ]


def test_the_province_expects_the_form_from_every_commune(province):
    table = completeness(province, "12", "2025", default_library(), today=dt.date(2026, 2, 1))
    expected = [code for (code, form) in table.states if form == "sapa-11-17"]
    assert len(expected) == 38 and "12" not in expected
    assert table.count("sapa-11-17", CollectionState.RECEIVED, CollectionState.LATE) == 2


@pytest.mark.slow
def test_the_province_prints_its_own_the_merged_and_a_blank_form(qapp, year_2025, province, tmp_path):
    export_packet(province, year_2025.own, DEMO_PASSPHRASE, tmp_path, at=AT)  # its own packet, not the table's
    merged = pdf_text(merged_printout(province, "12", "sapa-11-17", "2025", printed_on=PRINTED), tmp_path / "th.pdf")
    assert "Tổng hợp từ gói đã chấp nhận của 2/38 đơn vị" in merged
    assert "60.000.000" in merged and "Khớp gói" not in merged and "đã sửa" not in merged
    own = pdf_text(filled_printout(province, "12", "sapa-11-17", "2025", printed_on=PRINTED), tmp_path / "tinh.pdf")
    assert "30.000.000" in own and "Tỉnh Lai Châu" in own
    blank = pdf_text(blank_printout(province, "12", "sapa-11-17", "2025", printed_on=PRINTED), tmp_path / "trang.pdf")
    assert "Hội nghị học tập, quán triệt" in blank
    with pytest.raises(BadInput, match="do cấp huyện lập; Tỉnh Lai Châu là cấp tỉnh"):
        blank_printout(province, "12", "sapa-11-17", "2024", printed_on=PRINTED)


# ---- 2022: a district, as it was --------------------------------------------------------------------


@pytest.fixture
def district_2022(tmp_path):
    """Thị xã Sa Pa fills its 2022 report with its own key; Tỉnh Lào Cai enrols the key and imports it."""
    units = (("15", "Tỉnh Lào Cai", "tỉnh", None), ("089", "Thị xã Sa Pa", "thị xã", "15"))
    gw = Gateway.open(tmp_path / "huyen.db")
    for code, name, kind, parent in units:
        gw.add_unit(code, name, kind, parent, who=WHO)
    gw.set_setting("home_unit", "089")
    key = create_unit_key(gw, "089", DEMO_PASSPHRASE, "Lò Văn Minh", "Trưởng ban", demo=True)
    view = fill(gw, "089", "2022", 4)
    packet = export_packet(gw, view, DEMO_PASSPHRASE, tmp_path, at=AT).path
    enrolment = write_enrolment(key, gw.require_unit("089"), tmp_path / "khoa-089.sctk")
    gw.close()
    gw = Gateway.open(tmp_path / "tinh.db")
    for code, name, kind, parent in units:
        gw.add_unit(code, name, kind, parent, who=WHO)
    gw.set_setting("home_unit", "15")
    open_collection(gw, sapa(), "2022", None)
    enrol(gw, read_enrolment(enrolment), WHO)
    filed = import_packets(gw, [packet], default_library(), WHO).filed
    yield SimpleNamespace(gw=gw, filed=filed)
    gw.close()


@pytest.mark.slow
def test_a_district_report_of_2022_still_opens_merges_and_prints(qapp, district_2022, tmp_path):
    gw = district_2022.gw
    assert [f.outcome for f in district_2022.filed] == ["accepted"]
    table = merge(gw, "15", sapa(), "2022")
    assert [u.unit.code for u in table.received] == ["089"]
    assert table.totals["hoi_nghi_quan_triet"].value == 4
    merged = pdf_text(merged_printout(gw, "15", "sapa-11-17", "2022", printed_on=PRINTED), tmp_path / "th.pdf")
    assert "Tổng hợp từ gói đã chấp nhận của 1/1 đơn vị" in merged and "Thị xã Sa Pa" in merged
    received = pdf_text(filled_printout(gw, "089", "sapa-11-17", "2022", printed_on=PRINTED), tmp_path / "sp.pdf")
    assert "30.000.000" in received
    with pytest.raises(BadInput, match="do cấp huyện lập; Tỉnh Lào Cai là cấp tỉnh"):
        start_report(gw, "15", sapa(), "2022")


def test_the_merged_page_names_a_unit_left_out_once_and_apart_from_those_that_sent_nothing(province):
    from dataclasses import replace

    from exports.paper.merged import who_is_in
    from models.vocabulary import PacketStatus

    table = replace(merge(province, "12", sapa(), "2025"), left_out={"03478": PacketStatus.FLAWED})
    sums, left_out = (p.text for p in who_is_in(table))
    name = province.require_unit("03478").name
    assert sums.startswith("Tổng hợp từ gói đã chấp nhận của 2/38 đơn vị; chưa có: ") and name not in sums
    assert left_out == f"Chưa cộng 1 đơn vị đã gửi gói: {name} ({PacketStatus.FLAWED.words})."
