"""A report the upper level has received is locked at the commune: its
figures and the reasons written for its warnings no longer change, until the
upper level sends a signed reopening. The gateway refuses every such edit,
so the window, the command line and anything else meet the same sentence."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from forms import vnformat
from models.errors import BadInput

if TYPE_CHECKING:
    from models.gateway import Gateway
    from models.report_records import ReportRef


class ReportLocked(BadInput):
    """An edit of a report the upper level has received; nothing was saved."""


def report_lock(gw: Gateway, report: ReportRef) -> str | None:
    """Why the report cannot be edited, in one Vietnamese sentence; None when it can."""
    receipt = gw.receipts.standing_receipt(report.id)
    if receipt is None:
        return None
    received_at = dt.datetime.fromisoformat(receipt["issued_at"])
    reopened = gw.publications.latest_reopening(report.unit_code, report.form_id, report.period_code)
    if reopened is not None and dt.datetime.fromisoformat(reopened["issued_at"]) >= received_at:
        return None  # the upper level reopened it after that receipt: corrected, it goes up as the next sequence
    day = vnformat.date(received_at.date())
    return (
        f"Báo cáo đã được {receipt['issuer_name']} nhận ngày {day} ({receipt['signer_name']} ký): "
        "đã khóa, không sửa được. Cần sửa thì đề nghị cấp trên gửi thông báo mở lại."
    )


def refuse_if_locked(gw: Gateway, report: ReportRef) -> None:
    """ReportLocked with the sentence of ``report_lock`` when the report is locked."""
    reason = report_lock(gw, report)
    if reason:
        raise ReportLocked(reason)
