"""followup: the upper level's follow-up list of a form and period (the plausibility warnings sent,
found here and disagreeing), printed, saved as a workbook or a PDF (docs/cli.md)."""

from __future__ import annotations

from cli.common import command, db_arg, json_arg, open_existing, plain_code, plain_period, print_json


def register(commands) -> None:
    sub = command(
        commands,
        "followup",
        cmd_followup,
        "cấp trên: danh sách cần theo dõi, các cảnh báo bất thường của một biểu trong một kỳ",
    )
    db_arg(sub)
    sub.add_argument("--form", required=True, type=plain_code, help="mã biểu (ví dụ kl224)")
    sub.add_argument("--period", required=True, type=plain_period, help="kỳ báo cáo")
    sub.add_argument("--unit", type=plain_code, help="mã đơn vị cấp trên (mặc định: đơn vị của máy này)")
    sub.add_argument("--xlsx", metavar="TỆP", help="ghi ra tệp Excel (tệp hoặc thư mục)")
    sub.add_argument("--pdf", metavar="TỆP", help="in ra tệp PDF (tệp hoặc thư mục)")
    json_arg(sub)


def cmd_followup(args) -> int:
    import datetime as dt

    from exports.atomic import output_path, write_atomically
    from exports.collect.followup import followup

    gw = open_existing(args.db)
    listed = followup(gw, args.form, args.period, args.unit)
    today = dt.date.today()
    name = f"{listed.parent.code}_{listed.form.id}_{listed.period.code}_can-theo-doi"
    written = {}
    if args.xlsx:
        from exports.paper.xlsx_followup import followup_workbook

        path = output_path(args.xlsx, name + ".xlsx")
        written["xlsx"] = str(write_atomically(path, followup_workbook(listed, made_on=today)))
    if args.pdf:
        from exports.paper.followup_printed import followup_document
        from exports.paper.letterhead import page_settings
        from ui.printing import ensure_application, write_pdf

        path = output_path(args.pdf, name + ".pdf")
        document = followup_document(listed, page_settings(gw, listed.parent, on=today), printed_on=today)
        ensure_application()
        written["pdf"] = str(write_pdf(document, path))
    if args.json:
        print_json({**listed.to_dict(), "files": written})
        return 0
    print(f"{listed.parent.name}: danh sách cần theo dõi, biểu {listed.form.id}, {listed.period.in_sentence}")
    for n, row in enumerate(listed.rows, start=1):
        print(f"{n:>3}. {row.where} — {row.label}: {row.value_words()} [{row.side_words}]")
        print(f"     {row.message}")
        if row.history_words():
            print(f"     Số liệu các kỳ trước: {row.history_words()}")
        if row.side != "here":
            print(f"     Giải trình của xã: {row.reason or '(chưa có)'}")
        if row.differs:
            print(f"     KHÁC NHAU: {row.difference}")
    print(listed.summary_line() + ".")
    for kind, path in written.items():
        print(f"Đã ghi {'tệp Excel' if kind == 'xlsx' else 'tệp PDF'}: “{path}”.")
    return 0
