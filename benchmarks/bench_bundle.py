"""The bundle's size and start time, printed as figures (never asserted in tests).

    .venv/bin/python benchmarks/bench_bundle.py [--dist dist/SoChiTieu] [--runs 10] [--quick]

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES size_mib=… files=…
help_s=… selftest_first_line_s=… selftest_s=…

Builds the one-folder bundle from build.spec in a temporary folder (or
measures one already built with --dist), then runs the frozen program as a
user does, headless:
- size: bytes of every file in the folder (MiB, as `du -sh` prints, and MB);
- start: ``--help``, the time for the frozen program to start and exit;
- selftest: ``--selftest`` wall time, and the time to its first line (the
  program started and the database opened).
Goals (issue 7): ≤ 130 MB, frozen start ≤ 1 s.
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

from figures import print_figures  # noqa: E402


def build(out: Path) -> tuple[Path, float]:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR"]
        + ["--workpath", str(out / "work"), "--distpath", str(out / "dist"), str(ROOT / "build.spec")],
        check=True,
        cwd=out,
    )
    return out / "dist" / "SoChiTieu", time.perf_counter() - start


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def timed_run(program: Path, *args: str) -> tuple[float, float]:
    """Wall time of one run, and the time to its first line of output."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    with tempfile.TemporaryDirectory() as cwd:
        start = time.perf_counter()
        child = subprocess.Popen([str(program), *args], cwd=cwd, env=env, stdout=subprocess.PIPE, text=True)
        child.stdout.readline()
        first = time.perf_counter() - start
        child.stdout.read()
        if child.wait() != 0:
            raise SystemExit(f"{program.name} {' '.join(args)} không đạt (mã thoát {child.returncode})")
        return time.perf_counter() - start, first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, help="a bundle folder already built")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="one run of each, to see that it still works")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    with tempfile.TemporaryDirectory() as out:
        folder, build_s = (args.dist, None) if args.dist else build(Path(out))
        size, files = folder_size(folder)
        program = folder / ("SoChiTieu.exe" if sys.platform == "win32" else "SoChiTieu")
        timed_run(program, "--help")  # a first run reads the folder from disk; the figures are the warm ones
        helps = [timed_run(program, "--help")[0] for _ in range(args.runs)]
        selftests = [timed_run(program, "--selftest") for _ in range(args.runs)]
    if build_s is not None:
        print(f"build: {build_s:.1f} s")
    print(f"size: {size / 2**20:.1f} MiB ({size / 1e6:.1f} MB), {files} files (goal ≤ 130 MB)")
    print(f"frozen start (--help), median of {args.runs}: {statistics.median(helps):.2f} s (goal ≤ 1 s)")
    print(
        f"frozen --selftest, median of {args.runs}: first line {statistics.median(s[1] for s in selftests):.2f} s, "
        f"whole {statistics.median(s[0] for s in selftests):.2f} s"
    )
    print_figures(
        **({"build_s": build_s} if build_s is not None else {}),
        size_mib=size / 2**20,
        files=files,
        help_s=statistics.median(helps),
        selftest_first_line_s=statistics.median(s[1] for s in selftests),
        selftest_s=statistics.median(s[0] for s in selftests),
    )


if __name__ == "__main__":
    main()
