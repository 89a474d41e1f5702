"""Double entry: a report's figures typed a second time from the paper, blind, then compared cell by cell.

The officer starts a second pass (or the form requires one: ``double_entry = true``) naming who types it;
the second pass has its own values (``double_entry_values``), checked with the same typing rules as the
first, and never shows or touches the first. When it is finished every typed cell where the two passes
differ (an empty cell against a value counts) is listed; for each the officer keeps the first, the second
or types a third value, which goes into the report through ``Gateway.set_values`` so that the audit trail
names the decision and who made it. Once every difference is resolved the report is double-entered and
can be signed; editing it after that is ordinary editing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from forms import vnformat
from forms.schema import FormDef, Indicator
from models.clock import now
from models.errors import BadInput
from models.gateway import Gateway
from models.report_lock import refuse_if_locked
from models.report_records import Change, Edit, ReportRef
from models.reporting import check_edits, report_form
from models.units import nfc
from models.vocabulary import DoubleEntryChoice as Choice
from models.vocabulary import DoubleEntryState

RUNNING = (DoubleEntryState.SECOND_PASS, DoubleEntryState.COMPARING)


@dataclass(frozen=True)
class DoubleEntryStatus:
    """Where a report stands; ``state`` None: not double-entered, and its form does not require it."""

    state: str | None
    required: bool
    first_by: str | None = None
    second_by: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    done_at: str | None = None
    differences: int = 0
    resolved: int = 0

    @property
    def running(self) -> bool:
        return self.state in RUNNING

    def to_dict(self) -> dict:
        """What ``double-entry status --json`` prints."""
        return asdict(self)

    def packet_dict(self) -> dict | None:
        """The short record a packet carries (so-lieu.json and the manifest's summary); None when the report
        was not double-entered."""
        if self.state != DoubleEntryState.DONE:
            return None
        return {
            "state": self.state,
            "first_by": self.first_by,
            "second_by": self.second_by,
            "differences": self.differences,
            "resolved": self.resolved,
            "done_at": self.done_at,
        }

    def sentence(self) -> str:
        """One Vietnamese line: the window's notice, ``status`` without --json."""
        if self.state is None:
            return "Báo cáo không nhập hai lần."
        if self.state == DoubleEntryState.REQUIRED:
            return "Biểu này yêu cầu nhập hai lần: chưa nhập lần hai."
        if self.state == DoubleEntryState.SECOND_PASS:
            return (
                f"Đang nhập lần hai: {self.second_by} nhập lại từ giấy vào bảng trống (số liệu lần một "
                f"của {self.first_by or 'người nhập'} không hiện); không dán, không điền xuống."
            )
        counts = f"{self.differences} chỗ khác, đã đối chiếu {self.resolved}"
        if self.state == DoubleEntryState.COMPARING:
            return f"Đang đối chiếu hai lần nhập ({self.first_by} và {self.second_by}): {counts}."
        return f"Đã nhập hai lần ({self.first_by} và {self.second_by}): {counts}."


@dataclass(frozen=True)
class Difference:
    """One cell where the two passes differ, and its decision once made."""

    indicator: str
    unit_code: str
    label: str  # the indicator's words
    unit_name: str  # the village, or the commune
    first: int | str | None
    second: int | str | None
    first_text: str
    second_text: str
    choice: str | None = None
    chosen: int | str | None = None
    decided_at: str | None = None
    decided_by: str | None = None

    @property
    def resolved(self) -> bool:
        return self.choice is not None

    def to_dict(self) -> dict:
        return asdict(self)


def typed_cells(form: FormDef, gw: Gateway, report: ReportRef) -> list[tuple[Indicator, str, str]]:
    """(indicator, unit code, unit name) of every cell the officer types, in the grid's order: each village's
    row, then the commune's fields; indicators that do not apply to the unit left out."""
    unit = gw.require_unit(report.unit_code)
    cells = [
        (ind, village.code, village.name)
        for village in gw.report_villages(report)
        for ind in form.village_indicators
        if ind.applies(unit.kind)
    ]
    return cells + [(ind, unit.code, unit.name) for ind in form.commune_indicators if ind.applies(unit.kind)]


def status(gw: Gateway, report: ReportRef, form: FormDef | None = None) -> DoubleEntryStatus:
    form = form or report_form(gw, report)
    required = bool(form and form.double_entry)
    row = gw.double_entries.of_report(report.id)
    if row is None:
        return DoubleEntryStatus(DoubleEntryState.REQUIRED if required else None, required)
    return DoubleEntryStatus(
        DoubleEntryState(row["state"]),
        required,
        row["first_by"],
        row["second_by"],
        row["started_at"],
        row["finished_at"],
        row["done_at"],
        row["differences"],
        row["resolved"],
    )


def signing_blocker(gw: Gateway, report: ReportRef, form: FormDef | None = None) -> str | None:
    """Why double entry keeps the report from being signed (a blocker's words), or None."""
    now_status = status(gw, report, form)
    if now_status.state == DoubleEntryState.REQUIRED:
        return "biểu này yêu cầu nhập hai lần: chưa nhập lần hai và đối chiếu"
    if now_status.state == DoubleEntryState.SECOND_PASS:
        return f"đang nhập lần hai ({now_status.second_by}): nhập xong rồi đối chiếu với lần một"
    if now_status.state == DoubleEntryState.COMPARING:
        left = now_status.differences - now_status.resolved
        return f"còn {left} chỗ khác nhau giữa hai lần nhập chưa đối chiếu"
    return None


def start_second_pass(gw: Gateway, report: ReportRef, who: str, form: FormDef | None = None) -> DoubleEntryStatus:
    """Begin the second pass, typed by ``who``; refused for a locked report or while one is running.
    A report double-entered before begins a new round (the earlier round's values and differences go)."""
    form = form or report_form(gw, report)
    typist = nfc(who or "").strip()
    if not typist:
        raise BadInput("Cần ghi tên người nhập lần hai.")
    with gw.transaction():
        refuse_if_locked(gw, report)
        current = status(gw, report, form)
        if current.running:
            raise BadInput(_running_words(current))
        first = gw.double_entries.first_typists(report.id)
        gw.double_entries.begin(
            {
                "report_id": report.id,
                "state": DoubleEntryState.SECOND_PASS,
                "required": int(bool(form and form.double_entry)),
                "started_by": typist,
                "first_by": ", ".join(first) if first else "",
                "second_by": typist,
                "started_at": now(),
            }
        )
    return status(gw, report, form)


def second_values(gw: Gateway, report: ReportRef) -> dict[tuple[str, str], int | str]:
    return gw.double_entries.values(report.id)


def enter_second(
    gw: Gateway, report: ReportRef, form: FormDef, edits: list[tuple[str, str, object]], who: str | None = None
) -> list[Change]:
    """Second-pass values, checked as typing is (the same refusals, the same words), all or none."""
    checked = check_edits(form, gw.require_unit(report.unit_code), gw.report_villages(report), edits)
    return put_second(gw, report, checked, who)


def put_second(gw: Gateway, report: ReportRef, checked: list[Edit], who: str | None = None) -> list[Change]:
    """Checked second-pass values written in one transaction; refused unless a second pass is running."""
    with gw.transaction():
        refuse_if_locked(gw, report)
        row = gw.double_entries.of_report(report.id)
        if row is None or row["state"] != DoubleEntryState.SECOND_PASS:
            raise BadInput("Báo cáo không đang nhập lần hai: hãy bắt đầu nhập lần hai trước.")
        return gw.double_entries.put_values(report.id, checked, who or row["second_by"])


def finish_second_pass(gw: Gateway, report: ReportRef, form: FormDef | None = None) -> list[Difference]:
    """End the second pass: every typed cell where the passes differ, kept for resolving. None differ: done."""
    form = form or report_form(gw, report)
    with gw.transaction():
        refuse_if_locked(gw, report)
        row = gw.double_entries.of_report(report.id)
        if row is None or row["state"] != DoubleEntryState.SECOND_PASS:
            raise BadInput("Báo cáo không đang nhập lần hai: không có gì để đối chiếu.")
        first, second = gw.values(report), gw.double_entries.values(report.id)
        found = [
            {"indicator": ind.id, "unit_code": code, "first_value": first.get(key), "second_value": second.get(key)}
            for ind, code, _name in typed_cells(form, gw, report)
            if first.get(key := (ind.id, code)) != second.get(key)
        ]
        gw.double_entries.record_differences(report.id, found)
        stamp = now()
        gw.double_entries.update(
            report.id,
            state=DoubleEntryState.COMPARING if found else DoubleEntryState.DONE,
            finished_at=stamp,
            done_at=None if found else stamp,
            differences=len(found),
            resolved=0,
        )
    return differences(gw, report, form)


def differences(gw: Gateway, report: ReportRef, form: FormDef | None = None) -> list[Difference]:
    """The cells found different when the second pass ended, in the grid's order, resolved ones included."""
    form = form or report_form(gw, report)
    rows = {(r["indicator"], r["unit_code"]): r for r in gw.double_entries.differences(report.id)}
    found = []
    for ind, code, name in typed_cells(form, gw, report):
        row = rows.pop((ind.id, code), None)
        if row is not None:
            found.append(_difference(ind, name, row))
    return found


def resolve(
    gw: Gateway,
    report: ReportRef,
    form: FormDef,
    indicator: str,
    unit_code: str,
    choice: str,
    value: object = None,
    who: str = "",
) -> DoubleEntryStatus:
    """Keep the first value, the second, or a third (``value``, checked as typed) for one differing cell.
    The value goes into the report with the decision in the audit trail's name; the last one resolved makes
    the report double-entered."""
    decider = nfc(who or "").strip()
    if not decider:
        raise BadInput("Cần ghi tên người đối chiếu.")
    try:
        choice = Choice(choice)
    except ValueError:
        raise BadInput(f"Cách chọn “{choice}” không có; chọn: lan_1, lan_2 hoặc so_khac.") from None
    with gw.transaction():
        refuse_if_locked(gw, report)
        row = gw.double_entries.of_report(report.id)
        if row is None or row["state"] != DoubleEntryState.COMPARING:
            raise BadInput("Báo cáo không đang đối chiếu hai lần nhập: không có chỗ khác nào để chọn.")
        cell = next(
            (
                r
                for r in gw.double_entries.differences(report.id)
                if (r["indicator"], r["unit_code"]) == (indicator, unit_code)
            ),
            None,
        )
        if cell is None:
            raise BadInput(f"Ô “{indicator}” của “{unit_code}” không nằm trong các chỗ khác nhau giữa hai lần nhập.")
        if cell["choice"] is not None:
            raise BadInput(f"Ô “{indicator}” của “{unit_code}” đã đối chiếu rồi ({Choice(cell['choice']).words}).")
        if choice == Choice.FIRST:
            chosen = cell["first_value"]
        elif choice == Choice.SECOND:
            chosen = cell["second_value"]
        else:
            if value is None or (isinstance(value, str) and not value.strip()):
                raise BadInput("Cần nhập số khác cho ô này.")
            unit = gw.require_unit(report.unit_code)
            chosen = check_edits(form, unit, gw.report_villages(report), [(indicator, unit_code, value)])[0].value
        stamp = now()
        decided_as = f"{decider} (đối chiếu nhập hai lần: {choice.words})"
        if not gw.set_values(report, [Edit(indicator, unit_code, chosen)], decided_as):
            gw.double_entries.record_kept(report.id, indicator, unit_code, chosen, stamp, decided_as)
        gw.double_entries.decide(
            report.id, indicator, unit_code, choice=choice, chosen_value=chosen, decided_at=stamp, decided_by=decider
        )
        resolved = row["resolved"] + 1
        done = resolved >= row["differences"]
        gw.double_entries.update(
            report.id,
            resolved=resolved,
            state=DoubleEntryState.DONE if done else DoubleEntryState.COMPARING,
            done_at=stamp if done else None,
        )
    return status(gw, report, form)


def cancel(gw: Gateway, report: ReportRef) -> DoubleEntryStatus:
    """Give up a running double entry: its second-pass values and differences go; values already decided stay
    in the report (the audit trail has them). A form that requires double entry requires it again."""
    with gw.transaction():
        row = gw.double_entries.of_report(report.id)
        if row is None or row["state"] not in RUNNING:
            raise BadInput("Báo cáo không đang nhập lần hai hay đối chiếu: không có gì để bỏ.")
        gw.double_entries.drop(report.id)
    return status(gw, report)


def _running_words(current: DoubleEntryStatus) -> str:
    since = vnformat.date(current.started_at[:10]) if current.started_at else ""
    if current.state == DoubleEntryState.SECOND_PASS:
        return f"Báo cáo đang nhập lần hai ({current.second_by}, từ ngày {since}): nhập xong rồi đối chiếu."
    left = current.differences - current.resolved
    return f"Báo cáo đang đối chiếu hai lần nhập: còn {left} chỗ khác chưa chọn."


def shown(ind: Indicator, value) -> str:
    """A stored value as the officer reads it (“1.234”, “có”, a date dd/mm/yyyy); “(trống)” for none."""
    if value is None:
        return "(trống)"
    if ind.kind == "yesno":
        return vnformat.yes_no(value)
    if ind.kind in ("count", "amount"):
        return vnformat.number(value)
    if ind.kind == "date":
        return vnformat.date(value)
    return str(value)


def _difference(ind: Indicator, unit_name: str, row: dict) -> Difference:
    return Difference(
        ind.id,
        row["unit_code"],
        f"{ind.code}. {ind.label}" if ind.code else ind.label,
        unit_name,
        row["first_value"],
        row["second_value"],
        shown(ind, row["first_value"]),
        shown(ind, row["second_value"]),
        row["choice"],
        row["chosen_value"],
        row["decided_at"],
        row["decided_by"],
    )
