"""Check a packet offline: is it whole, who signed it, do we trust that key.

The verdict says in Vietnamese what is wrong, naming the file that changed.
Nothing is written anywhere. Statuses and exit codes:

- ``hop_le`` (0): whole, signature good, signer among the trusted keys for that unit;
- ``chua_tin_cay`` (3): whole and signed, but the key is not (yet) trusted;
- ``khong_hop_le`` (1): damaged or altered, wrong signature, missing file;
- ``khong_doc_duoc`` (2): not a packet, or one this version cannot read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature

from exports.packets import enrolment
from exports.packets.container import PacketInvalid, PacketUnreadable, container_of, not_a_packet, read_packet_file
from exports.packets.enrolment import Enrolment, KeyRing
from exports.packets.format import (
    DATA_JSON,
    FORM_XLSX,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MERGED_KIND,
    PAGE_MODES,
    PUBLIC_KEY,
    SIGNATURE,
    SIGNED_FILES,
    form_of,
)
from exports.packets.plausibility_check import plausibility_problem
from exports.packets.sheet_check import sheet_problem
from exports.packets.verify_words import damaged as _damaged
from exports.packets.verify_words import field_words as _field
from exports.strict_json import StrictJsonError, loads_strict
from forms import vnformat
from forms.library import FormLibrary
from models.errors import BadInput
from models.keys import fingerprint_of, load_public_pem, spoken_fingerprint
from models.periods import parse_period
from models.vocabulary import VerifyStatus

MAX_MANIFEST_BYTES = 1024 * 1024
LARGEST_FIELD = 2**31 - 1  # a sequence, a version, a count of cells: far below what SQLite can hold
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CODE = re.compile(r"^[0-9A-Za-z._-]{1,40}$")  # unit, form and period codes: ASCII, as the program writes them
_PUBLISHER = re.compile(r"^[0-9]{2,12}$")  # the unit that published a form version: an official code
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
PAGE_TEXTS = ("superior", "issuer", "number", "place", "on_behalf", "signer_title", "signer_name")
LONGEST_PAGE_TEXT = 300  # characters of a line of the letterhead or the signature
MOST_RECIPIENTS = 30


@dataclass
class Verdict:
    path: Path
    status: VerifyStatus
    problems: list[str] = field(default_factory=list)
    manifest: dict | None = None
    trusted_by: Enrolment | None = None
    trust_note: str | None = None
    entries: dict[str, bytes] = field(default_factory=dict, repr=False)
    data: dict | None = field(default=None, repr=False)  # so-lieu.json, parsed once for whoever files the packet
    retry_later: bool = False  # invalid only for want of its form version here: may be filed once it arrives

    @property
    def exit_code(self) -> int:
        return VerifyStatus(self.status).exit_code

    @property
    def intact(self) -> bool:
        """Whole and correctly signed, trusted or not."""
        return self.status in (VerifyStatus.VALID, VerifyStatus.UNTRUSTED)

    def headline(self) -> str:
        if self.status == VerifyStatus.UNREADABLE:
            return self.problems[0]
        if self.status == VerifyStatus.INVALID:
            return f"KHÔNG HỢP LỆ: {self.problems[0]}" + (
                f" (và {len(self.problems) - 1} lỗi khác)" if self.problems[1:] else ""
            )
        if self.status == VerifyStatus.UNTRUSTED:
            return f"CHƯA TIN CẬY: {self.describe()}. {self.trust_note}"
        return f"HỢP LỆ: {self.describe()}."

    def lines(self) -> list[str]:
        """What a person reads: the verdict first, then the details."""
        manifest = self.manifest
        if self.status == VerifyStatus.UNREADABLE:
            return []  # the one line on stderr says it all
        if self.status == VerifyStatus.INVALID:
            head = "KHÔNG HỢP LỆ:"
            if manifest:
                unit, form, period = manifest["unit"], manifest["form"], manifest["period"]
                head += f" gói ghi là của {unit['name']}, biểu {form['id']}, {period['label']}."
            return [head, *(f"- {p[0].upper()}{p[1:]}" for p in self.problems)]
        lines = [self.headline()]
        if self.trusted_by:
            lines.append(f"Khóa tin cậy: tệp đăng ký của {self.trusted_by.unit_name}, {self.trusted_by.holder_name}.")
        if self.intact:
            summary = manifest["summary"]
            lines.append(
                f"Tạo lúc {vnformat.datetime_text(manifest['created_at'])}; "
                f"{summary['errors']} lỗi, {summary['warnings']} cảnh báo "
                f"({summary['warnings_explained']} đã giải trình), {summary['cells_missing']} ô chưa nhập."
            )
            if manifest.get("kind") == MERGED_KIND and isinstance(manifest.get("children"), list):
                lines.append(
                    f"Bảng tổng hợp từ {len(manifest['children'])} gói của đơn vị cấp dưới "
                    f"({summary.get('units_received', '?')}/{summary.get('units', '?')} đơn vị đã gửi)."
                )
        return lines

    def describe(self) -> str:
        m = self.manifest
        signer = m["signer"]
        return (
            f"gói của {m['unit']['name']} ({m['unit']['code']}), biểu {m['form']['id']} phiên bản "
            f"{m['form']['version']}, {m['period']['label']}, lần gửi {m['sequence']}; "
            f"ký bởi {signer['name']}, mã khóa {spoken_fingerprint(signer['fingerprint'])}"
        )

    def to_dict(self) -> dict:
        m = self.manifest or {}
        return {
            "file": str(self.path),
            "status": self.status,
            "exit_code": self.exit_code,
            "intact": self.intact,
            "trusted": self.status == VerifyStatus.VALID,
            "verdict": self.headline(),
            "problems": self.problems,
            "unit": m.get("unit"),
            "form": m.get("form"),
            "period": m.get("period"),
            "target_set": m.get("target_set"),
            "sequence": m.get("sequence"),
            "created_at": m.get("created_at"),
            "signer": m.get("signer"),
            "summary": m.get("summary"),
            "trusted_by": (
                {"unit_code": self.trusted_by.unit_code, "holder": self.trusted_by.holder_name}
                if self.trusted_by
                else None
            ),
        }


def verify_packet(path: str | Path, trusted: KeyRing | list[Enrolment], library: FormLibrary) -> Verdict:
    path = Path(path)
    try:
        raw = read_packet_file(path)
    except PacketUnreadable as exc:
        return Verdict(path, VerifyStatus.UNREADABLE, [str(exc)])
    return verify_packet_bytes(raw, path, trusted, library)


def verify_packet_bytes(
    raw: bytes, path: str | Path, trusted: KeyRing | list[Enrolment], library: FormLibrary
) -> Verdict:
    """The verdict on a packet already read (``path`` names it in messages)."""
    path = Path(path)
    ring = trusted if isinstance(trusted, KeyRing) else KeyRing(trusted)
    try:
        _refuse_enrolment(raw, path.name)
        container = container_of(raw, path.name)
        manifest = _manifest(container.entries, path.name)
    except PacketUnreadable as exc:
        return Verdict(path, VerifyStatus.UNREADABLE, [str(exc)])
    except PacketInvalid as exc:
        return Verdict(path, VerifyStatus.INVALID, [str(exc)])
    entries = container.entries
    problems = _file_problems(entries, manifest) + _signature_problems(entries, manifest)
    data = None
    if not problems:
        problems, data = _content_problems(entries, manifest, library)
    if not problems and (not container.canonical or list(entries) != [MANIFEST, SIGNATURE, *SIGNED_FILES]):
        problems.append(
            "nội dung các tệp còn nguyên nhưng vỏ zip của gói đã bị sửa hoặc nén lại bằng công cụ khác; "
            "hãy dùng đúng tệp do Sổ Chỉ Tiêu tạo ra."
        )
    if problems:
        form = manifest["form"]
        retry = problems == [_form_missing(form)]
        return Verdict(path, VerifyStatus.INVALID, problems, manifest, retry_later=retry)
    verdict = Verdict(path, VerifyStatus.UNTRUSTED, [], manifest, entries=entries, data=data)
    _judge_trust(verdict, ring)
    return verdict


# ---- the manifest --------------------------------------------------------------------


def _refuse_enrolment(raw: bytes, name: str) -> None:
    """A unit's enrolment file (.sctk) brought with its packets: say what it is and where it goes."""
    if not (name.lower().endswith(enrolment.SUFFIX) or raw[:1] == b"{") or len(raw) > enrolment.MAX_BYTES:
        return
    try:
        data = loads_strict(raw)
    except StrictJsonError:
        return
    if not isinstance(data, dict) or data.get("format") != enrolment.FORMAT:
        return
    unit = data.get("unit")
    unit_name = unit.get("name") if isinstance(unit, dict) else None
    whose = f" của {unit_name[:80]}" if isinstance(unit_name, str) and unit_name.strip() else ""
    raise PacketUnreadable(
        f"Tệp “{name}” là tệp đăng ký khóa{whose}, không phải gói báo cáo: "
        "dùng Gói › Đăng ký khóa cấp dưới... để đăng ký."
    )


