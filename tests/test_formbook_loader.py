"""The loader reads a definition already parsed into a dict (a workbook's) and collects every mistake."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from forms.loader import FormError, FormErrors, form_from_data, load_form, parse_form

KL224 = Path(__file__).resolve().parent.parent / "forms" / "definitions" / "kl224.toml"


@pytest.fixture
def data():
    return tomllib.loads(KL224.read_text(encoding="utf-8"))


def by_id(data, ind_id):
    return next(t for t in data["indicators"] if t["id"] == ind_id)


def test_a_whole_definition_reads_as_the_toml_loader_reads_it(data):
    assert form_from_data(data, "kl224.xlsx") == dataclasses.replace(load_form(KL224), path="")


def test_every_mistake_is_collected_each_with_its_path(data):
    by_id(data, "cb_boi_duong")["section"] = "9"
    by_id(data, "xa_nvh_dat_chuan")["parent"] = "ma_la"
    by_id(data, "xa_co_nvh")["parent"] = "xa_nvh_dat_chuan"
    by_id(data, "ban_co_nvh")["kind"] = "cout"
    del by_id(data, "so_ho")["label"]
    data["rules"][0]["left"] = "khong_ton_tai"
    data["target_sets"][0]["targets"][2]["percent"] = 120
    with pytest.raises(FormErrors) as caught:
        form_from_data(data, "kl224.xlsx")
    found = {(e.path, e.missing): e.problem for e in caught.value.errors}
    index = {t["id"]: n for n, t in enumerate(data["indicators"])}
    assert "chưa được khai báo" in found[(("indicators", index["cb_boi_duong"], "section"), None)]
    assert "ma_la" in found[(("indicators", index["xa_nvh_dat_chuan"], "parent"), None)]
    assert "cout" in found[(("indicators", index["ban_co_nvh"], "kind"), None)]
    assert (("indicators", index["so_ho"]), "label") in found
    assert "khong_ton_tai" in found[(("rules", 0, "left"), None)]
    assert "từ 0 đến 100" in found[(("target_sets", 0, "targets", 2, "percent"), None)]
    # A row naming a row refused already is not refused again for it: ban_co_nvh's own rows and targets.
    assert not any("“ban_co_nvh”" in e.problem for e in caught.value.errors)
    assert all(isinstance(e, FormError) for e in caught.value.errors)


def test_a_cycle_of_parents_is_found_at_each_of_its_rows(data):
    by_id(data, "xa_co_nvh")["parent"] = "xa_nvh_dat_chuan"
    with pytest.raises(FormErrors) as caught:
        form_from_data(data, "kl224.xlsx")
    assert sum("vòng lặp" in e.problem for e in caught.value.errors) == 2


def test_a_toml_file_still_stops_at_its_first_mistake():
    text = KL224.read_text(encoding="utf-8").replace('kind = "count"', 'kind = "cout"')
    with pytest.raises(FormError) as caught:
        parse_form(text, "kl224.toml")
    assert caught.value.field == "indicators[1].kind" and "cout" in str(caught.value)
