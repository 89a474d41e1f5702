"""The one-folder bundle, built with PyInstaller from build.spec as for
Windows, then run as a user runs it: no Python, no source tree, no screen.

Skipped unless ``--bundle`` (tools/test.sh and CI pass it): the build takes
about 20 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from every_command import command_words, every_command
from testkit import as_documented, documented_figures, read_figures

pytestmark = pytest.mark.bundle

ROOT = Path(__file__).resolve().parent.parent
MAX_MIB = 130  # the goal, in the units `du -sh` prints


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundle")
    built = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR"]
        + ["--workpath", str(out / "work"), "--distpath", str(out / "dist"), str(ROOT / "build.spec")],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    return out / "dist" / "SoChiTieu"


def run_frozen(bundle: Path, *args, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The frozen program, far from the source tree and without the test's Python; ``env`` adds to
    what it inherits (SCT_PASSPHRASE)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SCT_", "VIRTUAL_ENV"))} | (env or {})
    env.pop("QT_QPA_PLATFORM", None)  # the program finds out for itself that there is no screen
    env.pop("DISPLAY", None)
    return subprocess.run(
        [str(bundle / "SoChiTieu"), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_the_bundle_is_one_folder_within_the_size_goal(bundle):
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    assert size <= MAX_MIB * 2**20, f"{size / 2**20:.1f} MiB"
    assert (bundle / "SoChiTieu").is_file()


def test_the_bundle_carries_its_data_and_leaves_out_what_it_does_not_use(bundle):
    inside = bundle / "_internal"
    for data in ("forms/definitions/kl224.toml", "models/data", "ui/fonts/LiberationSerif-Regular.ttf"):
        assert (inside / data).exists(), data
    assert (inside / "ui/icons/so-chi-tieu.png").is_file()
    names = {p.name for p in inside.rglob("*")}
    assert "libqoffscreen.so" in names and "libqxcb.so" in names and "libcupsprintersupport.so" in names
    for unused in ("libQt6Network.so.6", "libQt6Qml.so.6", "libqwayland.so", "libqgtk3.so", "libcairo.so.2"):
        assert unused not in names, unused
    # Qt's own catalogues stay out (none is Vietnamese); ours, Qt's words in Vietnamese, is in
    assert [path.relative_to(inside).as_posix() for path in inside.rglob("translations/*.qm")] == [
        "ui/translations/qtbase_vi.qm"
    ]
    assert not any(n.startswith(("libssl", "_ssl")) for n in names)


def test_the_frozen_selftest_passes_headless(bundle, tmp_path):
    done = run_frozen(bundle, "--selftest", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "đạt  Mở cơ sở dữ liệu",
        "đạt  Tạo dữ liệu mẫu",
        "đạt  Kiểm tra báo cáo",
        "đạt  Ký, xuất và kiểm tra gói",
        "đạt  Sao lưu",
        "đạt  In PDF",
        "đạt  Chữ tiếng Việt của Qt",
    ]
    assert lines[-1].startswith("Tự kiểm tra đạt, 7 bước")
    assert list(tmp_path.iterdir()) == []  # all of it in a temporary folder, now gone


def test_the_frozen_command_line_works_on_a_real_database(bundle, tmp_path):
    db = tmp_path / "demo.db"
    assert run_frozen(bundle, "init", "--db", db, "--demo", cwd=tmp_path).returncode == 0
    shown = run_frozen(
        bundle, "check", "--db", db, "--unit", "03445", "--form", "kl224", "--period", "2024", cwd=tmp_path
    )
    assert shown.returncode == 0, shown.stderr
    printed = run_frozen(
        bundle,
        "print",
        "--db",
        db,
        "--unit",
        "03445",
        "--form",
        "kl224",
        "--period",
        "2024",
        "--out",
        tmp_path,
        cwd=tmp_path,
    )
    assert printed.returncode == 0, printed.stderr
    assert (tmp_path / "03445_kl224_2024_bieu-in.pdf").read_bytes().startswith(b"%PDF")


def test_the_frozen_program_runs_every_command(bundle, tmp_path):
    """Each command once (tests/every_command.py): cli/ imports the library inside handlers, so a
    module PyInstaller left out shows only when the command that needs it runs."""
    folder = tmp_path / "du-lieu"
    folder.mkdir()

    def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        done = run_frozen(bundle, *args, cwd=tmp_path, env=env)
        assert "No module named" not in done.stderr, (args, done.stderr)
        return done.returncode, done.stdout, done.stderr

    assert set(every_command(run, folder)) == command_words()


def test_the_frozen_program_refuses_a_damaged_database_in_vietnamese(bundle, tmp_path):
    bad = tmp_path / "hong.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    before = bad.read_bytes()
    done = run_frozen(bundle, "units", "--db", bad, cwd=tmp_path)
    assert done.returncode == 2
    assert "hỏng" in done.stderr and "Traceback" not in done.stderr
    assert bad.read_bytes() == before


def test_the_frozen_program_without_a_screen_points_to_the_command_line(bundle, tmp_path):
    done = run_frozen(bundle, cwd=tmp_path)
    assert done.returncode == 0
    assert "dòng lệnh" in done.stdout
    assert "SoChiTieu init --db demo.db --demo" in done.stdout and "python main.py" not in done.stdout


def test_the_bundle_benchmark_measures_a_built_bundle(bundle):
    """benchmarks/bench_bundle.py does not rot: on this bundle, its quick mode ends with its figures."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_bundle.py"), "--dist", str(bundle), "--quick"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    figures = read_figures(run.stdout)
    assert {"size_mib", "files", "help_s", "selftest_s"} <= set(figures)
    assert documented_figures("bench_bundle.py") <= as_documented(figures)
