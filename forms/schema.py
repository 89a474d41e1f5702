"""What a form definition holds, once loaded: plain frozen dataclasses.

The loader (forms/loader.py) builds these from a TOML file and refuses
anything inconsistent, so the engine can trust them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

KINDS = ("count", "yesno", "amount", "text", "date")
NUMERIC_KINDS = ("count", "yesno", "amount")
PLAUSIBLE_KINDS = ("count", "amount")  # the kinds the plausibility warnings check: never yes/no
# Without a ``max`` of its own: counts up to 9 digits (no commune has a billion of
# anything), amounts in đồng up to 15 (Sa Pa's 6.505.490.000 has 10).
LARGEST_BY_KIND = {"count": 10**9 - 1, "amount": 10**15 - 1, "yesno": 1}
GRAINS = ("village", "commune")
# The officer's words for each kind and grain (the indicator note, a refused change of meaning).
KIND_WORDS = {
    "count": "số đếm (số nguyên)",
    "yesno": "Có / Không",
    "amount": "số tiền (đồng)",
    "text": "chữ",
    "date": "ngày (dd/mm/yyyy)",
}
GRAIN_WORDS = {"village": "nhập cho từng bản, tổ dân phố", "commune": "nhập một lần cho cả xã"}
SEVERITIES = ("error", "warning")
RULE_OPS = ("<=", "<", "=", ">=", ">", "!=")
TARGET_OPS = (">=", ">", "=", "<=")
TIERS = ("tinh", "huyen", "xa", "thon")
# How a form's table prints by default: a stand-alone report (“BÁO CÁO”, letterhead, signature) or the
# annex of a document the committee writes (“Phụ lục … Kèm theo …”), as the seeds' tables are.
PRINT_MODES = ("report", "annex")

# Figures every report has without anyone typing them: the number of villages
# of the commune, and 1 for the commune itself (the denominator of a yes/no
# commune row, which sums to "number of communes" one level up).
BUILTIN_FIGURES = ("so_ban", "don_vi")
BUILTIN_UNITS = {"so_ban": "bản", "don_vi": "xã"}
BUILTIN_LABELS = {"so_ban": "Số bản, tổ dân phố", "don_vi": "Số xã, phường"}


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    level: int = 1


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    kind: str
    grain: str
    section: str
    code: str | None = None  # as printed ("2.3", "-"); None for a base figure
    parent: str | None = None  # the row this is a "trong đó" of
    denominator: str | None = None  # what its percentage is a share of
    applies_to: tuple[str, ...] = ()  # unit kinds ("xã", "phường"); empty: all
    required: bool = True
    max: int | None = None  # the largest figure a cell takes; None: the kind's default (LARGEST_BY_KIND)
    # Rarely changes (households, agencies, schools): a new period may start from the last one's value,
    # marked carried forward and counted as empty until confirmed (models/carry_forward.py).
    carry_forward: bool = False
    # Plausibility (forms/plausibility.py): this indicator's own thresholds, None: the form's [plausibility];
    # ``plausible`` False switches every plausibility check of it off.
    change_percent: int | float | None = None
    change_min: int | float | None = None
    history_margin: int | float | None = None
    plausible: bool = True

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def largest(self) -> int:
        """The largest value a cell of this indicator takes, typed, loaded or received."""
        return self.max if self.max is not None else LARGEST_BY_KIND.get(self.kind, 0)

    @property
    def is_row(self) -> bool:
        """A printed row; base figures only appear as another row's total."""
        return self.code is not None

    def applies(self, unit_kind: str) -> bool:
        return not self.applies_to or unit_kind in self.applies_to


@dataclass(frozen=True)
class Plausibility:
    """The form's default thresholds of the plausibility warnings; None switches that check off."""

    change_percent: int | float | None = None  # a change against the last period beyond this percent...
    change_min: int | float | None = None  # ...and at least this many units apart (1 -> 2 is no news)
    history_margin: int | float | None = None  # percent margin around the min-max of the unit's history
    history_years: int = 5  # how many earlier periods of the same kind are read


@dataclass(frozen=True)
class PlausibleRange:
    """A range the province sets for an indicator: for one village or commune (its code), or every unit."""

    indicator: str
    low: int | float | None = None
    high: int | float | None = None
    unit: str = ""


@dataclass(frozen=True)
class Ratio:
    """The share numerator/denominator in percent: warned when it moved more than ``change_points``
    percentage points against the last period, or lies outside low-high."""

    id: str
    numerator: str
    denominator: str
    change_points: int | float | None = None
    low: int | float | None = None
    high: int | float | None = None


@dataclass(frozen=True)
class Expression:
    source: str
    names: tuple[str, ...]
    evaluate: Callable[[dict], float] = field(compare=False, repr=False)


