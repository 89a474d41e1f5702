"""Every command of the program, each run once on real databases, in an order
where each finds what it needs: a commune signs its report, the province
files it, answers, merges, prints and sends its own packet up.

tests/test_bundle.py runs it with the frozen program, so that a module a
handler imports only when it runs (cli/ imports the library inside handlers)
and that PyInstaller left out is caught; tests/test_cli.py runs it from the
source, so the scenario itself stays right. ``run(args, env)`` runs one
command and returns (exit code, stdout, stderr).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

PASSPHRASE = "muongte-mau"  # the demo's keys (models/keys.py DEMO_PASSPHRASE)
NEW_PASSPHRASE = "mat-khau-moi-9"
COMMUNE, PROVINCE, FORM, PERIOD, TARGETS = "03478", "12", "kl224", "2025", "muong-te-2025"

Run = Callable[[list[str], dict[str, str]], tuple[int, str, str]]


def every_command(run: Run, folder: Path) -> dict[str, tuple[int, str, str]]:
    """Each command's words ("inbox import") -> what it gave; the exit codes are checked here."""
    xa, tinh, moi = folder / "xa.db", folder / "tinh.db", folder / "moi.db"
    out = folder / "ra"
    out.mkdir()
    done: dict[str, tuple[int, str, str]] = {}

    def step(words: str, *args, codes=(0,), passphrase: str | None = None) -> str:
        env = {"SCT_PASSPHRASE": passphrase} if passphrase else {}
        result = run([*words.split(), *map(str, args)], env)
        code, stdout, stderr = result
        assert code in codes, (words, args, code, stdout[-2000:], stderr[-2000:])
        assert "Traceback" not in stdout + stderr and "Lỗi không mong đợi" not in stderr, (words, stderr)
        done.setdefault(words, result)
        return stdout

    report = ("--unit", COMMUNE, "--form", FORM, "--period", PERIOD)
    # The commune.
    step("forms")
    step("init", "--db", xa, "--demo")
    step("units", "--db", xa)
    step("reports", "--db", xa)
    (folder / "bieu.json").write_text(step("show", "--db", xa, *report, "--json"), encoding="utf-8")
    step("load", "--db", xa, *report, folder / "bieu.json")
    step("check", "--db", xa, *report, "--targets", TARGETS)
    carried = ("--unit", COMMUNE, "--form", FORM, "--period", "2026")  # a new year from the last one's households
    step("carry-forward", "--db", xa, *carried, "--user", "Lò Thị Mai")
    step("confirm-carried", "--db", xa, *carried, "--all", "--user", "Lò Thị Mai")
    # Double entry: typed again with one figure different, resolved as typed the first time.
    again = json.loads((folder / "bieu.json").read_text(encoding="utf-8"))
    indicator = next(iter(again["values"]["commune"]))
    again["values"]["commune"][indicator] += 1
    (folder / "lan2.json").write_text(json.dumps(again, ensure_ascii=False), encoding="utf-8")
    step("double-entry start", "--db", xa, *report, "--who", "Vàng A Sình")
    step("double-entry load", "--db", xa, *report, folder / "lan2.json")
    step("double-entry finish", "--db", xa, *report)
    step("double-entry differences", "--db", xa, *report, "--json")
    step(
        "double-entry resolve", "--db", xa, *report, "--indicator", indicator, "--keep", "first", "--who", "Lò Thị Mai"
    )
    step("double-entry status", "--db", xa, *report)
    step("double-entry cancel", "--db", xa, *report, codes=(2,))  # done: nothing running to give up
    own = ("--set", "xa-rieng", "--name", "Mục tiêu của Đảng ủy xã", "--source", "Nghị quyết số 05-NQ/ĐU")
    step("targets set", "--db", xa, "--form", FORM, *own, "--source-date", "05/01/2024", "--from", "01/01/2024",
         "--target", "2.3>=90%")  # fmt: skip
    step("targets list", "--db", xa)
    step("keys show", "--db", xa, "--unit", COMMUNE)
    step("keys export", "--db", xa, "--unit", COMMUNE, "--out", out / "xa.sctk")
    exported = json.loads(
        step("packet export", "--db", xa, *report, "--targets", TARGETS, "--out", out, "--json", passphrase=PASSPHRASE)
    )
    packet = exported["file"]
    step("packet verify", packet, "--trust", out / "xa.sctk")
    step("print", "--db", xa, *report, "--out", out / "bieu.pdf")
    step("print", "--db", xa, *report, "--blank", "--out", out / "trang.pdf")
    # The province.
    step("init", "--db", tinh, "--demo-upper")
    step("forms export", "--db", tinh, "--form", FORM, "--version", "1", "--out", out / "kl224.xlsx")
    step("forms import", "--db", tinh, out / "kl224.xlsx")
    step("keys enrol", "--db", tinh, out / "xa.sctk")
    step("inbox open", "--db", tinh, "--form", FORM, "--period", "2026", "--deadline", "15/01/2027")
    # 64 copies, so the import's worker processes start (a module they load lazily, left out of a
    # bundle, would show here): one filed, the others the same file again.
    copies = folder / "usb"
    copies.mkdir()
    for n in range(64):
        (copies / f"{n:02d}-{Path(packet).name}").write_bytes(Path(packet).read_bytes())
    step("inbox import", "--db", tinh, copies)
    listed = json.loads(step("inbox list", "--db", tinh, "--json"))
    assert len(listed) == 1, listed
    number = str(listed[0]["id"])
    # Nothing to decide on a packet that was accepted: the command runs and refuses in Vietnamese.
    step("inbox decide", "--db", tinh, "--packet", number, "--reason", "Xã xác nhận", codes=(0, 1, 2))
    step("completeness", "--db", tinh, "--unit", PROVINCE, "--period", PERIOD)
    step("followup", "--db", tinh, "--form", FORM, "--period", PERIOD, "--xlsx", out, "--pdf", out)
    step("merge", "--db", tinh, "--unit", PROVINCE, "--form", FORM, "--period", PERIOD, "--out", out / "tong.xlsx")
    upper = ("--unit", PROVINCE, "--form", FORM, "--period", PERIOD)
    step("print", "--db", tinh, *upper, "--merged", "--out", out / "tong.pdf")
    step("print", "--db", tinh, "--unit", PROVINCE, "--period", PERIOD, "--completeness", "--out", out / "nop.pdf")
    step("packet upward", "--db", tinh, *upper, "--out", out / "tinh.sctg", passphrase=PASSPHRASE)
    step("receipt issue", "--db", tinh, "--packet", number, "--out", out, passphrase=PASSPHRASE)
    step("keys export", "--db", tinh, "--out", out / "tinh.sctk")
    # What the province sends down: its own version of the form (the program's, kept as its own), a notice.
    form = json.loads(
        step("forms publish", "--db", tinh, "--form", FORM, "--out", out, "--json", passphrase=PASSPHRASE)
    )
    notice = json.loads(
        step("collection publish", "--db", tinh, "--form", FORM, "--period", "2026", "--deadline", "31/01/2027",
             "--out", out, "--json", passphrase=PASSPHRASE)
    )["file"]  # fmt: skip
    plan = ("--set", "tinh-2026", "--name", "Kế hoạch 2026 của Tỉnh ủy", "--source", "Kế hoạch số 67-KH/ThU")
    step("targets set", "--db", tinh, "--form", FORM, *plan, "--source-date", "05/01/2026", "--from", "01/01/2026",
         "--target", "2.3>=90%")  # fmt: skip
    targets = json.loads(
        step("targets publish", "--db", tinh, "--form", FORM, "--set", "tinh-2026", "--out", out, "--json",
             passphrase=PASSPHRASE)
    )["file"]  # fmt: skip
    reopening = json.loads(
        step("reopening publish", "--db", tinh, "--unit", COMMUNE, "--form", FORM, "--period", PERIOD,
             "--reason", "Số hộ của một bản chưa khớp biên bản", "--out", out, "--json", passphrase=PASSPHRASE)
    )["file"]  # fmt: skip
    step("inbox void", "--db", tinh, "--packet", number, "--reason", "Xã gửi nhầm kỳ")
    # The commune files the province's answer, once it trusts the province's key.
    step("keys enrol", "--db", xa, out / "tinh.sctk")
    step("receipt import", "--db", xa, next(out.glob("*.sctb")))
    step("publication import", "--db", xa, form["file"])
    step("publication import", "--db", xa, notice)
    step("publication import", "--db", xa, targets)
    step("publication import", "--db", xa, reopening)  # the report the receipt locked may be corrected again
    step("publication todo", "--db", xa)
    # A new province of its own, its key replaced; backups.
    step("init", "--db", moi, "--upper", PROVINCE, "--officer", "Giàng Thị Dung", passphrase=NEW_PASSPHRASE)
    step("keys init", "--db", moi, "--replace", passphrase=NEW_PASSPHRASE)
    step("backup create", "--db", xa)
    step("backup list", "--db", xa)
    step("backup restore", "--db", xa, "--force")
    return done


def command_words() -> set[str]:
    """Every command the parser knows, as typed: "forms", "inbox import" (a group's own name is not one,
    unless it runs on its own too: "forms" lists, "forms export" writes a workbook)."""
    import main

    def leaves(parser, words: tuple[str, ...]):
        groups = [action for action in parser._actions if isinstance(action.choices, dict)]
        if words and (not groups or parser.get_default("handler") is not None):
            yield " ".join(words)
        for action in groups:
            for name, sub in action.choices.items():
                yield from leaves(sub, (*words, name))

    return set(leaves(main.build_parser(), ()))
