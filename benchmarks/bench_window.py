"""Speed of the window, printed as figures (never asserted in tests).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_window.py [--quick]

- cold start of ``python main.py --db demo.db`` until the main window is
  shown, against a bare QApplication + QMainWindow started the same way in
  the same run (goal: ≤ 1.3x);
- a keystroke to the recoloured grid for the 60-village demo commune (Xã Sìn
  Hồ): the edit saved to SQLite (committed, fsync), re-evaluated, the grid,
  its computed rows, the findings and the chart repainted (goal ≤ 16 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from figures import print_figures  # noqa: E402

BARE = (
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([]); w = QMainWindow(); w.show(); QTimer.singleShot(0, app.quit); app.exec()\n"
)
STARTS = 7
EDITS = 200


def timed_run(args: list[str]) -> float:
    env = {**os.environ, "SCT_QUIT_WHEN_SHOWN": "1"}
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - start


def start_times(db: Path, starts: int) -> tuple[float, float]:
    app = [sys.executable, str(ROOT / "main.py"), "--db", str(db)]
    bare = [sys.executable, "-c", BARE]
    timed_run(app), timed_run(bare)  # warm the disk cache for both alike
    # Interleaved, so a busy moment of the machine falls on both alike.
    pairs = [(timed_run(app), timed_run(bare)) for _ in range(starts)]
    ours, theirs = statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)
    return ours, theirs


def keystroke_ms(db: Path, edits: int) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    from ui.app import open_window

    app = QApplication.instance() or QApplication([])
    window = open_window(db)
    window.show()
    window.select_unit("03478")
    app.processEvents()
    grid = window.grid
    model = grid.model()
    column = [i.id for i in model.indicators].index("ho_van_hoa") + 1
    index = model.index(3, column)
    households = window.controller.session.value("so_ho", model.cell(index)[1])
    times = []
    for n in range(edits):
        # Alternate a slip and its correction, so the colours really change.
        value = str(households + 5 if n % 2 == 0 else households - 5)
        start = time.perf_counter()
        model.setData(index, value)
        app.processEvents()
        grid.viewport().repaint()
        window.summary.viewport().repaint()
        window.chart.repaint()
        times.append((time.perf_counter() - start) * 1000)
    window.close()
    return statistics.median(times), statistics.quantiles(times, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 starts and 20 edits, to see that it still works")
    quick = parser.parse_args().quick
    starts, edits = (2, 20) if quick else (STARTS, EDITS)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        subprocess.run([sys.executable, str(ROOT / "main.py"), "init", "--db", str(db), "--demo"], check=True,
                       capture_output=True)  # fmt: skip
        ours, bare = start_times(db, starts)
        median, p95 = keystroke_ms(db, edits)
    print(f"cold start to the main window (demo database): {ours:.2f} s; bare QApplication + QMainWindow: "
          f"{bare:.2f} s; ratio {ours / bare:.2f}x (goal ≤ 1.3x), median of {starts}")  # fmt: skip
    print(f"keystroke to recoloured grid, 60 villages (save + evaluate + repaint): median {median:.1f} ms, "
          f"p95 {p95:.1f} ms over {edits} edits (goal ≤ 16 ms)")  # fmt: skip
    print_figures(
        start_s=ours, bare_start_s=bare, start_vs_bare_x=ours / bare, keystroke_ms=median, keystroke_p95_ms=p95
    )


if __name__ == "__main__":
    main()
