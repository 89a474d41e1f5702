"""Every edit of the open report goes through here: saved by the session,
pushed on the undo stack as one step, announced so the views refresh.

A refused edit is announced as a Vietnamese message and changes nothing;
undo and redo are edits too, so they are saved and audited like typing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models.errors import UserError
from models.report_lock import report_lock
from models.report_records import Change
from models.session import ReportSession


class EntryController(QObject):
    changed = Signal(object)  # the view was re-evaluated: the saved Changes, or None when everything may differ
    refused = Signal(str)  # a Vietnamese message; nothing was saved

    def __init__(self, session: ReportSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.undo_stack = QUndoStack(self)
        # Why the report cannot be edited (the upper level received it), or None: its cells open no editor.
        # Pasting and filling down still reach the library, which refuses them with the same sentence.
        self.locked = report_lock(session.gw, session.report)

    def edit(self, edits: list[tuple[str, str, object]], label: str) -> bool:
        """Apply edits as one undoable step; False (and a message) if refused."""
        changes = self._apply(edits)
        if changes is None:
            return False
        if changes:
            self.undo_stack.push(_EditCommand(self, changes, label))
        return True

    def set_target_set(self, target_set_id: str | None) -> None:
        self.session.set_target_set(target_set_id)
        self.changed.emit(None)

    def set_reason(self, finding, reason: str) -> None:
        try:
            self.session.set_reason(finding, reason)
        except UserError as exc:
            self.refused.emit(str(exc))
            return
        self.changed.emit(None)

    def confirm_carried(self, cells: list[tuple[str, str]] | None) -> int:
        """Confirm values carried from the last period (None: all); how many, 0 (and a message) if refused."""
        try:
            count = self.session.confirm_carried(cells)
        except UserError as exc:
            self.refused.emit(str(exc))
            return 0
        self.changed.emit(None)
        return count

    def _apply(self, edits) -> list[Change] | None:
        try:
            changes = self.session.apply(edits)
        except UserError as exc:
            self.refused.emit(str(exc))
            return None
        self.changed.emit(changes)
        return changes


class _EditCommand(QUndoCommand):
    def __init__(self, controller: EntryController, changes: list[Change], label: str):
        super().__init__(label)
        self.controller, self.changes = controller, changes
        self._first = True  # the edit is already saved when pushed

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._put([(c.indicator, c.unit_code, c.new) for c in self.changes])

    def undo(self) -> None:
        self._put([(c.indicator, c.unit_code, c.old) for c in self.changes])

    def _put(self, edits) -> None:
        if self.controller._apply(edits) is None:
            self.setObsolete(True)  # could not be saved: the message says why
