"""The report as JSON: what ``show --json`` prints and ``load`` reads back.

The structure is documented in docs/cli.md and is stable: fields may be
added, none renamed or removed without raising ``format_version``.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from exports.strict_json import StrictJsonError, loads_strict
from forms.engine import Evaluation, Finding
from forms.messages import finding_text, target_text
from forms.plausibility import PLAUSIBILITY_RULES
from models.errors import BadInput, os_error_words
from models.gateway import Gateway
from models.reporting import ReportView

FORMAT = "so-chi-tieu.report"
FORMAT_VERSION = 1


def report_to_dict(gw: Gateway, view: ReportView) -> dict:
    form, unit, evaluation = view.form, view.unit, view.evaluation
    period = gw.period(view.report.period_code)
    parent = gw.unit(unit.parent_code) if unit.parent_code else None
    village_names = {v.code: v.name for v in view.villages}
    target_set = evaluation.target_set
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "unit": {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "parent": {"code": parent.code, "name": parent.name} if parent else None,
        },
        "form": {"id": form.id, "version": form.version, "title": form.title},
        "period": {
            "code": period.code,
            "label": period.label,
            "starts": period.starts.isoformat(),
            "ends": period.ends.isoformat(),
        },
        "target_set": (
            {"id": target_set.id, "name": target_set.name, "version": target_set.version} if target_set else None
        ),
        "villages": [
            {"code": v.code, "local_code": v.local_code, "name": v.name, "kind": v.kind, "active": v.active}
            for v in view.villages
        ],
        "values": {
            "commune": dict(sorted(view.data.commune_values.items())),
            "villages": {code: dict(sorted(values.items())) for code, values in view.data.village_values.items()},
        },
        "rows": [_row(form, evaluation, ind) for ind in form.indicators],
        "findings": [_finding(form, f, village_names, view.reason_for(f)) for f in evaluation.findings],
        "targets": [_target(form, t) for t in evaluation.targets],
        "summary": summary(view),
        "history": history_used(view),
    }


def history_used(view: ReportView) -> dict:
    """The earlier values the plausibility warnings used ({"periods": [{code, label, why}], "values":
    [[indicator, unit code, period code, value]]}): they depend on the commune's own history, which the
    upper level does not hold, so a packet carries them (docs/packet-format.md)."""
    if view.history is None:
        return {"periods": [], "values": []}
    return view.history.used(view.evaluation.warnings)


def summary(view: ReportView) -> dict:
    """The counts a manifest declares. "warnings" are those of the form's rules only, which the upper
    level finds again from the packet alone (exports/collect/admission.recheck); the plausibility
    warnings, which need the commune's history, are counted apart."""
    evaluation = view.evaluation
    plausibility = sum(1 for f in evaluation.warnings if f.rule in PLAUSIBILITY_RULES)
    return {
        "errors": len(evaluation.errors),
        "warnings": len(evaluation.warnings) - plausibility,
        "plausibility": plausibility,
        "villages": len(view.villages),
        "villages_missing": len(view.data.villages) - view.villages_complete(),
        "cells_missing": len(view.empty_cells),  # the status bar's “… ô chưa nhập”
    }


def _row(form, evaluation: Evaluation, ind) -> dict:
    figure = evaluation.figures[ind.id]
    return {
        "indicator": ind.id,
        "code": ind.code,
        "section": ind.section,
        "label": ind.label,
        "unit": ind.unit,
        "kind": ind.kind,
        "grain": ind.grain,
        "total": figure.total,
        "achieved": figure.value,
        "percent": round(figure.percent, 2) if figure.percent is not None else None,
        "typed": figure.typed,
        "applicable": figure.applicable,
    }


def _finding(form, finding: Finding, village_names: dict, reason: str | None) -> dict:
    return {
        "severity": finding.severity,
        "rule": finding.rule,
        "code": finding.code,
        "indicator": finding.cell.indicator,
        "village": finding.cell.village,
        "village_name": village_names.get(finding.cell.village),
        "message": finding_text(form, finding),
        "reason": reason,
        "params": finding.params,
    }


def _target(form, result) -> dict:
    return {
        "indicator": result.indicator,
        "op": result.op,
        "percent": float(result.percent) if result.percent is not None else None,
        "count": result.count,
        "version": result.version,
        "source": result.source,
        "status": result.status,
        "achieved": round(result.achieved, 2) if isinstance(result.achieved, float) else result.achieved,
        "gap": result.gap,
        "text": target_text(form, result),
    }


# ---- reading it back ---------------------------------------------------------


MAX_LOAD_BYTES = 16 * 1024 * 1024  # the largest report's show --json is well under 1 MB


