"""No benchmark rots: each runs in its quick mode and ends with one
``FIGURES name=value ...`` line whose values are numbers (or ``skipped``,
where a quick run has no environment for a peer: bench_inbox's pandas and
calamine scripts on CI). The figures
themselves are never asserted (speed is measured, not tested); that the
benchmark still runs to the end and says them is.

The bundle's benchmark needs a built bundle: tests/test_bundle.py runs it.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from testkit import ROOT, as_documented, documented_figures, read_figures

BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from figures import figures_line  # noqa: E402

pytestmark = pytest.mark.slow


def run_quick(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.mark.parametrize(
    ("script", "names"),
    [
        (
            "bench_core.py",
            {
                "revalidation_ms",
                "history_revalidation_ms",
                "init_demo_s",
                "help_over_python",
                "command_help_over_python",
            },
        ),
        ("bench_packet.py", {"export_ms", "openpyxl_same_ms", "export_over_openpyxl", "verify_ms"}),
        ("bench_window.py", {"start_s", "window_over_bare_demo", "window_over_bare_big", "keystroke_ms"}),
        ("bench_kill.py", {"kills", "lost_edits", "integrity_failures"}),
        (
            "bench_inbox.py",
            {"packets", "cpus", "limit_s", "import_merge_over_limit", "openpyxl_over_ours", "calamine_over_ours"},
        ),
        ("bench_recheck.py", {"villages", "recheck_ms", "import_before_ms", "recheck_share_x"}),
        ("bench_backup.py", {"open_s", "quick_check_s", "full_check_s", "backup_list_s", "list_full_check_s"}),
        (
            "bench_print.py",
            {"print_merged_300_s", "print_completeness_300_s", "merged_peak_mb", "completeness_rows_per_page"},
        ),
        ("bench_sheet_check.py", {"check_ms", "read_ms", "openpyxl_ro_ms", "etree_ms", "openpyxl_vs_check_x"}),
        ("bench_upper.py", {"db_kb_per_packet", "open_s", "inbox_list_s", "merge_s", "completeness_s", "help_s"}),
        ("bench_examine.py", {"examine_ms", "examine_cpu_ms", "limit_ms", "examine_over_limit_x"}),
        ("bench_formbook.py", {"read_ms", "openpyxl_ro_ms", "read_over_openpyxl_x", "indicators"}),
    ],
)
def test_the_quick_mode_ends_with_its_figures(script, names):
    run = run_quick(script)
    assert run.returncode == 0, run.stderr[-3000:]
    figures = read_figures(run.stdout)
    assert names <= set(figures), figures
    assert documented_figures(script) <= as_documented(figures), "its docstring names a figure it no longer prints"


def test_the_figures_line_is_read_back_and_refuses_what_is_not_a_number():
    line = figures_line(export_ms=212.44, kills=16, ratio_x=2.0, peer_over_ours=None)
    assert line == "FIGURES export_ms=212.4 kills=16 ratio_x=2 peer_over_ours=skipped"
    figures = read_figures(f"some text\n{line}\n")
    assert math.isnan(figures.pop("peer_over_ours"))
    assert figures == {"export_ms": 212.4, "kills": 16, "ratio_x": 2.0}
    with pytest.raises(TypeError):
        figures_line(goal_met=True)
    with pytest.raises(AssertionError):
        read_figures("FIGURES\n")
    with pytest.raises(AssertionError):
        read_figures("export took 212 ms\n")
