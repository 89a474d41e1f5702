"""What a packet must pass at the upper level, beyond its signature, before
its figures count.

A valid signature says who sent a packet, not that its figures are right,
that its date is true or that its key is still the unit's key. So the upper
level checks everything it can check again, with its own copy of the form
and its own clock:

- the manifest: a sequence from 1 to MAX_SEQUENCE; a ``created_at`` that
  reads as a date, not before the key was made or the period began, and not
  more than CLOCK_SKEW ahead of this machine (refused otherwise);
- the villages: each the commune's own (``<commune>.<nn>``), listed once,
  the same as in the commune's last packet; the first packet sets the list
  (trust on first use, said so); a village new or gone, or more than
  MAX_VILLAGES, holds the packet for the officer;
- the key: one retired when the unit's next key was enrolled here holds
  the packet, with both keys' codes;
- the sequence: more than MAX_SEQUENCE_STEP above the last received holds it, and so does any later
  sequence of a report this level sent a receipt for, unless it signed a reopening after that receipt;
- the figures: the form's rules run here as they ran at typing; errors file
  the packet as ``flawed`` (never summed until the officer counts it or the
  corrected packet arrives), and the summary the manifest declares is
  compared with what this level finds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from exports.collect.merge import sent_totals
from exports.packets.container import PacketInvalid
from exports.packets.enrolment import Enrolment
from exports.packets.format import DATA_JSON, MERGED_KIND
from forms import vnformat
from forms.engine import Figure, ReportData, evaluate
from forms.messages import finding_text, label_of
from forms.schema import FormDef
from models.gateway import Gateway
from models.keys import spoken_fingerprint
from models.periods import Period

MAX_SEQUENCE = 9999  # a report re-sent daily for 27 years
MAX_SEQUENCE_STEP = 100  # a commune re-signs a few times a period; a jump beyond this is a mistake or a forgery
CLOCK_SKEW = dt.timedelta(days=1)  # PCs in a province keep time to within a day, time zones included
MAX_VILLAGES = 300  # the largest commune after the 2025 merger has about 120
BEFORE_PERIOD = dt.timedelta(days=366)  # a plan may be filed the year before its period

Figures = list[tuple[str, str, object, object]]


@dataclass(frozen=True)
class Checked:
    """The upper level's own reading of a packet's figures."""

    findings: list[dict] = field(default_factory=list)  # severity, indicator, unit_code, message, reason
    errors: int = 0
    summary_note: str = ""  # the manifest's summary, where it disagrees with what was found here
    villages: list[list] | None = None  # [[code, name, active]] of a commune's packet
    figures: dict[str, Figure] | None = None  # the unit's figures as evaluated here, which the merge adds up

    @property
    def error_lines(self) -> list[str]:
        return [f["message"] for f in self.findings if f["severity"] == "error"]


# ---- the manifest ---------------------------------------------------------------------


def manifest_problem(manifest: dict, period: Period, key: Enrolment | None, received: dt.datetime) -> str | None:
    """Why a manifest cannot be true, in a sentence; None when it can. ``received`` is this machine's clock."""
    sequence = manifest["sequence"]
    if not 1 <= sequence <= MAX_SEQUENCE:
        return f"lần gửi {sequence} không hợp lệ (phải từ 1 đến {vnformat.number(MAX_SEQUENCE)})."
    created = _moment(manifest["created_at"])
    if created is None:
        return f"thời điểm tạo gói “{manifest['created_at'][:40]}” không đọc được."
    if created > received + CLOCK_SKEW:
        return (
            f"gói ghi tạo lúc {vnformat.datetime_text(created.isoformat())}, sau thời điểm hiện tại của máy này "
            f"({vnformat.datetime_text(received.isoformat())}); hãy kiểm tra đồng hồ của máy xã và máy này."
        )
    key_made = _moment(key.created_at) if key else None
    if key_made is not None and created < key_made - CLOCK_SKEW:
        return (
            f"gói ghi tạo lúc {vnformat.datetime_text(created.isoformat())}, trước khi có khóa ký nó "
            f"({vnformat.datetime_text(key_made.isoformat())}); hãy kiểm tra đồng hồ của máy xã."
        )
    if created.date() < period.starts - BEFORE_PERIOD:
        return (
            f"gói ghi tạo ngày {vnformat.date(created.date())}, trước {period.in_sentence} quá một năm; "
            "hãy kiểm tra đồng hồ của máy xã."
        )
    return None


