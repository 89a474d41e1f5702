#!/usr/bin/env bash
# Set up and run every test, headless: Debian packages for Qt offscreen and
# LibreOffice Calc (the tests render the workbooks with it), the Python
# environment, then pytest, including the build of the Windows-style
# bundle and its selftest (--bundle). Arguments go to pytest.
#
# --fast (first argument): the fast subset for the edit-test loop instead, every
# test not marked slow or bundle (-m "not slow and not bundle"); the arguments
# after it go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/debian-packages.sh --office
bash tools/setup.sh -r requirements-dev.txt
export QT_QPA_PLATFORM=offscreen
if [ "${1:-}" = "--fast" ]; then
  shift
  exec .venv/bin/python -m pytest -m "not slow and not bundle" "$@"
fi
exec .venv/bin/python -m pytest --bundle "$@"
