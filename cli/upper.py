"""The upper level's work: inbox open, import, list, decide; completeness; merge."""

from __future__ import annotations

import argparse
import sys

from cli.common import (
    ascii_text,
    command,
    command_group,
    db_arg,
    json_arg,
    merged_args,
    open_existing,
    packet_number,
    parse_day,
    plain_code,
    plain_period,
    print_json,
    say,
    user_arg,
)

TYPE_CHECKING = False  # no typing module at start, as in cli/common.py
if TYPE_CHECKING:
    from pathlib import Path


def register(commands) -> None:
    group = command_group(commands, "inbox", "cấp trên: nhận gói của đơn vị cấp dưới", "hộp thư gói")

    sub = command(group, "open", cmd_inbox_open, "mở kỳ thu một biểu, kèm hạn nộp")
    db_arg(sub)
    sub.add_argument("--form", required=True, type=plain_code, help="mã biểu")
    sub.add_argument("--period", required=True, type=plain_period, help="kỳ báo cáo")
    sub.add_argument("--deadline", help="hạn nộp, ngày/tháng/năm")

    sub = command(group, "import", cmd_inbox_import, "nhập gói: tệp hoặc thư mục; mã thoát 1 khi có tệp không nhận")
    db_arg(sub)
    sub.add_argument("paths", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="gói .sctg, hoặc thư mục chứa gói")
    user_arg(sub, "tên người nhận, ghi lại")
    json_arg(sub)

    sub = command(group, "list", cmd_inbox_list, "các gói đã nhận và trạng thái")
    db_arg(sub)
    sub.add_argument("--form", type=plain_code, help="chỉ biểu này")
    sub.add_argument("--period", type=plain_period, help="chỉ kỳ này")
    sub.add_argument(
        "--status",
        type=packet_status,
        help="chỉ trạng thái này (accepted, superseded, stale, conflict, quarantined, rejected, returned)",
    )
    json_arg(sub)

    sub = command(
        group,
        "decide",
        cmd_inbox_decide,
        "quyết định một gói chờ cán bộ: chọn gói khi trùng lần gửi, cộng số liệu có lỗi, "
        "xác nhận gói bị giữ lại, nhận lại bản cũ",
    )
    db_arg(sub)
    sub.add_argument("--packet", required=True, type=packet_number, help="số gói (xem inbox list)")
    sub.add_argument("--reason", required=True, help="lý do quyết định, ghi lại")
    user_arg(sub, "tên người quyết định, ghi lại")

    sub = command(group, "void", cmd_inbox_void, "hủy một gói (lần gửi giả hoặc nhầm) để nhận lần gửi đúng tiếp theo")
    db_arg(sub)
    sub.add_argument("--packet", required=True, type=packet_number, help="số gói (xem inbox list)")
    sub.add_argument("--reason", required=True, help="lý do hủy, ghi lại")
    user_arg(sub, "tên người hủy, ghi lại")

    sub = command(
        commands, "completeness", cmd_completeness, "cấp trên: đơn vị nào đã gửi, chưa gửi, quá hạn trong một kỳ"
    )
    db_arg(sub)
    sub.add_argument("--unit", required=True, type=plain_code, help="mã đơn vị cấp trên (ví dụ 12)")
    sub.add_argument("--period", required=True, type=plain_period, help="kỳ báo cáo")
    json_arg(sub)

    sub = command(commands, "merge", cmd_merge, "cấp trên: tổng hợp các gói đã nhận thành một bảng xlsx")
    merged_args(sub, "tệp xlsx hoặc thư mục để ghi")
    json_arg(sub)


def packet_status(text: str) -> str:
    """--status: one of the inbox's statuses, read from the vocabulary when given (a new status is
    accepted without touching this); an unknown one is refused with the list."""
    from models.vocabulary import PacketStatus

    wanted = ascii_text(text).lower()
    if wanted in {status.value for status in PacketStatus}:
        return wanted
    choices = ", ".join(f"{status.value} ({status.words})" for status in PacketStatus)
    raise argparse.ArgumentTypeError(f"không có trạng thái “{text[:24]}”; chọn một trong: {choices}")


def cmd_inbox_open(args) -> int:
    from exports.collect.inbox import open_collection
    from models.reporting import require_form

    deadline = parse_day(args.deadline) if args.deadline else None
    gw = open_existing(args.db)
    print(open_collection(gw, require_form(args.form, gw), args.period, deadline))
    return 0


