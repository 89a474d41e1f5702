"""The scene of the follow-up list tests (tests/test_followup.py, tests/ui/test_followup_window.py):
the commune demo signs 2024 and 2025 of Xã Mường Tè with the village of 61 households typed as 1.234
in 2025 and a reason written for every warning, as the commune's program sends them (the findings,
their params and the history block they used)."""

from __future__ import annotations

from packet_forge import UNIT, Commune

from exports.collect.inbox import import_packets
from forms.library import default_library
from models.demo import SIXTY_ONE
from models.gateway import Gateway
from models.reporting import enter_values

VILLAGE = SIXTY_ONE[0]  # 61 households in 2024
REASON = "Bản sáp nhập thêm hai bản cũ từ tháng 3/2025"
HOUSEHOLDS = 1234


def sign_2024(commune: Commune, *, then: int | None = None):
    """2024 signed as the demo has it; ``then`` the village's households typed there afterwards (the
    commune's own history no longer what it sent). The 2024 households as sent."""
    report = commune.gw.find_report(UNIT, "kl224", "2024")
    commune.report = report
    sent = commune.value("so_ho", VILLAGE)
    path = commune.sign(1, name="xa-2024.sctg")
    if then is not None:
        commune.type(("so_ho", VILLAGE, then))
    return path, sent


def sign_2025(commune: Commune, households: int = HOUSEHOLDS, name: str = "xa-2025.sctg"):
    """2025 as 2024 stands at the commune (so nothing else moves, the demo's slips gone), the
    village's households typed as ``households``, every warning given a reason, signed."""
    last_year = commune.gw.values(commune.gw.find_report(UNIT, "kl224", "2024"))
    commune.report = commune.gw.find_report(UNIT, "kl224", "2025")
    cells = [(i, u, v) for (i, u), v in last_year.items()]
    enter_values(commune.gw, commune.report, commune.form, cells, "xa")
    commune.type(("so_ho", VILLAGE, households))
    view = commune.view()
    for warning in view.evaluation.warnings:
        where = warning.cell.village or UNIT
        commune.gw.set_reason(commune.report, warning.rule, warning.cell.indicator, where, REASON, "Lò Thị Mai")
    return commune.sign(1, name=name)


def filed(province: Gateway, *paths):
    run = import_packets(province, list(paths), default_library(), "tinh")
    assert [f.outcome for f in run.filed] == ["accepted"] * len(paths), [f.message for f in run.filed]
