"""A form to Excel and back, in the window: “Xuất biểu ra Excel...” writes the
chosen form as a workbook (docs/form-workbook.md) to change into a new
version; “Nhập biểu từ Excel...” keeps the workbook as this unit's version of
the form. A workbook with mistakes opens a list of every one, each with its
sheet, row and column, and nothing is kept; a refusal of the version itself
(a change of an indicator's meaning, a number already used) is said in one
sentence. The command line's twins are ``forms export`` and ``forms import``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from exports.formbook.errors import FormBookErrors
from forms.schema import FormDef
from models.errors import UserError
from models.gateway import Gateway
from ui.export_folder import ask_file, ask_xlsx_path, remember_folder, with_suffix
from ui.widgets import ERROR_STYLE, button_row, compact_rows, fit_to_screen, open_modeless, wait_cursor

PROBLEM_COLUMNS = ("Trang", "Dòng", "Cột", "Lỗi")


def export_form_book(parent: QWidget, gw: Gateway, form: FormDef, path: str | Path | None = None) -> Path | None:
    """The form written as a workbook where the officer chooses (``path`` skips the dialog); the path, or
    None when cancelled. A folder that cannot be written raises UserError with its sentence."""
    from exports.formbook.write import write_form_workbook

    if path is None:
        title = parent.tr("Xuất biểu %1 ra Excel").replace("%1", form.id)
        path = ask_xlsx_path(parent, gw, title, f"{form.id}-phien-ban-{form.version}.xlsx")
        if not path:
            return None
    with wait_cursor():
        written = write_form_workbook(form, with_suffix(path, ".xlsx"))
    remember_folder(gw, written.parent)
    return written


def import_form_book(parent: QWidget, gw: Gateway, who: str, path: str | Path | None = None):
    """The workbook kept as this unit's version: (the form, whether it is new), or None when cancelled or
    refused; a workbook with mistakes opens FormBookErrorsDialog (``parent.form_book_errors``), any other
    refusal raises UserError with its sentence."""
    from exports.formbook.read import read_form_workbook
    from models.form_store import import_authored_form

    if path is None:
        path = ask_file(parent, gw, parent.tr("Chọn tệp Excel của biểu mẫu"), parent.tr("Bảng tính Excel (*.xlsx)"))
        if not path:
            return None
    remember_folder(gw, Path(path).parent)
    try:
        with wait_cursor():
            return import_authored_form(gw, read_form_workbook(path), who)
    except FormBookErrors as exc:
        if not exc.problems or not any(p.sheet for p in exc.problems):
            raise UserError(str(exc)) from None  # not a workbook at all: one sentence
        dialog = FormBookErrorsDialog(exc, parent)
        parent.form_book_errors = dialog
        open_modeless(dialog)
        return None


class FormBookErrorsDialog(QDialog):
    """Every mistake of a form workbook, a line each: its sheet, row, column, and what is wrong."""

    def __init__(self, errors: FormBookErrors, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Biểu mẫu có lỗi: %1").replace("%1", errors.file_name))
        heading = QLabel(
            self.tr("Chưa lưu biểu: tệp “%1” có %2 lỗi. Sửa hết trong Excel, lưu lại rồi nhập lại.")
            .replace("%1", errors.file_name)
            .replace("%2", str(len(errors.problems)))
        )
        heading.setWordWrap(True)
        heading.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.table = QTableWidget(len(errors.problems), len(PROBLEM_COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in PROBLEM_COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        compact_rows(self.table)
        for row, problem in enumerate(errors.problems):
            column = f"{problem.column} ({problem.header})" if problem.column and problem.header else problem.column
            cells = (problem.sheet, "" if problem.row is None else str(problem.row), column or problem.header or "")
            for n, text in enumerate((*cells, problem.text)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, n, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(self.table, 1)
        column.addLayout(button_row(close))
        fit_to_screen(self, 980, 480)

    def lines(self) -> list[tuple[str, str, str, str]]:
        """(sheet, row, column, text) of each line, as shown."""
        columns = range(len(PROBLEM_COLUMNS))
        return [tuple(self.table.item(r, c).text() for c in columns) for r in range(self.table.rowCount())]
