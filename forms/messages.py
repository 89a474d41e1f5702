"""Findings and target results in Vietnamese.

The engine speaks in message codes and parameters; this is the one place that
turns them into sentences, for the CLI, the window and the packet alike.
"""

from __future__ import annotations

from forms import vnformat
from forms.engine import CUSTOM_RULE_CODE, Finding, TargetResult
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
    return f"{label}: {code}"


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
