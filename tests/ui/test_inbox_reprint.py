"""“In biểu của gói...” at the province: a commune's form printed from its packet starts from the page it
was signed with (a packet of 10/01/2025, before the province merged its two Ban on 01/03/2025), and the
lines changed for this print are not kept as the commune's."""

from __future__ import annotations

import pdfplumber
import pytest
from testkit import put

from models.gateway import Gateway
from ui.print_dialog import PrintDialog

WAIT = 30_000


@pytest.mark.slow
def test_a_packet_reprints_headed_as_it_was_signed(qtbot, upper_window, upper_path, packets, tmp_path):
    paths = put(packets, tmp_path, "tp24")
    with qtbot.waitSignal(upper_window.import_finished, timeout=WAIT):
        assert upper_window.import_paths(paths) is not None
    view = upper_window.inbox_view
    view.table.selectRow(0)
    dialog = view.open_print_dialog()
    assert isinstance(dialog, PrintDialog)
    assert [dialog.mode.itemData(i) for i in range(dialog.mode.count())] == ["report", "annex"]
    assert dialog.chosen_mode() == "annex"  # as the packet's page was laid out (kl224: an annex)
    dialog.mode.setCurrentIndex(dialog.mode.findData("report"))  # with the commune's letterhead, for this print
    assert dialog.edits["issuer"].text().casefold() == "đảng ủy phường tân phong"
    recipients = dialog.recipients.toPlainText()
    assert "Ban Tuyên giáo Tỉnh ủy Lai Châu (b/c)," in recipients and "Dân vận" not in recipients
    dialog.edits["number"].setText("Số 03-BC/ĐU")
    out = dialog.export_pdf(tmp_path / "in-goi.pdf")
    with pdfplumber.open(out) as pdf:
        first = pdf.pages[0].extract_text()
    assert "Số 03-BC/ĐU" in first and "ngày 10 tháng 01 năm 2025" in first
    dialog.close()
    gw = Gateway.open(upper_path)
    try:
        assert gw.setting("print.03408.number") is None  # a line for this print only
        assert gw.setting("print.03408.kl224.layout.mode") is None  # and a layout for this print only
    finally:
        gw.close()
