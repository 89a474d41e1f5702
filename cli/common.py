"""What every command shares: the program's name as typed, the options
that recur, opening the database, reading a passphrase or a date, JSON out."""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata

# ``--help`` imports this module, so it keeps to what argparse loads anyway: no pathlib, json or typing
# (their few milliseconds are a fifth of a bare Python's start). Type checkers set this to True.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

    from models.gateway import Gateway
    from models.reporting import ReportView


def _command() -> str:
    """How the officer types this program: the bundle's own name once installed; from the
    source folder, the Python that runs it (``.venv/bin/python main.py``, as the README says)."""
    if getattr(sys, "frozen", False):
        return os.path.basename(sys.executable)
    here = os.path.join(os.getcwd(), "")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script = "main.py" if os.path.join(root, "") == here else os.path.join(root, "main.py")
    if sys.executable.startswith(here):
        return f"{sys.executable[len(here) :]} {script}"
    if sys.prefix != sys.base_prefix:  # a virtual environment elsewhere: this Python has the libraries
        return f"{sys.executable} {script}"
    # Another Python (the system's, without the program's libraries: ModuleNotFoundError on the first
    # command): the one tools/setup.sh makes beside main.py.
    python = os.path.join(root, ".venv", "Scripts" if os.name == "nt" else "bin", "python")
    return f"{python[len(here) :] if python.startswith(here) else python} {script}"


COMMAND = _command()


def print_json(data) -> None:
    import json

    print(json.dumps(data, ensure_ascii=False, indent=2))


def say(args, data, sentence: str) -> int:
    """What a command that wrote something prints: ``data`` as JSON with --json, else the sentence; exit 0."""
    if args.json:
        print_json(data)
    else:
        print(sentence)
    return 0


# ---- commands and the options that recur --------------------------------------------------


def command(commands, name: str, handler, help_text: str) -> argparse.ArgumentParser:
    """A command whose ``--help`` opens with the line the command list shows."""
    sub = commands.add_parser(name, help=help_text, description=help_text)
    sub.set_defaults(handler=handler)
    return sub


def command_group(commands, name: str, help_text: str, title: str):
    """A command that takes a second word (``keys init``, ``inbox import``): the group to add them to."""
    group = commands.add_parser(name, help=help_text, description=title)
    return group.add_subparsers(dest=f"{name}_command", title="các lệnh", metavar="LỆNH", required=True)


def ascii_text(text: str) -> str:
    """What was typed, fullwidth digits and letters read as their ASCII selves (NFKC), spaces trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def bounded_int(low: int, high: int, what: str):
    """An argparse ``type``: a whole number from ``low`` to ``high`` in digits 0-9 (fullwidth digits read
    as theirs), else a Vietnamese refusal naming ``what``; never a number too big for the database."""

    def parse(text: str) -> int:
        plain = ascii_text(text)
        if plain.isascii() and plain.isdigit() and len(plain) <= len(str(high)) and low <= int(plain) <= high:
            return int(plain)
        shown = text if len(text) <= 24 else text[:24] + "…"
        largest = f"{high:,}".replace(",", ".")  # 999.999.999, as Vietnamese writes it
        raise argparse.ArgumentTypeError(f"{what} phải là số nguyên từ {low} đến {largest}, không phải “{shown}”")

    parse.__name__ = what  # argparse names the type by it if it ever speaks for itself
    return parse


_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,63}")


def plain_code(text: str) -> str:
    """An argparse ``type`` for a unit code, a form or target set id, a period: in plain ASCII once
    fullwidth is read as ASCII (``０３４４５`` is 03445), never a second code that looks the same."""
    plain = ascii_text(text)
    if _CODE.fullmatch(plain):
        return plain
    shown = text if len(text) <= 24 else text[:24] + "…"
    raise argparse.ArgumentTypeError(
        f"mã “{shown}” không dùng được: chỉ gồm chữ số, chữ cái không dấu, dấu chấm và gạch nối"
    )


def plain_period(text: str) -> str:
    """--period: a code as above, in capitals as periods are stored (2025-h1 is 2025-H1)."""
    return plain_code(text).upper()


# Packets are numbered by the database from 1; no inbox will ever hold a billion.
packet_number = bounded_int(1, 999_999_999, "số gói")


def db_arg(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--db", required=True, help="tệp cơ sở dữ liệu")


def json_arg(sub: argparse.ArgumentParser, help_text: str = "in dạng JSON") -> None:
    sub.add_argument("--json", action="store_true", help=help_text)


def report_args(sub: argparse.ArgumentParser) -> None:
    """--db, --unit, --form, --period: one report."""
    db_arg(sub)
    sub.add_argument("--unit", required=True, type=plain_code, help="mã đơn vị (ví dụ 03445)")
    sub.add_argument("--form", required=True, type=plain_code, help="mã biểu (ví dụ kl224)")
    sub.add_argument("--period", required=True, type=plain_period, help="kỳ báo cáo: 2025, 2025-H1, 2025-Q3, 2021-2025")


def merged_args(sub: argparse.ArgumentParser, out_help: str) -> None:
    """--db, --unit (the level that merges), --form, --period, --targets, --out: one merged table."""
    db_arg(sub)
    sub.add_argument("--unit", required=True, type=plain_code, help="mã đơn vị cấp trên, đơn vị tổng hợp (ví dụ 12)")
    sub.add_argument("--form", required=True, type=plain_code, help="mã biểu")
    sub.add_argument("--period", required=True, type=plain_period, help="kỳ báo cáo")
    sub.add_argument("--targets", type=plain_code, help="so với bộ mục tiêu")
    sub.add_argument("--out", required=True, help=out_help)


def user_arg(sub: argparse.ArgumentParser, help_text: str) -> None:
    sub.add_argument("--user", default="dong-lenh", help=help_text)


# ---- reading what the command needs -------------------------------------------------------


def open_existing(path: str) -> Gateway:
    from models.gateway import Gateway

    return Gateway.open(path, create=False)


def open_view(args) -> tuple[Gateway, ReportView]:
    """The database and the report named by --unit, --form, --period (and --targets)."""
    from models.reporting import open_report_view

    gw = open_existing(args.db)
    return gw, open_report_view(gw, args.unit, args.form, args.period, args.targets)


def home_unit(gw: Gateway, given: str | None) -> str:
    """--unit, or the unit this machine was set up for."""
    code = given or gw.setting("home_unit")
    if code is None:
        from models.errors import BadInput

        raise BadInput("Chưa chọn đơn vị của máy này; thêm --unit MÃ.")
    return code


def parse_day(text: str) -> dt.date:
    """A date typed dd/mm/yyyy (or ISO), or BadInput."""
    import datetime as dt

    from models.errors import BadInput

    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise BadInput(f"Ngày “{text}” không hợp lệ; viết dạng ngày/tháng/năm, ví dụ 15/01/2026.")


def read_passphrase(prompt: str, confirm: bool = False) -> str:
    """From SCT_PASSPHRASE for automation, else typed without echo at a terminal."""
    import getpass

    from models.errors import BadInput
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
