"""Sign a finished report and write it as one packet file (.sctg).

A packet is a zip (exports/packets/container.py) holding the printable form
(bieu.xlsx), the same report as data (so-lieu.json: the `show --json`
structure plus the cell audit trail), the signer's public key, a manifest
naming every other file with its SHA-256, and a detached Ed25519 signature
over the manifest's exact bytes. docs/packet-format.md is the specification.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from exports.atomic import output_path, write_atomically
from exports.packets.format import (
    DATA_JSON,
    FORM_XLSX,
    MERGED_KIND,
    PUBLIC_KEY,
    default_packet_name,
    json_bytes,
    manifest_of,
    page_entry,
    signed_zip,
)
from exports.paper.layout import default_layout
from exports.paper.letterhead import page_settings
from exports.paper.xlsx_form import form_workbook
from exports.report_json import report_to_dict, summary
from forms.messages import finding_text
from forms.plausibility import PLAUSIBILITY_RULES
from models.errors import BadInput, UserError
from models.gateway import Gateway
from models.keys import KeyInfo, key_in_use, unlock_key
from models.report_records import ReportRef
from models.reporting import ReportView


class ReportNotReady(UserError):
    """The report has errors or unexplained warnings: it cannot be signed (exit 1)."""

    exit_code = 1

    def __init__(self, blockers: list[str]):
        self.blockers = blockers
        super().__init__(
            f"Chưa ký được: {blockers[0]}" + (f" (và {len(blockers) - 1} điều khác)" if blockers[1:] else "")
        )


@dataclass(frozen=True)
class ExportedPacket:
    path: Path
    sequence: int
    manifest: dict
    key: KeyInfo

    def to_dict(self) -> dict:
        """What ``packet export --json`` and ``packet upward --json`` print."""
        return {"file": str(self.path), "manifest": self.manifest}

    def sentence(self) -> str:
        """What was signed and written, from the manifest: a commune's report, or a merged table."""
        m = self.manifest
        merged = m.get("kind") == MERGED_KIND
        what = f"{m['unit']['name']}, biểu {m['form']['id']}, {m['period']['label']}"
        if merged:
            what += f", {m['summary']['units_received']}/{m['summary']['units']} đơn vị"
        return (
            f"Đã ký và lưu gói{' tổng hợp' if merged else ''} “{self.path}”: {what}, "
            f"lần gửi {self.sequence}; mã khóa {self.key.spoken}."
        )


def signing_blockers(view: ReportView) -> list[str]:
    """Why this report cannot be signed yet, in Vietnamese; empty when it can."""
    names = {v.code: v.name for v in view.villages}
    blockers = []
    for finding in view.evaluation.findings:
        where = f"{names.get(finding.cell.village, finding.cell.village)}: " if finding.cell.village else ""
        if finding.severity == "error":
            blockers.append(f"còn lỗi phải sửa: {where}{finding_text(view.form, finding)}")
        elif not view.reason_for(finding):
            blockers.append(f"cảnh báo chưa có giải trình: {where}{finding_text(view.form, finding)}")
    return blockers


