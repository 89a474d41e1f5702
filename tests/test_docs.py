"""The documentation keeps up with the program: every command and option is
in docs/cli.md, and the annotated example of docs/forms.md is a valid form."""

from __future__ import annotations

import argparse
import re

import pytest
from testkit import ROOT

import main
from forms.engine import ReportData, evaluate
from forms.loader import parse_form

CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
ARCHITECTURE_DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
FORMS_DOC = (ROOT / "docs" / "forms.md").read_text(encoding="utf-8")
PACKET_DOC = (ROOT / "docs" / "packet-format.md").read_text(encoding="utf-8")


def subcommands(parser: argparse.ArgumentParser | None = None, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every command by its full name (“packet verify”), nested ones included."""
    parser = parser or main.build_parser()
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = subcommands(sub, f"{prefix}{name} ")
                found.update(nested or {f"{prefix}{name}": sub})
    return found


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_has_its_section(name):
    assert re.search(rf"^## {name}$", CLI_DOC, re.MULTILINE), f"docs/cli.md has no section for “{name}”"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_option_is_documented(name):
    section = CLI_DOC.split(f"## {name}\n", 1)[1].split("\n## ", 1)[0]
    for action in subcommands()[name]._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in section, f"{name}: {option} is not in docs/cli.md"


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_command_names_its_library_function(name):
    """docs/architecture.md's table: each command, the function it calls, the window action beside it."""
    rows = [line for line in ARCHITECTURE_DOC.splitlines() if line.startswith("| `")]
    assert any(re.search(rf"`{re.escape(name)}[` ]", row.split("|")[1]) for row in rows), name


def test_forms_doc_example_is_a_valid_form():
    example = FORMS_DOC.split("## An annotated example", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    form = parse_form(example, "docs/forms.md")
    assert [i.code for i in form.indicators if i.is_row] == ["1.1", "1.2"]
    in_force = form.target_set("huyen-2025").in_force()
    assert [float(t.percent) for t in in_force] == [85.0, 60.0]
    data = ReportData(
        "xã",
        "xa",
        ("a", "b"),
        {
            "a": {"so_ho": 5, "ban_co_nvh": 0, "ban_nvh_dat_chuan": 1},
            "b": {"so_ho": 40, "ban_co_nvh": 1, "ban_nvh_dat_chuan": 1},
        },
        {},
    )
    assert {(f.cell.indicator, f.cell.village, f.rule) for f in evaluate(form, data).findings} == {
        ("so_ho", "a", "ban_nho"),
        ("ban_nvh_dat_chuan", "a", "trong_do_khong_vuot_cha"),
    }


def test_the_packet_doc_lists_the_entries_in_the_order_the_writer_uses():
    from exports.packets.format import MANIFEST, SIGNATURE, SIGNED_FILES

    table = PACKET_DOC.split("## The file", 1)[1].split("The zip is written", 1)[0]
    listed = re.findall(r"^\| `([^`]+)` \|", table, flags=re.MULTILINE)
    assert listed == [MANIFEST, SIGNATURE, *SIGNED_FILES]
