"""argparse, speaking Vietnamese: its own words translated, and a refused
argument turned into one Vietnamese line (exit 2) instead of English usage."""

from __future__ import annotations

import argparse

from cli.common import COMMAND

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
    "invalid %(type)s value: %(value)r": "giá trị %(value)r không dùng được",
    "not allowed with argument %s": "không được dùng cùng %s",
}
argparse._ = lambda text: _ARGPARSE_WORDS.get(text, text)


class VietnameseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):
        from models.errors import BadInput

        raise BadInput(f"Tham số không hợp lệ: {message}. Xem: {COMMAND} --help")
