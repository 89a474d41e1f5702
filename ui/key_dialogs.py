"""The unit's signing keys, in both windows: make one (or a replacement),
list them, and save the key file (.sctk) for the units that check what it
signs: a commune's goes to its upper level; an upper level's goes to the
communes below (its receipts and returns) and to the level above (its
merged table).

Another unit trusts a key once the officer has read its spoken code to
them over the phone, so the code is shown large as soon as the key exists.
As in the other dialogs, each button calls a plain method that does the
work, so tests can drive it without the file chooser.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from exports.packets.enrolment import SUFFIX, default_enrolment_name, write_enrolment
from models.errors import BadInput, UserError
from models.gateway import Gateway
from models.keys import MIN_PASSPHRASE, KeyInfo, check_new_passphrase, create_unit_key, key_in_use, unit_keys
from models.units import Unit
from models.vocabulary import COLLECTING_TIERS
from ui.export_folder import dialog_options, export_folder, remember_folder
from ui.widgets import (
    DONE_STYLE,
    ERROR_STYLE,
    WARNING_STYLE,
    button_row,
    day_of,
    fingerprint_label,
    fit_to_screen,
    message_label,
    say,
    wait_cursor,
)

FingerprintRole = Qt.ItemDataRole.UserRole
HEADING_STYLE = "font-weight: bold; font-size: 13pt;"


def collects(unit: Unit) -> bool:
    """An upper level (district, province): its key signs receipts, returns and the merged table."""
    return unit.tier in COLLECTING_TIERS


def send_words(widget: QWidget, unit: Unit) -> str:
    """Whom the unit's key file goes to, and the phone call that makes it trusted."""
    if collects(unit):
        return widget.tr(
            "Gửi tệp này cho các đơn vị cấp dưới (để họ kiểm tra biên nhận, trả lại) và cho cấp trên "
            "(để kiểm tra biểu tổng hợp), rồi đọc mã khóa cho từng nơi qua điện thoại."
        )
    return widget.tr("Gửi tệp này cho cấp trên và đọc mã khóa cho họ qua điện thoại.")


def save_enrolment(gw: Gateway, key: KeyInfo, path: str | Path) -> Path:
    """Write the key file and remember its folder; BadInput if it cannot be written."""
    path = Path(path)
    if path.suffix.lower() != SUFFIX:
        path = path.with_name(path.name + SUFFIX)
    written = write_enrolment(key, gw.require_unit(key.unit_code), path)
    remember_folder(gw, written.parent)
    return written


def ask_enrolment_path(parent: QWidget, gw: Gateway, key: KeyInfo) -> str:
    path, _filter = QFileDialog.getSaveFileName(
        parent,
        parent.tr("Lưu tệp đăng ký khóa"),
        str(export_folder(gw) / default_enrolment_name(key)),
        parent.tr("Tệp đăng ký khóa (*%1)").replace("%1", SUFFIX),
        options=dialog_options(),
    )
    return path


