"""Target sets a level sets for itself: the province's plan, the district's, a commune's own.

A set belongs to one form id and to the unit that set it (its owner: this
database's home unit). Its targets pass every check a target written in a
form's file passes (forms/loader.py): the indicator exists and is numeric,
an operator of >=, >, =, <=, exactly one of a percentage (0 to 100, only for
an indicator with a denominator) or a count (a whole number, 0 or more).

Versions: a new version keeps the set's id, is whole (every target it holds,
not a change), and has a from-date (“áp dụng từ ngày”) later than the
version before. For a report the version in force is the latest whose
from-date is on or before the end of the report's period; a period ending
before the first version's from-date has no version in force, and comparing
it with the set is refused with that sentence (TargetSet.in_force_for,
models/reporting.find_target_set).

``with_target_sets`` is how every screen and command sees them: the forms of
``models.form_store.library_of`` carry, beside the sets of their file, each
set kept here for their id, with the versions whose targets fit that
version of the form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from forms import vnformat
from forms.library import default_library
from forms.schema import TARGET_OPS, FormDef, TargetSet
from forms.vnformat import date as vn_date
from models.errors import BadInput
from models.gateway import Gateway
from models.tables.target_sets import StoredTargetSet
from models.units import nfc, tier_of

_OPS = {"≥": ">=", "≤": "<=", "==": "="}
_SET_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_WRITTEN = re.compile(
    r"^\s*(?P<indicator>[^<>=≥≤\s]+)\s*(?P<op>>=|<=|==|=|>|≥|≤)\s*(?P<value>[0-9.,]+)\s*(?P<pct>%?)\s*$"
)
_WHOLE = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+)$")  # 120, 1200 or 1.200


class TargetSetRefused(BadInput):
    """A set not kept: every problem found, each naming its target; nothing stored."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Bộ mục tiêu chưa lưu: " + "; ".join(problems) + ".")


@dataclass(frozen=True)
class TargetInput:
    """One target as the officer gave it: the indicator by id or by its printed code (“2.3”), the
    operator, the number as typed (“97,5”, “1.200”), whether it is a percentage."""

    indicator: str
    op: str
    value: str
    percent: bool

    @property
    def said(self) -> str:
        return f"{self.indicator}{self.op}{self.value}{'%' if self.percent else ''}"


def parse_target(text: str) -> TargetInput:
    """“2.3>=90%”, “1.1>=120”, “xa_co_nvh ≥ 100%”: a target as written on the command line."""
    found = _WRITTEN.match(nfc(text))
    if found is None:
        raise TargetSetRefused(
            [f"mục tiêu “{text}” không đọc được (viết MÃ>=SỐ% cho tỷ lệ hoặc MÃ>=SỐ cho số lượng, ví dụ 2.3>=90%)"]
        )
    return TargetInput(found["indicator"], found["op"], found["value"], bool(found["pct"]))


def parse_targets(texts: list[str]) -> list[TargetInput]:
    """Every target written on the command line; TargetSetRefused naming each one not readable."""
    read, problems = [], []
    for text in texts:
        try:
            read.append(parse_target(text))
        except TargetSetRefused as exc:
            problems.extend(exc.problems)
    if problems:
        raise TargetSetRefused(problems)
    return read


def target_problem(form: FormDef, given: TargetInput) -> tuple[dict | None, str | None]:
    """The target as stored ({indicator, op, percent | count}) or the sentence saying what is wrong with it."""
    said = f"mục tiêu “{given.said}”"
    indicator = _indicator_of(form, given.indicator.strip())
    if indicator is None or not indicator.is_numeric:
        return None, f"{said}: chỉ tiêu “{given.indicator}” không có trong biểu {form.id} hoặc không phải chỉ tiêu số"
    if indicator.code and _indicator_of(form, indicator.code) is indicator:  # named by its printed code
        said = f"mục tiêu “{replace(given, indicator=indicator.code).said}”"
    op = _OPS.get(given.op.strip(), given.op.strip())
    if op not in TARGET_OPS:
        return None, f"{said}: phép so sánh “{given.op}” không hợp lệ; chọn trong: {' '.join(TARGET_OPS)}"
    value = given.value.strip()
    if given.percent:
        try:
            percent = Decimal(value.replace(",", "."))
        except InvalidOperation:
            percent = None
        if percent is None or not percent.is_finite() or not 0 <= percent <= 100:
            return None, f"{said}: tỷ lệ phải là số từ 0 đến 100"
        if indicator.denominator is None:
            return None, f"{said}: chỉ tiêu “{_named(indicator)}” không có mẫu số nên không tính được tỷ lệ"
        return {"indicator": indicator.id, "op": op, "percent": format(percent.normalize(), "f")}, None
    if not _WHOLE.match(value):
        return None, f"{said}: số lượng phải là số nguyên không âm"
    return {"indicator": indicator.id, "op": op, "count": int(value.replace(".", ""))}, None


