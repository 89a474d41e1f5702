"""Every command, run once in one scenario from the source (tests/every_command.py): the
scenario the frozen bundle runs too (tests/test_bundle.py), kept right here, and kept whole:
a command added to the parser and not to the scenario fails this test."""

from __future__ import annotations

import pytest
from every_command import command_words, every_command

import main


@pytest.mark.slow  # a commune and a province from init to backup: about 7 s
def test_the_scenario_runs_every_command_the_parser_knows(qapp, capsys, monkeypatch, tmp_path):
    # qapp: `print` in this process needs a Qt application; pytest-qt's, made first, is the widget-capable
    # one the window tests after this one need (the printing's own would be a QGuiApplication, and stay).
    def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        monkeypatch.delenv("SCT_PASSPHRASE", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        code = main.main(args)
        out, err = capsys.readouterr()
        return code, out, err

    monkeypatch.delenv("SCT_DEBUG", raising=False)
    done = every_command(run, tmp_path)
    assert set(done) == command_words()
    assert "Xã Sìn Hồ" in done["units"][1] and done["receipt import"][0] == 0
