"""Above the open report: its latest packet and what the upper level said
of it (received, or returned with the cells to correct), in the colour of
that answer; hidden while the report has never been exported. A receipt
filed unchecked is not the answer: the label says it waits for the upper
level's key, and where to enrol it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from exports.packets.answers import ReportAnswer
from models.vocabulary import AnswerState

UPPER_KEY_ACTION = "Đăng ký khóa của cấp trên..."  # the Gói menu's action that enrols the upper level's key
WAITING_FOR_KEY_STYLE = "color: #8a4b00; background: #fff4e0; padding: 4px;"
ANSWER_STYLES = {
    AnswerState.AWAITING: "color: #444;",
    AnswerState.RECEIVED: "color: #1e6b2f; font-weight: bold;",
    AnswerState.RETURNED: "color: #8a4b00; font-weight: bold; background: #fff4e0; padding: 4px;",
}


class AnswerLabel(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.waiting_for_key = False  # a receipt filed unchecked is said here
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_answer(self, answer: ReportAnswer | None, locked: str | None = None) -> None:
        """The answer; for a report the upper level received, why it is locked (which says the receipt)."""
        self.waiting_for_key = answer is not None and not answer.trusted
        if answer is None or answer.state == AnswerState.NOT_SENT:
            self.hide()
            return
        lines = [answer.text, *(f"• {c['label']} ({c['unit_name']}): {c['note']}" for c in answer.cells)]
        style = ANSWER_STYLES[answer.state]
        if not answer.trusted:  # a receipt filed unchecked waits for the upper level's key
            lines.append(self.tr("Vào Gói › %1").replace("%1", UPPER_KEY_ACTION))
            style = WAITING_FOR_KEY_STYLE
        if locked:
            lines = [locked]
        self.setText("\n".join(lines))
        self.setStyleSheet(style)
        self.show()
