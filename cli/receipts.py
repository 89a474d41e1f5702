"""Receipts and returns: receipt issue (the upper level answers a packet), receipt import (the commune files it)."""

from __future__ import annotations

import sys

from cli.common import (
    command,
    command_group,
    db_arg,
    json_arg,
    open_existing,
    packet_number,
    print_json,
    read_passphrase,
    say,
    user_arg,
)


def register(commands) -> None:
    group = command_group(commands, "receipt", "biên nhận và trả lại gói: cấp trên ký, xã nhập", "biên nhận")

    sub = command(group, "issue", cmd_receipt_issue, "cấp trên: ký biên nhận, hoặc trả lại gói kèm yêu cầu sửa")
    db_arg(sub)
    sub.add_argument("--packet", required=True, type=packet_number, help="số gói (xem inbox list)")
    sub.add_argument("--return", dest="send_back", action="store_true", help="trả lại, yêu cầu sửa (cần --note)")
    sub.add_argument("--note", help="lý do trả lại")
    sub.add_argument("--cell", action="append", metavar="CHỈ_TIÊU[@MÃ_BẢN]=LÝ_DO", help="ô cần sửa; ghi nhiều lần được")
    sub.add_argument("--out", required=True, help="tệp biên nhận (.sctb) hoặc thư mục để ghi")
    user_arg(sub, "tên người ký, ghi lại")
    json_arg(sub)

    sub = command(
        group,
        "import",
        cmd_receipt_import,
        "xã: nhập biên nhận hoặc yêu cầu sửa của cấp trên; mã thoát 3 khi chưa đối chiếu khóa",
    )
    db_arg(sub)
    sub.add_argument("file", metavar="TỆP.sctb", help="tệp biên nhận")
    json_arg(sub)


def cmd_receipt_issue(args) -> int:
    from exports.collect.receipts import issue_receipt, parse_query
    from models.errors import BadInput
    from models.form_store import library_of
    from models.vocabulary import ReceiptKind

    gw = open_existing(args.db)
    kind = ReceiptKind.RETURN if args.send_back else ReceiptKind.RECEIPT
    if args.cell and not args.send_back:
        raise BadInput("Ô cần sửa (--cell) chỉ ghi khi trả lại gói (--return).")
    queries = [parse_query(text) for text in args.cell or []]
    passphrase = read_passphrase("Mật khẩu khóa ký: ")
    issued = issue_receipt(
        gw, args.packet, kind, passphrase, args.out, library_of(gw), args.user, note=args.note or "", queries=queries
    )
    packet = issued.receipt["packet"]
    return say(
        args,
        issued.to_dict(),
        f"Đã ký và lưu {kind.words} “{issued.path}” cho gói lần {packet['sequence']} của "
        f"{packet['unit']['name']}, biểu {packet['form']['id']}, {packet['period']['label']}.",
    )


def cmd_receipt_import(args) -> int:
    from exports.packets.answers import import_receipt

    filed = import_receipt(open_existing(args.db), args.file)
    if args.json:
        print_json(filed.to_dict())
    else:
        print(("" if filed.new else "Biên nhận này đã nhập từ trước. ") + "\n".join(filed.lines()))
    if not filed.trusted:
        print("Chưa đối chiếu được khóa của cấp trên (keys enrol tệp .sctk của cấp trên).", file=sys.stderr)
        return 3
    return 0
