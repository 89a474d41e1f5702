"""Commands that set a machine up and say what it knows: init, units (the forms: cli/forms.py)."""

from __future__ import annotations

from cli.common import command, db_arg, json_arg, open_existing, plain_code, print_json, read_passphrase


def register(commands) -> None:
    sub = command(commands, "init", cmd_init, "tạo cơ sở dữ liệu mới (--demo: kèm dữ liệu mẫu tỉnh Lai Châu)")
    db_arg(sub)
    sub.add_argument("--demo", action="store_true", help="thêm dữ liệu mẫu")
    sub.add_argument("--demo-upper", action="store_true", help="dữ liệu mẫu cấp tỉnh: nhận gói của các xã mẫu")
    sub.add_argument(
        "--upper", type=plain_code, metavar="MÃ_TỈNH", help="thiết lập máy cấp tỉnh nhận gói của mọi xã trong tỉnh"
    )
    sub.add_argument("--officer", help="họ tên cán bộ tổng hợp, người giữ khóa ký (với --upper)")
    sub.add_argument("--title", help="chức vụ của cán bộ (với --upper)")

    sub = command(commands, "units", cmd_units, "liệt kê đơn vị theo cây")
    db_arg(sub)
    sub.add_argument("--under", type=plain_code, help="chỉ các đơn vị thuộc mã này")
    sub.add_argument("--all", action="store_true", help="kể cả đơn vị đã ngừng hoặc đã gộp")
    json_arg(sub)


def cmd_init(args) -> int:
    from models.gateway import Gateway

    gw = Gateway.open(args.db, adopt_empty=True)  # asked for a database here: a file of 0 bytes becomes one
    if args.demo_upper:
        from models.demo import build_upper_demo

        build_upper_demo(gw)
        print(
            f"Đã tạo cơ sở dữ liệu mẫu cấp tỉnh “{args.db}” (Tỉnh Lai Châu nhận gói các xã, biểu kl224 năm 2024, 2025)."
        )
    elif args.upper:
        return init_upper(gw, args)
    elif args.demo:
        from forms.library import default_library
        from models.demo import build_demo

        build_demo(gw, default_library())
        print(f"Đã tạo cơ sở dữ liệu mẫu “{args.db}” (Tỉnh Lai Châu, 4 xã có bản mẫu, năm 2024 và 2025).")
    else:
        print(f"Cơ sở dữ liệu “{args.db}” đã sẵn sàng.")
    return 0


def init_upper(gw, args) -> int:
    from models.errors import BadInput
    from models.setup import setup_upper, with_signing_key

    if not args.officer:
        raise BadInput("Cần họ tên cán bộ tổng hợp: thêm --officer “Họ và tên”.")
    passphrase = read_passphrase("Đặt mật khẩu cho khóa ký của đơn vị (ít nhất 8 ký tự): ", confirm=True)
    unit, key = with_signing_key(gw, lambda: setup_upper(gw, args.upper, args.officer, args.title or ""), passphrase)
    communes = len(gw.children(unit.code))
    print(f"Đã thiết lập {unit.name} nhận gói của {communes} xã, phường; người giữ khóa: {key.holder_name}.")
    print(f"Mã khóa: {key.spoken}")
    print("Tiếp theo: mở kỳ thu biểu (inbox open) và đăng ký khóa của các xã (keys enrol).")
    return 0


def cmd_units(args) -> int:
    units = open_existing(args.db).subtree(args.under, active_only=not args.all)
    if args.json:
        print_json([unit.to_dict(depth) for unit, depth in units])
        return 0
    for unit, depth in units:
        flags = (" [mẫu]" if unit.demo else "") + ("" if unit.active else " [đã ngừng]")
        print(f"{'  ' * depth}{unit.code}  {unit.name}{flags}")
    return 0
