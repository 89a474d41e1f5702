"""The peers' own virtual environment, made on first use outside the repository, and running a peer in it.

pandas and python-calamine never enter the program's environment: the
benchmark makes ~/.cache/so-chi-tieu-bench/peers-venv (under
$XDG_CACHE_HOME if set) with ``python -m venv`` and pip installs
benchmarks/peers/requirements.txt from PyPI into it, once; it is made again
when that file changes. Tests and CI never make it: bench_inbox.py --quick
uses it only if it is already there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
SCRIPTS = {"openpyxl": "sum_openpyxl.py", "pandas": "sum_pandas.py", "calamine": "sum_calamine.py"}


def venv_dir() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "so-chi-tieu-bench" / "peers-venv"


def _python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def peers_python(*, create: bool) -> Path | None:
    """The venv's python with the pinned peers installed; None if absent and not to be made."""
    folder = venv_dir()
    stamp, wanted = folder / "installed.txt", REQUIREMENTS.read_text(encoding="utf-8")
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted and _python(folder).is_file():
        return _python(folder)
    if not create:
        return None
    print(f"making the peers' virtual environment in {folder} (pandas, python-calamine, openpyxl from PyPI)...")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(folder)], check=True)
    pip = [str(_python(folder)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    done = subprocess.run([*pip, "-r", str(REQUIREMENTS)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"could not install the peers in {folder}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    stamp.write_text(wanted, encoding="utf-8")
    return _python(folder)


def versions(python: Path) -> str:
    """The peers' versions as installed, for the printout."""
    code = (
        "import importlib.metadata as m, platform; "
        "print('Python', platform.python_version(), *(f'{p} {m.version(p)}' for p in "
        "('pandas', 'python-calamine', 'openpyxl')))"
    )
    return subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def run_peer(python: Path | str, peer: str, folder: Path) -> dict:
    """One run of a peer's script over the folder's packets, in its own process: its JSON line."""
    done = subprocess.run(
        [str(python), str(HERE / SCRIPTS[peer]), str(folder)], capture_output=True, text=True, encoding="utf-8"
    )
    if done.returncode != 0:
        raise SystemExit(f"the {peer} peer failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
