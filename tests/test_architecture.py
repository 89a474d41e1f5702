"""The floor plan, checked rather than remembered (docs/architecture.md):
only models/ reaches the database, no module imports in a circle, each
folder imports only what it may, the window's two wings stay apart, the
command line starts without loading the library, and no module runs long
without saying why.

Each checker is also run on a small made-up case that breaks its rule, so a
checker that has gone blind fails too.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from testkit import ROOT

PACKAGES = ("cli", "ui", "models", "forms", "exports")
NO_DATABASE = ("main.py", "cli", "ui", "forms", "exports")  # everything but models/ goes through the gateway
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|ROLLBACK|WITH)\b")
LONGEST = 450
LONG_REASON = "Why it is long:"

# Who may import whom, by top folder (the first part of a module's name).
MAY_IMPORT = {
    "forms": {"forms"},
    "models": {"models", "forms"},
    "exports": {"exports", "models", "forms"},
    "ui": {"ui", "exports", "models", "forms"},
    "cli": {"cli", "exports", "models", "forms", "ui"},  # ui: the page painter, inside `print` only
    "main": {"main", "cli", "models", "forms", "ui"},
}


def program_files(*places: str) -> list[Path]:
    found = []
    for place in places:
        path = ROOT / place
        found += [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def ids(path: Path) -> str:
    return str(path.relative_to(ROOT))


# ---- the database is reached through models/ only -----------------------------------------


def database_uses(source: str) -> list[str]:
    """What in this source reaches SQLite itself: an import of it, ``gw.db`` or ``….conn``, SQL text."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"import {n}" for n in names if n.split(".")[0] in ("sqlite3", "sqlite_utils")]
        elif isinstance(node, ast.Attribute) and node.attr in ("db", "conn"):
            owner = node.value
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if isinstance(owner, ast.Subscript) or owner_name.endswith(("gw", "db")):
                found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
            found.append(f"line {node.lineno}: SQL {node.value.strip()[:40]!r}")
    return found


@pytest.mark.parametrize("path", program_files(*NO_DATABASE), ids=ids)
def test_only_models_reach_the_database(path):
    assert database_uses(path.read_text(encoding="utf-8")) == []


def test_the_database_check_sees_each_way_in():
    source = (
        "import sqlite3\n"
        "from sqlite_utils import Database\n"
        "rows = gw.db.execute('SELECT 1').fetchall()\n"
        "n = self.gw.db.conn.total_changes\n"
        "state['gw'].db['units'].count\n"
        "QUERY = 'UPDATE received_packets SET status = ?'\n"
        "args.db\n"  # the --db option is a path, not the database
    )
    uses = database_uses(source)
    assert len(uses) == 8, uses
    assert not any("args" in use for use in uses)


# ---- imports: no circle, each folder within its rights, the wings apart ---------------------


def run_time_nodes(tree: ast.AST):
    """Every node but those under ``if TYPE_CHECKING:``, which never run (names for type hints only)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            continue
        yield node
        yield from run_time_nodes(node)


def imports_of(path: Path) -> set[str]:
    """Our modules that ``path`` imports when it runs, anywhere in it (inside functions too)."""
    known = {module_name(p) for p in program_files("main.py", *PACKAGES)}
    found = set()
    for node in run_time_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known}
            if node.module in known and not (ROOT / node.module.replace(".", "/") / "__init__.py").exists():
                found.add(node.module)
    return found - {module_name(path)}


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in program_files("main.py", *PACKAGES)}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle found by a depth-first walk (each reported once, from where it was entered)."""
    found, done, path = [], set(), []

    def walk(node: str) -> None:
        if node in path:
            found.append(path[path.index(node) :] + [node])
            return
        if node in done:
            return
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            walk(nxt)
        path.pop()
        done.add(node)

    for start in sorted(graph):
        walk(start)
    return found


def test_no_module_imports_in_a_circle():
    assert cycles(import_graph()) == []


def test_the_circle_check_finds_a_circle(tmp_path):
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    typed = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import t1\nimport t2\n"
    assert [type(n).__name__ for n in run_time_nodes(ast.parse(typed)) if isinstance(n, ast.Import)] == ["Import"]