def _manifest(entries: dict[str, bytes], name: str) -> dict:
    if MANIFEST not in entries:
        if not {SIGNATURE, PUBLIC_KEY, *SIGNED_FILES} & set(entries):
            raise PacketUnreadable(not_a_packet(name))
        raise PacketInvalid(_damaged("gói thiếu bản kê các tệp đã ký"))
    raw = entries[MANIFEST]
    if len(raw) > MAX_MANIFEST_BYTES:
        raise PacketInvalid(_damaged("bản kê của gói quá lớn"))
    try:
        manifest = loads_strict(raw)
    except StrictJsonError as exc:
        raise PacketInvalid(_damaged(f"bản kê của gói không đọc được ({exc})")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PacketUnreadable(not_a_packet(name))
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise PacketUnreadable(
            f"Gói theo định dạng phiên bản {version!r}, chương trình này chỉ đọc phiên bản {FORMAT_VERSION}; "
            "hãy cập nhật Sổ Chỉ Tiêu."
        )
    _check_manifest_shape(manifest)
    return manifest


# (path in the manifest, type it must have)
_MANIFEST_FIELDS = (
    (("unit", "code"), str),
    (("unit", "name"), str),
    (("form", "id"), str),
    (("form", "version"), int),
    (("period", "code"), str),
    (("period", "label"), str),
    (("sequence",), int),
    (("created_at",), str),
    (("signer", "name"), str),
    (("signer", "fingerprint"), str),
    (("files",), list),
    (("summary", "errors"), int),
    (("summary", "warnings"), int),
    (("summary", "warnings_explained"), int),
    (("summary", "cells_missing"), int),
)


def _check_manifest_shape(manifest: dict) -> None:
    for keys, kind in _MANIFEST_FIELDS:
        value = manifest
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, kind) or isinstance(value, bool):
            raise PacketInvalid(_damaged(f"bản kê của gói thiếu hoặc ghi sai {_field(keys)}"))
        if kind is int and not -LARGEST_FIELD <= value <= LARGEST_FIELD:
            raise PacketInvalid(_damaged(f"bản kê của gói ghi {_field(keys)} là số quá lớn ({str(value)[:24]})"))
    for keys in (("unit", "code"), ("form", "id"), ("period", "code")):
        code = manifest[keys[0]][keys[1]]
        if not _CODE.match(code):
            raise PacketInvalid(_damaged(f"bản kê của gói ghi {_field(keys)} sai dạng (“{code[:40]}”)"))
    if not _HEX64.match(manifest["signer"]["fingerprint"]):
        raise PacketInvalid(_damaged(f"bản kê của gói ghi {_field(('signer', 'fingerprint'))} sai dạng"))
    for item in manifest["files"]:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("sha256"), str)
            and isinstance(item.get("size"), int)
        ):
            raise PacketInvalid(_damaged(f"bản kê của gói ghi {_field(('files',))} sai dạng"))
    plausibility = manifest["summary"].get("plausibility", 0)  # counted apart since issue 20
    if isinstance(plausibility, bool) or not isinstance(plausibility, int) or not 0 <= plausibility <= LARGEST_FIELD:
        raise PacketInvalid(_damaged(f"bản kê của gói ghi {_field(('summary', 'plausibility'))} sai dạng"))
    publisher = manifest["form"].get("publisher")
    if publisher is not None and not (isinstance(publisher, str) and _PUBLISHER.match(publisher)):
        raise PacketInvalid(_damaged(f"bản kê của gói ghi {_field(('form', 'publisher'))} sai dạng"))
    if "page" in manifest:
        _check_page(manifest["page"])


