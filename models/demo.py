"""The demo dataset: Lai Châu with its 38 real communes, four of them with
invented villages and figures (marked demo), reports for two periods.

The figures obey every rule of the forms except two deliberate slips in
Xã Mường Tè, năm 2025, so the checks have something to show: an error (a
village with more cultural-family households than households) and a warning
(a village holding the cultural title with under 70% cultural families).
Each year draws the same figures again (the same seed), households drifting
by a few from one year to the next, so the plausibility warnings only speak
where a figure is meant to be wrong; a village of Mường Tè has 61 households
in 2024 and 60 in 2025 (SIXTY_ONE), the issue's example of a figure to check.
Mường Tè, Tân Phong and Sìn Hồ have signing keys whose passphrase is
DEMO_PASSPHRASE. build_upper_demo() makes the other side: the province that
collects the communes' packets, trusting those three keys.
"""

from __future__ import annotations

import random

from forms.library import FormLibrary
from models import catalogue
from models.clock import now
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import DEMO_KEYS_MADE, DEMO_PASSPHRASE, create_unit_key, demo_private_key, fingerprint_of, public_pem
from models.reporting import enter_values, start_report

PROVINCE = "12"  # Lai Châu
# (commune code, number of villages, kind of village unit)
DEMO_COMMUNES = (
    ("03445", 18, "bản"),  # Xã Mường Tè
    ("03408", 24, "tổ dân phố"),  # Phường Tân Phong
    ("03390", 12, "bản"),  # Xã Bình Lư
    ("03478", 60, "bản"),  # Xã Sìn Hồ
)
PERIODS = ("2024", "2025")
# Communes with a demo key (Bình Lư has none: make one to see a packet quarantined upstairs).
KEY_HOLDERS = {"03445": "Lò Thị Mai", "03408": "Nguyễn Thị Hoa", "03478": "Vàng A Sử"}
UPPER_OFFICER = ("Giàng Thị Dung", "Chuyên viên Ban Tuyên giáo và Dân vận Tỉnh ủy")
# Who signs the printed page (not the officer who fills it): unit -> (title, name).
DEMO_SIGNERS = {
    "03445": ("Phó Bí thư", "Lò Văn Hùng"),
    "03408": ("Bí thư", "Trần Văn Bình"),
    "12": ("Trưởng ban", "Tòng Văn Thắng"),
}
PRINT_SETTING = "print.{unit}.{field}"  # as exports/paper/letterhead.py stores what the print dialog remembers
# What the demo province collects: form, period, deadline.
COLLECTIONS = (("kl224", "2024", "2025-01-15"), ("kl224", "2025", "2026-01-15"))
FLAWED = ("03445", "2025")
# A village of Mường Tè with 61 households in 2024 and 60 in 2025: type 1.234 there and the warning
# names 61.
SIXTY_ONE = ("03445.07", 61, 60)
WHO = "du-lieu-mau"

_FIRST = ("Nậm", "Nà", "Huổi", "Pa", "Phìn", "Sín", "Tả", "Hồ", "Lả", "Pác", "Co", "Phiêng", "Khoang", "Hua", "Mường")
_SECOND = (
    "Củm",
    "Ma",
    "Lếch",
    "Xà",
    "Khao",
    "Chải",
    "Pho",
    "Sang",
    "Luông",
    "Cang",
    "Kham",
    "Pin",
    "Ngài",
    "Sáng",
    "Hán",
)


def build_demo(gw: Gateway, library: FormLibrary) -> None:
    """All of the demo in one transaction: a failure leaves the database empty."""
    if not gw.is_empty():
        raise BadInput("Cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ tạo trong một cơ sở dữ liệu mới.")
    with gw.transaction():
        _build(gw, library)


def build_upper_demo(gw: Gateway) -> None:
    """The demo province, in one transaction: its communes, what it collects,
    the demo communes' keys enrolled, its own key."""
    if not gw.is_empty():
        raise BadInput("Cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ tạo trong một cơ sở dữ liệu mới.")
    stamp = now()
    with gw.transaction():
        _province_and_communes(gw)
        for form_id, period, deadline in COLLECTIONS:
            gw.period(period)
            gw.collections.open(form_id, period, deadline)
        for code, holder in KEY_HOLDERS.items():
            public = demo_private_key(code).public_key()
            gw.trust.enrol(
                {
                    "fingerprint": fingerprint_of(public),
                    "unit_code": code,
                    "public_pem": public_pem(public),
                    "holder_name": holder,
                    "holder_title": "Công chức Văn hóa - Xã hội",
                    "created_at": DEMO_KEYS_MADE,
                    "replaced_at": None,
                    "enrolled_at": stamp,
                    "enrolled_by": WHO,
                }
            )
        gw.set_setting("home_unit", PROVINCE)
        gw.set_setting("officer_name", UPPER_OFFICER[0])
        gw.set_setting("officer_title", f"{UPPER_OFFICER[1]} (dữ liệu mẫu)")
        create_unit_key(gw, PROVINCE, DEMO_PASSPHRASE, *UPPER_OFFICER, demo=True)
        _signers(gw, [PROVINCE])


