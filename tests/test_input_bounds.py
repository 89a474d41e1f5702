"""One bad input stops nothing and every input is bounded (issue 15), through the
real command line: numbers too big for the database, files too deep or too long
to read, a file of another unit, a name the system refuses, fullwidth codes, an
empty file given as the database, an unknown status. Each is refused with one
Vietnamese line and exit 2, never “Lỗi không mong đợi”, and nothing is written."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from testkit import run_main, run_on_full_disk

import main
from models.errors import _OS_WORDS, os_error_words
from models.vocabulary import PacketStatus

HUGE = str(10**30)


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("SCT_DEBUG", raising=False)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def refused(code: int, out: str, err: str) -> str:
    """Exit 2, one Vietnamese line on stderr and nothing on stdout; that line."""
    assert code == 2, (code, out, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "không mong đợi" not in err, err
    assert any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in lines[0]), lines[0]
    assert out == ""
    return lines[0]


def table_rows(db: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        conn.close()


# ---- numbers on the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["inbox", "decide", "--reason", "x"],
        ["receipt", "issue", "--out", "."],
    ],
    ids=["inbox decide", "receipt issue"],
)
@pytest.mark.parametrize("packet", [HUGE, "0", "-5", "3.0", "mười"])
def test_a_packet_number_out_of_bounds_is_a_bad_argument(capsys, upper_path, command, packet):
    line = refused(*cli(capsys, *command[:2], "--db", upper_path, "--packet", packet, *command[2:]))
    assert "--packet" in line and "số gói phải là số nguyên từ 1 đến 999.999.999" in line


def test_a_huge_packet_number_is_refused_by_the_program_as_typed(upper_path):
    result = run_main("inbox", "decide", "--db", upper_path, "--packet", HUGE, "--reason", "x")
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Tham số không hợp lệ: tham số --packet: số gói"), result.stderr


def test_a_packet_number_in_fullwidth_digits_is_read_as_its_number(capsys, upper_path):
    """１ is 1: it reaches the inbox, which says packet 1 is not in conflict (not an argument error)."""
    code, out, err = cli(capsys, "inbox", "decide", "--db", upper_path, "--packet", "１", "--reason", "x")
    assert code == 2 and "Tham số" not in err and "không mong đợi" not in err, err


# ---- inbox list --status --------------------------------------------------------------------


def test_an_unknown_status_is_refused_with_the_statuses_there_are(capsys, upper_path):
    line = refused(*cli(capsys, "inbox", "list", "--db", upper_path, "--status", "nope"))
    assert "“nope”" in line
    for status in PacketStatus:
        assert f"{status.value} ({status.words})" in line


@pytest.mark.parametrize("status", [*PacketStatus, "ACCEPTED"])
def test_every_status_there_is_may_be_listed(capsys, upper_path, status):
    code, out, err = cli(capsys, "inbox", "list", "--db", upper_path, "--status", status, "--json")
    assert (code, err, out.strip()) == (0, "", "[]")


# ---- what the operating system refuses, said in Vietnamese --------------------------------


def long_name(folder: Path) -> Path:
    return folder / ("so-chi-tieu-" * 25 + ".db")  # 300 characters: more than any file system allows


@pytest.mark.parametrize(
    "command",
    [["units"], ["init"], ["reports"], ["backup", "restore"], ["backup", "create"]],
    ids=" ".join,
)
def test_a_database_name_too_long_for_the_system_is_said_in_vietnamese(capsys, tmp_path, command):
    line = refused(*cli(capsys, *command, "--db", long_name(tmp_path)))
    assert "tên tệp hoặc đường dẫn quá dài" in line, line
    assert "Errno" not in line and "too long" not in line
    assert list(tmp_path.iterdir()) == []


def test_an_os_error_nothing_else_caught_is_one_vietnamese_line_not_an_unexpected_error(capsys, tmp_path):
    """backup list looks for the backup folder beside a name too long: main.py says it in Vietnamese."""
    line = refused(*cli(capsys, "backup", "list", "--db", long_name(tmp_path)))
    assert line.startswith("Không đọc hoặc ghi được tệp “") and line.endswith(": tên tệp hoặc đường dẫn quá dài."), line


def test_a_load_file_name_too_long_is_said_in_vietnamese(capsys, demo_path, tmp_path):
    args = ["load", "--db", demo_path, "--unit", "03445", "--form", "kl224", "--period", "2025"]
    line = refused(*cli(capsys, *args, tmp_path / ("so-lieu-" * 40 + ".json")))
    assert "quá dài" in line and "Errno" not in line, line


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
def test_a_packet_that_does_not_fit_on_the_disk_is_refused_in_vietnamese(demo_path, tmp_path):
    """The packet (about 60 KB) cannot be written past 48 KiB: the reason in the parentheses is ours, not
    “File too large” or “No space left on device”; nothing half-written is left."""
    out = tmp_path / "goi"
    out.mkdir()
    args = ["packet", "export", "--db", demo_path, "--unit", "03445", "--form", "kl224", "--period", "2024"]
    run = run_on_full_disk(48 * 1024, *args, "--out", out, SCT_PASSPHRASE="muongte-mau")
    line = refused(run.returncode, run.stdout, run.stderr)
    assert "Không ghi được tệp" in line and "không có tệp nào bị ghi dở" in line, line
    assert "(tệp vượt quá cỡ ổ đĩa cho phép, có thể ổ đĩa đã đầy)" in line, line
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("code", sorted(_OS_WORDS), ids=lambda code: errno.errorcode.get(code, str(code)))
def test_each_os_error_the_program_knows_is_worded_in_vietnamese(code):
    words = os_error_words(OSError(code, os.strerror(code)))
    assert words == _OS_WORDS[code] and os.strerror(code) not in words
    assert any(ord(ch) > 127 for ch in words), words


def test_the_main_os_errors_have_the_words_an_officer_knows():
    said = {code: os_error_words(OSError(code, "english")) for code in (errno.ENOSPC, errno.EROFS, errno.EIO)}
    assert said == {errno.ENOSPC: "ổ đĩa đã đầy", errno.EROFS: "ổ đĩa chỉ cho phép đọc", errno.EIO: "lỗi đọc ghi ổ đĩa"}
    assert "quyền" in os_error_words(PermissionError(errno.EACCES, "Permission denied"))
    assert os_error_words(OSError(9999, "Something odd")) == "lỗi hệ thống tệp (mã 9999)"
    assert os_error_words(OSError("no number")) == "lỗi hệ thống tệp"


# ---- load: the file read strictly, for the unit it names --------------------------------------

LOAD = ["--unit", "03445", "--form", "kl224", "--period", "2025"]
A_VALUE = {"villages": {"01": {"so_ho": 123}}}  # Bản Nà Hừ's households, 120 in the demo


def written(db: Path) -> tuple:
    """Every report, cell and audit row: what a refused load must leave as it was."""
    return tuple(table_rows(db, table) for table in ("reports", "cell_values", "audit"))


def load_file(capsys, db: Path, folder: Path, text: str | bytes, *args: str) -> tuple[int, str, str]:
    path = folder / "so-lieu.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return cli(capsys, "load", "--db", db, *(args or LOAD), path)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"values": {"commune": {"so_ho": ' + "9" * 5000 + "}}}", "dài quá 20 chữ số"),
        ("[" * 100_000, "cấu trúc lồng nhau quá sâu"),
        ('{"values": {"commune": {"so_ho": 1, "so_ho": 2}}}', "xuất hiện hai lần"),
        ('{"values": {"commune": {"so_ho": NaN}}}', "không phải là số"),
        ('{"values": {"commune": {"so_ho": 1e999}}}', "quá lớn"),
        (b'{"values": {"commune": {"x": "\xff"}}}', "không phải văn bản UTF-8"),
        ('{"values": {"commune": {}},\n "ghi_chu": }', "không phải JSON hợp lệ (dòng 2, cột 13)"),
    ],
    ids=["5000 digits", "100000 brackets", "a key twice", "NaN", "Infinity", "not UTF-8", "a slip of syntax"],
)
def test_a_load_file_out_of_bounds_is_refused_with_its_name_and_the_reason(capsys, demo_path, tmp_path, text, reason):
    before = written(demo_path)
    line = refused(*load_file(capsys, demo_path, tmp_path, text))
    assert line.startswith("Tệp “so-lieu.json” không nạp được: ") and reason in line, line
    assert written(demo_path) == before


def test_a_load_file_of_5000_digits_is_refused_by_the_program_as_typed(demo_path, tmp_path):
    path = tmp_path / "so-lieu.json"
    path.write_text('{"values": {"commune": {"so_ho": ' + "9" * 5000 + "}}}", encoding="utf-8")
    result = run_main("load", "--db", demo_path, *LOAD, path)
    assert result.returncode == 2 and "dài quá 20 chữ số" in result.stderr, result.stderr


def test_a_load_file_too_big_to_be_a_report_is_refused_unread(capsys, demo_path, tmp_path):
    before = written(demo_path)
    line = refused(*load_file(capsys, demo_path, tmp_path, b" " * (16 * 1024 * 1024 + 1) + b"{}"))
    assert "lớn quá 16 MB" in line, line
    assert written(demo_path) == before


def test_a_load_file_saved_by_notepad_with_its_mark_is_read(capsys, demo_path, tmp_path):
    text = b"\xef\xbb\xbf" + f'{{"values": {A_VALUE}}}'.replace("'", '"').encode()
    code, out, err = load_file(capsys, demo_path, tmp_path, text)
    assert (code, err) == (0, ""), err
    assert out.startswith("Đã nạp 1 ô thay đổi")


@pytest.mark.parametrize(
    "unit",
    ["03408", {"code": "03408", "name": "Phường Tân Phong"}, "3445", 3445, "03445.01"],
    ids=["another unit's code", "another unit's block", "the code without its 0", "a number", "a village"],
)
def test_a_load_file_of_another_unit_is_refused_whether_it_names_it_by_code_or_block(capsys, demo_path, tmp_path, unit):
    before = written(demo_path)
    line = refused(*load_file(capsys, demo_path, tmp_path, json.dumps({"unit": unit, "values": A_VALUE})))
    assert line.startswith("Tệp là của đơn vị “") and "không phải “03445”; không nạp." in line, line
    assert written(demo_path) == before


@pytest.mark.parametrize(
    ("key", "stated"),
    [("unit", ["03445"]), ("unit", True), ("period", {"code": 2025.0}), ("form", {"id": None, "code": ["kl224"]})],
    ids=["a list", "true", "a float", "a list in a block"],
)
def test_a_load_file_that_names_its_report_oddly_is_refused(capsys, demo_path, tmp_path, key, stated):
    before = written(demo_path)
    line = refused(*load_file(capsys, demo_path, tmp_path, json.dumps({key: stated, "values": A_VALUE})))
    assert line.startswith(f"Mục “{key}” của tệp phải là mã"), line
    assert written(demo_path) == before


def test_a_load_file_of_another_period_named_plainly_is_refused(capsys, demo_path, tmp_path):
    line = refused(*load_file(capsys, demo_path, tmp_path, json.dumps({"period": "2024", "values": A_VALUE})))
    assert line == "Tệp là của kỳ báo cáo “2024”, không phải “2025”; không nạp."


@pytest.mark.parametrize(
    "unit",
    ["03445", {"code": "03445", "name": "Xã Mường Tè"}, " 03445 ", "０３４４５"],
    ids=["the code", "the block show --json writes", "spaces around", "fullwidth"],
)
def test_a_load_file_of_this_unit_loads_whether_it_names_it_by_code_or_block(capsys, demo_path, tmp_path, unit):
    data = {"unit": unit, "period": "2025", "form": "kl224", "values": A_VALUE}
    code, out, err = load_file(capsys, demo_path, tmp_path, json.dumps(data, ensure_ascii=False))
    assert (code, err) == (0, ""), err
    assert out.startswith("Đã nạp 1 ô thay đổi vào Xã Mường Tè")


# ---- codes are ASCII: fullwidth is read as ASCII, never a second period or unit --------------------


def test_a_period_typed_in_fullwidth_digits_is_the_same_period_not_a_second_one(capsys, demo_path, tmp_path):
    """load --period ２０２４ writes into the 2024 report; before, it made a second “Năm 2024”."""
    reports = [row[:5] for row in table_rows(demo_path, "reports")]  # id, unit, form, version, period
    path = tmp_path / "so-lieu.json"
    path.write_text(json.dumps({"values": A_VALUE}), encoding="utf-8")
    code, out, err = cli(
        capsys, "load", "--db", demo_path, "--unit", "０３４４５", "--form", "ｋｌ２２４", "--period", "２０２４", path
    )
    assert (code, err) == (0, ""), err
    assert out.startswith("Đã nạp 1 ô thay đổi vào Xã Mường Tè, kl224, Năm 2024.")
    assert [row[:5] for row in table_rows(demo_path, "reports")] == reports
    assert [row[0] for row in table_rows(demo_path, "periods")] == ["2016-2020", "2024", "2025"]


def test_show_with_a_fullwidth_period_shows_the_report_of_that_period(capsys, demo_path):
    args = ["show", "--db", demo_path, "--unit", "03445", "--form", "kl224", "--json", "--period"]
    _, plain, _ = cli(capsys, *args, "2024")
    code, wide, err = cli(capsys, *args, "２０２４")
    assert (code, err) == (0, "") and json.loads(wide) == json.loads(plain)


def test_a_packet_of_a_fullwidth_period_is_named_and_signed_for_the_period(capsys, demo_path, tmp_path, monkeypatch):
    monkeypatch.setenv("SCT_PASSPHRASE", "muongte-mau")
    args = ["packet", "export", "--db", demo_path, "--unit", "03445", "--form", "kl224", "--out", tmp_path, "--json"]
    code, out, err = cli(capsys, *args, "--period", "２０２４")
    assert code == 0, err
    assert [p.name for p in tmp_path.glob("*.sctg")] == ["03445_kl224_2024_lan01.sctg"]
    assert json.loads(out)["manifest"]["period"] == {"code": "2024", "label": "Năm 2024"}


def test_completeness_of_a_fullwidth_period_is_that_of_the_period_with_nothing_falsely_overdue(capsys, upper_path):
    args = ["completeness", "--db", upper_path, "--unit", "12", "--json", "--period"]
    _, plain, _ = cli(capsys, *args, "2024")
    code, wide, err = cli(capsys, *args, "２０２４")
    assert (code, err) == (0, "") and json.loads(wide) == json.loads(plain)


@pytest.mark.parametrize(
    ("option", "typed"),
    [
        ("--period", "٢٠٢٤"),  # Arabic-Indic digits: int() reads them, NFKC does not make them ASCII
        ("--period", "2024\u200b"),  # a zero-width space pasted along
        ("--unit", "03445\u00a0x"),
        ("--unit", "０３４４５／０１"),
        ("--form", "kl224 kl224"),
        ("--period", "2" * 10_000),
    ],
    ids=["Arabic-Indic digits", "zero-width space", "a space inside", "a slash", "two words", "10000 digits"],
)
def test_a_code_that_is_not_plain_ascii_is_a_bad_argument(capsys, demo_path, option, typed):
    args = {"--unit": "03445", "--form": "kl224", "--period": "2024", option: typed}
    line = refused(*cli(capsys, "show", "--db", demo_path, *[x for pair in args.items() for x in pair]))
    assert f"tham số {option}: mã “" in line and "không dùng được" in line and len(line) < 300, line


def test_the_library_reads_a_fullwidth_period_as_its_code_and_refuses_other_digits():
    from models.errors import BadInput
    from models.periods import parse_period

    assert parse_period("２０２５－ｈ１").code == "2025-H1"
    assert parse_period(" 2021-2025 ").code == "2021-2025"
    for typed in ("٢٠٢٤", "२०२४", "2024\n2025", "2024-Q5"):
        with pytest.raises(BadInput, match="không hợp lệ"):
            parse_period(typed)
    with pytest.raises(BadInput) as caught:
        parse_period("9" * 10_000)
    assert len(str(caught.value)) < 200


def test_a_unit_code_the_database_would_hold_is_plain_ascii(fresh_db):
    from models.errors import BadInput

    for code in ("０３４４５", "03445 ", "٠٣٤٤٥", "03445..01", "", "x" * 40):
        with pytest.raises(BadInput, match="không hợp lệ"):
            fresh_db.add_unit(code, "Xã Thử", "xã")
    assert fresh_db.add_unit("TW", "Trung ương", "trung ương").code == "TW"
    assert fresh_db.add_unit("03445.01", "Bản Thử", "bản", "TW").code == "03445.01"


def test_a_commune_chosen_by_its_fullwidth_code_is_set_up_under_its_code(fresh_db):
    from models.setup import setup_commune

    unit = setup_commune(fresh_db, "０３４４５", ["Bản Nà Hừ"], "bản", "Lò Văn Thử", "Cán bộ")
    assert unit.code == "03445"
    assert [u.code for u in fresh_db.villages_of("03445")] == ["03445.01"]


# ---- a database file of 0 bytes is never made a new database, except by init ---------------------


def backed_up_then_emptied(demo_path: Path) -> Path:
    """The demo with a good backup, then cut off to 0 bytes (a copy that failed, a full disk)."""
    from models.backups import backup_database
    from models.gateway import Gateway

    gw = Gateway.open(demo_path)
    backup_database(gw.db.conn, demo_path)
    gw.close()
    demo_path.write_bytes(b"")
    return demo_path


@pytest.mark.parametrize(
    ("command", "more"),
    [
        (["units"], []),
        (["reports"], []),
        (["show"], LOAD),
        (["check"], LOAD),
        (["backup", "create"], []),
        (["keys", "show"], []),
        (["inbox", "list"], []),
    ],
    ids=lambda words: " ".join(words),
)
def test_a_database_of_0_bytes_is_refused_and_pointed_to_backup_restore_not_initialised(
    capsys, tmp_path, command, more
):
    empty = tmp_path / "so-chi-tieu.db"
    empty.write_bytes(b"")
    line = refused(*cli(capsys, *command, "--db", empty, *more))
    assert line.startswith(f"Tệp “{empty}” trống (0 byte)") and "“backup restore”" in line, line
    assert [p.name for p in tmp_path.iterdir()] == ["so-chi-tieu.db"] and empty.read_bytes() == b""


def test_load_into_a_database_of_0_bytes_writes_nothing(capsys, tmp_path):
    empty = tmp_path / "so-chi-tieu.db"
    empty.write_bytes(b"")
    refused(*load_file(capsys, empty, tmp_path, json.dumps({"values": A_VALUE})))
    assert empty.read_bytes() == b""


def test_a_file_that_is_not_a_database_is_refused_and_pointed_to_backup_restore(capsys, tmp_path):
    notes = tmp_path / "ghi-chu.db"
    notes.write_text("Biên bản họp chi bộ", encoding="utf-8")
    line = refused(*cli(capsys, "units", "--db", notes))
    assert "không phải cơ sở dữ liệu của Sổ Chỉ Tiêu" in line and "“backup restore”" in line
    assert notes.read_text(encoding="utf-8") == "Biên bản họp chi bộ"


def test_init_is_the_one_command_that_makes_a_database_of_a_file_of_0_bytes(capsys, tmp_path):
    empty = tmp_path / "so-chi-tieu.db"
    empty.write_bytes(b"")
    code, out, err = cli(capsys, "init", "--db", empty)
    assert (code, err) == (0, "") and "đã sẵn sàng" in out
    code, out, err = cli(capsys, "units", "--db", empty)
    assert (code, out, err) == (0, "", "")


def test_backup_restore_takes_a_database_of_0_bytes_for_damaged(capsys, demo_path, tmp_path):
    """Without --force: before, the empty file was “not damaged” and the restore refused."""
    backed_up_then_emptied(demo_path)
    code, out, err = cli(capsys, "backup", "restore", "--db", demo_path)
    assert (code, err) == (0, ""), err
    assert out.startswith(f"Đã khôi phục “{demo_path}” từ bản sao lưu lúc ")
    kept = list(tmp_path.glob("demo-truoc-khoi-phuc-*.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == b""
    code, out, err = cli(capsys, "units", "--db", demo_path, "--under", "03445")
    assert code == 0 and out.startswith("03445  Xã Mường Tè")


def test_a_backup_of_0_bytes_is_not_a_good_backup(capsys, demo_path, tmp_path):
    from models.backups import backup_folder, list_backups

    backed_up_then_emptied(demo_path)
    (only,) = list_backups(demo_path)
    only.path.write_bytes(b"")
    code, out, err = cli(capsys, "backup", "list", "--db", demo_path)
    assert code == 0 and "HỎNG" in out
    line = refused(*cli(capsys, "backup", "restore", "--db", demo_path))
    assert line.startswith("Không có bản sao lưu tốt nào") and demo_path.read_bytes() == b""
    line = refused(*cli(capsys, "backup", "restore", "--db", demo_path, "--from", only.path))
    assert line.endswith("không dùng được: tệp trống (0 byte).") and demo_path.read_bytes() == b""
    line = refused(*cli(capsys, "backup", "restore", "--db", demo_path, "--from", backup_folder(demo_path) / "x.db"))
    assert line.endswith("không dùng được: không tìm thấy tệp hoặc thư mục."), line
