"""Packets as a commune sends them, and as a holder of its key could forge them:
shared by the re-check tests and the import kill test.

``Commune`` is a copy of the commune demo that types figures and signs
packets with the commune's own program, so bieu.xlsx and so-lieu.json agree;
``forged`` edits a packet's JSON and signs it again with the demo key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

from exports.packets.container import canonical_zip
from exports.packets.format import DATA_JSON, MANIFEST, SIGNATURE
from exports.packets.write import build_packet
from forms.library import default_library
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, demo_private_key, key_in_use, unlock_key
from models.reporting import enter_values, view_report

UNIT = "03445"  # Xã Mường Tè, 12 villages in the demo
VILLAGE = "03445.01"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Commune:
    """A copy of the commune demo that types figures and signs packets, as the commune's program does."""

    def __init__(self, template: Path, folder: Path, unit: str = UNIT, period: str = "2024"):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(template, folder / "xa.db")
        self.gw = Gateway.open(folder / "xa.db")
        self.folder, self.form, self.unit = folder, default_library().get("kl224"), unit
        self.report = self.gw.find_report(unit, "kl224", period)
        self.key, self.passphrase = key_in_use(self.gw, unit), DEMO_PASSPHRASE

    def value(self, indicator: str, unit: str):
        return self.gw.values(self.report)[(indicator, unit)]

    def type(self, *cells: tuple[str, str, object]) -> None:
        enter_values(self.gw, self.report, self.form, list(cells), "xa")

    def view(self):
        return view_report(self.gw, self.report, self.form)

    def sign(self, sequence: int, at: dt.datetime | None = None, name: str | None = None, key=None) -> Path:
        key = key or self.key
        private = unlock_key(self.gw, key, self.passphrase)
        raw = build_packet(self.gw, self.view(), key, private, sequence, at or now())[1]
        path = self.folder / (name or f"{self.unit}_lan{sequence:02d}.sctg")
        path.write_bytes(raw)
        return path

    def close(self) -> None:
        self.gw.close()


def forged(path: Path, *, data=None, data_text=None, manifest=None, key_code: str = UNIT) -> Path:
    """The packet at ``path`` with so-lieu.json (as a dict, or as text) or the manifest changed, and
    signed again with the commune's own demo key: what a holder of that key can send."""
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    if data or data_text:
        text = entries[DATA_JSON].decode()
        if data:
            loaded = json.loads(text)
            data(loaded)
            text = json.dumps(loaded, ensure_ascii=False)
        entries[DATA_JSON] = (data_text(text) if data_text else text).encode()
    record = json.loads(entries[MANIFEST])
    for item in record["files"]:
        body = entries[item["name"]]
        item.update(size=len(body), sha256=hashlib.sha256(body).hexdigest())
    if manifest:
        manifest(record)
    entries[MANIFEST] = json.dumps(record, ensure_ascii=False).encode()
    entries[SIGNATURE] = demo_private_key(key_code).sign(entries[MANIFEST])
    out = path.with_name(f"gia-{path.name}")
    out.write_bytes(canonical_zip(list(entries.items())))
    return out
