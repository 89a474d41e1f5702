"""The publication file (.sctp): what the upper level sends down, signed.

One small zip of the packet family (exports/packets/container.py's canonical
form): ``phat-hanh.json`` (the manifest), ``phat-hanh.sig`` (its Ed25519
signature by the publishing unit's key) and ``signer.pub.pem``, so openssl
checks it as it checks a packet or a receipt (docs/packet-format.md). The
manifest's ``kind`` says what it carries:

- ``form``: a form version the issuer published, as definition data
  (forms/definition_data.py, ``publisher`` = the issuer) with its SHA-256;
- ``collection``: a collection notice: which form version, which period,
  the deadline and a note;
- ``target_set``: a target set the issuer set for a form id
  (models/target_store.py), every version of it, owned by the issuer.

A reader that meets a kind it does not know says the file is of a newer
program.

Read back with limits: the file's size, its entries, and every field within
its bounds; anything wrong is a Vietnamese refusal (PacketUnreadable: not a
publication at all; PacketInvalid: damaged, altered or out of bounds).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from exports.packets.container import (
    ZIP_MAGIC,
    PacketInvalid,
    PacketUnreadable,
    canonical_zip,
    container_of,
    read_within,
)
from exports.packets.format import PUBLIC_KEY, json_bytes
from exports.strict_json import loads_strict
from forms import vnformat
from forms.definition_data import data_sha256
from forms.loader import FormErrors, form_from_data
from forms.schema import TARGET_OPS, FormDef
from models.about import APP_NAME, APP_VERSION
from models.errors import BadInput, UserError
from models.keys import KeyInfo, fingerprint_of, load_public_pem, spoken_fingerprint
from models.periods import parse_period
from models.units import Unit

FORMAT = "so-chi-tieu.publication"
FORMAT_VERSION = 1
SUFFIX = ".sctp"
MANIFEST = "phat-hanh.json"
SIGNATURE = "phat-hanh.sig"
ENTRIES = (MANIFEST, SIGNATURE, PUBLIC_KEY)
FORM, COLLECTION, TARGET_SET, REOPENING = "form", "collection", "target_set", "reopening"
KINDS = (FORM, COLLECTION, TARGET_SET, REOPENING)

MAX_FILE_BYTES = 4 * 1024 * 1024  # a form of 500 indicators is ~300 KB of JSON
MAX_TEXT = 200  # a name, a title
MAX_NOTE = 1000
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FIRST_DAY, _LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
MAX_SET_VERSIONS = 100  # a set revised every month for eight years
MAX_TARGETS = 500  # one per indicator of the largest form
MAX_COUNT = 10**12  # a count target: people, households, đồng
_SET_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_INDICATOR_ID = re.compile(r"[a-z_][a-z0-9_]{0,79}")
_PERCENT = re.compile(r"(0|[1-9][0-9]{0,2})(\.[0-9]{1,6})?")
_TIERS = ("tw", "tinh", "huyen", "xa", "thon")
_SET_FIELDS = {"form_id", "owner", "id", "tier", "versions"}
_VERSION_FIELDS = {"version", "name", "source_number", "source_date", "from", "targets"}


@dataclass(frozen=True)
class Publication:
    """A publication file read back, its signature checked against the key it carries."""

    data: dict
    raw: bytes
    name: str  # the file's name, for messages

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def fingerprint(self) -> str:
        return self.data["signer"]["fingerprint"]

    @property
    def issuer_code(self) -> str:
        return self.data["issuer"]["code"]

    @property
    def issuer_name(self) -> str:
        return self.data["issuer"]["name"]

    @property
    def issued_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.data["issued_at"])

    @property
    def form_key(self) -> tuple[str, str, int]:
        """(form id, publisher, version) of the form it carries or asks for."""
        if self.kind == FORM:
            form = self.data["form"]
            return (form["id"], form["publisher"], form["version"])
        if self.kind == TARGET_SET:  # a set is for a form id, whichever version fits it: no publisher, 0
            return (self.data["target_set"]["form_id"], "", 0)
        if self.kind == REOPENING:  # a report of a unit, whichever version it was filled with
            return (self.data["reopening"]["form_id"], "", 0)
        notice = self.data["collection"]
        return (notice["form_id"], notice["publisher"], notice["version"])

    def form(self) -> FormDef:
        """The form a ``form`` publication carries, through every check a definition file passes."""
        return form_from_data(self.data["form"], self.name)

    def words(self) -> str:
        """What it is, in a sentence: “biểu kl224 phiên bản 2 do Tỉnh Lai Châu ban hành”, or the notice."""
        form_id, _, version = self.form_key
        if self.kind == FORM:
            return f"biểu {form_id} phiên bản {version} do {self.issuer_name} ban hành"
        if self.kind == TARGET_SET:
            target_set = self.data["target_set"]
            latest = target_set["versions"][-1]
            return (
                f"bộ mục tiêu “{latest['name']}” ({target_set['id']}, phiên bản {latest['version']}) của biểu "
                f"{form_id} do {self.issuer_name} đặt"
            )
        if self.kind == REOPENING:
            reopening = self.data["reopening"]
            return (
                f"thông báo mở lại báo cáo biểu {form_id} kỳ {parse_period(reopening['period_code']).label} của đơn vị "
                f"{reopening['unit_code']} do {self.issuer_name} gửi (lý do: {reopening['reason']})"
            )
        notice = self.data["collection"]
        period = parse_period(notice["period_code"])
        return (
            f"thông báo của {self.issuer_name}: nộp biểu {form_id} (phiên bản {version}) kỳ {period.label} "
            f"trước ngày {vnformat.date(notice['deadline'])}"
        )

    def signer_words(self) -> str:
        signer = self.data["signer"]
        return f"ký bởi {signer['name']}, mã khóa {spoken_fingerprint(signer['fingerprint'])}"


# ---- writing (upper level) ---------------------------------------------------------------


def publication_data(kind: str, issuer: Unit, key: KeyInfo, at: dt.datetime, body: dict) -> dict:
    """phat-hanh.json; ``body`` {"form": data, "form_sha256": hash}, {"collection": notice} or
    {"target_set": set}."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app": {"name": APP_NAME, "version": APP_VERSION},
        "kind": kind,
        "issuer": {"code": issuer.code, "name": issuer.name},
        "issued_at": at.isoformat(timespec="seconds"),
        "signer": {
            "name": key.holder_name,
            "title": key.holder_title,
            "fingerprint": key.fingerprint,
            "spoken": key.spoken,
        },
        **body,
    }


