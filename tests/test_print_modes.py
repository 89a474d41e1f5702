"""The three ways a unit's form prints, from `main.py print` in-process: a report (the letterhead, “BÁO CÁO”,
the clerk's text before the table, “Nơi nhận:” and the signature), an annex of a document (“PHỤ LỤC”,
“(Kèm theo …)”, no letterhead, signed only when asked) and the village-meeting sheets (one per village of the
demo commune Xã Mường Tè, or several side by side). Each a real PDF read back with pdfplumber; the choice is
remembered per unit and form in the database, as another process reads it."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest

import main
from forms.library import default_library
from models.gateway import Gateway

UNIT, FORM, PERIOD = "03445", "kl224", "2025"
BODY = "Thực hiện Kết luận số 224-KL/TU, Ban Thường vụ Đảng ủy xã báo cáo kết quả như sau:"
SECOND = "Các chi bộ đã tổ chức học tập, quán triệt đầy đủ."
ANNEX_OF = "Báo cáo số 12-BC/ĐU ngày 05/01/2026 của Ban Thường vụ Đảng ủy xã Mường Tè"
PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"
SIGNER = "Lò Văn Hùng"  # the demo's signer of Mường Tè


def pages_of(path: Path) -> list[str]:
    """Each page's text, NFC, each run of white space one space."""
    with pdfplumber.open(path) as pdf:
        return [re.sub(r"\s+", " ", unicodedata.normalize("NFC", p.extract_text() or "")) for p in pdf.pages]


def table_rows(path: Path) -> list[list[list[str | None]]]:
    """The rows of each page's tables, each cell's lines joined by a space."""
    with pdfplumber.open(path) as pdf:
        return [
            [
                [" ".join(unicodedata.normalize("NFC", c).split()) if c else c for c in row]
                for t in p.extract_tables()
                for row in t
            ]
            for p in pdf.pages
        ]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def printed(capsys, db: Path, out: Path, *args) -> dict:
    code, stdout, err = run(capsys, "print", "--db", db, "--unit", UNIT, "--form", FORM, "--period", PERIOD, *args,
                            "--out", out, "--json")  # fmt: skip
    assert code == 0, err
    return json.loads(stdout)


def setting(db: Path, name: str) -> str | None:
    gw = Gateway.open(db)
    try:
        return gw.setting(f"print.{UNIT}.{FORM}.layout.{name}")
    finally:
        gw.close()


def village_names(db: Path) -> list[str]:
    gw = Gateway.open(db)
    try:
        return [v.name for v in gw.villages_of(UNIT)]
    finally:
        gw.close()


def test_a_report_has_the_letterhead_the_typed_text_before_the_table_and_the_signature(
    qapp, capsys, demo_path, tmp_path
):
    done = printed(capsys, demo_path, tmp_path / "bao-cao.pdf", "--mode", "report", "--body", f"{BODY}\n\n{SECOND}")
    assert done["mode"] == "report" and done["sheets"] == 1
    pages = pages_of(Path(done["file"]))
    first, text = pages[0], " ".join(pages)
    assert PARTY in first and "ĐẢNG ỦY XÃ MƯỜNG TÈ" in first
    title = default_library().get(FORM).title
    assert first.index("BÁO CÁO") < first.index(title) < first.index(BODY) < first.index(SECOND)
    assert first.index(SECOND) < first.index("Stt Chỉ tiêu ĐVT")  # the clerk's text, then the table
    assert "Nơi nhận:" in pages[-1] and SIGNER in pages[-1] and "PHÓ BÍ THƯ" in pages[-1]
    assert "PHỤ LỤC" not in text and "(Kèm theo" not in text
    assert setting(demo_path, "mode") == "report" and setting(demo_path, "body") == f"{BODY}\n\n{SECOND}"


