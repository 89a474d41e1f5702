"""Signing the open report into a packet, driven offscreen over copies of the
demo database; the packets written are read back with the real verifier."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QToolBar

from exports.packets.verify import verify_packet
from exports.packets.write import signing_blockers
from models.keys import DEMO_PASSPHRASE, key_in_use
from models.reporting import view_report
from ui.commune.sign_dialog import BLOCKED, DONE, NO_KEY, READY, SignDialog
from ui.export_folder import SETTING
from ui.key_dialogs import CreateKeyDialog, KeysDialog

NEW_PASSPHRASE = "bình lư 2024"


def report_view(gw, library, unit, period, target_set=None):
    report = gw.find_report(unit, "kl224", period)
    return view_report(gw, report, library.get(report.form_id, report.form_version), target_set)


def sign_dialog(qtbot, gw, library, unit="03445", period="2024", target_set=None) -> SignDialog:
    dialog = SignDialog(gw, report_view(gw, library, unit, period, target_set))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def packets(gw) -> int:
    return gw.db["packets"].count


# ---- a report that cannot be signed ------------------------------------------------------


def test_a_report_with_an_error_and_an_unexplained_warning_is_not_offered_for_signing(qtbot, demo_db, library):
    dialog = sign_dialog(qtbot, demo_db, library, period="2025")
    assert dialog.state == BLOCKED
    listed = [dialog.blocker_list.item(i).text() for i in range(dialog.blocker_list.count())]
    assert len(listed) == 2
    assert listed[0].startswith("Còn lỗi phải sửa: Bản Tả Hán:")
    assert listed[1].startswith("Cảnh báo chưa có giải trình:")
    page = dialog.page_of[BLOCKED]
    labels = [label.text() for label in page.findChildren(QLabel)]
    assert "Báo cáo chưa ký được" in labels
    assert any("trong khung “Lỗi và cảnh báo” bên phải cửa sổ, rồi ký lại." in text for text in labels)
    assert not page.findChildren(QLineEdit)  # no passphrase asked for
    assert not dialog.sign_button.isVisible()
    assert dialog.close_button.isVisible() and dialog.close_button.text() == "Đóng"


# ---- a clean report ----------------------------------------------------------------------------


def test_the_summary_says_what_is_being_signed(qtbot, demo_db, library):
    dialog = sign_dialog(qtbot, demo_db, library)
    key = key_in_use(demo_db, "03445")
    assert dialog.windowTitle() == "Ký và xuất gói"
    assert dialog.state == READY
    facts = {name: label.text() for name, label in dialog.facts.items()}
    assert facts["unit"] == "Xã Mường Tè (mã 03445)"
    assert facts["form"].startswith("kl224 — ")
    assert facts["period"] == "Năm 2024"
    assert facts["targets"] == "không so mục tiêu"
    assert facts["checks"].startswith("0 lỗi, ") and "cảnh báo đã giải trình" in facts["checks"]
    assert facts["checks"].endswith(", 0 ô chưa nhập")
    assert facts["villages"] == "18 bản"
    assert facts["sequence"] == "Lần gửi thứ 1"
    assert facts["signer"] == "Lò Thị Mai, Công chức Văn hóa - Xã hội"
    assert dialog.fingerprint.text() == key.spoken
    assert dialog.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.demo_hint.isVisible() and dialog.demo_hint.text() == "Dữ liệu mẫu: mật khẩu khóa là muongte-mau"
    assert dialog.path_edit.text().endswith("03445_kl224_2024_lan01.sctg")
    assert dialog.sign_button.isVisible() and dialog.sign_button.text() == "Ký và xuất"


def test_the_summary_names_the_target_set_compared_with(qtbot, demo_db, library):
    dialog = sign_dialog(qtbot, demo_db, library, target_set="muong-te-2025")
    name = library.get("kl224").target_set("muong-te-2025").name
    assert dialog.facts["targets"].text() == name


def test_a_wrong_passphrase_is_said_in_red_and_nothing_is_written(qtbot, demo_db, library, tmp_path):
    dialog = sign_dialog(qtbot, demo_db, library)
    out = tmp_path / "goi"
    out.mkdir()
    dialog.path_edit.setText(str(out))
    dialog.passphrase_edit.setText("sai-mat-khau")
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert dialog.state == READY and dialog.isVisible()
    assert dialog.error_label.isVisible() and dialog.error_label.text() == "Sai mật khẩu khóa ký."
    assert "#b00020" in dialog.error_label.styleSheet()
    assert dialog.passphrase_edit.text() == ""
    assert dialog.passphrase_edit.hasFocus() or dialog.focusWidget() is dialog.passphrase_edit
    assert list(out.iterdir()) == []
    assert packets(demo_db) == 0


def test_a_folder_that_does_not_exist_is_said_and_the_dialog_stays(qtbot, demo_db, library, tmp_path):
    dialog = sign_dialog(qtbot, demo_db, library)
    dialog.path_edit.setText(str(tmp_path / "khong-co" / "goi.sctg"))
    dialog.passphrase_edit.setText(DEMO_PASSPHRASE)
    assert not dialog.sign()
    assert "không tồn tại" in dialog.error_label.text()
    assert dialog.state == READY and packets(demo_db) == 0
    dialog.path_edit.setText("  ")
    assert not dialog.sign()
    assert dialog.error_label.text() == "Hãy chọn nơi lưu gói."


def test_the_right_passphrase_writes_a_signed_intact_packet(qtbot, demo_db, library, tmp_path):
    dialog = sign_dialog(qtbot, demo_db, library)
    target = tmp_path / "bao-cao-2024.sctg"
    dialog.path_edit.setText(str(target))
    dialog.passphrase_edit.setText(DEMO_PASSPHRASE)
    with qtbot.waitSignal(dialog.exported) as signal:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert target.is_file()
    verdict = verify_packet(target, [], library)
    assert verdict.status == "chua_tin_cay", verdict.problems  # intact and signed; trust comes from enrolment
    assert verdict.manifest["sequence"] == 1
    assert verdict.manifest["signer"]["spoken"] == key_in_use(demo_db, "03445").spoken
    assert signal.args[0].path == target
    assert dialog.state == DONE and dialog.isVisible()
    assert dialog.done_label.text() == f"Đã lưu gói: {target} (lần gửi 1)"
    assert dialog.open_folder_button.isVisible() and dialog.open_folder_button.text() == "Mở thư mục"
    assert not dialog.sign_button.isVisible()
    assert demo_db.setting(SETTING) == str(tmp_path)
    assert dialog.passphrase_edit.text() == ""
    assert DEMO_PASSPHRASE not in repr(vars(dialog))  # no copy kept on the dialog


def test_a_name_without_the_suffix_gets_it_and_a_folder_gets_the_default_name(qtbot, demo_db, library, tmp_path):
    dialog = sign_dialog(qtbot, demo_db, library)
    dialog.path_edit.setText(str(tmp_path / "goi-2024"))
    dialog.passphrase_edit.setText(DEMO_PASSPHRASE)
    assert dialog.sign()
    assert (tmp_path / "goi-2024.sctg").is_file()
    again = sign_dialog(qtbot, demo_db, library)
    again.path_edit.setText(str(tmp_path))
    again.passphrase_edit.setText(DEMO_PASSPHRASE)
    assert again.sign()
    assert (tmp_path / "03445_kl224_2024_lan02.sctg").is_file()


def test_a_second_export_is_the_second_sending_and_starts_in_the_last_folder(qtbot, demo_db, library, tmp_path):
    first = sign_dialog(qtbot, demo_db, library)
    first.path_edit.setText(str(tmp_path))
    first.passphrase_edit.setText(DEMO_PASSPHRASE)
    assert first.sign()
    assert (tmp_path / "03445_kl224_2024_lan01.sctg").is_file()
    second = sign_dialog(qtbot, demo_db, library)
    assert second.facts["sequence"].text() == "Lần gửi thứ 2"
    assert second.path_edit.text() == str(tmp_path / "03445_kl224_2024_lan02.sctg")
    second.passphrase_edit.setText(DEMO_PASSPHRASE)
    assert second.sign()
    assert second.done_label.text().endswith("(lần gửi 2)")
    assert verify_packet(tmp_path / "03445_kl224_2024_lan02.sctg", [], library).manifest["sequence"] == 2


# ---- a unit without a key ------------------------------------------------------------------------


def test_a_unit_without_a_key_makes_one_then_signs(qtbot, demo_db, library, tmp_path):
    assert signing_blockers(report_view(demo_db, library, "03390", "2024")) == []
    assert key_in_use(demo_db, "03390") is None
    dialog = sign_dialog(qtbot, demo_db, library, unit="03390")
    assert dialog.state == NO_KEY
    assert "Xã Bình Lư chưa có khóa ký" in dialog.no_key_label.text()
    assert dialog.create_key_button.text() == "Tạo khóa ký..."
    assert not dialog.sign_button.isVisible()

    maker = dialog.create_key()
    qtbot.addWidget(maker)
    assert isinstance(maker, CreateKeyDialog) and maker.isVisible()
    assert maker.windowTitle() == "Tạo khóa ký"
    assert maker.name_edit.text() == "Lò Thị Mai"  # the officer, from the settings
    maker.passphrase_edit.setText(NEW_PASSPHRASE)
    maker.repeat_edit.setText(NEW_PASSPHRASE + "!")
    assert not maker.create()
    assert maker.error_label.text() == "Hai lần nhập mật khẩu không giống nhau."
    maker.passphrase_edit.setText("ngắn")
    maker.repeat_edit.setText("ngắn")
    assert not maker.create()
    assert maker.error_label.text() == "Mật khẩu khóa ký cần ít nhất 8 ký tự."
    assert key_in_use(demo_db, "03390") is None and dialog.state == NO_KEY
    maker.passphrase_edit.setText(NEW_PASSPHRASE)
    maker.repeat_edit.setText(NEW_PASSPHRASE)
    qtbot.mouseClick(maker.create_button, Qt.MouseButton.LeftButton)
    key = key_in_use(demo_db, "03390")
    assert key is not None and maker.fingerprint.text() == key.spoken

    assert dialog.state == READY  # signing follows at once
    assert dialog.fingerprint.text() == key.spoken
    assert dialog.facts["unit"].text() == "Xã Bình Lư (mã 03390)"
    assert not dialog.demo_hint.isVisible()
    dialog.path_edit.setText(str(tmp_path))
    dialog.passphrase_edit.setText(NEW_PASSPHRASE)
    assert dialog.sign(), dialog.error_label.text()
    written = tmp_path / "03390_kl224_2024_lan01.sctg"
    verdict = verify_packet(written, [], library)
    assert verdict.status == "chua_tin_cay", verdict.problems
    assert verdict.manifest["signer"]["fingerprint"] == key.fingerprint


# ---- from the main window ----------------------------------------------------------------------------


def test_the_packet_menu_holds_signing_and_keys(window):
    menus = {action.text(): action.menu() for action in window.menuBar().actions()}
    assert "Gói" in menus
    texts = [action.text() for action in menus["Gói"].actions()]
    assert texts == [
        "Nhập hai lần...",  # double entry, before signing (ui/commune/double_entry_actions.py)
        "Xong lần hai, đối chiếu...",
        "Bỏ lần nhập thứ hai",
        "Ký và xuất gói...",
        "Khóa ký...",
        "Nhập biên nhận của cấp trên...",
        "Nhập biểu mẫu, thông báo của cấp trên...",
        "Đăng ký khóa của cấp trên...",
    ]
    assert window.sign_action.shortcut() == QKeySequence("Ctrl+E")
    assert any(window.sign_action in toolbar.actions() for toolbar in window.findChildren(QToolBar))
    assert window.sign_action.isEnabled()  # the demo opens on a report


def test_signing_is_disabled_without_an_open_report(window):
    window.select_unit("12")  # the province has no report of this form
    assert window.controller is None
    assert not window.sign_action.isEnabled()
    assert window.open_sign_dialog() is None


def test_the_action_opens_the_dialog_for_the_open_report(window, qtbot):
    window.sign_action.trigger()
    dialogs = window.findChildren(SignDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert dialogs[0].state == BLOCKED  # the demo opens on 2025, which has an error on purpose
    qtbot.mouseClick(dialogs[0].close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.findChildren(SignDialog))  # closed dialogs do not pile up
    window.sign_action.trigger()
    assert len(window.findChildren(SignDialog)) == 1


def test_signing_from_the_window_says_where_the_file_went(window, qtbot, tmp_path):
    window.period_box.setCurrentIndex(window.period_box.findData("2024"))
    window.target_box.setCurrentIndex(window.target_box.findData("muong-te-2025"))
    dialog = window.open_sign_dialog()
    assert dialog.isVisible() and dialog.state == READY
    assert dialog.view.evaluation.target_set.id == "muong-te-2025"  # the target set chosen in the window
    dialog.path_edit.setText(str(tmp_path))
    dialog.passphrase_edit.setText(DEMO_PASSPHRASE)
    assert dialog.sign()
    written = tmp_path / "03445_kl224_2024_lan01.sctg"
    assert written.is_file()
    assert window.statusBar().currentMessage() == f"Đã lưu gói {written} (lần gửi 1)."
    assert verify_packet(written, [], window.library).manifest["target_set"]["id"] == "muong-te-2025"


def test_the_keys_action_opens_the_units_keys(window):
    window.keys_action.trigger()
    dialogs = window.findChildren(KeysDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert dialogs[0].table.rowCount() == 1
    dialogs[0].close()


# ---- a report with cells still empty -------------------------------------------------------------


def empty_some_cells(window) -> list:
    """The demo's clean 2024 report with three cells emptied through the window's controller, as the grid does:
    the “Có nhà văn hóa” of the first two villages and the commune's FM station."""
    window.period_box.setCurrentIndex(window.period_box.findData("2024"))
    view = window.controller.session.view
    first, second = view.villages[0], view.villages[1]
    edits = [("ban_co_nvh", first.code, None), ("ban_co_nvh", second.code, None), ("xa_tram_fm", view.unit.code, None)]
    assert window.controller.edit(edits, "Xóa")
    return [first.name, second.name]


