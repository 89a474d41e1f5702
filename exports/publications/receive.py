"""Commune side: a publication of the unit directly above, imported.

Trust as for receipts (exports/packets/answers.py): signed by a key enrolled
for the unit above, it is applied at once (a form kept as that unit's
version, a target set kept as that unit's with every version, a collection
notice a to-do with its deadline); before any key of
that unit is enrolled, it is held, and applied when its key is enrolled
(``apply_held``, called by exports/collect/trust.enrol); once a key is
enrolled, a file signed by another is refused. Everything of one import is
one transaction: a refusal keeps nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from exports.packets.container import PacketInvalid
from exports.publications.format import COLLECTION, FORM, REOPENING, TARGET_SET, Publication, read_publication
from forms import vnformat
from models.errors import BadInput
from models.form_store import library_of, store_form
from models.gateway import Gateway
from models.keys import spoken_fingerprint
from models.tables.publications import APPLIED, HELD, OLDER, REFUSED
from models.tables.target_sets import StoredTargetSet
from models.target_store import TargetSetRefused, keep_received_target_set
from models.vocabulary import FormOrigin

ALREADY = "already"  # the outcome of a file imported before


class PublicationRefused(BadInput):
    """A publication that is whole and signed, but not to be applied here: exit 1."""

    exit_code = 1


@dataclass(frozen=True)
class ReceivedPublication:
    publication: Publication
    status: str  # applied, held or already (the file was imported before; ``was`` its standing then)
    sentence: str
    was: str = ""

    @property
    def headline(self) -> str:
        """One short sentence for a window's band: the whole ``sentence``, or for one held what is held and why."""
        if self.status != HELD:
            return self.sentence
        return (
            f"Đã giữ lại {self.publication.words()}, chưa áp dụng: máy này chưa đăng ký khóa của "
            f"{self.publication.issuer_name}; tệp được áp dụng khi đăng ký khóa."
        )

    @property
    def held(self) -> bool:
        return self.status == HELD or self.was == HELD

    def to_dict(self) -> dict:
        """What ``publication import --json`` prints."""
        return {
            "status": self.status,
            "was": self.was or None,
            "kind": self.publication.kind,
            "issuer": self.publication.data["issuer"],
            "issued_at": self.publication.data["issued_at"],
            "form": dict(zip(("id", "publisher", "version"), self.publication.form_key, strict=True)),
            "collection": self.publication.data.get("collection"),
            "target_set": self.publication.data.get("target_set"),
            "text": self.sentence,
        }


def import_publication(gw: Gateway, path: str | Path, who: str) -> ReceivedPublication:
    """Read, check and apply (or hold) a publication file. PacketUnreadable (exit 2): not one, unreadable.
    PacketInvalid (exit 1): damaged, altered, not from the unit directly above, signed by a key other than
    that unit's enrolled one. PublicationRefused (exit 1): a form version that may not be kept here, a
    notice older than one already applied. Nothing is kept when refused; the same file twice changes nothing."""
    publication = read_publication(path)
    home = gw.require_unit(gw.setting("home_unit") or "")
    if publication.issuer_code != home.parent_code:
        above = gw.unit(home.parent_code) if home.parent_code else None
        raise PacketInvalid(
            f"Tệp “{publication.name}” do {publication.issuer_name} ({publication.issuer_code}) ký, không phải "
            f"cấp trên trực tiếp của {home.name}"
            + (f" (cấp trên trực tiếp là {above.name})" if above else "")
            + "; không nhập."
        )
    sha = hashlib.sha256(publication.raw).hexdigest()
    kept = gw.publications.received(sha)
    if kept is not None:
        return ReceivedPublication(publication, ALREADY, _already(publication, kept), was=kept["status"])
    on_file = [row["fingerprint"] for row in gw.trust.of_unit(publication.issuer_code)]
    if on_file and publication.fingerprint not in on_file:
        raise PacketInvalid(
            f"Tệp “{publication.name}” ghi là của {publication.issuer_name} nhưng được ký bằng khóa "
            f"{spoken_fingerprint(publication.fingerprint)}, không phải khóa đã đăng ký của {publication.issuer_name} "
            f"(mã {', '.join(spoken_fingerprint(f) for f in on_file)}); không nhập. Hãy gọi điện hỏi lại cấp trên: "
            "tệp có thể bị giả mạo, hoặc cấp trên đã đổi khóa (khi đó hãy nhận tệp đăng ký khóa mới của cấp trên)."
        )
    row = _row(publication, sha, who)
    if not on_file:
        gw.publications.file({**row, "status": HELD, "reason": None})
        return ReceivedPublication(publication, HELD, _held_sentence(publication))
    with gw.transaction():
        sentence = _apply(gw, publication, who)  # before its row: the notice it follows is the latest applied
        gw.publications.file({**row, "status": APPLIED, "reason": None})
    return ReceivedPublication(publication, APPLIED, sentence)