class CreateKeyDialog(QDialog):
    """A new key for the unit, or with ``replace`` one that takes over from the key in use."""

    key_created = Signal(object)  # the new KeyInfo

    def __init__(self, gw: Gateway, unit_code: str, *, replace: bool = False, note: str = "", parent=None):
        super().__init__(parent)
        self.gw, self.replace, self.note = gw, replace, note
        self.unit = gw.require_unit(unit_code)
        self.key: KeyInfo | None = None
        self.setWindowTitle(self.tr("Thay khóa ký mới") if replace else self.tr("Tạo khóa ký"))

        self.name_edit = QLineEdit(gw.setting("officer_name") or "")
        self.title_edit = QLineEdit(gw.setting("officer_title") or "")
        self.passphrase_edit, self.repeat_edit = QLineEdit(), QLineEdit()
        for edit in (self.passphrase_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = message_label(ERROR_STYLE)
        self.create_button = QPushButton(self.tr("Tạo khóa"))
        self.create_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.fingerprint = fingerprint_label()
        self.save_button = QPushButton(self.tr("Lưu tệp đăng ký khóa..."))
        self.saved_label = message_label(DONE_STYLE)
        self.save_error_label = message_label(ERROR_STYLE)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.pages = QStackedWidget()
        self.form_page, self.done_page = self._build_form_page(), self._build_done_page()
        self.pages.addWidget(self.form_page)
        self.pages.addWidget(self.done_page)
        QVBoxLayout(self).addWidget(self.pages)
        self.setMinimumWidth(540)

        self.create_button.clicked.connect(self.create)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self._ask_save)
        self.close_button.clicked.connect(self.accept)

    def _build_form_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        heading = QLabel(self.tr("Khóa ký của %1").replace("%1", self.unit.name))
        heading.setStyleSheet(HEADING_STYLE)
        column.addWidget(heading)
        if self.note:
            note = QLabel(self.note)
            note.setStyleSheet(WARNING_STYLE)
            note.setWordWrap(True)
            column.addWidget(note)
        current = key_in_use(self.gw, self.unit.code)
        if self.replace and current is not None:
            warning = QLabel(
                self.tr(
                    "Khóa đang dùng (mã %1) sẽ thôi dùng để ký từ nay. Khóa cũ vẫn được giữ lại, "
                    "nên các gói đã ký bằng nó vẫn kiểm tra được."
                ).replace("%1", current.spoken)
            )
            warning.setStyleSheet(WARNING_STYLE)
            warning.setWordWrap(True)
            column.addWidget(warning)
        explanation = QLabel(
            self.tr(
                "Mật khẩu bảo vệ khóa ký: mỗi lần ký biên nhận, trả lại hay biểu tổng hợp phải nhập mật khẩu này. "
                "Không ai lấy lại được mật khẩu đã quên, kể cả người làm ra chương trình. "
                "Nếu quên mật khẩu, hãy tạo khóa mới (những gì đã ký trước đó vẫn kiểm tra được) "
                "rồi gửi tệp đăng ký khóa mới cho các đơn vị cấp dưới và cấp trên."
            )
            if collects(self.unit)
            else self.tr(
                "Mật khẩu bảo vệ khóa ký: mỗi lần ký gói gửi cấp trên phải nhập mật khẩu này. "
                "Không ai lấy lại được mật khẩu đã quên, kể cả người làm ra chương trình. "
                "Nếu quên mật khẩu, hãy tạo khóa mới (các gói đã gửi trước đó vẫn kiểm tra được) "
                "rồi gửi tệp đăng ký khóa mới cho cấp trên."
            )
        )
        explanation.setWordWrap(True)
        column.addWidget(explanation)
        form = QFormLayout()
        form.addRow(self.tr("Người giữ khóa:"), self.name_edit)
        form.addRow(self.tr("Chức vụ:"), self.title_edit)
        form.addRow(self.tr("Mật khẩu (ít nhất %1 ký tự):").replace("%1", str(MIN_PASSPHRASE)), self.passphrase_edit)
        form.addRow(self.tr("Nhập lại mật khẩu:"), self.repeat_edit)
        column.addLayout(form)
        column.addWidget(self.error_label)
        buttons = button_row(self.create_button, self.cancel_button)
        column.addLayout(buttons)
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.done_heading = QLabel()
        self.done_heading.setWordWrap(True)
        column.addWidget(self.done_heading)
        column.addWidget(self.fingerprint)
        send = QLabel(send_words(self, self.unit))
        send.setWordWrap(True)
        column.addWidget(send)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.saved_label)
        column.addWidget(self.save_error_label)
        column.addStretch(1)
        buttons = button_row(self.close_button)
        column.addLayout(buttons)
        return page

    def show_error(self, text: str) -> None:
        say(self.error_label, text)

    # ---- the work --------------------------------------------------------------------

    def create(self) -> bool:
        """Check the two passphrases, then make the key; on refusal say why and write nothing."""
        self.show_error("")
        try:
            check_new_passphrase(self.passphrase_edit.text(), self.repeat_edit.text())
        except BadInput as exc:
            self._clear_passphrases()
            self.show_error(str(exc))
            return False
        try:
            with wait_cursor():
                key = create_unit_key(
                    self.gw,
                    self.unit.code,
                    self.passphrase_edit.text(),
                    self.name_edit.text(),
                    self.title_edit.text(),
                    replace=self.replace,
                )
        except UserError as exc:
            self.show_error(str(exc))
            return False
        self._clear_passphrases()
        self.key = key
        self.done_heading.setText(self.tr("Đã tạo khóa ký cho %1. Mã khóa:").replace("%1", self.unit.name))
        self.fingerprint.setText(key.spoken)
        self.pages.setCurrentWidget(self.done_page)
        self.close_button.setDefault(True)
        self.key_created.emit(key)
        return True

    def _clear_passphrases(self) -> None:
        self.passphrase_edit.clear()
        self.repeat_edit.clear()
        self.passphrase_edit.setFocus()

    def save_enrolment(self, path: str | Path) -> Path | None:
        say(self.save_error_label, "")
        try:
            written = save_enrolment(self.gw, self.key, path)
        except UserError as exc:
            say(self.save_error_label, str(exc))
            return None
        say(self.saved_label, self.tr("Đã lưu tệp đăng ký khóa: %1").replace("%1", str(written)))
        return written

    def _ask_save(self) -> None:
        if self.key is not None and (path := ask_enrolment_path(self, self.gw, self.key)):
            self.save_enrolment(path)


