"""Sổ Chỉ Tiêu: the window when there is a screen, a command otherwise.

This file parses the command line, hands it to the command's handler
(cli/, one module per group) or starts the window (ui/app.py), and turns
what went wrong into one Vietnamese line and an exit code: 0 success, 1 the
data has errors, 2 bad arguments or unreadable input, 3 as a command says.
"""

from __future__ import annotations

import os
import sys

from cli import (
    backup,
    double_entry,
    followup,
    forms,
    keys,
    packets,
    printing,
    publications,
    receipts,
    report,
    setup,
    targets,
    upper,
)
from cli.common import COMMAND
from cli.parser import VietnameseArgumentParser
from models.about import APP_NAME

# In the order `--help` lists them.
COMMAND_GROUPS = (
    setup,
    forms,
    targets,
    report,
    double_entry,
    upper,
    followup,
    publications,
    keys,
    receipts,
    printing,
    packets,
    backup,
)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.selftest:
            from cli.selftest import cmd_selftest

            return cmd_selftest()
        if args.command is None:
            return start_window(args.db)
        return args.handler(args)
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (| head) stopped listening: not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout again at exit
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets a sentence, never a traceback
        return failure(exc)


def failure(exc: Exception) -> int:
    """What went wrong, as one Vietnamese line on stderr, and the exit code. The library's error
    classes are imported here, when something failed, so ``--help`` loads neither forms nor SQLite."""
    from forms.loader import FormError
    from models.errors import UserError, os_error_sentence

    if isinstance(exc, (UserError, FormError)):
        print(str(exc), file=sys.stderr)
        return getattr(exc, "exit_code", 2)
    if os.environ.get("SCT_DEBUG"):
        raise exc
    if isinstance(exc, OSError):  # a file the system refused, wherever it was met: said in Vietnamese, not its English
        print(os_error_sentence(exc), file=sys.stderr)
        return 2
    print(
        f"Lỗi không mong đợi ({exc.__class__.__name__}: {exc}). Chạy lại với SCT_DEBUG=1 để xem chi tiết.",
        file=sys.stderr,
    )
    return 2


def build_parser() -> VietnameseArgumentParser:
    parser = VietnameseArgumentParser(prog="main.py", description=f"{APP_NAME}: nhập, kiểm tra và tổng hợp chỉ tiêu.")
    parser.add_argument("--db", help="tệp cơ sở dữ liệu cho cửa sổ chương trình")
    parser.add_argument(
        "--selftest",
        action="store_true",
        help="tự kiểm tra bản cài đặt trong thư mục tạm (không cần màn hình); mã thoát 1 khi có bước không đạt",
    )
    parser.set_defaults(command=None)
    commands = parser.add_subparsers(dest="command", title="các lệnh", metavar="LỆNH")
    for group in COMMAND_GROUPS:
        group.register(commands)
    return parser


def start_window(db_path: str | None) -> int:
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
    # The library before Qt: once PySide6 is imported it reads the source of every module imported after
    # it (shiboken's check for its “feature” switches), a fifth of their import's time when run from source.
    import forms.library  # noqa: F401
    import models.gateway  # noqa: F401
    import models.setup  # noqa: F401 - imported for the order alone
    from ui.app import run

    return run(db_path)


if __name__ == "__main__":
    if getattr(sys, "frozen", False):  # the bundle: a worker process of a big import starts as this program
        import multiprocessing

        multiprocessing.freeze_support()
    sys.exit(main())