def _moment(stamp: str) -> dt.datetime | None:
    """An ISO date and time, as an aware datetime (naive ones read as this machine's zone)."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.astimezone()


# ---- the villages ---------------------------------------------------------------------


def listed_villages(data: dict, unit_code: str, figures: Figures) -> list[list]:
    """[[code, name, active]] of a commune's so-lieu.json: each the commune's own and once;
    every village with figures among them. PacketInvalid otherwise."""
    listed = data.get("villages")
    if not isinstance(listed, list):
        raise PacketInvalid(f"tệp {DATA_JSON} thiếu danh sách thôn, bản “villages”.")
    villages, seen = [], set()
    for item in listed:
        code = item.get("code") if isinstance(item, dict) else None
        name, active = (item.get("name"), item.get("active")) if isinstance(item, dict) else (None, None)
        if not isinstance(code, str) or not _own_village(code, unit_code) or code in seen:
            shown = code[:40] if isinstance(code, str) else "?"
            raise PacketInvalid(
                f"tệp {DATA_JSON} có thôn, bản mã “{shown}” không phải của {unit_code} (dạng {unit_code}.01) "
                "hoặc ghi hai lần."
            )
        if not isinstance(name, str) or not isinstance(active, bool):
            raise PacketInvalid(f"tệp {DATA_JSON}: thôn, bản {code} thiếu tên hoặc trạng thái.")
        seen.add(code)
        villages.append([code, name[:200], active])
    strays = sorted({code for _, code, _, _ in figures if code != unit_code} - seen)
    if strays:
        raise PacketInvalid(f"tệp {DATA_JSON} có số liệu của thôn, bản {strays[0][:40]} không có trong danh sách.")
    return villages


_VILLAGE_SUFFIX = re.compile(r"\.[0-9]{2,3}$")


def _own_village(code: str, unit_code: str) -> bool:
    """``code`` is the commune's code, a dot and 2 or 3 digits (one pattern for every commune:
    a pattern made for each packet's commune was compiled again for each)."""
    return code.startswith(unit_code) and _VILLAGE_SUFFIX.match(code, len(unit_code)) is not None


def village_hold(gw: Gateway, unit_code: str, villages: list[list]) -> tuple[str | None, str]:
    """(why the packet waits for the officer, or None; what to note about its villages)
    against the villages of the commune's last trusted packet."""
    name_of = {code: name for code, name, _ in villages}
    if len(villages) > MAX_VILLAGES:
        return f"Gói có {len(villages)} thôn, bản, quá {MAX_VILLAGES}: hãy hỏi lại xã.", ""
    before = gw.inbox.last_villages(unit_code)
    if before is None:
        return None, f"Danh sách {len(villages)} thôn, bản lấy theo gói đầu tiên nhận được của xã."
    named_before = {code: name for code, name, _ in before}
    new = [c for c in name_of if c not in named_before]
    gone = [c for c in named_before if c not in name_of]
    notes = [
        f"{named_before[c]} đổi tên thành {name_of[c]}"
        for c in name_of
        if c in named_before and named_before[c] != name_of[c]
    ]
    notes += [f"{name} ({code}) thôi hoạt động" for code, name, active in villages if not active]
    note = f"Thôn, bản: {'; '.join(notes)}." if notes else ""
    if not new and not gone:
        return None, note
    parts = []
    if new:
        parts.append("có thôn, bản mới " + ", ".join(f"{name_of[c]} ({c})" for c in new[:5]) + _more(new))
    if gone:
        parts.append("không còn " + ", ".join(f"{named_before[c]} ({c})" for c in gone[:5]) + _more(gone))
    hold = f"So với gói trước của xã, {'; '.join(parts)}. Hãy hỏi lại xã rồi xác nhận (hoặc trả lại) gói này."
    return hold, note


def _more(codes: list) -> str:
    return f" và {len(codes) - 5} thôn, bản khác" if len(codes) > 5 else ""


# ---- the key and the sequence ------------------------------------------------------------


def key_hold(gw: Gateway, signer: Enrolment | None, manifest: dict) -> str | None:
    """Why a packet signed by a retired key waits for the officer, with both keys named; None if the key is in use."""
    if signer is None or signer.retired_at is None:
        return None
    unit_code = manifest["unit"]["code"]
    current = next((k for k in gw.trust.of_unit(unit_code) if k["retired_at"] is None), None)
    now_words = (
        f" Khóa đang dùng: {spoken_fingerprint(current['fingerprint'])} của {current['holder_name']}."
        if current
        else ""
    )
    return (
        f"Gói ký bằng khóa cũ {spoken_fingerprint(signer.fingerprint)} của {signer.holder_name}, "
        f"đã thôi dùng từ {vnformat.datetime_text(signer.retired_at)} khi máy này đăng ký khóa mới của "
        f"{manifest['unit']['name']}.{now_words} Hãy gọi điện hỏi xã trước khi nhận: có thể khóa cũ đã bị lộ."
    )


def sequence_hold(head: int | None, sequence: int) -> str | None:
    """Why a sequence far beyond the last received waits for the officer."""
    last = head or 0
    if sequence <= last + MAX_SEQUENCE_STEP:
        return None
    return (
        f"Lần gửi {sequence} cao hơn lần gửi trước ({last}) quá {MAX_SEQUENCE_STEP}; "
        "có thể gói bị làm giả. Hãy hỏi lại xã rồi xác nhận, hoặc hủy gói này."
    )


