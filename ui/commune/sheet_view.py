"""A table that types like Excel: arrows, Tab and Enter move; typing replaces;
Delete clears; Ctrl+V pastes a block; Ctrl+C copies; Ctrl+D fills down.
A typed value the cell refuses keeps its editor open with the text as typed,
selected, while the window says why: Enter again to retry, Escape to give up.

The model gives ``cell(index)`` (indicator, unit) for editable cells and an
``controller`` that saves; a paste, a fill or a clear is one undo step.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QPen
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from ui.cell_look import UNANSWERED_ROLE
from ui.commune.paste import block_text, parse_block

FIGURE = re.compile(r"^-?[0-9][0-9.,]*%?$")  # 6.505.490.000, 14,2: never shown cut off
TEXT_MARGIN = 14  # the delegate's padding and the grid line, both sides
HEADER_WIDEST = 170  # px: a header never makes a column wider than this

EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
)


RING = QPen(QColor("#5f6f86"), 1.5)  # where the unanswered yes/no cell's box will be
MOUSE = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseButtonRelease)
ANSWER_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Select)


class _KeepRefused(QStyledItemDelegate):
    """Remembers, on its view, the editor whose text the model refused, so the view keeps it open."""

    def setModelData(self, editor, model, index) -> None:
        if isinstance(editor, QLineEdit):
            accepted = model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
            self.parent().refused = None if accepted else (editor, QPersistentModelIndex(index))
        else:
            super().setModelData(editor, model, index)


class _YesNoCells(_KeepRefused):
    """The columns holding yes/no cells (only those: a paint written in Python costs every cell it draws,
    the largest part of a keystroke when all have one). An unanswered cell shows an empty ring where its
    box will be; a click on the ring, or Space, answers “Có” as a tick on an empty box would."""

    def paint(self, painter, option, index) -> None:
        super().paint(painter, option, index)
        if index.data(UNANSWERED_ROLE):
            ring = self._box(option, index).adjusted(1, 1, -1, -1)
            painter.save()
            painter.setRenderHint(painter.RenderHint.Antialiasing)
            painter.setPen(RING)
            painter.setBrush(QColor("white"))
            painter.drawEllipse(ring)
            painter.restore()

    def editorEvent(self, event, model, option, index) -> bool:
        if not index.data(UNANSWERED_ROLE) or not index.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return super().editorEvent(event, model, option, index)
        kind = event.type()
        if kind == QEvent.Type.KeyPress and event.key() in ANSWER_KEYS:
            return model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        if kind in MOUSE and event.button() == Qt.MouseButton.LeftButton:
            if not self._box(option, index).contains(event.position().toPoint()):
                return False
            if kind == QEvent.Type.MouseButtonRelease:
                model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
            return True  # a press or a double click on the ring opens no editor
        return False

    def _box(self, option, index):
        """Where Qt draws a check box in this cell."""
        view_option = QStyleOptionViewItem(option)
        self.initStyleOption(view_option, index)
        view_option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        style = view_option.widget.style() if view_option.widget else QApplication.style()
        return style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, view_option, view_option.widget)


class SheetView(QTableView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.refused = None  # (editor, cell) of the last refused commit (_KeepRefused)
        self.setItemDelegate(_KeepRefused(self))
        self.yes_no_cells = _YesNoCells(self)
        self.setEditTriggers(EDIT_TRIGGERS)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setTabKeyNavigation(True)

    def setModel(self, model) -> None:
        old = self.model()
        for column in range(old.columnCount() if old is not None else 0):
            self.setItemDelegateForColumn(column, None)
        super().setModel(model)
        if model is not None:
            yes_no = getattr(model, "yes_no_column", lambda _column: False)
            for column in range(model.columnCount()):
                if yes_no(column):
                    self.setItemDelegateForColumn(column, self.yes_no_cells)
            model.dataChanged.connect(self.fit_figures)
            QTimer.singleShot(0, self.fit_headers)  # after the window has set its column widths
            QTimer.singleShot(0, self.fit_figures)

    def fit_headers(self) -> None:
        """Widen (never narrow) the columns so each line of their header shows whole;
        the model wraps a long label in short lines, so a column stays ~110–160 px."""
        header, model = self.horizontalHeader(), self.model()
        if model is None or header.isHidden():
            return
        for column in range(model.columnCount()):
            wanted = min(header.sectionSizeFromContents(column).width(), HEADER_WIDEST)
            if wanted > self.columnWidth(column):
                self.setColumnWidth(column, wanted)

    def fit_figures(self, top_left=None, bottom_right=None, _roles=()) -> None:
        """Widen (never narrow) the columns so every figure shows whole, not “123.45…”;
        the computed rows under the grid follow its columns, and the grid theirs."""
        model = self.model()
        if model is None:
            return
        if top_left is None:
            rows, columns = range(model.rowCount()), range(model.columnCount())
        else:
            rows, columns = (
                range(top_left.row(), bottom_right.row() + 1),
                range(top_left.column(), bottom_right.column() + 1),
            )
        metrics = self.fontMetrics()
        for column in columns:
            texts = (model.data(model.index(row, column)) for row in rows)
            widest = max(
                (metrics.horizontalAdvance(t) for t in texts if isinstance(t, str) and FIGURE.match(t)), default=0
            )
            if widest + TEXT_MARGIN > self.columnWidth(column):
                self.setColumnWidth(column, widest + TEXT_MARGIN)

    # ---- keys -----------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.key() == Qt.Key.Key_D and event.modifiers() == Qt.KeyboardModifier.ControlModifier:
            self.fill_down()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            self.clear_selection()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            self.move_down()
        else:
            super().keyPressEvent(event)

    def closeEditor(self, editor, hint) -> None:
        refused = self.refused
        if refused and refused[0] is editor and hint != QAbstractItemDelegate.EndEditHint.RevertModelCache:
            # Refused: the text stays, selected, in the cell it was typed in; the message says why.
            # A click on another cell brings the cursor back once the click is over.
            if self.currentIndex() != refused[1]:
                QTimer.singleShot(0, lambda: self._back_to(QModelIndex(refused[1]), editor))
            editor.setFocus()
            editor.selectAll()
            return
        self.refused = None
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter while typing
            self.move_down()

    def _back_to(self, index, editor) -> None:
        if index.isValid() and self.indexWidget(index) is editor:
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            editor.setFocus()

    def move_down(self) -> None:
        current = self.currentIndex()
        below = current.siblingAtRow(current.row() + 1)
        if below.isValid():
            self.setCurrentIndex(below)

    def jump_to(self, index) -> None:
        if index.isValid():
            self.setFocus()
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.scrollTo(index)

    # ---- block operations (each one undo step) ----------------------------------------

    def selected_rectangle(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) of the selection, or of the current cell."""
        ranges = self.selectionModel().selection()
        if ranges.count():
            r = ranges.at(0)
            return r.top(), r.left(), r.bottom(), r.right()
        current = self.currentIndex()
        if not current.isValid():
            return None
        return current.row(), current.column(), current.row(), current.column()

    def paste(self) -> None:
        if self._second_pass_refuses(self.tr("dán")):
            return
        model, area = self.model(), self.selected_rectangle()
        block = parse_block(QGuiApplication.clipboard().text())
        if not block or area is None:
            return
        top, left, bottom, right = area
        if len(block) == 1 and len(block[0]) == 1:  # one value into every selected cell
            targets = [(r, c, block[0][0]) for r in range(top, bottom + 1) for c in range(left, right + 1)]
        else:
            rows_left, columns_left = model.rowCount() - top, model.columnCount() - left
            if len(block) > rows_left or len(block[0]) > columns_left:
                model.controller.refused.emit(
                    self.tr("Khối dán có %1 dòng × %2 cột, lớn hơn phần bảng từ ô đang chọn (%3 dòng × %4 cột); "
                            "không dán gì.")
                    .replace("%1", str(len(block))).replace("%2", str(len(block[0])))
                    .replace("%3", str(rows_left)).replace("%4", str(columns_left))
                )  # fmt: skip
                return
            targets = [(top + r, left + c, text) for r, row in enumerate(block) for c, text in enumerate(row)]
        # Empty cells (merged-cell leftovers from Excel) and the name column leave the data as it is.
        edits = []
        for row, column, text in targets:
            cell = model.cell(model.index(row, column))
            if cell is not None and text:
                edits.append((*cell, text))
        if edits:
            model.controller.edit(edits, self.tr("Dán %1 ô").replace("%1", str(len(edits))))

    def copy(self) -> None:
        area = self.selected_rectangle()
        if area is None:
            return
        top, left, bottom, right = area
        model = self.model()
        rows = [[self._copy_text(model.index(r, c)) for c in range(left, right + 1)] for r in range(top, bottom + 1)]
        QGuiApplication.clipboard().setText(block_text(rows))

    def _copy_text(self, index) -> str:
        text = self.model().data(index, Qt.ItemDataRole.EditRole)
        return text if text is not None else (self.model().data(index) or "")

    def clear_selection(self) -> None:
        area = self.selected_rectangle()
        if area is None:
            return
        top, left, bottom, right = area
        model = self.model()
        cells = [model.cell(model.index(r, c)) for r in range(top, bottom + 1) for c in range(left, right + 1)]
        edits = [(*cell, None) for cell in cells if cell is not None]
        if edits:
            model.controller.edit(edits, self.tr("Xóa %1 ô").replace("%1", str(len(edits))))

    def _second_pass_refuses(self, what: str) -> bool:
        """The second pass of a double entry is typed cell by cell from the paper (models/second_pass_session.py)."""
        if not getattr(self.model().controller.session, "second_pass", False):
            return False
        self.model().controller.refused.emit(
            self.tr("Lần nhập thứ hai không cho %1: gõ từng ô theo giấy.").replace("%1", what)
        )
        return True

    def fill_down(self) -> None:
        if self._second_pass_refuses(self.tr("điền xuống")):
            return
        area = self.selected_rectangle()
        if area is None or area[0] == area[2]:
            return
        top, left, bottom, right = area
        model, session = self.model(), self.model().controller.session
        edits = []
        for column in range(left, right + 1):
            source = model.cell(model.index(top, column))
            if source is None:
                continue
            value = session.value(*source)
            for row in range(top + 1, bottom + 1):
                cell = model.cell(model.index(row, column))
                if cell is not None:
                    edits.append((*cell, value))
        if edits:
            model.controller.edit(edits, self.tr("Điền xuống %1 ô").replace("%1", str(len(edits))))
