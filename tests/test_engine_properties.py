"""Properties of the rule engine on the kl224 form, and of Vietnamese numbers.

A generated commune obeys every relation the form states (read from
Indicator.parent and Indicator.denominator, plus the form's own rules), so the
engine must find nothing in it; breaking exactly one relation must give
exactly one finding, on exactly that cell.
"""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from forms import vnformat
from forms.engine import (
    BUILTIN_RULES,
    RULE_OF_WHICH,
    RULE_PART_OF_WHOLE,
    Cell,
    ReportData,
    evaluate,
    relations,
)
from forms.library import default_library
from forms.schema import BUILTIN_FIGURES
from forms.values import parse_number

FORM = default_library().get("kl224")
UNIT_KINDS = ("xã", "phường")
MIN_HOUSEHOLDS = 10  # rule ban_it_ho: a village has at least 10 households
MAX_HOUSEHOLDS = 400
MAX_BASE = 300  # agencies, schools, staff: typed base figures of a commune
CULTURAL_SHARE = 70  # rule ban_van_hoa_du_ho: a cultural village has ≥ 70% cultural households

# The form's own rules, as understood by this generator. If the form gains a
# rule, the generator must learn it: test_the_generator_knows_every_rule says so.
KNOWN_RULES = {"ban_van_hoa_du_ho", "ban_it_ho", "lanh_dao_trong_can_bo", "dang_vien_trong_cong_chuc"}

FAST = settings(max_examples=100, deadline=None)


def _wholes(indicator_id: str) -> list[str]:
    ind = FORM.indicator(indicator_id)
    return list(dict.fromkeys(w for w in (ind.parent, ind.denominator) if w is not None))


def _single_name_rules() -> dict[tuple[str, str], str]:
    """Commune rules of the form ``a <= b``: (a, b) -> rule id."""
    return {
        (r.left.source, r.right.source): r.id
        for r in FORM.rules
        if r.grain == "commune"
        and r.op == "<="
        and r.when is None
        and r.left.names == (r.left.source,)
        and r.right.names == (r.right.source,)
    }


VILLAGE_IDS = [i.id for i in FORM.village_indicators]
COMMUNE_IDS = [i.id for i in FORM.commune_indicators]
RELATIONS = relations(FORM)
VILLAGE_RELATIONS = [r for r in RELATIONS if r[0] in VILLAGE_IDS and r[1] in VILLAGE_IDS]
AT_MOST = _single_name_rules()  # can_bo_lanh_dao <= can_bo_dang_vien


def _bounds(indicator_id: str) -> list[str]:
    """Everything ``indicator_id`` may not exceed: its wholes and the form's ``a <= b`` rules."""
    return list(dict.fromkeys(_wholes(indicator_id) + [b for (a, b) in AT_MOST if a == indicator_id]))


def _order(ids: list[str], extra: dict[str, list[str]]) -> list[str]:
    """``ids`` with every whole before its parts (the wholes' values bound the parts')."""
    order: list[str] = []

    def visit(node: str) -> None:
        if node in order:
            return
        for whole in _bounds(node) + extra.get(node, []):
            if whole in ids:
                visit(whole)
        order.append(node)

    for node in ids:
        visit(node)
    return order


# ho_van_hoa's lower bound depends on ban_van_hoa (rule ban_van_hoa_du_ho).
VILLAGE_ORDER = _order(VILLAGE_IDS, {"ho_van_hoa": ["ban_van_hoa"]})
COMMUNE_ORDER = _order(COMMUNE_IDS, {})


def _implied(whole: str) -> set[str]:
    """Every figure ``whole`` can never exceed, through the form's relations."""
    seen: set[str] = set()
    todo = [whole]
    while todo:
        for upper in _bounds(todo.pop()):
            if upper not in seen:
                seen.add(upper)
                todo.append(upper)
    return seen


def _breakable_at_commune() -> list[tuple[str, str, str]]:
    """Commune relations that can be broken alone: a typed part over a whole that is not a built-in
    figure, and not one the part cannot exceed without exceeding another of its wholes first
    (8.3 over all propaganda staff is also over 8.2)."""
    usable = []
    for part, whole, rule in RELATIONS:
        ind = FORM.indicator(part)
        if ind.grain != "commune" or whole in BUILTIN_FIGURES:
            continue
        if ind.kind == "yesno" and FORM.indicator(whole).kind != "yesno":
            continue
        others = [w for w in _bounds(part) if w != whole]
        if any(whole in _implied(other) for other in others):
            continue
        usable.append((part, whole, rule))
    return usable