def signed_publication(data: dict, key: KeyInfo, private: Ed25519PrivateKey) -> bytes:
    """The file's bytes: the manifest, its signature, the signer's public key."""
    manifest = json_bytes(data)
    return canonical_zip(
        [(MANIFEST, manifest), (SIGNATURE, private.sign(manifest)), (PUBLIC_KEY, key.public_pem.encode())]
    )


def publication_file_name(data: dict) -> str:
    """ASCII, like a packet's: ``12_kl224_v2_bieu-mau.sctp``, ``12_kl224_v2_2026_thu-bieu.sctp``,
    ``12_kl224_tinh-2026_v2_muc-tieu.sctp``."""
    form_id, _, version = Publication(data, b"", "").form_key
    if data["kind"] == TARGET_SET:
        target_set = data["target_set"]
        latest = target_set["versions"][-1]["version"]
        return f"{data['issuer']['code']}_{form_id}_{target_set['id']}_v{latest}_muc-tieu{SUFFIX}"
    if data["kind"] == FORM:
        return f"{data['issuer']['code']}_{form_id}_v{version}_bieu-mau{SUFFIX}"
    if data["kind"] == REOPENING:
        reopening = data["reopening"]
        return f"{data['issuer']['code']}_{form_id}_{reopening['period_code']}_{reopening['unit_code']}_mo-lai{SUFFIX}"
    return f"{data['issuer']['code']}_{form_id}_v{version}_{data['collection']['period_code']}_thu-bieu{SUFFIX}"


# ---- reading (commune) -------------------------------------------------------------------


def read_publication(path: str | Path) -> Publication:
    """A publication file, whole, within bounds and signed by the key it carries; PacketUnreadable
    (not one, or unreadable) or PacketInvalid (damaged, altered, out of bounds) otherwise."""
    path = Path(path)
    name = path.name
    raw = read_within(path, MAX_FILE_BYTES, "tệp phát hành", "một tệp phát hành")
    if not raw.startswith(ZIP_MAGIC):
        raise PacketUnreadable(_not_one(name))
    try:
        container = container_of(raw, name)
    except UserError:
        if not name.lower().endswith(SUFFIX):  # another zip: a workbook, a document, an archive
            raise PacketUnreadable(_not_one(name)) from None
        raise PacketInvalid(f"Tệp phát hành “{name}” bị hỏng hoặc bị cắt cụt; hãy xin cấp trên gửi lại.") from None
    entries = container.entries
    if MANIFEST not in entries:
        raise PacketUnreadable(_not_one(name))
    try:
        data = loads_strict(entries[MANIFEST])  # StrictJsonError is a ValueError: "bị hỏng" below
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise PacketUnreadable(f"Tệp “{name}” không phải tệp phát hành của Sổ Chỉ Tiêu.")
        if data.get("format_version") != FORMAT_VERSION or data.get("kind") not in KINDS:
            raise PacketUnreadable(f"Tệp phát hành “{name}” theo định dạng mới hơn; hãy cập nhật Sổ Chỉ Tiêu.")
        key = load_public_pem(entries[PUBLIC_KEY])
        if fingerprint_of(key) != data["signer"]["fingerprint"]:
            raise PacketInvalid(f"Tệp phát hành “{name}” được ký bằng một khóa khác với khóa ghi trong tệp.")
        key.verify(entries[SIGNATURE], entries[MANIFEST])
    except InvalidSignature:
        raise PacketInvalid(f"Tệp phát hành “{name}” không hợp lệ: chữ ký không khớp, tệp đã bị sửa.") from None
    except (ValueError, KeyError, TypeError, AttributeError, BadInput):
        raise PacketInvalid(f"Tệp phát hành “{name}” bị hỏng hoặc thiếu thông tin.") from None
    if list(entries) != list(ENTRIES) or not container.canonical:
        raise PacketInvalid(f"Tệp phát hành “{name}” đã bị nén lại hoặc thêm bớt tệp; hãy xin lại bản gốc.")
    problem = shape_problem(data)
    if problem:
        raise PacketInvalid(f"Tệp phát hành “{name}” có nội dung không hợp lệ: {problem}; không nhập.")
    publication = Publication(data, raw, name)
    if publication.kind == FORM:
        try:
            publication.form()
        except FormErrors as exc:
            raise PacketInvalid(f"Biểu mẫu trong tệp “{name}” không hợp lệ: {exc.errors[0]}") from None
    return publication


