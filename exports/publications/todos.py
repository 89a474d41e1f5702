"""The commune's to-dos: each collection notice of the unit above that stands
(the latest for its form and period), with the days left, or how late, or the
packet already sent for it. What ``reports`` prints and the commune window
shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from forms import vnformat
from models.form_store import library_of
from models.gateway import Gateway


@dataclass(frozen=True)
class Todo:
    issuer_name: str
    form_id: str
    form_publisher: str
    form_version: int
    period_code: str
    period_label: str
    deadline: dt.date
    note: str
    days_left: int  # negative: past the deadline
    sent: int | None  # the sequence of the last packet exported for this report, None if none
    form_known: bool  # False: this machine has not received that version of the form yet

    @property
    def text(self) -> str:
        """“Tỉnh Lai Châu yêu cầu nộp biểu kl224 (phiên bản 2) kỳ Năm 2026 trước ngày 15/01/2027 — còn 40 ngày”."""
        asked = (
            f"{self.issuer_name} yêu cầu nộp biểu {self.form_id} (phiên bản {self.form_version}) kỳ "
            f"{self.period_label} trước ngày {vnformat.date(self.deadline)}"
        )
        if self.sent is not None:
            when = f"đã xuất gói lần {self.sent}"
        elif self.days_left > 0:
            when = f"còn {self.days_left} ngày"
        elif self.days_left == 0:
            when = "hôm nay là hạn cuối"
        else:
            when = f"quá hạn {-self.days_left} ngày"
        text = f"{asked} — {when}"
        if not self.form_known:
            text += f"; máy này chưa có biểu {self.form_id} phiên bản {self.form_version}: hãy xin cấp trên gửi biểu"
        if self.note:
            text += f". Lời dặn: {self.note}"
        return text

    def to_dict(self) -> dict:
        return {
            "issuer": self.issuer_name,
            "form": {"id": self.form_id, "publisher": self.form_publisher, "version": self.form_version},
            "period": self.period_code,
            "deadline": self.deadline.isoformat(),
            "days_left": self.days_left,
            "sent_sequence": self.sent,
            "form_known": self.form_known,
            "note": self.note,
            "text": self.text,
        }


def collection_todos(gw: Gateway, today: dt.date | None = None) -> list[Todo]:
    """The standing collection notices, the nearest deadline first."""
    today = today or dt.date.today()
    home = gw.setting("home_unit") or ""
    library = library_of(gw)
    todos = []
    for row in gw.publications.notices():
        deadline = dt.date.fromisoformat(row["deadline"])
        report = gw.find_report(home, row["form_id"], row["period_code"]) if home else None
        latest = gw.sent.latest(report.id) if report is not None else None
        todos.append(
            Todo(
                issuer_name=row["issuer_name"],
                form_id=row["form_id"],
                form_publisher=row["form_publisher"],
                form_version=row["form_version"],
                period_code=row["period_code"],
                period_label=gw.period(row["period_code"]).label,
                deadline=deadline,
                note=row["note"] or "",
                days_left=(deadline - today).days,
                sent=latest["sequence"] if latest else None,
                form_known=library.get(row["form_id"], row["form_version"], row["form_publisher"]) is not None,
            )
        )
    return todos
