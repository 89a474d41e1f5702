"""Values carried from the last period (models/carry_forward.py) in the commune's window:
how such a cell looks (italic, tinted, a tooltip saying where it came from),
the Kỳ mới dialog's box that asks for them, the signing dialog's words, and
the actions that confirm them (Sửa › Xác nhận số chuyển từ kỳ trước)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QBrush, QColor, QFont
from PySide6.QtWidgets import QCheckBox

from forms import vnformat
from models.errors import BadInput
from models.periods import Period, parse_period

CARRIED_BRUSH = QBrush(QColor("#ebe2f6"))  # lavender: there, but not typed for this period
CARRIED_TIP = "Chuyển từ %1, chưa xác nhận: gõ lại hoặc bấm Xác nhận số chuyển từ kỳ trước"
_ITALIC = QFont()
_ITALIC.setItalic(True)


def _tr(text: str) -> str:
    return QCoreApplication.translate("carried", text)


def carried_data(view, carried, findings: list, role):
    """The roles a carried, unconfirmed cell shows differently; None for the others (the value's own)."""
    if role == Qt.ItemDataRole.FontRole:
        return _ITALIC
    if role == Qt.ItemDataRole.BackgroundRole and not findings:
        return CARRIED_BRUSH
    if role == Qt.ItemDataRole.ToolTipRole:
        tip = _tr(CARRIED_TIP).replace("%1", parse_period(carried.from_period).label)
        return "\n".join([tip, *(_finding_texts(view, findings))])
    return None


def _finding_texts(view, findings) -> list[str]:
    from forms.messages import finding_text

    return [finding_text(view.form, f) for f in findings]


def carried_words(view) -> str:
    """“, trong đó 12 ô chuyển từ kỳ trước chưa xác nhận” after the count of empty cells; "" with none."""
    count = len(view.carried_empty)
    if not count:
        return ""
    return _tr(", trong đó %1 ô chuyển từ kỳ trước chưa xác nhận").replace("%1", vnformat.number(count))


def carry_box(labels) -> QCheckBox:
    """“Lấy số liệu kỳ trước cho các chỉ tiêu ít thay đổi (số hộ, ...)”, ticked; no text with no such indicator."""
    box = QCheckBox()
    box.setChecked(True)
    names = [label[:1].lower() + label[1:] for label in labels]
    if names:  # the first in the line (the dialog stays narrow), every one in the tooltip
        shown = names[0] + (", ..." if len(names) > 1 else "")
        box.setText(_tr("Lấy số liệu kỳ trước cho các chỉ tiêu ít thay đổi (%1)").replace("%1", shown))
        box.setToolTip(
            "\n".join(
                [
                    _tr("Ô lấy từ kỳ trước hiện chữ nghiêng, tính là chưa nhập đến khi được xác nhận hoặc gõ lại:"),
                    *(f"- {name}" for name in names),
                ]
            )
        )
    box.hide()
    return box


def has_earlier(existing, period: Period) -> bool:
    """Whether one of the ``existing`` period codes is of the same kind and ended before ``period`` starts."""
    for code in existing:
        try:
            other = parse_period(code)
        except BadInput:
            continue
        if other.kind == period.kind and other.ends < period.starts:
            return True
    return False


def carried_actions(window) -> list[QAction]:
    """Sửa › Xác nhận số chuyển từ kỳ trước: the chosen cells, and every one."""
    chosen = QAction(_tr("Xác nhận số chuyển từ kỳ trước (ô đang chọn)"), window)
    chosen.triggered.connect(lambda: confirm_chosen(window))
    every = QAction(_tr("Xác nhận tất cả số chuyển từ kỳ trước"), window)
    every.triggered.connect(lambda: confirm_all(window))
    return [chosen, every]


def chosen_carried_cells(window) -> list[tuple[str, str]]:
    """The carried, unconfirmed cells among those selected in the grid and the commune fields."""
    if window.controller is None:
        return []
    carried = window.controller.session.view.carried
    cells = []
    for view in (window.grid, window.fields):
        model = view.model()
        for index in view.selectionModel().selectedIndexes() if view.selectionModel() else []:
            cell = model.cell(index)
            if cell is not None and tuple(cell) in carried and tuple(cell) not in cells:
                cells.append(tuple(cell))
    return cells


def confirm_chosen(window) -> int:
    cells = chosen_carried_cells(window)
    if not cells:
        window.show_message(_tr("Chưa chọn ô nào lấy từ kỳ trước (chữ nghiêng) để xác nhận."))
        return 0
    return window.controller.confirm_carried(cells)


def confirm_all(window) -> int:
    if window.controller is None:
        return 0
    return window.controller.confirm_carried(None)