@dataclass(frozen=True)
class Rule:
    id: str
    grain: str
    left: Expression
    op: str
    right: Expression
    severity: str
    message: str
    cell: str  # the indicator whose cell carries the finding
    when: tuple[Expression, str, Expression] | None = None


@dataclass(frozen=True)
class Target:
    indicator: str
    op: str
    percent: Decimal | None = None
    count: int | None = None
    version: int = 1
    source: str = ""


@dataclass(frozen=True)
class TargetSet:
    id: str
    name: str
    source: str
    tier: str
    period: str
    targets: tuple[Target, ...]  # every version, as written
    # A set kept in a database (models/target_store.py), not written in the form's file: the unit that
    # set it, the day this version applies from, and its earlier versions, oldest first.
    owner: str = ""
    starts: dt.date | None = None
    earlier: tuple[TargetSet, ...] = ()

    @property
    def version(self) -> int:
        return max((t.version for t in self.targets), default=1)

    def in_force_for(self, ends: dt.date) -> TargetSet | None:
        """The version in force for a period ending on ``ends``: the latest whose from-date is on or
        before it (a set without from-dates is always in force); None if every version starts later."""
        return next((s for s in reversed((*self.earlier, self)) if s.starts is None or s.starts <= ends), None)

    def in_force(self) -> list[Target]:
        """The latest version of each indicator's target, in written order."""
        latest: dict[str, Target] = {}
        for target in self.targets:
            kept = latest.get(target.indicator)
            if kept is None or target.version > kept.version:
                latest[target.indicator] = target
        return [t for t in self.targets if latest[t.indicator] is t]


@dataclass(frozen=True)
class Reading:
    """Where a seed document says two things, the one the form follows, kept with the form (not a
    comment) so that any export of the form carries it."""

    subject: str  # what is read (“Mục tiêu 02, mục tiêu về đội văn nghệ”)
    source: str  # the document and place (“Kế hoạch số 67-KH/ThU, mục II.2”)
    chosen: str  # the reading the form follows
    other: str = ""  # the reading it does not follow, if the seed gives one


@dataclass(frozen=True)
class FillingTier:
    """A tier that fills the form for periods from ``starts`` to ``ends`` (either open)."""

    tier: str
    starts: dt.date | None = None
    ends: dt.date | None = None

    def covers(self, starts: dt.date, ends: dt.date) -> bool:
        """Whether a period from ``starts`` to ``ends`` falls (by its end) within this span."""
        return (self.starts is None or ends >= self.starts) and (self.ends is None or ends <= self.ends)


@dataclass(frozen=True)
class FormDef:
    id: str
    version: int
    title: str
    subtitle: str
    source: str
    report_tier: str
    period_kinds: tuple[str, ...]
    columns: tuple[str, ...]
    sections: tuple[Section, ...]
    indicators: tuple[Indicator, ...]
    rules: tuple[Rule, ...]
    target_sets: tuple[TargetSet, ...]
    path: str = ""
    print_mode: str = "report"  # PRINT_MODES: how its table prints unless the officer chose otherwise
    readings: tuple[Reading, ...] = ()
    filled_by: tuple[FillingTier, ...] = ()  # empty: report_tier, for every period
    # The unit that published this version (its official code); "" for a form shipped with the program.
    # A form version is (id, publisher, version): a province's version 2 never clashes with a release's.
    publisher: str = ""
    # Every report of this form is typed twice and the differences resolved before signing (models/double_entry.py).
    double_entry: bool = False
    plausibility: Plausibility = Plausibility()
    ranges: tuple[PlausibleRange, ...] = ()
    ratios: tuple[Ratio, ...] = ()

    @property
    def key(self) -> tuple[str, str, int]:
        """What names this version of the form everywhere: id, publisher, number."""
        return (self.id, self.publisher, self.version)

    def tiers_for(self, starts: dt.date, ends: dt.date) -> tuple[str, ...]:
        """The tiers that fill the form for a period: those whose span covers it, else report_tier."""
        if not self.filled_by:
            return (self.report_tier,)
        return tuple(f.tier for f in self.filled_by if f.covers(starts, ends))

    def indicator(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    def has_indicator(self, indicator_id: str) -> bool:
        return indicator_id in self._by_id

    def target_set(self, set_id: str) -> TargetSet | None:
        return next((s for s in self.target_sets if s.id == set_id), None)

    @property
    def village_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.grain == "village")

    @property
    def commune_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.grain == "commune")

    @property
    def _by_id(self) -> dict[str, Indicator]:
        cached = self.__dict__.get("_index")
        if cached is None:
            cached = {i.id: i for i in self.indicators}
            object.__setattr__(self, "_index", cached)
        return cached
