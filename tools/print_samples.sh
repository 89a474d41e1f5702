#!/usr/bin/env bash
# Regenerate docs/print-*.png: page 1 of each printout over the demo, as a
# newcomer would print them (rendered by pdfplumber, in the test environment):
#   report     the commune's filled form as a stand-alone report (BÁO CÁO)
#   annex      the same form as an annex of the committee's report (kl224's own mode)
#   village    the village-meeting sheet, one per village
#   received   a commune's form printed at the province from its packet
#   merged     the province's merged table
#   completeness  who has sent what
#   sapa       the activity report of seed 004 (sapa-11-17) for Phường Sa Pa, 2025, amounts in words
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

body="Thực hiện Kết luận số 224-KL/TU của Ban Thường vụ Tỉnh ủy, Ban Thường vụ Đảng ủy xã báo cáo kết quả năm 2024 như sau:"
run print --db "$work/xa.db" --unit 03445 --form kl224 --period 2024 --mode report --body "$body" \
  --out "$work/report.pdf"
run print --db "$work/xa.db" --unit 03445 --form kl224 --period 2024 --mode annex --annex-number 01 \
  --annex-of "Báo cáo số      -BC/ĐU ngày      của Ban Thường vụ Đảng ủy xã Mường Tè" --out "$work/annex.pdf"
run print --db "$work/xa.db" --unit 03445 --form kl224 --period 2025 --mode village --out "$work/village.pdf"
run print --db "$work/tinh.db" --unit 03445 --form kl224 --period 2024 --out "$work/received.pdf"
run print --db "$work/tinh.db" --unit 12 --form kl224 --period 2024 --merged --mode report \
  --targets tp-lai-chau-2025 --out "$work/merged.pdf"
run print --db "$work/tinh.db" --unit 12 --period 2024 --completeness --out "$work/completeness.pdf"

# Seed 004's activity report, made since 1/7/2025 by a commune's committee: Phường Sa Pa (03006) of Tỉnh Lào Cai.
SCT_PASSPHRASE=mau-lao-cai run init --db "$work/laocai.db" --upper 15 --officer "Nguyễn Văn Hải" --title "Chuyên viên"
cat > "$work/sapa.json" <<'JSON'
{"values": {"commune": {"hoi_nghi_quan_triet": 6, "cuoc_kiem_tra": 4, "sach_lich_su": 7, "sach_hoi_thao": 4,
  "so_xa_phuong": 1, "trang_mang_xa_hoi": 1, "lop_tap_huan": 3, "khen_tap_the": 2, "khen_ca_nhan": 7,
  "kinh_phi_tong": 6505490000, "kinh_phi_ngan_sach": 6145490000, "kinh_phi_xa_hoi_hoa": 360000000,
  "kinh_phi_nam": 1750060000, "ngay_chot_so_lieu": "2025-12-15", "ghi_chu": "Số liệu mẫu"}}}
JSON
run load --db "$work/laocai.db" --unit 03006 --form sapa-11-17 --period 2025 "$work/sapa.json"
# Signed as seed 004 is (T/M Ban Thường vụ, Phó Bí thư Thường trực Thào A Sinh): no signer is stored for the unit.
run print --db "$work/laocai.db" --unit 03006 --form sapa-11-17 --period 2025 --words \
  --signer "Thào A Sinh" --signer-title "Phó Bí thư Thường trực" --out "$work/sapa.pdf"

.venv/bin/python - "$work" <<'PY'
import sys
from pathlib import Path

import pdfplumber

for name in ("report", "annex", "village", "received", "merged", "completeness", "sapa"):
    with pdfplumber.open(Path(sys.argv[1]) / f"{name}.pdf") as pdf:
        pdf.pages[0].to_image(resolution=60).save(f"docs/print-{name}.png")
        print(f"{name}: {len(pdf.pages)} trang")
PY
