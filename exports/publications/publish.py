"""The upper level sends down, signed: a form version it published, a target
set it set (every version), or a collection notice (a form version, a period,
a deadline) which also opens, or extends, the same collection here."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from exports.atomic import output_path, write_atomically
from exports.publications.format import (
    COLLECTION,
    FORM,
    MAX_NOTE,
    REOPENING,
    TARGET_SET,
    Publication,
    publication_data,
    publication_file_name,
    signed_publication,
)
from forms import vnformat
from forms.definition_data import data_sha256, form_data
from forms.library import default_library
from models.errors import BadInput
from models.form_store import find_form, library_of
from models.gateway import Gateway
from models.keys import key_in_use, unlock_key
from models.periods import parse_period
from models.units import nfc


@dataclass(frozen=True)
class Published:
    path: Path
    data: dict  # the signed manifest
    sentence: str  # what the officer is told

    def to_dict(self) -> dict:
        """What ``forms publish --json`` and ``collection publish --json`` print."""
        return {"file": str(self.path), "publication": self.data}


def publish_form(
    gw: Gateway, form_id: str, version: int | None, passphrase: str, out: str | Path, who: str = "", *, at=None
) -> Published:
    """Sign a version of a form this unit published (the latest when ``version`` is None) into a .sctp file
    in ``out`` (a folder or a file name). BadInput: no such version of this unit's (a form shipped with the
    program or another unit's is not this unit's to publish), no signing key, a wrong passphrase."""
    home = _home(gw)
    form = _own_version(gw, home.code, form_id, version)
    data = form_data(form)
    return _sign(gw, FORM, {"form": data, "form_sha256": data_sha256(data)}, passphrase, out, who, at)


def publish_collection(
    gw: Gateway,
    form_id: str,
    version: int | None,
    period_code: str,
    deadline: dt.date | str,
    note: str,
    passphrase: str,
    out: str | Path,
    who: str = "",
    *,
    at=None,
) -> Published:
    """Sign a collection notice for the units below, and open the collection here with the same
    deadline (one record: ``gw.collections``); a notice for a form and period already collected extends
    (or brings forward) its deadline. The version asked for is this unit's own when it published one,
    else the program's (the latest unless ``version`` says). BadInput for a form, version or period
    that does not fit, a deadline before the period starts, no key, a wrong passphrase."""
    from exports.collect.inbox import open_collection

    home = _home(gw)
    library = library_of(gw)
    form = find_form(library, form_id, version, None, home.code)
    if form.publisher not in ("", home.code):
        raise BadInput(
            f"Biểu {form_id} phiên bản {form.version} do đơn vị {form.publisher} ban hành, không phải {home.name}."
        )
    period = gw.period(period_code)
    if period.kind not in form.period_kinds:
        raise BadInput(f"Biểu {form.id} không lập theo kỳ {period.in_sentence}.")
    day = dt.date.fromisoformat(deadline) if isinstance(deadline, str) else deadline
    if day < period.starts:
        raise BadInput(f"Hạn nộp {vnformat.date(day)} trước khi {period.in_sentence} bắt đầu.")
    note = nfc(" ".join(note.split()))
    if len(note) > MAX_NOTE:
        raise BadInput(f"Lời dặn dài quá {MAX_NOTE} ký tự.")
    before = gw.collections.get(form.id, period.code)
    notice = {
        "form_id": form.id,
        "publisher": form.publisher,
        "version": form.version,
        "period_code": period.code,
        "deadline": day.isoformat(),
        "note": note,
    }
    with gw.transaction():
        published = _sign(gw, COLLECTION, {"collection": notice}, passphrase, out, who, at)
        opened = open_collection(gw, form, period.code, day, library)
        gw.collections.open(form.id, period.code, day.isoformat(), (form.publisher, form.version))
    if before and before["deadline"] and before["deadline"] != day.isoformat():
        change = "gia hạn" if before["deadline"] < day.isoformat() else "rút ngắn hạn"
        said = f"Đã mở kỳ thu biểu {form.id}, {period.in_sentence}, hạn nộp {vnformat.date(day)}."
        opened = opened.replace(
            said,
            f"Đã {change} thu biểu {form.id}, {period.in_sentence}: từ {vnformat.date(before['deadline'])} "
            f"{'đến' if change == 'gia hạn' else 'về'} {vnformat.date(day)}.",
        )
    sentence = f"{published.sentence} {opened}"
    return Published(published.path, published.data, sentence)


def publish_target_set(
    gw: Gateway, form_id: str, set_id: str, passphrase: str, out: str | Path, who: str = "", *, at=None
) -> Published:
    """Sign a target set this unit set for ``form_id`` (models/target_store.py), with every version of it
    (the latest last), into a .sctp file in ``out`` (a folder or a file name). BadInput: no such set of
    this unit's (a set written in a form's file or set by another unit is not this unit's to send), no
    signing key, a wrong passphrase."""
    from models.target_store import kept_target_sets

    home = _home(gw)
    versions = [s for s in kept_target_sets(gw, form_id) if s.owner == home.code and s.set_id == set_id]
    if not versions:
        others = {s.id for f in library_of(gw).versions() if f.id == form_id for s in f.target_sets}
        if set_id in others:
            raise BadInput(
                f"Bộ mục tiêu “{set_id}” của biểu {form_id} không do {home.name} đặt (bộ kèm theo biểu hoặc "
                "của đơn vị khác): chỉ gửi xuống được bộ mục tiêu đơn vị tự đặt (targets set)."
            )
        raise BadInput(f"{home.name} chưa đặt bộ mục tiêu “{set_id}” cho biểu {form_id}.")
    body = {
        "target_set": {
            "form_id": form_id,
            "owner": home.code,
            "id": set_id,
            "tier": versions[-1].tier,
            "versions": [
                {
                    "version": v.version,
                    "name": v.name,
                    "source_number": v.source_number,
                    "source_date": v.source_date.isoformat(),
                    "from": v.starts.isoformat(),
                    "targets": [dict(t) for t in v.targets],
                }
                for v in versions
            ],
        }
    }
    return _sign(gw, TARGET_SET, body, passphrase, out, who, at)


def publish_reopening(
    gw: Gateway,
    unit_code: str,
    form_id: str,
    period_code: str,
    reason: str,
    passphrase: str,
    out: str | Path,
    who: str = "",
    *,
    at=None,
) -> Published:
    """Sign a reopening of one unit's report (a lock exception): the unit, directly below this one, may
    correct the report it sent and this level received, and send the next sequence, which this level then
    files as usual. BadInput: a unit not directly below, an unknown form or period, no reason, no key."""
    home = _home(gw)
    unit = gw.require_unit(unit_code)
    if unit.parent_code != home.code:
        raise BadInput(f"{unit.name} không trực thuộc {home.name}: chỉ mở lại báo cáo của đơn vị trực thuộc.")
    period = parse_period(period_code)
    reason = " ".join(reason.split())
    if not reason:
        raise BadInput("Mở lại báo cáo thì phải ghi lý do, để đơn vị biết sửa gì.")
    if len(reason) > 1000:
        raise BadInput("Lý do mở lại dài quá 1.000 ký tự.")
    body = {"reopening": {"unit_code": unit.code, "form_id": form_id, "period_code": period.code, "reason": reason}}
    return _sign(gw, REOPENING, body, passphrase, out, who, at)


def _home(gw: Gateway):
    code = gw.setting("home_unit")
    if not code:
        raise BadInput("Cơ sở dữ liệu này chưa thiết lập đơn vị: chưa phát hành được.")
    return gw.require_unit(code)


def _own_version(gw: Gateway, home: str, form_id: str, version: int | None):
    own = [f for f in library_of(gw).versions() if f.id == form_id and f.publisher == home]
    if version is not None:
        own = [f for f in own if f.version == version]
    if own:
        return max(own, key=lambda f: f.version)
    asked = f"biểu {form_id}" + (f" phiên bản {version}" if version else "")
    if default_library().get(form_id, version) is not None or any(f.id == form_id for f in library_of(gw).versions()):
        raise BadInput(
            f"Đơn vị chưa ban hành {asked}: chỉ gửi xuống được phiên bản do đơn vị soạn và lưu "
            "(forms import); biểu kèm theo chương trình hoặc của đơn vị khác thì cấp dưới đã có "
            "hoặc nhận từ nơi ban hành."
        )
    raise BadInput(f"Không có {asked}.")


def _sign(gw: Gateway, kind: str, body: dict, passphrase: str, out, who: str, at) -> Published:
    home = _home(gw)
    key = key_in_use(gw, home.code)
    if key is None:
        raise BadInput(f"{home.name} chưa có khóa ký; hãy tạo khóa ký của đơn vị trước.")
    private = unlock_key(gw, key, passphrase)
    at = (at or dt.datetime.now(dt.UTC)).astimezone()
    data = publication_data(kind, home, key, at, body)
    zipped = signed_publication(data, key, private)
    path = output_path(out, publication_file_name(data))
    form_id, publisher, version = Publication(data, b"", "").form_key
    notice = body.get("collection") or body.get("reopening", {})
    with gw.transaction():
        gw.publications.record_issued(
            {
                "kind": kind,
                "form_id": form_id,
                "form_publisher": publisher,
                "form_version": version,
                "period_code": notice.get("period_code"),
                "deadline": notice.get("deadline"),
                "note": notice.get("note", notice.get("reason")),
                "issued_at": data["issued_at"],
                "issued_by": who,
                "fingerprint": key.fingerprint,
                "file_name": path.name,
                "file_sha256": hashlib.sha256(zipped).hexdigest(),
                "unit_code": notice.get("unit_code"),
            }
        )
        write_atomically(path, zipped)
    what = {
        FORM: f"biểu {form_id} phiên bản {version}",
        COLLECTION: f"thông báo thu biểu {form_id} (phiên bản {version})",
        TARGET_SET: f"bộ mục tiêu {body.get('target_set', {}).get('id')} của biểu {form_id}",
        REOPENING: f"thông báo mở lại báo cáo biểu {form_id} của đơn vị {notice.get('unit_code')}",
    }[kind]
    return Published(path, data, f"Đã ký và lưu {what} “{path}” để gửi xuống cấp dưới.")