def save_target_set(
    gw: Gateway,
    form: FormDef,
    set_id: str,
    name: str,
    source_number: str,
    source_date: dt.date,
    starts: dt.date,
    targets: list[TargetInput],
    who: str,
) -> tuple[StoredTargetSet, bool]:
    """Keep a set of this unit for ``form``'s id: its first version, or the next version of the set
    with that id; (the version kept, whether it is new: the same content as the latest changes
    nothing). TargetSetRefused with every problem, nothing stored."""
    home = gw.setting("home_unit")
    if not home:
        raise BadInput("Cơ sở dữ liệu này chưa thiết lập đơn vị: chưa lưu được bộ mục tiêu của đơn vị.")
    set_id, name, source_number = set_id.strip(), nfc(name).strip(), nfc(source_number).strip()
    problems = []
    if not _SET_ID.match(set_id):
        problems.append(f"mã bộ mục tiêu “{set_id}” không hợp lệ (chữ thường không dấu, số, gạch ngang)")
    elif set_id in _sets_not_ours(gw, form.id, home):
        problems.append(f"mã bộ mục tiêu “{set_id}” đã dùng cho một bộ mục tiêu khác của biểu {form.id}")
    if not name:
        problems.append("chưa có tên bộ mục tiêu")
    if not source_number:
        problems.append("chưa ghi số văn bản giao mục tiêu (ví dụ: Kế hoạch số 67-KH/ThU)")
    if not targets:
        problems.append("bộ mục tiêu chưa có mục tiêu nào")
    rows: list[dict] = []
    for given in targets:
        row, problem = target_problem(form, given)
        if problem:
            problems.append(problem)
        elif any(r["indicator"] == row["indicator"] for r in rows):
            problems.append(f"mục tiêu “{given.said}”: chỉ tiêu này đã có mục tiêu khác trong bộ")
        else:
            rows.append(row)
    earlier = gw.target_sets.versions(form.id, home, set_id)
    unit = gw.unit(home)
    stored = StoredTargetSet(
        form_id=form.id,
        owner=home,
        set_id=set_id,
        version=len(earlier) + 1,
        tier=str(tier_of(unit.kind)) if unit else "xa",
        name=name,
        source_number=source_number,
        source_date=source_date,
        starts=starts,
        targets=tuple(rows),
    )
    if not problems and earlier and earlier[-1].same_content(stored):
        return earlier[-1], False
    if earlier and starts <= earlier[-1].starts:
        problems.append(
            f"ngày áp dụng {vn_date(starts)} phải sau ngày áp dụng của phiên bản {earlier[-1].version} "
            f"({vn_date(earlier[-1].starts)})"
        )
    if problems:
        raise TargetSetRefused(problems)
    return gw.target_sets.add(stored, who), True


def keep_received_target_set(
    gw: Gateway, versions: list[StoredTargetSet], forms: list[FormDef], who: str
) -> list[StoredTargetSet]:
    """Keep a set the unit above sent down (exports/publications/receive.py), owned by that unit: every
    version in ``versions`` (whole, numbered from 1) not kept yet; the versions added (none when all
    were kept). ``forms``: every version of every form known here (models.form_store.library_of).
    TargetSetRefused, nothing stored: an id another owner uses for this form (this unit's
    own set, a set written in the form's file), a form not known here, a version whose targets fit no
    version of the form known here, a version kept before with other content. All or nothing."""
    first = versions[0]
    form_id, owner, set_id = first.form_id, first.owner, first.set_id
    home = gw.setting("home_unit") or ""
    problems = []
    if set_id in {s.set_id for s in gw.target_sets.all(form_id) if s.owner == home}:
        problems.append(
            f"đơn vị đã tự đặt một bộ mục tiêu mang mã “{set_id}” cho biểu {form_id}; hai bộ không được trùng mã "
            "(hãy đề nghị cấp trên đổi mã bộ mục tiêu)"
        )
    elif set_id in _sets_not_ours(gw, form_id, owner):
        problems.append(f"mã bộ mục tiêu “{set_id}” đã dùng cho một bộ mục tiêu khác của biểu {form_id}")
    forms = [f for f in forms if f.id == form_id]
    if not forms:
        problems.append(f"máy này chưa có biểu {form_id}; hãy nhập biểu trước rồi nhập lại bộ mục tiêu")
    for stored in versions if forms else ():
        if not any(_fits(form, stored) for form in forms):
            unfit = [
                t["indicator"]
                for t in stored.targets
                if not any(_fits(f, replace(stored, targets=(t,))) for f in forms)
            ]
            problems.append(
                f"phiên bản {stored.version}: chỉ tiêu {', '.join(unfit)} không có trong biểu {form_id} trên máy này "
                "hoặc không đặt được mục tiêu như vậy (hãy nhập phiên bản biểu cấp trên ban hành trước)"
            )
    kept = gw.target_sets.versions(form_id, owner, set_id)
    for before, now in zip(kept, versions, strict=False):
        if not before.same_content(now):
            problems.append(
                f"phiên bản {before.version} khác với phiên bản {before.version} đã nhận trước đây; không thay thế"
            )
    if problems:
        raise TargetSetRefused(problems)
    added = []
    with gw.transaction():
        for stored in versions[len(kept) :]:
            added.append(gw.target_sets.add(stored, who))
    return added


