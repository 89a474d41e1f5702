"""The words and colours of each completeness state, and the lines above the
matrix: shared by the window, the printout and the workbook so all three agree.
No openpyxl here: the window loads this at start."""

from __future__ import annotations

from exports.collect.completeness import Completeness, State
from forms import vnformat
from models.vocabulary import CollectionState

# Most urgent first: sorting a column by state brings who to chase to the top.
STATE_ORDER = (
    CollectionState.OVERDUE,
    CollectionState.UNUSABLE,
    CollectionState.FLAWED,
    CollectionState.CONFLICT,
    CollectionState.HELD,
    CollectionState.RETURNED,
    CollectionState.AWAITING_KEY,
    CollectionState.WAITING,
    CollectionState.NOT_SENT,
    CollectionState.LATE,
    CollectionState.RECEIVED,
)
STATE_COLOURS = {
    CollectionState.RECEIVED: "D9F0DD",
    CollectionState.LATE: "FCE8B2",
    CollectionState.CONFLICT: "F9CB9C",
    CollectionState.FLAWED: "F6B26B",
    CollectionState.HELD: "F9CB9C",
    CollectionState.RETURNED: "FFE599",
    CollectionState.AWAITING_KEY: "E1D5F5",
    CollectionState.WAITING: "E1D5F5",
    CollectionState.UNUSABLE: "EA9999",
    CollectionState.NOT_SENT: "FFFFFF",
    CollectionState.OVERDUE: "F4C7C3",
}
PLAIN_COLOUR = "FFFFFF"  # a state this version has no colour for


def state_rank(state: str) -> int:
    return STATE_ORDER.index(state) if state in STATE_ORDER else len(STATE_ORDER)


def state_colour(state: str) -> str:
    return STATE_COLOURS.get(state, PLAIN_COLOUR)


def state_text(state: State) -> str:
    """“đã nhận, lần 2, 1 cảnh báo, Bất thường: 2 (xã ghi 2, cấp này thấy 2)”: the state, which
    sending, what the checks found."""
    parts = [state.words]
    if state.sequence:
        parts.append(f"lần {state.sequence}")
    if state.errors:
        parts.append(f"{state.errors} lỗi")
    if state.warnings:
        parts.append(f"{state.warnings} cảnh báo")
    if double := double_entry_text(state):
        parts.append(double)
    if state.plausibility and state.plausibility.total:
        parts.append(state.plausibility.words())
    return ", ".join(parts)


def double_entry_text(state: State) -> str:
    """“nhập hai lần (3 chỗ khác, đã đối chiếu 3)” for a packet double-entered; "" otherwise."""
    record = state.double_entry
    if not record:
        return ""
    return f"nhập hai lần ({record.get('differences', 0)} chỗ khác, đã đối chiếu {record.get('resolved', 0)})"


def summary_line(table: Completeness, form_id: str) -> str:
    """“Đã nhận 3/38; quá hạn 35”: received on time or late, out of the units that send this form."""
    received = table.count(form_id, CollectionState.RECEIVED, CollectionState.LATE)
    total = sum(1 for _, f in table.states if f == form_id)
    text = f"Đã nhận {received}/{total}; quá hạn {table.count(form_id, 'qua_han')}"
    waiting = table.count(
        form_id,
        CollectionState.AWAITING_KEY,
        CollectionState.CONFLICT,
        CollectionState.RETURNED,
        CollectionState.FLAWED,
        CollectionState.HELD,
        CollectionState.WAITING,
    )
    return text + (f"; chờ xử lý {waiting}" if waiting else "")


def form_heading(table: Completeness, form_id: str) -> str:
    deadline = next((c.deadline for c in table.forms if c.form_id == form_id), None)
    return f"Biểu {form_id}" + (f" (hạn {vnformat.date(deadline)})" if deadline else "")


def title_of(table: Completeness) -> str:
    return f"TÌNH HÌNH NHẬN BÁO CÁO - {table.parent.name.upper()} - {table.period.label.upper()}"
