"""Plausibility warnings: a figure far from what the same unit reported before, outside a range the
province set, or a share between two related indicators that moved too much.

Pure, no database. The reader (models/history.plausibility_history) hands over the earlier periods'
values once per open report as a ``History``, which works out per (indicator, unit) the last
period's value, the same period a year before, and the min and max of the whole history; every
keystroke then only looks these up (``plausibility_findings``). Thresholds are the form's
(forms/schema.Plausibility, an indicator's own, ``[[ranges]]``, ``[[ratios]]``); only counts and
amounts are checked. Each finding is a warning: signing needs a written reason, as for any warning.
Its ``params`` hold the earlier values it used, so a message and a packet can name them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from forms.engine import Cell, Finding, ReportData
from forms.schema import PLAUSIBLE_KINDS, FormDef, PlausibleRange, Ratio

RULE_CHANGE = "bien_dong_so_ky_truoc"
RULE_HISTORY_RANGE = "ngoai_khoang_lich_su"
RULE_SET_RANGE = "ngoai_khoang_quy_dinh"
RULE_RATIO = "ty_le_bien_dong"
PLAUSIBILITY_RULES = frozenset({RULE_CHANGE, RULE_HISTORY_RANGE, RULE_SET_RANGE, RULE_RATIO})

WHY_LAST = "kỳ trước"
WHY_YEAR_BEFORE = "cùng kỳ năm trước"
WHY_HISTORY = "lịch sử"
WHYS = (WHY_LAST, WHY_YEAR_BEFORE, WHY_HISTORY)
# A range from one earlier value says no more than the change against it: the history range needs two.
HISTORY_RANGE_LEAST = 2

Number = int | float


@dataclass(frozen=True)
class EarlierPeriod:
    """One earlier period: its code, its label (“Năm 2024”), why it is read (WHYS) and its values,
    (indicator, unit code) -> value, villages under their codes and the commune under its own."""

    code: str
    label: str
    why: str
    values: Mapping[tuple[str, str], object]


@dataclass(frozen=True, slots=True)
class CellHistory:
    """What the history says of one (indicator, unit): worked out once, looked up on every keystroke."""

    last: Number | None  # the last period's value
    year_before: Number | None  # the same period a year before, when that is another period
    low: Number  # the smallest and largest value over every earlier period
    high: Number
    count: int  # how many earlier periods hold a value


class History:
    """The earlier periods of one report (``unit`` its commune's code), read once when it opens.

    ``periods`` are EarlierPeriod or (code, label, why, values) tuples, newest first. A commune
    figure of a village indicator that nobody typed is the sum of its villages, as the engine sums it.
    """

    def __init__(self, unit: str, periods: Iterable[EarlierPeriod | tuple] = ()):
        self.unit = unit
        self.periods = tuple(p if isinstance(p, EarlierPeriod) else EarlierPeriod(*p) for p in periods)
        self.last = next((p for p in self.periods if p.why == WHY_LAST), None)
        self.year_before = next((p for p in self.periods if p.why == WHY_YEAR_BEFORE), None)
        self.values = {p.code: _with_commune_sums(unit, p.values) for p in self.periods}
        self.cells = self._cells()

    def _cells(self) -> dict[tuple[str, str], CellHistory]:
        seen: dict[tuple[str, str], list[Number]] = {}
        for values in self.values.values():
            for key, value in values.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    seen.setdefault(key, []).append(value)
        last = self.values.get(self.last.code, {}) if self.last else {}
        year = self.values.get(self.year_before.code, {}) if self.year_before else {}
        return {
            key: CellHistory(_number(last.get(key)), _number(year.get(key)), min(found), max(found), len(found))
            for key, found in seen.items()
        }

    def cell(self, indicator: str, unit: str) -> CellHistory | None:
        return self.cells.get((indicator, unit))

    def findings(self, form: FormDef, data: ReportData) -> list[Finding]:
        """The plausibility findings of ``data``: what forms.engine.evaluate appends."""
        return plausibility_findings(form, data, self)

    def used(self, findings: Iterable[Finding]) -> dict:
        """The history the plausibility findings used, as a packet carries it: the periods and, for each
        finding's cells, every earlier value ([indicator, unit code, period code, value])."""
        keys: set[tuple[str, str]] = set()
        for finding in findings:
            if finding.rule not in PLAUSIBILITY_RULES or finding.rule == RULE_SET_RANGE:
                continue
            unit = finding.cell.village or self.unit
            names = (finding.params["numerator"], finding.params["denominator"]) if finding.rule == RULE_RATIO else ()
            for indicator in names or (finding.cell.indicator,):
                keys.add((indicator, unit))
        values = [
            [indicator, unit, period.code, self.values[period.code][(indicator, unit)]]
            for indicator, unit in sorted(keys)
            for period in self.periods
            if (indicator, unit) in self.values[period.code]
        ]
        used_periods = {v[2] for v in values}
        periods = [{"code": p.code, "label": p.label, "why": p.why} for p in self.periods if p.code in used_periods]
        return {"periods": periods, "values": values}


def _number(value) -> Number | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _with_commune_sums(unit: str, values: Mapping[tuple[str, str], object]) -> dict:
    found = dict(values)
    sums: dict[str, Number] = {}
    for (indicator, code), value in values.items():
        if code != unit and _number(value) is not None:
            sums[indicator] = sums.get(indicator, 0) + value
    for indicator, total in sums.items():
        found.setdefault((indicator, unit), total)
    return found


# ---- the plan: what to check, worked out once per form --------------------------------------


@dataclass(frozen=True)
class _Check:
    indicator: str
    change_percent: Number | None
    change_min: Number
    margin: Number | None


@dataclass(frozen=True)
class _Plan:
    village: tuple[_Check, ...]
    commune: tuple[_Check, ...]
    ranges: dict[str, dict[str, PlausibleRange]]  # indicator -> unit code ("" every unit) -> range
    village_ratios: tuple[Ratio, ...]
    commune_ratios: tuple[Ratio, ...]
    # Ratios whose numerator the form holds as a part of the denominator (its own rules refuse a share over
    # 100%): an earlier share beyond 0-100% was a slip of its own, never a base to compare with.
    shares_of_whole: frozenset[str] = frozenset()


def _plan(form: FormDef) -> _Plan:
    cached = form.__dict__.get("_plausibility_plan")
    if cached is None:
        cached = _make_plan(form)
        object.__setattr__(form, "_plausibility_plan", cached)
    return cached


def _make_plan(form: FormDef) -> _Plan:
    defaults = form.plausibility
    checks: dict[str, list[_Check]] = {"village": [], "commune": []}
    ranges: dict[str, dict[str, PlausibleRange]] = {}
    for ind in form.indicators:
        if ind.kind not in PLAUSIBLE_KINDS or not ind.plausible:
            continue
        percent = ind.change_percent if ind.change_percent is not None else defaults.change_percent
        least = ind.change_min if ind.change_min is not None else defaults.change_min
        margin = ind.history_margin if ind.history_margin is not None else defaults.history_margin
        checks[ind.grain].append(_Check(ind.id, percent, least or 0, margin))
    for set_range in form.ranges:
        ranges.setdefault(set_range.indicator, {})[set_range.unit] = set_range
    village_ids = {i.id for i in form.village_indicators}
    by_village = tuple(r for r in form.ratios if {r.numerator, r.denominator} <= village_ids)
    return _Plan(
        village=tuple(checks["village"]),
        commune=tuple(checks["commune"]),
        ranges=ranges,
        village_ratios=by_village,
        commune_ratios=tuple(r for r in form.ratios if r not in by_village),
        shares_of_whole=frozenset(r.id for r in form.ratios if _part_of(form, r.numerator, r.denominator)),
    )


def _part_of(form: FormDef, part: str, whole: str) -> bool:
    """Whether the form holds ``part`` as a share or a “trong đó” of ``whole``."""
    ind = form.indicator(part) if form.has_indicator(part) else None
    return ind is not None and whole in (ind.denominator, ind.parent)


# ---- the check --------------------------------------------------------------------------------


def plausibility_findings(form: FormDef, data: ReportData, history: History) -> list[Finding]:
    """Every plausibility warning of ``data`` against ``history`` and the form's thresholds."""
    plan = _plan(form)
    findings: list[Finding] = []
    cells = history.cells
    for village in data.villages:
        values = data.village_values.get(village)
        if not values:
            continue
        since = len(findings)
        for check in plan.village:
            value = values.get(check.indicator)
            if value is not None:
                _check_value(plan, history, check, value, village, village, cells, findings)
        for ratio in plan.village_ratios:
            _check_ratio(history, ratio, values, village, village, findings, since, plan.shares_of_whole)
    commune = history.unit
    since = len(findings)
    for check in plan.commune:
        value = data.commune_values.get(check.indicator)
        if value is not None:
            _check_value(plan, history, check, value, None, commune, cells, findings)
    if plan.commune_ratios:
        figures = _commune_figures(form, data)
        for ratio in plan.commune_ratios:
            _check_ratio(history, ratio, figures, None, commune, findings, since, plan.shares_of_whole)
    return findings


def _check_value(plan, history, check: _Check, value, village, unit: str, cells, findings: list) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return  # a negative figure is already an error of its own
    cell = Cell(check.indicator, village)
    moved = False
    past = cells.get((check.indicator, unit))
    if past is not None and check.change_percent is not None:
        moved = _change(history, check, value, past, cell, findings)
    if past is not None and not moved and check.margin is not None and past.count >= HISTORY_RANGE_LEAST:
        low = math.floor(past.low * (100 - check.margin) / 100)
        high = math.ceil(past.high * (100 + check.margin) / 100)
        if not low <= value <= high:
            params = {"value": value, "low": max(low, 0), "high": high, "min": past.low, "max": past.high}
            params |= {"margin": check.margin, "periods": past.count}
            findings.append(Finding(cell, RULE_HISTORY_RANGE, "warning", RULE_HISTORY_RANGE, params))
    ranges = plan.ranges.get(check.indicator)
    if ranges:
        chosen = ranges.get(unit) or (ranges.get(history.unit) if village else None) or ranges.get("")
        if chosen is not None and not _inside(value, chosen.low, chosen.high):
            params = {"value": value, "low": chosen.low, "high": chosen.high, "unit": chosen.unit}
            findings.append(Finding(cell, RULE_SET_RANGE, "warning", RULE_SET_RANGE, params))


def _change(history: History, check: _Check, value, past: CellHistory, cell: Cell, findings: list) -> bool:
    """A change beyond the thresholds against the last period and, where there is one and it holds a
    value, the same period a year before too (a figure that moves with the season is no slip)."""
    bases = [(p, v) for p, v in ((history.last, past.last), (history.year_before, past.year_before)) if v is not None]
    if not bases or not all(_moved(value, before, check) for _, before in bases):
        return False
    period, before = bases[0]
    params = {"value": value, "before": before, "period": period.code, "period_label": period.label}
    params |= {"why": period.why, "diff": value - before, "percent": _percent(value - before, before)}
    params |= {"change_percent": check.change_percent, "change_min": check.change_min}
    if len(bases) > 1:
        params |= {"year_before": bases[1][1], "year_period": bases[1][0].code, "year_label": bases[1][0].label}
    findings.append(Finding(cell, RULE_CHANGE, "warning", RULE_CHANGE, params))
    return True


def _moved(value: Number, before: Number, check: _Check) -> bool:
    """Beyond change_percent of the earlier value and at least change_min apart."""
    diff = abs(value - before)
    if diff == 0 or diff < check.change_min:
        return False
    return before == 0 or diff * 100 > check.change_percent * abs(before)


def _percent(diff: Number, before: Number) -> float | None:
    return diff * 100 / before if before else None


def _inside(value: Number, low: Number | None, high: Number | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _commune_figures(form: FormDef, data: ReportData) -> dict:
    """The commune's figure of each indicator as the engine takes it: typed, else the villages' sum."""
    figures = dict(data.commune_values)
    for ind in form.village_indicators:
        if ind.id in figures:
            continue
        found = [v[ind.id] for v in data.village_values.values() if _number(v.get(ind.id)) is not None]
        if found:
            figures[ind.id] = sum(found)
    return figures


def _share(values: Mapping, ratio: Ratio) -> float | None:
    numerator, denominator = _number(values.get(ratio.numerator)), _number(values.get(ratio.denominator))
    if numerator is None or not denominator or denominator < 0:
        return None
    return numerator * 100 / denominator


def _check_ratio(
    history: History, ratio: Ratio, values: Mapping, village, unit: str, findings: list, since: int, wholes=frozenset()
):
    """``findings[since:]`` are this unit's: where they say the numerator or the denominator changed, the
    share's change is that one said again."""
    share = _share(values, ratio)
    if share is None:
        return
    params = {"ratio": ratio.id, "numerator": ratio.numerator, "denominator": ratio.denominator, "share": share}
    params |= {"num_value": values[ratio.numerator], "den_value": values[ratio.denominator]}
    cell = Cell(ratio.numerator, village)
    if not _inside(share, ratio.low, ratio.high):
        params |= {"low": ratio.low, "high": ratio.high}
        findings.append(Finding(cell, RULE_RATIO, "warning", RULE_RATIO, params))
        return
    period = history.last
    if ratio.change_points is None or period is None:
        return
    before_values = history.values[period.code]
    before = _share({k: before_values.get((k, unit)) for k in (ratio.numerator, ratio.denominator)}, ratio)
    changed = {ratio.numerator, ratio.denominator}
    if any(f.rule == RULE_CHANGE and f.cell.indicator in changed for f in findings[since:]):
        return
    if before is None or not _inside(before, ratio.low, ratio.high) or (ratio.id in wholes and not 0 <= before <= 100):
        return  # an earlier share outside the bounds was a slip of its own: nothing to compare with
    if abs(share - before) > ratio.change_points:
        params |= {"before_share": before, "period": period.code, "period_label": period.label}
        params |= {"why": period.why, "change_points": ratio.change_points}
        findings.append(Finding(cell, RULE_RATIO, "warning", RULE_RATIO, params))
