"""The unit's signing keys: keys init, show, export (for the upper level), and enrol (at the upper level)."""

from __future__ import annotations

from cli.common import (
    COMMAND,
    command,
    command_group,
    db_arg,
    home_unit,
    json_arg,
    open_existing,
    plain_code,
    print_json,
    read_passphrase,
    user_arg,
)


def register(commands) -> None:
    group = command_group(commands, "keys", "khóa ký của đơn vị: tạo, xem, xuất tệp đăng ký", "khóa ký")

    def unit_key_args(sub) -> None:
        db_arg(sub)
        sub.add_argument("--unit", type=plain_code, help="mã đơn vị (mặc định: đơn vị của máy này)")

    sub = command(group, "init", cmd_keys_init, "tạo khóa ký (mật khẩu nhập hai lần, hoặc SCT_PASSPHRASE)")
    unit_key_args(sub)
    sub.add_argument("--holder", help="họ tên người giữ khóa (mặc định: cán bộ nhập liệu)")
    sub.add_argument("--title", help="chức vụ người giữ khóa")
    sub.add_argument("--replace", action="store_true", help="thay khóa đang dùng; gói cũ vẫn kiểm tra được")

    sub = command(group, "show", cmd_keys_show, "liệt kê các khóa ký của đơn vị và mã khóa đọc được")
    unit_key_args(sub)
    json_arg(sub)

    sub = command(group, "export", cmd_keys_export, "ghi tệp đăng ký khóa (.sctk) gửi cấp trên")
    unit_key_args(sub)
    sub.add_argument("--fingerprint", help="mã khóa (hoặc phần đầu) khi cần xuất một khóa đã thay")
    sub.add_argument("--out", required=True, help="tệp hoặc thư mục để ghi")

    sub = command(group, "enrol", cmd_keys_enrol, "cấp trên: tin cậy khóa của đơn vị cấp dưới từ tệp đăng ký (.sctk)")
    db_arg(sub)
    sub.add_argument("file", metavar="TỆP.sctk", help="tệp đăng ký khóa")
    user_arg(sub, "tên người đăng ký, ghi lại")


def cmd_keys_init(args) -> int:
    from models.errors import BadInput
    from models.keys import create_unit_key

    gw = open_existing(args.db)
    unit = gw.require_unit(home_unit(gw, args.unit))
    holder = args.holder or (gw.setting("officer_name") if unit.code == gw.setting("home_unit") else None)
    if not holder:
        raise BadInput("Cần họ tên người giữ khóa: thêm --holder “Họ và tên”.")
    title = args.title if args.title is not None else gw.setting("officer_title", "")
    passphrase = read_passphrase("Đặt mật khẩu cho khóa ký (ít nhất 8 ký tự): ", confirm=True)
    key = create_unit_key(gw, unit.code, passphrase, holder, title, replace=args.replace)
    print(f"Đã tạo khóa ký cho {unit.name}, người giữ: {key.holder_name}.")
    print(f"Mã khóa: {key.spoken}  (đọc mã này cho cấp trên qua điện thoại khi gửi tệp đăng ký khóa)")
    return 0


def cmd_keys_show(args) -> int:
    from forms import vnformat
    from models.keys import unit_keys

    gw = open_existing(args.db)
    unit = gw.require_unit(home_unit(gw, args.unit))
    keys = unit_keys(gw, unit.code)
    if args.json:
        print_json([k.to_dict() for k in keys])
        return 0
    if not keys:
        print(f"{unit.name} chưa có khóa ký (tạo bằng: {COMMAND} keys init --db {args.db}).")
    for k in keys:
        state = "đang dùng" if k.in_use else f"đã thay ngày {vnformat.date(k.replaced_at[:10])}"
        print(f"{k.spoken}  {k.holder_name}  tạo ngày {vnformat.date(k.created_at[:10])}  [{state}]")
    return 0


def cmd_keys_export(args) -> int:
    from exports.atomic import output_path
    from exports.packets.enrolment import default_enrolment_name, write_enrolment
    from models.keys import unit_key

    gw = open_existing(args.db)
    unit = gw.require_unit(home_unit(gw, args.unit))
    key = unit_key(gw, unit.code, args.fingerprint)
    path = write_enrolment(key, unit, output_path(args.out, default_enrolment_name(key)))
    print(f"Đã ghi tệp đăng ký khóa “{path}” của {unit.name}, mã khóa {key.spoken}.")
    return 0


def cmd_keys_enrol(args) -> int:
    from exports.collect.inbox import enrol_and_refile
    from exports.packets.enrolment import read_enrolment
    from models.form_store import library_of

    gw = open_existing(args.db)
    enrolled, refiled = enrol_and_refile(gw, read_enrolment(args.file), library_of(gw), args.user)
    print(enrolled.sentence())
    print(f"Mã khóa: {enrolled.enrolment.spoken}  (đọc lại với người giữ khóa qua điện thoại để chắc đúng)")
    for packet_id, status, note in refiled:
        print(f"Gói số {packet_id} đang chờ khóa này: {status.words}. {note}")
    return 0
