"""Sổ Chỉ Tiêu: the window when there is a screen, the CLI otherwise.

Every command is a thin layer over the functions the window calls (models/,
forms/, exports/). Exit codes: 0 success, 1 the data has errors, 2 bad
arguments or unreadable input. A failure prints one Vietnamese line on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path

from exports.paper.printouts import require_form
from forms import vnformat
from forms.library import default_library
from forms.loader import FormError
from models.about import APP_NAME
from models.errors import BadInput, UserError
from models.gateway import Gateway

# How the officer types this program: the bundle's own name once installed.
COMMAND = Path(sys.executable).name if getattr(sys, "frozen", False) else "python main.py"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.selftest:
            return cmd_selftest()
        if args.command is None:
            return start_window(args)
        return args.handler(args)
    except (UserError, FormError) as exc:
        print(str(exc), file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (| head) stopped listening: not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout again at exit
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets a sentence, never a traceback
        if os.environ.get("SCT_DEBUG"):
            raise
        print(
            f"Lỗi không mong đợi ({exc.__class__.__name__}: {exc}). Chạy lại với SCT_DEBUG=1 để xem chi tiết.",
            file=sys.stderr,
        )
        return 2


# ---- the commands ---------------------------------------------------------------


def cmd_selftest() -> int:
    from ui.selftest import SelftestFailed, run_selftest

    try:
        return run_selftest()
    except SelftestFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1


def cmd_init(args) -> int:
    path = Path(args.db)
    gw = Gateway.open(path)
    if args.demo_upper:
        from models.demo import build_upper_demo

        build_upper_demo(gw)
        print(f"Đã tạo cơ sở dữ liệu mẫu cấp tỉnh “{path}” (Tỉnh Lai Châu nhận gói các xã, biểu kl224 năm 2024, 2025).")
        return 0
    if args.upper:
        return init_upper(gw, args)
    if not args.demo:
        print(f"Cơ sở dữ liệu “{path}” đã sẵn sàng.")
        return 0
    if gw.db["units"].count:
        raise BadInput(f"“{path}” đã có dữ liệu; dữ liệu mẫu chỉ tạo trong một cơ sở dữ liệu mới.")
    from models.demo import build_demo

    build_demo(gw, default_library())
    print(f"Đã tạo cơ sở dữ liệu mẫu “{path}” (Tỉnh Lai Châu, 4 xã có bản mẫu, năm 2024 và 2025).")
    return 0


def init_upper(gw: Gateway, args) -> int:
    from models.keys import create_unit_key
    from models.setup import setup_upper

    if not args.officer:
        raise BadInput("Cần họ tên cán bộ tổng hợp: thêm --officer “Họ và tên”.")
    passphrase = read_passphrase("Đặt mật khẩu cho khóa ký của đơn vị (ít nhất 8 ký tự): ", confirm=True)
    with gw.transaction():  # the units and the key together, or nothing
        unit = setup_upper(gw, args.upper, args.officer, args.title or "")
        key = create_unit_key(gw, unit.code, passphrase, args.officer, args.title or "")
    communes = len(gw.children(unit.code))
    print(f"Đã thiết lập {unit.name} nhận gói của {communes} xã, phường; người giữ khóa: {key.holder_name}.")
    print(f"Mã khóa: {key.spoken}")
    print("Tiếp theo: mở kỳ thu biểu (inbox open) và đăng ký khóa của các xã (keys enrol).")
    return 0


def cmd_forms(args) -> int:
    forms = default_library().all()
    if args.json:
        print_json(
            [
                {
                    "id": f.id,
                    "version": f.version,
                    "title": f.title,
                    "source": f.source,
                    "indicators": len(f.indicators),
                    "rows": sum(1 for i in f.indicators if i.is_row),
                    "target_sets": [{"id": s.id, "name": s.name, "version": s.version} for s in f.target_sets],
                }
                for f in forms
            ]
        )
        return 0
    for form in forms:
        sets = ", ".join(s.id for s in form.target_sets) or "không có"
        print(f"{form.id}  phiên bản {form.version}  {form.title}")
        print(f"    {sum(1 for i in form.indicators if i.is_row)} chỉ tiêu; bộ mục tiêu: {sets}")
    return 0


def cmd_units(args) -> int:
    gw = open_existing(args.db)
    units = gw.subtree(args.under, active_only=not args.all)
    if args.json:
        print_json(
            [
                {
                    "code": u.code,
                    "name": u.name,
                    "kind": u.kind,
                    "tier": u.tier,
                    "parent": u.parent_code,
                    "depth": depth,
                    "active": u.active,
                    "demo": u.demo,
                    "merged_into": u.merged_into,
                }
                for u, depth in units
            ]
        )
        return 0
    for unit, depth in units:
        flags = (" [mẫu]" if unit.demo else "") + ("" if unit.active else " [đã ngừng]")
        print(f"{'  ' * depth}{unit.code}  {unit.name}{flags}")
    return 0


def cmd_reports(args) -> int:
    from exports.packets.answers import report_answer
    from exports.report_json import summary
    from models.reporting import view_report

    gw = open_existing(args.db)
    if args.unit:
        gw.require_unit(args.unit)
    listed = []
    for report in gw.reports(args.unit):
        form = default_library().get(report.form_id, report.form_version)
        unit = gw.require_unit(report.unit_code)
        entry = {
            "unit_code": unit.code,
            "unit_name": unit.name,
            "form_id": report.form_id,
            "form_version": report.form_version,
            "period": report.period_code,
        }
        answer = report_answer(gw, report)
        entry["upper_level"] = {"state": answer.state, "sequence": answer.sequence, "text": answer.text}
        if form is None:
            entry.update(errors=None, warnings=None, note="biểu chưa có trong chương trình này")
        else:
            entry.update(
                {
                    k: v
                    for k, v in summary(view_report(gw, report, form)).items()
                    if k in ("errors", "warnings", "villages_missing")
                }
            )
        listed.append(entry)
    if args.json:
        print_json(listed)
        return 0
    if not listed:
        print("Chưa có báo cáo nào.")
    for e in listed:
        counts = f"{e['errors']} lỗi, {e['warnings']} cảnh báo" if e["errors"] is not None else e["note"]
        print(f"{e['unit_code']}  {e['unit_name']}  {e['form_id']}  {e['period']}  {counts}")
        if e["upper_level"]["state"] != "chua_xuat":
            print(f"    {e['upper_level']['text']}")
    return 0


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
    from exports.report_json import edits_from_dict, read_values_file
    from exports.text_report import summary_line
    from models.reporting import enter_values, start_report, view_report

    data = read_values_file(args.file)
    gw = open_existing(args.db)
    unit = gw.require_unit(args.unit)
    form = require_form(args.form)
    period = gw.period(args.period)
    report = gw.find_report(unit.code, form.id, period.code)
    villages = gw.villages_of(unit.code, active_only=False)
    codes = {v.code: v.code for v in villages} | {v.local_code: v.code for v in villages if v.local_code}
    edits = edits_from_dict(data, unit.code, form.id, period.code, codes)
    with gw.transaction():  # a new report and its values arrive together or not at all
        report = report or start_report(gw, unit.code, form, period.code)
        changes = enter_values(gw, report, form, edits, who=args.user)
    view = view_report(gw, report, form)
    print(f"Đã nạp {len(changes)} ô thay đổi vào {unit.name}, {form.id}, {period.label}. {summary_line(view)}.")
    return 0


def cmd_keys_init(args) -> int:
    from models.keys import create_unit_key

    gw = open_existing(args.db)
    unit = gw.require_unit(args.unit or home_unit(gw))
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
    from models.keys import unit_keys

    gw = open_existing(args.db)
    unit = gw.require_unit(args.unit or home_unit(gw))
    keys = unit_keys(gw, unit.code)
    if args.json:
        print_json(
            [
                {
                    "unit_code": k.unit_code,
                    "fingerprint": k.fingerprint,
                    "spoken": k.spoken,
                    "holder_name": k.holder_name,
                    "holder_title": k.holder_title,
                    "created_at": k.created_at,
                    "replaced_at": k.replaced_at,
                    "in_use": k.in_use,
                }
                for k in keys
            ]
        )
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
    from models.keys import unit_keys

    gw = open_existing(args.db)
    unit = gw.require_unit(args.unit or home_unit(gw))
    keys = unit_keys(gw, unit.code)
    if args.fingerprint:
        wanted = args.fingerprint.replace(" ", "").lower()
        keys = [k for k in keys if k.fingerprint.startswith(wanted) or k.spoken.replace(" ", "").startswith(wanted)]
        if not keys:
            raise BadInput(f"{unit.name} không có khóa nào có mã bắt đầu bằng “{args.fingerprint}”.")
    if not keys:
        raise BadInput(f"{unit.name} chưa có khóa ký (tạo bằng lệnh keys init).")
    key = keys[0]
    path = write_enrolment(key, unit, output_path(args.out, default_enrolment_name(key)))
    print(f"Đã ghi tệp đăng ký khóa “{path}” của {unit.name}, mã khóa {key.spoken}.")
    return 0


def cmd_packet_export(args) -> int:
    from exports.packets.write import export_packet

    gw, view = open_view(args)
    passphrase = read_passphrase("Mật khẩu khóa ký: ")
    packet = export_packet(gw, view, passphrase, args.out)
    if args.json:
        print_json({"file": str(packet.path), "manifest": packet.manifest})
        return 0
    print(
        f"Đã ký và lưu gói “{packet.path}”: {view.unit.name}, biểu {view.form.id}, "
        f"{packet.manifest['period']['label']}, lần gửi {packet.sequence}; mã khóa {packet.key.spoken}."
    )
    return 0


def cmd_packet_verify(args) -> int:
    from exports.packets.enrolment import SUFFIX, read_enrolment
    from exports.packets.verify import verify_packet

    trusted = []
    for name in args.trust or []:
        found = sorted(Path(name).glob(f"*{SUFFIX}")) if Path(name).is_dir() else [Path(name)]
        trusted += [read_enrolment(path) for path in found]
    verdict = verify_packet(args.file, trusted, default_library())
    if args.json:
        print_json(verdict.to_dict())
    else:
        print("\n".join(verdict.lines()))
    if verdict.exit_code:
        print(verdict.headline(), file=sys.stderr)
    return verdict.exit_code


def cmd_keys_enrol(args) -> int:
    from exports.collect.inbox import STATUS_WORDS, refile_quarantined
    from exports.collect.trust import enrol
    from exports.packets.enrolment import read_enrolment

    gw = open_existing(args.db)
    enrolled = enrol(gw, read_enrolment(args.file), who=args.user)
    e = enrolled.enrolment
    print(
        f"{'Đã đăng ký' if enrolled.new else 'Đã có từ trước'} khóa của {e.unit_name} ({e.unit_code}), {e.holder_name}."
    )
    print(f"Mã khóa: {e.spoken}  (đọc lại với người giữ khóa qua điện thoại để chắc đúng)")
    for packet_id, status, note in refile_quarantined(gw, default_library()):
        print(f"Gói số {packet_id} đang chờ khóa này: {STATUS_WORDS[status]}. {note}")
    return 0


def cmd_inbox_open(args) -> int:
    from exports.collect.inbox import open_collection

    gw = open_existing(args.db)
    form = require_form(args.form)
    deadline = parse_day(args.deadline) if args.deadline else None
    open_collection(gw, form, args.period, deadline.isoformat() if deadline else None)
    until = f", hạn nộp {vnformat.date(deadline)}" if deadline else ""
    print(f"Đã mở kỳ thu biểu {form.id}, {gw.period(args.period).in_sentence}{until}.")
    return 0


def cmd_inbox_import(args) -> int:
    from exports.collect.inbox import OUTCOME_WORDS, import_packets

    gw = open_existing(args.db)

    def progress(done: int, total: int, path: Path) -> bool:
        if total >= 20 and (done % 50 == 0 or done == total):
            print(f"\rĐã xử lý {done}/{total} tệp...", end="" if done < total else "\n", file=sys.stderr)
        return True

    run = import_packets(gw, args.paths, default_library(), args.user, progress)
    if args.json:
        print_json(
            {
                "files": [
                    {
                        "file": str(f.file),
                        "outcome": f.outcome,
                        "message": f.message,
                        "packet_id": f.packet_id,
                        "unit_code": f.unit_code,
                        "form_id": f.form_id,
                        "period_code": f.period_code,
                        "sequence": f.sequence,
                    }
                    for f in run.filed
                ],
                "ignored": run.ignored,
                "counts": {o: run.count(o) for o in OUTCOME_WORDS if run.count(o)},
            }
        )
    else:
        for f in run.filed:
            where = f"{f.unit_code} {f.form_id} {f.period_code} lần {f.sequence}" if f.unit_code else ""
            print(f"{f.file.name}  [{OUTCOME_WORDS[f.outcome]}]  {where}  {f.message}".replace("    ", "  "))
        counts = ", ".join(f"{run.count(o)} {w}" for o, w in OUTCOME_WORDS.items() if run.count(o))
        ignored = f"; bỏ qua {run.ignored} tệp không phải gói trong thư mục" if run.ignored else ""
        print(f"Tổng cộng {len(run.filed)} tệp: {counts or 'không có gì'}{ignored}.")
    bad = run.count("rejected") + run.count("not_packet") + run.count("refused")
    if bad:
        print(f"{bad} tệp không nhận được; xem lý do ở từng dòng.", file=sys.stderr)
        return 1
    return 0


def cmd_inbox_list(args) -> int:
    from exports.collect.inbox import STATUS_WORDS, received_packets
    from exports.collect.received import packet_code

    gw = open_existing(args.db)
    rows = received_packets(gw, form_id=args.form, period_code=args.period, status=args.status)
    for row in rows:
        row["packet_code"] = packet_code(gw, row["id"])
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("Hộp thư chưa có gói nào.")
    for r in rows:
        unit = gw.unit(r["unit_code"]) if r["unit_code"] else None
        print(
            f"{r['id']:>4}  {r['unit_code'] or '-':<6} {unit.name if unit else '':<24} {r['form_id'] or '-'} "
            f"{r['period_code'] or '-'} lần {r['sequence'] or '-'}  mã gói {r['packet_code'] or '-'}"
            f"  [{STATUS_WORDS[r['status']]}]  {r['reason'] or ''}"
        )
    return 0


def cmd_inbox_decide(args) -> int:
    from exports.collect.inbox import decide_conflict

    gw = open_existing(args.db)
    decide_conflict(gw, args.packet, args.reason, args.user)
    print(f"Đã chọn gói số {args.packet}; các gói trùng lần gửi với nó được để riêng, có ghi lý do.")
    return 0


def cmd_receipt_issue(args) -> int:
    from exports.packets.receipt_file import KIND_WORDS, issue_receipt, parse_query

    gw = open_existing(args.db)
    kind = "tra_lai" if args.send_back else "bien_nhan"
    if args.cell and not args.send_back:
        raise BadInput("Ô cần sửa (--cell) chỉ ghi khi trả lại gói (--return).")
    queries = [parse_query(text) for text in args.cell or []]
    passphrase = read_passphrase("Mật khẩu khóa ký: ")
    issued = issue_receipt(
        gw, args.packet, kind, passphrase, args.out, default_library(), args.user, note=args.note or "", queries=queries
    )
    if args.json:
        print_json({"file": str(issued.path), "receipt": issued.receipt})
        return 0
    packet = issued.receipt["packet"]
    print(
        f"Đã ký và lưu {KIND_WORDS[kind]} “{issued.path}” cho gói lần {packet['sequence']} của "
        f"{packet['unit']['name']}, biểu {packet['form']['id']}, {packet['period']['label']}."
    )
    return 0


def cmd_receipt_import(args) -> int:
    from exports.packets.answers import import_receipt

    gw = open_existing(args.db)
    filed = import_receipt(gw, args.file)
    if args.json:
        print_json(
            {
                "receipt": filed.receipt.data,
                "trusted": filed.trusted,
                "new": filed.new,
                "report": {
                    "unit_code": filed.report.unit_code,
                    "form_id": filed.report.form_id,
                    "period": filed.report.period_code,
                },
            }
        )
    else:
        print(("" if filed.new else "Biên nhận này đã nhập từ trước. ") + "\n".join(filed.lines()))
    if not filed.trusted:
        print("Chưa đối chiếu được khóa của cấp trên (keys enrol tệp .sctk của cấp trên).", file=sys.stderr)
        return 3
    return 0


def cmd_packet_upward(args) -> int:
    from exports.collect.merge import merge
    from exports.collect.upward import export_upward
    from models.reporting import find_target_set

    gw = open_existing(args.db)
    form = require_form(args.form)
    table = merge(gw, args.unit, form, args.period, find_target_set(form, args.targets))
    passphrase = read_passphrase("Mật khẩu khóa ký: ")
    packet = export_upward(gw, table, passphrase, args.out)
    if args.json:
        print_json({"file": str(packet.path), "manifest": packet.manifest})
        return 0
    print(
        f"Đã ký và lưu gói tổng hợp “{packet.path}”: {table.parent.name}, biểu {form.id}, {table.period.label}, "
        f"{len(table.received)}/{len(table.units)} đơn vị, lần gửi {packet.sequence}; mã khóa {packet.key.spoken}."
    )
    return 0


def cmd_completeness(args) -> int:
    from exports.collect.completeness import completeness

    gw = open_existing(args.db)
    table = completeness(gw, args.unit, args.period, default_library())
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
            print(f"  {unit.code}  {unit.name:<28} {state.words}{detail}")
            for warning, reason in state.explained:
                print(f"      cảnh báo: {warning} — giải trình: {reason or '(chưa có)'}")
        received = table.count(collected.form_id, "da_nhan", "nop_tre")
        total = sum(1 for key in table.states if key[1] == collected.form_id)
        overdue = table.count(collected.form_id, "qua_han")
        print(f"  Đã nhận {received}/{total}; quá hạn chưa gửi {overdue}.")
    return 0


def cmd_merge(args) -> int:
    from exports.atomic import output_path, write_atomically
    from exports.collect.merge import merge
    from exports.paper.xlsx_merged import merged_workbook
    from models.reporting import find_target_set

    gw = open_existing(args.db)
    form = require_form(args.form)
    table = merge(gw, args.unit, form, args.period, find_target_set(form, args.targets))
    if not table.received:
        raise BadInput(f"Chưa có gói nào được nhận cho biểu {form.id}, {table.period.in_sentence}; chưa tổng hợp.")
    data = merged_workbook(
        gw,
        table,
        signed_on=dt.date.today(),
        officer_name=gw.setting("officer_name", ""),
        officer_title=gw.setting("officer_title", ""),
    )
    path = write_atomically(
        output_path(args.out, f"{table.parent.code}_{form.id}_{table.period.code}_tong-hop.xlsx"), data
    )
    if args.json:
        print_json(
            {
                "file": str(path),
                "received": [u.unit.code for u in table.received],
                "missing": [u.unit.code for u in table.units if u.figures is None],
                "totals": {
                    k: {"achieved": f.value, "total": f.total, "percent": f.percent}
                    for k, f in table.totals.items()
                    if f.applicable and form.indicator(k).is_numeric
                },
                "jumps": [
                    {"unit": j.unit.code, "indicator": j.indicator, "previous": j.previous, "current": j.current}
                    for j in table.jumps
                ],
            }
        )
        return 0
    print(
        f"Đã tổng hợp {len(table.received)}/{len(table.units)} đơn vị vào “{path}”"
        f" ({len(table.jumps)} số liệu thay đổi nhiều so với kỳ trước)."
    )
    return 0


def cmd_print(args) -> int:
    from exports.atomic import output_path
    from exports.paper import printouts
    from ui.printing import ensure_application, write_pdf

    kinds = [name for name in ("blank", "merged", "completeness") if getattr(args, name)]
    if len(kinds) > 1:
        raise BadInput("Chỉ chọn một trong --blank, --merged, --completeness.")
    if not args.form and kinds != ["completeness"]:
        raise BadInput("Thiếu --form: mã biểu cần in (ví dụ kl224).")
    if args.targets and kinds and kinds != ["merged"]:
        raise BadInput("--targets chỉ dùng khi in biểu đã điền hoặc bảng tổng hợp.")
    gw = open_existing(args.db)
    page = {"number": args.number, "signer_name": args.signer, "signer_title": args.signer_title}
    today = dt.date.today()
    if args.completeness:
        document = printouts.completeness_printout(gw, args.unit, args.period, printed_on=today, **page)
    elif args.blank:
        document = printouts.blank_printout(gw, args.unit, args.form, args.period, printed_on=today, **page)
    else:
        pick = printouts.merged_printout if args.merged else printouts.filled_printout
        document = pick(
            gw, args.unit, args.form, args.period, target_set=args.targets, words=args.words, printed_on=today, **page
        )
    path = output_path(args.out, document.name + ".pdf")
    ensure_application()
    write_pdf(document, path)
    if args.json:
        print_json(
            {
                "file": str(path),
                "landscape": document.landscape,
                "footer": document.footer.text,
                "qr": document.footer.qr,
            }
        )
    else:
        print(f"Đã in ra “{path}”.")
        print(document.footer.text)
    return 0


def cmd_backup_create(args) -> int:
    from models.backups import backup_database, prune_backups

    gw = open_existing(args.db)
    try:
        path = backup_database(gw.db.conn, gw.path)
        removed = prune_backups(gw.path)
    finally:
        gw.close()
    if args.json:
        print_json({"file": str(path), "removed": [str(p) for p in removed]})
    else:
        print(f"Đã sao lưu vào “{path}”.")
    return 0


def cmd_backup_list(args) -> int:
    from models.backups import is_good, list_backups

    rows = [(backup, is_good(backup)) for backup in list_backups(Path(args.db))]
    if args.json:
        print_json([{"file": str(b.path), "taken_at": b.taken_at.isoformat(), "good": good} for b, good in rows])
    elif not rows:
        print(f"Chưa có bản sao lưu nào của “{args.db}”.")
    else:
        print("\n".join(f"{b.label}  {'tốt' if good else 'HỎNG'}  {b.path}" for b, good in rows))
    return 0


def cmd_backup_restore(args) -> int:
    from models.backups import Backup, check_backup, newest_good_backup, restore_backup
    from models.database import check_whole
    from models.errors import DamagedDatabase
    from ui.db_hold import lock_database

    path = Path(args.db)
    lock = lock_database(path)  # not under a window that has it open
    try:
        if args.source:
            check_backup(args.source)
            chosen = Backup(Path(args.source), dt.datetime.fromtimestamp(Path(args.source).stat().st_mtime))
        else:
            chosen = newest_good_backup(path)
            if chosen is None:
                raise BadInput(f"Không có bản sao lưu tốt nào của “{path}”; tệp được giữ nguyên.")
        if path.exists() and not args.force:
            try:
                check_whole(path)  # reads only: a refusal leaves the file as it was
            except DamagedDatabase:
                pass
            else:
                raise BadInput(
                    f"“{path}” không hỏng; khôi phục sẽ bỏ những gì nhập sau lúc {chosen.label}. "
                    "Nếu thật sự muốn, thêm --force (tệp hiện tại vẫn được giữ lại)."
                )
        kept = restore_backup(path, chosen)
        Gateway.open(path, create=False).close()
    finally:
        lock.unlock()
    if args.json:
        print_json({"file": str(path), "restored_from": str(chosen.path), "kept": str(kept) if kept else None})
    else:
        print(f"Đã khôi phục “{path}” từ bản sao lưu lúc {chosen.label}.")
        if kept:
            print(f"Tệp cũ được giữ lại ở “{kept}”.")
    return 0


# ---- shared plumbing --------------------------------------------------------------


def open_existing(path: str) -> Gateway:
    return Gateway.open(path, create=False)


def parse_day(text: str) -> dt.date:
    """A date typed dd/mm/yyyy (or ISO), or BadInput."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise BadInput(f"Ngày “{text}” không hợp lệ; viết dạng ngày/tháng/năm, ví dụ 15/01/2026.")


