"""First run on an empty database. A commune: the officer picks it from the
official catalogue, lists its villages and says who fills the reports. The
upper level: the officer picks the province, which collects the packets of
all its communes. Or either demo, to look around first.

The unit's signing key is made in the same transaction as the unit, so a
refused passphrase leaves the database as empty as it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from forms.library import FormLibrary
from models import catalogue
from models.demo import build_demo, build_upper_demo
from models.errors import PassphraseRefused, UserError
from models.gateway import Gateway
from models.keys import MIN_PASSPHRASE
from models.setup import setup_commune, setup_upper, split_village_list, with_signing_key
from ui.widgets import fit_to_screen

CodeRole = Qt.ItemDataRole.UserRole
DEFAULT_PROVINCE = "12"  # Lai Châu, where the program is first used
VILLAGE_KINDS = ("bản", "thôn", "tổ dân phố")
ERROR_STYLE = "color: #b00020;"
COMMUNE, UPPER = "commune", "upper"


class SetupDialog(QDialog):
    def __init__(self, gw: Gateway, library: FormLibrary, parent=None):
        super().__init__(parent)
        self.gw, self.library = gw, library
        self.created_unit_code: str | None = None
        self.setWindowTitle(self.tr("Bắt đầu sử dụng Sổ Chỉ Tiêu"))

        self.commune_role = QRadioButton(self.tr("Xã, phường: nhập số liệu và gửi lên"))
        self.upper_role = QRadioButton(self.tr("Cấp trên: nhận gói và tổng hợp (tỉnh)"))
        self.commune_role.setChecked(True)
        self.roles = QButtonGroup(self)
        self.roles.addButton(self.commune_role)
        self.roles.addButton(self.upper_role)
        self.province_box = QComboBox()
        for province in catalogue.provinces():
            self.province_box.addItem(province.name, province.code)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Tìm xã, phường (gõ không dấu cũng được)"))
        self.search_edit.setClearButtonEnabled(True)
        self.commune_list = QListWidget()
        self.kind_box = QComboBox()
        self.kind_box.addItems(VILLAGE_KINDS)
        self.villages_edit = QPlainTextEdit()
        self.villages_edit.setPlaceholderText(self.tr("Mỗi dòng một tên; dán cả cột từ Excel cũng được"))
        self.count_label = QLabel()
        self.name_edit, self.title_edit = QLineEdit(), QLineEdit()
        self.passphrase_edit, self.repeat_edit = QLineEdit(), QLineEdit()
        for edit in (self.passphrase_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_note = QLabel(
            self.tr(
                "Mật khẩu bảo vệ khóa ký của xã, nhập mỗi lần ký gói gửi cấp trên; "
                "quên thì không ai lấy lại được, chỉ tạo được khóa mới."
            )
        )
        self.passphrase_note.setWordWrap(True)
        self.upper_province_box = QComboBox()
        for province in catalogue.provinces():
            self.upper_province_box.addItem(province.name, province.code)
        self.upper_province_box.setCurrentIndex(max(self.upper_province_box.findData(DEFAULT_PROVINCE), 0))
        self.upper_count_label = QLabel()
        self.upper_name_edit, self.upper_title_edit = QLineEdit(), QLineEdit()
        self.upper_passphrase_edit, self.upper_repeat_edit = QLineEdit(), QLineEdit()
        for edit in (self.upper_passphrase_edit, self.upper_repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.upper_passphrase_note = QLabel(
            self.tr(
                "Mật khẩu bảo vệ khóa ký của tỉnh, nhập mỗi lần ký bảng tổng hợp gửi lên; "
                "quên thì không ai lấy lại được, chỉ tạo được khóa mới."
            )
        )
        self.upper_passphrase_note.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.create_button = QPushButton(self.tr("Tạo"))
        self.create_button.setDefault(True)
        self.demo_button = QPushButton(self.tr("Mở dữ liệu mẫu"))
        self.upper_demo_button = QPushButton(self.tr("Mở dữ liệu mẫu cấp tỉnh"))
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self._build_layout()

        self.province_box.currentIndexChanged.connect(self.refresh_communes)
        self.search_edit.textChanged.connect(self.refresh_communes)
        self.commune_list.currentItemChanged.connect(self._commune_chosen)
        self.kind_box.currentIndexChanged.connect(self._update_state)
        self.villages_edit.textChanged.connect(self._update_state)
        self.name_edit.textChanged.connect(self._update_state)
        self.upper_province_box.currentIndexChanged.connect(self._update_state)
        self.upper_name_edit.textChanged.connect(self._update_state)
        self.roles.buttonToggled.connect(self._role_chosen)
        self.create_button.clicked.connect(self._create_clicked)
        self.demo_button.clicked.connect(self.open_demo)
        self.upper_demo_button.clicked.connect(self.open_upper_demo)
        self.cancel_button.clicked.connect(self.reject)

        self.province_box.setCurrentIndex(max(self.province_box.findData(DEFAULT_PROVINCE), 0))
        self.refresh_communes()
        self._role_chosen()

    def _build_layout(self) -> None:
        roles = QVBoxLayout()
        roles.addWidget(QLabel(self.tr("Máy này dùng cho:")))
        roles.addWidget(self.commune_role)
        roles.addWidget(self.upper_role)
        self.commune_page = QWidget()
        form = QFormLayout(self.commune_page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Tỉnh, thành phố:"), self.province_box)
        commune_column = QVBoxLayout()
        commune_column.addWidget(self.search_edit)
        commune_column.addWidget(self.commune_list)
        form.addRow(self.tr("Xã, phường:"), commune_column)
        form.addRow(self.tr("Đơn vị dưới xã gọi là:"), self.kind_box)
        village_column = QVBoxLayout()
        village_column.addWidget(self.villages_edit)
        village_column.addWidget(self.count_label)
        form.addRow(self.tr("Danh sách thôn, bản:"), village_column)
        form.addRow(self.tr("Họ tên cán bộ nhập liệu:"), self.name_edit)
        form.addRow(self.tr("Chức vụ:"), self.title_edit)
        form.addRow(
            self.tr("Mật khẩu khóa ký (ít nhất %1 ký tự):").replace("%1", str(MIN_PASSPHRASE)), self.passphrase_edit
        )
        form.addRow(self.tr("Nhập lại mật khẩu:"), self.repeat_edit)
        form.addRow("", self.passphrase_note)
        self.upper_page = QWidget()
        upper = QFormLayout(self.upper_page)
        upper.setContentsMargins(0, 0, 0, 0)
        province = QVBoxLayout()
        province.addWidget(self.upper_province_box)
        province.addWidget(self.upper_count_label)
        upper.addRow(self.tr("Tỉnh, thành phố:"), province)
        upper.addRow(self.tr("Họ tên cán bộ tổng hợp:"), self.upper_name_edit)
        upper.addRow(self.tr("Chức vụ:"), self.upper_title_edit)
        upper.addRow(
            self.tr("Mật khẩu khóa ký (ít nhất %1 ký tự):").replace("%1", str(MIN_PASSPHRASE)),
            self.upper_passphrase_edit,
        )
        upper.addRow(self.tr("Nhập lại mật khẩu:"), self.upper_repeat_edit)
        upper.addRow("", self.upper_passphrase_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.upper_demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.cancel_button)
        column = QVBoxLayout(self)
        column.addLayout(roles)
        column.addWidget(self.commune_page)
        column.addWidget(self.upper_page)
        column.addStretch(0)
        column.addWidget(self.error_label)
        column.addLayout(buttons)
        fit_to_screen(self, 560, 720)

    # ---- what the user has chosen -------------------------------------------------

    def commune_code(self) -> str | None:
        item = self.commune_list.currentItem()
        return item.data(CodeRole) if item else None

    def village_names(self) -> list[str]:
        return split_village_list(self.villages_edit.toPlainText())

    def refresh_communes(self) -> None:
        """Communes of the province whose name holds the search, diacritics or not."""
        chosen = self.commune_code()
        found = catalogue.search(self.search_edit.text(), self.province_box.currentData())
        self.commune_list.blockSignals(True)
        self.commune_list.clear()
        for commune in found:
            item = QListWidgetItem(commune.name, self.commune_list)
            item.setData(CodeRole, commune.code)
            if commune.code == chosen or len(found) == 1:
                self.commune_list.setCurrentItem(item)
        self.commune_list.blockSignals(False)
        self._commune_chosen()

    def _commune_chosen(self) -> None:
        # A phường is divided into tổ dân phố; going back to a xã undoes only that guess.
        unit = catalogue.find(self.commune_code() or "")
        if unit is not None and unit.kind == "phường":
            self.kind_box.setCurrentText("tổ dân phố")
        elif unit is not None and self.kind_box.currentText() == "tổ dân phố":
            self.kind_box.setCurrentText("bản")
        self._update_state()

    def role(self) -> str:
        return UPPER if self.upper_role.isChecked() else COMMUNE

    def _role_chosen(self, *_args) -> None:
        upper = self.role() == UPPER
        self.commune_page.setVisible(not upper)
        self.demo_button.setVisible(not upper)
        self.upper_page.setVisible(upper)
        self.upper_demo_button.setVisible(upper)
        self.show_error("")
        self._update_state()

    def _update_state(self) -> None:
        count = len(self.village_names())
        self.count_label.setText(f"{count} {self.kind_box.currentText()}")
        communes = len(catalogue.communes(self.upper_province_box.currentData() or ""))
        self.upper_count_label.setText(
            self.tr("Nhận báo cáo của %1 xã, phường trực thuộc").replace("%1", str(communes))
        )
        if self.role() == UPPER:
            ready = bool(self.upper_province_box.currentData() and self.upper_name_edit.text().strip())
        else:
            ready = bool(self.commune_code() and count and self.name_edit.text().strip())
        self.create_button.setEnabled(ready)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    # ---- the buttons ----------------------------------------------------------------

    def _create_clicked(self) -> None:
        if self.role() == UPPER:
            self.create_upper()
        else:
            self.create()

    def create(self) -> bool:
        """Write the commune, its villages, the officer and the signing key, all or
        nothing; on refusal keep what was typed (but a refused passphrase)."""
        self.show_error("")
        if self.commune_code() is None:  # the core would name an empty code; say what to do instead
            self.show_error(self.tr("Hãy chọn xã, phường trong danh sách."))
            return False
        return self._set_up(
            lambda: setup_commune(
                self.gw,
                self.commune_code(),
                self.village_names(),
                self.kind_box.currentText(),
                self.name_edit.text(),
                self.title_edit.text(),
            ),
            self.passphrase_edit,
            self.repeat_edit,
        )

    def open_demo(self) -> bool:
        self.show_error("")
        try:
            build_demo(self.gw, self.library)
        except UserError as exc:  # e.g. the database is not empty after all
            self.show_error(str(exc))
            return False
        self.created_unit_code = self.gw.setting("home_unit")
        self.accept()
        return True

    def create_upper(self) -> bool:
        """Write the province, all its communes, the officer and the province's signing key,
        all or nothing; on refusal keep what was typed (but a refused passphrase)."""
        self.show_error("")
        name, title = self.upper_name_edit.text(), self.upper_title_edit.text()
        province = self.upper_province_box.currentData()
        return self._set_up(
            lambda: setup_upper(self.gw, province, name, title), self.upper_passphrase_edit, self.upper_repeat_edit
        )

    def _set_up(self, set_up, passphrase_edit: QLineEdit, repeat_edit: QLineEdit) -> bool:
        """The units and the officer's key in one transaction; a refused passphrase is cleared, the rest kept."""
        try:
            unit, _key = with_signing_key(self.gw, set_up, passphrase_edit.text(), repeat_edit.text())
        except UserError as exc:
            if isinstance(exc, PassphraseRefused):
                passphrase_edit.clear()
                repeat_edit.clear()
                passphrase_edit.setFocus()
            self.show_error(str(exc))
            return False
        passphrase_edit.clear()
        repeat_edit.clear()
        self.created_unit_code = unit.code
        self.accept()
        return True

    def open_upper_demo(self) -> bool:
        self.show_error("")
        try:
            build_upper_demo(self.gw)
        except UserError as exc:
            self.show_error(str(exc))
            return False
        self.created_unit_code = self.gw.setting("home_unit")
        self.accept()
        return True
