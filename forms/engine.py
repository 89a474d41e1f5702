"""The rule engine: derived figures, findings and targets for one report.

Pure Python over plain dicts. Given a form, the values of one unit and
period, and optionally a target set, ``evaluate`` returns an Evaluation:
the commune figures (sums over villages, percentages from their
denominators, never typed), every finding keyed by cell with a message code,
the target comparison, and the cells still empty. The GUI colours, the CLI
and the packet all read this one result.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from forms.schema import FormDef, Indicator, Rule, TargetSet

if TYPE_CHECKING:
    from forms.plausibility import History

Value = int | float | str

TIER_RANK = {"tinh": 0, "huyen": 1, "xa": 2, "thon": 3}
_COMPARE = {
    "<=": operator.le,
    "<": operator.lt,
    "=": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
    "!=": operator.ne,
}

# Built-in rule ids (Finding.rule) and their message codes (Finding.code).
RULE_NEGATIVE = "so_khong_am"
RULE_PART_OF_WHOLE = "phan_khong_vuot_tong"
RULE_OF_WHICH = "trong_do_khong_vuot_cha"
RULE_SUM_OF_VILLAGES = "xa_bang_tong_cac_ban"
RULE_PERCENT_RANGE = "ty_le_tu_0_den_100"
BUILTIN_RULES = {
    RULE_NEGATIVE: "so_am",
    RULE_PART_OF_WHOLE: "vuot_tong",
    RULE_OF_WHICH: "vuot_chi_tieu_cha",
    RULE_SUM_OF_VILLAGES: "lech_tong_cac_ban",
    RULE_PERCENT_RANGE: "ty_le_ngoai_khoang",
}
CUSTOM_RULE_CODE = "quy_tac_cua_bieu"


@dataclass(frozen=True)
class ReportData:
    """The values of one report, as the gateway hands them over."""

    unit_kind: str  # "xã", "phường", ...: decides which rows apply
    unit_tier: str  # "xa", "huyen", ...: decides which count targets compare
    villages: tuple[str, ...]  # village codes, in display order
    village_values: dict[str, dict[str, Value]]
    commune_values: dict[str, Value]


@dataclass(frozen=True)
class Cell:
    indicator: str
    village: str | None = None  # None: the commune row


@dataclass(frozen=True)
class Finding:
    cell: Cell
    rule: str
    severity: str  # "error" | "warning"
    code: str  # message code, turned into Vietnamese by forms/messages.py
    params: dict = field(default_factory=dict, compare=False)


@dataclass(slots=True)
class Figure:
    """One indicator at commune level. Not frozen, though never changed once made: a province's merge
    makes a hundred thousand of them, and a frozen dataclass takes four times as long to make."""

    indicator: str
    value: Value | None
    total: int | float | None  # the denominator's value
    percent: float | None
    typed: bool  # typed at commune level rather than summed over villages
    applicable: bool = True


@dataclass(frozen=True)
class TargetResult:
    indicator: str
    op: str
    percent: Decimal | None
    count: int | None
    version: int
    source: str
    status: str  # "dat" | "chua_dat" | "khong_ap_dung" | "thieu_so_lieu"
    achieved: float | int | None  # the percentage, or the count
    gap: int | None  # units still missing (>0) or in excess (<0)


@dataclass
class Evaluation:
    figures: dict[str, Figure]
    findings: list[Finding]
    missing: list[Cell]
    target_set: TargetSet | None = None
    targets: list[TargetResult] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def villages_missing(self, villages: tuple[str, ...]) -> list[str]:
        """Villages with at least one required cell still empty."""
        empty = {c.village for c in self.missing if c.village is not None}
        return [v for v in villages if v in empty]


def evaluate(
    form: FormDef, data: ReportData, target_set: TargetSet | None = None, history: History | None = None
) -> Evaluation:
    """``history`` (forms/plausibility.History, read once per open report) adds the plausibility warnings."""
    plan = _plan(form)
    findings: list[Finding] = []
    missing: list[Cell] = []
    sums, entered = _check_villages(plan, data, findings, missing)
    scope, typed = _commune_scope(plan, data, sums, entered, findings, missing)
    _check_commune(plan, scope, typed, findings)
    figures = _figures(plan, data, scope, typed, findings, {c.indicator for c in missing})
    if history is not None:  # a cell whose slip the form's rules found already needs no second word
        found = {f.cell for f in findings}
        findings.extend(f for f in history.findings(form, data) if f.cell not in found)
    evaluation = Evaluation(figures=figures, findings=findings, missing=missing, target_set=target_set)
    if target_set is not None:
        evaluation.targets = compare_targets(form, figures, target_set, data.unit_tier)
    return evaluation


# ---- the plan: what to check, worked out once per form ---------------------


@dataclass(frozen=True)
class _Plan:
    form: FormDef
    village_numeric: tuple[str, ...]
    village_required: tuple[str, ...]
    village_relations: tuple[tuple[str, str, str], ...]  # (part, whole, rule)
    commune_relations: tuple[tuple[str, str, str], ...]
    village_rules: tuple[Rule, ...]
    commune_rules: tuple[Rule, ...]


def _plan(form: FormDef) -> _Plan:
    cached = form.__dict__.get("_engine_plan")
    if cached is None:
        cached = _make_plan(form)
        object.__setattr__(form, "_engine_plan", cached)
    return cached


def relations(form: FormDef) -> list[tuple[str, str, str]]:
    """(part, whole, built-in rule) for every "trong đó" and every denominator;
    one relation when the parent is also the denominator."""
    found = []
    for ind in form.indicators:
        if ind.parent is not None:
            found.append((ind.id, ind.parent, RULE_OF_WHICH))
        if ind.denominator is not None and ind.denominator != ind.parent:
            found.append((ind.id, ind.denominator, RULE_PART_OF_WHOLE))
    return found


def _make_plan(form: FormDef) -> _Plan:
    all_relations = relations(form)
    village_ids = {i.id for i in form.village_indicators}
    return _Plan(
        form=form,
        village_numeric=tuple(i.id for i in form.village_indicators if i.is_numeric),
        village_required=tuple(i.id for i in form.village_indicators if i.required),
        village_relations=tuple(r for r in all_relations if r[0] in village_ids and r[1] in village_ids),
        commune_relations=tuple(all_relations),
        village_rules=tuple(r for r in form.rules if r.grain == "village"),
        commune_rules=tuple(r for r in form.rules if r.grain == "commune"),
    )


# ---- village level ----------------------------------------------------------


def _check_villages(plan: _Plan, data: ReportData, findings: list, missing: list):
    sums: dict[str, float] = dict.fromkeys(plan.village_numeric, 0)
    entered: dict[str, int] = dict.fromkeys(plan.village_numeric, 0)
    for village in data.villages:
        values = data.village_values.get(village, {})
        for ind_id in plan.village_required:
            if ind_id not in values:
                missing.append(Cell(ind_id, village))
        for ind_id in plan.village_numeric:
            value = values.get(ind_id)
            if value is None:
                continue
            sums[ind_id] += value
            entered[ind_id] += 1
            if value < 0:
                findings.append(_builtin(RULE_NEGATIVE, Cell(ind_id, village), value=value))
        for part, whole, rule in plan.village_relations:
            if part in values and whole in values and values[part] > values[whole]:
                findings.append(
                    _builtin(rule, Cell(part, village), value=values[part], whole=values[whole], other=whole)
                )
        for rule in plan.village_rules:
            _apply_rule(rule, values, Cell(rule.cell, village), findings)
    return sums, entered


# ---- commune level ------------------------------------------------------------


def _commune_scope(plan, data, sums, entered, findings, missing):
    """Every commune figure by indicator id, and which of them were typed."""
    form = plan.form
    scope: dict[str, Value] = {"so_ban": len(data.villages), "don_vi": 1}
    typed: set[str] = set()
    for ind in form.indicators:
        if not ind.applies(data.unit_kind):
            continue
        value = data.commune_values.get(ind.id)
        if value is not None:
            typed.add(ind.id)
            scope[ind.id] = value
        if ind.grain == "village" and entered.get(ind.id):
            total = sums[ind.id]
            if value is None:
                scope[ind.id] = total
            elif total > value or (entered[ind.id] == len(data.villages) and total != value):
                findings.append(_builtin(RULE_SUM_OF_VILLAGES, Cell(ind.id), typed=value, sum=total))
        elif value is None and ind.required and (ind.grain == "commune" or not data.villages):
            missing.append(Cell(ind.id))
    return scope, typed


def _check_commune(plan: _Plan, scope: dict, typed: set, findings: list) -> None:
    # Figures summed over villages were already checked village by village;
    # here only what someone typed for the whole commune.
    for ind_id in typed:
        value = scope[ind_id]
        if plan.form.indicator(ind_id).is_numeric and value < 0:
            findings.append(_builtin(RULE_NEGATIVE, Cell(ind_id), value=value))
    for part, whole, rule in plan.commune_relations:
        if (part in typed or whole in typed) and part in scope and whole in scope:
            if scope[part] > scope[whole]:
                findings.append(_builtin(rule, Cell(part), value=scope[part], whole=scope[whole], other=whole))
    for rule in plan.commune_rules:
        _apply_rule(rule, scope, Cell(rule.cell), findings)


def _figures(plan, data, scope, typed, findings, incomplete: set[str]) -> dict[str, Figure]:
    # The range check is a safety net: a slip already found anywhere in the
    # indicator (a village's part above its whole) explains its percentage,
    # and sums over half-entered villages compare different villages.
    quiet = {f.cell.indicator for f in findings} | incomplete
    figures = {}
    for ind in plan.form.indicators:
        applicable = ind.applies(data.unit_kind)
        value = scope.get(ind.id) if applicable else None
        total = scope.get(ind.denominator) if applicable and ind.denominator else None
        percent = None
        if isinstance(value, (int, float)) and isinstance(total, (int, float)) and total > 0:
            percent = value * 100 / total
            if not 0 <= percent <= 100 and not {ind.id, ind.denominator} & quiet:
                findings.append(_builtin(RULE_PERCENT_RANGE, Cell(ind.id), percent=percent))
        figures[ind.id] = Figure(ind.id, value, total, percent, ind.id in typed, applicable)
    return figures


# ---- rules and findings -------------------------------------------------------


def _apply_rule(rule: Rule, values: dict, cell: Cell, findings: list) -> None:
    try:
        if rule.when is not None:
            left, op, right = rule.when
            if not _COMPARE[op](left.evaluate(values), right.evaluate(values)):
                return
        left_value = rule.left.evaluate(values)
        right_value = rule.right.evaluate(values)
    except (KeyError, ZeroDivisionError):
        return  # a value it needs is still empty: nothing to say yet
    if not _COMPARE[rule.op](left_value, right_value):
        findings.append(
            Finding(cell, rule.id, rule.severity, CUSTOM_RULE_CODE, {"left": left_value, "right": right_value})
        )


def _builtin(rule: str, cell: Cell, **params) -> Finding:
    return Finding(cell, rule, "error", BUILTIN_RULES[rule], params)


# ---- targets --------------------------------------------------------------------


def compare_targets(form: FormDef, figures: dict[str, Figure], target_set: TargetSet, unit_tier: str):
    results = []
    for target in target_set.in_force():
        figure = figures[target.indicator]
        ind = form.indicator(target.indicator)
        status, achieved, gap = _target_status(target, figure, ind, target_set.tier, unit_tier)
        results.append(
            TargetResult(
                target.indicator,
                target.op,
                target.percent,
                target.count,
                target.version,
                target.source,
                status,
                achieved,
                gap,
            )
        )
    return results


def _target_status(target, figure: Figure, ind: Indicator, set_tier: str, unit_tier: str):
    if not figure.applicable:
        return "khong_ap_dung", None, None
    if target.count is not None:
        if TIER_RANK.get(unit_tier, 2) > TIER_RANK[set_tier]:
            return "khong_ap_dung", None, None  # "03 xã" means nothing for one commune
        if figure.value is None:
            return "thieu_so_lieu", None, None
        value = figure.value
        met = _COMPARE[target.op](value, target.count)
        return ("dat" if met else "chua_dat"), value, _gap(target.op, Decimal(value), Decimal(target.count))
    if figure.value is None or figure.total is None:
        return "thieu_so_lieu", None, None
    if figure.total == 0:
        return "khong_ap_dung", None, None
    value, total, share = Decimal(figure.value), Decimal(figure.total), target.percent
    met = _COMPARE[target.op](value * 100, share * total)
    return ("dat" if met else "chua_dat"), figure.percent, _gap(target.op, value, share * total / 100)


def _gap(op: str, value: Decimal, exact: Decimal) -> int | None:
    """How many more units reach the threshold ``exact`` (negative: how many too many)."""
    if op == ">=":
        return max(int(math.ceil(exact) - value), 0)
    if op == ">":
        return max(int(math.floor(exact) + 1 - value), 0)
    if op == "<=":
        return min(int(math.floor(exact) - value), 0)
    if exact == exact.to_integral_value():
        return int(exact - value)
    return None