def _not_one(name: str) -> str:
    return (
        f"Tệp “{name}” không phải tệp phát hành của Sổ Chỉ Tiêu (biểu mẫu, bộ mục tiêu hoặc thông báo thu biểu "
        f"{SUFFIX} do cấp trên gửi xuống)."
    )


def shape_problem(data: dict) -> str | None:
    """What is out of bounds in a manifest whose signature holds (a signed mistake is still refused), or None."""
    try:
        issuer, signer = data["issuer"], data["signer"]
        if not _code(issuer["code"]) or not _text(issuer["name"]) or not _text(signer["name"]):
            return "thiếu hoặc sai đơn vị ban hành, người ký"
        if not _text(signer.get("title", ""), empty=True) or not _HEX64.fullmatch(signer["fingerprint"]):
            return "sai thông tin người ký"
        at = dt.datetime.fromisoformat(data["issued_at"])
        if at.tzinfo is None or not _FIRST_DAY <= at.date() <= _LAST_DAY:
            return "sai thời điểm ban hành"
        extra = set(data) - {"format", "format_version", "app", "kind", "issuer", "issued_at", "signer"}
        if data["kind"] == FORM:
            return _form_problem(data, issuer["code"], extra)
        if data["kind"] == TARGET_SET:
            return _target_set_problem(data["target_set"], issuer["code"], extra)
        if data["kind"] == REOPENING:
            return _reopening_problem(data["reopening"], extra)
        return _notice_problem(data["collection"], extra)
    except (KeyError, TypeError, ValueError, AttributeError):
        return "thiếu thông tin bắt buộc"


def _form_problem(data: dict, issuer: str, extra: set) -> str | None:
    form = data["form"]
    if extra != {"form", "form_sha256"} or not isinstance(form, dict):
        return "thiếu hoặc thừa phần biểu mẫu"
    if form.get("publisher") != issuer:
        return "biểu mẫu không ghi đơn vị ban hành là đơn vị đã ký"
    if data["form_sha256"] != data_sha256(form):
        return "mã kiểm tra của biểu mẫu không khớp"
    if not _code(form.get("id")) or not _version(form.get("version")):
        return "sai mã biểu hoặc phiên bản"
    return None


def _reopening_problem(reopening: dict, extra: set) -> str | None:
    if extra != {"reopening"} or not isinstance(reopening, dict):
        return "thiếu hoặc thừa phần thông báo mở lại"
    if set(reopening) != {"unit_code", "form_id", "period_code", "reason"}:
        return "thông báo mở lại thiếu hoặc thừa mục"
    if not _code(reopening["unit_code"]) or not _code(reopening["form_id"]):
        return "sai mã đơn vị hoặc mã biểu"
    try:
        parse_period(reopening["period_code"])
    except BadInput:
        return "sai mã kỳ báo cáo"
    if not _text(reopening["reason"]):
        return "thiếu hoặc sai lý do mở lại"
    return None


