"""No window tells an officer to type a command: the strings in ui/ never name
one, the library's messages (which the windows show) name one only where the
command line alone can reach them, each such place listed with why, and the
texts of both open windows and their dialogs name none either.

The command line adds its own hints in cli/; the library's sentence stays
neutral (“hãy nhận tệp đăng ký khóa (.sctk) của cấp trên”).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from testkit import ROOT

# A command's words: “lệnh …”, a command name, the program's file, its environment, an option.
CLI_WORDS = re.compile(
    r"lệnh |\b(keys|inbox|receipt|packet|backup)\s+(init|show|export|enrol|open|import|list|decide|issue|verify"
    r"|upward|create|restore)\b|\binit --|main\.py|\.venv|(?<![\w-])--[a-z]"
)

# Library messages that name a command, each reachable from the command line only (or not shown by a window).
CLI_ONLY = {
    ("models/keys.py", "lệnh keys init"): "unit_key: called by `keys export` alone; the windows list keys themselves",
    ("models/database.py", "lệnh “backup restore”"): "DamagedDatabase: the window catches it and offers the backup",
    ("models/recovery.py", "--force"): "restoring over a whole database: `backup restore` only",
    ("exports/packets/verify.py", "--trust"): "no key ring given: `packet verify` only; imports pass gw.trust's",
    ("exports/paper/printouts.py", "--blank"): "the `print` command's builders; the window's print dialog has its own",
}


def literal_strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant of the module (f-string pieces too) but docstrings, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def command_words(*places: str) -> list[tuple[str, int, str]]:
    found = []
    for place in places:
        for path in sorted((ROOT / place).rglob("*.py")):
            for line, text in literal_strings(path):
                if match := CLI_WORDS.search(text):
                    found.append((str(path.relative_to(ROOT)), line, match.group(0)))
    return found


def test_the_windows_strings_name_no_command():
    assert command_words("ui") == []


def test_library_messages_name_a_command_only_where_the_command_line_alone_reaches():
    found = {(path, text) for path, _line, text in command_words("exports", "models", "forms")}
    listed = {(path, CLI_WORDS.search(fragment).group(0)) for path, fragment in CLI_ONLY}
    assert found == listed


def test_the_check_sees_a_command_in_a_message(tmp_path):
    assert CLI_WORDS.search("hãy nhận tệp (lệnh keys enrol)")
    assert CLI_WORDS.search("chạy .venv/bin/python main.py keys init --db x.db")
    assert CLI_WORDS.search("thêm --force")
    assert not CLI_WORDS.search("Gói › Đăng ký khóa của cấp trên... — mã 0267 5933")
    module = tmp_path / "m.py"
    module.write_text('"""Docstrings may name `keys enrol`."""\nX = f"{a} chưa có khóa (lệnh keys init)."\n')
    assert [text for _line, text in literal_strings(module)] == [" chưa có khóa (lệnh keys init)."]


def visible_texts(root: QWidget) -> list[str]:
    """What the officer can read in a window or dialog: labels, buttons, actions and their tips, window titles."""
    texts = [root.windowTitle()]
    for label in root.findChildren(QLabel):
        texts += [label.text(), label.toolTip()]
    for button in root.findChildren(QAbstractButton):
        texts += [button.text(), button.toolTip()]
    for action in root.findChildren(QAction):
        texts += [action.text(), action.toolTip(), action.statusTip()]
    return [t for t in texts if t]


@pytest.mark.parametrize("which", ["commune", "upper"])
def test_no_open_window_or_key_dialog_names_a_command(request, which, tmp_path):
    shown = request.getfixturevalue("window" if which == "commune" else "upper_window")
    dialogs = (
        [shown.open_keys_dialog(), shown.enrol_upper_key()]
        if which == "commune"
        else [shown.open_keys_dialog(), shown.enrol_file(), shown.export_key_file(tmp_path / "k.sctk")]
    )
    texts = visible_texts(shown) + [t for d in dialogs for t in visible_texts(d)]
    assert len(texts) > 20
    assert [t for t in texts if CLI_WORDS.search(t)] == []
