"""A packet's layout, as docs/packet-format.md specifies it: the names of its
files, the manifest that lists them with their hashes, and the signed zip.

Every packet is built here, a commune's (exports/packets/write.py) and a
merged one (exports/collect/upward.py); every reader checks against these
names (exports/packets/verify.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from exports.packets.container import canonical_zip
from forms.schema import FormDef, TargetSet
from models.about import APP_NAME, APP_VERSION
from models.keys import KeyInfo
from models.periods import Period
from models.units import Unit

FORMAT = "so-chi-tieu.packet"
FORMAT_VERSION = 1
SUFFIX = ".sctg"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "signer.pub.pem"
FORM_XLSX = "bieu.xlsx"
DATA_JSON = "so-lieu.json"
SIGNED_FILES = (FORM_XLSX, DATA_JSON, PUBLIC_KEY)  # listed in the manifest with their hashes
MERGED_KIND = "tong_hop"  # the manifest's "kind" in a merged packet of a district or province (collect/upward.py)


def default_packet_name(unit_code: str, form_id: str, period_code: str, sequence: int) -> str:
    # ASCII only: the name travels through e-mail systems and FAT-formatted USB sticks.
    return f"{unit_code}_{form_id}_{period_code}_lan{sequence:02d}{SUFFIX}"


def form_entry(form: FormDef) -> dict:
    """The form a packet was filled with: id, version, title, and the unit that published that version
    when it is not one shipped with the program (a packet of a shipped form is as it always was)."""
    entry = {"id": form.id, "version": form.version, "title": form.title}
    if form.publisher:
        entry["publisher"] = form.publisher
    return entry


def form_of(library, entry: dict):
    """The version of the form a manifest's "form" names, in ``library``; None where it has none."""
    return library.get(entry["id"], entry["version"], entry.get("publisher", ""))


def manifest_of(
    unit: Unit,
    form: FormDef,
    period: Period,
    target_set: TargetSet | None,
    key: KeyInfo,
    sequence: int,
    at: dt.datetime,
    summary: dict,
    files: dict[str, bytes],
    **more,
) -> dict:
    """The manifest; ``more`` adds the page (page_entry) and the fields of a merged packet (kind,
    children) before the file list."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app": {"name": APP_NAME, "version": APP_VERSION},
        "unit": {"code": unit.code, "name": unit.name, "kind": unit.kind, "parent_code": unit.parent_code},
        "form": form_entry(form),
        "period": {"code": period.code, "label": period.label},
        "target_set": (
            {"id": target_set.id, "name": target_set.name, "version": target_set.version} if target_set else None
        ),
        "sequence": sequence,
        "created_at": at.isoformat(timespec="seconds"),
        "signer": {
            "name": key.holder_name,
            "title": key.holder_title,
            "fingerprint": key.fingerprint,
            "spoken": key.spoken,
        },
        "summary": summary,
        **more,
        "files": [
            {"name": name, "size": len(files[name]), "sha256": hashlib.sha256(files[name]).hexdigest()}
            for name in SIGNED_FILES
        ],
    }


PAGE_MODES = ("report", "annex")  # how bieu.xlsx lays out the form (exports/paper/layout.py)


def page_entry(page, layout, day: dt.date) -> dict:
    """The manifest's "page": the print mode and the letterhead and signature lines bieu.xlsx carries
    (exports/paper/letterhead.PageSettings, layout.Layout); the signer is the Party page's, not
    necessarily the holder of the key."""
    return {
        "mode": layout.mode,
        "superior": page.superior,
        "issuer": page.issuer,
        "number": page.number,
        "place": page.place,
        "date": day.isoformat(),
        "on_behalf": page.on_behalf,
        "signer_title": page.signer_title,
        "signer_name": page.signer_name,
        "recipients": list(page.recipients),
    }


def signed_zip(manifest: dict, files: dict[str, bytes], private: Ed25519PrivateKey) -> bytes:
    """The packet's bytes: the manifest, its signature, then the files it lists."""
    manifest_bytes = json_bytes(manifest)
    entries = [
        (MANIFEST, manifest_bytes),
        (SIGNATURE, private.sign(manifest_bytes)),
        *((name, files[name]) for name in SIGNED_FILES),
    ]
    return canonical_zip(entries)


def json_bytes(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