class KeysDialog(QDialog):
    """Every key of the unit, the one in use first; save a key file, or replace the key."""

    def __init__(self, gw: Gateway, unit_code: str, parent=None):
        super().__init__(parent)
        self.gw = gw
        self.unit = gw.require_unit(unit_code)
        self.setWindowTitle(self.tr("Khóa ký của %1").replace("%1", self.unit.name))
        self.keys: list[KeyInfo] = []
        intro = QLabel(
            self.tr(
                "Khóa ký chứng nhận biên nhận, trả lại và biểu tổng hợp do đơn vị ký. "
                "Khóa đã thay vẫn được giữ để những gì ký trước đó vẫn kiểm tra được."
            )
            if collects(self.unit)
            else self.tr(
                "Khóa ký chứng nhận các gói báo cáo do đơn vị gửi lên. "
                "Khóa đã thay vẫn được giữ để các gói ký trước đó vẫn kiểm tra được."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Mã khóa"), self.tr("Người giữ"), self.tr("Ngày tạo"), self.tr("Trạng thái")]
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # one line a key; the whole text is in the tooltip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the holder's name and title may be long
        self.export_button = QPushButton(self.tr("Xuất tệp đăng ký khóa..."))
        self.replace_button = QPushButton()
        self.close_button = QPushButton(self.tr("Đóng"))
        self.saved_label = message_label(DONE_STYLE)
        self.error_label = message_label(ERROR_STYLE)

        buttons = QVBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.replace_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(row)
        column.addWidget(self.saved_label)
        column.addWidget(self.error_label)
        fit_to_screen(self, 900, 320)

        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.export_button.clicked.connect(self._ask_export)
        self.replace_button.clicked.connect(self.replace_key)
        self.close_button.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        self.keys = unit_keys(self.gw, self.unit.code)
        self.table.setRowCount(len(self.keys))
        for row, key in enumerate(self.keys):
            holder = f"{key.holder_name}, {key.holder_title}" if key.holder_title else key.holder_name
            cells = (key.spoken, holder, day_of(key.created_at), self.state_text(key))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                item.setData(FingerprintRole, key.fingerprint)
                if not key.in_use:
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, column, item)
        if self.keys:
            self.table.selectRow(0)
        in_use = bool(self.keys) and self.keys[0].in_use
        self.replace_button.setText(self.tr("Thay khóa mới...") if in_use else self.tr("Tạo khóa ký..."))
        self._update_buttons()

    def state_text(self, key: KeyInfo) -> str:
        if not key.in_use:
            return self.tr("đã thay ngày %1").replace("%1", day_of(key.replaced_at))
        return self.tr("đang dùng (khóa mẫu)") if key.demo else self.tr("đang dùng")

    def selected_key(self) -> KeyInfo | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return self.keys[min(rows)] if rows else None

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(self.selected_key() is not None)

    # ---- the work ----------------------------------------------------------------------

    def export_enrolment(self, key: KeyInfo, path: str | Path) -> Path | None:
        say(self.saved_label, "")
        say(self.error_label, "")
        try:
            written = save_enrolment(self.gw, key, path)
        except UserError as exc:
            say(self.error_label, str(exc))
            return None
        say(self.saved_label, self.tr("Đã lưu tệp đăng ký khóa: %1").replace("%1", str(written)))
        return written

    def replace_key(self) -> CreateKeyDialog:
        """The key-making dialog, shown without waiting; the table follows when a key is made."""
        replace = key_in_use(self.gw, self.unit.code) is not None
        dialog = CreateKeyDialog(self.gw, self.unit.code, replace=replace, parent=self)
        dialog.key_created.connect(lambda _key: self.refresh())
        dialog.open()
        return dialog

    def _ask_export(self) -> None:
        key = self.selected_key()
        if key is not None and (path := ask_enrolment_path(self, self.gw, key)):
            self.export_enrolment(key, path)
