"""Read a form definition (TOML) and refuse anything broken.

Every refusal names the file, the line and the field, in Vietnamese, so the
person who edits a definition can find the mistake without a traceback.

Why it is long: one typed reader per table of the format (sections, indicators, rules, target sets,
readings, the tiers that fill it, the plausibility thresholds), each refusing its own mistakes with their line.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
import unicodedata
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from forms import vnformat
from forms.expressions import ExpressionError, compile_expression
from forms.locate import field_lines, line_of, show_path
from forms.schema import (
    BUILTIN_FIGURES,
    GRAINS,
    KINDS,
    LARGEST_BY_KIND,
    NUMERIC_KINDS,
    PLAUSIBLE_KINDS,
    PRINT_MODES,
    RULE_OPS,
    SEVERITIES,
    TARGET_OPS,
    TIERS,
    FillingTier,
    FormDef,
    Indicator,
    Plausibility,
    PlausibleRange,
    Ratio,
    Reading,
    Rule,
    Section,
    Target,
    TargetSet,
)

FORMAT_VERSION = 1
PERIOD_KINDS = ("nam", "6thang", "quy", "giaidoan")
_ID = re.compile(r"^[a-z_][a-z0-9_]*$")
_FORM_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_UNIT_CODE = re.compile(r"^[0-9]{2,12}$")  # the publisher of a form: the official code of a unit
_COLUMNS = ("Stt", "Chỉ tiêu", "ĐVT", "Tổng số", "Số đạt", "Tỷ lệ (%)")
_OP_SYNONYMS = {"≥": ">=", "≤": "<=", "==": "=", "≠": "!="}
_COMPARISON = re.compile(r"(<=|>=|!=|==|=|<|>|≥|≤|≠)")

_TOP_KEYS = {
    "format",
    "id",
    "version",
    "title",
    "subtitle",
    "source",
    "report_tier",
    "period_kinds",
    "columns",
    "sections",
    "indicators",
    "rules",
    "target_sets",
    "print_mode",
    "readings",
    "filled_by",
    "publisher",
    "double_entry",
    "plausibility",
    "ranges",
    "ratios",
}
_SECTION_KEYS = {"code", "title", "level"}
_INDICATOR_KEYS = {
    "id",
    "code",
    "section",
    "label",
    "unit",
    "kind",
    "grain",
    "parent",
    "denominator",
    "applies_to",
    "required",
    "max",
    "carry_forward",
    *("change_percent", "change_min", "history_margin", "plausible"),
}
_PLAUSIBILITY_KEYS = {"change_percent", "change_min", "history_margin", "history_years"}
_RANGE_KEYS = {"indicator", "unit", "low", "high"}
_RATIO_KEYS = {"id", "numerator", "denominator", "change_points", "low", "high"}
_RULE_KEYS = {"id", "grain", "when", "left", "op", "right", "cell", "severity", "message"}
_SET_KEYS = {"id", "name", "source", "tier", "period", "targets"}
_TARGET_KEYS = {"indicator", "op", "percent", "count", "version", "source"}
_READING_KEYS = {"subject", "source", "chosen", "other"}
_FILLED_BY_KEYS = {"tier", "from", "until"}


class FormError(Exception):
    """A definition file that cannot be used; str() is the Vietnamese message.

    ``path`` is the field's place in the definition (("indicators", 3, "kind")); ``missing`` the key
    that is absent when the problem is an absent key, so that a workbook can name its column.
    """

    def __init__(
        self, file: str, line: int | None, field: str, problem: str, path: tuple = (), missing: str | None = None
    ):
        self.file, self.line, self.field, self.problem = file, line, field, problem
        self.path, self.missing = path, missing
        where = f"{file}, dòng {line}" if line else file
        super().__init__(f"{where}, trường {field}: {problem}" if field else f"{where}: {problem}")


def load_form(path: str | Path) -> FormDef:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FormError(path.name, None, "", "không đọc được tệp: không phải văn bản UTF-8") from None
    except PermissionError:
        raise FormError(path.name, None, "", "không đọc được tệp: không có quyền đọc") from None
    except OSError:
        raise FormError(path.name, None, "", "không đọc được tệp: tệp không còn hoặc ổ đĩa lỗi") from None
    return parse_form(text, path.name, str(path))


def parse_form(text: str, file_name: str, full_path: str = "") -> FormDef:
    text = unicodedata.normalize("NFC", text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise FormError(file_name, line, "", f"sai cú pháp TOML ({exc})") from None
    return _Reader(file_name, field_lines(text), full_path).form(data)


class FormErrors(Exception):
    """Every mistake of a definition read in one pass (``errors``, in the order found)."""

    def __init__(self, errors: list[FormError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class _Skipped(Exception):
    """A field naming a row already refused: its mistake was said once, at that row."""


def form_from_data(data: dict, file_name: str) -> FormDef:
    """The form of a definition already parsed into TOML's shape: a workbook read into a dict, or a form
    kept as data (forms.definition_data.form_data, stored or received), through every check a file passes.

    Unlike parse_form it reads on past a mistake, a row at a time, and raises FormErrors with every
    one; a row that names a refused row is not refused again for it. Text comes back NFC, and the days
    of ``filled_by`` written as text (2025-07-01, as JSON keeps them) come back dates.
    """
    if not isinstance(data, dict):
        raise FormErrors([FormError(file_name, None, "", "không phải một biểu mẫu")])
    data = {key: _dates_back(key, _nfc(value)) for key, value in data.items()}
    return _Reader(file_name, {}, "", collect=True).form(data)


def _nfc(value):
    """Every text NFC, as a definition file's is: a form typed or received in NFD reads the same."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


