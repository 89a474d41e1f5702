"""What the screenshot walk showed on an old commune PC (1366×768 at 125%, a
screen of 1093×614): windows and dialogs no larger than the screen, combo
boxes that end in “…” with the whole entry in their tooltip and list, the
commune fields' labels keeping their room, the province's tabs not moved by
a notice, the merged table's “chưa nhận: …” whole. Driven through the real
windows over the demo databases."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QDialog
from test_upper_steady import import_named

from ui.commune.window import FIELD_COLUMN_CHARS, TARGET_COLUMN_SAMPLE
from ui.upper.merged_view import PACKET_COLUMN_WIDEST
from ui.widgets import FRAME_ROOM, WholeTextCombo, fit_to_screen


def test_a_window_or_dialog_asked_larger_than_the_screen_is_made_to_fit(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    screen = dialog.screen().availableGeometry()
    fit_to_screen(dialog, screen.width() + 500, screen.height() + 500)
    assert dialog.width() == screen.width() - FRAME_ROOM[0]
    assert dialog.height() == screen.height() - FRAME_ROOM[1]
    fit_to_screen(dialog, 300, 200)  # smaller than the screen: as asked
    assert (dialog.width(), dialog.height()) == (300, 200)


def test_a_narrow_combo_box_shows_each_entry_whole_in_its_tooltip_and_list(qtbot):
    combo = WholeTextCombo(8)
    qtbot.addWidget(combo)
    long_entry = "kl224 — KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THEO KẾT LUẬN SỐ 224-KL/TU"
    combo.addItems(["da241 — ngắn", long_entry])
    combo.setCurrentIndex(1)
    combo.resize(140, combo.sizeHint().height())
    combo.show()
    qtbot.waitExposed(combo)
    assert combo.toolTip() == long_entry
    assert combo.sizeHint().width() < combo.fontMetrics().horizontalAdvance(long_entry)  # may be narrow
    combo.showPopup()
    try:
        assert combo.view().width() >= combo.fontMetrics().horizontalAdvance(long_entry)
    finally:
        combo.hidePopup()
    assert combo.grab().width() == 140  # painted elided (“…”), not spilling out


def test_the_commune_fields_keep_room_for_their_labels_on_a_small_screen(window, qtbot):
    window.resize(1093 - FRAME_ROOM[0], 614 - FRAME_ROOM[1])
    QApplication.processEvents()
    fields, char = window.fields, window.fontMetrics().averageCharWidth()
    last = fields.model().columnCount() - 1
    for column in range(last + 1):
        if column not in (1, last):
            assert fields.columnWidth(column) <= char * FIELD_COLUMN_CHARS
    assert fields.columnWidth(last) > fields.fontMetrics().horizontalAdvance(TARGET_COLUMN_SAMPLE)
    assert fields.columnWidth(1) >= char * 18  # the label keeps the room left (it was squeezed to 40 px)
    assert window.minimumSizeHint().height() <= 614 - FRAME_ROOM[1]  # the chart scrolls instead


def test_a_notice_over_the_province_s_tabs_does_not_move_them(upper_window, qtbot):
    def tabs_at():
        QApplication.processEvents()
        return upper_window.tabs.mapTo(upper_window, QPoint(0, 0))

    before = tabs_at()
    upper_window.show_notice("5 tệp: 4 đã nhận, 1 chờ đăng ký khóa.")
    upper_window.show_message("Chưa có bảng tổng hợp: chọn biểu và kỳ đã mở.")
    assert tabs_at() == before
    assert upper_window.notice.isVisible() and upper_window.message.isVisible()


def test_the_merged_table_says_why_a_sent_packet_is_not_counted_in_full(qtbot, upper_window, packets, tmp_path):
    import_named(qtbot, upper_window, packets, tmp_path, "tp24", "bl24")
    upper_window.choose("kl224", "2024")
    upper_window.tabs.setCurrentWidget(upper_window.merged_view)
    qtbot.waitUntil(lambda: upper_window.merged_view.table is not None)
    view = upper_window.merged_view.view
    model = view.model()
    waiting = next(
        model.index(row, 1).data()
        for row in range(model.rowCount())
        if str(model.index(row, 1).data() or "").startswith("chưa nhận")
    )
    needed = view.fontMetrics().horizontalAdvance(waiting)
    assert view.columnWidth(1) >= min(needed, PACKET_COLUMN_WIDEST)
