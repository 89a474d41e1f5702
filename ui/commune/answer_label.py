"""Above the open report: its latest packet and what the upper level said
of it (received, or returned with the cells to correct), in the colour of
that answer; hidden while the report has never been exported."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from exports.packets.answers import ReportAnswer
from models.vocabulary import AnswerState

ANSWER_STYLES = {
    AnswerState.AWAITING: "color: #444;",
    AnswerState.RECEIVED: "color: #1e6b2f; font-weight: bold;",
    AnswerState.RETURNED: "color: #8a4b00; font-weight: bold; background: #fff4e0; padding: 4px;",
}


class AnswerLabel(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_answer(self, answer: ReportAnswer | None) -> None:
        if answer is None or answer.state == AnswerState.NOT_SENT:
            self.hide()
            return
        lines = [answer.text, *(f"• {c['label']} ({c['unit_name']}): {c['note']}" for c in answer.cells)]
        self.setText("\n".join(lines))
        self.setStyleSheet(ANSWER_STYLES[answer.state])
        self.show()
