"""models/, forms/ and exports/ run without Qt: checked, not remembered."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from testkit import ROOT

CORE = ("models", "forms", "exports")


def core_modules() -> list:
    return sorted(p for package in CORE for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_does_not_import_qt(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"PySide6", "shiboken6", "ui"}, f"{path.name} imports {imported & {'PySide6', 'ui'}}"


def test_importing_the_whole_core_loads_no_qt():
    names = [".".join(p.relative_to(ROOT).with_suffix("").parts) for p in core_modules()]
    names = [n.removesuffix(".__init__") for n in names]
    code = "import sys\n" + "".join(f"import {n}\n" for n in names) + "print('PySide6' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
