"""The officer's decisions on packets the inbox could not place alone: keep one
of a conflict, count figures with errors, confirm a held packet, take back an
older sequence, void a forged or mistaken one. Each is recorded with who
decided and why (models/tables/inbox.py moves the statuses).
"""

from __future__ import annotations

from pathlib import Path

from exports.collect.inbox import assess, file_assessed
from exports.packets.enrolment import key_ring
from forms.library import FormLibrary
from models.errors import BadInput
from models.gateway import Gateway
from models.vocabulary import DECIDABLE, PacketStatus


def decide(gw: Gateway, packet_id: int, note: str, who: str, library: FormLibrary) -> str:
    """The officer's decision on a packet that waits for one, with the reason recorded; the sentence saying
    what became of it. A conflict: keep this packet, the others of its sequence set aside. Figures with
    errors: count them. Held: confirmed, then placed among its report's packets. An older sequence
    (a commune that restored a backup): taken, the later packets voided."""
    packet = gw.inbox.get(packet_id)
    note = " ".join(note.split())
    if packet is None:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    status = PacketStatus(packet["status"])
    if status not in DECIDABLE:
        raise BadInput(
            f"Gói số {packet_id} đang ở trạng thái “{status.words}”: không có gì để quyết định "
            f"(chỉ quyết định gói {', '.join(f'“{s.words}”' for s in DECIDABLE)})."
        )
    if not note:
        raise BadInput("Hãy ghi lý do quyết định.")
    if status == PacketStatus.CONFLICT:
        gw.inbox.decide(packet_id, note, who)
        return f"Đã chọn gói số {packet_id}; các gói trùng lần gửi với nó được để riêng, có ghi lý do."
    with gw.transaction():
        if status == PacketStatus.FLAWED:
            gw.inbox.record_decision(
                packet_id, PacketStatus.ACCEPTED, note, who, f"Cán bộ quyết định cộng số liệu dù có lỗi: {note}"
            )
            return f"Đã nhận gói số {packet_id} và cộng số liệu của nó dù có lỗi; lý do đã ghi lại."
        if status == PacketStatus.STALE:
            later = gw.inbox.later_trusted(packet_id)
            gw.inbox.void(later, f"cán bộ nhận lần gửi {packet['sequence']} thay thế: {note}", who)
            taken = PacketStatus.FLAWED if packet["error_count"] else PacketStatus.ACCEPTED
            gw.inbox.record_decision(packet_id, taken, note, who, f"Cán bộ nhận bản này: {note}")
            gw.inbox.settle((packet["unit_code"], packet["form_id"], packet["period_code"]))
            return f"Đã nhận gói số {packet_id} (lần gửi {packet['sequence']}); {len(later)} gói lần gửi sau đã hủy."
        assessed = assess(gw, packet["packet"], Path(packet["file_name"]), library, key_ring(gw), confirmed=True)
        if assessed.status not in (None, PacketStatus.QUARANTINED):
            raise BadInput(f"Gói số {packet_id} không nhận được: {assessed.note}")
        filed = file_assessed(
            gw, Path(packet["file_name"]), packet["file_sha256"], packet["packet"], assessed, who, packet_id
        )
        gw.inbox.record_decision(
            packet_id, PacketStatus(filed.outcome), note, who, f"Cán bộ xác nhận: {note}. {filed.message}"
        )
    return f"Đã xác nhận gói số {packet_id}: {PacketStatus(filed.outcome).words}. {filed.message}"


def void(gw: Gateway, packet_id: int, note: str, who: str) -> str:
    """Set a packet aside for good (a forged or mistaken sequence): its report's other packets are
    placed again as if it had never come, so the genuine next sequence is accepted."""
    packet = gw.inbox.get(packet_id)
    note = " ".join(note.split())
    if packet is None:
        raise BadInput(f"Không có gói số {packet_id} trong hộp thư.")
    if packet["status"] in (PacketStatus.VOIDED, PacketStatus.REJECTED):
        raise BadInput(f"Gói số {packet_id} đã {PacketStatus(packet['status']).words}; không cần hủy.")
    if not note:
        raise BadInput("Hãy ghi lý do hủy gói.")
    gw.inbox.void([packet_id], note, who)
    return f"Đã hủy gói số {packet_id} (lần gửi {packet['sequence']}); các gói khác của báo cáo này được xếp lại."


def decide_conflict(gw: Gateway, packet_id: int, note: str, who: str) -> None:
    """Keep this packet of a conflict; the others of the same sequence are set aside, the decision recorded."""
    gw.inbox.decide(packet_id, note, who)
