"""What this level holds of a form's earlier periods, for its follow-up list (exports/collect/followup.py):
each period's accepted packets by unit, read in one query, and a unit's History built from its earlier
ones with the periods the commune's program compares with (models/history.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from forms.plausibility import WHY_HISTORY, EarlierPeriod, History
from forms.schema import PLAUSIBLE_KINDS, FormDef
from models.errors import UserError
from models.gateway import Gateway
from models.history import earlier_periods as last_periods
from models.periods import Period, parse_period, previous_period


@dataclass
class Standing:
    """A unit's accepted packet of one period as the inbox keeps it; its JSON read when first asked for."""

    packet_id: int
    cells_json: str | None
    villages_json: str | None
    sent: bool  # the manifest counts plausibility warnings: its so-lieu.json is worth opening
    _cells: dict | None = None
    read_cells: Callable[[], str | None] | None = None  # where the cells were left out of the period's read

    def cells(self) -> dict[str, dict]:
        """{unit or village code: {indicator: value}}."""
        if self._cells is None:
            if self.cells_json is None and self.read_cells is not None:
                self.cells_json = self.read_cells()
            loaded = json.loads(self.cells_json) if self.cells_json else {}
            self._cells = loaded if isinstance(loaded, dict) else {}
        return self._cells

    def values(self, indicators: frozenset[str]) -> dict[tuple[str, str], object]:
        """(indicator, unit or village code) -> value, of ``indicators`` only."""
        return {
            (indicator, code): v
            for code, row in self.cells().items()
            for indicator, v in row.items()
            if indicator in indicators
        }

    def villages(self, unit_code: str) -> list[tuple[str, str]]:
        """(code, name) of the villages the packet listed, then any other holding figures (by its code)."""
        listed = json.loads(self.villages_json) if self.villages_json else []
        found = [(str(v[0]), str(v[1])) for v in listed if isinstance(v, list) and len(v) >= 2]
        known = {code for code, _ in found} | {unit_code}
        return found + [(code, code) for code in self.cells() if code not in known]


class StandingPackets:
    """The accepted packets of a form, one read per period (exports/collect/merge.py counts the same),
    and the History of a unit built from its earlier ones, as the commune's program builds its own."""

    def __init__(self, gw: Gateway, form: FormDef):
        self.gw, self.form = gw, form
        self._periods: dict[str, dict[str, Standing]] = {}
        self._earlier: dict[str, list[tuple[Period, str]]] = {}
        # Only what the checks read goes into a History: a province builds one for every unit.
        self.checked = frozenset(
            [i.id for i in form.indicators if i.kind in PLAUSIBLE_KINDS and i.plausible]
            + [name for r in form.ratios for name in (r.numerator, r.denominator)]
        )

    def of(self, period_code: str, whole: bool = True) -> dict[str, Standing]:
        """The accepted packets of a period by unit; ``whole`` False reads each one's cells only when asked
        for (the listed period, of which most units have nothing to check), True all in one read (the
        earlier periods, every unit's history)."""
        if period_code not in self._periods:
            kept = self.gw.inbox.accepted_cells(self.form.id, period_code, cells=whole)
            cells_of = self.gw.inbox.cells_of
            self._periods[period_code] = {
                unit: Standing(
                    packet,
                    cells,
                    villages,
                    type(sent) is int and sent > 0,
                    read_cells=None if whole else (lambda packet=packet: cells_of(packet)),
                )  # fmt: skip
                for unit, (packet, cells, villages, sent) in kept.items()
            }
        return self._periods[period_code]

    def history(self, unit_code: str, period_code: str) -> History:
        if period_code not in self._earlier:
            self._earlier[period_code] = earlier_periods(period_code, self.form.plausibility.history_years)
        periods = []
        for period, why in self._earlier[period_code]:
            standing = self.of(period.code).get(unit_code)
            if standing is not None:
                periods.append(EarlierPeriod(period.code, period.label, why, standing.values(self.checked)))
        return History(unit_code, periods)


def earlier_periods(code: str, count: int) -> list[tuple[Period, str]]:
    """The periods the commune's program compares with (models/history.plausibility_history): the one
    just before and the same period a year before, then further back, ``count`` periods of the same
    kind in all."""
    found = list(last_periods(code))
    seen = {period.code for period, _ in found}
    current = code
    for _ in range(count):
        try:
            current = previous_period(current).code
        except UserError:
            break  # before 1945: nothing was reported
        if current not in seen:
            seen.add(current)
            found.append((parse_period(current), WHY_HISTORY))
    return found
