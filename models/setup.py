"""First run: the officer's commune from the official catalogue, its
villages, and who fills the reports."""

from __future__ import annotations

from models import catalogue
from models.errors import BadInput
from models.gateway import Gateway
from models.units import Unit


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


def split_village_list(text: str) -> list[str]:
    """Names typed or pasted one per line (a column copied from Excel works too)."""
    names = []
    for line in text.replace("\r", "\n").split("\n"):
        name = line.split("\t")[0].strip().strip('"').strip()
        if name:
            names.append(name)
    return names
