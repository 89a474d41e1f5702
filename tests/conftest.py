"""Shared fixtures: a fresh database file, the shipped forms, the commune and province
demos built once per session and copied for each test. Helpers to import are in testkit.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # Qt aborts with no screen otherwise
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from packet_forge import Commune  # noqa: E402
from testkit import copy_database, database_template  # noqa: E402

from forms.library import default_library  # noqa: E402
from models.demo import build_demo, build_upper_demo  # noqa: E402
from models.gateway import Gateway  # noqa: E402


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


@pytest.fixture
def sapa_report(fresh_db, library):
    """Thị xã Sa Pa under Tỉnh Lào Cai in a new database, with an empty 2022 report of
    its district form sapa-11-17: (gw, form, report)."""
    gw = fresh_db
    gw.add_unit("15", "Tỉnh Lào Cai", "tỉnh")
    gw.add_unit("089", "Thị xã Sa Pa", "thị xã", "15")
    form = library.get("sapa-11-17")
    return gw, form, gw.ensure_report("089", form.id, form.version, "2022")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo database, built once per session; copy it before writing."""
    return database_template(tmp_path_factory.mktemp("demo") / "demo.db", lambda gw: build_demo(gw, default_library()))


@pytest.fixture
def demo_path(demo_template, tmp_path) -> Path:
    return copy_database(demo_template, tmp_path / "demo.db")


@pytest.fixture
def demo_db(demo_path) -> Gateway:
    gw = Gateway.open(demo_path)
    yield gw
    gw.close()


@pytest.fixture(scope="session")
def upper_template(tmp_path_factory) -> Path:
    """The province demo (Tỉnh Lai Châu, collecting from its communes), built once per session; copy before writing."""
    return database_template(tmp_path_factory.mktemp("upper") / "tinh.db", build_upper_demo)


@pytest.fixture
def upper_path(upper_template, tmp_path) -> Path:
    """A fresh copy of the province demo, ``tinh.db`` in the test's folder."""
    return copy_database(upper_template, tmp_path / "tinh.db")


@pytest.fixture
def province(upper_path):
    """The province demo's database (a fresh copy), open; a test module may define its own."""
    gw = Gateway.open(upper_path)
    yield gw
    gw.close()


@pytest.fixture
def commune_gw(demo_path):
    """The commune demo's database (a fresh copy), open."""
    gw = Gateway.open(demo_path)
    yield gw
    gw.close()


@pytest.fixture
def commune(demo_template, tmp_path):
    """A copy of the commune demo that types figures and signs packets (tests/packet_forge.py);
    a test module may define its own ``commune`` instead."""
    made = Commune(demo_template, tmp_path / "xa")
    yield made
    made.close()
