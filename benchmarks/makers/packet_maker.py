"""The 3,321 signed packets of the national benchmarks, one per 2025 commune, and their upper level.

Used by benchmarks/bench_inbox.py (and bench_window.py through it). The packets
are made in the same format as export_packet's, without a database: bieu.xlsx
drawn for each packet by the real form_workbook (tens of ms each, on every
CPU; one reused for many packets would be refused, as the import compares it
with so-lieu.json: exports/packets/sheet_check.py), so-lieu.json built by the
real report_to_dict from figures made like the demo's (villages CODE.01...,
no error or warning), the manifest by the real manifest_of and signed_zip,
signed with each commune's demo key and zipped canonically. A packet made by
build_packet from the demo is the pattern they are compared with
(check_generated) before anything is timed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import multiprocessing
import os
import random
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from exports.packets.enrolment import Enrolment  # noqa: E402
from exports.packets.format import (  # noqa: E402
    DATA_JSON,
    FORM_XLSX,
    MANIFEST,
    PUBLIC_KEY,
    default_packet_name,
    json_bytes,
    manifest_of,
    page_entry,
    signed_zip,
)
from exports.packets.verify import verify_packet  # noqa: E402
from exports.packets.write import build_packet  # noqa: E402
from exports.paper.layout import default_layout  # noqa: E402
from exports.paper.letterhead import PageSettings, default_settings  # noqa: E402
from exports.paper.xlsx_form import form_workbook  # noqa: E402
from exports.report_json import report_to_dict, summary  # noqa: E402
from forms.engine import ReportData, evaluate  # noqa: E402
from forms.library import default_library  # noqa: E402
from forms.schema import FormDef  # noqa: E402
from models import catalogue  # noqa: E402
from models.demo import build_demo, plausible_figures  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.keys import KeyInfo, demo_private_key, fingerprint_of, key_in_use, public_pem  # noqa: E402
from models.periods import Period, parse_period  # noqa: E402
from models.report_records import ReportRef  # noqa: E402
from models.reporting import ReportView, view_report  # noqa: E402
from models.units import Unit  # noqa: E402
from models.vocabulary import VerifyStatus  # noqa: E402

FORM, PERIOD = "kl224", "2025"
PARENT = Unit("VN", "Toàn quốc (thử tải)", "tỉnh", None)
AT = dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
TYPED_AT = "2025-12-20T09:00:00+07:00"  # when the generated figures were "typed", for the audit trail
HOLDER = ("Cán bộ thử tải", "Công chức Văn hóa - Xã hội")
WHO = "do-thu-tai"
VILLAGE_COUNTS = (12, 18, 24, 30, 40, 60)  # each commune draws one


# ---- making the packets --------------------------------------------------------------


class _NoNotices:
    """The generated communes received no collection notice: no deadline, so never late."""

    def notices(self) -> list[dict]:
        return []


class _Upper:
    """What report_to_dict asks a gateway for, without one: the period, the parent unit, the notices."""

    publications = _NoNotices()

    def period(self, code: str) -> Period:
        return parse_period(code)

    def unit(self, code: str) -> Unit | None:
        return PARENT if code == PARENT.code else None


def all_communes() -> list[catalogue.CatalogueUnit]:
    return [c for p in catalogue.provinces() for c in catalogue.communes(p.code)]


def village_units(commune: Unit, count: int) -> list[Unit]:
    kind = "tổ dân phố" if commune.kind == "phường" else "bản"
    name = "Tổ dân phố số" if kind == "tổ dân phố" else "Bản số"
    return [
        Unit(f"{commune.code}.{n:02d}", f"{name} {n}", kind, commune.code, local_code=f"{n:02d}")
        for n in range(1, count + 1)
    ]


def commune_figures(form: FormDef, commune: Unit, villages: list[Unit], rng: random.Random) -> ReportData:
    """The demo's figures (models/demo.py): plausible, and within every rule of the form."""
    codes = tuple(v.code for v in villages)
    village_values, own = plausible_figures(form, commune.kind, list(codes), rng, lift=rng.uniform(0, 0.04))
    own = {i: v for i, v in own.items() if form.indicator(i).applies(commune.kind)}
    return ReportData(commune.kind, commune.tier, codes, village_values, own)


