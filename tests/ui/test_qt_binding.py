"""The Qt binding itself: a release that leaks references to True on every
emit() (PySide6 6.12.0) aborts the program after a few hundred edits."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)


def test_emitting_signals_keeps_true_alive():
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.plain.emit()
        emitter.carrying.emit([1, 2])
    # The broken release loses 1,000 here; other code may take a reference or two meanwhile.
    assert sys.getrefcount(True) >= before - 10
