#!/usr/bin/env bash
# Installs the Debian packages Qt needs to run offscreen (and a Times New Roman
# metric font), only those missing. Needs root, or sudo.
set -euo pipefail
PACKAGES="libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0 fonts-liberation2"
# A real window (X11) needs Qt's xcb plugin libraries as well: `debian-packages.sh --window`.
# The tests render the workbooks with LibreOffice Calc: `debian-packages.sh --office` (tools/test.sh).
for flag in "$@"; do
  case "$flag" in
    --window) PACKAGES="$PACKAGES libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxkbcommon-x11-0" ;;
    --office) PACKAGES="$PACKAGES libreoffice-calc-nogui" ;;
    *) echo "debian-packages.sh: không hiểu tham số “$flag” (chỉ có --window, --office)." >&2; exit 2 ;;
  esac
done
missing=""
for package in $PACKAGES; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Cài các gói Debian còn thiếu:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
