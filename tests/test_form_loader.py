"""Form definitions: the shipped forms load whole, and a broken file is refused
with one message naming the file, the line and the field.

Why it is long: one refusal per way a form file can be broken, each naming its line and field.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from forms.library import DEFINITIONS_DIR, FormLibrary, default_library
from forms.loader import FormError, load_form, parse_form
from forms.schema import BUILTIN_FIGURES, NUMERIC_KINDS

DOMAIN_CODES = (
    "1.1 1.2 1.3 2.1 2.2 2.3 2.4 3.1 3.2 3.3 3.4 3.5 4.1 4.2 4.3 5.1 6.1 6.2 6.3 7.1 7.2 8.1 8.2 8.3"
).split()
KL224_TARGET_SETS = ("tp-lai-chau-2025", "muong-te-2025", "de-an-241-2016-2020")


# ---- the shipped forms -------------------------------------------------------


@pytest.fixture
def da241(library):
    return library.get("da241")


def test_both_shipped_forms_load(library):
    assert {f.id for f in library.all()} >= {"kl224", "da241", "da241-huyen"}
    assert library.get("kl224").version == 2  # the latest
    assert library.get("da241").version == 2
    # Version 1 stays for the reports and packets filled with it.
    assert library.get("kl224", 1).version == 1
    assert library.get("da241", 1).version == 1
    assert library.get("kl224", 99) is None


def test_version_1_keeps_its_rows_and_version_2_adds_or_moves_its_own(library):
    rows = {
        (f, v): [i.id for i in library.get(f, v).indicators if i.is_row] for f in ("kl224", "da241") for v in (1, 2)
    }
    assert rows[("kl224", 2)] == [*rows[("kl224", 1)][:3], "cb_cc_vc_nld_hoc_nghi_quyet", *rows[("kl224", 1)][3:]]
    v1_241 = rows[("da241", 1)]
    assert v1_241[-3:] == ["cbtg_dai_hoc", "cbtg_trung_cap_llct", "cbtg_cao_cap_llct"]
    assert rows[("da241", 2)] == [*v1_241[:4], "xa_tram_fm", "ban_cum_loa_on_dinh", *v1_241[4:-3]]


def test_default_library_is_built_from_the_definitions_folder():
    fresh = FormLibrary.from_directory(DEFINITIONS_DIR)
    assert [(f.id, f.version) for f in fresh.all()] == [(f.id, f.version) for f in default_library().all()]


@pytest.mark.parametrize("version", [1, 2])
def test_kl224_has_a_printed_row_for_every_domain_code(library, version):
    kl224 = library.get("kl224", version)
    codes = [i.code for i in kl224.indicators if i.is_row]
    for code in DOMAIN_CODES:
        assert codes.count(code) == 1, f"dòng {code} phải có đúng một lần trong kl224"


def test_kl224_rows_are_in_domain_order(kl224):
    codes = [i.code for i in kl224.indicators if i.code in DOMAIN_CODES]
    assert codes == DOMAIN_CODES


def test_kl224_has_the_three_target_sets(kl224):
    assert tuple(s.id for s in kl224.target_sets) == KL224_TARGET_SETS
    for set_id in KL224_TARGET_SETS:
        assert kl224.target_set(set_id) is not None
    assert kl224.target_set("khong-co") is None


def test_muong_te_heritage_club_target_keeps_both_versions(kl224):
    muong_te = kl224.target_set("muong-te-2025")
    versions = [t for t in muong_te.targets if t.indicator == "xa_clb_di_san"]
    assert [(t.version, t.percent) for t in versions] == [(1, Decimal("14.2")), (2, Decimal("15"))]
    in_force = [t for t in muong_te.in_force() if t.indicator == "xa_clb_di_san"]
    assert len(in_force) == 1
    assert in_force[0].percent == Decimal("15")
    assert in_force[0].version == 2
    assert muong_te.version == 2


def test_in_force_keeps_one_target_per_indicator_in_written_order(kl224):
    for target_set in kl224.target_sets:
        in_force = target_set.in_force()
        indicators = [t.indicator for t in in_force]
        assert len(indicators) == len(set(indicators))
        written = list(dict.fromkeys(t.indicator for t in target_set.targets))
        assert indicators == written


def test_tp_lai_chau_heritage_clubs_is_a_count(kl224):
    target = next(t for t in kl224.target_set("tp-lai-chau-2025").in_force() if t.indicator == "xa_clb_di_san")
    assert target.count == 3
    assert target.percent is None


def test_da241_has_the_seed_columns(da241):
    assert da241.columns == (
        "Stt",
        "Nội dung của chỉ tiêu",
        "ĐVT",
        "Tổng số",
        "Số đã đạt tiêu chuẩn",
        "Tỷ lệ (%)",
    )


@pytest.mark.parametrize(
    ("form_id", "version"), [("kl224", 1), ("kl224", 2), ("da241", 1), ("da241", 2), ("da241-huyen", 1)]
)
def test_every_percentage_row_names_a_denominator(library, form_id, version):
    form = library.get(form_id, version)
    rows = [i for i in form.indicators if i.is_row and i.kind in NUMERIC_KINDS]
    assert rows
    without = [i.id for i in rows if i.denominator is None]
    assert without == []
    for ind in rows:
        assert ind.denominator in BUILTIN_FIGURES or form.has_indicator(ind.denominator)


SHIPPED_FILES = sorted(p.name for p in DEFINITIONS_DIR.glob("*.toml"))


@pytest.mark.parametrize("name", SHIPPED_FILES)
def test_every_text_of_the_shipped_forms_is_nfc(name):
    form = load_form(DEFINITIONS_DIR / name)
    texts = [form.title, form.subtitle, form.source, *form.columns]
    texts += [s.title for s in form.sections]
    texts += [t for i in form.indicators for t in (i.label, i.unit, *i.applies_to)]
    texts += [r.message for r in form.rules]
    texts += [t for s in form.target_sets for t in (s.name, s.source, *(x.source for x in s.targets))]
    texts += [t for r in form.readings for t in (r.subject, r.source, r.chosen, r.other)]
    for text in texts:
        assert unicodedata.is_normalized("NFC", text), repr(text)


@pytest.mark.parametrize("name", SHIPPED_FILES)
def test_the_shipped_files_are_written_in_nfc(name):
    text = (DEFINITIONS_DIR / name).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)


def test_a_label_written_in_nfd_is_stored_in_nfc(valid_text):
    nfd = unicodedata.normalize("NFD", "Hộ gia đình văn hóa")
    assert nfd != "Hộ gia đình văn hóa"
    form = parse_form(valid_text.replace("Hộ gia đình văn hóa", nfd), "nfd.toml")
    assert form.indicator("ho_van_hoa").label == "Hộ gia đình văn hóa"


# ---- broken definitions --------------------------------------------------------

VALID = """\
format = 1
id = "vi-du"
version = 1
title = "BIỂU THỬ"