def _dates_back(key: str, value):
    """The spans of ``filled_by`` carry their days as text in JSON (2025-07-01): dates again."""
    if key != "filled_by" or not isinstance(value, list):
        return value
    spans = []
    for span in value:
        if isinstance(span, dict):
            span = dict(span)
            for end in ("from", "until"):
                if isinstance(span.get(end), str):
                    try:
                        span[end] = dt.date.fromisoformat(span[end])
                    except ValueError:
                        pass  # left as text: the reader refuses it with its field named
        spans.append(span)
    return spans


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _Reader:
    def __init__(self, file_name: str, lines: dict, full_path: str, collect: bool = False):
        self.file_name = file_name
        self.lines = lines
        self.full_path = full_path
        self.found: list[FormError] | None = [] if collect else None
        self.refused: set = set()  # ids of the rows refused, in collect mode

    def fail(self, path: tuple, problem: str, missing: str | None = None) -> FormError:
        return FormError(self.file_name, line_of(self.lines, path), show_path(path), problem, path, missing)

    @contextmanager
    def row(self, name=None):
        """One row of a table. Reading a file, its first mistake stops everything; collecting,
        the mistake is noted, the row left out (its ``name`` remembered) and the next one read."""
        try:
            yield
        except _Skipped:
            self.refused.add(name)
        except FormError as exc:
            if self.found is None:
                raise
            self.found.append(exc)
            self.refused.add(name)

    def value(self, read, default):
        """``read()``, or ``default`` once its mistake is noted (collect mode only)."""
        with self.row():
            return read()
        return default

    def skip_refused(self, table: str, name) -> None:
        """Collecting, a mention of a row of ``table`` refused already is not a new mistake: skip it."""
        if self.found is not None and (table, name) in self.refused:
            raise _Skipped

    # ---- small typed getters -------------------------------------------

    def check_keys(self, table: dict, allowed: set, path: tuple) -> None:
        for key in table:
            if key not in allowed:
                raise self.fail((*path, key), f"trường “{key}” không có trong định dạng biểu mẫu")

    def text(self, table: dict, key: str, path: tuple, default: str | None = None) -> str:
        value = table.get(key, default)
        if value is None:
            raise self.fail(path, f"thiếu trường “{key}”", key)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self.fail((*path, key), "phải là một chuỗi chữ không trống")
        return value.strip()

    def integer(self, table: dict, key: str, path: tuple, default: int | None = None) -> int:
        value = table.get(key, default)
        if value is None:
            raise self.fail(path, f"thiếu trường “{key}”", key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail((*path, key), "phải là số nguyên dương")
        return value

    def largest(self, table: dict, kind: str, path: tuple) -> int | None:
        """An indicator's own ``max``: a positive whole number no larger than its kind allows."""
        if "max" not in table:
            return None
        value = self.integer(table, "max", path)
        if kind not in LARGEST_BY_KIND or kind == "yesno":
            raise self.fail((*path, "max"), f"chỉ tiêu loại “{kind}” không có mức tối đa")
        if value > LARGEST_BY_KIND[kind]:
            raise self.fail((*path, "max"), f"mức tối đa của loại “{kind}” là {vnformat.number(LARGEST_BY_KIND[kind])}")
        return value

    def flag(self, table: dict, key: str, path: tuple) -> bool:
        """A TOML true or false; false when the key is absent."""
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise self.fail((*path, key), "phải là true hoặc false")
        return value

    def choice(self, table: dict, key: str, allowed: tuple, path: tuple, default: str | None = None) -> str:
        value = self.text(table, key, path, default)
        if value not in allowed:
            raise self.fail((*path, key), f"“{value}” không hợp lệ; chọn một trong: {', '.join(allowed)}")
        return value

    def day(self, table: dict, key: str, path: tuple) -> dt.date | None:
        """A TOML date (``2025-07-01``), or None when the key is absent."""
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail((*path, key), "phải là một ngày, viết như 2025-07-01 (không đặt trong ngoặc kép)")
        return value

    def strings(self, table: dict, key: str, path: tuple) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail((*path, key), "phải là một danh sách chuỗi chữ")
        return tuple(v.strip() for v in value)

    def tables(self, table: dict, key: str) -> list:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail((key,), f"“{key}” phải viết dưới dạng [[{key}]]")
        return value

    # ---- the form --------------------------------------------------------

    def form(self, data: dict) -> FormDef:
        self.value(lambda: self.check_keys(data, _TOP_KEYS, ()), None)
        fmt = data.get("format")
        if fmt != FORMAT_VERSION:  # nothing else can be read: said alone, collecting or not
            error = self.fail(
                ("format",), f"định dạng biểu mẫu “{fmt}” chưa được hỗ trợ (cần format = {FORMAT_VERSION})"
            )
            raise error if self.found is None else FormErrors([error])
        form_id = self.value(lambda: self.form_id(data), "")
        period_kinds = self.value(lambda: self.period_kinds(data), PERIOD_KINDS)
        sections = self.sections(data)
        indicators = self.indicators(data, {s.code for s in sections})
        by_id = {i.id: i for i in indicators}
        form = FormDef(
            id=form_id,
            version=self.value(lambda: self.integer(data, "version", ()), 1),
            title=self.value(lambda: self.text(data, "title", ()), ""),
            subtitle=self.value(lambda: self.text(data, "subtitle", (), ""), ""),
            source=self.value(lambda: self.text(data, "source", (), ""), ""),
            report_tier=self.value(lambda: self.choice(data, "report_tier", TIERS, (), "xa"), "xa"),
            period_kinds=tuple(period_kinds),
            columns=self.value(lambda: self.strings(data, "columns", ()), ()) or _COLUMNS,
            sections=sections,
            indicators=indicators,
            rules=self.rules(data, by_id),
            target_sets=self.target_sets(data, by_id),
            path=self.full_path,
            print_mode=self.value(lambda: self.choice(data, "print_mode", PRINT_MODES, (), "report"), "report"),
            readings=self.readings(data),
            filled_by=self.filled_by(data),
            publisher=self.value(lambda: self.publisher(data), ""),
            double_entry=self.value(lambda: self.flag(data, "double_entry", ()), False),
            plausibility=self.value(lambda: self.plausibility(data), Plausibility()),
            ranges=self.ranges(data, by_id),
            ratios=self.ratios(data, by_id),
        )
        if self.found:
            raise FormErrors(self.found)
        return form

    def form_id(self, data: dict) -> str:
        form_id = self.text(data, "id", ())
        if not _FORM_ID.match(form_id):
            raise self.fail(("id",), "mã biểu chỉ gồm chữ thường không dấu, số, “-” và “_”")
        return form_id

    def period_kinds(self, data: dict) -> tuple[str, ...]:
        period_kinds = self.strings(data, "period_kinds", ()) or PERIOD_KINDS
        for kind in period_kinds:
            if kind not in PERIOD_KINDS:
                raise self.fail(
                    ("period_kinds",), f"loại kỳ “{kind}” không hợp lệ; chọn trong: {', '.join(PERIOD_KINDS)}"
                )
        return tuple(period_kinds)

    def publisher(self, data: dict) -> str:
        publisher = self.text(data, "publisher", (), "")
        if publisher and not _UNIT_CODE.match(publisher):
            raise self.fail(("publisher",), "đơn vị ban hành phải là mã đơn vị (chữ số), ví dụ 12")
        return publisher

    def readings(self, data: dict) -> tuple[Reading, ...]:
        readings = []
        for n, table in enumerate(self.tables(data, "readings")):
            path = ("readings", n)
            with self.row():
                self.check_keys(table, _READING_KEYS, path)
                readings.append(
                    Reading(
                        subject=self.text(table, "subject", path),
                        source=self.text(table, "source", path),
                        chosen=self.text(table, "chosen", path),
                        other=self.text(table, "other", path, ""),
                    )
                )
        return tuple(readings)

    def filled_by(self, data: dict) -> tuple[FillingTier, ...]:
        spans = []
        for n, table in enumerate(self.tables(data, "filled_by")):
            path = ("filled_by", n)
            with self.row():
                self.check_keys(table, _FILLED_BY_KEYS, path)
                span = FillingTier(
                    tier=self.choice(table, "tier", TIERS, path),
                    starts=self.day(table, "from", path),
                    ends=self.day(table, "until", path),
                )
                if span.starts and span.ends and span.starts > span.ends:
                    raise self.fail((*path, "until"), "ngày kết thúc trước ngày bắt đầu")
                spans.append(span)
        return tuple(spans)

    def sections(self, data: dict) -> tuple[Section, ...]:
        sections: list[Section] = []
        for n, table in enumerate(self.tables(data, "sections")):
            path = ("sections", n)
            with self.row(("sections", table.get("code"))):
                self.check_keys(table, _SECTION_KEYS, path)
                code = self.text(table, "code", path)
                if any(s.code == code for s in sections):
                    raise self.fail((*path, "code"), f"mục “{code}” đã có ở trên")
                level = self.integer(table, "level", path, 1)
                if level > 2:
                    raise self.fail((*path, "level"), "cấp của mục là 1 hoặc 2")
                sections.append(Section(code=code, title=self.text(table, "title", path), level=level))
        return tuple(sections)

    def indicators(self, data: dict, section_codes: set) -> tuple[Indicator, ...]:
        tables = self.tables(data, "indicators")
        if not tables:
            raise self.fail((), "biểu mẫu chưa có chỉ tiêu nào ([[indicators]])")
        found: dict[str, Indicator] = {}
        paths: dict[str, tuple] = {}
        for n, table in enumerate(tables):
            path = ("indicators", n)
            name = table.get("id")
            with self.row(("indicators", None if name in found else name)):
                found_one = self.indicator(table, path, found, section_codes)
                found[found_one.id] = found_one
                paths[found_one.id] = path
        linked = {}
        for ind in found.values():
            with self.row(("indicators", ind.id)):
                self.check_links(ind, found, paths[ind.id])
                linked[ind.id] = ind
        for ind in linked.values():  # every link exists now; look for loops
            with self.row():
                self.check_no_cycle(ind, linked, paths[ind.id])
        return tuple(ind for ind in found.values() if ind.id in linked)

    def indicator(self, table: dict, path: tuple, found: dict, section_codes: set) -> Indicator:
        self.check_keys(table, _INDICATOR_KEYS, path)
        ind_id = self.text(table, "id", path)
        if not _ID.match(ind_id):
            raise self.fail((*path, "id"), "mã chỉ tiêu chỉ gồm chữ thường không dấu, số và “_”, không bắt đầu bằng số")
        if ind_id in found or ind_id in BUILTIN_FIGURES:
            raise self.fail((*path, "id"), f"mã chỉ tiêu “{ind_id}” bị trùng")
        section = self.text(table, "section", path)
        if section not in section_codes:
            self.skip_refused("sections", section)
            raise self.fail((*path, "section"), f"mục “{section}” chưa được khai báo trong [[sections]]")
        required = table.get("required", True)
        if not isinstance(required, bool):
            raise self.fail((*path, "required"), "phải là true hoặc false")
        carry_forward = table.get("carry_forward", False)
        if not isinstance(carry_forward, bool):
            raise self.fail((*path, "carry_forward"), "phải là true hoặc false")
        code = table.get("code")
        if code is not None and (not isinstance(code, str) or not code.strip()):
            raise self.fail((*path, "code"), 'số thứ tự in trên biểu phải là chuỗi chữ, ví dụ "2.3"')
        kind = self.choice(table, "kind", KINDS, path)
        largest = self.largest(table, kind, path)
        plausible = table.get("plausible", True)
        if not isinstance(plausible, bool):
            raise self.fail((*path, "plausible"), "phải là true hoặc false")
        for key in ("change_percent", "change_min", "history_margin", "plausible"):
            if key in table and kind not in PLAUSIBLE_KINDS:
                raise self.fail((*path, key), f"chỉ tiêu loại “{kind}” không được kiểm tra biến động")
        return Indicator(
            id=ind_id,
            code=code.strip() if code else None,
            section=section,
            label=self.text(table, "label", path),
            unit=self.text(table, "unit", path, "" if kind in ("text", "date") else None),
            kind=kind,
            grain=self.choice(table, "grain", GRAINS, path),
            parent=table.get("parent"),
            denominator=table.get("denominator"),
            applies_to=self.strings(table, "applies_to", path),
            required=required,
            max=largest,
            carry_forward=carry_forward,
            change_percent=self.threshold(table, "change_percent", path),
            change_min=self.threshold(table, "change_min", path),
            history_margin=self.threshold(table, "history_margin", path),
            plausible=plausible,
        )

    def check_links(self, ind: Indicator, found: dict, path: tuple) -> None:
        for key in ("parent", "denominator"):
            other = getattr(ind, key)
            if other is None:
                continue
            if not isinstance(other, str):
                raise self.fail((*path, key), "phải là mã của một chỉ tiêu")
            if not ind.is_numeric:
                raise self.fail((*path, key), f"chỉ tiêu loại “{ind.kind}” không có {key}")
            if other == ind.id:
                raise self.fail((*path, key), "một chỉ tiêu không thể là phần của chính nó")
            if key == "denominator" and other in BUILTIN_FIGURES:
                continue
            if other not in found and self.found is not None and ("indicators", other) in self.refused:
                continue  # that row's mistake was said at that row
            if other not in found:
                raise self.fail((*path, key), f"chỉ tiêu “{other}” không có trong biểu")
            if not found[other].is_numeric:
                raise self.fail((*path, key), f"“{other}” không phải chỉ tiêu số")
            if key == "parent" and found[other].grain != ind.grain:
                raise self.fail((*path, key), f"“{other}” phải cùng cấp nhập liệu (grain) với “{ind.id}”")

    def check_no_cycle(self, ind: Indicator, found: dict, path: tuple) -> None:
        seen = {ind.id}
        step = ind.parent
        while step is not None:
            if step in seen:
                raise self.fail((*path, "parent"), "quan hệ “trong đó” tạo thành vòng lặp")
            seen.add(step)
            step = found[step].parent if step in found else None

    # ---- rules -------------------------------------------------------------

    def expression(self, table: dict, key: str, path: tuple, by_id: dict, grain: str):
        source = table.get(key)
        if isinstance(source, (int, float)) and not isinstance(source, bool):
            source = str(source)
        if not isinstance(source, str):
            raise self.fail(path if source is None else (*path, key), f"thiếu biểu thức “{key}”")
        try:
            expr = compile_expression(source)
        except ExpressionError as exc:
            raise self.fail((*path, key), str(exc)) from None
        for name in expr.names:
            self.check_name(name, (*path, key), by_id, grain)
        return expr

    def check_name(self, name: str, path: tuple, by_id: dict, grain: str) -> None:
        if name in BUILTIN_FIGURES:
            if grain == "village":
                raise self.fail(path, f"“{name}” chỉ dùng được trong quy tắc cấp xã")
            return
        if name not in by_id:
            self.skip_refused("indicators", name)
            raise self.fail(path, f"chỉ tiêu “{name}” không có trong biểu")
        if not by_id[name].is_numeric:
            raise self.fail(path, f"chỉ tiêu “{name}” không phải chỉ tiêu số")
        if grain == "village" and by_id[name].grain != "village":
            raise self.fail(path, f"quy tắc cấp bản không dùng được chỉ tiêu cấp xã “{name}”")

    def rules(self, data: dict, by_id: dict) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        for n, table in enumerate(self.tables(data, "rules")):
            path = ("rules", n)
            with self.row():
                self.check_keys(table, _RULE_KEYS, path)
                rule_id = self.text(table, "id", path)
                if not _ID.match(rule_id) or any(r.id == rule_id for r in rules):
                    raise self.fail((*path, "id"), f"mã quy tắc “{rule_id}” không hợp lệ hoặc bị trùng")
                grain = self.choice(table, "grain", GRAINS, path, "commune")
                left = self.expression(table, "left", path, by_id, grain)
                right = self.expression(table, "right", path, by_id, grain)
                op = _OP_SYNONYMS.get(table.get("op"), table.get("op"))
                if op not in RULE_OPS:
                    raise self.fail(
                        (*path, "op"),
                        f"phép so sánh “{table.get('op')}” không hợp lệ; chọn trong: {' '.join(RULE_OPS)}",
                    )
                cell = table.get("cell") or next((x for x in left.names + right.names if x in by_id), None)
                if cell not in by_id:
                    self.skip_refused("indicators", cell)
                    raise self.fail((*path, "cell"), "cần “cell”: chỉ tiêu mà lỗi được gắn vào")
                self.check_name(cell, (*path, "cell"), by_id, grain)
                rules.append(
                    Rule(
                        id=rule_id,
                        grain=grain,
                        left=left,
                        op=op,
                        right=right,
                        severity=self.choice(table, "severity", SEVERITIES, path),
                        message=self.text(table, "message", path),
                        cell=cell,
                        when=self.condition(table, path, by_id, grain),
                    )
                )
        return tuple(rules)

    def condition(self, table: dict, path: tuple, by_id: dict, grain: str):
        source = table.get("when")
        if source is None:
            return None
        parts = _COMPARISON.split(source, maxsplit=1) if isinstance(source, str) else []
        if len(parts) != 3:
            raise self.fail((*path, "when"), "điều kiện phải có dạng “biểu thức <phép so sánh> biểu thức”")
        sides = {"left": parts[0], "right": parts[2]}
        left = self.expression(sides, "left", (*path, "when"), by_id, grain)
        right = self.expression(sides, "right", (*path, "when"), by_id, grain)
        op = _OP_SYNONYMS.get(parts[1], parts[1])
        return (left, op, right)

    # ---- target sets -------------------------------------------------------

    def target_sets(self, data: dict, by_id: dict) -> tuple[TargetSet, ...]:
        sets: list[TargetSet] = []
        for n, table in enumerate(self.tables(data, "target_sets")):
            path = ("target_sets", n)
            with self.row():
                sets.append(self.target_set(table, path, sets, by_id))
        return tuple(sets)

    def target_set(self, table: dict, path: tuple, sets: list, by_id: dict) -> TargetSet:
        self.check_keys(table, _SET_KEYS, path)
        set_id = self.text(table, "id", path)
        if not _FORM_ID.match(set_id) or any(s.id == set_id for s in sets):
            raise self.fail((*path, "id"), f"mã bộ mục tiêu “{set_id}” không hợp lệ hoặc bị trùng")
        tables = table.get("targets", [])
        if not isinstance(tables, list) or not tables:
            raise self.fail(path, "bộ mục tiêu chưa có mục tiêu nào ([[target_sets.targets]])")
        name = self.text(table, "name", path)
        source = self.text(table, "source", path, "")
        tier = self.choice(table, "tier", TIERS, path, "xa")
        period = self.text(table, "period", path, "")
        targets: list[Target] = []
        seen = set()
        for k, target_table in enumerate(tables):
            with self.row():
                target = self.target(target_table, (*path, "targets", k), by_id)
                if (target.indicator, target.version) in seen:
                    raise self.fail(
                        (*path, "targets", k, "version"),
                        f"mục tiêu của “{target.indicator}” trùng phiên bản {target.version}",
                    )
                seen.add((target.indicator, target.version))
                targets.append(target)
        return TargetSet(id=set_id, name=name, source=source, tier=tier, period=period, targets=tuple(targets))

    def target(self, table, path: tuple, by_id: dict) -> Target:
        if not isinstance(table, dict):
            raise self.fail(path, "mục tiêu phải viết dưới dạng [[target_sets.targets]]")
        self.check_keys(table, _TARGET_KEYS, path)
        indicator = self.text(table, "indicator", path)
        if indicator not in by_id:
            self.skip_refused("indicators", indicator)
        if indicator not in by_id or by_id[indicator].kind not in NUMERIC_KINDS:
            raise self.fail(
                (*path, "indicator"), f"chỉ tiêu “{indicator}” không có trong biểu hoặc không phải chỉ tiêu số"
            )
        op = _OP_SYNONYMS.get(table.get("op"), table.get("op"))
        if op not in TARGET_OPS:
            raise self.fail(
                (*path, "op"), f"phép so sánh “{table.get('op')}” không hợp lệ; chọn trong: {' '.join(TARGET_OPS)}"
            )
        percent, count = table.get("percent"), table.get("count")
        if (percent is None) == (count is None):
            raise self.fail(path, "mỗi mục tiêu cần đúng một trong hai: percent (tỷ lệ %) hoặc count (số lượng)")
        if percent is not None:
            if isinstance(percent, bool) or not isinstance(percent, (int, float)) or not 0 <= percent <= 100:
                raise self.fail((*path, "percent"), "tỷ lệ phải là số từ 0 đến 100")
            if by_id[indicator].denominator is None:
                raise self.fail(
                    (*path, "percent"),
                    f"chỉ tiêu “{indicator}” không có mẫu số (denominator) nên không tính được tỷ lệ",
                )
            percent = Decimal(str(percent))
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
            raise self.fail((*path, "count"), "số lượng phải là số nguyên không âm")
        return Target(
            indicator=indicator,
            op=op,
            percent=percent,
            count=count,
            version=self.integer(table, "version", path, 1),
            source=self.text(table, "source", path, ""),
        )

    # ---- plausibility (forms/plausibility.py) --------------------------------

    def threshold(self, table: dict, key: str, path: tuple, most: float | None = None) -> int | float | None:
        """A threshold: a number not below 0 (and not above ``most``), or None when absent."""
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail((*path, key), "phải là một số")
        if value < 0:
            raise self.fail((*path, key), "không được là số âm")
        if most is not None and value > most:
            raise self.fail((*path, key), f"không được lớn hơn {vnformat.number(most)}")
        return value

    def plausibility(self, data: dict) -> Plausibility:
        table = data.get("plausibility", {})
        if not isinstance(table, dict):
            raise self.fail(("plausibility",), "“plausibility” phải viết dưới dạng bảng [plausibility]")
        path = ("plausibility",)
        self.check_keys(table, _PLAUSIBILITY_KEYS, path)
        years = self.integer(table, "history_years", path, 5)
        if years > 20:
            raise self.fail((*path, "history_years"), "đọc tối đa 20 kỳ trước")
        return Plausibility(
            change_percent=self.threshold(table, "change_percent", path),
            change_min=self.threshold(table, "change_min", path),
            history_margin=self.threshold(table, "history_margin", path),
            history_years=years,
        )

    def checked_indicator(self, table: dict, key: str, path: tuple, by_id: dict) -> str:
        """An indicator a range or ratio names: of the form, a count or an amount."""
        name = self.text(table, key, path)
        if name not in by_id:
            self.skip_refused("indicators", name)
            raise self.fail((*path, key), f"chỉ tiêu “{name}” không có trong biểu")
        if by_id[name].kind not in PLAUSIBLE_KINDS:
            raise self.fail((*path, key), f"chỉ tiêu “{name}” không phải số đếm hoặc số tiền")
        return name

    def low_high(self, table: dict, path: tuple) -> tuple:
        low, high = self.threshold(table, "low", path), self.threshold(table, "high", path)
        if low is not None and high is not None and low > high:
            raise self.fail((*path, "low"), "mức thấp (low) lớn hơn mức cao (high)")
        return low, high

    def ranges(self, data: dict, by_id: dict) -> tuple[PlausibleRange, ...]:
        found: list[PlausibleRange] = []
        for n, table in enumerate(self.value(lambda: self.tables(data, "ranges"), [])):
            path = ("ranges", n)
            with self.row():
                self.check_keys(table, _RANGE_KEYS, path)
                indicator = self.checked_indicator(table, "indicator", path, by_id)
                if not by_id[indicator].plausible:
                    raise self.fail((*path, "indicator"), f"chỉ tiêu “{indicator}” đã tắt kiểm tra (plausible = false)")
                unit = self.text(table, "unit", path, "")
                if unit and not _UNIT_CODE.match(unit):
                    raise self.fail((*path, "unit"), "đơn vị phải là mã bản hoặc mã xã (chữ số)")
                low, high = self.low_high(table, path)
                if low is None and high is None:
                    raise self.fail(path, "khoảng cần ít nhất một trong hai: low (mức thấp) hoặc high (mức cao)")
                if any(r.indicator == indicator and r.unit == unit for r in found):
                    raise self.fail(path, f"khoảng của “{indicator}” cho {unit or 'mọi đơn vị'} đã có ở trên")
                found.append(PlausibleRange(indicator, low, high, unit))
        return tuple(found)

    def ratios(self, data: dict, by_id: dict) -> tuple[Ratio, ...]:
        found: list[Ratio] = []
        for n, table in enumerate(self.value(lambda: self.tables(data, "ratios"), [])):
            path = ("ratios", n)
            with self.row():
                self.check_keys(table, _RATIO_KEYS, path)
                ratio_id = self.text(table, "id", path)
                if not _ID.match(ratio_id) or any(r.id == ratio_id for r in found):
                    raise self.fail((*path, "id"), f"mã tỷ lệ “{ratio_id}” không hợp lệ hoặc bị trùng")
                numerator = self.checked_indicator(table, "numerator", path, by_id)
                denominator = self.checked_indicator(table, "denominator", path, by_id)
                shared = next((r.id for r in found if r.numerator == numerator), None)
                if shared is not None:  # its warning sits on the numerator's cell, one reason per cell
                    raise self.fail((*path, "numerator"), f"“{numerator}” đã là tử số của tỷ lệ “{shared}”")
                if numerator == denominator:
                    raise self.fail((*path, "denominator"), "tử số và mẫu số phải là hai chỉ tiêu khác nhau")
                points = self.threshold(table, "change_points", path)
                low, high = self.low_high(table, path)
                if points is None and low is None and high is None:
                    raise self.fail(path, "tỷ lệ cần change_points (điểm phần trăm) hoặc low, high (khoảng %)")
                found.append(Ratio(ratio_id, numerator, denominator, points, low, high))
        return tuple(found)
