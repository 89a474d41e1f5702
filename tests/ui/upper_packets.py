"""Real packets for the upper level's window, made once per test session (the
``packets`` fixture in conftest.py) from copies of the commune demo:

- mt24-1, mt24-2: Xã Mường Tè, 2024, exported twice (sequences 1 and 2);
- mt24-1-other: the same report from another copy of the database with one
  figure changed, exported once: a different “lần gửi 1” (a conflict);
- tp24, sh24, sh25: Phường Tân Phong and Xã Sìn Hồ, 2024; Sìn Hồ again for 2025;
- bl24: Xã Bình Lư, 2024, signed with a key the province does not trust yet,
  whose key file is ``enrolment``;
- many: Mường Tè 2024 signed 20 more times (sequences 3 to 22), for stopping
  an import half way.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

from exports.packets.enrolment import write_enrolment
from exports.packets.write import build_packet, export_packet
from forms.library import default_library
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, create_unit_key, key_in_use, unlock_key
from models.reporting import enter_values, view_report

BINH_LU_PASSPHRASE = "khóa xã Bình Lư"
AT = dt.datetime(2025, 1, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
MANY = 20


def _view(gw: Gateway, unit: str, period: str = "2024"):
    kl224 = default_library().get("kl224")
    return view_report(gw, gw.find_report(unit, "kl224", period), kl224)


def make_packets(demo_template: Path, folder: Path) -> SimpleNamespace:
    """Every packet the window tests import: name -> bytes, and Bình Lư's key file."""
    raw: dict[str, bytes] = {}
    for name in ("a", "b"):
        shutil.copy(demo_template, folder / f"xa-{name}.db")
    out = folder / "ra"
    out.mkdir()
    gw = Gateway.open(folder / "xa-a.db")
    try:
        for name, unit in (("mt24-1", "03445"), ("mt24-2", "03445"), ("tp24", "03408"), ("sh24", "03478")):
            raw[name] = export_packet(
                gw, _view(gw, unit), DEMO_PASSPHRASE, out / f"{name}.sctg", at=AT
            ).path.read_bytes()
        raw["sh25"] = export_packet(
            gw, _view(gw, "03478", "2025"), DEMO_PASSPHRASE, out / "sh25.sctg", at=AT
        ).path.read_bytes()
        key = create_unit_key(gw, "03390", BINH_LU_PASSPHRASE, "Lường Văn Tâm", "Công chức Văn hóa - Xã hội")
        raw["bl24"] = export_packet(
            gw, _view(gw, "03390"), BINH_LU_PASSPHRASE, out / "bl24.sctg", at=dt.datetime.now(dt.UTC)
        ).path.read_bytes()  # signed now: the upper level refuses a packet dated before its key was made
        enrolment = write_enrolment(key, gw.require_unit("03390"), folder / "khoa-03390.sctk")
        mine = key_in_use(gw, "03445")
        private = unlock_key(gw, mine, DEMO_PASSPHRASE)
        view = _view(gw, "03445")
        for n in range(MANY):
            raw[f"many-{n:02d}"] = build_packet(gw, view, mine, private, 3 + n, AT + dt.timedelta(minutes=n))[1]
    finally:
        gw.close()
    gw = Gateway.open(folder / "xa-b.db")
    try:
        report = gw.find_report("03445", "kl224", "2024")
        members = gw.values(report)[("can_bo_dang_vien", "03445")]
        enter_values(gw, report, default_library().get("kl224"), [("can_bo_dang_vien", "03445", members + 5)], "xa")
        path = export_packet(gw, _view(gw, "03445"), DEMO_PASSPHRASE, out / "mt24-1-other.sctg", at=AT).path
        raw["mt24-1-other"] = path.read_bytes()
        other_members = members + 5
    finally:
        gw.close()
    return SimpleNamespace(
        raw=raw, enrolment=enrolment, key=key, members=members, other_members=other_members, folder=folder
    )
