#!/usr/bin/env bash
# Shared by run.sh and test.sh: the Python environment in .venv, made once and
# brought up to date from requirements*.txt on every call (fast when nothing changed),
# and Qt's own words in Vietnamese compiled for the window (ui/translations, not in git).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt "$@" 2>&1 \
  | grep -v "^WARNING: Location" || true

# Qt ships no Vietnamese for its buttons and dialogs: ours, compiled with the lrelease the wheel carries.
.venv/bin/pyside6-lrelease -silent ui/translations/qtbase_vi.ts -qm ui/translations/qtbase_vi.qm