[[sections]]
code = "1"
title = "Nhà văn hóa"

[[indicators]]
id = "so_ho"
section = "1"
label = "Số hộ gia đình"
unit = "hộ"
kind = "count"
grain = "village"

[[indicators]]
id = "ho_van_hoa"
code = "1.1"
section = "1"
label = "Hộ gia đình văn hóa"
unit = "hộ"
kind = "count"
grain = "village"
denominator = "so_ho"

[[indicators]]
id = "ban_co_nvh"
code = "1.2"
section = "1"
label = "Bản có nhà văn hóa"
unit = "bản"
kind = "yesno"
grain = "village"
denominator = "so_ban"

[[indicators]]
id = "ban_nvh_dat_chuan"
code = "1.3"
section = "1"
label = "Trong đó: đạt chuẩn"
unit = "bản"
kind = "yesno"
grain = "village"
parent = "ban_co_nvh"
denominator = "ban_co_nvh"

[[indicators]]
id = "so_co_quan"
section = "1"
label = "Cơ quan, đơn vị"
unit = "cơ quan"
kind = "count"
grain = "commune"

[[rules]]
id = "ban_nho"
grain = "village"
left = "so_ho"
op = ">="
right = "10"
severity = "warning"
message = "Bản có dưới 10 hộ."

[[target_sets]]
id = "huyen-2025"
name = "Mục tiêu của huyện đến năm 2025"
tier = "huyen"
period = "2021-2025"

[[target_sets.targets]]
indicator = "ban_co_nvh"
op = ">="
percent = 85