def _check_page(page) -> None:
    """The optional "page" (packets since issue 17): how bieu.xlsx is laid out and its header lines."""
    if not isinstance(page, dict):
        raise PacketInvalid(_damaged(f"bản kê của gói ghi {_field(('page',))} sai dạng"))
    if page.get("mode") not in PAGE_MODES:
        raise PacketInvalid(
            _damaged(f"bản kê của gói ghi {_field(('page', 'mode'))} sai dạng (“{str(page.get('mode'))[:40]}”)")
        )
    for name in PAGE_TEXTS:
        value = page.get(name)
        if not isinstance(value, str) or len(value) > LONGEST_PAGE_TEXT:
            raise PacketInvalid(_damaged(f"bản kê của gói thiếu hoặc ghi sai {_field(('page', name))}"))
    recipients = page.get("recipients")
    if not (
        isinstance(recipients, list)
        and len(recipients) <= MOST_RECIPIENTS
        and all(isinstance(r, str) and len(r) <= LONGEST_PAGE_TEXT for r in recipients)
    ):
        raise PacketInvalid(_damaged(f"bản kê của gói thiếu hoặc ghi sai {_field(('page', 'recipients'))}"))
    day = page.get("date")
    try:
        if not isinstance(day, str) or not _ISO_DATE.match(day):
            raise ValueError(day)
        dt.date.fromisoformat(day)
    except ValueError:
        shown = str(day)[:40]
        raise PacketInvalid(
            _damaged(f"bản kê của gói ghi ngày của trang in “{shown}” không phải ngày có thật")
        ) from None


