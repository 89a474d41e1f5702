"""The scene of the follow-up list tests (tests/test_followup.py, tests/ui/test_followup_window.py):
the commune demo signs 2024 and 2025 of Xã Mường Tè with one village's households typed as 1.234 and
a reason written; the packet as the commune's program sends its plausibility warnings."""

from __future__ import annotations

from packet_forge import UNIT, VILLAGE, Commune, forged

from exports.collect.inbox import import_packets
from forms.library import default_library
from forms.plausibility import RULE_CHANGE
from models.gateway import Gateway
from models.reporting import enter_values

REASON = "Bản Nà Sáng sáp nhập thêm hai bản cũ từ tháng 3/2025"
HOUSEHOLDS = 1234


def sign_2025(commune: Commune, households: int = HOUSEHOLDS, name: str = "xa-2025.sctg"):
    """2025 as 2024 (so nothing else moves), one village's households typed as ``households``, every
    warning given a reason, signed: (the packet, the 2024 households of that village)."""
    last_year = commune.gw.values(commune.gw.find_report(UNIT, "kl224", "2024"))
    commune.report = commune.gw.find_report(UNIT, "kl224", "2025")
    cells = [(i, u, v) for (i, u), v in last_year.items()]
    enter_values(commune.gw, commune.report, commune.form, cells, "xa")
    commune.type(("so_ho", VILLAGE, households), ("ho_van_hoa", VILLAGE, round(households * 0.8)))
    view = commune.view()
    for warning in view.evaluation.warnings:
        where = warning.cell.village or UNIT
        commune.gw.set_reason(commune.report, warning.rule, warning.cell.indicator, where, REASON, "Lò Thị Mai")
    return commune.sign(1, name=name), last_year[("so_ho", VILLAGE)]


def filed(province: Gateway, *paths):
    run = import_packets(province, list(paths), default_library(), "tinh")
    assert [f.outcome for f in run.filed] == ["accepted"] * len(paths), [f.message for f in run.filed]


def with_sent_warning(path, before: int, *, said: int):
    """The packet with the households warning as the commune's program sends it: the finding with its
    rule, params and reason, and the history value it used (``said`` for 2024)."""

    def edit(data):
        data["findings"] = [f for f in data["findings"] if f["rule"] != RULE_CHANGE or f["village"] != VILLAGE]
        params = {"value": HOUSEHOLDS, "before": said, "period": "2024", "period_label": "Năm 2024"}
        message = f"Số hộ gia đình 1.234 khác nhiều so với kỳ trước (Năm 2024: {said})."
        data["findings"].append(
            {
                "severity": "warning",
                "rule": RULE_CHANGE,
                "code": RULE_CHANGE,
                "indicator": "so_ho",
                "village": VILLAGE,
                "village_name": "Bản Nà Sáng",
                "message": message,
                "reason": REASON,
                "params": params,
            }
        )
        data["history"] = {
            "periods": [{"code": "2024", "label": "Năm 2024", "why": "kỳ trước"}],
            "values": [["so_ho", VILLAGE, "2024", said]],
        }

    def count(manifest):
        manifest["summary"]["plausibility"] = 1

    return forged(path, data=edit, manifest=count)
