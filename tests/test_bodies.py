"""The body that heads a page, by the page's date, and its symbol in the number: one case per tier
and per side of each date (exports/paper/bodies.py, letterhead.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pdfplumber
import pytest
from testkit import run_main

from exports.collect.inbox import import_packets
from exports.packets.write import export_packet, latest_packet
from exports.paper.bodies import BODIES, PROVINCE_MERGED, TWO_TIERS, body_in_force
from exports.paper.letterhead import page_settings, save_page_settings, sent_page
from exports.paper.received import signed_page
from forms.library import default_library
from models.demo import build_upper_demo
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE
from models.reporting import enter_values, view_report
from models.vocabulary import Tier

BEFORE_MERGER = dt.date(2025, 2, 28)
MERGED = dt.date(2025, 3, 1)
LAST_DISTRICT_DAY = dt.date(2025, 6, 30)
TODAY = dt.date(2026, 1, 5)
OLD = dt.date(2022, 1, 10)


@pytest.fixture
def tree(fresh_db):
    gw = fresh_db
    gw.add_unit("12", "Tỉnh Lai Châu", "tỉnh")
    gw.add_unit("105", "Thành phố Lai Châu", "thành phố", "12")
    gw.add_unit("106", "Huyện Mường Tè", "huyện", "12")
    gw.add_unit("03445", "Xã Mường Tè", "xã", "106")
    gw.add_unit("15", "Tỉnh Lào Cai", "tỉnh")
    gw.add_unit("089", "Thị xã Sa Pa", "thị xã", "15")
    gw.add_unit("01", "Thành phố Hà Nội", "thành phố trung ương")
    gw.add_unit("001", "Quận Ba Đình", "quận", "01")
    return gw


def test_the_table_has_no_gap_and_no_overlap_per_tier():
    for tier in (Tier.PROVINCE, Tier.DISTRICT, Tier.COMMUNE):
        rows = [b for b in BODIES if b.tier == tier]
        for day in (OLD, BEFORE_MERGER, MERGED, LAST_DISTRICT_DAY, TWO_TIERS, TODAY):
            assert sum(b.in_force(day) for b in rows) <= 1, (tier, day)
    assert PROVINCE_MERGED < TWO_TIERS
    assert all("BTGDVTXU" not in b.letters and "TXU" not in b.letters for b in BODIES)


@pytest.mark.parametrize(
    ("day", "issuer", "number"),
    [
        (OLD, "Ban Tuyên giáo", "-BC/BTGTU"),
        (BEFORE_MERGER, "Ban Tuyên giáo", "-BC/BTGTU"),
        (MERGED, "Ban Tuyên giáo và Dân vận", "-BC/BTGDVTU"),
        (TODAY, "Ban Tuyên giáo và Dân vận", "-BC/BTGDVTU"),
    ],
)
def test_a_province_page_is_headed_by_its_ban_in_force_on_its_date(tree, day, issuer, number):
    page = page_settings(tree, tree.require_unit("12"), on=day)
    assert (page.superior, page.issuer) == ("Tỉnh ủy Lai Châu", issuer)
    assert page.number.endswith(number) and page.number.startswith("Số ")
    assert page.recipients[0] == "Ban Thường vụ Tỉnh ủy Lai Châu (b/c),"


@pytest.mark.parametrize(
    ("code", "committee", "number"),
    [
        ("106", "Huyện ủy Mường Tè", "-BC/BTGHU"),
        ("089", "Thị ủy Sa Pa", "-BC/BTGTU"),  # seed 004: Thị ủy Sa Pa writes “11-ĐA/TU”
        ("105", "Thành ủy Lai Châu", "-BC/BTGThU"),  # seed 000: “147-KH/ThU”
        ("001", "Quận ủy Ba Đình", "-BC/BTGQU"),
    ],
)
@pytest.mark.parametrize("day", [OLD, BEFORE_MERGER, MERGED, LAST_DISTRICT_DAY, TWO_TIERS])
def test_a_district_page_is_its_ban_tuyen_giao_on_either_side_of_each_date(tree, code, committee, number, day):
    page = page_settings(tree, tree.require_unit(code), on=day)
    assert (page.superior, page.issuer) == (committee, "Ban Tuyên giáo")
    assert page.number.endswith(number)
    assert body_in_force(Tier.DISTRICT, day).ends == TWO_TIERS  # after it, its last name: nothing replaced it


@pytest.mark.parametrize(
    ("day", "above"),
    [
        (OLD, "Ban Tuyên giáo Huyện ủy Mường Tè (b/c),"),
        (MERGED, "Ban Tuyên giáo Huyện ủy Mường Tè (b/c),"),
        (TODAY, "Ban Tuyên giáo Huyện ủy Mường Tè (b/c),"),
    ],
)
def test_a_commune_page_is_its_dang_uy_throughout(tree, day, above):
    page = page_settings(tree, tree.require_unit("03445"), on=day)
    assert (page.superior, page.issuer) == ("Đảng bộ Huyện Mường Tè", "Đảng ủy Xã Mường Tè")
    assert page.number.endswith("-BC/ĐU")
    assert page.recipients == (above, "Lưu.")


def test_a_commune_under_the_province_reports_to_the_ban_in_force(tree):
    tree.add_unit("03446", "Xã Bum Nưa", "xã", "12")
    unit = tree.require_unit("03446")
    assert page_settings(tree, unit, on=OLD).recipients[0] == "Ban Tuyên giáo Tỉnh ủy Lai Châu (b/c),"
    assert page_settings(tree, unit, on=TODAY).recipients[0] == "Ban Tuyên giáo và Dân vận Tỉnh ủy Lai Châu (b/c),"


def test_a_city_under_the_centre_writes_tu(tree):
    page = page_settings(tree, tree.require_unit("01"), on=TODAY)
    assert (page.superior, page.number[-11:]) == ("Thành ủy Hà Nội", "-BC/BTGDVTU")


def test_lines_saved_for_the_old_body_do_not_head_a_page_of_the_new_one(tree):
    province = tree.require_unit("12")
    old = page_settings(tree, province, on=BEFORE_MERGER)
    save_page_settings(tree, province, replace(old, number="Số 31-BC/BTGTU", signer_name="Tòng Văn Thắng"), on=OLD)
    assert page_settings(tree, province, on=BEFORE_MERGER).number == "Số 31-BC/BTGTU"
    new = page_settings(tree, province, on=TODAY)
    assert new.issuer == "Ban Tuyên giáo và Dân vận" and new.number.endswith("-BC/BTGDVTU")
    assert new.signer_name == "Tòng Văn Thắng"  # the person is the unit's, whatever the body's name


def test_the_signer_is_the_one_stored_never_the_officer(tree):
    sapa = tree.require_unit("089")
    assert page_settings(tree, sapa, on=TODAY).signer_name == ""
    tree.set_setting("officer_name", "Lù Văn Sáng")  # types the figures; does not sign for the committee
    assert page_settings(tree, sapa, on=TODAY).signer_name == ""
    tree.set_setting("print.089.signer_name", "Vàng Thị Mỷ")
    assert page_settings(tree, sapa, on=TODAY).signer_name == "Vàng Thị Mỷ"


# ---- a reprint keeps the page it was signed with ------------------------------------------------

SAPA_2022 = {
    "created_at": "2022-01-14T09:30:00+07:00",
    "unit": {"code": "089", "name": "Thị xã Sa Pa", "kind": "thị xã", "parent_code": "15"},
    "signer": {"name": "Lù Văn Sáng", "title": "Chuyên viên"},
}


def test_a_packet_without_its_page_reprints_with_the_body_of_its_signing_day(tree):
    page, day = signed_page(SAPA_2022, tree, tree.require_unit("089"))
    assert day == dt.date(2022, 1, 14)
    assert (page.superior, page.issuer) == ("Thị ủy Sa Pa", "Ban Tuyên giáo")
    assert page.number.endswith("-BC/BTGTU") and "BTGDV" not in page.number
    province = {**SAPA_2022, "unit": {"code": "12", "name": "Tỉnh Lai Châu", "kind": "tỉnh", "parent_code": None}}
    assert signed_page(province, tree, tree.require_unit("12"))[0].issuer == "Ban Tuyên giáo"
    later = {**province, "created_at": "2025-03-01T08:00:00+07:00"}
    assert signed_page(later, tree, tree.require_unit("12"))[0].issuer == "Ban Tuyên giáo và Dân vận"


def test_a_commune_merged_since_reprints_under_the_name_and_parent_it_signed_with(tree):
    tree.add_unit("03500", "Xã Mường Tè", "xã", "12")  # today: under the province, another code
    manifest = {**SAPA_2022, "unit": {"code": "03445", "name": "Xã Ka Lăng", "kind": "xã", "parent_code": "106"}}
    page, _ = signed_page(manifest, tree, tree.require_unit("03445"))
    assert (page.superior, page.issuer) == ("Đảng bộ Huyện Mường Tè", "Đảng ủy Xã Ka Lăng")
    assert page.recipients[0] == "Ban Tuyên giáo Huyện ủy Mường Tè (b/c),"


def test_the_page_recorded_in_the_manifest_is_the_one_reprinted(tree):
    recorded = {
        "mode": "report",
        "superior": "Đảng bộ Huyện Mường Tè",
        "issuer": "Đảng ủy xã Mường Tè",
        "number": "Số 12-BC/ĐU",
        "place": "Mường Tè",
        "date": "2024-12-20",
        "on_behalf": "T/M Ban Thường vụ",
        "signer_title": "Phó Bí thư",
        "signer_name": "Lò Văn Hùng",
        "recipients": ["Ban Tuyên giáo Huyện ủy (b/c),", "Lưu."],
    }
    manifest = {**SAPA_2022, "created_at": "2024-12-21T10:00:00+07:00", "page": recorded}
    page, day = signed_page(manifest, tree, tree.require_unit("03445"))
    assert day == dt.date(2024, 12, 20)
    assert (page.number, page.signer_name, page.recipients) == (
        "Số 12-BC/ĐU",
        "Lò Văn Hùng",
        ("Ban Tuyên giáo Huyện ủy (b/c),", "Lưu."),
    )
    given, _ = signed_page(manifest, tree, tree.require_unit("03445"), number="Số 13-BC/ĐU", signer_name=None)
    assert (given.number, given.signer_name) == ("Số 13-BC/ĐU", "Lò Văn Hùng")


@pytest.mark.slow
def test_the_province_reprints_a_packet_signed_before_the_merger_with_the_body_then(demo_path, tmp_path):
    """End to end: a 2024 packet signed on 20/01/2025, imported and printed at the province today."""
    library = default_library()
    kl224 = library.get("kl224")
    gw = Gateway.open(demo_path)
    view = view_report(gw, gw.find_report("03408", "kl224", "2024"), kl224)
    signed_at = dt.datetime(2025, 1, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    export_packet(gw, view, DEMO_PASSPHRASE, tmp_path, at=signed_at)
    gw.close()
    upper = Gateway.open(tmp_path / "tinh.db")
    build_upper_demo(upper)
    assert {f.outcome for f in import_packets(upper, [tmp_path], library, "kiem-thu").filed} == {"accepted"}
    upper.close()
    args = ("print", "--db", tmp_path / "tinh.db", "--unit", "03408", "--form", "kl224", "--period", "2024")
    as_signed = run_main(*args, "--out", tmp_path / "nhu-goi.pdf")
    assert (as_signed.returncode, as_signed.stderr) == (0, ""), as_signed.stderr
    with pdfplumber.open(tmp_path / "nhu-goi.pdf") as pdf:
        first = pdf.pages[0].extract_text()
    assert first.startswith("PHỤ LỤC")  # laid out as the packet was: an annex
    assert "Phường Tân Phong" in first.split("Stt")[0]  # naming its unit above the table, with no letterhead
    out = tmp_path / "in.pdf"
    done = run_main(*args, "--mode", "report", "--out", out)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    with pdfplumber.open(out) as pdf:
        first, last = pdf.pages[0].extract_text(), pdf.pages[-1].extract_text()
    assert "ngày 20 tháng 01 năm 2025" in first
    assert "Ban Tuyên giáo Tỉnh ủy Lai Châu (b/c)," in last and "Dân vận" not in last


def test_a_communes_own_reprint_of_a_sent_report_is_dated_and_headed_as_sent(demo_path, tmp_path):
    """sent_page: the row of the last packet (no recorded page) gives the day it was signed and
    the body in force then; a recorded page, when the row keeps one, is taken whole."""
    kl224 = default_library().get("kl224")
    gw = Gateway.open(demo_path)
    view = view_report(gw, gw.find_report("03408", "kl224", "2024"), kl224)
    export_packet(gw, view, DEMO_PASSPHRASE, tmp_path, at=dt.datetime(2025, 1, 20, 9, 0, tzinfo=dt.UTC))
    sent = latest_packet(gw, view.report)
    page, day = sent_page(gw, view.unit, sent)
    assert day == dt.date(2025, 1, 20)
    assert page.recipients[0] == "Ban Tuyên giáo Tỉnh ủy Lai Châu (b/c),"
    assert page.signer_name == "Trần Văn Bình"  # the demo's signer for Tân Phong, stored for the unit
    recorded = {**sent, "page": {**page.__dict__, "number": "Số 04-BC/ĐU", "date": "2025-01-19"}}
    assert sent_page(gw, view.unit, recorded)[0].number == "Số 04-BC/ĐU"
    gw.close()


@pytest.mark.slow
def test_a_communes_reprint_keeps_the_page_its_packet_was_signed_with_until_a_figure_changes(demo_path, tmp_path):
    """End to end with the CLI: the packet records its page (number, body, date); the commune's print of the
    same figures is headed by it even after the lines for new pages changed; an edited figure prints anew."""
    kl224 = default_library().get("kl224")
    gw = Gateway.open(demo_path)
    unit = gw.require_unit("03408")
    signed_on = dt.date(2025, 1, 20)
    save_page_settings(gw, unit, replace(page_settings(gw, unit, on=signed_on), number="Số 04-BC/ĐU"))
    view = view_report(gw, gw.find_report("03408", "kl224", "2024"), kl224)
    export_packet(gw, view, DEMO_PASSPHRASE, tmp_path, at=dt.datetime(2025, 1, 20, 9, 0, tzinfo=dt.UTC))
    assert '"number": "Số 04-BC/ĐU"' in latest_packet(gw, view.report)["page"]
    save_page_settings(gw, unit, replace(page_settings(gw, unit), number="Số 09-BC/ĐU"))
    gw.close()

    def printed(name: str) -> tuple[str, str]:
        out = tmp_path / name
        args = ("print", "--db", demo_path, "--unit", "03408", "--form", "kl224", "--period", "2024")
        done = run_main(*args, "--mode", "report", "--out", out)
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        with pdfplumber.open(out) as pdf:
            return pdf.pages[0].extract_text(), pdf.pages[-1].extract_text()

    first, last = printed("lai.pdf")
    assert "Số 04-BC/ĐU" in first and "ngày 20 tháng 01 năm 2025" in first
    assert "Ban Tuyên giáo Tỉnh ủy Lai" in last and "Dân vận" not in last and "Khớp gói số liệu lần 01" in last
    gw = Gateway.open(demo_path)
    view = view_report(gw, gw.find_report("03408", "kl224", "2024"), kl224)
    enter_values(gw, view.report, kl224, [("can_bo_lanh_dao", "03408", 19)], who="kiem-thu")
    gw.close()
    first, last = printed("sua.pdf")
    assert "Số 09-BC/ĐU" in first and "ngày 20 tháng 01 năm 2025" not in first
    assert "Số liệu đã sửa sau gói lần 01" in last
