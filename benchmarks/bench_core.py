"""Speed of the core, printed as figures (never asserted in tests).

    .venv/bin/python benchmarks/bench_core.py [--quick]

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES revalidation_ms=…
revalidation_p95_ms=… villages=… history_revalidation_ms=… history_over_plain=… init_demo_s=…
help_ms=… python_ms=… help_over_python=… command_help_over_python=…

- full re-validation of a 60-village commune for the Kết luận 224 form
  (goal ≤ 2 ms, median of many runs), from the demo's Xã Sìn Hồ;
- the same with the plausibility warnings against 5 years of history (issue 20; goal ≤ 2 ms): the
  history built in memory, once, from plausible_figures drifting year by year, as a report that
  opens reads it once; rounds interleaved with the plain re-validation, medians of each;
- ``main.py init --demo`` wall time, as a user runs it (a fresh process);
- ``main.py --help`` and ``main.py packet export --help`` over ``python -c pass``, the same Python,
  in interleaved rounds (medians), with bytecode cached as a user's Python caches it (in a
  temporary PYTHONPYCACHEPREFIX, so the tree stays clean). Goal (issue 16): ≤ 4×.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import print_figures  # noqa: E402

from forms.engine import evaluate  # noqa: E402
from forms.library import default_library  # noqa: E402
from forms.plausibility import WHY_HISTORY, WHY_LAST, EarlierPeriod, History  # noqa: E402
from models.demo import plausible_figures  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.reporting import report_data  # noqa: E402

RUNS = 2000


def revalidation_ms(db_path: Path, runs: int) -> tuple[float, float, int]:
    gw = Gateway.open(db_path)
    form = default_library().get("kl224")
    target_set = form.target_set("muong-te-2025")
    report = gw.find_report("03478", "kl224", "2025")
    _, villages, data = report_data(gw, report, form)
    evaluate(form, data, target_set)  # warm the per-form plan
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        evaluate(form, data, target_set)
        times.append((time.perf_counter() - start) * 1000)
    gw.close()
    return statistics.median(times), statistics.quantiles(times, n=20)[18], len(villages)


def five_years(form, unit: str, kind: str, data) -> History:
    """Five earlier years of one commune, in memory: the demo's draws again (its seed), each year's
    households a few fewer than the next, as a commune's own history runs."""
    periods = []
    drift = random.Random(f"{unit}-history")
    households = {v: data.village_values[v]["so_ho"] for v in data.villages}
    for back in range(1, 6):
        households = {v: n - drift.randint(0, 2) for v, n in households.items()}
        rng = random.Random(f"{unit}-2025")
        by_village, commune = plausible_figures(form, kind, list(data.villages), rng, 0.04, households)
        values = {(i, v): x for v, row in by_village.items() for i, x in row.items()}
        values |= {(i, unit): x for i, x in commune.items()}
        year = str(2025 - back)
        periods.append(EarlierPeriod(year, f"Năm {year}", WHY_LAST if back == 1 else WHY_HISTORY, values))
    return History(unit, periods)


def history_revalidation_ms(db_path: Path, runs: int) -> tuple[float, float, int]:
    """(median with the history, median without, plausibility findings): rounds interleaved."""
    gw = Gateway.open(db_path)
    form = default_library().get("kl224")
    target_set = form.target_set("muong-te-2025")
    report = gw.find_report("03478", "kl224", "2025")
    unit, _, data = report_data(gw, report, form)
    gw.close()
    history = five_years(form, unit.code, unit.kind, data)
    found = len(evaluate(form, data, target_set, history).findings) - len(evaluate(form, data, target_set).findings)
    with_history, plain = [], []
    for _ in range(runs):
        start = time.perf_counter()
        evaluate(form, data, target_set, history)
        middle = time.perf_counter()
        evaluate(form, data, target_set)
        with_history.append((middle - start) * 1000)
        plain.append((time.perf_counter() - middle) * 1000)
    return statistics.median(with_history), statistics.median(plain), found


def init_demo_seconds(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "init", "--db", str(folder / "bench.db"), "--demo"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def help_seconds(rounds: int) -> dict[str, float]:
    """Median wall time of each start, in interleaved rounds: a bare Python, ``--help``, a command's."""
    starts = {
        "python": [sys.executable, "-c", "pass"],
        "help": [sys.executable, str(ROOT / "main.py"), "--help"],
        "command_help": [sys.executable, str(ROOT / "main.py"), "packet", "export", "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in starts}
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for warm in range(rounds + 1):
            for name, argv in starts.items():
                start = time.perf_counter()
                subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
                if warm:  # the first round writes the bytecode
                    times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the runs, to see that it still works")
    runs = RUNS // 10 if parser.parse_args().quick else RUNS
    with tempfile.TemporaryDirectory() as folder:
        seconds = init_demo_seconds(Path(folder))
        median, p95, villages = revalidation_ms(Path(folder) / "bench.db", runs)
        history_median, plain_median, found = history_revalidation_ms(Path(folder) / "bench.db", runs)
    helps = help_seconds(5 if runs < RUNS else 21)
    print(
        f"re-validation, kl224, {villages} villages, with targets: median {median:.3f} ms, "
        f"p95 {p95:.3f} ms over {runs} runs (goal ≤ 2 ms)"
    )
    print(
        f"re-validation with 5 years of history (plausibility warnings, {found} found): median "
        f"{history_median:.3f} ms against {plain_median:.3f} ms without, interleaved (goal ≤ 2 ms)"
    )
    print(f"init --demo (fresh process, 4 communes, 114 villages, 9 reports): {seconds:.2f} s")
    print(
        f"--help {helps['help'] * 1000:.1f} ms, packet export --help {helps['command_help'] * 1000:.1f} ms, "
        f"python -c pass {helps['python'] * 1000:.1f} ms: {helps['help'] / helps['python']:.1f}× and "
        f"{helps['command_help'] / helps['python']:.1f}× (goal ≤ 4×)"
    )
    print_figures(
        revalidation_ms=median,
        revalidation_p95_ms=p95,
        villages=villages,
        history_revalidation_ms=history_median,
        history_over_plain=history_median / plain_median,
        init_demo_s=seconds,
        help_ms=helps["help"] * 1000,
        python_ms=helps["python"] * 1000,
        help_over_python=helps["help"] / helps["python"],
        command_help_over_python=helps["command_help"] / helps["python"],
    )


if __name__ == "__main__":
    main()
