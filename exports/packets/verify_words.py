"""The words of a damaged packet: what is wrong in plain Vietnamese, what to do,
and the file or entry concerned only in parentheses, for the technician."""

from __future__ import annotations

from exports.packets.format import MANIFEST

DAMAGED = "gói bị hỏng hoặc đã bị sửa sau khi ký: "
RESEND = "Đề nghị đơn vị gửi lại gói."
# What each entry of the manifest holds, in the officer's words (the entry itself in parentheses).
FIELD_WORDS = {
    "unit": "đơn vị",
    "unit.code": "mã đơn vị",
    "unit.name": "tên đơn vị",
    "form": "biểu",
    "form.id": "mã biểu",
    "form.version": "phiên bản biểu",
    "form.publisher": "đơn vị ban hành biểu",
    "period": "kỳ báo cáo",
    "period.code": "mã kỳ báo cáo",
    "period.label": "tên kỳ báo cáo",
    "sequence": "lần gửi",
    "created_at": "thời điểm ký",
    "signer": "người ký",
    "signer.name": "tên người ký",
    "signer.fingerprint": "mã khóa người ký",
    "files": "danh sách tệp",
    "summary": "phần tóm tắt",
    "summary.errors": "số lỗi",
    "summary.warnings": "số cảnh báo",
    "summary.warnings_explained": "số cảnh báo đã giải trình",
    "summary.plausibility": "số cảnh báo hợp lý",
    "summary.cells_missing": "số ô chưa nhập",
    "page": "trang in",
    "page.mode": "kiểu trang in",
    "page.recipients": "nơi nhận",
}


def field_words(keys: tuple[str, ...]) -> str:
    """“mã đơn vị (unit.code)”: the words first, the entry for the technician."""
    entry = ".".join(keys)
    words = FIELD_WORDS.get(entry)
    if words is None and keys[0] == "page":
        words = "một dòng của trang in"
    return f"{words} ({entry})" if words else f"mục “{entry}”"


def damaged(what: str) -> str:
    """A packet damaged or altered after signing, in plain words, what to do, the file at the end."""
    return f"{DAMAGED}{what}. {RESEND} ({MANIFEST})"