def home_unit(gw: Gateway) -> str:
    code = gw.setting("home_unit")
    if code is None:
        raise BadInput("Chưa chọn đơn vị của máy này; thêm --unit MÃ.")
    return code


def read_passphrase(prompt: str, confirm: bool = False) -> str:
    """From SCT_PASSPHRASE for automation, else typed without echo at a terminal."""
    from models.keys import check_new_passphrase

    passphrase = os.environ.get("SCT_PASSPHRASE")
    if passphrase is None:
        if not sys.stdin.isatty():
            raise BadInput(
                "Cần mật khẩu khóa ký: đặt biến môi trường SCT_PASSPHRASE, hoặc chạy lệnh ở cửa sổ dòng lệnh."
            )
        passphrase = getpass.getpass(prompt)
        if confirm:
            check_new_passphrase(passphrase, getpass.getpass("Nhập lại mật khẩu: "))
    return passphrase


def open_view(args):
    from models.reporting import view_report

    gw = open_existing(args.db)
    unit = gw.require_unit(args.unit)
    period = gw.period(args.period)
    form = require_form(args.form)
    report = gw.find_report(unit.code, form.id, period.code)
    if report is None:
        raise BadInput(f"Chưa có báo cáo biểu {form.id} của {unit.name} cho {period.in_sentence}.")
    form = default_library().get(report.form_id, report.form_version) or form
    return gw, view_report(gw, report, form, args.targets)


