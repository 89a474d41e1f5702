#!/usr/bin/env bash
# Regenerate docs/print-*.png: page 1 of each printout over the demo, as a
# newcomer would print them (needs pdftoppm from poppler-utils).
#     bash tools/print_samples.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen SCT_PASSPHRASE=muongte-mau
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() { .venv/bin/python main.py "$@" >/dev/null; }

run init --db "$work/xa.db" --demo
run init --db "$work/tinh.db" --demo-upper
mkdir "$work/goi"
for unit in 03445 03408; do
  run packet export --db "$work/xa.db" --unit "$unit" --form kl224 --period 2024 --out "$work/goi/"
done
run inbox import --db "$work/tinh.db" "$work/goi/"

run print --db "$work/xa.db" --unit 03445 --form kl224 --period 2024 --out "$work/filled.pdf"
run print --db "$work/xa.db" --unit 03445 --form kl224 --period 2025 --blank --out "$work/blank.pdf"
run print --db "$work/tinh.db" --unit 12 --form kl224 --period 2024 --merged --targets tp-lai-chau-2025 \
  --out "$work/merged.pdf"
for name in filled blank merged; do
  pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$work/$name.pdf" "docs/print-$name"
  last=$(pdfinfo "$work/$name.pdf" | awk '/^Pages:/ {print $2}')
  pdftoppm -png -r 60 -f "$last" -l "$last" -singlefile "$work/$name.pdf" "docs/print-$name-last"
done
ls -l docs/print-*.png