COMMUNE_RELATIONS = _breakable_at_commune()


# ---- the generator ---------------------------------------------------------------


@st.composite
def village_values(draw) -> dict[str, int]:
    values: dict[str, int] = {}
    for ind_id in VILLAGE_ORDER:
        ind = FORM.indicator(ind_id)
        wholes = [values[w] for w in _bounds(ind_id) if w in values]
        if ind.kind == "yesno":
            high = min([1, *wholes])
        else:
            high = min(wholes) if wholes else MAX_HOUSEHOLDS
        low = 0
        if ind_id == "so_ho":
            low = MIN_HOUSEHOLDS
        if ind_id == "ho_van_hoa" and values["ban_van_hoa"] == 1:
            low = -(-values["so_ho"] * CULTURAL_SHARE // 100)  # ceil: ho_van_hoa*100 >= so_ho*70
        values[ind_id] = draw(st.integers(low, high))
    return values


def village_sums(data: ReportData) -> dict[str, int]:
    return {
        ind_id: sum(data.village_values[v][ind_id] for v in data.villages)
        for ind_id in VILLAGE_IDS
        if FORM.indicator(ind_id).is_numeric
    }


@st.composite
def communes(draw, type_village_sums: bool = True) -> ReportData:
    count = draw(st.integers(1, 60))
    codes = tuple(f"{n:02d}" for n in range(1, count + 1))
    villages = {code: draw(village_values()) for code in codes}
    unit_kind = draw(st.sampled_from(UNIT_KINDS))
    data = ReportData(unit_kind, "xa", codes, villages, {})
    scope: dict[str, int] = {"so_ban": count, "don_vi": 1, **village_sums(data)}
    commune: dict[str, int] = {}
    for ind_id in COMMUNE_ORDER:
        ind = FORM.indicator(ind_id)
        if not ind.applies(unit_kind):
            continue
        wholes = [scope[w] for w in _bounds(ind_id)]
        high = min([1, *wholes]) if ind.kind == "yesno" else (min(wholes) if wholes else MAX_BASE)
        commune[ind_id] = scope[ind_id] = draw(st.integers(0, high))
    if type_village_sums:
        # An officer may also type a village-grain row for the whole commune: the right sum.
        typed = draw(st.sets(st.sampled_from(sorted(village_sums(data)))))
        commune.update({ind_id: scope[ind_id] for ind_id in typed})
    return ReportData(unit_kind, "xa", codes, villages, commune)


def summary(findings) -> Counter:
    return Counter((f.cell, f.rule, f.severity, f.code) for f in findings)


# ---- the generator itself ----------------------------------------------------------


def test_the_generator_knows_every_rule():
    assert {r.id for r in FORM.rules} == KNOWN_RULES
    assert AT_MOST == {
        ("can_bo_lanh_dao", "can_bo_dang_vien"): "lanh_dao_trong_can_bo",
        ("can_bo_dang_vien", "cb_cc_vc_nld"): "dang_vien_trong_cong_chuc",
    }


def test_the_relations_read_from_the_form():
    assert set(VILLAGE_RELATIONS) == {
        ("ban_nvh_dat_chuan", "ban_co_nvh", RULE_OF_WHICH),
        ("ho_van_hoa", "so_ho", RULE_PART_OF_WHOLE),
        ("doi_van_nghe_thuong_xuyen", "ban_co_doi_van_nghe", RULE_OF_WHICH),
        ("ban_cum_loa_cntt", "ban_cum_loa_on_dinh", RULE_OF_WHICH),
    }
    assert ("cbtg_cao_cap_llct", "cbtg_trung_cap_llct", RULE_OF_WHICH) in COMMUNE_RELATIONS
    assert ("cbtg_cao_cap_llct", "can_bo_tuyen_giao", RULE_PART_OF_WHOLE) not in COMMUNE_RELATIONS
    assert ("xa_nvh_dat_chuan", "xa_co_nvh", RULE_OF_WHICH) in COMMUNE_RELATIONS
    assert ("ho_duoc_tuyen_truyen", "so_ho", RULE_PART_OF_WHOLE) in COMMUNE_RELATIONS
    assert VILLAGE_ORDER.index("ban_van_hoa") < VILLAGE_ORDER.index("ho_van_hoa")
    assert COMMUNE_ORDER.index("can_bo_dang_vien") < COMMUNE_ORDER.index("can_bo_lanh_dao")


# ---- a commune that obeys every relation ----------------------------------------------


@pytest.mark.slow
@FAST
@given(communes())
def test_a_consistent_commune_has_no_finding(data):
    evaluation = evaluate(FORM, data)
    assert evaluation.findings == []
    assert evaluation.missing == []


@pytest.mark.slow
@FAST
@given(communes())
def test_every_percentage_of_a_consistent_commune_is_between_0_and_100(data):
    figures = evaluate(FORM, data).figures
    for figure in figures.values():
        if figure.percent is not None:
            assert 0 <= figure.percent <= 100, figure
    sums = village_sums(data)
    for ind_id, total in sums.items():
        assert figures[ind_id].value == total


# ---- break exactly one relation ---------------------------------------------------------


@pytest.mark.slow
@FAST
@given(communes(type_village_sums=False), st.data())
def test_breaking_one_village_relation_gives_one_finding_on_that_cell(data, draw):
    village = draw.draw(st.sampled_from(data.villages), label="village")
    part, whole, rule = draw.draw(st.sampled_from(VILLAGE_RELATIONS), label="relation")
    values = dict(data.village_values[village])
    if FORM.indicator(part).kind == "yesno":
        # "Có" for the child, "Không" for its parent. Lowering the parent must
        # not break another of its children: kl224 gives each one child only.
        values[whole], values[part] = 0, 1
        assume(all(values[p] <= 0 for p, w, _ in VILLAGE_RELATIONS if w == whole and p != part))
    else:
        # ho_van_hoa above so_ho: the ≥ 70% of rule ban_van_hoa_du_ho still holds.
        values[part] = values[whole] + draw.draw(st.integers(1, 100), label="excess")
        assume(all(values[part] <= values[w] for w in _bounds(part) if w != whole and w in values))
    broken = ReportData(
        data.unit_kind, data.unit_tier, data.villages, {**data.village_values, village: values}, {**data.commune_values}
    )
    findings = evaluate(FORM, broken).findings
    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding.cell == Cell(part, village)
    assert (finding.rule, finding.severity, finding.code) == (rule, "error", BUILTIN_RULES[rule])
    assert finding.params["other"] == whole


@pytest.mark.slow
@FAST
@given(communes(type_village_sums=False), st.data())
def test_breaking_one_commune_relation_gives_one_finding_on_that_cell(data, draw):
    part, whole, rule = draw.draw(st.sampled_from(COMMUNE_RELATIONS), label="relation")
    assume(FORM.indicator(part).applies(data.unit_kind))
    scope = {"so_ban": len(data.villages), "don_vi": 1, **village_sums(data), **data.commune_values}
    commune = dict(data.commune_values)
    if FORM.indicator(part).kind == "yesno":
        commune[whole], commune[part] = 0, 1
        assume(all(commune.get(p, 0) <= 0 for p, w, _ in RELATIONS if w == whole and p != part))
    else:
        room = min((scope[w] for w in _bounds(part) if w != whole), default=scope[whole] + 100) - scope[whole]
        assume(room >= 1)  # the other wholes of the part leave room to exceed this one alone
        commune[part] = scope[whole] + draw.draw(st.integers(1, min(room, 100)), label="excess")
    broken = ReportData(data.unit_kind, data.unit_tier, data.villages, data.village_values, commune)
    findings = evaluate(FORM, broken).findings
    expected = Counter({(Cell(part), rule, "error", BUILTIN_RULES[rule]): 1})
    assert summary(findings) == expected


def test_no_rule_of_the_form_restates_a_built_in_relation():
    """A rule that repeats a built-in check would give one slip two findings."""
    restated = [(a, b) for (a, b) in AT_MOST if any((a, b) == (p, w) for p, w, _ in RELATIONS)]
    assert restated == []


# ---- Vietnamese numbers -------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**18))
def test_a_number_without_its_dots_is_the_plain_number(n):
    shown = vnformat.number(n)
    assert shown.replace(".", "") == str(n)
    groups = shown.split(".")
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


@given(st.integers(min_value=0, max_value=10**18))
def test_a_shown_number_reads_back(n):
    assert parse_number(vnformat.number(n)) == n
    assert parse_number(vnformat.number(n) + "đ") == n
    assert parse_number(str(n)) == n