def apply_held(gw: Gateway, issuer_code: str, fingerprint: str, who: str) -> list[str]:
    """The key ``fingerprint`` of the unit above was just enrolled: apply the publications it signed that were
    held for it, oldest first, each in its own transaction; a sentence for each. One refused then (a form
    that clashes, a notice older than one applied) is kept as refused or older, with its reason."""
    said = []
    for row in gw.publications.held(issuer_code, fingerprint):
        publication = Publication(json.loads(row["manifest"]), b"", row["file_sha256"][:12])
        try:
            with gw.transaction():
                said.append(_apply(gw, publication, who))
                gw.publications.set_status(row["file_sha256"], APPLIED)
        except PublicationRefused as exc:
            older = _older_than_applied(gw, publication) is not None or _older_set(gw, publication) is not None
            gw.publications.set_status(row["file_sha256"], OLDER if older else REFUSED, str(exc))
            said.append(str(exc))
    return said


def _apply(gw: Gateway, publication: Publication, who: str) -> str:
    if publication.kind == FORM:
        try:
            form, new = store_form(gw, publication.form(), FormOrigin.RECEIVED, who)
        except BadInput as exc:
            raise PublicationRefused(f"Không nhận {publication.words()}: {exc}.") from None
        kept = "Đã lưu" if new else "Đã có từ trước, không đổi:"
        return (
            f"{kept} biểu {form.id} phiên bản {form.version} do {publication.issuer_name} ban hành "
            f"({sum(1 for i in form.indicators if i.is_row)} chỉ tiêu); {publication.signer_words()}."
        )
    if publication.kind == TARGET_SET:
        return _apply_target_set(gw, publication, who)
    if publication.kind == REOPENING:
        return _apply_reopening(gw, publication)
    newer = _older_than_applied(gw, publication)
    if newer is not None:
        raise PublicationRefused(
            f"Thông báo này ({publication.issuer_name} ký {_day(publication.data['issued_at'])}) cũ hơn thông báo "
            f"đã nhập ({_day(newer['issued_at'])}, hạn nộp {vnformat.date(newer['deadline'])}); giữ hạn nộp đã có, "
            "không thay đổi."
        )
    before = gw.publications.latest_notice(publication.issuer_code, *_notice_key(publication))
    notice = publication.data["collection"]
    said = f"Đã nhận {publication.words()}."
    if before is not None and before["deadline"] != notice["deadline"]:
        change = "gia hạn" if before["deadline"] < notice["deadline"] else "rút ngắn hạn"
        said = (
            f"{publication.issuer_name} {change} nộp biểu {notice['form_id']} kỳ "
            f"{gw.period(notice['period_code']).label}: từ {vnformat.date(before['deadline'])} "
            f"{'đến' if change == 'gia hạn' else 'về'} {vnformat.date(notice['deadline'])}."
        )
    signer = publication.signer_words()
    return f"{said} {signer[:1].upper()}{signer[1:]}."


def _apply_reopening(gw: Gateway, publication: Publication) -> str:
    """A reopening of one of this machine's reports: kept (received_publications), it lifts the lock of the
    receipt that came before it (models/report_lock.py)."""
    reopening = publication.data["reopening"]
    unit = gw.unit(reopening["unit_code"])
    report = gw.find_report(unit.code, reopening["form_id"], reopening["period_code"]) if unit else None
    if report is None:
        raise PublicationRefused(f"Không nhận {publication.words()}: máy này không có báo cáo đó.")
    period = gw.period(report.period_code)
    signer = publication.signer_words()
    return (
        f"{publication.issuer_name} mở lại báo cáo biểu {report.form_id} {period.in_sentence} của {unit.name} "
        f"(lý do: {reopening['reason']}): sửa rồi ký và xuất lần gửi sau. {signer[:1].upper()}{signer[1:]}."
    )


def _apply_target_set(gw: Gateway, publication: Publication, who: str) -> str:
    older = _older_set(gw, publication)
    if older is not None:
        raise PublicationRefused(older)
    versions = _stored_versions(publication)
    try:
        added = keep_received_target_set(gw, versions, library_of(gw).versions(), who)
    except TargetSetRefused as exc:
        raise PublicationRefused(f"Không nhận {publication.words()}: {'; '.join(exc.problems)}.") from None
    latest = versions[-1]
    what = (
        f"bộ mục tiêu “{latest.name}” ({latest.set_id}) của biểu {latest.form_id} do {publication.issuer_name} đặt, "
        f"{latest.source}"
    )
    if not added:
        said = f"Đã có từ trước, không đổi: {what}, phiên bản {latest.version}."
    else:
        numbers = ", ".join(str(v.version) for v in added)
        said = (
            f"Đã lưu {what}: phiên bản {numbers} ({len(latest.targets)} mục tiêu, phiên bản {latest.version} áp dụng "
            f"từ ngày {vnformat.date(latest.starts)}); có trong danh sách bộ mục tiêu của biểu {latest.form_id}."
        )
    signer = publication.signer_words()
    return f"{said} {signer[:1].upper()}{signer[1:]}."


