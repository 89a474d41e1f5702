"""The upper level's merged table and completeness matrix, from real packets
exported by the commune demo and imported into the province demo."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from python_calamine import CalamineWorkbook

import main
from exports.collect.completeness import completeness
from exports.collect.inbox import import_packets
from exports.collect.merge import merge
from exports.packets.write import export_packet
from exports.paper.layout import Layout
from exports.paper.letterhead import page_settings
from exports.paper.xlsx_merged import merged_workbook
from forms import vnformat
from forms.library import default_library
from models.demo import build_upper_demo
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key
from models.periods import previous_period
from models.reporting import view_report

AT = dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
SENT = (("03445", "2024"), ("03408", "2024"), ("03478", "2024"), ("03478", "2025"))


@pytest.fixture(scope="session")
def commune_side(demo_template, tmp_path_factory):
    """Packets of three communes (Sìn Hồ for two years) and one of Bình Lư signed with an unenrolled key."""
    folder = tmp_path_factory.mktemp("goi")
    copy = folder.parent / "xa.db"
    copy.write_bytes(demo_template.read_bytes())
    gw = Gateway.open(copy)
    kl224 = default_library().get("kl224")
    views = {}
    for unit, period in SENT:
        views[unit, period] = view_report(gw, gw.find_report(unit, "kl224", period), kl224)
        export_packet(gw, views[unit, period], DEMO_PASSPHRASE, folder, at=AT)
    create_unit_key(gw, "03390", "khoa-binh-lu", "Lò Văn Tú")
    export_packet(gw, view_report(gw, gw.find_report("03390", "kl224", "2024"), kl224), "khoa-binh-lu", folder, at=AT)
    gw.close()
    return folder, views


@pytest.fixture
def province(commune_side, tmp_path):
    folder, _ = commune_side
    gw = Gateway.open(tmp_path / "tinh.db")
    build_upper_demo(gw)
    run = import_packets(gw, [folder], default_library(), "kiem-thu")
    assert {f.outcome for f in run.filed} == {"accepted", "quarantined"}
    yield gw
    gw.close()


def test_totals_are_the_sums_of_the_communes_own_figures(province, commune_side, kl224):
    _, views = commune_side
    table = merge(province, "12", kl224, "2024")
    assert [u.unit.code for u in table.received] == sorted(u for u, p in SENT if p == "2024")
    assert len(table.units) == 38
    for ind in kl224.indicators:
        if not ind.is_numeric:
            continue
        own = [views[u, "2024"].evaluation.figures[ind.id] for u, p in SENT if p == "2024"]
        applicable = [f for f in own if f.applicable]
        assert table.totals[ind.id].value == (sum(f.value for f in applicable) if applicable else None), ind.id
        bases = [f.total for f in applicable]
        expected = sum(bases) if bases and None not in bases else None  # base figures have no denominator
        assert table.totals[ind.id].total == expected, ind.id


def test_percentages_come_from_summed_counts_not_averages(province, kl224):
    totals = merge(province, "12", kl224, "2024").totals
    houses = totals["ho_van_hoa"]
    assert houses.percent == pytest.approx(houses.value * 100 / houses.total)
    # A commune's yes/no row is a number of communes one level up; wards only count for 3.5.
    assert totals["xa_co_nvh"].total == 3
    assert totals["phuong_van_minh"].total == 1 and totals["xa_nong_thon_moi"].total == 2


def test_a_quarantined_packet_never_reaches_the_table(province, kl224):
    table = merge(province, "12", kl224, "2024")
    binh_lu = next(u for u in table.units if u.unit.code == "03390")
    assert binh_lu.figures is None


def test_targets_are_compared_at_the_upper_level(province, kl224):
    table = merge(province, "12", kl224, "2024", kl224.target_set("tp-lai-chau-2025"))
    assert table.targets and {t.status for t in table.targets} <= {"dat", "chua_dat", "khong_ap_dung", "thieu_so_lieu"}


def test_a_figure_that_jumps_against_the_previous_period_is_flagged(province, kl224):
    assert merge(province, "12", kl224, "2025", jump_share=10.0).jumps == []
    jumps = merge(province, "12", kl224, "2025", jump_share=0.0).jumps
    assert jumps and {j.unit.code for j in jumps} == {"03478"}  # the only commune with both years
    assert all(j.current != j.previous for j in jumps)


def test_the_merged_workbook_reads_back_with_the_totals(province, kl224):
    table = merge(province, "12", kl224, "2024")
    page = page_settings(province, table.parent)
    data = merged_workbook(province, table, signed_on=dt.date(2026, 2, 1), page=page, layout=Layout())
    assert zipfile.is_zipfile(io.BytesIO(data))
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[:2] == ["Biểu", "Theo đơn vị"]
    form_rows = book.get_sheet_by_name("Biểu").to_python()
    row = next(r for r in form_rows if r[0] == "3.1")
    assert (row[3], row[4]) == (table.totals["ho_van_hoa"].total, table.totals["ho_van_hoa"].value)
    assert row[5] == float(vnformat.percent(table.totals["ho_van_hoa"].percent).removesuffix("%").replace(",", "."))
    # The upper level's own letterhead, as its PDF has it (not the province's State name alone).
    head = [r[0] for r in form_rows[:4]]
    assert head == [page.superior.upper(), page.issuer.upper(), "*", page.number]
    assert form_rows[0][2] == "ĐẢNG CỘNG SẢN VIỆT NAM" and form_rows[3][2].startswith(f"{page.place}, ngày 01 tháng 02")
    units = book.get_sheet_by_name("Theo đơn vị").to_python()
    assert sum(1 for r in units if "chưa gửi" in r) == 35


def test_completeness_states(province):
    table = completeness(province, "12", "2024", default_library(), today=dt.date(2026, 3, 1))
    states = {u: table.states[u, "kl224"].state for u in ("03445", "03408", "03478", "03390", "03388")}
    # Received 2026 for a 15/01/2025 deadline: late; Bình Lư waits for its key; Đoàn Kết sent nothing.
    assert states == {
        "03445": "nop_tre",
        "03408": "nop_tre",
        "03478": "nop_tre",
        "03390": "cho_khoa",
        "03388": "qua_han",
    }
    assert table.to_dict()["units"][0]["forms"]["kl224"]["state"]


@pytest.mark.parametrize(
    "code, before",
    [
        ("2025", "2024"),
        ("2025-H1", "2024-H2"),
        ("2025-H2", "2025-H1"),
        ("2025-Q1", "2024-Q4"),
        ("2021-2025", "2016-2020"),
    ],
)
def test_previous_period(code, before):
    assert previous_period(code).code == before


def test_cli_merge_and_completeness(province, tmp_path, capsys):
    db = str(province.path)
    assert (
        main.main(["merge", "--db", db, "--unit", "12", "--form", "kl224", "--period", "2024", "--out", str(tmp_path)])
        == 0
    )
    assert (tmp_path / "12_kl224_2024_tong-hop.xlsx").exists()
    assert "3/38" in capsys.readouterr().out
    assert main.main(["completeness", "--db", db, "--unit", "12", "--period", "2024"]) == 0
    assert "Đã nhận 3/38" in capsys.readouterr().out
    assert (
        main.main(["merge", "--db", db, "--unit", "12", "--form", "kl224", "--period", "2023", "--out", str(tmp_path)])
        == 2
    )
    assert "Chưa có gói" in capsys.readouterr().err