def test_the_status_bar_and_the_dialog_count_the_same_empty_cells(window):
    names = empty_some_cells(window)
    view = window.controller.session.view
    assert [(c.indicator, c.village is None) for c in view.empty_cells] == [
        ("ban_co_nvh", False),
        ("ban_co_nvh", False),
        ("xa_tram_fm", True),
    ]
    assert window.statusBar().currentMessage() == "0 lỗi, 0 cảnh báo, 16/18 bản đã nhập đủ, 3 ô chưa nhập"
    dialog = window.open_sign_dialog()
    assert dialog.state == READY, [dialog.blocker_list.item(i).text() for i in range(dialog.blocker_list.count())]
    assert dialog.facts["checks"].text().endswith(", 3 ô chưa nhập")
    assert names[0] != names[1]


def test_signing_with_empty_cells_asks_first_and_no_does_not_sign(window, qtbot, tmp_path):
    names = empty_some_cells(window)
    dialog = window.open_sign_dialog()
    out = tmp_path / "goi"
    out.mkdir()
    dialog.path_edit.setText(str(out))
    dialog.passphrase_edit.setText(DEMO_PASSPHRASE)
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert box is not None and box.isVisible() and box.windowTitle() == "Còn ô chưa nhập"
    assert box.text() == "Báo cáo còn 3 ô chưa nhập. Vẫn ký và gửi báo cáo thiếu số liệu?"
    label = window.library.get("kl224").indicator("ban_co_nvh")
    assert box.informativeText().splitlines() == [
        f"{names[0]}: {label.code} {label.label}",
        f"{names[1]}: {label.code} {label.label}",
        f"Xã Mường Tè: {window.library.get('kl224').indicator('xa_tram_fm').code} "
        f"{window.library.get('kl224').indicator('xa_tram_fm').label}",
    ]
    yes, no = box.button(QMessageBox.StandardButton.Yes), box.button(QMessageBox.StandardButton.No)
    assert yes.text() == "Vẫn ký" and no.text() == "Không ký, nhập tiếp"
    assert box.defaultButton() is no
    box.adjustSize()
    box.grab().save(str(tmp_path / "sign-confirm.png"))
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert dialog.confirm_box is None and dialog.state == READY
    assert dialog.error_label.text() == "Chưa ký: còn ô chưa nhập."
    assert list(out.iterdir()) == [] and packets(window.gw) == 0