[[target_sets.targets]]
indicator = "ban_nvh_dat_chuan"
op = ">="
percent = 50
version = 1
"""

# Every broken line below carries this comment, so the test knows which line
# the loader must name without counting by hand.
MARK = "  # <- lỗi"


@pytest.fixture
def valid_text() -> str:
    return VALID


def test_the_valid_text_loads(valid_text):
    form = parse_form(valid_text, "broken.toml")
    assert form.id == "vi-du"
    assert [i.id for i in form.indicators] == ["so_ho", "ho_van_hoa", "ban_co_nvh", "ban_nvh_dat_chuan", "so_co_quan"]
    assert form.indicator("ban_nvh_dat_chuan").parent == "ban_co_nvh"
    assert [r.id for r in form.rules] == ["ban_nho"]
    assert form.rules[0].cell == "so_ho"
    assert [t.percent for t in form.target_set("huyen-2025").targets] == [Decimal("85"), Decimal("50")]


def edit(text: str, old: str, new: str, after: str = "") -> str:
    """Replace the first ``old`` that follows ``after`` (which must exist)."""
    start = text.index(after) if after else 0
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def marked_line(text: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if MARK in line]
    assert len(lines) == 1, "exactly one line of a case carries the mark"
    return lines[0]


HO_VAN_HOA = 'id = "ho_van_hoa"'
SO_HO = 'id = "so_ho"'
BAN_NHO = 'id = "ban_nho"'
FIRST_TARGET = 'indicator = "ban_co_nvh"'
SECOND_TARGET = 'indicator = "ban_nvh_dat_chuan"'

# (case id, [(old, new, after)], the field the loader must name)
BROKEN = [
    ("toml-syntax", [('label = "Hộ gia đình văn hóa"', 'label = "Hộ gia đình văn hóa' + MARK, HO_VAN_HOA)], ""),
    (
        "unknown-key",
        [("label = ", f'lable = "Hộ gia đình văn hóa"{MARK}\nlabel = ', HO_VAN_HOA)],
        "indicators[2].lable",
    ),
    ("bad-kind", [('kind = "count"', f'kind = "cout"{MARK}', HO_VAN_HOA)], "indicators[2].kind"),
    ("bad-grain", [('grain = "village"', f'grain = "ban"{MARK}', HO_VAN_HOA)], "indicators[2].grain"),
    ("unknown-section", [('section = "1"', f'section = "9"{MARK}', HO_VAN_HOA)], "indicators[2].section"),
    ("duplicate-indicator-id", [('id = "ban_co_nvh"', f'id = "ho_van_hoa"{MARK}', "")], "indicators[3].id"),
    ("id-of-a-builtin-figure", [('id = "ban_co_nvh"', f'id = "so_ban"{MARK}', "")], "indicators[3].id"),
    ("bad-indicator-id", [('id = "so_co_quan"', f'id = "Số cơ quan"{MARK}', "")], "indicators[5].id"),
    (
        "parent-does-not-exist",
        [('denominator = "so_ho"', f'denominator = "so_ho"\nparent = "khong_co"{MARK}', HO_VAN_HOA)],
        "indicators[2].parent",
    ),
    (
        "own-parent",
        [('denominator = "so_ho"', f'denominator = "so_ho"\nparent = "ho_van_hoa"{MARK}', HO_VAN_HOA)],
        "indicators[2].parent",
    ),
    (
        "denominator-does-not-exist",
        [('denominator = "so_ho"', f'denominator = "khong_co"{MARK}', HO_VAN_HOA)],
        "indicators[2].denominator",
    ),
    (
        "parent-cycle",
        [
            ('grain = "village"', f'grain = "village"\nparent = "ho_van_hoa"{MARK}', SO_HO),
            ('denominator = "so_ho"', 'denominator = "so_ho"\nparent = "so_ho"', HO_VAN_HOA),
        ],
        "indicators[1].parent",
    ),
    (
        "parent-of-another-grain",
        [('grain = "commune"', f'grain = "commune"\nparent = "so_ho"{MARK}', 'id = "so_co_quan"')],
        "indicators[5].parent",
    ),
    (
        "parent-on-a-text-row",
        [
            ('kind = "count"', 'kind = "text"', 'id = "so_co_quan"'),
            ('grain = "commune"', f'grain = "commune"\nparent = "so_ho"{MARK}', 'id = "so_co_quan"'),
        ],
        "indicators[5].parent",
    ),
    ("rule-syntax-error", [('left = "so_ho"', f'left = "so_ho *"{MARK}', BAN_NHO)], "rules[1].left"),
    ("rule-unknown-indicator", [('left = "so_ho"', f'left = "so_hoo"{MARK}', BAN_NHO)], "rules[1].left"),
    (
        "village-rule-with-commune-indicator",
        [('right = "10"', f'right = "so_co_quan"{MARK}', BAN_NHO)],
        "rules[1].right",
    ),
    ("village-rule-with-builtin-figure", [('right = "10"', f'right = "so_ban"{MARK}', BAN_NHO)], "rules[1].right"),
    (
        "rule-on-a-text-indicator",
        [
            ('kind = "count"', 'kind = "text"', 'id = "so_co_quan"'),
            ('grain = "village"', 'grain = "commune"', BAN_NHO),
            ('left = "so_ho"', f'left = "so_co_quan"{MARK}', BAN_NHO),
        ],
        "rules[1].left",
    ),
    ("bad-severity", [('severity = "warning"', f'severity = "loi"{MARK}', BAN_NHO)], "rules[1].severity"),
    ("bad-op", [('op = ">="', f'op = "=>"{MARK}', BAN_NHO)], "rules[1].op"),
    ("bad-rule-grain", [('grain = "village"', f'grain = "ban"{MARK}', BAN_NHO)], "rules[1].grain"),
    (
        "when-without-comparison",
        [('grain = "village"', f'grain = "village"\nwhen = "so_ho"{MARK}', BAN_NHO)],
        "rules[1].when",
    ),
    (
        "when-with-unknown-indicator",
        [('grain = "village"', f'grain = "village"\nwhen = "so_hoo > 0"{MARK}', BAN_NHO)],
        "rules[1].when.left",
    ),
    (
        "duplicate-rule-id",
        [
            (
                "[[target_sets]]",
                f'[[rules]]\nid = "ban_nho"{MARK}\nleft = "so_ho"\nop = ">="\nright = "1"\n'
                'severity = "error"\nmessage = "Lặp."\n\n[[target_sets]]',
                "",
            )
        ],
        "rules[2].id",
    ),
    (
        "unknown-rule-key",
        [('severity = "warning"', f'severity = "warning"\nmessenger = "x"{MARK}', BAN_NHO)],
        "rules[1].messenger",
    ),
    (
        "target-with-percent-and-count",
        [
            ("[[target_sets.targets]]\n" + FIRST_TARGET, f"[[target_sets.targets]]{MARK}\n" + FIRST_TARGET, ""),
            ("percent = 85", "percent = 85\ncount = 3", FIRST_TARGET),
        ],
        "target_sets[1].targets[1]",
    ),
    (
        "target-percent-over-100",
        [("percent = 85", f"percent = 120{MARK}", FIRST_TARGET)],
        "target_sets[1].targets[1].percent",
    ),
    (
        "target-percent-negative",
        [("percent = 85", f"percent = -5{MARK}", FIRST_TARGET)],
        "target_sets[1].targets[1].percent",
    ),
    (
        "percent-target-without-denominator",
        [(FIRST_TARGET, 'indicator = "so_ho"', ""), ("percent = 85", f"percent = 85{MARK}", 'indicator = "so_ho"')],
        "target_sets[1].targets[1].percent",
    ),
    (
        "target-on-unknown-indicator",
        [(FIRST_TARGET, f'indicator = "khong_co"{MARK}', "")],
        "target_sets[1].targets[1].indicator",
    ),
    ("target-bad-op", [('op = ">="', f'op = "!="{MARK}', FIRST_TARGET)], "target_sets[1].targets[1].op"),
    ("target-negative-count", [("percent = 85", f"count = -1{MARK}", FIRST_TARGET)], "target_sets[1].targets[1].count"),
    (
        "duplicate-target-version",
        [(SECOND_TARGET, FIRST_TARGET, ""), ("version = 1", f"version = 1{MARK}", "percent = 50")],
        "target_sets[1].targets[2].version",
    ),
    ("max-not-a-number", [('kind = "count"', f'kind = "count"\nmax = "nhiều"{MARK}', SO_HO)], "indicators[1].max"),
    ("max-beyond-kind", [('kind = "count"', f'kind = "count"\nmax = 10000000000{MARK}', SO_HO)], "indicators[1].max"),
    ("wrong-format-version", [("format = 1", f"format = 2{MARK}", "")], "format"),
    ("bad-form-id", [('id = "vi-du"', f'id = "Vi du"{MARK}', "")], "id"),
    ("unknown-top-key", [('title = "BIỂU THỬ"', f'title = "BIỂU THỬ"\ntitel = "BIỂU THỬ"{MARK}', "")], "titel"),
    ("bad-print-mode", [('title = "BIỂU THỬ"', f'title = "BIỂU THỬ"\nprint_mode = "phu-luc"{MARK}', "")], "print_mode"),
]

# Tables appended at the end of the valid text: [[filled_by]] and [[readings]].
APPENDED = [
    ("filled-by-unknown-tier", f'[[filled_by]]\ntier = "phuong"{MARK}\n', "filled_by[1].tier"),
    ("filled-by-date-as-text", f'[[filled_by]]\ntier = "xa"\nfrom = "01/07/2025"{MARK}\n', "filled_by[1].from"),
    (
        "filled-by-ends-before-it-starts",
        f'[[filled_by]]\ntier = "xa"\nfrom = 2025-07-01\nuntil = 2025-06-30{MARK}\n',
        "filled_by[1].until",
    ),
    ("reading-without-choice", f'[[readings]]{MARK}\nsubject = "Mục tiêu 02"\nsource = "Seed"\n', "readings[1]"),
]


@pytest.mark.parametrize(("tail", "field"), [c[1:] for c in APPENDED], ids=[c[0] for c in APPENDED])
def test_a_broken_table_at_the_end_is_refused_with_its_line_and_field(valid_text, tail, field):
    text = valid_text.rstrip("\n") + "\n\n" + tail
    with pytest.raises(FormError) as caught:
        parse_form(text, "broken.toml")
    assert (caught.value.line, caught.value.field) == (marked_line(text), field)


def test_the_tiers_that_fill_a_form_follow_the_period():
    text = VALID.rstrip("\n") + (
        '\n\n[[filled_by]]\ntier = "huyen"\nuntil = 2025-06-30\n'
        '\n[[filled_by]]\ntier = "tinh"\nfrom = 2025-07-01\n'
        '\n[[filled_by]]\ntier = "xa"\nfrom = 2025-07-01\n'
        '\n[[readings]]\nsubject = "Mục tiêu 02"\nsource = "Kế hoạch 67"\nchosen = "Đài FM và loa"\n'
    )
    form = parse_form(text, "ok.toml")
    year = (dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    assert form.tiers_for(*year) == ("huyen",)
    assert form.tiers_for(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == ("tinh", "xa")
    assert form.tiers_for(dt.date(2025, 1, 1), dt.date(2025, 6, 30)) == ("huyen",)
    assert [(r.subject, r.chosen, r.other) for r in form.readings] == [("Mục tiêu 02", "Đài FM và loa", "")]
    assert parse_form(VALID, "ok.toml").tiers_for(*year) == ("xa",)


@pytest.mark.parametrize(("edits", "field"), [c[1:] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_a_broken_definition_is_refused_with_file_line_and_field(valid_text, edits, field):
    text = valid_text
    for old, new, after in edits:
        text = edit(text, old, new, after)
    line = marked_line(text)
    with pytest.raises(FormError) as caught:
        parse_form(text, "broken.toml")
    error = caught.value
    assert (error.file, error.line, error.field) == ("broken.toml", line, field)
    assert str(error).startswith(f"broken.toml, dòng {line}")
    if field:
        assert str(error).startswith(f"broken.toml, dòng {line}, trường {field}: ")
    assert error.problem


def test_a_toml_syntax_error_says_so(valid_text):
    text = edit(valid_text, 'kind = "count"', 'kind = "count', HO_VAN_HOA)
    with pytest.raises(FormError) as caught:
        parse_form(text, "broken.toml")
    assert "sai cú pháp TOML" in str(caught.value)
    assert caught.value.line == text.splitlines().index('kind = "count') + 1


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os')",
        "so_ho.real",
        "f(so_ho)",
        "so_ho ** 2",
        "so_ho % 3",
        "so_ho // 2",
        "+so_ho",
        "[so_ho]",
        "so_ho if so_ho else 1",
        "so_ho and 1",
        "so_ho < 10",
        "lambda: 1",
        "'so_ho'",
        "True",
        "1j",
        "so_ho[0]",
        "(so_ho := 1)",
    ],
)
def test_a_forbidden_construct_in_a_rule_is_refused(valid_text, expression):
    toml_string = expression.replace("\\", "\\\\").replace('"', '\\"')
    text = edit(valid_text, 'left = "so_ho"', f'left = "{toml_string}"{MARK}', BAN_NHO)
    line = marked_line(text)
    with pytest.raises(FormError) as caught:
        parse_form(text, "broken.toml")
    error = caught.value
    assert (error.line, error.field) == (line, "rules[1].left")
    assert str(error).startswith(f"broken.toml, dòng {line}, trường rules[1].left: ")


@pytest.mark.parametrize("expression", ["so_ho * 100", "(so_ho + 1) / 2", "-so_ho + 3.5", "so_ho - 10"])
def test_allowed_arithmetic_in_a_rule_loads(valid_text, expression):
    form = parse_form(edit(valid_text, 'left = "so_ho"', f'left = "{expression}"', BAN_NHO), "ok.toml")
    assert form.rules[0].left.names == ("so_ho",)
    assert form.rules[0].left.evaluate({"so_ho": 20}) == eval(expression, {}, {"so_ho": 20})  # noqa: S307


def test_a_missing_grandparent_is_refused_not_crashed(valid_text):
    """A row's parent whose own parent does not exist, the child written first.

    The loop check walks up the parents; it must run only once every link is
    known to exist, or it meets the unknown grandparent and raises KeyError.
    """
    text = edit(valid_text, 'denominator = "so_ho"', 'denominator = "so_ho"\nparent = "ban_co_nvh"', HO_VAN_HOA)
    text = edit(
        text, 'denominator = "so_ban"', f'denominator = "so_ban"\nparent = "khong_co"{MARK}', 'id = "ban_co_nvh"'
    )
    line = marked_line(text)
    with pytest.raises(FormError) as caught:
        parse_form(text, "broken.toml")
    assert (caught.value.line, caught.value.field) == (line, "indicators[3].parent")


def test_the_same_form_version_twice_in_a_folder_is_refused(tmp_path: Path, valid_text):
    (tmp_path / "a.toml").write_text(valid_text, encoding="utf-8")
    (tmp_path / "b.toml").write_text(valid_text.replace("BIỂU THỬ", "BIỂU THỬ (bản sao)"), encoding="utf-8")
    with pytest.raises(FormError) as caught:
        FormLibrary.from_directory(tmp_path)
    error = caught.value
    assert error.file == "b.toml"
    assert error.field == "version"
    assert "vi-du" in str(error) and "a.toml" in str(error)
    assert str(error).startswith("b.toml, trường version: ")


def test_two_versions_of_one_form_sit_side_by_side(tmp_path: Path, valid_text):
    (tmp_path / "a.toml").write_text(valid_text, encoding="utf-8")
    (tmp_path / "b.toml").write_text(valid_text.replace("version = 1\ntitle", "version = 2\ntitle"), encoding="utf-8")
    library = FormLibrary.from_directory(tmp_path)
    assert [(f.id, f.version) for f in library.all()] == [("vi-du", 2)]
    assert library.get("vi-du").version == 2
    assert library.get("vi-du", 1).version == 1


def test_a_broken_file_in_a_folder_names_that_file(tmp_path: Path, valid_text):
    (tmp_path / "a.toml").write_text(valid_text, encoding="utf-8")
    (tmp_path / "hong.toml").write_text(
        edit(valid_text, 'kind = "count"', 'kind = "cout"', HO_VAN_HOA), encoding="utf-8"
    )
    with pytest.raises(FormError) as caught:
        FormLibrary.from_directory(tmp_path)
    assert caught.value.file == "hong.toml"
    assert caught.value.field == "indicators[2].kind"


def test_an_indicator_takes_its_own_max_or_its_kinds(valid_text):
    text = edit(valid_text, 'kind = "count"', 'kind = "count"\nmax = 500', SO_HO)
    form = parse_form(text, "max.toml")
    assert form.indicator("so_ho").largest == 500
    assert form.indicator("ho_van_hoa").largest == 999_999_999  # a count without one: 9 digits