def kept_target_sets(gw: Gateway, form_id: str | None = None) -> list[StoredTargetSet]:
    """Every version of every set kept here (of one form with ``form_id``), by form, owner, set, version."""
    return gw.target_sets.all(form_id)


def with_target_sets(forms: list[FormDef], kept: list[StoredTargetSet]) -> list[FormDef]:
    """``forms``, each with the sets kept here for its id added to its own: per set, the versions whose
    every target fits that version of the form (a set none of whose versions fit is left out)."""
    if not kept:
        return forms
    groups: dict[str, dict[tuple[str, str], list[StoredTargetSet]]] = defaultdict(lambda: defaultdict(list))
    for stored in kept:
        groups[stored.form_id][(stored.owner, stored.set_id)].append(stored)
    result = []
    for form in forms:
        added = []
        for versions in groups.get(form.id, {}).values():
            fitting = [_as_target_set(v) for v in versions if _fits(form, v)]
            if fitting:
                added.append(replace(fitting[-1], earlier=tuple(fitting[:-1])))
        result.append(replace(form, target_sets=(*form.target_sets, *added)) if added else form)
    return result


def _as_target_set(stored: StoredTargetSet) -> TargetSet:
    return TargetSet(
        id=stored.set_id,
        name=stored.name,
        source=stored.source,
        tier=stored.tier,
        period=f"từ {vn_date(stored.starts)}",
        targets=stored.schema_targets(),
        owner=stored.owner,
        starts=stored.starts,
    )


def _fits(form: FormDef, stored: StoredTargetSet) -> bool:
    for t in stored.targets:
        ind = form.indicator(t["indicator"]) if form.has_indicator(t["indicator"]) else None
        if ind is None or not ind.is_numeric or ("percent" in t and ind.denominator is None):
            return False
    return True


def _indicator_of(form: FormDef, given: str):
    if form.has_indicator(given):
        return form.indicator(given)
    by_code = [i for i in form.indicators if i.code == given]
    return by_code[0] if len(by_code) == 1 else None


def _named(indicator) -> str:
    return f"{indicator.code} {indicator.label}" if indicator.code else indicator.label


def _sets_not_ours(gw: Gateway, form_id: str, home: str) -> set[str]:
    """The ids of the sets of ``form_id`` that are not this unit's: those written in any version of the
    form (shipped or kept here) and those another unit set."""
    ids = {s.id for f in default_library().versions() if f.id == form_id for s in f.target_sets}
    for stored in gw.forms.all():
        if stored.form_id == form_id:
            ids.update(s.get("id", "") for s in stored.definition.get("target_sets", []))
    ids.update(s.set_id for s in gw.target_sets.all(form_id) if s.owner != home)
    return ids


def latest_version(gw: Gateway, form_id: str, set_id: str) -> StoredTargetSet | None:
    """This unit's latest version of a set, None if it has none."""
    versions = gw.target_sets.versions(form_id, gw.setting("home_unit") or "", set_id)
    return versions[-1] if versions else None


def target_words(form: FormDef | None, row: dict) -> str:
    """A kept target as people write it: “2.3 ≥ 90%”, “1.1 ≥ 1.200” (the code as printed, else the id)."""
    indicator = form.indicator(row["indicator"]) if form and form.has_indicator(row["indicator"]) else None
    name = indicator.code if indicator and indicator.code else row["indicator"]
    op = {">=": "≥", "<=": "≤"}.get(row["op"], row["op"])
    if "percent" in row:
        return f"{name} {op} {format(Decimal(row['percent']), 'f').replace('.', ',')}%"
    return f"{name} {op} {vnformat.number(row['count'])}"