def _stored_versions(publication: Publication) -> list[StoredTargetSet]:
    body = publication.data["target_set"]
    return [
        StoredTargetSet(
            form_id=body["form_id"],
            owner=publication.issuer_code,
            set_id=body["id"],
            version=v["version"],
            tier=body["tier"],
            name=v["name"],
            source_number=v["source_number"],
            source_date=dt.date.fromisoformat(v["source_date"]),
            starts=dt.date.fromisoformat(v["from"]),
            targets=tuple(v["targets"]),
        )
        for v in body["versions"]
    ]


def _older_set(gw: Gateway, publication: Publication) -> str | None:
    """Why a target set publication is older than what is kept here (None when it is not): issued before
    the one applied last for that set, or holding fewer versions than are kept."""
    if publication.kind != TARGET_SET:
        return None
    body = publication.data["target_set"]
    issued = publication.data["issued_at"]
    latest = gw.publications.latest_target_set(publication.issuer_code, body["form_id"], body["id"])
    kept = gw.target_sets.versions(body["form_id"], publication.issuer_code, body["id"])
    if latest is not None and latest["issued_at"] > _utc(issued):
        when = f"ký {_day(issued)}, cũ hơn tệp đã nhập ký {_day(latest['issued_at'])}"
    elif len(kept) > len(body["versions"]):
        when = f"có {len(body['versions'])} phiên bản, máy này đã có {len(kept)} phiên bản"
    else:
        return None
    return (
        f"Tệp này mang bản cũ của bộ mục tiêu {body['id']} của biểu {body['form_id']} ({when}); "
        "giữ bộ mục tiêu đã có, không thay đổi."
    )


def _older_than_applied(gw: Gateway, publication: Publication) -> dict | None:
    """The applied notice for the same form and period issued later than this one, if any."""
    if publication.kind != COLLECTION:
        return None
    latest = gw.publications.latest_notice(publication.issuer_code, *_notice_key(publication))
    if latest is not None and latest["issued_at"] > _utc(publication.data["issued_at"]):
        return latest
    return None


def _notice_key(publication: Publication) -> tuple[str, str]:
    notice = publication.data["collection"]
    return notice["form_id"], notice["period_code"]


def _row(publication: Publication, sha: str, who: str) -> dict:
    form_id, publisher, version = publication.form_key
    notice = publication.data.get("collection") or publication.data.get("reopening", {})
    return {
        "file_sha256": sha,
        "kind": publication.kind,
        "issuer_code": publication.issuer_code,
        "issuer_name": publication.issuer_name,
        "issued_at": _utc(publication.data["issued_at"]),
        "signer_fingerprint": publication.fingerprint,
        "form_id": form_id,
        "form_publisher": publisher,
        "form_version": version,
        "period_code": notice.get("period_code"),
        "deadline": notice.get("deadline"),
        "note": notice.get("note", notice.get("reason")),
        "manifest": json.dumps(publication.data, ensure_ascii=False),
        "imported_by": who,
    }


def _held_sentence(publication: Publication) -> str:
    return (
        f"Đã giữ lại tệp ghi là {publication.words()}; {publication.signer_words()}. Chưa đối chiếu được khóa của "
        f"cấp trên: máy này chưa đăng ký khóa của {publication.issuer_name}, nên tệp chưa được áp dụng. Hãy nhận "
        "tệp đăng ký khóa (.sctk) của cấp trên và đọc lại mã khóa với cấp trên qua điện thoại; tệp được áp dụng "
        "ngay khi đăng ký khóa."
    )


def _already(publication: Publication, kept: dict) -> str:
    standing = {
        APPLIED: "đã áp dụng",
        HELD: "đang giữ lại chờ đăng ký khóa của cấp trên",
        OLDER: "cũ hơn thông báo đã có, không áp dụng",
        REFUSED: f"không áp dụng ({kept['reason']})" if kept["reason"] else "không áp dụng",
    }[kept["status"]]
    return f"Tệp này đã nhập từ trước ({publication.words()}; {standing}), không thay đổi gì."


def _utc(stamp: str) -> str:
    return dt.datetime.fromisoformat(stamp).astimezone(dt.UTC).isoformat(timespec="seconds")


def _day(stamp: str) -> str:
    return vnformat.date(dt.datetime.fromisoformat(stamp).astimezone().date())
