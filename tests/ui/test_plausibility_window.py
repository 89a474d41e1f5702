"""The plausibility warning in the commune's window: 1.234 households typed for Mường Tè's village of
61 shows, in the findings panel, a warning naming 61 and Năm 2024, coloured as a warning; the note
beside the grid says the range of the cell's earlier figures."""

from __future__ import annotations

from forms.library import default_library
from forms.plausibility import RULE_CHANGE
from models.demo import SIXTY_ONE
from models.gateway import Gateway
from models.reporting import enter_values

VILLAGE = SIXTY_ONE[0]


def test_1234_households_warn_in_the_findings_panel_naming_61(window, tmp_path):
    session = window.controller.session
    assert (session.report.unit_code, session.report.period_code) == ("03445", "2025")
    model = window.grid.model()
    index = model.locate("so_ho", VILLAGE)
    assert model.setData(index, "1.234")
    texts = [window.findings.list.item(i).text() for i in range(window.findings.list.count())]
    said = [t for t in texts if "khác nhiều so với kỳ trước" in t]
    assert len(said) == 1 and said[0].startswith("[Cảnh báo] ") and "1.234" in said[0]
    assert "(Năm 2024: 61): tăng 1.173 hộ (1.923%)" in said[0]
    assert [f.rule for f in session.view.evaluation.warnings].count(RULE_CHANGE) == 1
    window.grab().save(str(tmp_path / "canh-bao-hop-ly.png"))  # looked at while writing this test


def test_the_note_says_the_range_of_the_earlier_figures(open_shown, demo_path):
    gw = Gateway.open(demo_path)
    try:  # a year before 2024 too: two earlier figures make a range
        form = default_library().get("kl224")
        older = gw.ensure_report("03445", "kl224", 1, "2023")
        enter_values(gw, older, form, [("so_ho", VILLAGE, 58)], "xa")
    finally:
        gw.close()
    window = open_shown(demo_path)
    model = window.grid.model()
    window.grid.setCurrentIndex(model.locate("so_ho", VILLAGE))
    text = window.indicator_note.text()
    assert "Kỳ trước (Năm 2024): 61" in text and "Các kỳ trước (2 kỳ): thấp nhất 58, cao nhất 61" in text