def values_fingerprint(gw: Gateway, report: ReportRef) -> str:
    """SHA-256 of the report's cells and written reasons: changes with any edit, not with the clock."""
    cells = sorted([indicator, unit, value] for (indicator, unit), value in gw.values(report).items())
    reasons = sorted([*key, reason] for key, reason in gw.reasons(report).items())
    canonical = json.dumps([cells, reasons], ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def latest_packet(gw: Gateway, report: ReportRef) -> dict | None:
    """The last packet exported for the report: sequence, manifest_sha256, values_sha256, created_at."""
    return gw.sent.latest(report.id)


def next_sequence(gw: Gateway, report: ReportRef) -> int:
    return gw.sent.next_sequence(report.id)


def export_packet(
    gw: Gateway, view: ReportView, passphrase: str, out: str | Path, *, at: dt.datetime | None = None
) -> ExportedPacket:
    """Check, sign and write the packet; ``out`` is a file or a folder for the default name.

    The file appears whole or not at all, and the sequence number is only
    taken when it has been written.
    """
    blockers = signing_blockers(view)
    if blockers:
        raise ReportNotReady(blockers)
    key = key_in_use(gw, view.unit.code)
    if key is None:
        raise BadInput(f"{view.unit.name} chưa có khóa ký; hãy tạo khóa ký của đơn vị trước.")
    private = unlock_key(gw, key, passphrase)
    at = (at or dt.datetime.now(dt.UTC)).astimezone()
    return write_packet(
        gw,
        view.report,
        key,
        out,
        lambda sequence: default_packet_name(view.unit.code, view.form.id, view.report.period_code, sequence),
        lambda sequence: build_packet(gw, view, key, private, sequence, at),
        values_sha256=values_fingerprint(gw, view.report),
    )


def write_packet(
    gw: Gateway,
    report: ReportRef,
    key: KeyInfo,
    out: str | Path,
    name_for: Callable[[int], str],
    build: Callable[[int], tuple[dict, bytes]],
    *,
    values_sha256: str | None = None,
) -> ExportedPacket:
    """Take the report's next sequence number, build the packet with it, record it and write the file;
    ``values_sha256`` fingerprints the figures it holds, for the printed page to name it."""
    with gw.transaction():
        sequence = next_sequence(gw, report)
        path = output_path(out, name_for(sequence))
        manifest, packet = build(sequence)
        # The row first: its write lock keeps a second export of the same report
        # (the window and a command at once) from taking this sequence number
        # and this file name; the file is written only once the number is ours.
        gw.sent.record(
            {
                "report_id": report.id,
                "sequence": sequence,
                "created_at": manifest["created_at"],
                "fingerprint": key.fingerprint,
                "manifest_sha256": hashlib.sha256(json_bytes(manifest)).hexdigest(),
                "file_name": path.name,
                "values_sha256": values_sha256,
                "page": json.dumps(manifest["page"], ensure_ascii=False) if manifest.get("page") else None,
            }
        )
        write_atomically(path, packet)
    return ExportedPacket(path, sequence, manifest, key)


def build_packet(
    gw: Gateway, view: ReportView, key: KeyInfo, private: Ed25519PrivateKey, sequence: int, at: dt.datetime
) -> tuple[dict, bytes]:
    """The manifest and the packet's bytes; the same report gives the same files but for time and sequence.
    bieu.xlsx is laid out in the form's own print mode (a seed's table is an annex) under the unit's
    letterhead and signer, and the manifest's "page" says which."""
    period = gw.period(view.report.period_code)
    page, layout = page_settings(gw, view.unit, on=at.date()), default_layout(view.form)  # the body of its day
    files = {
        FORM_XLSX: form_workbook(
            view, period=period, signed_on=at.date(), page=page, layout=layout, signer_fingerprint=key.spoken
        ),
        DATA_JSON: json_bytes(packet_data(gw, view)),
        PUBLIC_KEY: key.public_pem.encode("ascii"),
    }
    # Of the warnings the summary counts (the form's rules): the plausibility ones are counted apart.
    explained = sum(1 for f in view.evaluation.warnings if f.rule not in PLAUSIBILITY_RULES and view.reason_for(f))
    manifest = manifest_of(
        view.unit,
        view.form,
        period,
        view.evaluation.target_set,
        key,
        sequence,
        at,
        {**summary(view), "warnings_explained": explained},
        files,
        page=page_entry(page, layout, at.date()),
    )
    return manifest, signed_zip(manifest, files, private)


def packet_data(gw: Gateway, view: ReportView) -> dict:
    """The `show --json` structure with the cell audit trail of this report."""
    data = report_to_dict(gw, view)
    data["audit"] = [
        {
            "indicator": row["indicator"],
            "unit_code": row["unit_code"],
            "old": row["old_value"],
            "new": row["new_value"],
            "at": row["at"],
            "who": row["who"],
        }
        for row in gw.audit_trail(view.report)
    ]
    return data
