"""How a cell looks: shared by the village grid and the commune fields, so a
value, a missing cell or a finding looks the same wherever it stands."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from forms import vnformat
from forms.messages import finding_text
from forms.schema import Indicator
from ui.carried_look import carried_data

ERROR_BRUSH = QBrush(QColor("#f4c7c3"))
WARNING_BRUSH = QBrush(QColor("#fce8b2"))
ANSWERED_BRUSH = QBrush(QColor("#e6f4ea"))  # a warning with its written reason
MISSING_BRUSH = QBrush(QColor("#eef2f8"))
COMPUTED_BRUSH = QBrush(QColor("#f1f3f4"))
# An unanswered yes/no cell is hatched and has no check box: an empty box would read as “Không”.
UNANSWERED_BRUSH = QBrush(QColor("#9aabc4"), Qt.BrushStyle.BDiagPattern)
MET_BRUSH = QBrush(QColor("#d9f0dd"))
UNMET_BRUSH = QBrush(QColor("#f8d7d3"))
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)
UNANSWERED_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # True on a yes/no cell nobody has answered yet
UNANSWERED_TIP = "Chưa nhập: bấm để chọn Có / Không"


def shown(indicator: Indicator, value) -> str:
    """The value as the officer reads it: 1.234, Có, 18/12/2023."""
    if value is None:
        return ""
    if indicator.kind == "yesno":
        return vnformat.yes_no(value)
    if indicator.kind == "date":
        return vnformat.date(value)
    if indicator.kind == "text":
        return str(value)
    return vnformat.number(value)


def check_state(value):
    """Yes/no cells as check boxes, ticked for “Có”; an unanswered one has no box at all."""
    if value is None:
        return None
    return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked


def finding_brush(findings, answered: bool, missing: bool, unanswered: bool = False):
    severities = {f.severity for f in findings}
    if "error" in severities:
        return ERROR_BRUSH
    if "warning" in severities:
        return ANSWERED_BRUSH if answered else WARNING_BRUSH
    if unanswered:
        return UNANSWERED_BRUSH
    return MISSING_BRUSH if missing else None


def value_cell_data(view, ind: Indicator, value, findings: list, missing: bool, role, carried=None):
    """Any role of a cell holding a typed value, in the grid or the commune fields; ``carried`` the
    models.carry_forward.CarriedCell of a value taken from the last period and not confirmed yet."""
    if carried is not None and (looked := carried_data(view, carried, findings, role)) is not None:
        return looked
    unanswered = ind.kind == "yesno" and value is None
    if role == Qt.ItemDataRole.DisplayRole:
        return "" if ind.kind == "yesno" else shown(ind, value)
    if role == Qt.ItemDataRole.EditRole:
        return shown(ind, value)
    if role == Qt.ItemDataRole.CheckStateRole and ind.kind == "yesno":
        return check_state(value)
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return CENTER if ind.kind == "yesno" else RIGHT
    if role == Qt.ItemDataRole.BackgroundRole:
        return finding_brush(findings, all(view.reason_for(f) for f in findings), missing, unanswered)
    if role == Qt.ItemDataRole.ToolTipRole and (findings or unanswered):
        return "\n".join([UNANSWERED_TIP] * unanswered + [finding_text(view.form, f) for f in findings])
    if role == UNANSWERED_ROLE:
        return unanswered
    return None


def submit(model, cell: tuple[str, str] | None, value, role) -> bool:
    """setData for a value cell: a tick or typed text, saved through the controller."""
    if cell is None:
        return False
    if role == Qt.ItemDataRole.CheckStateRole:
        value = 1 if Qt.CheckState(value) == Qt.CheckState.Checked else 0
    elif role != Qt.ItemDataRole.EditRole:
        return False
    return model.controller.edit([(*cell, value)], model.tr("Nhập ô"))
