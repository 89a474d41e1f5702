"""Commands over one unit's reports: reports, show, check, load, carry-forward, confirm-carried."""

from __future__ import annotations

import sys

from cli.common import (
    command,
    db_arg,
    json_arg,
    open_existing,
    open_view,
    plain_code,
    print_json,
    report_args,
    user_arg,
)


def register(commands) -> None:
    sub = command(commands, "reports", cmd_reports, "liệt kê các báo cáo đã có, kèm số lỗi và cảnh báo")
    db_arg(sub)
    sub.add_argument("--unit", type=plain_code, help="chỉ báo cáo của đơn vị này")
    json_arg(sub)

    sub = command(commands, "show", cmd_show, "in biểu đã điền của một đơn vị, một kỳ")
    report_args(sub)
    sub.add_argument("--targets", type=plain_code, help="so với bộ mục tiêu (ví dụ muong-te-2025)")
    json_arg(sub, "in dạng JSON (cấu trúc trong docs/cli.md)")

    sub = command(
        commands, "load", cmd_load, "nạp số liệu từ tệp JSON cùng cấu trúc với show --json (tất cả hoặc không)"
    )
    report_args(sub)
    sub.add_argument("file", metavar="TỆP.json", help="tệp số liệu")
    user_arg(sub, "tên người nạp, ghi vào nhật ký sửa đổi")

    sub = command(commands, "check", cmd_check, "kiểm tra số liệu; mã thoát 1 khi có lỗi")
    report_args(sub)
    sub.add_argument("--targets", type=plain_code, help="so với bộ mục tiêu")
    json_arg(sub)

    sub = command(
        commands,
        "carry-forward",
        cmd_carry_forward,
        "lập báo cáo kỳ mới (nếu chưa có) và lấy số kỳ trước cho các chỉ tiêu ít thay đổi, chờ xác nhận",
    )
    report_args(sub)
    sub.add_argument("--user", "--who", dest="user", default="dong-lenh", help="tên người lấy số, ghi vào nhật ký")
    json_arg(sub)

    sub = command(
        commands, "confirm-carried", cmd_confirm_carried, "xác nhận số chuyển từ kỳ trước (một ô hoặc tất cả)"
    )
    report_args(sub)
    sub.add_argument("--all", action="store_true", help="xác nhận mọi ô chuyển từ kỳ trước chưa xác nhận")
    sub.add_argument("--indicator", type=plain_code, help="mã chỉ tiêu của ô cần xác nhận")
    sub.add_argument("--unit-code", type=plain_code, help="mã bản (hoặc của xã) của ô cần xác nhận")
    sub.add_argument("--user", "--who", dest="user", default="dong-lenh", help="tên người xác nhận")
    json_arg(sub)


def cmd_reports(args) -> int:
    from exports.report_list import report_listing
    from models.form_store import library_of
    from models.vocabulary import AnswerState

    gw = open_existing(args.db)
    listed = report_listing(gw, library_of(gw), args.unit)
    if args.json:
        print_json(listed)
        return 0
    print_todos(args.db)
    if not listed:
        print("Chưa có báo cáo nào.")
    for e in listed:
        counts = f"{e['errors']} lỗi, {e['warnings']} cảnh báo" if e["errors"] is not None else e["note"]
        print(f"{e['unit_code']}  {e['unit_name']}  {e['form_id']}  {e['period']}  {counts}")
        if e["upper_level"]["state"] != AnswerState.NOT_SENT:
            print(f"    {e['upper_level']['text']}")
    return 0


def print_todos(db: str) -> None:
    """Above the reports: what the upper level asked for with its collection notices, with the days left."""
    from exports.publications.todos import collection_todos

    todos = collection_todos(open_existing(db))
    if todos:
        print("Việc cấp trên yêu cầu:")
        print("\n".join(f"  - {todo.text}" for todo in todos))


def cmd_show(args) -> int:
    from exports.report_json import report_to_dict
    from exports.text_report import render_report

    gw, view = open_view(args)
    if args.json:
        print_json(report_to_dict(gw, view))
        return 0
    parent = gw.unit(view.unit.parent_code) if view.unit.parent_code else None
    print(render_report(view, gw.period(args.period), parent.name if parent else None))
    return 0


def cmd_check(args) -> int:
    from exports.report_json import report_to_dict
    from exports.text_report import render_findings

    gw, view = open_view(args)
    if args.json:
        data = report_to_dict(gw, view)
        keys = ("unit", "form", "period", "target_set", "findings", "targets", "summary", "late")
        print_json({k: data[k] for k in keys})
    else:
        print("\n".join(render_findings(view)))
        from models.lateness import report_lateness

        if late := report_lateness(gw, view.report):
            print(f"{late.text}.")
    if view.evaluation.errors:
        print(f"Báo cáo còn {len(view.evaluation.errors)} lỗi phải sửa.", file=sys.stderr)
        return 1
    return 0


def cmd_load(args) -> int:
    from exports.report_json import load_report, read_values_file
    from exports.text_report import summary_line

    data = read_values_file(args.file)
    gw = open_existing(args.db)
    changes, view = load_report(gw, args.unit, args.form, args.period, data, args.user)
    period = gw.period(args.period)
    print(
        f"Đã nạp {len(changes)} ô thay đổi vào {view.unit.name}, {view.form.id}, {period.label}. {summary_line(view)}."
    )
    return 0


def cmd_carry_forward(args) -> int:
    from models.carry_forward import carry_forward, source_report
    from models.reporting import report_form, require_form, start_report

    gw = open_existing(args.db)
    unit = gw.require_unit(args.unit)
    form = require_form(args.form, gw)
    report = gw.find_report(unit.code, form.id, gw.period(args.period).code)
    if report is None:
        report = start_report(gw, unit.code, form, args.period)
    form = report_form(gw, report) or form
    source = source_report(gw, report)
    count = carry_forward(gw, report, form, args.user)
    period = gw.period(report.period_code)
    if args.json:
        print_json({"carried": count, "from_period": source.period_code if source else None})
    elif source is None:
        print(f"{unit.name} chưa có báo cáo biểu {form.id} nào trước {period.in_sentence}: không có số để lấy.")
    else:
        label = gw.period(source.period_code).label
        print(f"Đã lấy {count} ô từ {label} vào {unit.name}, {form.id}, {period.label}; hãy xác nhận hoặc sửa.")
    return 0


def cmd_confirm_carried(args) -> int:
    from models.carry_forward import confirm_carried
    from models.errors import BadInput

    one_cell = bool(args.indicator and args.unit_code)
    if args.all == bool(args.indicator or args.unit_code) or not (args.all or one_cell):
        raise BadInput("Hãy ghi --all, hoặc cả --indicator và --unit-code của một ô.")
    gw, view = open_view_plain(args)
    cells = None if args.all else [(args.indicator, args.unit_code)]
    count = confirm_carried(gw, view.report, cells, args.user)
    if args.json:
        print_json({"confirmed": count})
    else:
        print(f"Đã xác nhận {count} ô chuyển từ kỳ trước.")
    return 0


def open_view_plain(args):
    """open_view() for a command without --targets."""
    from models.reporting import open_report_view

    gw = open_existing(args.db)
    return gw, open_report_view(gw, args.unit, args.form, args.period)
