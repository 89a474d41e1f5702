"""Sign the open report and save it as a packet (.sctg) for the upper level.

The dialog is in one of four states: the report cannot be signed yet (the
reasons, nothing else), the unit has no key (make one first), ready to sign
(what is being signed, the passphrase, where the file goes), and done (where
the file went). The passphrase is read from its field at the moment of
signing and the field is emptied straight after; the dialog keeps no copy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from exports.packets.format import SUFFIX, default_packet_name
from exports.packets.write import ExportedPacket, export_packet, next_sequence, signing_blockers
from exports.text_report import empty_cell_lines
from forms import vnformat
from models.errors import UserError
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, KeyInfo, key_in_use
from models.reporting import ReportView
from ui.carried_look import carried_words
from ui.export_folder import dialog_options, export_folder, remember_folder
from ui.key_dialogs import CreateKeyDialog
from ui.widgets import (
    DONE_STYLE,
    ERROR_STYLE,
    button_row,
    fingerprint_label,
    fit_height,
    message_label,
    say,
    wait_cursor,
)

HEADING_STYLE = "font-weight: bold; font-size: 13pt;"
BLOCKED, NO_KEY, READY, DONE = "blocked", "no_key", "ready", "done"


def wrapped(text: str = "", style: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label


class SignDialog(QDialog):
    exported = Signal(object)  # the ExportedPacket, so the window can say where it went

    def __init__(self, gw: Gateway, view: ReportView, parent=None):
        super().__init__(parent)
        self.gw, self.view = gw, view
        self.key: KeyInfo | None = key_in_use(gw, view.unit.code)
        self.packet: ExportedPacket | None = None
        self.confirm_box: QMessageBox | None = None  # “sign with empty cells?”, while it is asked
        self.setWindowTitle(self.tr("Ký và xuất gói"))

        self.blocker_list = QListWidget()
        self.blocker_list.setWordWrap(True)  # a finding is a sentence; read it whole, not by scrolling sideways
        self.blocker_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.blocker_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.blocker_list.setSpacing(2)
        self.no_key_label = wrapped()
        self.create_key_button = QPushButton(self.tr("Tạo khóa ký..."))
        self.facts: dict[str, QLabel] = {}
        self.fingerprint = fingerprint_label(scale=1.5)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.demo_hint = wrapped(
            self.tr("Dữ liệu mẫu: mật khẩu khóa là %1").replace("%1", DEMO_PASSPHRASE), "color: #555;"
        )
        self.path_edit = QLineEdit()
        self.choose_button = QPushButton(self.tr("Chọn..."))
        self.error_label = message_label(ERROR_STYLE)
        self.done_label = wrapped(style=DONE_STYLE + " font-weight: bold;")
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = QPushButton(self.tr("Mở thư mục"))
        # Where no file manager opens the folder, its path is shown instead, to select or copy.
        self.folder_label = wrapped()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_path_button = QPushButton(self.tr("Chép đường dẫn"))
        self.sign_button = QPushButton(self.tr("Ký và xuất"))
        self.close_button = QPushButton(self.tr("Đóng"))

        self._state = READY
        self.page_of = {
            BLOCKED: self._build_blocked_page(),
            NO_KEY: self._build_no_key_page(),
            READY: self._build_ready_page(),
            DONE: self._build_done_page(),
        }
        buttons = button_row(self.sign_button, self.close_button)
        column = QVBoxLayout(self)
        # Pages shown one at a time rather than in a QStackedWidget, whose height is that of its tallest page.
        for page in self.page_of.values():
            column.addWidget(page, 1)
        column.addLayout(buttons)
        self.setMinimumWidth(640)

        self.create_key_button.clicked.connect(self.create_key)
        self.choose_button.clicked.connect(self._ask_path)
        self.sign_button.clicked.connect(self.sign)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.copy_path_button.clicked.connect(self.copy_folder_path)
        self.close_button.clicked.connect(self.accept)
        self.refresh()

    # ---- building ----------------------------------------------------------------------

    def _build_blocked_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(wrapped(self.tr("Báo cáo chưa ký được"), HEADING_STYLE + " color: #b00020;"))
        column.addWidget(self.blocker_list, 1)
        column.addWidget(
            wrapped(
                self.tr(
                    "Sửa các lỗi và viết giải trình cho từng cảnh báo trong khung “Lỗi và cảnh báo” bên phải "
                    "cửa sổ, rồi ký lại."
                )
            )
        )
        return page

    def _build_no_key_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(wrapped(self.tr("Chưa có khóa ký"), HEADING_STYLE))
        column.addWidget(self.no_key_label)
        row = QHBoxLayout()
        row.addWidget(self.create_key_button)
        row.addStretch(1)
        column.addLayout(row)
        column.addStretch(1)
        return page

    def _build_ready_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(wrapped(self.tr("Kiểm tra lại trước khi ký"), HEADING_STYLE))
        summary = QFormLayout()
        for name, label in (
            ("unit", self.tr("Đơn vị:")),
            ("form", self.tr("Biểu:")),
            ("period", self.tr("Kỳ báo cáo:")),
            ("targets", self.tr("Mục tiêu:")),
            ("checks", self.tr("Kiểm tra:")),
            ("villages", self.tr("Số thôn, bản:")),
            ("sequence", self.tr("Gói:")),
            ("signer", self.tr("Người ký:")),
        ):
            self.facts[name] = wrapped()
            summary.addRow(label, self.facts[name])
        summary.addRow(self.tr("Mã khóa:"), self.fingerprint)
        self.fingerprint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        summary.addRow(line)
        passphrase = QVBoxLayout()
        passphrase.addWidget(self.passphrase_edit)
        passphrase.addWidget(self.demo_hint)
        summary.addRow(self.tr("Mật khẩu khóa ký:"), passphrase)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.choose_button)
        summary.addRow(self.tr("Lưu gói vào:"), where)
        column.addLayout(summary)
        column.addWidget(self.error_label)
        return page

    def _build_done_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(wrapped(self.tr("Đã ký xong"), HEADING_STYLE))
        column.addWidget(self.done_label)
        column.addWidget(wrapped(self.tr("Gửi tệp gói này cho cấp trên (thư điện tử, USB...).")))
        row = QHBoxLayout()
        row.addWidget(self.open_folder_button)
        row.addStretch(1)
        column.addLayout(row)
        fallback = QHBoxLayout()
        fallback.addWidget(self.folder_label, 1)
        fallback.addWidget(self.copy_path_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(fallback)
        self.folder_label.hide()
        self.copy_path_button.hide()
        column.addStretch(1)
        return page

    # ---- the state --------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return self._state

    def refresh(self) -> None:
        """Show what can be done now: why not, make a key, or sign."""
        blockers = signing_blockers(self.view, self.gw)
        if self.packet is not None:
            self._show(DONE)
        elif blockers:
            self.blocker_list.clear()
            self.blocker_list.addItems([b[:1].upper() + b[1:] for b in blockers])
            self._show(BLOCKED)
        elif self.key is None:
            self.no_key_label.setText(
                self.tr(
                    "%1 chưa có khóa ký. Khóa ký chứng nhận với cấp trên rằng gói do chính đơn vị gửi "
                    "và không bị sửa dọc đường. Tạo khóa một lần, rồi ký được mọi báo cáo."
                ).replace("%1", self.view.unit.name)
            )
            self._show(NO_KEY)
        else:
            self._fill_summary()
            self._show(READY)
            self.passphrase_edit.setFocus()

    def _show(self, state: str) -> None:
        self._state = state
        for name, page in self.page_of.items():
            page.setVisible(name == state)
        self.sign_button.setVisible(state == READY)
        self.sign_button.setDefault(state == READY)
        self.close_button.setText(self.tr("Hủy") if state == READY else self.tr("Đóng"))
        fit_height(self)

    def _fill_summary(self) -> None:
        view, key = self.view, self.key
        evaluation = view.evaluation
        target_set = evaluation.target_set
        explained = sum(1 for f in evaluation.warnings if view.reason_for(f))
        sequence = next_sequence(self.gw, view.report)
        kind = view.villages[0].kind if view.villages else self.tr("thôn, bản")
        self.facts["unit"].setText(f"{view.unit.name} ({self.tr('mã')} {view.unit.code})")
        self.facts["form"].setText(f"{view.form.id} — {view.form.title}")
        self.facts["period"].setText(self.gw.period(view.report.period_code).label)
        self.facts["targets"].setText(target_set.name if target_set else self.tr("không so mục tiêu"))
        self.facts["checks"].setText(
            self.tr("%1 lỗi, %2 cảnh báo đã giải trình, %3 ô chưa nhập")
            .replace("%1", str(len(evaluation.errors)))
            .replace("%2", str(explained))
            .replace("%3", vnformat.number(len(view.empty_cells)))
            + carried_words(view)
        )
        self.facts["villages"].setText(f"{len(view.villages)} {kind}")
        self.facts["sequence"].setText(self.tr("Lần gửi thứ %1").replace("%1", str(sequence)))
        self.facts["signer"].setText(f"{key.holder_name}, {key.holder_title}" if key.holder_title else key.holder_name)
        self.fingerprint.setText(key.spoken)
        self.demo_hint.setVisible(key.demo)
        self.path_edit.setText(
            str(
                export_folder(self.gw)
                / default_packet_name(view.unit.code, view.form.id, view.report.period_code, sequence)
            )
        )

    # ---- the work ------------------------------------------------------------------------------

    def destination(self) -> Path | None:
        """The typed path; a folder stands for the default name in it, a bare name gets .sctg."""
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.is_dir() and path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        return path

    def sign(self) -> bool:
        """Sign and save; a refusal is said in the dialog, which stays open for another try. With cells still
        empty, first asks (confirm_box) and signs only on “Vẫn ký”; False meanwhile."""
        say(self.error_label, "")
        out = self.destination()
        if out is None:
            say(self.error_label, self.tr("Hãy chọn nơi lưu gói."))
            return False
        if self.view.empty_cells:
            self._ask_about_empty_cells()
            return False
        return self._export(out)

    def _ask_about_empty_cells(self) -> None:
        """A window-modal question naming the first empty cells; “Vẫn ký” signs, “Không ký” goes back."""
        count = len(self.view.empty_cells)
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Còn ô chưa nhập"), "", parent=self)
        box.setText(
            self.tr("Báo cáo còn %1 ô chưa nhập. Vẫn ký và gửi báo cáo thiếu số liệu?").replace(
                "%1", vnformat.number(count)
            )
        )
        box.setInformativeText("\n".join(empty_cell_lines(self.view)) + carried_words(self.view))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Vẫn ký"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Không ký, nhập tiếp"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda _result: self._answered(box))
        self.confirm_box = box
        box.open()

    def _answered(self, box: QMessageBox) -> None:
        self.confirm_box = None
        box.deleteLater()
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Yes):
            out = self.destination()
            if out is not None:
                self._export(out)
        else:
            say(self.error_label, self.tr("Chưa ký: còn ô chưa nhập."))
            self.passphrase_edit.clear()
            self.passphrase_edit.setFocus()

    def _export(self, out: Path) -> bool:
        try:
            with wait_cursor():
                packet = export_packet(self.gw, self.view, self.passphrase_edit.text(), out)
        except UserError as exc:
            say(self.error_label, str(exc))
            return False
        finally:
            self.passphrase_edit.clear()
            self.passphrase_edit.setFocus()
        self.packet = packet
        remember_folder(self.gw, packet.path.parent)
        self.done_label.setText(
            self.tr("Đã lưu gói: %1 (lần gửi %2)").replace("%1", str(packet.path)).replace("%2", str(packet.sequence))
        )
        self.refresh()
        self.close_button.setFocus()
        self.exported.emit(packet)
        return True

    def create_key(self) -> CreateKeyDialog:
        """The key-making dialog, shown without waiting; signing follows once the key exists."""
        dialog = CreateKeyDialog(self.gw, self.view.unit.code, parent=self)
        dialog.key_created.connect(self._key_created)
        dialog.open()
        return dialog

    def _key_created(self, key: KeyInfo) -> None:
        self.key = key
        self.refresh()

    def open_folder(self) -> bool:
        """The packet's folder in the file manager; where none opens it, its path in the dialog."""
        if self.packet is None:
            return False
        folder = str(self.packet.path.parent)
        if QDesktopServices.openUrl(QUrl.fromLocalFile(folder)):
            return True
        self.folder_label.setText(self.tr("Không mở được trình quản lý tệp. Gói đã lưu tại: %1").replace("%1", folder))
        self.folder_label.show()
        self.copy_path_button.show()
        fit_height(self)  # taller by the lines just shown, not cut off at the bottom
        return False

    def copy_folder_path(self) -> None:
        if self.packet is not None:
            QGuiApplication.clipboard().setText(str(self.packet.path.parent))

    def _ask_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Lưu gói"),
            self.path_edit.text(),
            self.tr("Gói Sổ Chỉ Tiêu (*%1)").replace("%1", SUFFIX),
            options=dialog_options(),
        )
        if path:
            self.path_edit.setText(path)