def start_window(args) -> int:
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        print(
            f"{APP_NAME}: máy này không có màn hình, hãy dùng dòng lệnh. Ví dụ:\n"
            f"  {COMMAND} init --db demo.db --demo\n"
            f"  {COMMAND} show --db demo.db --unit 03445 --form kl224 --period 2025 --targets muong-te-2025\n"
            f"  {COMMAND} print --db demo.db --unit 03445 --form kl224 --period 2024 --out .   # biểu in ra PDF\n"
            f"  {COMMAND} --selftest   # tự kiểm tra bản cài đặt\n"
            f"Xem mọi lệnh: {COMMAND} --help và docs/cli.md."
        )
        return 0
    from ui.app import run

    return run(args.db)


# argparse's own words, in Vietnamese (it looks `_` up at call time).
_ARGPARSE_WORDS = {
    "usage: ": "cách dùng: ",
    "options": "tùy chọn",
    "positional arguments": "tham số",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "expected one argument": "cần một giá trị",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn trong %(choices)s)",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
}
argparse._ = lambda text: _ARGPARSE_WORDS.get(text, text)


class VietnameseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):
        raise BadInput(f"Tham số không hợp lệ: {message}. Xem: {COMMAND} --help")


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def build_parser() -> argparse.ArgumentParser:
    parser = VietnameseArgumentParser(prog="main.py", description=f"{APP_NAME}: nhập, kiểm tra và tổng hợp chỉ tiêu.")
    parser.add_argument("--db", help="tệp cơ sở dữ liệu cho cửa sổ chương trình")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="tự kiểm tra bản cài đặt trong thư mục tạm (không cần màn hình); mã thoát 1 khi có bước không đạt",
    )
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(dest="command", title="các lệnh", metavar="LỆNH")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def report_args(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
        sub.add_argument("--unit", required=True, help="mã đơn vị (ví dụ 03445)")
        sub.add_argument("--form", required=True, help="mã biểu (ví dụ kl224)")
        sub.add_argument("--period", required=True, help="kỳ báo cáo: 2025, 2025-H1, 2025-Q3, 2021-2025")

    sub = command("init", cmd_init, "tạo cơ sở dữ liệu mới (--demo: kèm dữ liệu mẫu tỉnh Lai Châu)")
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--demo", action="store_true", help="thêm dữ liệu mẫu")
    sub.add_argument("--demo-upper", action="store_true", help="dữ liệu mẫu cấp tỉnh: nhận gói của các xã mẫu")
    sub.add_argument("--upper", metavar="MÃ_TỈNH", help="thiết lập máy cấp tỉnh nhận gói của mọi xã trong tỉnh")
    sub.add_argument("--officer", help="họ tên cán bộ tổng hợp, người giữ khóa ký (với --upper)")
    sub.add_argument("--title", help="chức vụ của cán bộ (với --upper)")

    sub = command("forms", cmd_forms, "liệt kê các biểu mẫu: mã, phiên bản, tên")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = command("units", cmd_units, "liệt kê đơn vị theo cây")
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--under", help="chỉ các đơn vị thuộc mã này")
    sub.add_argument("--all", action="store_true", help="kể cả đơn vị đã ngừng hoặc đã gộp")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = command("reports", cmd_reports, "liệt kê các báo cáo đã có, kèm số lỗi và cảnh báo")
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--unit", help="chỉ báo cáo của đơn vị này")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = command("show", cmd_show, "in biểu đã điền của một đơn vị, một kỳ")
    report_args(sub)
    sub.add_argument("--targets", help="so với bộ mục tiêu (ví dụ muong-te-2025)")
    sub.add_argument("--json", action="store_true", help="in dạng JSON (cấu trúc trong docs/cli.md)")

    sub = command("load", cmd_load, "nạp số liệu từ tệp JSON cùng cấu trúc với show --json (tất cả hoặc không)")
    report_args(sub)
    sub.add_argument("file", metavar="TỆP.json", help="tệp số liệu")
    sub.add_argument("--user", default="dong-lenh", help="tên người nạp, ghi vào nhật ký sửa đổi")

    sub = command("check", cmd_check, "kiểm tra số liệu; mã thoát 1 khi có lỗi")
    report_args(sub)
    sub.add_argument("--targets", help="so với bộ mục tiêu")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = command("completeness", cmd_completeness, "cấp trên: đơn vị nào đã gửi, chưa gửi, quá hạn trong một kỳ")
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--unit", required=True, help="mã đơn vị cấp trên (ví dụ 12)")
    sub.add_argument("--period", required=True, help="kỳ báo cáo")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = command("merge", cmd_merge, "cấp trên: tổng hợp các gói đã nhận thành một bảng xlsx")
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--unit", required=True, help="mã đơn vị cấp trên (ví dụ 12)")
    sub.add_argument("--form", required=True, help="mã biểu")
    sub.add_argument("--period", required=True, help="kỳ báo cáo")
    sub.add_argument("--targets", help="so với bộ mục tiêu")
    sub.add_argument("--out", required=True, help="tệp xlsx hoặc thư mục để ghi")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    keys = commands.add_parser("keys", help="khóa ký của đơn vị: tạo, xem, xuất tệp đăng ký", description="khóa ký")
    keys_commands = keys.add_subparsers(dest="keys_command", title="các lệnh", metavar="LỆNH", required=True)

    def unit_key_args(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
        sub.add_argument("--unit", help="mã đơn vị (mặc định: đơn vị của máy này)")

    sub = keys_commands.add_parser("init", help="tạo khóa ký (mật khẩu nhập hai lần, hoặc SCT_PASSPHRASE)")
    sub.set_defaults(handler=cmd_keys_init)
    unit_key_args(sub)
    sub.add_argument("--holder", help="họ tên người giữ khóa (mặc định: cán bộ nhập liệu)")
    sub.add_argument("--title", help="chức vụ người giữ khóa")
    sub.add_argument("--replace", action="store_true", help="thay khóa đang dùng; gói cũ vẫn kiểm tra được")

    sub = keys_commands.add_parser("show", help="liệt kê các khóa ký của đơn vị và mã khóa đọc được")
    sub.set_defaults(handler=cmd_keys_show)
    unit_key_args(sub)
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = keys_commands.add_parser("export", help="ghi tệp đăng ký khóa (.sctk) gửi cấp trên")
    sub.set_defaults(handler=cmd_keys_export)
    unit_key_args(sub)
    sub.add_argument("--fingerprint", help="mã khóa (hoặc phần đầu) khi cần xuất một khóa đã thay")
    sub.add_argument("--out", required=True, help="tệp hoặc thư mục để ghi")

    sub = keys_commands.add_parser("enrol", help="cấp trên: tin cậy khóa của đơn vị cấp dưới từ tệp đăng ký (.sctk)")
    sub.set_defaults(handler=cmd_keys_enrol)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("file", metavar="TỆP.sctk", help="tệp đăng ký khóa")
    sub.add_argument("--user", default="dong-lenh", help="tên người đăng ký, ghi lại")

    inbox = commands.add_parser("inbox", help="cấp trên: nhận gói của đơn vị cấp dưới", description="hộp thư gói")
    inbox_commands = inbox.add_subparsers(dest="inbox_command", title="các lệnh", metavar="LỆNH", required=True)

    sub = inbox_commands.add_parser("open", help="mở kỳ thu một biểu, kèm hạn nộp")
    sub.set_defaults(handler=cmd_inbox_open)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--form", required=True, help="mã biểu")
    sub.add_argument("--period", required=True, help="kỳ báo cáo")
    sub.add_argument("--deadline", help="hạn nộp, ngày/tháng/năm")

    sub = inbox_commands.add_parser("import", help="nhập gói: tệp hoặc thư mục; mã thoát 1 khi có tệp không nhận")
    sub.set_defaults(handler=cmd_inbox_import)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("paths", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="gói .sctg, hoặc thư mục chứa gói")
    sub.add_argument("--user", default="dong-lenh", help="tên người nhận, ghi lại")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = inbox_commands.add_parser("list", help="các gói đã nhận và trạng thái")
    sub.set_defaults(handler=cmd_inbox_list)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--form", help="chỉ biểu này")
    sub.add_argument("--period", help="chỉ kỳ này")
    sub.add_argument(
        "--status", help="chỉ trạng thái này (accepted, superseded, stale, conflict, quarantined, rejected)"
    )
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = inbox_commands.add_parser("decide", help="chọn gói giữ lại khi hai gói trùng lần gửi")
    sub.set_defaults(handler=cmd_inbox_decide)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--packet", required=True, type=int, help="số gói (xem inbox list)")
    sub.add_argument("--reason", required=True, help="lý do chọn")
    sub.add_argument("--user", default="dong-lenh", help="tên người quyết định, ghi lại")

    receipt = commands.add_parser(
        "receipt", help="biên nhận và trả lại gói: cấp trên ký, xã nhập", description="biên nhận"
    )
    receipt_commands = receipt.add_subparsers(dest="receipt_command", title="các lệnh", metavar="LỆNH", required=True)

    sub = receipt_commands.add_parser("issue", help="cấp trên: ký biên nhận, hoặc trả lại gói kèm yêu cầu sửa")
    sub.set_defaults(handler=cmd_receipt_issue)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--packet", required=True, type=int, help="số gói (xem inbox list)")
    sub.add_argument("--return", dest="send_back", action="store_true", help="trả lại, yêu cầu sửa (cần --note)")
    sub.add_argument("--note", help="lý do trả lại")
    sub.add_argument("--cell", action="append", metavar="CHỈ_TIÊU[@MÃ_BẢN]=LÝ_DO", help="ô cần sửa; ghi nhiều lần được")
    sub.add_argument("--out", required=True, help="tệp biên nhận (.sctb) hoặc thư mục để ghi")
    sub.add_argument("--user", default="dong-lenh", help="tên người ký, ghi lại")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = receipt_commands.add_parser(
        "import", help="xã: nhập biên nhận hoặc yêu cầu sửa của cấp trên; mã thoát 3 khi chưa đối chiếu khóa"
    )
    sub.set_defaults(handler=cmd_receipt_import)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("file", metavar="TỆP.sctb", help="tệp biên nhận")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = command("print", cmd_print, "in ra PDF trang chính thức: biểu đã điền, biểu trắng, bảng tổng hợp")
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--unit", required=True, help="mã đơn vị (với --merged, --completeness: đơn vị cấp trên)")
    sub.add_argument("--form", help="mã biểu (ví dụ kl224); không cần với --completeness")
    sub.add_argument("--period", required=True, help="kỳ báo cáo: 2025, 2025-H1, 2025-Q3, 2021-2025")
    sub.add_argument("--blank", action="store_true", help="biểu trắng: tên các bản, ô để trống để ghi tay")
    sub.add_argument("--merged", action="store_true", help="cấp trên: bảng tổng hợp và số liệu theo đơn vị")
    sub.add_argument("--completeness", action="store_true", help="cấp trên: tình hình nhận báo cáo")
    sub.add_argument("--targets", help="so với bộ mục tiêu")
    sub.add_argument("--words", action="store_true", help="ghi số tiền (đồng) bằng chữ")
    sub.add_argument("--number", help="số văn bản, ví dụ “Số 12-BC/ĐU” (mặc định để trống cho văn thư ghi)")
    sub.add_argument("--signer", help="họ tên người ký")
    sub.add_argument("--signer-title", help="chức vụ người ký, ví dụ “Phó Bí thư”")
    sub.add_argument("--out", required=True, help="tệp PDF hoặc thư mục để ghi")
    sub.add_argument("--json", action="store_true", help="in kết quả dạng JSON")

    packet = commands.add_parser("packet", help="gói báo cáo đã ký: xuất, kiểm tra", description="gói báo cáo")
    packet_commands = packet.add_subparsers(dest="packet_command", title="các lệnh", metavar="LỆNH", required=True)

    sub = packet_commands.add_parser("export", help="ký và xuất gói (.sctg); mã thoát 1 khi báo cáo còn lỗi")
    sub.set_defaults(handler=cmd_packet_export)
    report_args(sub)
    sub.add_argument("--targets", help="so với bộ mục tiêu")
    sub.add_argument("--out", required=True, help="tệp gói hoặc thư mục để ghi")
    sub.add_argument("--json", action="store_true", help="in bản kê dạng JSON")

    sub = packet_commands.add_parser(
        "verify", help="kiểm tra gói: 0 hợp lệ và tin cậy, 3 chưa tin cậy, 1 không hợp lệ, 2 không phải gói"
    )
    sub.set_defaults(handler=cmd_packet_verify)
    sub.add_argument("file", metavar="TỆP.sctg", help="tệp gói")
    sub.add_argument("--trust", action="append", metavar="TỆP.sctk", help="tệp đăng ký khóa tin cậy, hoặc thư mục")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")

    sub = packet_commands.add_parser("upward", help="cấp trên: ký bảng tổng hợp thành gói gửi cấp trên nữa")
    sub.set_defaults(handler=cmd_packet_upward)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--unit", required=True, help="mã đơn vị tổng hợp (ví dụ 12)")
    sub.add_argument("--form", required=True, help="mã biểu")
    sub.add_argument("--period", required=True, help="kỳ báo cáo")
    sub.add_argument("--targets", help="so với bộ mục tiêu")
    sub.add_argument("--out", required=True, help="tệp gói hoặc thư mục để ghi")
    sub.add_argument("--json", action="store_true", help="in bản kê dạng JSON")

    backup = commands.add_parser("backup", help="bản sao lưu cơ sở dữ liệu: tạo, xem, khôi phục", description="sao lưu")
    backup_commands = backup.add_subparsers(dest="backup_command", metavar="VIỆC", required=True)
    sub = backup_commands.add_parser("create", help="sao lưu ngay (cửa sổ chương trình tự sao lưu khi mở và khi nhập)")
    sub.set_defaults(handler=cmd_backup_create)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")
    sub = backup_commands.add_parser("list", help="các bản sao lưu, mới nhất trước, và bản nào dùng được")
    sub.set_defaults(handler=cmd_backup_list)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")
    sub = backup_commands.add_parser(
        "restore", help="thay cơ sở dữ liệu hỏng bằng bản sao lưu tốt gần nhất; tệp cũ được giữ lại"
    )
    sub.set_defaults(handler=cmd_backup_restore)
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")
    sub.add_argument("--from", dest="source", metavar="TỆP", help="bản sao lưu chọn dùng (mặc định: bản tốt mới nhất)")
    sub.add_argument("--force", action="store_true", help="khôi phục cả khi cơ sở dữ liệu hiện tại không hỏng")
    sub.add_argument("--json", action="store_true", help="in dạng JSON")
    return parser


if __name__ == "__main__":
    sys.exit(main())
