"""What the upper level sends down, signed (.sctp): a collection notice
published (the form version itself: ``forms publish``), and a commune
importing either, with the to-dos the notices leave.

    collection publish --db DB --form ID [--version N] --period P --deadline dd/mm/yyyy [--note TEXT] --out FOLDER
    reopening publish --db DB --unit CODE --form ID --period P --reason TEXT --out FOLDER
    publication import --db DB FILE.sctp [--user NAME] [--json]
    publication todo --db DB [--json]
"""

from __future__ import annotations

from cli.common import (
    bounded_int,
    command,
    command_group,
    db_arg,
    json_arg,
    open_existing,
    plain_code,
    plain_period,
    print_json,
    read_passphrase,
    say,
    user_arg,
)

form_version = bounded_int(1, 9999, "phiên bản")


def register(commands) -> None:
    group = command_group(commands, "collection", "cấp trên: thông báo thu biểu gửi xuống cấp dưới", "thu biểu")
    sub = command(
        group,
        "publish",
        cmd_collection_publish,
        "ký thông báo thu biểu (biểu, kỳ, hạn nộp) thành tệp .sctp và mở (hoặc gia hạn) kỳ thu biểu tại đây",
    )
    db_arg(sub)
    sub.add_argument("--form", required=True, type=plain_code, help="mã biểu (ví dụ kl224)")
    sub.add_argument("--version", type=form_version, help="phiên bản (mặc định: của đơn vị nếu có, mới nhất)")
    sub.add_argument("--period", required=True, type=plain_period, help="kỳ báo cáo (ví dụ 2026)")
    sub.add_argument("--deadline", required=True, help="hạn nộp, ngày/tháng/năm")
    sub.add_argument("--note", default="", help="lời dặn kèm theo")
    sub.add_argument("--out", required=True, help="thư mục (hoặc tệp .sctp) để ghi")
    user_arg(sub, "tên người ký, ghi lại")
    json_arg(sub)

    group = command_group(commands, "reopening", "cấp trên: mở lại báo cáo đã nhận của một đơn vị", "mở lại")
    sub = command(
        group,
        "publish",
        cmd_reopening_publish,
        "ký thông báo mở lại báo cáo đã nhận của một đơn vị trực thuộc (để sửa và gửi lần sau) thành tệp .sctp",
    )
    db_arg(sub)
    sub.add_argument("--unit", required=True, type=plain_code, help="mã đơn vị trực thuộc (ví dụ 03445)")
    sub.add_argument("--form", required=True, type=plain_code, help="mã biểu")
    sub.add_argument("--period", required=True, type=plain_period, help="kỳ báo cáo")
    sub.add_argument("--reason", required=True, help="lý do mở lại: đơn vị cần sửa gì")
    sub.add_argument("--out", required=True, help="thư mục (hoặc tệp .sctp) để ghi")
    user_arg(sub, "tên người ký, ghi lại")
    json_arg(sub)

    group = command_group(
        commands, "publication", "xã: nhập biểu mẫu và thông báo thu biểu do cấp trên gửi xuống", "tệp phát hành"
    )
    sub = command(
        group,
        "import",
        cmd_publication_import,
        "nhập tệp .sctp của cấp trên; mã thoát 3 khi giữ lại chờ đăng ký khóa của cấp trên",
    )
    db_arg(sub)
    sub.add_argument("file", metavar="TỆP.sctp", help="tệp phát hành")
    user_arg(sub, "người nhập, ghi lại")
    json_arg(sub)

    sub = command(group, "todo", cmd_publication_todo, "các biểu cấp trên yêu cầu nộp, kèm hạn nộp và số ngày còn lại")
    db_arg(sub)
    json_arg(sub)


def cmd_collection_publish(args) -> int:
    from cli.common import parse_day
    from exports.publications.publish import publish_collection

    gw = open_existing(args.db)
    deadline = parse_day(args.deadline)
    published = publish_collection(
        gw,
        args.form,
        args.version,
        args.period,
        deadline,
        args.note,
        read_passphrase("Mật khẩu khóa ký: "),
        args.out,
        args.user,
    )
    return say(args, published.to_dict(), published.sentence)


def cmd_reopening_publish(args) -> int:
    from exports.publications.publish import publish_reopening

    gw = open_existing(args.db)
    passphrase = read_passphrase("Mật khẩu khóa ký: ")
    published = publish_reopening(gw, args.unit, args.form, args.period, args.reason, passphrase, args.out, args.user)
    return say(args, published.to_dict(), published.sentence)


def cmd_publication_import(args) -> int:
    import sys

    from exports.publications.receive import import_publication

    got = import_publication(open_existing(args.db), args.file, args.user)
    if args.json:
        print_json(got.to_dict())
    else:
        print(got.sentence)
    if got.held:
        print("Chưa đối chiếu được khóa của cấp trên (keys enrol tệp .sctk của cấp trên).", file=sys.stderr)
        return 3
    return 0


def cmd_publication_todo(args) -> int:
    from exports.publications.todos import collection_todos

    todos = collection_todos(open_existing(args.db))
    if args.json:
        print_json([t.to_dict() for t in todos])
        return 0
    print("\n".join(t.text for t in todos) if todos else "Cấp trên chưa yêu cầu nộp biểu nào.")
    return 0
