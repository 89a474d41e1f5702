"""The commune's villages: add, rename, stop following, merge.

Nothing is deleted: a retired or merged village keeps its values in past
reports (the gateway lists it there), it only leaves the lists of new periods.
Each button asks the user, then calls a plain method that does the work, so
tests can drive the work without the questions.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from models.errors import UserError
from models.gateway import Gateway
from models.setup import split_village_list
from models.units import Unit
from ui.widgets import fit_to_screen

CodeRole = Qt.ItemDataRole.UserRole
ERROR_STYLE = "color: #b00020;"


class VillagesDialog(QDialog):
    villages_changed = Signal()  # so an open report can refresh its rows

    def __init__(self, gw: Gateway, commune_code: str, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.who = gw, who
        self.commune = gw.require_unit(commune_code)
        self.setWindowTitle(self.tr("Thôn, bản của %1").replace("%1", self.commune.name))
        self.village_list = QListWidget()
        self.show_retired = QCheckBox(self.tr("Hiện cả bản đã ngừng"))
        self.error_label = QLabel()
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.add_button = QPushButton(self.tr("Thêm..."))
        self.rename_button = QPushButton(self.tr("Đổi tên..."))
        self.retire_button = QPushButton(self.tr("Ngừng theo dõi"))
        self.merge_button = QPushButton(self.tr("Gộp vào..."))
        self.close_button = QPushButton(self.tr("Đóng"))
        self._build_layout()

        self.show_retired.toggled.connect(self.refresh)
        self.village_list.itemSelectionChanged.connect(self._update_buttons)
        self.add_button.clicked.connect(self._ask_add)
        self.rename_button.clicked.connect(self._ask_rename)
        self.retire_button.clicked.connect(self._ask_retire)
        self.merge_button.clicked.connect(self._ask_merge)
        self.close_button.clicked.connect(self.accept)
        self.refresh()

    def _build_layout(self) -> None:
        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.retire_button, self.merge_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        row = QHBoxLayout()
        row.addWidget(self.village_list, 1)
        row.addLayout(buttons)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(self.show_retired)
        column.addWidget(self.error_label)
        fit_to_screen(self, 480, 520)

    # ---- the list ---------------------------------------------------------------------

    def villages(self, active_only: bool = True) -> list[Unit]:
        return self.gw.villages_of(self.commune.code, active_only)

    def refresh(self) -> None:
        chosen = self.current_code()
        every = self.villages(active_only=False)
        names = {v.code: v.name for v in every}
        self.village_list.clear()
        for village in every if self.show_retired.isChecked() else self.villages():
            item = QListWidgetItem(village.name, self.village_list)
            item.setData(CodeRole, village.code)
            if not village.active:
                target = names.get(village.merged_into or "")
                note = self.tr("(đã gộp vào %1)").replace("%1", target) if target else self.tr("(đã ngừng)")
                item.setText(f"{village.name} {note}")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)  # greyed, nothing to do on it
            if village.code == chosen:
                self.village_list.setCurrentItem(item)
        self._update_buttons()

    def current_code(self) -> str | None:
        # Selected, not merely current: focusing the list makes its first row current unasked.
        chosen = [i for i in self.village_list.selectedItems() if i.flags() & Qt.ItemFlag.ItemIsEnabled]
        return chosen[0].data(CodeRole) if chosen else None

    def _update_buttons(self) -> None:
        chosen = self.current_code() is not None
        self.rename_button.setEnabled(chosen)
        self.retire_button.setEnabled(chosen)
        self.merge_button.setEnabled(chosen and len(self.villages()) > 1)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _run(self, work) -> bool:
        """Do one change; a refusal is shown in the dialog and nothing is written."""
        self.show_error("")
        try:
            work()
        except UserError as exc:
            self.show_error(str(exc))
            return False
        self.refresh()
        self.villages_changed.emit()
        return True

    # ---- the work, one method per button --------------------------------------------------

    def add_villages(self, names: list[str]) -> bool:
        existing = self.villages(active_only=False)
        kind = existing[-1].kind if existing else "bản"  # new ones are called like the others
        return self._run(lambda: self.gw.add_villages(self.commune.code, names, kind, self.who))

    def rename(self, code: str, new_name: str) -> bool:
        return self._run(lambda: self.gw.rename_unit(code, new_name, self.who))

    def retire(self, code: str) -> bool:
        return self._run(lambda: self.gw.retire_unit(code, self.who))

    def merge(self, code: str, into_code: str) -> bool:
        return self._run(lambda: self.gw.retire_unit(code, self.who, merged_into=into_code))

    # ---- the questions ------------------------------------------------------------------------

    def _ask_add(self) -> None:
        text, ok = QInputDialog.getMultiLineText(
            self, self.tr("Thêm thôn, bản"), self.tr("Tên các bản mới, mỗi dòng một tên:")
        )
        if ok:
            self.add_villages(split_village_list(text))

    def _ask_rename(self) -> None:
        code = self.current_code()
        if code is None:
            return
        old = self.gw.require_unit(code).name
        text, ok = QInputDialog.getText(
            self, self.tr("Đổi tên"), self.tr("Tên mới của %1:").replace("%1", old), QLineEdit.EchoMode.Normal, old
        )
        if ok:
            self.rename(code, text)

    def _ask_retire(self) -> None:
        code = self.current_code()
        if code is None:
            return
        name = self.gw.require_unit(code).name
        question = self.tr("Ngừng theo dõi %1 từ kỳ sau? Số liệu các kỳ trước vẫn được giữ.").replace("%1", name)
        if QMessageBox.question(self, self.tr("Ngừng theo dõi"), question) == QMessageBox.StandardButton.Yes:
            self.retire(code)

    def _ask_merge(self) -> None:
        code = self.current_code()
        if code is None:
            return
        targets = [v for v in self.villages() if v.code != code]
        name = self.gw.require_unit(code).name
        label = self.tr("Gộp %1 vào bản:").replace("%1", name)
        chosen, ok = QInputDialog.getItem(self, self.tr("Gộp bản"), label, [v.name for v in targets], 0, False)
        if ok and chosen:
            self.merge(code, next(v.code for v in targets if v.name == chosen))
