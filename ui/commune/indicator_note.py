"""Beside the grid: the words of the indicator under the cursor, for an officer who has not learnt the
plan's codes by heart. Its code and full label, its unit and how it is entered, the row it is a
“trong đó” of, what its percentage is a share of, the rules that check it, and what the cell held in the
period before and the same period a year before."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from forms.messages import label_of
from forms.schema import GRAIN_WORDS, KIND_WORDS, FormDef, Indicator


class IndicatorNote(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet("background: #f6f6f2; padding: 6px;")
        self.show_indicator(None, None)

    def show_indicator(self, form: FormDef | None, ind: Indicator | None, earlier: list[str] = ()) -> None:
        """The indicator's words, and ``earlier``: the cell's values in earlier periods (models/history.py)."""
        if form is None or ind is None:
            self.setText(self.tr("Chọn một ô để xem chỉ tiêu của nó."))
            return
        before = "".join(f"<br/><i>{html.escape(line)}</i>" for line in earlier)
        self.setText(note_html(form, ind) + before)


def note_html(form: FormDef, ind: Indicator) -> str:
    lines = [f"<b>{html.escape(label_of(form, ind.id))}</b>"]
    how = [f"Đơn vị tính: {ind.unit}"] if ind.unit else []
    how += [KIND_WORDS.get(ind.kind, ind.kind), GRAIN_WORDS.get(ind.grain, "")]
    lines.append(html.escape(" · ".join(part for part in how if part)))
    if ind.parent:
        lines.append(html.escape(f"Trong đó của: {label_of(form, ind.parent)}"))
    if ind.denominator and ind.denominator != ind.parent:
        lines.append(html.escape(f"Tỷ lệ tính trên: {label_of(form, ind.denominator)}"))
    rules = [rule.message for rule in form.rules if rule.cell == ind.id]
    if rules:
        lines.append("Kiểm tra: " + "; ".join(html.escape(message) for message in rules))
    return "<br/>".join(lines)
