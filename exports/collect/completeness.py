"""Who has sent what: the units below × the forms collected for a period."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

from exports.collect.followup import Counted, followup
from exports.collect.merge import child_units
from exports.packets.container import container_of
from exports.packets.format import DATA_JSON
from forms.library import FormLibrary
from models.errors import BadInput, UserError
from models.gateway import Gateway
from models.periods import Period
from models.reporting import filling_tiers
from models.units import Unit
from models.vocabulary import CollectionState, PacketStatus


@dataclass(frozen=True)
class Collected:
    form_id: str
    deadline: dt.date | None


@dataclass(frozen=True)
class State:
    state: CollectionState
    sequence: int | None = None
    received_at: str | None = None
    errors: int | None = None
    warnings: int | None = None
    explained: tuple[tuple[str, str], ...] = ()  # (warning, the commune's written reason)
    # What the packet says of double entry (its manifest's summary): state, first_by, second_by,
    # differences, resolved, done_at; None when it was not double-entered.
    double_entry: dict | None = None
    plausibility: Counted | None = None  # an accepted packet's plausibility warnings (exports/collect/followup.py)

    @property
    def words(self) -> str:
        return CollectionState(self.state).words


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
    fields = {k: v for k, v in vars(state).items() if k not in ("explained", "plausibility")}
    plausibility = state.plausibility.to_dict() if state.plausibility else None
    return {
        **fields,
        "explained": [{"warning": w, "reason": r} for w, r in state.explained],
        "plausibility": plausibility,
    }


def completeness(
    gw: Gateway, parent_code: str, period_code: str, library: FormLibrary, today: dt.date | None = None
) -> Completeness:
    parent = gw.require_unit(parent_code)
    period = gw.period(period_code)
    today = today or dt.date.today()
    forms = [
        Collected(form_id, dt.date.fromisoformat(deadline) if deadline else None)
        for form_id, deadline in gw.collections.of_period(period.code)
    ]
    if not forms:
        raise BadInput(f"Chưa mở kỳ thu biểu nào cho {period.in_sentence}; hãy mở kỳ thu biểu trước.")
    units: dict[str, Unit] = {}
    states = {}
    for collected in forms:
        form = library.get(collected.form_id)
        tiers = filling_tiers(form, period) if form else ("xa",)
        for unit in child_units(gw, parent.code, tiers):
            units.setdefault(unit.code, unit)
            states[unit.code, collected.form_id] = _state(gw, unit.code, collected, period.code, today)
        _count_plausibility(gw, parent.code, collected.form_id, period.code, states)
    return Completeness(parent, period, forms, list(units.values()), states)


def _count_plausibility(gw: Gateway, parent_code: str, form_id: str, period_code: str, states: dict) -> None:
    """Each accepted packet's plausibility warnings: sent, found here, disagreeing (the follow-up list's)."""
    try:
        listed = followup(gw, form_id, period_code, parent_code)
    except UserError:
        return  # a form this level no longer knows: the matrix still says who sent what
    for unit in listed.units:
        key = (unit.code, form_id)
        if key in states and states[key].state in (CollectionState.RECEIVED, CollectionState.LATE):
            states[key] = replace(states[key], plausibility=listed.counted(unit.code))


def _state(gw: Gateway, unit_code: str, collected: Collected, period_code: str, today: dt.date) -> State:
    rows = gw.inbox.of_report(unit_code, collected.form_id, period_code)
    by_status = {}
    for row in rows:
        by_status.setdefault(row["status"], row)
    if PacketStatus.ACCEPTED in by_status:
        row = by_status[PacketStatus.ACCEPTED]
        errors, warnings = _found(row)
        late = collected.deadline is not None and dt.date.fromisoformat(row["received_at"][:10]) > collected.deadline
        explained = explained_warnings(gw, row["id"]) if warnings else ()
        state = CollectionState.LATE if late else CollectionState.RECEIVED
        return State(state, row["sequence"], row["received_at"], errors, warnings, explained, _double_entry(row))
    for status, state in (
        (PacketStatus.FLAWED, CollectionState.FLAWED),
        (PacketStatus.RETURNED, CollectionState.RETURNED),
        (PacketStatus.CONFLICT, CollectionState.CONFLICT),
        (PacketStatus.HELD, CollectionState.HELD),
        (PacketStatus.QUARANTINED, CollectionState.AWAITING_KEY),
        (PacketStatus.WAITING, CollectionState.WAITING),
    ):
        if status in by_status:
            row = by_status[status]
            errors, warnings = _found(row)
            return State(state, row["sequence"], row["received_at"], errors, warnings)
    if rows:
        return State(CollectionState.UNUSABLE, rows[0]["sequence"], rows[0]["received_at"])
    overdue = collected.deadline is not None and today > collected.deadline
    return State(CollectionState.OVERDUE if overdue else CollectionState.NOT_SENT)


def _found(row: dict) -> tuple[int | None, int | None]:
    """(errors, warnings) this level found in a packet's figures; for a packet filed before the
    upper level checked figures itself, what its manifest declared."""
    if row["findings"] is not None:
        findings = json.loads(row["findings"])
        errors = sum(1 for f in findings if f["severity"] == "error")
        return errors, len(findings) - errors
    if row["manifest"]:
        summary = json.loads(row["manifest"])["summary"]
        return summary["errors"], summary["warnings"]
    return None, None


def _double_entry(row: dict) -> dict | None:
    """The double entry a packet declares (verified with its signature when it was filed)."""
    if not row["manifest"]:
        return None
    record = json.loads(row["manifest"])["summary"].get("double_entry")
    return record if isinstance(record, dict) else None


def explained_warnings(gw: Gateway, packet_id: int) -> tuple[tuple[str, str], ...]:
    """The warnings of an accepted packet with the reasons the commune wrote, read from its so-lieu.json."""
    name, raw = gw.inbox.file_of(packet_id)
    data = json.loads(container_of(raw, name).entries[DATA_JSON])
    return tuple(
        (f"{f['village_name']}: {f['message']}" if f.get("village_name") else f["message"], f.get("reason") or "")
        for f in data.get("findings", [])
        if f.get("severity") == "warning"
    )
