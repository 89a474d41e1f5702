"""The short record a packet carries of double entry (``summary.double_entry`` in the manifest and
``double_entry`` in so-lieu.json, docs/packet-format.md), checked for its shape when a packet is read."""

from __future__ import annotations

import datetime as dt

LARGEST_COUNT = 2**31 - 1
DOUBLE_ENTRY_STATES = ("da_doi_chieu",)  # a packet is signed only once a double entry is resolved
LONGEST_NAME = 300


def double_entry_problem(record) -> str | None:
    """What is wrong with a packet's "double_entry" (manifest summary, so-lieu.json), in Vietnamese; None
    when it is absent, null (not double-entered) or well formed."""
    if record is None:
        return None
    if not isinstance(record, dict):
        return "không phải một mục"
    if record.get("state") not in DOUBLE_ENTRY_STATES:
        return f"trạng thái “{str(record.get('state'))[:40]}” không có"
    for name in ("first_by", "second_by"):
        if not isinstance(record.get(name), str) or len(record[name]) > LONGEST_NAME:
            return "thiếu tên người nhập lần một hoặc lần hai"
    counts = [record.get("differences"), record.get("resolved")]
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n <= LARGEST_COUNT for n in counts):
        return "số chỗ khác hoặc số đã đối chiếu không phải số đếm"
    if counts[1] != counts[0]:
        return f"đã đối chiếu {counts[1]} trong {counts[0]} chỗ khác, chưa đủ"
    try:
        dt.datetime.fromisoformat(record.get("done_at"))
    except (TypeError, ValueError):
        return "thời điểm đối chiếu xong không đọc được"
    return None