def commune_view(form: FormDef, commune: Unit, village_count: int, rng: random.Random) -> ReportView:
    villages = village_units(commune, village_count)
    data = commune_figures(form, commune, villages, rng)
    evaluation = evaluate(form, data)
    if evaluation.findings:
        raise SystemExit(f"generator bug: {commune.code} has findings {evaluation.findings[:2]}")
    report = ReportRef(0, commune.code, form.id, form.version, PERIOD)
    return ReportView(report, form, commune, villages, data, evaluation, {})


def signer_of(code: str) -> KeyInfo:
    public = demo_private_key(code).public_key()
    return KeyInfo(fingerprint_of(public), code, public_pem(public), *HOLDER, TYPED_AT, None, None, True)


def audit_rows(view: ReportView) -> list[dict]:
    """One row per typed cell, as a commune's audit trail has at least."""
    data = view.data
    cells = [(i, village, v) for village, row in data.village_values.items() for i, v in row.items()]
    cells += [(i, view.unit.code, v) for i, v in data.commune_values.items()]
    return [{"indicator": i, "unit_code": u, "old": None, "new": v, "at": TYPED_AT, "who": WHO} for i, u, v in cells]


def packet_bytes(view: ReportView, xlsx: bytes) -> bytes:
    """What exports/packets/write.py's build_packet makes, with the bieu.xlsx given instead of drawn."""
    key = signer_of(view.unit.code)
    data = report_to_dict(_Upper(), view)
    data["audit"] = audit_rows(view)
    data["double_entry"] = None  # typed once, as most reports are
    files = {FORM_XLSX: xlsx, DATA_JSON: json_bytes(data), PUBLIC_KEY: key.public_pem.encode("ascii")}
    checks = {**summary(view), "warnings_explained": 0, "double_entry": None}  # no warnings, typed once
    page = page_entry(page_of(view), default_layout(view.form), AT.date())
    manifest = manifest_of(view.unit, view.form, parse_period(PERIOD), None, key, 1, AT, checks, files, page=page)
    return signed_zip(manifest, files, demo_private_key(view.unit.code))


def form_xlsx(view: ReportView) -> bytes:
    """The packet's bieu.xlsx, drawn by the real form_workbook as export_packet draws it."""
    return form_workbook(
        view,
        period=parse_period(PERIOD),
        signed_on=AT.date(),
        page=page_of(view),
        layout=default_layout(view.form),
        signer_fingerprint=signer_of(view.unit.code).spoken,
    )


def page_of(view: ReportView) -> PageSettings:
    """The commune's letterhead and signer as a fresh database has them (no officer's changes)."""
    return default_settings(view.unit, PARENT, upper_level=False)


_worker: dict = {}  # per generating process: the form, the folder


def _start_worker(folder: str) -> None:
    _worker.update(form=default_library().get(FORM), folder=Path(folder))


def write_packets(communes: list[tuple[str, str, str]]) -> list[tuple[str, int, int]]:
    """Write the packets of these communes; (code, households, file size) each."""
    form, folder = _worker["form"], _worker["folder"]
    made = []
    for code, name, kind in communes:
        rng = random.Random(f"{code}-{PERIOD}")
        view = commune_view(form, Unit(code, name, kind, PARENT.code), rng.choice(VILLAGE_COUNTS), rng)
        raw = packet_bytes(view, form_xlsx(view))
        (folder / default_packet_name(code, FORM, PERIOD, 1)).write_bytes(raw)
        made.append((code, view.evaluation.figures["so_ho"].value, len(raw)))
    return made


