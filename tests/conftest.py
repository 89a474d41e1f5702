"""Shared fixtures: a fresh database file, the shipped forms, the demo."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlite_utils import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # Qt aborts with no screen otherwise
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forms.library import default_library  # noqa: E402
from models.demo import build_demo  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.migrations import migrations  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--bundle", action="store_true", help="also build the PyInstaller bundle and run its selftest")


def pytest_collection_modifyitems(config, items):
    # The bundle takes a PyInstaller build; tools/test.sh (CI) asks for it, a quick pytest need not.
    if config.getoption("--bundle") or os.environ.get("SCT_BUNDLE"):
        return
    skip = pytest.mark.skip(reason="builds the bundle: run with --bundle (tools/test.sh does)")
    for item in items:
        if "bundle" in item.keywords:
            item.add_marker(skip)


def run_main(*args, drop: tuple[str, ...] = (), **extra_env: str) -> subprocess.CompletedProcess:
    """``python main.py ARGS`` in a fresh process, as a user runs it; ``drop`` removes
    variables from the environment (tracebacks and stored passphrases always)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCT_DEBUG", "SCT_PASSPHRASE", *drop)}
    env.update(extra_env, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "main.py", *[str(a) for a in args]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@pytest.fixture
def library():
    return default_library()


@pytest.fixture
def kl224(library):
    return library.get("kl224")


@pytest.fixture
def fresh_db(tmp_path) -> Gateway:
    gw = Gateway.open(tmp_path / "so-chi-tieu.db")
    yield gw
    gw.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database, built once per session; copy it before writing."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    gw = Gateway.open(path)
    build_demo(gw, default_library())
    gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    gw.close()
    return path


@pytest.fixture
def demo_path(demo_template, tmp_path) -> Path:
    target = tmp_path / "demo.db"
    target.write_bytes(demo_template.read_bytes())
    return target


@pytest.fixture
def demo_db(demo_path) -> Gateway:
    gw = Gateway.open(demo_path)
    yield gw
    gw.close()


def first_schema_database(path: Path) -> Path:
    """A database as the first release left it (only m001), with a village's value and its audit row."""
    first = [m.name for m in migrations.pending(Database(memory=True))][1]
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(old, stop_before=first)
    old.execute("INSERT INTO units (code, name, kind) VALUES ('03445', 'Xã Mường Tè', 'xã')")
    old.execute("INSERT INTO units (code, name, kind, parent_code) VALUES ('03445.01', 'Bản Nà Hừ', 'bản', '03445')")
    old.execute("INSERT INTO periods VALUES ('2025', 'nam', 'Năm 2025', '2025-01-01', '2025-12-31')")
    old.execute(
        "INSERT INTO reports (id, unit_code, form_id, form_version, period_code, created_at, updated_at) "
        "VALUES (1, '03445', 'kl224', 1, '2025', 't', 't')"
    )
    old.execute("INSERT INTO cell_values VALUES (1, 'so_ho', '03445.01', 120, 't', 'thu')")
    old.execute(
        "INSERT INTO audit (report_id, indicator, unit_code, old_value, new_value, at, who) "
        "VALUES (1, 'so_ho', '03445.01', NULL, 120, 't', 'thu')"
    )
    old.conn.close()
    return path


HOLD_LOCK = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from models.lock import DatabaseLock
lock = DatabaseLock.take(Path(sys.argv[2]))
print("locked", flush=True)
time.sleep(120)
"""


@contextmanager
def lock_held_elsewhere(path: Path):
    """A process holding the database's lock, as an open window does; yields the process."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(ROOT), str(path)],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "locked", child.stderr.read()
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        child.stdout.close()
        child.stderr.close()