def _province_and_communes(gw: Gateway) -> None:
    province = catalogue.find(PROVINCE)
    gw.add_unit(province.code, province.name, province.kind, demo=False, who=WHO)
    for commune in catalogue.communes(PROVINCE):
        gw.add_unit(commune.code, commune.name, commune.kind, province.code, who=WHO)


def _build(gw: Gateway, library: FormLibrary) -> None:
    _province_and_communes(gw)
    rng = random.Random(224)
    for code, count, kind in DEMO_COMMUNES:
        for number, name in enumerate(_village_names(rng, count, kind), start=1):
            local = f"{number:02d}"
            gw.add_unit(f"{code}.{local}", name, kind, code, local_code=local, demo=True, who=WHO)
    kl224 = library.get("kl224")
    for code, _, _ in DEMO_COMMUNES:
        villages = [v.code for v in gw.villages_of(code)]
        households = _households(kl224, code, villages)
        for year_index, period in enumerate(PERIODS):
            this_year = {v: n[year_index] for v, n in households.items()}
            seed = random.Random(f"{code}-{PERIODS[-1]}")  # the last year's draws, for every year
            _fill(gw, kl224, code, period, seed, progress=len(PERIODS) - 1, households=this_year)
    _fill(gw, library.get("da241"), "03445", "2016-2020", random.Random("03445-241"), progress=-1)
    gw.set_setting("home_unit", "03445")
    gw.set_setting("officer_name", "Lò Thị Mai")
    gw.set_setting("officer_title", "Công chức Văn hóa - Xã hội (dữ liệu mẫu)")
    for code, holder in KEY_HOLDERS.items():
        create_unit_key(gw, code, DEMO_PASSPHRASE, holder, "Công chức Văn hóa - Xã hội", demo=True)
    _signers(gw, [code for code, _, _ in DEMO_COMMUNES])


def _signers(gw: Gateway, unit_codes: list[str]) -> None:
    for code in unit_codes:
        if code in DEMO_SIGNERS:
            title, name = DEMO_SIGNERS[code]
            gw.set_setting(PRINT_SETTING.format(unit=code, field="signer_title"), title)
            gw.set_setting(PRINT_SETTING.format(unit=code, field="signer_name"), name)


def _village_names(rng: random.Random, count: int, kind: str) -> list[str]:
    if kind == "tổ dân phố":
        return [f"Tổ dân phố số {n}" for n in range(1, count + 1)]
    names: list[str] = []
    while len(names) < count:
        name = f"Bản {rng.choice(_FIRST)} {rng.choice(_SECOND)}"
        if name not in names:
            names.append(name)
    return names


def _households(form, commune_code: str, villages: list[str]) -> dict[str, tuple[int, ...]]:
    """Each village's households in each of PERIODS: the last year's draw, and a few fewer or more each
    year before it. SIXTY_ONE's village: 61, then 60 in the last."""
    last, _ = plausible_figures(form, "xã", villages, random.Random(f"{commune_code}-{PERIODS[-1]}"), 0.04)
    drift = random.Random(f"{commune_code}-drift")
    found = {}
    for code in villages:
        counts = [last[code]["so_ho"]]
        for _ in PERIODS[1:]:
            counts.insert(0, counts[0] - drift.randint(-2, 3))
        found[code] = tuple(counts)
    village, before, last_year = SIXTY_ONE
    if village in found:
        found[village] = (*found[village][:-2], before, last_year)
    return found


def _fill(
    gw: Gateway, form, commune_code: str, period: str, rng: random.Random, progress: int, households=None
) -> None:
    """Plausible figures that obey the form; ``progress`` nudges later years up."""
    report = start_report(gw, commune_code, form, period)
    commune = gw.require_unit(commune_code)
    villages = [v.code for v in gw.villages_of(commune_code)]
    village_values, commune_values = plausible_figures(
        form, commune.kind, villages, rng, lift=0.04 * progress, households=households
    )
    edits = [(i, code, v) for code in villages for i, v in village_values[code].items()]
    edits += [(i, commune_code, v) for i, v in commune_values.items()]
    if commune_code == FLAWED[0]:
        edits += _deliberate_slips(gw, commune_code, edits, flawed=period == FLAWED[1])
    enter_values(gw, report, form, edits, WHO)