def _notice_problem(notice: dict, extra: set) -> str | None:
    if extra != {"collection"} or not isinstance(notice, dict):
        return "thiếu hoặc thừa phần thông báo"
    if set(notice) != {"form_id", "publisher", "version", "period_code", "deadline", "note"}:
        return "thông báo thiếu hoặc thừa mục"
    if not _code(notice["form_id"]) or not _version(notice["version"]):
        return "sai mã biểu hoặc phiên bản"
    if not (notice["publisher"] == "" or _code(notice["publisher"])):
        return "sai đơn vị ban hành biểu"
    try:
        parse_period(notice["period_code"])
    except BadInput:
        return "sai mã kỳ báo cáo"
    if not isinstance(notice["period_code"], str) or parse_period(notice["period_code"]).code != notice["period_code"]:
        return "sai mã kỳ báo cáo"
    deadline = dt.date.fromisoformat(notice["deadline"])
    if not _FIRST_DAY <= deadline <= _LAST_DAY or deadline.isoformat() != notice["deadline"]:
        return "sai hạn nộp"
    if not _text(notice["note"], empty=True, limit=MAX_NOTE):
        return "lời dặn quá dài hoặc không phải chữ"
    return None


def _target_set_problem(target_set: dict, issuer: str, extra: set) -> str | None:
    if extra != {"target_set"} or not isinstance(target_set, dict):
        return "thiếu hoặc thừa phần bộ mục tiêu"
    if set(target_set) != _SET_FIELDS:
        return "bộ mục tiêu thiếu hoặc thừa mục"
    if target_set["owner"] != issuer:
        return "bộ mục tiêu không ghi đơn vị đặt là đơn vị đã ký"
    if not _code(target_set["form_id"]) or not _id(_SET_ID, target_set["id"]) or target_set["tier"] not in _TIERS:
        return "sai mã biểu, mã bộ mục tiêu hoặc cấp"
    versions = target_set["versions"]
    if not isinstance(versions, list) or not 1 <= len(versions) <= MAX_SET_VERSIONS:
        return f"bộ mục tiêu phải có từ 1 đến {MAX_SET_VERSIONS} phiên bản"
    before = None
    for number, version in enumerate(versions, start=1):
        if not isinstance(version, dict) or set(version) != _VERSION_FIELDS:
            return f"phiên bản thứ {number} của bộ mục tiêu thiếu hoặc thừa mục"
        if not _version(version["version"]) or version["version"] != number:
            return "các phiên bản của bộ mục tiêu phải đánh số liền nhau từ 1"
        if not _text(version["name"]) or not _text(version["source_number"]):
            return f"phiên bản {number}: tên hoặc số văn bản trống, quá dài hoặc không phải chữ"
        source_date, starts = _day(version["source_date"]), _day(version["from"])
        if source_date is None or starts is None:
            return f"phiên bản {number}: sai ngày văn bản hoặc ngày áp dụng"
        if before is not None and starts <= before:
            return f"phiên bản {number}: ngày áp dụng phải sau ngày áp dụng của phiên bản trước"
        before = starts
        problem = _targets_problem(version["targets"])
        if problem:
            return f"phiên bản {number}: {problem}"
    return None


def _targets_problem(targets) -> str | None:
    if not isinstance(targets, list) or not 1 <= len(targets) <= MAX_TARGETS:
        return f"phải có từ 1 đến {MAX_TARGETS} mục tiêu"
    seen = set()
    for target in targets:
        if not isinstance(target, dict) or not _id(_INDICATOR_ID, target.get("indicator")):
            return "mục tiêu thiếu hoặc sai mã chỉ tiêu"
        if target["indicator"] in seen:
            return f"chỉ tiêu {target['indicator']} có hai mục tiêu"
        seen.add(target["indicator"])
        if target.get("op") not in TARGET_OPS:
            return f"mục tiêu của {target['indicator']}: phép so sánh không hợp lệ"
        if set(target) == {"indicator", "op", "percent"}:
            value = target["percent"]
            if not _id(_PERCENT, value) or not 0 <= float(value) <= 100:
                return f"mục tiêu của {target['indicator']}: tỷ lệ phải là số từ 0 đến 100"
        elif set(target) == {"indicator", "op", "count"}:
            value = target["count"]
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
                return f"mục tiêu của {target['indicator']}: số lượng phải là số nguyên không âm"
        else:
            return f"mục tiêu của {target['indicator']}: phải có đúng một trong tỷ lệ hoặc số lượng"
    return None


def _day(value) -> dt.date | None:
    """An ISO date within bounds written as such, else None."""
    if not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if _FIRST_DAY <= day <= _LAST_DAY and day.isoformat() == value else None


def _id(pattern: re.Pattern, value) -> bool:
    return isinstance(value, str) and bool(pattern.fullmatch(value))


def _code(value) -> bool:
    return isinstance(value, str) and bool(_CODE.fullmatch(value))


def _version(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999


def _text(value, empty: bool = False, limit: int = MAX_TEXT) -> bool:
    return (
        isinstance(value, str)
        and (empty or bool(value.strip()))
        and len(value) <= limit
        and unicodedata.normalize("NFC", value) == value
        and not any(unicodedata.category(c) == "Cc" for c in value)
    )
