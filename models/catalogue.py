"""The official catalogue of provinces and communes (2025 map), shipped as a
snapshot in models/data/ so the program needs no network and no package."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent / "data" / "catalogue-2025.json"


@dataclass(frozen=True)
class CatalogueUnit:
    code: str
    name: str
    kind: str
    province_code: str | None  # None for a province


def fold(text: str) -> str:
    """Lower case without diacritics, so “muong te” finds “Mường Tè”."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower().strip()


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, CatalogueUnit], dict[str, CatalogueUnit]]:
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    provinces = {c: CatalogueUnit(c, n, k, None) for c, n, k in data["provinces"]}
    communes = {c: CatalogueUnit(c, n, k, p) for c, n, k, p in data["communes"]}
    return provinces, communes


def provinces() -> list[CatalogueUnit]:
    return list(_load()[0].values())


def communes(province_code: str) -> list[CatalogueUnit]:
    return [c for c in _load()[1].values() if c.province_code == province_code]


def find(code: str) -> CatalogueUnit | None:
    """The province or commune of an official code, typed in fullwidth digits too (０３４４５ is 03445)."""
    code = unicodedata.normalize("NFKC", code).strip()
    provinces_, communes_ = _load()
    return provinces_.get(code) or communes_.get(code)


def search(text: str, province_code: str | None = None) -> list[CatalogueUnit]:
    """Communes (or, with no province given, provinces too) whose name contains ``text``."""
    wanted = fold(text)
    provinces_, communes_ = _load()
    pool = list(communes_.values()) if province_code else [*provinces_.values(), *communes_.values()]
    return [u for u in pool if (province_code in (None, u.province_code)) and wanted in fold(u.name)]