def plausible_figures(
    form,
    commune_kind: str,
    village_codes: list[str],
    rng: random.Random,
    lift: float = 0.0,
    households: dict[str, int] | None = None,
) -> tuple[dict[str, dict], dict]:
    """(village code -> figures, the commune's own figures) within every rule of the form; also the benchmarks'.

    ``households`` (a village's households instead of its draw; the draw is still made) lets the same
    seed give the same figures in each period but for the households and what follows from them."""
    village_values: dict[str, dict] = {}
    total = 0
    for code in village_codes:
        so_ho = rng.randint(28, 180)
        so_ho = (households or {}).get(code, so_ho)
        total += so_ho
        van_hoa = round(so_ho * min(rng.uniform(0.72, 0.95) + lift, 1.0))
        has_house = rng.random() < 0.85 + lift
        has_troupe = rng.random() < 0.9
        stable_speaker = rng.random() < 0.8 + lift
        row = {
            "so_ho": so_ho,
            "ho_van_hoa": van_hoa,
            "ban_van_hoa": int(rng.random() < 0.8 + lift),
            "ban_co_nvh": int(has_house),
            "ban_nvh_dat_chuan": int(has_house and rng.random() < 0.6 + lift),
            "ban_co_doi_van_nghe": int(has_troupe),
            "doi_van_nghe_thuong_xuyen": int(has_troupe and rng.random() < 0.8),
            "ban_cum_loa_on_dinh": int(stable_speaker),
            "ban_cum_loa_cntt": int(stable_speaker and rng.random() < 0.35),
        }
        village_values[code] = {i: v for i, v in row.items() if form.has_indicator(i)}
    leaders = rng.randint(12, 25)
    members = rng.randint(150, 400)
    agencies = rng.randint(8, 20)
    schools = rng.randint(2, 6)
    staff = rng.randint(2, 5)
    upper = staff - rng.randint(0, 1)
    commune_row = {
        "can_bo_lanh_dao": leaders,
        "cb_boi_duong": leaders - rng.randint(0, 2),
        "can_bo_dang_vien": members,
        "cbdv_hoc_nghi_quyet": members - rng.randint(0, 12),
        "ho_duoc_tuyen_truyen": round(total * rng.uniform(0.9, 1.0)),
        "xa_co_nvh": 1,
        "xa_nvh_dat_chuan": int(rng.random() < 0.7),
        "so_co_quan": agencies,
        "co_quan_van_hoa": agencies - rng.randint(0, 2),
        "xa_clb_di_san": int(rng.random() < 0.5),
        "so_truong": schools,
        "truong_clb_van_hoa": rng.randint(0, schools),
        "xa_lich_su_dang_bo": int(rng.random() < 0.6),
        "xa_tram_fm": 1,
        "ho_nghe_xem_tw": round(total * rng.uniform(0.93, 1.0)),
        "ho_nghe_xem_dia_phuong": round(total * rng.uniform(0.85, 0.98)),
        "can_bo_tuyen_giao": staff,
        "cbtg_dai_hoc": staff - rng.randint(0, 1),
        "cbtg_trung_cap_llct": upper,
        "cbtg_cao_cap_llct": rng.randint(0, upper),
    }
    # Figures version 2 of the forms asks, worked out from those above (no draw, so that every figure
    # above is the same as before): civil servants and workers besides the members, and Mục tiêu 02 met
    # only where every village's loudspeakers work.
    workers = agencies * 6
    commune_row["cb_cc_vc_nld"] = members + workers
    commune_row["cb_cc_vc_nld_hoc_nghi_quyet"] = commune_row["cbdv_hoc_nghi_quyet"] + workers - agencies
    commune_row["xa_truyen_thanh"] = int(all(v.get("ban_cum_loa_on_dinh", 1) for v in village_values.values()))
    if commune_kind == "phường":
        commune_row["phuong_van_minh"] = int(rng.random() < 0.5)
    else:
        commune_row["xa_nong_thon_moi"] = int(rng.random() < 0.4 + lift)
    return village_values, {i: v for i, v in commune_row.items() if form.has_indicator(i)}


def _deliberate_slips(gw: Gateway, commune_code: str, edits: list, flawed: bool) -> list:
    """The two slips of FLAWED; the warning's village has had half its households cultural all along
    (a figure as it was the year before: no plausibility warning), and is titled in FLAWED's year."""
    villages = gw.villages_of(commune_code)
    typed = {(i, u): v for i, u, v in edits}
    error_village, warning_village = villages[4].code, villages[8].code
    households = typed[("so_ho", error_village)]
    warn_households = typed[("so_ho", warning_village)]
    slips = [("ho_van_hoa", warning_village, warn_households // 2), ("ban_van_hoa", warning_village, int(flawed))]
    if flawed:
        slips.append(("ho_van_hoa", error_village, households + 7))  # more cultural families than families
    return slips