def test_an_annex_has_no_letterhead_and_no_signature_unless_asked(qapp, capsys, demo_path, tmp_path):
    args = ("--mode", "annex", "--annex-number", "01", "--annex-of", ANNEX_OF)
    done = printed(capsys, demo_path, tmp_path / "phu-luc.pdf", *args)
    assert done["mode"] == "annex"
    pages = pages_of(Path(done["file"]))
    text = " ".join(pages)
    assert pages[0].startswith("PHỤ LỤC 01 KẾT QUẢ THỰC HIỆN")
    assert f"(Kèm theo {ANNEX_OF})" in text
    assert PARTY not in text and "BÁO CÁO" not in text.replace(ANNEX_OF, "")
    assert "Nơi nhận" not in text and SIGNER not in text and "PHÓ BÍ THƯ" not in text
    assert "Stt Chỉ tiêu ĐVT" in pages[0]

    # remembered: the next print without options is the same annex; --signed adds the signature
    assert printed(capsys, demo_path, tmp_path / "lan-sau.pdf")["mode"] == "annex"
    signed = printed(capsys, demo_path, tmp_path / "ky.pdf", "--signed")
    text = " ".join(pages_of(Path(signed["file"])))
    assert SIGNER in text and "PHÓ BÍ THƯ" in text and "T/M BAN THƯỜNG VỤ" in text
    assert "Nơi nhận" not in text and PARTY not in text  # the document it goes with has the recipients
    assert setting(demo_path, "signed") == "1" and setting(demo_path, "annex_number") == "01"


def test_a_blank_annex_is_the_empty_form_headed_as_an_annex(qapp, capsys, demo_path, tmp_path):
    done = printed(capsys, demo_path, tmp_path / "trang.pdf", "--blank", "--mode", "annex")
    text = " ".join(pages_of(Path(done["file"])))
    assert text.startswith("PHỤ LỤC KẾT QUẢ") and "(Kèm theo văn bản số" in text
    assert "Biểu để ghi tay số liệu" in text and "2.433" not in text and PARTY not in text


def test_the_village_sheets_are_one_page_per_village(qapp, capsys, demo_path, tmp_path):
    done = printed(capsys, demo_path, tmp_path / "hop-ban.pdf", "--mode", "village")
    names = village_names(demo_path)
    assert len(names) == 18 and done["mode"] == "village" and done["sheets"] == 18
    assert done["footer"] == "" and done["qr"] is None
    pages = pages_of(Path(done["file"]))
    assert len(pages) == 18
    form = default_library().get(FORM)
    for name, page in zip(names, pages, strict=True):
        assert page.startswith("PHIẾU GHI SỐ LIỆU HỌP BẢN")
        assert f"{name} - Xã Mường Tè" in page
        assert [other for other in names if other != name and f"{other} " in page + " "] == []
        assert "Kỳ báo cáo: Năm 2025" in page and "ngày …… tháng …… năm" in page
        assert "Có / Không" in page and "Số hộ gia đình hộ" in page
    labels = [(f"{ind.code}. " if ind.code else "") + ind.label for ind in form.village_indicators]
    for rows in table_rows(Path(done["file"])):
        assert [row[0] for row in rows if len(row) == 3 and row[0] in labels] == labels  # the words, whole
        assert rows[0] == ["Chỉ tiêu", "ĐVT", rows[0][2]] and rows[0][2] in names
        units = {row[1] for row in rows if row[0] in labels}
        assert units == {"hộ", "Có / Không"}
        assert {row[2] for row in rows[1:]} <= {"", None}  # an empty box to write in, row after row
        assert "TRƯỞNG BẢN" in page and "NGƯỜI GHI" in page and page.count("(Ký, ghi rõ họ tên)") == 2
        assert PARTY not in page and "BÁO CÁO" not in page and "Nơi nhận" not in page
        assert not re.search(r"\d\.\d{3}", page)  # no figure: a sheet to write in
    assert setting(demo_path, "mode") is None  # a one-off: the next print is the form's own mode again
    assert printed(capsys, demo_path, tmp_path / "bao-cao.pdf")["mode"] == form.print_mode == "annex"


def test_several_villages_side_by_side_on_one_sheet(qapp, capsys, demo_path, tmp_path):
    done = printed(capsys, demo_path, tmp_path / "hop-ban.pdf", "--mode", "village", "--villages-per-sheet", "3")
    names = village_names(demo_path)
    assert done["sheets"] == 6
    firsts = [page for page in pages_of(Path(done["file"])) if page.startswith("PHIẾU GHI SỐ LIỆU HỌP BẢN")]
    assert len(firsts) == 6
    for n, page in enumerate(firsts):
        group = names[3 * n : 3 * n + 3]
        assert f"{', '.join(group)} - Xã Mường Tè" in page
    assert setting(demo_path, "villages_per_sheet") == "3"