# ---- the checks ------------------------------------------------------------------------


def _file_problems(entries: dict[str, bytes], manifest: dict) -> list[str]:
    listed = {item["name"]: item for item in manifest["files"]}
    problems = [f"bản kê không ghi tệp {name}." for name in SIGNED_FILES if name not in listed]
    for name, item in listed.items():
        if name not in entries:
            problems.append(f"thiếu tệp {name} trong gói.")
        elif hashlib.sha256(entries[name]).hexdigest() != item["sha256"] or len(entries[name]) != item["size"]:
            problems.append(f"tệp {name} đã bị thay đổi sau khi ký (không khớp với bản kê của gói).")
    for name in entries:
        if name not in listed and name not in (MANIFEST, SIGNATURE):
            problems.append(f"gói có tệp lạ {name} không ghi trong bản kê.")
    return problems


def _signature_problems(entries: dict[str, bytes], manifest: dict) -> list[str]:
    if SIGNATURE not in entries:
        return ["thiếu chữ ký manifest.sig trong gói."]
    if PUBLIC_KEY not in entries:
        return []  # already said: the key file is missing
    try:
        key = load_public_pem(entries[PUBLIC_KEY])
    except BadInput as exc:
        return [f"tệp {PUBLIC_KEY}: {exc}"]
    if fingerprint_of(key) != manifest["signer"]["fingerprint"]:
        return ["gói được ký bằng một khóa khác với khóa mà bản kê ghi tên."]
    try:
        key.verify(entries[SIGNATURE], entries[MANIFEST])
    except InvalidSignature:
        return [_damaged("chữ ký không khớp với bản kê: bản kê đã bị sửa, hoặc không do khóa này ký")]
    return []