def generate(folder: Path, communes: list) -> dict[str, tuple[int, int]]:
    """Every packet, written by one process per CPU: code -> (households, file size)."""
    rows = [(c.code, c.name, c.kind) for c in communes]
    chunks = [rows[i : i + 50] for i in range(0, len(rows), 50)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(os.cpu_count() or 1, _start_worker, (str(folder),)) as pool:
        return {
            code: (households, size)
            for made in pool.imap_unordered(write_packets, chunks)
            for code, households, size in made
        }


# ---- the pattern and a first check ---------------------------------------------------


def real_packet(folder: Path) -> bytes:
    """A packet made the normal way, by build_packet from the demo's Xã Sìn Hồ."""
    library = default_library()
    gw = Gateway.open(folder / "demo.db")
    try:
        build_demo(gw, library)
        view = view_report(gw, gw.find_report("03478", FORM, PERIOD), library.get(FORM))
        return build_packet(gw, view, key_in_use(gw, "03478"), demo_private_key("03478"), 1, AT)[1]
    finally:
        gw.close()


def shape(raw: bytes) -> tuple:
    """Entry names in order, the manifest's keys and so-lieu.json's keys: what must not drift."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = tuple(archive.namelist())
        manifest, data = json.loads(archive.read(MANIFEST)), json.loads(archive.read(DATA_JSON))
    audit_keys = tuple(data["audit"][0]) if data["audit"] else ()
    return names, tuple(manifest), tuple(manifest["summary"]), tuple(data), audit_keys


def check_generated(folder: Path, pattern: bytes, communes: list) -> None:
    """Stop before timing anything if the generated packets are not what the program makes and trusts."""
    library, files = default_library(), sorted(folder.glob("*.sctg"))
    if shape(files[0].read_bytes()) != shape(pattern):
        raise SystemExit(
            "Generated packets no longer have the shape of build_packet's (entries, manifest or so-lieu.json "
            f"keys): update this benchmark.\n  real: {shape(pattern)}\n  ours: {shape(files[0].read_bytes())}"
        )
    names = {c.code: c.name for c in communes}
    for path in (files[0], files[-1]):
        code = path.name.split("_")[0]
        key = signer_of(code)
        ring = [Enrolment(code, names[code], *HOLDER, key.fingerprint, demo_private_key(code).public_key(), "", None)]
        verdict = verify_packet(path, ring, library)
        if verdict.status != VerifyStatus.VALID:
            raise SystemExit(f"generated packet {path.name} does not verify: {verdict.headline()}")


# ---- the upper level ---------------------------------------------------------------


def build_upper(path: Path, communes: list) -> None:
    """One parent unit with these communes directly below, their keys trusted, kl224 2025 collected."""
    gw = Gateway.open(path)
    stamp = TYPED_AT
    with gw.transaction():
        gw.add_unit(PARENT.code, PARENT.name, PARENT.kind, who=WHO)
        for commune in communes:
            gw.add_unit(commune.code, commune.name, commune.kind, PARENT.code, who=WHO)
        gw.db["collections"].insert({"form_id": FORM, "period_code": PERIOD, "deadline": None, "opened_at": stamp})
        keys = [signer_of(c.code) for c in communes]
        gw.db["trusted_keys"].insert_all(
            {
                "fingerprint": key.fingerprint,
                "unit_code": key.unit_code,
                "public_pem": key.public_pem,
                "holder_name": key.holder_name,
                "holder_title": key.holder_title,
                "created_at": stamp,
                "replaced_at": None,
                "enrolled_at": stamp,
                "enrolled_by": WHO,
            }
            for key in keys
        )
        gw.set_setting("home_unit", PARENT.code)
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()


def link_folder(source: list[Path], folder: Path) -> Path:
    """A folder holding just these packets (hard links: nothing copied)."""
    folder.mkdir()
    for path in source:
        os.link(path, folder / path.name)
    return folder


def packets_of(files: list[Path], communes: list) -> list[Path]:
    chosen = {c.code for c in communes}
    return [f for f in files if f.name.split("_")[0] in chosen]
