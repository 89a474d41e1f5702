"""Double entry of one report: double-entry start, load, finish, differences, resolve, status, cancel
(models/double_entry.py; the window's Gói › Nhập hai lần...)."""

from __future__ import annotations

from cli.common import command, command_group, json_arg, open_existing, plain_code, print_json, report_args, say


def register(commands) -> None:
    group = command_group(
        commands,
        "double-entry",
        "nhập hai lần: nhập lại từ giấy vào bảng trống, đối chiếu từng ô khác nhau trước khi ký",
        "nhập hai lần",
    )

    sub = command(group, "start", cmd_start, "bắt đầu lần nhập thứ hai (bảng trống), ghi tên người nhập")
    report_args(sub)
    sub.add_argument("--who", required=True, help="tên người nhập lần hai")
    json_arg(sub)

    sub = command(group, "load", cmd_load, "nạp số liệu lần hai từ tệp JSON cùng cấu trúc với show --json")
    report_args(sub)
    sub.add_argument("file", metavar="TỆP.json", help="tệp số liệu lần hai")
    json_arg(sub)

    sub = command(group, "finish", cmd_finish, "xong lần hai: liệt kê các ô hai lần nhập khác nhau")
    report_args(sub)
    json_arg(sub)

    sub = command(group, "differences", cmd_differences, "các ô hai lần nhập khác nhau và cách đã chọn")
    report_args(sub)
    json_arg(sub)

    sub = command(group, "resolve", cmd_resolve, "đối chiếu một ô: giữ lần 1, giữ lần 2 hoặc nhập số khác")
    report_args(sub)
    sub.add_argument("--indicator", required=True, type=plain_code, help="mã chỉ tiêu của ô (ví dụ 2.3)")
    sub.add_argument("--village", type=plain_code, help="mã bản của ô; bỏ trống: ô của cả xã")
    choice = sub.add_mutually_exclusive_group(required=True)
    choice.add_argument("--keep", type=_kept, metavar="first|second", help="giữ lần 1 (first) hoặc lần 2 (second)")
    choice.add_argument("--value", help="nhập số khác cho ô")
    sub.add_argument("--who", required=True, help="tên người đối chiếu, ghi vào nhật ký sửa đổi")
    json_arg(sub)

    sub = command(group, "status", cmd_status, "tình trạng nhập hai lần của báo cáo")
    report_args(sub)
    json_arg(sub)

    sub = command(group, "cancel", cmd_cancel, "bỏ lần nhập thứ hai đang dở (số liệu lần một giữ nguyên)")
    report_args(sub)
    json_arg(sub)


def _kept(text: str) -> str:
    import argparse

    if text not in ("first", "second"):
        raise argparse.ArgumentTypeError(f"“{text}” không hợp lệ; ghi first (giữ lần 1) hoặc second (giữ lần 2)")
    return text


def _report(args):
    """The database, the report named and the form version it was begun with."""
    from models.reporting import open_report_view

    gw = open_existing(args.db)
    return gw, open_report_view(gw, args.unit, args.form, args.period)


def cmd_start(args) -> int:
    from models.double_entry import start_second_pass

    gw, view = _report(args)
    started = start_second_pass(gw, view.report, args.who, view.form)
    return say(args, started.to_dict(), f"Đã bắt đầu nhập lần hai. {started.sentence()}")


def cmd_load(args) -> int:
    from exports.report_json import edits_from_dict, read_values_file
    from models.double_entry import enter_second

    data = read_values_file(args.file)
    gw, view = _report(args)
    villages = gw.villages_of(view.unit.code, active_only=False)
    codes = {v.code: v.code for v in villages} | {v.local_code: v.code for v in villages if v.local_code}
    edits = edits_from_dict(data, view.unit.code, view.form.id, view.report.period_code, codes)
    changes = enter_second(gw, view.report, view.form, edits)
    return say(args, {"changed": len(changes)}, f"Đã nạp {len(changes)} ô vào lần nhập thứ hai.")


def cmd_finish(args) -> int:
    from models.double_entry import finish_second_pass, status

    gw, view = _report(args)
    found = finish_second_pass(gw, view.report, view.form)
    _print_differences(args, found, status(gw, view.report, view.form))
    return 0


def cmd_differences(args) -> int:
    from models.double_entry import differences, status

    gw, view = _report(args)
    _print_differences(args, differences(gw, view.report, view.form), status(gw, view.report, view.form))
    return 0


def cmd_resolve(args) -> int:
    from models.double_entry import Choice, resolve

    gw, view = _report(args)
    unit_code = view.unit.code
    if args.village:
        villages = gw.villages_of(view.unit.code, active_only=False)
        codes = {v.code: v.code for v in villages} | {v.local_code: v.code for v in villages if v.local_code}
        unit_code = codes.get(args.village, args.village)
    choice = {"first": Choice.FIRST, "second": Choice.SECOND}.get(args.keep, Choice.OTHER)
    after = resolve(gw, view.report, view.form, args.indicator, unit_code, choice, args.value, args.who)
    return say(args, after.to_dict(), f"Đã đối chiếu ô ({choice.words}). {after.sentence()}")


def cmd_status(args) -> int:
    from models.double_entry import status

    gw, view = _report(args)
    now = status(gw, view.report, view.form)
    return say(args, now.to_dict(), now.sentence())


def cmd_cancel(args) -> int:
    from models.double_entry import cancel

    gw, view = _report(args)
    after = cancel(gw, view.report)
    return say(args, after.to_dict(), f"Đã bỏ lần nhập thứ hai. {after.sentence()}")


def _print_differences(args, found, now) -> None:
    if args.json:
        print_json({"status": now.to_dict(), "differences": [d.to_dict() for d in found]})
        return
    print(now.sentence())
    for d in found:
        decided = f" → {_choice_words(d.choice)} ({d.decided_by})" if d.resolved else ""
        print(f"  {d.unit_name} / {d.label}: lần 1 {d.first_text}, lần 2 {d.second_text}{decided}")


def _choice_words(choice: str) -> str:
    from models.double_entry import Choice

    return Choice(choice).words
