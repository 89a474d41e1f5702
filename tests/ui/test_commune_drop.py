"""Files the upper level sent, dropped on the commune's window from a USB
stick's folder: a form and a notice (.sctp) applied once the province's key
is enrolled, the to-do said above the grid; a file of another kind refused
with a sentence saying what may be dropped; a drag of nothing of ours is not
taken."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from exports.collect.trust import enrol
from exports.packets.enrolment import read_enrolment, write_enrolment
from exports.publications.publish import publish_collection, publish_form
from forms.library import default_library
from models.form_store import import_authored_form
from models.keys import DEMO_PASSPHRASE, key_in_use


def drag(window, paths) -> tuple[QDragEnterEvent, QMimeData]:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        window.rect().center(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    return enter, mime


def drop(window, paths) -> bool:
    enter, mime = drag(window, paths)
    if not enter.isAccepted():
        return False
    event = QDropEvent(
        QPointF(window.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def test_what_the_province_sent_is_taken_when_dropped(window, province, tmp_path):
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(window.gw, read_enrolment(enrolment), "xa")
    import_authored_form(province, replace(default_library().get("kl224", 2), version=3), "tinh")
    sent = publish_form(province, "kl224", 3, DEMO_PASSPHRASE, tmp_path, "tinh").path
    deadline = dt.date.today() + dt.timedelta(days=20)
    notice = publish_collection(province, "kl224", 3, "2026", deadline, "", DEMO_PASSPHRASE, tmp_path, "tinh").path
    assert drop(window, [sent, notice])
    window.form_box.setCurrentIndex(window.form_box.findData("kl224"))
    assert window.current_form().key == ("kl224", "12", 3)  # the form it sent is the one new reports take
    assert window.todo.isVisible()
    assert "kl224" in window.todo.text() and "Năm 2026" in window.todo.text() and "còn 20 ngày" in window.todo.text()


def test_a_file_of_another_kind_is_refused_with_what_may_be_dropped(window, tmp_path):
    word = tmp_path / "ke-hoach.docx"
    word.write_bytes(b"PK\x03\x04")
    enter, _ = drag(window, [word])
    assert not enter.isAccepted()  # nothing of ours in the drag: not taken
    packet_like = tmp_path / "bieu.sctp"
    packet_like.write_bytes(b"not a publication")
    assert drop(window, [packet_like, word])
    assert "ke-hoach.docx" in window.message.text() and ".sctp" in window.message.text()


def test_a_target_set_of_the_province_dropped_is_among_the_choices_at_once(window, province, tmp_path):
    import datetime as dt

    from exports.publications.publish import publish_target_set
    from models.target_store import TargetInput, save_target_set

    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(window.gw, read_enrolment(enrolment), "xa")
    kl224 = default_library().get("kl224")
    targets = [TargetInput("2.3", ">=", "90", True)]
    save_target_set(province, kl224, "tinh-2026", "Kế hoạch 2026 của Tỉnh ủy", "Kế hoạch số 12-KH/TU",
                    dt.date(2026, 1, 5), dt.date(2024, 1, 1), targets, "tinh")  # fmt: skip
    sent = publish_target_set(province, "kl224", "tinh-2026", DEMO_PASSPHRASE, tmp_path, "tinh").path
    window.form_box.setCurrentIndex(window.form_box.findData("kl224"))
    assert window.target_box.findData("tinh-2026") < 0
    assert drop(window, [sent])
    assert window.target_box.findData("tinh-2026") >= 0
    assert window.target_box.itemText(window.target_box.findData("tinh-2026")) == "Kế hoạch 2026 của Tỉnh ủy"
