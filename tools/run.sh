#!/usr/bin/env bash
# Set up and start Sổ Chỉ Tiêu: the window where there is a screen, a pointer
# to the command line where there is none. Arguments go to main.py.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${DISPLAY:-}" ]; then
  bash tools/debian-packages.sh --window
else
  bash tools/debian-packages.sh
fi
bash tools/setup.sh
exec .venv/bin/python main.py "$@"