def receipt_hold(gw: Gateway, manifest: dict) -> str | None:
    """Why a later sequence of a report this level already received waits for the officer: the receipt
    locked it at the commune, and only a reopening signed here after that receipt lets a correction in."""
    unit, form_id, period = manifest["unit"], manifest["form"]["id"], manifest["period"]
    receipt = gw.receipts.standing_issued(unit["code"], form_id, period["code"])
    if receipt is None or manifest["sequence"] <= receipt["sequence"]:
        return None
    reopened = gw.publications.latest_issued_reopening(unit["code"], form_id, period["code"])
    if reopened is not None and reopened >= receipt["issued_at"]:  # both to the second: the same second is after
        return None
    return (
        f"Đã gửi biên nhận lần gửi {receipt['sequence']} của {unit['name']} ngày "
        f"{vnformat.date(receipt['issued_at'].date())}, chưa gửi thông báo mở lại báo cáo này: lần gửi "
        f"{manifest['sequence']} chờ cán bộ. Cần nhận số liệu sửa thì gửi thông báo mở lại (Mở lại báo cáo...) "
        "rồi xác nhận gói, hoặc hủy gói này."
    )


# ---- the figures ----------------------------------------------------------------------


def recheck(gw: Gateway, manifest: dict, data: dict, form: FormDef, figures: Figures) -> Checked:
    """The form's rules run here on a packet's figures, and the manifest's summary compared."""
    unit = gw.require_unit(manifest["unit"]["code"])
    if manifest.get("kind") == MERGED_KIND:
        findings = _merged_findings(form, figures)
        villages, evaluated = None, sent_totals(form, figures)
    else:
        villages = listed_villages(data, unit.code, figures)
        findings, evaluated = _commune_findings(form, unit, villages, figures, data)
    errors = sum(1 for f in findings if f["severity"] == "error")
    warnings = len(findings) - errors
    summary = manifest["summary"]
    note = ""
    merged = manifest.get("kind") == MERGED_KIND
    if summary["errors"] != errors or (not merged and summary["warnings"] != warnings):
        note = (
            f"Bản kê của gói ghi {summary['errors']} lỗi, {summary['warnings']} cảnh báo; "
            f"kiểm tra lại ở đây thấy {errors} lỗi, {warnings} cảnh báo (theo kết quả kiểm tra ở đây)."
        )
    return Checked(findings, errors, note, villages, evaluated)


def _commune_findings(
    form: FormDef, unit, villages: list[list], figures: Figures, data: dict
) -> tuple[list[dict], dict[str, Figure]]:
    """The findings of the form's rules on a commune's figures, and its figures as they evaluate."""
    codes = tuple(code for code, _, _ in villages)
    village_values: dict[str, dict] = {code: {} for code in codes}
    commune_values = {}
    for indicator, code, value, _ in figures:
        (commune_values if code == unit.code else village_values[code])[indicator] = value
    evaluation = evaluate(form, ReportData(unit.kind, unit.tier, codes, village_values, commune_values))
    names = {code: name for code, name, _ in villages}
    reasons = _reasons(data)
    findings = [
        {
            "severity": f.severity,
            "rule": f.rule,
            "indicator": f.cell.indicator,
            "unit_code": f.cell.village or unit.code,
            "message": (f"{names[f.cell.village]}: " if f.cell.village else "") + finding_text(form, f),
            "reason": reasons.get((f.rule, f.cell.indicator, f.cell.village)) if f.severity == "warning" else None,
        }
        for f in evaluation.findings
    ]
    return findings, evaluation.figures


def _reasons(data: dict) -> dict[tuple, str]:
    """The commune's written reasons for its warnings, by (rule, indicator, village)."""
    found = data.get("findings")
    reasons = {}
    for f in found if isinstance(found, list) else ():
        if isinstance(f, dict) and isinstance(f.get("reason"), str) and f["reason"].strip():
            reasons[f.get("rule"), f.get("indicator"), f.get("village")] = f["reason"][:1000]
    return reasons


def _merged_findings(form: FormDef, figures: Figures) -> list[dict]:
    """A merged packet's totals held to the form: a share no more than its whole, a part no more than its parent."""
    value_of = {indicator: value for indicator, _, value, _ in figures}
    findings = []
    for indicator, code, value, total in figures:
        ind = form.indicator(indicator)
        label = label_of(form, indicator)
        if total is not None and ind.denominator and value > total:
            message = f"{label}: {vnformat.number(value)} vượt tổng {vnformat.number(total)}."
        elif ind.parent and ind.parent in value_of and value > value_of[ind.parent]:
            parent = label_of(form, ind.parent)
            message = (
                f"{label}: {vnformat.number(value)} vượt số của “{parent}” ({vnformat.number(value_of[ind.parent])})."
            )
        else:
            continue
        findings.append(
            {
                "severity": "error",
                "rule": "tong_hop",
                "indicator": indicator,
                "unit_code": code,
                "message": message,
                "reason": None,
            }
        )
    return findings
