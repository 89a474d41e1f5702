"""The one line every benchmark ends with, for scripts and for the record (and the timing of a round):

    FIGURES export_ms=212.4 openpyxl_same_ms=98.1 ratio=2.17

Names are snake_case with their unit at the end (``_s``, ``_ms``, ``_mb``,
``_x`` for a ratio); values are plain numbers, no thousands separators.
A figure this run could not measure (a peer whose environment a quick run
does not make) is given as None and printed ``name=skipped``: the name stays
on the line, so the line says what it left out.
tests/test_benchmarks.py runs each benchmark's quick mode and reads it back.
"""

from __future__ import annotations

import time


def figures_line(**values: float | int | None) -> str:
    parts = []
    for name, value in values.items():
        if value is None:
            parts.append(f"{name}=skipped")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{name}: a figure is a number, not {value!r}")
        parts.append(f"{name}={value}" if isinstance(value, int) else f"{name}={value:.4g}")
    return "FIGURES " + " ".join(parts)


def print_figures(**values: float | int | None) -> None:
    print(figures_line(**values), flush=True)


def per_call_ms(work, calls: int) -> float:
    """Milliseconds per call of ``work``, over ``calls`` calls in a row: one round of a benchmark."""
    start = time.perf_counter()
    for _ in range(calls):
        work()
    return (time.perf_counter() - start) * 1000 / calls
