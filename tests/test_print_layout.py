"""The page layout chosen per unit and form: the form's default, the officer's remembered choice."""

from __future__ import annotations

from dataclasses import replace

from exports.paper.layout import Layout, layout_for, save_layout
from models.gateway import Gateway

MUONG_TE = "03445"


def test_a_form_prints_as_its_definition_says_until_the_officer_chooses(demo_db, kl224):
    unit = demo_db.require_unit(MUONG_TE)
    assert layout_for(demo_db, unit, kl224) == Layout(mode=kl224.print_mode)
    assert layout_for(demo_db, unit, replace(kl224, print_mode="annex")).mode == "annex"


def test_the_choice_is_remembered_per_form_across_sessions(demo_path, kl224, library):
    gw = Gateway.open(demo_path)
    unit = gw.require_unit(MUONG_TE)
    chosen = Layout(mode="annex", annex_number="02", annex_of="Báo cáo số 12-BC/ĐU ngày 05/01/2026", signed=True)
    save_layout(gw, unit, kl224, chosen)
    gw.close()
    gw = Gateway.open(demo_path)
    assert layout_for(gw, unit, kl224) == chosen
    assert layout_for(gw, unit, library.get("da241")) == Layout(mode=library.get("da241").print_mode)
    assert layout_for(gw, unit, kl224, mode="report").mode == "report"
    gw.close()


def test_a_village_sheet_is_a_one_off_and_leaves_the_remembered_mode(demo_db, kl224):
    unit = demo_db.require_unit(MUONG_TE)
    save_layout(demo_db, unit, kl224, Layout(mode="annex"))
    save_layout(demo_db, unit, kl224, Layout(mode="village"))
    assert layout_for(demo_db, unit, kl224).mode == "annex"


def test_the_heading_lines_of_each_mode():
    title = "KẾT QUẢ THỰC HIỆN KẾT LUẬN 224"
    assert Layout().heading(title) == ("BÁO CÁO", title)
    assert Layout(mode="annex", annex_number="01").heading(title) == ("PHỤ LỤC 01", title)
    assert Layout(mode="annex").annex_line().startswith("(Kèm theo văn bản số ")
    annex = Layout(mode="annex", annex_of="Báo cáo số 12-BC/ĐU ngày 05/01/2026 của Ban Thường vụ Đảng ủy xã Mường Tè")
    assert annex.annex_line() == f"(Kèm theo {annex.annex_of})"
    assert (annex.letterhead, annex.signature, replace(annex, signed=True).signature) == (False, False, True)
    assert Layout().annex_line() == ""
