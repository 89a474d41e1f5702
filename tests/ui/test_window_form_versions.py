"""The commune's window with its province's version of a form kept (as a
publication from the province leaves it): the form is listed once, titled as
the province's version; a new period's report is filled with that version
(its extra row in the grid); a report begun with the program's version is
still read with the version it was filled with."""

from __future__ import annotations

from PySide6.QtCore import Qt
from testkit import province_kl224

from models.form_store import store_form
from models.gateway import Gateway
from models.vocabulary import FormOrigin

PROVINCE_TITLE = "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2026 (TỈNH BAN HÀNH)"


def test_a_new_report_is_filled_with_the_province_s_version(open_shown, demo_path):
    gw = Gateway.open(demo_path)
    try:
        store_form(gw, province_kl224(title=PROVINCE_TITLE), FormOrigin.RECEIVED, "xa")
    finally:
        gw.close()
    window = open_shown(demo_path)
    entries = [window.form_box.itemData(i) for i in range(window.form_box.count())]
    assert entries.count("kl224") == 1
    window.form_box.setCurrentIndex(window.form_box.findData("kl224"))
    assert "(TỈNH BAN HÀNH)" in window.form_box.currentText()
    window.select_unit("03445")
    assert window.new_period("2026")
    report = window.controller.session.report
    assert (report.form_id, report.form_publisher, report.form_version) == ("kl224", "12", 2)
    model = window.grid.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert any(str(h).startswith("6.4") for h in headers)
    window.period_box.setCurrentIndex(window.period_box.findData("2024"))
    assert window.controller.session.report.form_publisher == ""  # begun with the program's version
    assert window.controller.session.form.key == ("kl224", "", window.controller.session.report.form_version)
