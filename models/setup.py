"""First run: the officer's commune from the official catalogue, its
villages, and who fills the reports; or, at the upper level, the province
with all its communes, which send their packets to this machine."""

from __future__ import annotations

from collections.abc import Callable

from models import catalogue
from models.errors import BadInput
from models.gateway import Gateway
from models.keys import check_new_passphrase, create_unit_key
from models.units import Unit
from models.vocabulary import COLLECTING_TIERS


def setup_commune(
    gw: Gateway,
    commune_code: str,
    village_names: list[str],
    village_kind: str,
    officer_name: str,
    officer_title: str,
) -> Unit:
    """Province and commune as the catalogue names them, the villages, the officer; all or nothing."""
    if not commune_code:
        raise BadInput("Hãy chọn xã, phường trong danh sách.")
    commune = catalogue.find(commune_code)
    if commune is None or commune.province_code is None:
        raise BadInput(f"Mã xã “{commune_code}” không có trong danh mục đơn vị hành chính 2025.")
    if not officer_name.strip():
        raise BadInput("Cần họ tên cán bộ nhập liệu.")
    province = catalogue.find(commune.province_code)
    who = officer_name.strip()
    with gw.transaction():
        if gw.unit(province.code) is None:
            gw.add_unit(province.code, province.name, province.kind, who=who)
        if gw.unit(commune.code) is None:
            gw.add_unit(commune.code, commune.name, commune.kind, province.code, who=who)
        gw.add_villages(commune.code, village_names, village_kind, who=who)
        gw.set_setting("home_unit", commune.code)
        gw.set_setting("officer_name", officer_name)
        gw.set_setting("officer_title", officer_title)
    return gw.require_unit(commune.code)


def setup_upper(gw: Gateway, province_code: str, officer_name: str, officer_title: str) -> Unit:
    """The province and every commune of it as the catalogue names them, the officer; all or nothing.

    Communes keep their own villages: the upper level learns them from the packets.
    """
    province = catalogue.find(province_code or "")
    if province is None or province.province_code is not None:
        raise BadInput(f"Mã tỉnh “{province_code}” không có trong danh mục đơn vị hành chính 2025.")
    if not officer_name.strip():
        raise BadInput("Cần họ tên cán bộ tổng hợp.")
    if not gw.is_empty():
        raise BadInput("Cơ sở dữ liệu đã có đơn vị; cấp trên chỉ thiết lập trên một cơ sở dữ liệu mới.")
    who = officer_name.strip()
    with gw.transaction():
        gw.add_unit(province.code, province.name, province.kind, who=who)
        for commune in catalogue.communes(province.code):
            gw.add_unit(commune.code, commune.name, commune.kind, province.code, who=who)
        gw.set_setting("home_unit", province.code)
        gw.set_setting("officer_name", who)
        gw.set_setting("officer_title", officer_title.strip())
    return gw.require_unit(province.code)


def with_signing_key(gw: Gateway, set_up: Callable[[], Unit], passphrase: str, repeated: str | None = None):
    """A first run: ``set_up()`` (setup_commune or setup_upper) and the officer's signing key, in one
    transaction, so a refused passphrase (PassphraseRefused) leaves the database as empty as it was.
    (the unit, its key)."""
    with gw.transaction():
        unit = set_up()
        check_new_passphrase(passphrase, repeated)
        officer, title = gw.setting("officer_name") or "", gw.setting("officer_title") or ""
        key = create_unit_key(gw, unit.code, passphrase, holder_name=officer, holder_title=title)
    return unit, key


def is_upper_level(gw: Gateway) -> bool:
    """True when this machine's unit collects packets from units below (a province or district)."""
    home = gw.unit(gw.setting("home_unit") or "")
    return home is not None and home.tier in COLLECTING_TIERS


def split_village_list(text: str) -> list[str]:
    """Names typed or pasted one per line (a column copied from Excel works too)."""
    names = []
    for line in text.replace("\r", "\n").split("\n"):
        name = line.split("\t")[0].strip().strip('"').strip()
        if name:
            names.append(name)
    return names
