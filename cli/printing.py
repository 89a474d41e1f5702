"""print: a report, a blank form, the village sheets, the merged table or the completeness matrix, as a PDF.

The page is built by the core (exports/paper/printouts.py, the same
documents the window's print dialog shows) and painted by Qt offscreen
(ui/printing.py): the one command that loads Qt, and only when it runs.
A unit's form prints as a report, an annex or the village sheets
(exports/paper/layout.py); what was chosen is remembered for the next print
of that form, as the print dialog remembers it.
"""

from __future__ import annotations

from cli.common import bounded_int, command, db_arg, json_arg, open_existing, plain_code, plain_period, say

MODES = ("report", "annex", "village")


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
    sub.add_argument(
        "--mode",
        type=_mode,
        metavar="{report,annex,village}",
        help="in dạng báo cáo (report), phụ lục kèm theo văn bản (annex) hay phiếu họp bản (village);"
        " mặc định: lần in trước, hoặc theo biểu",
    )
    body = sub.add_mutually_exclusive_group()
    body.add_argument("--body", help="báo cáo: đoạn văn in giữa tên biểu và bảng số liệu")
    body.add_argument("--body-file", help="báo cáo: tệp văn bản UTF-8 chứa đoạn văn đó")
    sub.add_argument("--annex-number", help="phụ lục: số phụ lục, ví dụ 01 (in “PHỤ LỤC 01”)")
    sub.add_argument("--annex-of", help="phụ lục: văn bản kèm theo, ví dụ “Báo cáo số 12-BC/ĐU ngày 05/01/2026 ...”")
    sub.add_argument("--signed", action="store_true", help="phụ lục: in cả phần ký tên dưới bảng")
    sub.add_argument(
        "--villages-per-sheet",
        type=bounded_int(1, 6, "số bản trên một phiếu"),
        help="phiếu họp bản: số bản in cạnh nhau trên một phiếu (1-6, mặc định 1)",
    )
    sub.add_argument("--out", required=True, help="tệp PDF hoặc thư mục để ghi")
    json_arg(sub, "in kết quả dạng JSON")


def _mode(text: str) -> str:
    """--mode: one of MODES (a type, not argparse's choices, so its refusal is worded here)."""
    import argparse

    word = text.strip().casefold()
    if word not in MODES:
        raise argparse.ArgumentTypeError(f"--mode là report, annex hoặc village, không phải “{text[:24]}”")
    return word


def cmd_print(args) -> int:
    import datetime as dt

    from exports.atomic import output_path
    from exports.paper import printouts
    from models.errors import BadInput
    from models.reporting import require_form
    from ui.printing import ensure_application, write_pdf

    kinds = [name for name in ("blank", "merged", "completeness") if getattr(args, name)]
    if len(kinds) > 1:
        raise BadInput("Chỉ chọn một trong --blank, --merged, --completeness.")
    if not args.form and kinds != ["completeness"]:
        raise BadInput("Thiếu --form: mã biểu cần in (ví dụ kl224).")
    if args.targets and kinds and kinds != ["merged"]:
        raise BadInput("--targets chỉ dùng khi in biểu đã điền hoặc bảng tổng hợp.")
    chosen = _layout_args(args)
    if chosen and kinds == ["completeness"]:
        option = "--" + chosen[0].replace("_", "-")
        raise BadInput(f"{option} chỉ dùng khi in một biểu, không dùng với --completeness.")
    body = _body(args)  # read before the database is opened: a bad file is refused first
    gw = open_existing(args.db)
    page = {"number": args.number, "signer_name": args.signer, "signer_title": args.signer_title}
    today = dt.date.today()
    layout = None
    if args.completeness:
        document = printouts.completeness_printout(gw, args.unit, args.period, printed_on=today, **page)
    elif args.merged:
        unit, form = gw.require_unit(args.unit), require_form(args.form, gw)
        layout = _chosen_layout(gw, unit, form, args, body)
        if layout.mode == "village":
            raise BadInput("Bảng tổng hợp in dạng báo cáo hoặc phụ lục, không in phiếu họp bản (--mode village).")
        figures = {"target_set": args.targets, "words": args.words, "layout": layout}
        document = printouts.merged_printout(gw, args.unit, args.form, args.period, printed_on=today, **figures, **page)
    else:
        unit, form = gw.require_unit(args.unit), require_form(args.form, gw)
        layout = _chosen_layout(gw, unit, form, args, body)
        if args.targets and layout.mode == "village":
            raise BadInput("--targets không dùng với phiếu họp bản (--mode village).")
        if args.blank or layout.mode == "village":
            document = printouts.blank_printout(
                gw, args.unit, args.form, args.period, printed_on=today, layout=layout, **page
            )
        else:
            if not _layout_args(args) and gw.find_report(args.unit, args.form, args.period) is None:
                layout = None  # a unit's form from its packet, at the upper level: laid out as it was signed
            figures = {"target_set": args.targets, "words": args.words, "layout": layout}
            document = printouts.filled_printout(
                gw, args.unit, args.form, args.period, printed_on=today, **figures, **page
            )
    path = output_path(args.out, document.name + ".pdf")
    ensure_application()
    write_pdf(document, path)
    if layout is not None:
        _remember(gw, unit, form, layout)
    said = f"Đã in ra “{path}”.\n{document.footer.text}".rstrip()
    if document.unnamed_signer:
        said += "\nChưa có họ tên người ký: để trống để ký và ghi tay, hoặc in lại với --signer (hộp thoại In lưu lại)."
    return say(args, document.to_dict(path), said)


