"""A form as plain data (forms/definition_data.py) and back through the
loader's checks: every shipped form and version comes back equal, the data
is JSON with a stable fingerprint, NFD text comes back NFC, and data a file
could not hold is refused as a file would be."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace

import pytest

from forms.definition_data import data_json, data_sha256, form_data
from forms.library import DEFINITIONS_DIR, default_library
from forms.loader import FormErrors, form_from_data, load_form

SHIPPED = sorted(DEFINITIONS_DIR.glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_every_shipped_form_comes_back_equal_from_its_data(path):
    form = load_form(path)
    data = form_data(form)
    again = form_from_data(json.loads(data_json(data)), path.name)
    assert replace(again, path=form.path) == form
    assert form_data(again) == data


def test_the_data_of_a_form_has_one_text_and_one_fingerprint():
    form = default_library().get("kl224")
    data = form_data(form)
    assert data_json(data) == data_json(json.loads(data_json(data)))
    assert data_sha256(data) == data_sha256(form_data(form))
    changed = json.loads(data_json(data))
    changed["indicators"][0]["label"] += " (sửa)"
    assert data_sha256(changed) != data_sha256(data)


def test_a_publisher_is_part_of_the_form_and_of_its_data():
    form = replace(default_library().get("kl224"), version=2, publisher="12")
    data = form_data(form)
    assert data["publisher"] == "12"
    again = form_from_data(data, "tinh")
    assert again.key == ("kl224", "12", 2)
    assert default_library().get("kl224", 1).key == ("kl224", "", 1)


def test_nfd_text_comes_back_nfc():
    data = form_data(default_library().get("kl224"))
    data["title"] = unicodedata.normalize("NFD", data["title"])
    data["indicators"][0]["label"] = unicodedata.normalize("NFD", "Cán bộ lãnh đạo")
    again = form_from_data(data, "nfd")
    assert again.title == default_library().get("kl224").title
    assert again.indicators[0].label == unicodedata.normalize("NFC", "Cán bộ lãnh đạo")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["indicators"][1].update(parent="khong_co"), "không có trong biểu"),
        (lambda d: d.update(publisher="Tỉnh 12"), "mã đơn vị"),
        (lambda d: d["rules"][0].update(left="khong_co"), "không có trong biểu"),
        (lambda d: d.update(filled_by=[{"tier": "xa", "from": "2025-13-01"}]), "ngày"),
        (lambda d: d.update(format=2), "chưa được hỗ trợ"),
    ],
    ids=["unknown-parent", "publisher-not-a-code", "rule-unknown-name", "bad-date", "format"],
)
def test_data_a_file_could_not_hold_is_refused_as_a_file_would_be(change, words):
    data = json.loads(data_json(form_data(default_library().get("kl224"))))
    change(data)
    with pytest.raises(FormErrors) as caught:
        form_from_data(data, "gui-xuong")
    assert words in str(caught.value) and "gui-xuong" in str(caught.value)
