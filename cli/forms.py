"""``forms``: the forms a database knows (shipped with the program, written in
Excel here, published by the level above), and a form to and from Excel.

    forms [--db DB] [--json]
    forms export --db DB --form ID [--version N] [--publisher CODE] --out FILE.xlsx
    forms import --db DB FILE.xlsx [--user NAME] [--json]
    forms publish --db DB --form ID [--version N] --out FOLDER [--user NAME] [--json]
"""

from __future__ import annotations

import sys

from cli.common import (
    bounded_int,
    command,
    db_arg,
    json_arg,
    open_existing,
    plain_code,
    print_json,
    read_passphrase,
    say,
    user_arg,
)

form_version = bounded_int(1, 9999, "phiên bản")


def register(commands) -> None:
    sub = command(commands, "forms", cmd_forms, "biểu mẫu: liệt kê; xuất ra và nhập từ tệp Excel")
    sub.add_argument("--db", help="kể cả các biểu lưu trong cơ sở dữ liệu này (soạn tại đây hoặc cấp trên gửi)")
    json_arg(sub)
    actions = sub.add_subparsers(dest="forms_command", title="các lệnh", metavar="LỆNH")

    export = command(actions, "export", cmd_export, "xuất một biểu mẫu ra tệp Excel để sửa thành phiên bản mới")
    db_arg(export)
    export.add_argument("--form", required=True, type=plain_code, help="mã biểu (ví dụ kl224)")
    export.add_argument("--version", type=form_version, help="phiên bản (mặc định: mới nhất)")
    export.add_argument("--publisher", type=plain_code, help="mã đơn vị ban hành (mặc định: biểu của chương trình)")
    export.add_argument("--out", required=True, help="tệp .xlsx sẽ ghi")

    imported = command(actions, "import", cmd_import, "đọc biểu mẫu từ tệp Excel và lưu thành phiên bản của đơn vị")
    db_arg(imported)
    imported.add_argument("file", help="tệp .xlsx")
    user_arg(imported, "người nhập (ghi vào biểu đã lưu)")
    json_arg(imported)

    publish = command(
        actions, "publish", cmd_publish, "cấp trên: ký một phiên bản biểu của đơn vị thành tệp .sctp gửi xuống"
    )
    db_arg(publish)
    publish.add_argument("--form", required=True, type=plain_code, help="mã biểu (ví dụ kl224)")
    publish.add_argument("--version", type=form_version, help="phiên bản do đơn vị ban hành (mặc định: mới nhất)")
    publish.add_argument("--out", required=True, help="thư mục (hoặc tệp .sctp) để ghi")
    user_arg(publish, "tên người ký, ghi lại")
    json_arg(publish)


def cmd_forms(args) -> int:
    from forms.library import default_library, form_summary

    if args.db:
        from models.form_store import library_of

        forms = library_of(open_existing(args.db)).all()
    else:
        forms = default_library().all()
    if args.json:
        print_json([form_summary(f) for f in forms])
        return 0
    for form in forms:
        sets = ", ".join(s.id for s in form.target_sets) or "không có"
        issuer = f"  (đơn vị {form.publisher} ban hành)" if form.publisher else ""
        print(f"{form.id}  phiên bản {form.version}{issuer}  {form.title}")
        print(f"    {sum(1 for i in form.indicators if i.is_row)} chỉ tiêu; bộ mục tiêu: {sets}")
    return 0


def cmd_export(args) -> int:
    from exports.formbook.write import write_form_workbook
    from models.form_store import find_form, library_of

    gw = open_existing(args.db)
    form = find_form(library_of(gw), args.form, args.version, args.publisher, gw.setting("home_unit") or "")
    path = write_form_workbook(form, args.out)
    print(f"Đã ghi biểu {form.id} phiên bản {form.version} ra “{path}”: sửa rồi nhập lại bằng “forms import”.")
    return 0


def cmd_import(args) -> int:
    from exports.formbook.errors import FormBookErrors
    from exports.formbook.read import read_form_workbook
    from models.form_store import import_authored_form

    gw = open_existing(args.db)
    try:
        form, new = import_authored_form(gw, read_form_workbook(args.file), args.user)
    except FormBookErrors as exc:
        # Every mistake on stdout, each with its sheet, row and column; the one line of the failure on stderr.
        headline, *mistakes = str(exc).splitlines()
        if args.json:
            print_json(exc.to_dict())
        elif mistakes:
            print("\n".join(mistakes))
        print(headline, file=sys.stderr)
        return exc.exit_code
    if args.json:
        print_json({"form": form.id, "publisher": form.publisher, "version": form.version, "new": new})
        return 0
    said = "Đã lưu" if new else "Đã có từ trước, không đổi:"
    print(
        f"{said} biểu {form.id} phiên bản {form.version} (đơn vị {form.publisher} ban hành): "
        f"{sum(1 for i in form.indicators if i.is_row)} chỉ tiêu, {len(form.rules)} quy tắc kiểm tra, "
        f"{len(form.target_sets)} bộ mục tiêu."
    )
    return 0


def cmd_publish(args) -> int:
    from exports.publications.publish import publish_form

    gw = open_existing(args.db)
    published = publish_form(gw, args.form, args.version, read_passphrase("Mật khẩu khóa ký: "), args.out, args.user)
    return say(args, published.to_dict(), published.sentence)
