"""“Xuất tệp đăng ký khóa của đơn vị...”: the unit's key file (.sctk) saved
where the officer chooses, and its key code shown large to read over the
phone to whoever receives it. A unit with no key yet is told so and offered
the key-making dialog, whose last page saves the file too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.errors import UserError
from models.gateway import Gateway
from models.keys import KeyInfo, key_in_use
from ui.key_dialogs import HEADING_STYLE, CreateKeyDialog, ask_enrolment_path, save_enrolment, send_words
from ui.widgets import DONE_STYLE, ERROR_STYLE, button_row, day_of, fingerprint_label, message_label, open_modeless, say


def export_key_file(parent: QWidget, gw: Gateway, unit_code: str, path: str | Path | None = None) -> QDialog | None:
    """The unit's key file: with a key in use, saved (at ``path``, else where the save dialog says) and
    shown in a KeyFileDialog; with none, the key-making dialog, saying why. None when the officer cancels."""
    key = key_in_use(gw, unit_code)
    if key is None:
        unit = gw.require_unit(unit_code)
        note = parent.tr(
            "%1 chưa có khóa ký trên máy này, nên chưa có tệp đăng ký khóa để gửi. Hãy tạo khóa ký ngay dưới đây; "
            "tạo xong thì lưu tệp đăng ký khóa ở bước sau."
        ).replace("%1", unit.name)
        dialog = CreateKeyDialog(gw, unit_code, note=note, parent=parent)
    else:
        path = path or ask_enrolment_path(parent, gw, key)
        if not path:
            return None
        dialog = KeyFileDialog(gw, key, parent)
        dialog.save(path)
    open_modeless(dialog)
    return dialog


class KeyFileDialog(QDialog):
    """The unit's key in use and its key file (.sctk): saved where the officer chose, with the key
    code large, to read over the phone to whoever receives the file."""

    def __init__(self, gw: Gateway, key: KeyInfo, parent=None):
        super().__init__(parent)
        self.gw, self.key = gw, key
        self.unit = gw.require_unit(key.unit_code)
        self.written: Path | None = None
        self.setWindowTitle(self.tr("Tệp đăng ký khóa của %1").replace("%1", self.unit.name))
        heading = QLabel(self.tr("Khóa ký của %1").replace("%1", self.unit.name))
        heading.setStyleSheet(HEADING_STYLE)
        holder = f"{key.holder_name}, {key.holder_title}" if key.holder_title else key.holder_name
        self.fingerprint = fingerprint_label(key.spoken)  # from the key itself
        self.send_label = QLabel(send_words(self, self.unit))
        self.send_label.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Lưu tệp đăng ký khóa..."))
        self.saved_label = message_label(DONE_STYLE + " font-weight: bold;")
        self.error_label = message_label(ERROR_STYLE)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.setDefault(True)

        form = QFormLayout()
        form.addRow(self.tr("Người giữ khóa:"), QLabel(holder))
        form.addRow(self.tr("Ngày tạo khóa:"), QLabel(day_of(key.created_at)))
        form.addRow(self.tr("Mã khóa:"), self.fingerprint)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addStretch(1)
        buttons = button_row(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addLayout(form)
        column.addWidget(self.send_label)
        column.addWidget(self.saved_label)
        column.addWidget(self.error_label)
        column.addLayout(save_row)
        column.addStretch(1)
        column.addLayout(buttons)
        self.setMinimumWidth(560)

        self.save_button.clicked.connect(self._ask_save)
        self.close_button.clicked.connect(self.accept)

    def save(self, path: str | Path) -> Path | None:
        """Write the key file; a refusal (a folder that does not exist, no room) is said here."""
        say(self.saved_label, "")
        say(self.error_label, "")
        try:
            written = save_enrolment(self.gw, self.key, path)
        except UserError as exc:
            say(self.error_label, str(exc))
            return None
        self.written = written
        say(self.saved_label, self.tr("Đã lưu tệp đăng ký khóa: %1").replace("%1", str(written)))
        self.save_button.setText(self.tr("Lưu thêm một bản..."))
        return written

    def _ask_save(self) -> None:
        if path := ask_enrolment_path(self, self.gw, self.key):
            self.save(path)
