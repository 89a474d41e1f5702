"""A new version keeps every indicator id's meaning (forms/versions.py):
renaming, adding, removing are allowed; another kind, grain, unit,
denominator or parent is named, field by field, with both versions."""

from __future__ import annotations

from dataclasses import replace

from forms.library import default_library
from forms.versions import meaning_changes, version_words


def kl224():
    return default_library().get("kl224", 1)


def with_indicator(form, ind_id, **changed):
    return replace(form, indicators=tuple(replace(i, **changed) if i.id == ind_id else i for i in form.indicators))


def test_renaming_adding_and_removing_keep_the_meaning():
    old = kl224()
    renamed = with_indicator(old, "ban_co_nvh", label="Bản có nhà văn hóa (tên mới)")
    fewer = replace(old, indicators=old.indicators[:-1], version=2, publisher="12")
    assert meaning_changes(old, renamed) == []
    assert meaning_changes(old, fewer) == []
    assert meaning_changes(old, default_library().get("kl224", 2)) == []  # the shipped version 2


def test_each_change_of_meaning_is_named_with_both_versions():
    old = kl224()
    new = replace(with_indicator(old, "ban_co_nvh", unit="thôn", grain="commune"), version=2, publisher="12")
    changes = meaning_changes(old, new)
    assert len(changes) == 2
    assert changes[0].startswith("chỉ tiêu “ban_co_nvh” (")
    assert (
        "cấp nhập liệu là “nhập cho từng bản, tổ dân phố” ở biểu kl224 phiên bản 1, "
        "“nhập một lần cho cả xã” ở biểu kl224 phiên bản 2 (đơn vị 12 ban hành)"
    ) in changes[0]
    assert "đơn vị tính là “bản”" in changes[1] and "“thôn”" in changes[1]


def test_a_parent_or_denominator_taken_away_is_a_change():
    old = kl224()
    with_parent = next(i for i in old.indicators if i.parent)
    changes = meaning_changes(old, with_indicator(old, with_parent.id, parent=None))
    assert changes == [
        f"chỉ tiêu “{with_parent.id}” ({with_parent.label}): chỉ tiêu cha (trong đó) là “{with_parent.parent}” "
        f"ở biểu kl224 phiên bản 1, “không có” ở biểu kl224 phiên bản 1"
    ]


def test_a_version_names_its_publisher_only_when_it_has_one():
    assert version_words(kl224()) == "biểu kl224 phiên bản 1"
    assert version_words(replace(kl224(), publisher="12", version=3)) == "biểu kl224 phiên bản 3 (đơn vị 12 ban hành)"
