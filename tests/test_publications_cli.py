"""``forms publish``, ``collection publish``, ``publication import`` and
``publication todo`` on the province and commune demos: real databases, real
signed files, the exit codes and the one Vietnamese line on failure."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

import main
from exports.collect.trust import enrol
from exports.packets.enrolment import read_enrolment, write_enrolment
from forms.library import default_library
from models.form_store import import_authored_form
from models.gateway import Gateway
from models.keys import DEMO_PASSPHRASE, key_in_use


@pytest.fixture(autouse=True)
def _env(monkeypatch):
    monkeypatch.delenv("SCT_DEBUG", raising=False)
    monkeypatch.setenv("SCT_PASSPHRASE", DEMO_PASSPHRASE)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def sent(upper_path, tmp_path, capsys):
    """The province's own kl224 version 3 and a notice for 2026, published on the command line."""
    gw = Gateway.open(upper_path)
    import_authored_form(gw, replace(default_library().get("kl224", 2), version=3), "tinh")
    gw.close()
    out = tmp_path / "ra"
    out.mkdir()
    code, said, err = cli(capsys, "forms", "publish", "--db", upper_path, "--form", "kl224", "--out", out, "--json")
    assert code == 0, err
    form = json.loads(said)["file"]
    code, said, err = cli(
        capsys, "collection", "publish", "--db", upper_path, "--form", "kl224", "--period", "2026",
        "--deadline", "15/01/2027", "--note", "Nộp đúng hạn.", "--out", out,
    )  # fmt: skip
    assert code == 0, err
    assert "Đã mở kỳ thu biểu kl224, năm 2026, hạn nộp 15/01/2027" in said
    return form, str(next(out.glob("*_thu-bieu.sctp")))


def test_the_commune_holds_then_applies_and_lists_what_is_asked(qapp, sent, upper_path, demo_path, tmp_path, capsys):
    form, notice = sent
    code, said, err = cli(capsys, "publication", "import", "--db", demo_path, notice)
    assert code == 3 and "Đã giữ lại" in said and "keys enrol" in err

    province = Gateway.open(upper_path)
    commune = Gateway.open(demo_path)
    enrolment = write_enrolment(key_in_use(province, "12"), province.require_unit("12"), tmp_path / "tinh.sctk")
    enrol(commune, read_enrolment(enrolment), who="xa")
    province.close()
    commune.close()

    code, said, err = cli(capsys, "publication", "import", "--db", demo_path, form, "--json")
    assert code == 0, err
    assert json.loads(said)["status"] == "applied" and json.loads(said)["form"] == {
        "id": "kl224",
        "publisher": "12",
        "version": 3,
    }
    code, said, _ = cli(capsys, "publication", "import", "--db", demo_path, form)
    assert code == 0 and "đã nhập từ trước" in said

    code, said, _ = cli(capsys, "publication", "todo", "--db", demo_path, "--json")
    (todo,) = json.loads(said)
    assert todo["deadline"] == "2027-01-15" and todo["form"]["version"] == 3 and todo["form_known"]
    code, said, _ = cli(capsys, "reports", "--db", demo_path)
    assert code == 0
    assert "Việc cấp trên yêu cầu:" in said
    assert "Tỉnh Lai Châu yêu cầu nộp biểu kl224 (phiên bản 3) kỳ Năm 2026 trước ngày 15/01/2027 — " in said


def test_refusals_have_their_exit_codes(qapp, sent, demo_path, upper_path, tmp_path, capsys):
    form, _ = sent
    damaged = tmp_path / "hong.sctp"
    raw = bytearray(open(form, "rb").read())
    raw[len(raw) // 2] ^= 0x01
    damaged.write_bytes(bytes(raw))
    code, said, err = cli(capsys, "publication", "import", "--db", demo_path, damaged)
    assert (code, said) == (1, "") and len(err.strip().splitlines()) == 1
    code, _, err = cli(capsys, "publication", "import", "--db", demo_path, tmp_path / "khong-co.sctp")
    assert code == 2 and "Không tìm thấy tệp" in err
    code, _, err = cli(
        capsys, "collection", "publish", "--db", upper_path, "--form", "kl224", "--period", "2026",
        "--deadline", "31/02/2027", "--out", tmp_path,
    )  # fmt: skip
    assert code == 2 and "không hợp lệ" in err
    code, _, err = cli(
        capsys, "forms", "publish", "--db", upper_path, "--form", "kl224", "--version", "2", "--out", tmp_path
    )
    assert code == 2 and "chưa ban hành biểu kl224 phiên bản 2" in err