def cmd_inbox_import(args) -> int:
    from exports.collect.inbox import import_packets
    from models.form_store import library_of
    from models.vocabulary import ImportOutcome

    gw = open_existing(args.db)

    def progress(done: int, total: int, path: Path) -> bool:
        if total >= 20 and (done % 50 == 0 or done == total):
            print(f"\rĐã xử lý {done}/{total} tệp...", end="" if done < total else "\n", file=sys.stderr)
        return True

    run = import_packets(gw, args.paths, library_of(gw), args.user, progress)
    if args.json:
        print_json(run.to_dict())
    else:
        for f in run.filed:
            print(f"{f.file.name}  [{f.outcome.words}]  {f.where}  {f.message}".replace("    ", "  "))
        print(f"Tổng cộng {run.summary()}" if run.filed else run.summary())
        if run.count(ImportOutcome.WAITING):
            print(
                "Gói chờ đủ điều kiện được giữ nguyên và tự nhận khi đủ: mở kỳ thu (lệnh inbox open), "
                "cập nhật biểu mẫu, hoặc nhập lại gói."
            )
    if run.refused:
        print(f"{run.refused} tệp không nhận được; xem lý do ở từng dòng.", file=sys.stderr)
        return 1
    return 0


def cmd_inbox_list(args) -> int:
    from exports.collect.received import inbox_listing
    from models.vocabulary import PacketStatus

    gw = open_existing(args.db)
    rows = inbox_listing(gw, form_id=args.form, period_code=args.period, status=args.status)
    lost = gw.inbox.folder_lost()
    if lost:
        print(lost, file=sys.stderr)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("Hộp thư chưa có gói nào.")
    names = gw.unit_names()
    for r in rows:
        print(
            f"{r['id']:>4}  {r['unit_code'] or '-':<6} {names.get(r['unit_code'], ''):<24} {r['form_id'] or '-'} "
            f"{r['period_code'] or '-'} lần {r['sequence'] or '-'}  mã gói {r['packet_code'] or '-'}"
            f"  [{PacketStatus(r['status']).words}]  {r['reason'] or ''}"
        )
    return 0


def cmd_inbox_decide(args) -> int:
    from exports.collect.decisions import decide
    from models.form_store import library_of

    gw = open_existing(args.db)
    print(decide(gw, args.packet, args.reason, args.user, library_of(gw)))
    return 0


def cmd_inbox_void(args) -> int:
    from exports.collect.decisions import void

    print(void(open_existing(args.db), args.packet, args.reason, args.user))
    return 0


def cmd_completeness(args) -> int:
    from exports.collect.completeness import completeness
    from exports.paper.completeness_words import double_entry_text
    from forms import vnformat
    from models.form_store import library_of
    from models.vocabulary import CollectionState

    gw = open_existing(args.db)
    table = completeness(gw, args.unit, args.period, library_of(gw))
    if args.json:
        print_json(table.to_dict())
        return 0
    print(f"{table.parent.name}: tình hình nhận báo cáo, {table.period.in_sentence}")
    for collected in table.forms:
        deadline = f" (hạn {vnformat.date(collected.deadline)})" if collected.deadline else ""
        print(f"Biểu {collected.form_id}{deadline}")
        for unit in table.units:
            state = table.states.get((unit.code, collected.form_id))
            if state is None:
                continue
            detail = f", lần {state.sequence}" if state.sequence else ""
            if state.warnings:
                detail += f", {state.warnings} cảnh báo"
            if double := double_entry_text(state):
                detail += f", {double}"
            if state.plausibility and state.plausibility.total:
                detail += f", {state.plausibility.words()}"
            print(f"  {unit.code}  {unit.name:<28} {state.words}{detail}")
            for warning, reason in state.explained:
                print(f"      cảnh báo: {warning} — giải trình: {reason or '(chưa có)'}")
        received = table.count(collected.form_id, CollectionState.RECEIVED, CollectionState.LATE)
        total = sum(1 for key in table.states if key[1] == collected.form_id)
        overdue = table.count(collected.form_id, CollectionState.OVERDUE)
        print(f"  Đã nhận {received}/{total}; quá hạn chưa gửi {overdue}.")
    return 0


def cmd_merge(args) -> int:
    from exports.collect.merge import merged_table
    from exports.paper.xlsx_merged import save_merged_workbook

    gw = open_existing(args.db)
    table = merged_table(gw, args.unit, args.form, args.period, args.targets)
    path = save_merged_workbook(gw, table, args.out)
    return say(
        args,
        {"file": str(path), **table.to_dict()},
        f"Đã tổng hợp {len(table.received)}/{len(table.units)} đơn vị vào “{path}”"
        f" ({len(table.jumps)} số liệu thay đổi nhiều so với kỳ trước). {table.left_out_sentence()} "
        f"{table.versions_sentence()}".rstrip(),
    )