def _layout_args(args) -> list[str]:
    """The layout options given on the command line."""
    given = ("mode", "body", "body_file", "annex_number", "annex_of", "villages_per_sheet")
    return [name for name in given if getattr(args, name) is not None] + (["signed"] if args.signed else [])


def _chosen_layout(gw, unit, form, args, body: str | None):
    """What the officer chose before for this unit and form (else the form's own), with what was given now;
    an option that does not belong to the chosen mode is refused rather than ignored."""
    from exports.paper.layout import layout_for
    from models.errors import BadInput

    layout = layout_for(
        gw,
        unit,
        form,
        mode=args.mode,
        body=body,
        annex_number=args.annex_number.strip() if args.annex_number else args.annex_number,
        annex_of=args.annex_of.strip() if args.annex_of else args.annex_of,
        signed=True if args.signed else None,
        villages_per_sheet=args.villages_per_sheet,
    )
    belongs = {
        "report": ("body", "body_file"),
        "annex": ("annex_number", "annex_of", "signed"),
        "village": ("villages_per_sheet",),
    }
    for mode, names in belongs.items():
        stray = [name for name in names if name in _layout_args(args)]
        if stray and layout.mode != mode:
            option = "--" + stray[0].replace("_", "-")
            raise BadInput(f"{option} chỉ dùng khi in dạng {MODE_NAMES[mode]} (--mode {mode}).")
    return layout


MODE_NAMES = {"report": "báo cáo", "annex": "phụ lục", "village": "phiếu họp bản"}


def _body(args) -> str | None:
    """The report's text, typed or from a UTF-8 file; refused when the file cannot be read or is too long."""
    from pathlib import Path

    from exports.paper.report import BODY_LIMIT
    from models.errors import BadInput, os_error_words

    if args.body_file is None:
        text = args.body
    else:
        path = Path(args.body_file)
        try:
            with path.open("rb") as handle:
                raw = handle.read(BODY_LIMIT * 4 + 1)  # at most 4 bytes a character in UTF-8
        except OSError as exc:
            raise BadInput(f"Không đọc được tệp “{path}”: {os_error_words(exc)}.") from None
        if len(raw) > BODY_LIMIT * 4:
            raise _too_long()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadInput(f"Tệp “{path}” không phải văn bản UTF-8: lưu lại tệp dạng UTF-8 rồi in lại.") from None
    if text is None:
        return None
    import unicodedata

    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()
    if len(text) > BODY_LIMIT:
        raise _too_long()
    return text


def _too_long():
    from exports.paper.report import BODY_LIMIT
    from models.errors import BadInput

    shown = f"{BODY_LIMIT:,}".replace(",", ".")
    return BadInput(f"Đoạn văn của báo cáo dài quá {shown} ký tự: rút gọn, phần dài viết trong văn bản riêng.")


def _remember(gw, unit, form, layout) -> None:
    """The choice, for the next print of this form (a database that cannot be written only forgets it)."""
    from exports.paper.layout import save_layout
    from models.errors import UserError

    try:
        save_layout(gw, unit, form, layout)
    except UserError:
        pass
