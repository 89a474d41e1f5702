"""Kill a writer with SIGKILL many times and count what survived, as figures.

    .venv/bin/python benchmarks/bench_kill.py [--kills 200] [--workers 8] [--seed 224] [--quick]

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES kills=… committed_edits=…
cut_short=… cut_short_landed=… lost_edits=… integrity_failures=… problems=… time_s=…

The issue's bar: 200 kills, zero lost edits, PRAGMA integrity_check ok after
every one. The rounds are those of tests/test_crash_safety.py (tests/crash_child.py);
the demo database comes from ``main.py init --demo``, as a user makes it.
Exit status 1 if an edit was lost or the file was damaged.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from crash_child import run_kill_rounds  # noqa: E402
from figures import print_figures  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--workers", type=int, default=8, help="database copies killed in parallel")
    parser.add_argument("--seed", type=int, default=224)
    parser.add_argument("--quick", action="store_true", help="16 kills over 4 copies, to see that it still works")
    args = parser.parse_args()
    if args.quick:
        args.kills, args.workers = 16, 4
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "demo.db"
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "init", "--db", str(template), "--demo"],
            check=True,
            capture_output=True,
        )
        summary = run_kill_rounds(template, Path(folder), args.kills, args.workers, args.seed)
    print(summary.figures())
    for problem in summary.problems()[:20]:
        print("  ", problem)
    cut_short, landed = summary.in_flight
    print_figures(
        kills=summary.kills,
        committed_edits=summary.reported_edits,
        cut_short=cut_short,
        cut_short_landed=landed,
        lost_edits=summary.lost_edits,
        integrity_failures=summary.integrity_failures,
        problems=len(summary.problems()),
        time_s=summary.seconds,
    )
    return 1 if summary.problems() else 0


if __name__ == "__main__":
    sys.exit(main())