def read_values_file(path: str | Path) -> dict:
    """The parsed file, or BadInput saying in Vietnamese what is wrong with it.

    Read strictly (exports/strict_json.py) and within a size: a file ``load`` was not meant for
    (a number of 5,000 digits, 100,000 nested brackets, a gigabyte) is refused with the reason."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_LOAD_BYTES + 1)
    except FileNotFoundError:
        raise BadInput(f"Không tìm thấy tệp “{path}”.") from None
    except OSError as exc:
        raise BadInput(f"Không đọc được tệp “{path}” ({os_error_words(exc)}).") from None
    if len(raw) > MAX_LOAD_BYTES:
        raise BadInput(
            f"Tệp “{path.name}” lớn quá {MAX_LOAD_BYTES // (1024 * 1024)} MB, không phải tệp số liệu để nạp."
        )
    raw = raw.removeprefix(b"\xef\xbb\xbf")  # the mark Notepad puts before UTF-8
    try:
        data = loads_strict(raw)
    except StrictJsonError as exc:
        raise BadInput(f"Tệp “{path.name}” không nạp được: {exc}{_where(raw)}.") from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        raise BadInput(f"Tệp “{path.name}” thiếu mục “values” (xem cấu trúc trong docs/cli.md).")
    return data


def _where(raw: bytes) -> str:
    """“ (dòng 3, cột 7)” for a slip in the JSON's syntax, to find it in an editor; else nothing."""
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        return f" (dòng {exc.lineno}, cột {exc.colno})"
    except (ValueError, RecursionError):
        pass
    return ""


def _stated(data: dict, key: str, what: str) -> str | None:
    """The code the file says it is for (``"unit": "03408"`` or ``"unit": {"code": "03408", ...}``),
    fullwidth read as ASCII; None when it does not say."""
    block = data.get(key)
    if isinstance(block, dict):
        block = block.get("code", block.get("id"))
    if block is None:
        return None
    if not isinstance(block, str | int) or isinstance(block, bool):
        raise BadInput(f"Mục “{key}” của tệp phải là mã {what} hoặc một bảng có “code”; không nạp.")
    return unicodedata.normalize("NFKC", str(block)).strip()


def edits_from_dict(
    data: dict, unit_code: str, form_id: str, period_code: str, village_codes: dict[str, str]
) -> list[tuple[str, str, object]]:
    """(indicator, unit code, raw value) for every value in the file.

    ``village_codes`` maps both full and local village codes to full codes.
    """
    for key, expected, what in (
        ("unit", unit_code, "đơn vị"),
        ("form", form_id, "biểu"),
        ("period", period_code, "kỳ báo cáo"),
    ):
        found = _stated(data, key, what)
        if found is not None and (found.upper() if key == "period" else found) != expected:
            raise BadInput(f"Tệp là của {what} “{found[:40]}”, không phải “{expected}”; không nạp.")
    values = data["values"]
    commune = values.get("commune", {})
    villages = values.get("villages", {})
    if not isinstance(commune, dict) or not isinstance(villages, dict):
        raise BadInput("Mục “values” phải có “commune” và “villages” dạng bảng (xem docs/cli.md).")
    edits = [(indicator, unit_code, raw) for indicator, raw in commune.items()]
    for code, row in villages.items():
        if code not in village_codes:
            raise BadInput(f"Bản mã “{code}” không có trong danh sách bản của đơn vị {unit_code}.")
        if not isinstance(row, dict):
            raise BadInput(f"Số liệu của bản “{code}” phải là một bảng chỉ tiêu: giá trị.")
        edits += [(indicator, village_codes[code], raw) for indicator, raw in row.items()]
    return edits


def load_report(gw: Gateway, unit_code: str, form_id: str, period_code: str, data: dict, who: str):
    """Enter every value of a file shaped like ``show --json`` into the report, made if new; all or
    nothing. Villages may be named by full or local code. (changes, the report's view after)."""
    from models.reporting import enter_values, report_form, require_form, start_report, view_report

    unit = gw.require_unit(unit_code)
    form = require_form(form_id, gw)
    period = gw.period(period_code)
    report = gw.find_report(unit.code, form.id, period.code)
    if report is not None:  # an existing report takes values as the version it was begun with
        form = report_form(gw, report) or form
    villages = gw.villages_of(unit.code, active_only=False)
    codes = {v.code: v.code for v in villages} | {v.local_code: v.code for v in villages if v.local_code}
    edits = edits_from_dict(data, unit.code, form.id, period.code, codes)
    with gw.transaction():  # a new report and its values arrive together or not at all
        report = report or start_report(gw, unit.code, form, period.code)
        changes = enter_values(gw, report, form, edits, who=who)
    return changes, view_report(gw, report, form)
