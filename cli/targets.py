"""``targets``: the target sets this unit sets for itself (models/target_store.py), beside those
shipped in a form's file: listed, set (a new set, or the next version of one), and published to the
units below (a signed .sctp, exports/publications/publish.py).

    targets list --db DB [--form ID] [--json]
    targets set --db DB --form ID --set ID [--name TEXT] [--source "Kế hoạch số …"]
                [--source-date dd/mm/yyyy] --from dd/mm/yyyy --target "2.3>=90%" [--target …]
                [--user NAME] [--json]
    targets publish --db DB --form ID --set ID --out FOLDER|FILE.sctp [--user NAME] [--json]
"""

from __future__ import annotations

from cli.common import (
    command,
    command_group,
    db_arg,
    json_arg,
    open_existing,
    parse_day,
    plain_code,
    print_json,
    read_passphrase,
    say,
    user_arg,
)


def register(commands) -> None:
    actions = command_group(
        commands, "targets", "bộ mục tiêu của đơn vị: liệt kê, đặt mới", "Bộ mục tiêu do đơn vị này đặt"
    )
    listed = command(actions, "list", cmd_list, "liệt kê các bộ mục tiêu đơn vị đã đặt, mỗi phiên bản")
    db_arg(listed)
    listed.add_argument("--form", type=plain_code, help="chỉ các bộ mục tiêu của biểu này (ví dụ kl224)")
    json_arg(listed)

    chosen = command(actions, "set", cmd_set, "đặt một bộ mục tiêu mới, hoặc phiên bản mới của bộ đã có")
    db_arg(chosen)
    chosen.add_argument("--form", required=True, type=plain_code, help="mã biểu (ví dụ kl224)")
    chosen.add_argument("--set", required=True, dest="set_id", help="mã bộ mục tiêu (ví dụ tinh-2026)")
    chosen.add_argument("--name", help="tên bộ mục tiêu (phiên bản mới: mặc định giữ tên cũ)")
    chosen.add_argument("--source", help="số văn bản giao mục tiêu, ví dụ “Kế hoạch số 67-KH/ThU”")
    chosen.add_argument("--source-date", type=parse_day, help="ngày của văn bản, ngày/tháng/năm")
    chosen.add_argument("--from", required=True, dest="starts", type=parse_day, help="áp dụng từ ngày (ngày/tháng/năm)")
    chosen.add_argument(
        "--target",
        action="append",
        required=True,
        dest="targets",
        help="một mục tiêu: mã chỉ tiêu, phép so sánh, số (có %% là tỷ lệ), ví dụ 2.3>=90%% hoặc 1.1>=120; "
        "lặp lại cho mỗi mục tiêu",
    )
    user_arg(chosen, "người đặt (ghi vào bộ mục tiêu)")
    json_arg(chosen)

    publish = command(
        actions, "publish", cmd_publish, "cấp trên: ký một bộ mục tiêu của đơn vị thành tệp .sctp gửi xuống"
    )
    db_arg(publish)
    publish.add_argument("--form", required=True, type=plain_code, help="mã biểu (ví dụ kl224)")
    publish.add_argument("--set", required=True, dest="set_id", help="mã bộ mục tiêu đơn vị đã đặt (ví dụ tinh-2026)")
    publish.add_argument("--out", required=True, help="thư mục (hoặc tệp .sctp) để ghi")
    user_arg(publish, "tên người ký, ghi lại")
    json_arg(publish)


def cmd_list(args) -> int:
    from forms import vnformat
    from models.form_store import library_of
    from models.target_store import kept_target_sets, target_words

    gw = open_existing(args.db)
    kept = kept_target_sets(gw, args.form)
    if args.json:
        print_json([s.to_dict() for s in kept])
        return 0
    if not kept:
        print("Chưa có bộ mục tiêu nào do đơn vị đặt (các bộ mục tiêu kèm theo biểu: xem lệnh forms).")
        return 0
    library = library_of(gw)
    for stored in kept:
        form = library.get(stored.form_id) or next((f for f in library.all() if f.id == stored.form_id), None)
        print(f"{stored.form_id}  {stored.set_id}  phiên bản {stored.version}  (đơn vị {stored.owner})  {stored.name}")
        print(f"    {stored.source}; áp dụng từ ngày {vnformat.date(stored.starts)}")
        print("    " + "; ".join(target_words(form, row) for row in stored.targets))
    return 0


def cmd_set(args) -> int:
    from forms import vnformat
    from models.errors import BadInput
    from models.form_store import find_form, library_of
    from models.target_store import latest_version, parse_targets, save_target_set

    gw = open_existing(args.db)
    form = find_form(library_of(gw), args.form, None, None, gw.setting("home_unit") or "")
    before = latest_version(gw, form.id, args.set_id)
    source_date = args.source_date or (before.source_date if before else None)
    if source_date is None:
        raise BadInput("Thiếu ngày của văn bản giao mục tiêu: thêm --source-date ngày/tháng/năm.")
    stored, new = save_target_set(
        gw,
        form,
        args.set_id,
        args.name if args.name is not None else (before.name if before else ""),
        args.source if args.source is not None else (before.source_number if before else ""),
        source_date,
        args.starts,
        parse_targets(args.targets),
        args.user,
    )
    if args.json:
        print_json({**stored.to_dict(), "new": new})
        return 0
    said = "Đã lưu" if new else "Đã có từ trước, không đổi:"
    print(
        f"{said} bộ mục tiêu {stored.set_id} phiên bản {stored.version} của biểu {stored.form_id} "
        f"({len(stored.targets)} mục tiêu, áp dụng từ ngày {vnformat.date(stored.starts)})."
    )
    return 0


def cmd_publish(args) -> int:
    from exports.publications.publish import publish_target_set

    gw = open_existing(args.db)
    published = publish_target_set(
        gw, args.form, args.set_id, read_passphrase("Mật khẩu khóa ký: "), args.out, args.user
    )
    return say(args, published.to_dict(), published.sentence)