def forbidden_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, imported in graph.items():
        top = module.split(".")[0]
        for other in imported:
            if other.split(".")[0] not in MAY_IMPORT[top]:
                wrong.append(f"{module} -> {other}")
            for wing, far in (("ui.commune", "ui.upper"), ("ui.upper", "ui.commune")):
                if module.startswith(wing) and other.startswith(far):
                    wrong.append(f"{module} -> {other} (the two wings of the window)")
            if top == "cli" and other.startswith("ui.") and other not in ("ui.printing", "ui.resources"):
                wrong.append(f"{module} -> {other} (the command line paints pages, nothing more)")
    return sorted(wrong)


def test_each_folder_imports_only_what_it_may():
    assert forbidden_imports(import_graph()) == []


def test_the_import_rules_catch_a_wrong_import():
    made_up = {
        "models.units": {"exports.collect.inbox"},
        "ui.upper.window": {"ui.commune.window", "ui.widgets"},
        "cli.keys": {"ui.commune.key_dialogs"},
        "exports.paper.page": {"forms.schema"},
    }
    assert forbidden_imports(made_up) == [
        "cli.keys -> ui.commune.key_dialogs (the command line paints pages, nothing more)",
        "models.units -> exports.collect.inbox",
        "ui.upper.window -> ui.commune.window (the two wings of the window)",
    ]


# ---- the command line starts light --------------------------------------------------------


# What a command's parser must not load: the library (database, Excel, signatures, Qt) and the
# command-line machinery sqlite-utils brings (click, pluggy, dateutil), whose import time would be
# most of `--help`'s.
HEAVY = ("sqlite3", "sqlite_utils", "openpyxl", "cryptography", "PySide6", "forms", "exports", "models.errors")
HEAVY += ("click", "pluggy", "dateutil")

HELP_LOADS = """
import contextlib, io, json, sys
import main

def commands(parser, words=()):
    for action in parser._actions:
        for name, sub in getattr(action, "choices", None) and action.choices.items() or ():
            if hasattr(sub, "_actions"):
                yield words + (name,)
                yield from commands(sub, words + (name,))

def heavy():
    return sorted(m for m in sys.modules if m.split(".")[0] in HEAVY or m in HEAVY)

loaded = {}
for words in [()] + list(commands(main.build_parser())):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        main.main([*words, "--help"])
    loaded[" ".join(words) or "--help"] = heavy()
print(json.dumps(loaded))
"""


def test_the_command_line_loads_no_library_before_a_command_runs():
    """``main.py --help`` and every ``main.py <command> --help``, run through main() as the officer
    runs them, load no database, forms, Excel, cryptography, Qt or click code."""
    code = f"HEAVY = {HEAVY!r}\n" + HELP_LOADS
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    assert "packet export" in loaded and "inbox import" in loaded and len(loaded) > 25, sorted(loaded)
    assert {words: modules for words, modules in loaded.items() if modules} == {}


def test_the_help_check_sees_a_heavy_import():
    """The same check, on a command whose parser is made to import sqlite_utils (and with it click)."""
    code = (
        f"HEAVY = {HEAVY!r}\n"
        "import cli.backup\n"
        "def register(commands, original=cli.backup.register):\n"
        "    import sqlite_utils\n"
        "    original(commands)\n"
        "cli.backup.register = register\n" + HELP_LOADS
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = json.loads(result.stdout)
    assert "click" in loaded["--help"] and "sqlite_utils" in loaded["--help"]


# ---- short modules ------------------------------------------------------------------------


def long_without_reason(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    if text.count("\n") <= LONGEST:
        return False
    return LONG_REASON not in (ast.get_docstring(ast.parse(text)) or "")


@pytest.mark.parametrize("path", program_files("main.py", *PACKAGES, "tests", "benchmarks", "tools"), ids=ids)
def test_a_long_module_says_why_at_its_top(path):
    assert not long_without_reason(path), f"{path.name} is over {LONGEST} lines with no “{LONG_REASON}”"


def test_the_length_check_counts(tmp_path):
    long = tmp_path / "long.py"
    long.write_text('"""A module."""\n' + "x = 1\n" * LONGEST)
    assert long_without_reason(long)
    long.write_text(f'"""A module.\n\n{LONG_REASON} one table of data."""\n' + "x = 1\n" * LONGEST)
    assert not long_without_reason(long)
