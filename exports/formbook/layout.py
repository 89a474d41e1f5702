"""The form workbook's layout: its sheets, their Vietnamese column headers and the words of closed choices.

One row per section, indicator, rule, target set, target, reading and filling span, in the spirit of
ODK's XLSForm; the form's settings as two columns (Khóa, Giá trị) on “Biểu”. Each column has the key
of the TOML format it stands for (docs/forms.md), so a workbook is read into the same dict as a TOML
file and checked by the same loader. The writer (write.py) and the reader (read.py) both follow this
module; docs/form-workbook.md describes it for a province's staff.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms.schema import GRAINS, KINDS, PRINT_MODES, RULE_OPS, SEVERITIES, TARGET_OPS, TIERS

GUIDE = "Hướng dẫn"
SETTINGS = "Biểu"
SECTIONS = "Mục"
INDICATORS = "Chỉ tiêu"
RULES = "Kiểm tra"
TARGET_SETS = "Bộ mục tiêu"
TARGETS = "Mục tiêu"
READINGS = "Cách hiểu"
FILLED_BY = "Cấp lập theo ngày"
RANGES = "Khoảng hợp lý"
RATIOS = "Tỷ lệ liên quan"

MAX_ROWS = 2000  # of one sheet, its header included
MAX_COLUMNS = 30
MAX_FILE_BYTES = 8 * 1024 * 1024  # kl224 as a workbook is 20 KB

# A closed choice: the code of the TOML format -> the Vietnamese word the workbook shows.
KIND_WORDS = {"count": "số đếm", "yesno": "có/không", "amount": "số tiền", "text": "chữ", "date": "ngày"}
GRAIN_WORDS = {"village": "từng bản", "commune": "cả xã"}
SEVERITY_WORDS = {"error": "lỗi", "warning": "cảnh báo"}
TIER_WORDS = {"tinh": "tỉnh", "huyen": "huyện", "xa": "xã", "thon": "thôn"}
PRINT_WORDS = {"report": "báo cáo", "annex": "phụ lục"}
PERIOD_WORDS = {"nam": "năm", "6thang": "6 tháng", "quy": "quý", "giaidoan": "giai đoạn"}
YES_WORDS = {"có", "x", "true", "1", "đúng"}
NO_WORDS = {"không", "false", "0", "sai"}
OP_SYNONYMS = {"≥": ">=", "≤": "<=", "==": "=", "≠": "!=", "=>": ">=", "=<": "<="}

assert set(KIND_WORDS) == set(KINDS) and set(GRAIN_WORDS) == set(GRAINS)
assert set(SEVERITY_WORDS) == set(SEVERITIES) and set(TIER_WORDS) == set(TIERS)
assert set(PRINT_WORDS) == set(PRINT_MODES)


@dataclass(frozen=True)
class Column:
    key: str  # the TOML key it stands for
    header: str  # the Vietnamese header printed in row 1
    width: float
    words: dict | None = None  # a closed choice: code -> word (either is read)
    choices: tuple[str, ...] = ()  # a closed choice of symbols (the comparison operators)
    kind: str = "text"  # text, int, number, bool, date, list (several values, “;” between)
    note: str = ""  # what to write, for the guide sheet
    needed: bool = False  # a sheet without this column is refused; another may be left out


@dataclass(frozen=True)
class Sheet:
    name: str
    table: str  # the TOML array it fills ("indicators"); "" for the settings
    columns: tuple[Column, ...]
    purpose: str
    optional: bool = False  # a workbook written before this sheet existed may leave it out

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _list(word: str) -> str:
    return f"{word}; nhiều giá trị cách nhau bằng dấu “;”"


# The settings of the form: one row per key on "Biểu" (Khóa, Giá trị, Giải thích).
SETTING_ROWS = (
    Column("id", "Mã biểu", 0, note="chữ thường không dấu, số, “-”, “_”; ví dụ kl224"),
    Column("version", "Phiên bản", 0, kind="int", note="số nguyên từ 1; tăng lên khi đổi các dòng của biểu"),
    Column("title", "Tiêu đề", 0, note="tiêu đề in trên biểu, chữ in hoa"),
    Column("subtitle", "Phụ đề", 0, note="in dưới tiêu đề; có thể để trống"),
    Column("source", "Nguồn", 0, note="văn bản mà biểu lấy từ đó; có thể để trống"),
    Column("report_tier", "Cấp lập", 0, words=TIER_WORDS, note="xã, huyện hoặc tỉnh"),
    Column("period_kinds", "Loại kỳ", 0, words=PERIOD_WORDS, kind="list", note=_list("năm, 6 tháng, quý, giai đoạn")),
    Column("print_mode", "Kiểu in", 0, words=PRINT_WORDS, note="báo cáo (có quốc hiệu, chữ ký) hoặc phụ lục"),
    Column("columns", "Cột in", 0, kind="list", note=_list("tên sáu cột của bảng in")),
    Column("double_entry", "Nhập hai lần", 0, kind="bool", note="có: mỗi báo cáo phải nhập hai lần rồi đối chiếu"),
    # The [plausibility] table: a key with a dot is a key of that table.
    Column(
        "plausibility.change_percent",
        "Biến động %",
        0,
        kind="number",
        note="cảnh báo khi số liệu đổi quá bao nhiêu % so với kỳ trước; trống: không kiểm tra",
    ),
    Column(
        "plausibility.change_min",
        "Biến động tối thiểu",
        0,
        kind="number",
        note="và chênh ít nhất bấy nhiêu (số nhỏ 1 → 2 không cảnh báo)",
    ),
    Column(
        "plausibility.history_margin",
        "Biên lịch sử %",
        0,
        kind="number",
        note="cảnh báo ngoài khoảng thấp nhất–cao nhất các kỳ trước, nới thêm bấy nhiêu %; trống: không kiểm tra",
    ),
    Column("plausibility.history_years", "Số kỳ lịch sử", 0, kind="int", note="số kỳ trước được đọc; trống: 5"),
)
SETTING_HEADERS = ("Khóa", "Giá trị", "Giải thích")

SHEETS = (
    Sheet(SETTINGS, "", (), "các thông tin chung của biểu, mỗi dòng một khóa"),
    Sheet(
        SECTIONS,
        "sections",
        (
            Column("code", "Mã mục", 10, note="in ở cột Stt, ví dụ 1", needed=True),
            Column("title", "Tên mục", 50, needed=True),
            Column("level", "Cấp", 8, kind="int", note="1 (đề mục in đậm) hoặc 2 (mục con); để trống là 1"),
        ),
        "các mục (đề mục) của biểu, theo thứ tự in",
    ),
    Sheet(
        INDICATORS,
        "indicators",
        (
            Column("id", "Mã chỉ tiêu", 24, note="chữ thường không dấu, số và “_”; không trùng", needed=True),
            Column("code", "Số thứ tự", 10, note="in ở cột Stt (2.3); để trống: số liệu gốc, không in thành dòng"),
            Column("section", "Mục", 8, note="mã mục ở trang Mục", needed=True),
            Column("label", "Tên chỉ tiêu", 50, needed=True),
            Column("unit", "Đơn vị tính", 12, note="người, hộ, bản, xã, đồng…"),
            Column("kind", "Loại", 12, words=KIND_WORDS, note="số đếm, có/không, số tiền, chữ, ngày", needed=True),
            Column("grain", "Nhập theo", 12, words=GRAIN_WORDS, note="từng bản (cộng lên xã) hoặc cả xã", needed=True),
            Column("parent", "Thuộc chỉ tiêu", 24, note="“trong đó” của chỉ tiêu nào (mã chỉ tiêu)"),
            Column("denominator", "Mẫu số", 24, note="tỷ lệ tính trên chỉ tiêu nào; so_ban, don_vi có sẵn"),
            Column("applies_to", "Áp dụng cho", 14, kind="list", note=_list("loại đơn vị; trống: mọi đơn vị")),
            Column("required", "Bắt buộc", 10, words={True: "có", False: "không"}, kind="bool", note="có hoặc không"),
            Column("max", "Tối đa", 16, kind="int", note="số lớn nhất được nhập; trống: mặc định của loại"),
            Column(
                "carry_forward",
                "Lấy kỳ trước",
                12,
                words={True: "có", False: "không"},
                kind="bool",
                note="có: kỳ mới được lấy số của kỳ trước (chờ xác nhận); trống: không",
            ),
            Column(
                "change_percent", "Biến động %", 12, kind="number", note="riêng chỉ tiêu này; trống: theo trang Biểu"
            ),
            Column(
                "change_min",
                "Biến động tối thiểu",
                12,
                kind="number",
                note="riêng chỉ tiêu này; trống: theo trang Biểu",
            ),
            Column(
                "history_margin", "Biên lịch sử %", 12, kind="number", note="riêng chỉ tiêu này; trống: theo trang Biểu"
            ),
            Column(
                "plausible",
                "Kiểm tra hợp lý",
                12,
                words={True: "có", False: "không"},
                kind="bool",
                note="không: tắt mọi cảnh báo hợp lý của chỉ tiêu; trống: có",
            ),
        ),
        "mỗi dòng một chỉ tiêu (một dòng in, hoặc một số liệu gốc làm mẫu số)",
    ),
    Sheet(
        RULES,
        "rules",
        (
            Column("id", "Mã kiểm tra", 24, needed=True),
            Column("grain", "Kiểm tra theo", 12, words=GRAIN_WORDS, note="từng bản hoặc cả xã; trống: cả xã"),
            Column("when", "Điều kiện", 28, note="chỉ kiểm tra khi điều kiện đúng; có thể để trống"),
            Column("left", "Vế trái", 28, note="mã chỉ tiêu, số, + - * / và ngoặc", needed=True),
            Column("op", "So sánh", 9, choices=RULE_OPS, needed=True),
            Column("right", "Vế phải", 28, needed=True),
            Column("cell", "Ô báo", 24, note="chỉ tiêu mang lỗi; trống: chỉ tiêu đầu tiên của vế trái"),
            Column("severity", "Mức", 10, words=SEVERITY_WORDS, note="lỗi (chặn ký) hoặc cảnh báo", needed=True),
            Column("message", "Thông báo", 50, needed=True),
        ),
        "các phép kiểm tra riêng của biểu: vế trái so sánh với vế phải",
    ),
    Sheet(
        TARGET_SETS,
        "target_sets",
        (
            Column("id", "Mã bộ", 22, note="chữ thường không dấu, số, “-”, “_”", needed=True),
            Column("name", "Tên bộ mục tiêu", 40, needed=True),
            Column("source", "Văn bản", 40, note="số và ngày của văn bản đặt mục tiêu"),
            Column("tier", "Cấp đặt", 10, words=TIER_WORDS, note="cấp đã đặt bộ mục tiêu; trống: xã"),
            Column("period", "Giai đoạn", 12, note="ví dụ 2021-2025"),
        ),
        "mỗi dòng một bộ mục tiêu; các mục tiêu của nó ở trang Mục tiêu",
    ),
    Sheet(
        TARGETS,
        "targets",
        (
            Column("set", "Mã bộ", 22, note="mã ở trang Bộ mục tiêu", needed=True),
            Column("indicator", "Chỉ tiêu", 24, note="mã chỉ tiêu (chỉ tiêu số)", needed=True),
            Column("op", "So sánh", 9, choices=TARGET_OPS, needed=True),
            Column("percent", "Tỷ lệ (%)", 10, kind="number", note="từ 0 đến 100; hoặc điền Số lượng"),
            Column("count", "Số lượng", 10, kind="int", note="số nguyên; hoặc điền Tỷ lệ"),
            Column("version", "Phiên bản", 10, kind="int", note="trống: 1; bản số lớn nhất có hiệu lực"),
            Column("source", "Nguồn", 40, note="nơi lấy con số trong văn bản"),
        ),
        "mỗi dòng một mục tiêu của một bộ",
    ),
    Sheet(
        READINGS,
        "readings",
        (
            Column("subject", "Nội dung", 40, needed=True),
            Column("source", "Văn bản, vị trí", 40, needed=True),
            Column("chosen", "Cách hiểu theo", 50, needed=True),
            Column("other", "Cách hiểu không theo", 50),
        ),
        "chỗ văn bản gốc nói hai cách, và cách biểu theo",
    ),
    Sheet(
        FILLED_BY,
        "filled_by",
        (
            Column("tier", "Cấp lập", 10, words=TIER_WORDS, needed=True),
            Column("from", "Từ ngày", 14, kind="date", note="dd/mm/yyyy; trống: từ trước"),
            Column("until", "Đến ngày", 14, kind="date", note="dd/mm/yyyy; trống: đến nay"),
        ),
        "ai lập biểu theo thời gian (sau 1/7/2025 không còn cấp huyện); trống: Cấp lập ở trang Biểu",
    ),
    Sheet(
        RANGES,
        "ranges",
        (
            Column("indicator", "Chỉ tiêu", 24, note="mã chỉ tiêu (số đếm hoặc số tiền)", needed=True),
            Column("unit", "Đơn vị", 14, note="mã bản hoặc mã xã; trống: mọi đơn vị"),
            Column("low", "Mức thấp", 12, kind="number", note="cảnh báo khi nhỏ hơn; có thể để trống"),
            Column("high", "Mức cao", 12, kind="number", note="cảnh báo khi lớn hơn; có thể để trống"),
        ),
        "khoảng hợp lý cấp trên đặt cho một chỉ tiêu, cho một bản, một xã hoặc mọi đơn vị: ngoài khoảng là cảnh báo",
        optional=True,
    ),
    Sheet(
        RATIOS,
        "ratios",
        (
            Column("id", "Mã tỷ lệ", 22, needed=True),
            Column(
                "numerator", "Chỉ tiêu tử số", 24, note="mã chỉ tiêu; mỗi chỉ tiêu là tử số của một tỷ lệ", needed=True
            ),
            Column("denominator", "Chỉ tiêu mẫu số", 24, note="mã chỉ tiêu", needed=True),
            Column(
                "change_points",
                "Biến động (điểm %)",
                12,
                kind="number",
                note="cảnh báo khi tỷ lệ đổi quá bấy nhiêu điểm phần trăm so với kỳ trước",
            ),
            Column("low", "Thấp nhất (%)", 12, kind="number", note="có thể để trống"),
            Column("high", "Cao nhất (%)", 12, kind="number", note="có thể để trống"),
        ),
        "tỷ lệ giữa hai chỉ tiêu liên quan (tử số / mẫu số): cảnh báo khi đổi nhiều hoặc ra ngoài khoảng",
        optional=True,
    ),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS}
