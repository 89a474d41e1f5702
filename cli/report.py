"""Commands over one unit's reports: reports, show, check, load."""

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
        print_json({k: data[k] for k in ("unit", "form", "period", "target_set", "findings", "targets", "summary")})
    else:
        print("\n".join(render_findings(view)))
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
