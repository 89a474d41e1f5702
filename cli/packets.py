"""Signed packets: packet export (a commune's report), verify (anyone, offline), upward (a merged table)."""

from __future__ import annotations

import sys

from cli.common import (
    command,
    command_group,
    json_arg,
    merged_args,
    open_existing,
    open_view,
    plain_code,
    print_json,
    read_passphrase,
    report_args,
    say,
)


def register(commands) -> None:
    group = command_group(commands, "packet", "gói báo cáo đã ký: xuất, kiểm tra", "gói báo cáo")

    sub = command(group, "export", cmd_packet_export, "ký và xuất gói (.sctg); mã thoát 1 khi báo cáo còn lỗi")
    report_args(sub)
    sub.add_argument("--targets", type=plain_code, help="so với bộ mục tiêu")
    sub.add_argument("--out", required=True, help="tệp gói hoặc thư mục để ghi")
    json_arg(sub, "in bản kê dạng JSON")

    sub = command(
        group,
        "verify",
        cmd_packet_verify,
        "kiểm tra gói: 0 hợp lệ và tin cậy, 3 chưa tin cậy, 1 không hợp lệ, 2 không phải gói",
    )
    sub.add_argument("file", metavar="TỆP.sctg", help="tệp gói")
    sub.add_argument("--trust", action="append", metavar="TỆP.sctk", help="tệp đăng ký khóa tin cậy, hoặc thư mục")
    json_arg(sub)

    sub = command(group, "upward", cmd_packet_upward, "cấp trên: ký bảng tổng hợp thành gói gửi cấp trên nữa")
    merged_args(sub, "tệp gói hoặc thư mục để ghi")
    json_arg(sub, "in bản kê dạng JSON")


def cmd_packet_export(args) -> int:
    from exports.packets.write import export_packet

    gw, view = open_view(args)
    passphrase = read_passphrase("Mật khẩu khóa ký: ")
    packet = export_packet(gw, view, passphrase, args.out)
    return say(args, packet.to_dict(), packet.sentence())


def cmd_packet_verify(args) -> int:
    from pathlib import Path

    from exports.packets.enrolment import read_trusted
    from exports.packets.verify import verify_packet
    from forms.library import default_library

    trusted = [enrolment for given in args.trust or [] for enrolment in read_trusted(Path(given))]
    verdict = verify_packet(args.file, trusted, default_library())
    if args.json:
        print_json(verdict.to_dict())
    else:
        print("\n".join(verdict.lines()))
    if verdict.exit_code:
        print(verdict.headline(), file=sys.stderr)
    return verdict.exit_code


def cmd_packet_upward(args) -> int:
    from exports.collect.merge import merged_table
    from exports.collect.upward import export_upward

    gw = open_existing(args.db)
    table = merged_table(gw, args.unit, args.form, args.period, args.targets)
    passphrase = read_passphrase("Mật khẩu khóa ký: ")
    packet = export_upward(gw, table, passphrase, args.out)
    return say(args, packet.to_dict(), packet.sentence())