def test_a_ward_residential_groups_sheet_is_signed_by_the_groups_leader(qapp, capsys, demo_path, tmp_path):
    gw = Gateway.open(demo_path)
    try:
        ward = next(u for u in gw.children("12") if u.kind == "phường" and gw.villages_of(u.code))
        kinds = {v.kind for v in gw.villages_of(ward.code)}
    finally:
        gw.close()
    if kinds != {"tổ dân phố"}:
        pytest.skip(f"the demo ward's villages are {kinds}")
    code, stdout, err = run(capsys, "print", "--db", demo_path, "--unit", ward.code, "--form", FORM, "--period",
                            PERIOD, "--mode", "village", "--out", tmp_path / "to.pdf", "--json")  # fmt: skip
    assert code == 0, err
    page = pages_of(Path(json.loads(stdout)["file"]))[0]
    assert "TỔ TRƯỞNG TỔ DÂN PHỐ" in page and "NGƯỜI GHI" in page


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--body-file", "khong-co.txt"), "Không đọc được tệp"),
        (("--body-file", "latin1.txt"), "không phải văn bản UTF-8"),
        (("--body-file", "dai.txt"), "dài quá 20.000 ký tự"),
        (("--mode", "report", "--annex-number", "01"), "--annex-number chỉ dùng khi in dạng phụ lục"),
        (("--mode", "annex", "--body", "x"), "--body chỉ dùng khi in dạng báo cáo"),
        (("--villages-per-sheet", "3"), "--villages-per-sheet chỉ dùng khi in dạng phiếu họp bản"),
        (("--mode", "village", "--villages-per-sheet", "7"), "số bản trên một phiếu phải là số nguyên từ 1 đến 6"),
        (("--mode", "bao-cao"), "--mode là report, annex hoặc village"),
        (("--body", "x", "--body-file", "a.txt"), "không được dùng cùng"),
    ],
)
def test_bad_layout_options_are_refused_in_one_vietnamese_line(qapp, capsys, demo_path, tmp_path, args, words):
    (tmp_path / "latin1.txt").write_bytes("Báo cáo".encode("latin-1"))
    (tmp_path / "dai.txt").write_text("Chữ " * 6000, encoding="utf-8")
    out = tmp_path / "ra"
    out.mkdir()
    files = [str(tmp_path / a) if a.endswith(".txt") else a for a in args]
    code, stdout, err = run(capsys, "print", "--db", demo_path, "--unit", UNIT, "--form", FORM, "--period", PERIOD,
                            *files, "--out", out)  # fmt: skip
    assert code == 2 and stdout == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], err
    assert list(out.iterdir()) == []
    assert setting(demo_path, "mode") is None  # nothing remembered from a refused print


def test_the_body_file_is_read_as_utf8_text(qapp, capsys, demo_path, tmp_path):
    source = tmp_path / "noi-dung.txt"
    source.write_bytes(("\ufeff" + BODY + "\r\n" + SECOND + "\r\n").encode("utf-8"))
    done = printed(capsys, demo_path, tmp_path / "bc.pdf", "--mode", "report", "--body-file", source)
    first = pages_of(Path(done["file"]))[0]
    assert first.index(BODY) < first.index(SECOND) < first.index("Stt Chỉ tiêu ĐVT")


def test_a_page_with_no_signers_name_says_so_and_leaves_the_line_blank(qapp, capsys, demo_path, tmp_path):
    args = ("print", "--db", demo_path, "--unit", UNIT, "--form", FORM, "--period", PERIOD, "--mode", "report")
    code, out, _ = run(capsys, *args, "--out", tmp_path / "co-ten.pdf")
    assert code == 0 and "Chưa có họ tên người ký" not in out  # the demo's signer of Mường Tè
    code, out, _ = run(capsys, *args, "--signer", "", "--out", tmp_path / "khong-ten.pdf")
    assert code == 0 and "Chưa có họ tên người ký: để trống để ký và ghi tay" in out
    assert SIGNER not in pages_of(tmp_path / "khong-ten.pdf")[-1]
