"""Who has sent what: the units below × the forms collected for a period."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from exports.collect.merge import child_units
from exports.packets.container import container_of
from exports.packets.write import DATA_JSON
from forms.library import FormLibrary
from models.errors import BadInput
from models.gateway import Gateway
from models.periods import Period
from models.units import Unit

STATE_WORDS = {
    "da_nhan": "đã nhận",
    "nop_tre": "nộp trễ",
    "trung": "trùng, chờ quyết định",
    "tra_lai": "đã trả lại, chờ bản sửa",
    "cho_khoa": "chờ đăng ký khóa",
    "khong_hop_le": "gói không dùng được",
    "chua_gui": "chưa gửi",
    "qua_han": "quá hạn, chưa gửi",
}


@dataclass(frozen=True)
class Collected:
    form_id: str
    deadline: dt.date | None


@dataclass(frozen=True)
class State:
    state: str
    sequence: int | None = None
    received_at: str | None = None
    errors: int | None = None
    warnings: int | None = None
    explained: tuple[tuple[str, str], ...] = ()  # (warning, the commune's written reason)

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]


@dataclass(frozen=True)
class Completeness:
    parent: Unit
    period: Period
    forms: list[Collected]
    units: list[Unit]
    states: dict[tuple[str, str], State]  # (unit code, form id); absent: the form is not for that unit

    def count(self, form_id: str, *states: str) -> int:
        return sum(1 for (_, f), s in self.states.items() if f == form_id and s.state in states)

    def to_dict(self) -> dict:
        return {
            "parent": {"code": self.parent.code, "name": self.parent.name},
            "period": {"code": self.period.code, "label": self.period.label},
            "forms": [
                {"id": c.form_id, "deadline": c.deadline.isoformat() if c.deadline else None} for c in self.forms
            ],
            "units": [
                {
                    "code": u.code,
                    "name": u.name,
                    "forms": {
                        c.form_id: _state_dict(self.states[u.code, c.form_id])
                        for c in self.forms
                        if (u.code, c.form_id) in self.states
                    },
                }
                for u in self.units
            ],
        }


def _state_dict(state: State) -> dict:
    fields = {k: v for k, v in vars(state).items() if k != "explained"}
    return {**fields, "explained": [{"warning": w, "reason": r} for w, r in state.explained]}


def completeness(
    gw: Gateway, parent_code: str, period_code: str, library: FormLibrary, today: dt.date | None = None
) -> Completeness:
    parent = gw.require_unit(parent_code)
    period = gw.period(period_code)
    today = today or dt.date.today()
    forms = [
        Collected(form_id, dt.date.fromisoformat(deadline) if deadline else None)
        for form_id, deadline in gw.db.execute(
            "SELECT form_id, deadline FROM collections WHERE period_code = ? ORDER BY form_id", [period.code]
        )
    ]
    if not forms:
        raise BadInput(f"Chưa mở kỳ thu biểu nào cho {period.in_sentence} (lệnh inbox open).")
    units: dict[str, Unit] = {}
    states = {}
    for collected in forms:
        form = library.get(collected.form_id)
        tier = form.report_tier if form else "xa"
        for unit in child_units(gw, parent.code, tier):
            units.setdefault(unit.code, unit)
            states[unit.code, collected.form_id] = _state(gw, unit.code, collected, period.code, today)
    return Completeness(parent, period, forms, list(units.values()), states)


def _state(gw: Gateway, unit_code: str, collected: Collected, period_code: str, today: dt.date) -> State:
    rows = gw.db.execute(
        "SELECT status, sequence, received_at, manifest, id FROM received_packets "
        "WHERE unit_code = ? AND form_id = ? AND period_code = ? ORDER BY sequence DESC, id DESC",
        [unit_code, collected.form_id, period_code],
    ).fetchall()
    by_status = {}
    for status, sequence, received_at, manifest, packet_id in rows:
        by_status.setdefault(status, (sequence, received_at, manifest, packet_id))
    if "accepted" in by_status:
        sequence, received_at, manifest, packet_id = by_status["accepted"]
        summary = json.loads(manifest)["summary"]
        late = collected.deadline is not None and dt.date.fromisoformat(received_at[:10]) > collected.deadline
        explained = explained_warnings(gw, packet_id) if summary["warnings"] else ()
        return State(
            "nop_tre" if late else "da_nhan", sequence, received_at, summary["errors"], summary["warnings"], explained
        )
    for status, state in (("returned", "tra_lai"), ("conflict", "trung"), ("quarantined", "cho_khoa")):
        if status in by_status:
            sequence, received_at, _, _ = by_status[status]
            return State(state, sequence, received_at)
    if rows:
        return State("khong_hop_le", rows[0][1], rows[0][2])
    overdue = collected.deadline is not None and today > collected.deadline
    return State("qua_han" if overdue else "chua_gui")


def explained_warnings(gw: Gateway, packet_id: int) -> tuple[tuple[str, str], ...]:
    """The warnings of an accepted packet with the reasons the commune wrote, read from its so-lieu.json."""
    name, raw = gw.db.execute("SELECT file_name, packet FROM received_packets WHERE id = ?", [packet_id]).fetchone()
    data = json.loads(container_of(raw, name).entries[DATA_JSON])
    return tuple(
        (f"{f['village_name']}: {f['message']}" if f.get("village_name") else f["message"], f.get("reason") or "")
        for f in data.get("findings", [])
        if f.get("severity") == "warning"
    )
