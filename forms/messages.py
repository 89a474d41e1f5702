"""Findings and target results in Vietnamese.

The engine speaks in message codes and parameters; this is the one place that
turns them into sentences, for the CLI, the window and the packet alike.
"""

from __future__ import annotations

from forms import vnformat
from forms.engine import CUSTOM_RULE_CODE, Finding, TargetResult
from forms.plausibility import RULE_CHANGE, RULE_HISTORY_RANGE, RULE_RATIO, RULE_SET_RANGE
from forms.schema import BUILTIN_LABELS, FormDef

SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}
TARGET_STATUS_LABELS = {
    "dat": "Đạt",
    "chua_dat": "Chưa đạt",
    "khong_ap_dung": "Không áp dụng",
    "thieu_so_lieu": "Thiếu số liệu",
}
_OP_WORDS = {">=": "≥", ">": ">", "=": "=", "<=": "≤"}


def label_of(form: FormDef, indicator_id: str) -> str:
    if indicator_id in BUILTIN_LABELS:
        return BUILTIN_LABELS[indicator_id]
    ind = form.indicator(indicator_id)
    return f"{ind.code}. {ind.label}" if ind.code and ind.code != "-" else ind.label


def _shown(form: FormDef, indicator_id: str, value) -> str:
    if form.has_indicator(indicator_id) and form.indicator(indicator_id).kind == "yesno":
        return vnformat.yes_no(value)
    return vnformat.number(value)


def finding_text(form: FormDef, finding: Finding) -> str:
    """The sentence for one finding, without the village name."""
    ind_id = finding.cell.indicator
    label = label_of(form, ind_id)
    p = finding.params
    code = finding.code
    if code == CUSTOM_RULE_CODE:
        return next(r.message for r in form.rules if r.id == finding.rule)
    if code == "so_am":
        return f"{label}: không được là số âm ({vnformat.number(p['value'])})."
    if code in ("vuot_tong", "vuot_chi_tieu_cha"):
        other = label_of(form, p["other"])
        if form.indicator(ind_id).kind == "yesno" and p["whole"] in (0, 1):
            return f"{label} là “Có” nhưng “{other}” là “Không”."
        relation = "lớn hơn tổng" if code == "vuot_tong" else "lớn hơn chỉ tiêu cha"
        return (
            f"{label} ({_shown(form, ind_id, p['value'])}) {relation} "
            f"“{other}” ({_shown(form, p['other'], p['whole'])})."
        )
    if code == "lech_tong_cac_ban":
        return (
            f"{label}: số nhập cho cả xã ({vnformat.number(p['typed'])}) "
            f"khác tổng của các bản ({vnformat.number(p['sum'])})."
        )
    if code == "ty_le_ngoai_khoang":
        return f"{label}: tỷ lệ {vnformat.percent(p['percent'])} nằm ngoài khoảng 0-100%."
    if code in (RULE_CHANGE, RULE_HISTORY_RANGE, RULE_SET_RANGE, RULE_RATIO):
        return _plausibility_text(form, finding, label) + " Kiểm tra lại hoặc ghi giải trình."
    return f"{label}: {code}"


def _plausibility_text(form: FormDef, finding: Finding, label: str) -> str:
    """“Số hộ gia đình 1.234 khác nhiều so với kỳ trước (Năm 2024: 61): tăng 1.173 hộ (1.923%).”"""
    p, code, n = finding.params, finding.code, vnformat.number
    unit = vnformat.unit_in_sentence(form.indicator(finding.cell.indicator).unit)
    if code == RULE_CHANGE:
        text = f"{label} {n(p['value'])} khác nhiều so với {p['why']} ({p['period_label']}: {n(p['before'])})"
        moved = "tăng" if p["diff"] > 0 else "giảm"
        change = f"{moved} {n(abs(p['diff']))} {unit}"
        if p.get("percent") is not None:
            change += f" ({_big_percent(abs(p['percent']))})"
        if p.get("year_label"):
            text += f" và cùng kỳ năm trước ({p['year_label']}: {n(p['year_before'])})"
        return f"{text}: {change}."
    if code == RULE_HISTORY_RANGE:
        return (
            f"{label} {n(p['value'])} nằm ngoài khoảng thường gặp của đơn vị ({n(p['low'])}–{n(p['high'])}): "
            f"{n(p['periods'])} kỳ trước thấp nhất {n(p['min'])}, cao nhất {n(p['max'])}."
        )
    if code == RULE_SET_RANGE:
        return f"{label} {n(p['value'])} nằm ngoài khoảng biểu quy định ({_bounds(p, n)})."
    names = f"{label_of(form, p['numerator'])} trên {label_of(form, p['denominator'])}"
    share = vnformat.percent(p["share"])
    if "before_share" not in p:
        return f"Tỷ lệ {names} là {share}, nằm ngoài khoảng biểu quy định ({_bounds(p, vnformat.percent)})."
    points = vnformat.number(float(abs(p["share"] - p["before_share"])))
    return (
        f"Tỷ lệ {names} là {share}, thay đổi {points} điểm phần trăm so với {p['why']} "
        f"({p['period_label']}: {vnformat.percent(p['before_share'])})."
    )


def _bounds(p: dict, shown) -> str:
    if p.get("low") is None:
        return f"tối đa {shown(p['high'])}"
    if p.get("high") is None:
        return f"tối thiểu {shown(p['low'])}"
    return f"{shown(p['low'])}–{shown(p['high'])}"


def _big_percent(value: float) -> str:
    """14,2% as usual; from 100% on a whole number, grouped: 1.923%."""
    return vnformat.percent(value) if value < 100 else f"{vnformat.number(round(value))}%"


def target_text(form: FormDef, result: TargetResult) -> str:
    """“≥ 85%: đạt 88,9%” / “≥ 85%: chưa đạt (77,8%), còn thiếu 2 bản”: numbers grouped
    (“còn thiếu 1.281 hộ”), the unit in lower case mid-sentence (“2 người”, not “2 Người”)."""
    ind = form.indicator(result.indicator)
    unit = vnformat.unit_in_sentence(ind.unit)
    op = _OP_WORDS[result.op]
    if result.percent is not None:
        goal = f"{op} {vnformat.percent(float(result.percent))}"
    else:  # “≥ 05 cuộc” as the plans write a count; “≥ 1.200 hộ” grouped
        count = f"{result.count:02d}" if result.count < 1000 else vnformat.number(result.count)
        goal = f"{op} {count} {unit}"
    status = TARGET_STATUS_LABELS[result.status]
    if result.status not in ("dat", "chua_dat"):
        return f"{goal}: {status.lower()}"
    achieved = (
        vnformat.percent(result.achieved)
        if result.percent is not None
        else f"{vnformat.number(result.achieved)} {unit}"
    )
    text = f"{goal}: {status.lower()} ({achieved})"
    if result.status == "chua_dat" and result.gap:
        gap = vnformat.number(abs(result.gap))
        text += f", còn thiếu {gap} {unit}" if result.gap > 0 else f", vượt {gap} {unit}"
    return text