def _content_problems(entries: dict[str, bytes], manifest: dict, library: FormLibrary) -> tuple[list[str], dict]:
    problems = []
    form = manifest["form"]
    if form_of(library, form) is None:
        problems.append(_form_missing(form))
    try:
        period = parse_period(manifest["period"]["code"])
        if period.code != manifest["period"]["code"]:
            raise BadInput("")
    except BadInput:
        problems.append(f"kỳ báo cáo “{manifest['period']['code']}” trong bản kê không hợp lệ.")
    data = None
    try:
        data = loads_strict(entries[DATA_JSON])
        same = (
            data["unit"]["code"] == manifest["unit"]["code"]
            and data["form"]["id"] == form["id"]
            and data["form"]["version"] == form["version"]
            and data["period"]["code"] == manifest["period"]["code"]
        )
    except StrictJsonError as exc:
        problems.append(f"tệp {DATA_JSON} không đọc được: {exc}.")
        return problems, None
    except (KeyError, TypeError):
        same = False
    if not same:
        problems.append(f"tệp {DATA_JSON} không khớp với bản kê (đơn vị, biểu hoặc kỳ khác).")
    elif problem := plausibility_problem(data):  # the findings' params and history (issue 20)
        problems.append(problem)
    # The printable form must hold the figures of so-lieu.json and no formula (issue 15).
    definition = form_of(library, form)
    if same and definition is not None and (sheet := sheet_problem(entries[FORM_XLSX], data, definition)):
        problems.append(sheet)
    return problems, data


def _form_missing(form: dict) -> str:
    publisher = form.get("publisher")
    if publisher:  # a version a level published: only that level's own publication brings it here
        return (
            f"biểu {form['id'][:40]} phiên bản {form['version']} do đơn vị {publisher} ban hành chưa có ở đây "
            "(đơn vị đó chưa ban hành phiên bản này cho nơi nhận); gói được giữ lại và tự nhận khi có biểu."
        )
    return (
        f"biểu {form['id'][:40]} phiên bản {form['version']} chưa có trong chương trình này; "
        "hãy cập nhật tệp biểu mẫu (gói được giữ lại và tự nhận khi có biểu)."
    )


def _judge_trust(verdict: Verdict, trusted: KeyRing) -> None:
    manifest = verdict.manifest
    fingerprint, unit_code = manifest["signer"]["fingerprint"], manifest["unit"]["code"]
    same_key = trusted.with_fingerprint(fingerprint)
    match = next((e for e in same_key if e.unit_code == unit_code), None)
    replaced = next((e for e in same_key if e.unit_code == unit_code and e.replaced_at), None)
    if replaced is not None and not _before(manifest["created_at"], replaced.replaced_at):
        # Only as good as the packet's own date, which the key's holder writes; still,
        # the old key of a unit that replaced it is not trusted for anything newer.
        verdict.trust_note = (
            f"Khóa này đã được {replaced.unit_name} thay bằng khóa mới lúc "
            f"{vnformat.datetime_text(replaced.replaced_at)}; gói ký sau lúc đó không nhận theo khóa cũ."
        )
    elif match is not None:
        verdict.status, verdict.trusted_by = VerifyStatus.VALID, match
    elif same_key:
        other = same_key[0]
        verdict.trust_note = (
            f"Khóa này được đăng ký cho {other.unit_name} ({other.unit_code}), không phải cho đơn vị của gói."
        )
    elif trusted:
        verdict.trust_note = (
            "Khóa ký không có trong các khóa tin cậy đã cho; hãy gọi điện đọc mã khóa với người ký "
            "rồi nhận tệp đăng ký khóa của họ."
        )
    else:
        verdict.trust_note = "Chưa cho khóa tin cậy nào (--trust TỆP.sctk) để so người ký."


def _before(stamp: str, limit: str) -> bool:
    try:
        return dt.datetime.fromisoformat(stamp) < dt.datetime.fromisoformat(limit)
    except (ValueError, TypeError):
        return False  # a date that cannot be read is not before anything
