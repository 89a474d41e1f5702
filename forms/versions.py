"""What a new version of a form may change, and what it may not.

An indicator id means one thing for good: reports filled with any version
are kept, printed and merged side by side, so a later version may rename a
label, add or remove indicators and rules, change targets, but never give an
existing id another kind, grain, unit, denominator or parent. The same holds
across publishers: a province's kl224 may not make “ho_gia_dinh” mean
something the shipped kl224 does not.
"""

from __future__ import annotations

from forms.schema import GRAIN_WORDS, KIND_WORDS, FormDef

# The fields that make an indicator's meaning, with their words for a refusal.
MEANING = {
    "kind": "loại",
    "grain": "cấp nhập liệu",
    "unit": "đơn vị tính",
    "denominator": "mẫu số",
    "parent": "chỉ tiêu cha (trong đó)",
}


def meaning_changes(old: FormDef, new: FormDef) -> list[str]:
    """Each indicator id both versions have whose meaning ``new`` changes, as a Vietnamese sentence."""
    changes = []
    for ind in new.indicators:
        if not old.has_indicator(ind.id):
            continue
        before = old.indicator(ind.id)
        for field, words in MEANING.items():
            was, now = getattr(before, field), getattr(ind, field)
            if was != now:
                changes.append(
                    f"chỉ tiêu “{ind.id}” ({ind.label}): {words} là “{_shown(field, was)}” ở "
                    f"{version_words(old)}, “{_shown(field, now)}” ở {version_words(new)}"
                )
    return changes


def version_words(form: FormDef) -> str:
    """“biểu kl224 phiên bản 2 (đơn vị 12 ban hành)”; a shipped form names no publisher."""
    words = f"biểu {form.id} phiên bản {form.version}"
    return f"{words} (đơn vị {form.publisher} ban hành)" if form.publisher else words


def _shown(field: str, value) -> str:
    if value in (None, ""):
        return "không có"
    return {"kind": KIND_WORDS, "grain": GRAIN_WORDS}.get(field, {}).get(value, str(value))
