"""The province's window sends down, signed: its own version of a form and a
collection notice, each from the Biểu mẫu menu through the real dialog and
the demo's key; the .sctp files are read back and the notice's collection is
open here with its deadline. A form shipped with the program is not sent."""

from __future__ import annotations

import datetime as dt

import openpyxl
from PySide6.QtCore import QDate

from exports.publications.format import read_publication
from models.keys import DEMO_PASSPHRASE


def province_version_2(window, tmp_path):
    book = window.export_form(tmp_path / "kl224.xlsx")
    workbook = openpyxl.load_workbook(book)
    for row in workbook["Biểu"].iter_rows(min_row=2):
        if row[0].value == "Phiên bản":
            row[1].value = 2
    workbook.save(book)
    return window.import_form(book)[0]


def test_the_province_sends_its_form_and_a_notice_down(upper_window, tmp_path, qtbot):
    province_version_2(upper_window, tmp_path)
    out = tmp_path / "gui"
    out.mkdir()
    dialog = upper_window.open_publish_dialog("form")
    qtbot.waitExposed(dialog)
    assert dialog.version_box.currentData() == 2 and dialog.form_choice.isChecked()
    assert not dialog.period_edit.isEnabled()  # a form carries no period
    dialog.signing.passphrase.setText(DEMO_PASSPHRASE)
    dialog.signing.folder.setText(str(out))
    done = dialog.sign()
    assert done is not None and dialog.done_label.text() == done.sentence
    sent = read_publication(done.path)
    assert sent.data["kind"] == "form" and sent.data["form"]["version"] == 2
    dialog.close()

    notice = upper_window.open_publish_dialog("collection")
    notice.period_edit.setText("2026")
    notice.deadline_edit.setDate(QDate(2027, 1, 15))
    notice.note_edit.setText("Nộp cùng báo cáo năm.")
    notice.signing.passphrase.setText(DEMO_PASSPHRASE)
    notice.signing.folder.setText(str(out))
    assert notice.sign() is not None
    assert upper_window.gw.collections.get("kl224", "2026")["deadline"] == dt.date(2027, 1, 15).isoformat()
    assert upper_window.period_box.findData("2026") >= 0
    assert notice.signing.passphrase.text() == ""  # never left in the field


def test_a_shipped_form_is_not_sent_and_a_wrong_passphrase_is_said(upper_window, tmp_path, qtbot):
    dialog = upper_window.open_publish_dialog("form")
    qtbot.waitExposed(dialog)
    assert dialog.version_box.currentData() is None  # the unit issued no version of its own yet
    assert "chưa ban hành phiên bản nào" in dialog.error_label.text()
    dialog.signing.passphrase.setText(DEMO_PASSPHRASE)
    assert dialog.sign() is None and "chỉ gửi phiên bản đơn vị ban hành" in dialog.error_label.text()
    dialog.notice_choice.setChecked(True)
    dialog.signing.passphrase.setText("sai mat khau")
    dialog.signing.folder.setText(str(tmp_path))
    assert dialog.sign() is None and dialog.error_label.text()
    assert list(tmp_path.glob("*.sctp")) == []


def test_the_province_sends_a_target_set_it_set(upper_window, tmp_path, qtbot):
    from models.target_store import TargetInput, save_target_set

    form = upper_window.library.get("kl224")
    targets = [TargetInput("2.3", ">=", "90", True)]
    save_target_set(upper_window.gw, form, "tinh-2026", "Kế hoạch 2026 của Tỉnh ủy", "Kế hoạch số 12-KH/TU",
                    dt.date(2026, 1, 5), dt.date(2026, 1, 1), targets, "tinh")  # fmt: skip
    dialog = upper_window.open_publish_dialog("target_set")
    qtbot.waitExposed(dialog)
    assert dialog.targets_choice.isChecked() and dialog.set_box.currentData() == "tinh-2026"
    assert not dialog.version_box.isEnabled() and not dialog.period_edit.isEnabled()
    dialog.signing.passphrase.setText(DEMO_PASSPHRASE)
    dialog.signing.folder.setText(str(tmp_path))
    done = dialog.sign()
    assert done is not None and read_publication(done.path).data["kind"] == "target_set"
