"""A form written as a workbook reads back as the same form, for every shipped form and version."""

from __future__ import annotations

import dataclasses
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.formbook import layout
from exports.formbook.read import read_form_workbook
from exports.formbook.write import write_form_workbook
from forms.loader import load_form
from forms.schema import Plausibility, PlausibleRange, Ratio

DEFINITIONS = sorted((Path(__file__).resolve().parent.parent / "forms" / "definitions").glob("*.toml"))


@pytest.mark.parametrize("toml", DEFINITIONS, ids=[p.stem for p in DEFINITIONS])
def test_every_shipped_form_reads_back_field_by_field(toml, tmp_path):
    form = load_form(toml)
    back = read_form_workbook(write_form_workbook(form, tmp_path / f"{form.id}.xlsx"))
    for field in dataclasses.fields(form):
        if field.name != "path":
            assert getattr(back, field.name) == getattr(form, field.name), field.name
    # Expressions compare by their source; the compiled function still computes.
    for rule, kept in zip(back.rules, form.rules, strict=True):
        assert rule.left.source == kept.left.source and rule.right.source == kept.right.source
    assert back.target_sets == form.target_sets and back.readings == form.readings
    # What a new period may take from the last one (carry_forward) travels too, both ways.
    assert [i.carry_forward for i in back.indicators] == [i.carry_forward for i in form.indicators]
    assert any(i.carry_forward for i in form.indicators)


def test_codes_words_and_nfd_text_are_read_alike(tmp_path):
    form = load_form(Path(DEFINITIONS[0]).with_name("kl224.toml"))
    path = write_form_workbook(form, tmp_path / "kl224.xlsx")
    wb = load_workbook(path)
    ws = wb[layout.INDICATORS]
    ws["F2"] = "count"  # the code instead of the word
    ws["G2"] = "Cả  Xã"  # case and spaces
    ws["D3"] = unicodedata.normalize("NFD", form.indicators[1].label)
    wb[layout.SETTINGS]["B3"] = "2"  # the version typed as text
    wb.save(path)
    back = read_form_workbook(path)
    assert back.indicators == form.indicators and back.version == 2


def test_double_entry_travels_in_the_workbook_and_the_form_sent_down(tmp_path):
    """A form that requires double entry says so on “Biểu” (Nhập hai lần: có) and in its plain data; a form
    without it keeps the data (and fingerprint) it always had."""
    from forms.definition_data import form_data

    form = load_form(Path(DEFINITIONS[0]).with_name("kl224.toml"))
    assert "double_entry" not in form_data(form)
    required = dataclasses.replace(form, double_entry=True)
    path = write_form_workbook(required, tmp_path / "kl224.xlsx")
    settings = {row[0]: row[1] for row in load_workbook(path)[layout.SETTINGS].iter_rows(values_only=True)}
    assert settings["Nhập hai lần"] == "có"
    back = read_form_workbook(path)
    assert back.double_entry is True and form_data(back)["double_entry"] is True
    assert read_form_workbook(write_form_workbook(form, tmp_path / "plain.xlsx")).double_entry is False


def test_every_kind_of_plausibility_threshold_reads_back(tmp_path):
    """The form's defaults (on Biểu), an indicator's own thresholds and switch, ranges for every unit and
    for one, and ratios with points and bounds: a province's thresholds travel in the workbook."""
    kl224 = load_form(Path(DEFINITIONS[0]).with_name("kl224.toml"))
    so_ho = dataclasses.replace(kl224.indicator("so_ho"), change_percent=12.5, change_min=0, history_margin=40)
    off = dataclasses.replace(kl224.indicator("can_bo_lanh_dao"), plausible=False)
    form = dataclasses.replace(
        kl224,
        plausibility=Plausibility(change_percent=25, change_min=7, history_margin=35.5, history_years=3),
        indicators=tuple({"so_ho": so_ho, "can_bo_lanh_dao": off}.get(i.id, i) for i in kl224.indicators),
        ranges=(PlausibleRange("so_ho", 10, 400), PlausibleRange("so_ho", None, 90, "03445001")),
        ratios=(
            Ratio("van_hoa", "ho_van_hoa", "so_ho", change_points=15),
            Ratio("tuyen_truyen", "ho_duoc_tuyen_truyen", "so_ho", low=50, high=100),
        ),
    )
    back = read_form_workbook(write_form_workbook(form, tmp_path / "kl224.xlsx"))
    assert (back.plausibility, back.ranges, back.ratios) == (form.plausibility, form.ranges, form.ratios)
    assert back.indicators == form.indicators


def test_a_workbook_without_the_plausibility_sheets_still_reads(tmp_path):
    form = load_form(Path(DEFINITIONS[0]).with_name("kl224.toml"))
    path = write_form_workbook(form, tmp_path / "kl224.xlsx")
    wb = load_workbook(path)
    for name in (layout.RANGES, layout.RATIOS):
        del wb[name]
    wb.save(path)
    assert read_form_workbook(path).ratios == ()
