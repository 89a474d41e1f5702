"""Regenerate models/data/catalogue-2025.json from the vietnam-provinces package.

The program ships the snapshot and never needs the package at run time:
    pip install vietnam-provinces==2025.10.1 && python tools/make_catalogue.py
The 2025.x data is the two-tier map in force since 1 July 2025 (34 provinces,
3,321 communes); it has no village level.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from vietnam_provinces import Province, Ward

OUT = Path(__file__).resolve().parent.parent / "models" / "data" / "catalogue-2025.json"


def _province_name(province) -> str:
    # The package writes "Lai Châu" but "Thành phố Hà Nội"; documents say "Tỉnh Lai Châu".
    return province.name if province.name.startswith("Thành phố") else f"Tỉnh {province.name}"


def main() -> None:
    provinces = sorted(Province.iter_all(), key=lambda p: int(p.code))
    communes = sorted(Ward.iter_all(), key=lambda w: int(w.code))
    snapshot = {
        "source": f"vietnam-provinces {version('vietnam-provinces')}",
        "in_force_from": "2025-07-01",
        "columns": ["code", "name", "kind", "province_code"],
        "provinces": [[f"{int(p.code):02d}", _province_name(p), p.division_type.value] for p in provinces],
        "communes": [
            [f"{int(w.code):05d}", w.name, w.division_type.value, f"{int(w.province_code):02d}"] for w in communes
        ],
    }
    text = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text.replace("],[", "],\n["), encoding="utf-8")
    print(f"{OUT}: {len(provinces)} tỉnh, {len(communes)} xã")


if __name__ == "__main__":
    main()
