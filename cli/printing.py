"""print: a report, a blank form, the merged table or the completeness matrix on the official page, as a PDF.

The page is built by the core (exports/paper/printouts.py, the same
documents the window's print dialog shows) and painted by Qt offscreen
(ui/printing.py): the one command that loads Qt, and only when it runs.
"""

from __future__ import annotations

from cli.common import command, db_arg, json_arg, open_existing, plain_code, plain_period, say


def register(commands) -> None:
    sub = command(commands, "print", cmd_print, "in ra PDF trang chính thức: biểu đã điền, biểu trắng, bảng tổng hợp")
    db_arg(sub)
    sub.add_argument(
        "--unit", required=True, type=plain_code, help="mã đơn vị (với --merged, --completeness: đơn vị cấp trên)"
    )
    sub.add_argument("--form", type=plain_code, help="mã biểu (ví dụ kl224); không cần với --completeness")
    sub.add_argument("--period", required=True, type=plain_period, help="kỳ báo cáo: 2025, 2025-H1, 2025-Q3, 2021-2025")
    sub.add_argument("--blank", action="store_true", help="biểu trắng: tên các bản, ô để trống để ghi tay")
    sub.add_argument("--merged", action="store_true", help="cấp trên: bảng tổng hợp và số liệu theo đơn vị")
    sub.add_argument("--completeness", action="store_true", help="cấp trên: tình hình nhận báo cáo")
    sub.add_argument("--targets", type=plain_code, help="so với bộ mục tiêu")
    sub.add_argument("--words", action="store_true", help="ghi số tiền (đồng) bằng chữ")
    sub.add_argument("--number", help="số văn bản, ví dụ “Số 12-BC/ĐU” (mặc định để trống cho văn thư ghi)")
    sub.add_argument("--signer", help="họ tên người ký")
    sub.add_argument("--signer-title", help="chức vụ người ký, ví dụ “Phó Bí thư”")
    sub.add_argument("--out", required=True, help="tệp PDF hoặc thư mục để ghi")
    json_arg(sub, "in kết quả dạng JSON")


def cmd_print(args) -> int:
    import datetime as dt

    from exports.atomic import output_path
    from exports.paper import printouts
    from models.errors import BadInput
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
    return say(args, document.to_dict(path), f"Đã in ra “{path}”.\n{document.footer.text}")