def test_signing_with_empty_cells_goes_ahead_on_yes(window, qtbot, tmp_path):
    empty_some_cells(window)
    dialog = window.open_sign_dialog()
    dialog.path_edit.setText(str(tmp_path))
    dialog.passphrase_edit.setText(DEMO_PASSPHRASE)
    assert not dialog.sign()  # asked first
    with qtbot.waitSignal(dialog.exported):
        qtbot.mouseClick(dialog.confirm_box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert dialog.state == DONE
    written = tmp_path / "03445_kl224_2024_lan01.sctg"
    assert verify_packet(written, [], window.library).manifest["summary"]["cells_missing"] == 3


def test_many_empty_cells_are_named_by_the_first_five_and_a_count(qtbot, demo_db, library):
    from exports.text_report import empty_cell_lines
    from models.reporting import start_report

    report = start_report(demo_db, "03445", library.get("kl224"), "2026")
    view = view_report(demo_db, report, library.get("kl224"))
    count = len(view.empty_cells)
    assert count == 18 * 9 + 23  # nine cells in each of the 18 villages, 23 of the commune's own
    lines = empty_cell_lines(view)
    assert len(lines) == 6 and lines[-1] == f"và {count - 5} ô khác"
    assert lines[0].startswith(view.villages[0].name + ": ")
