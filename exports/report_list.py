"""The reports this machine holds, each with its checks and where it stands
with the upper level: the ``reports`` command's list."""

from __future__ import annotations

from exports.packets.answers import report_answer
from exports.report_json import summary
from forms.library import FormLibrary
from models.gateway import Gateway
from models.reporting import view_report


def report_listing(gw: Gateway, library: FormLibrary, unit_code: str | None = None) -> list[dict]:
    """{unit_code, unit_name, form_id, form_version, period, errors, warnings, villages_missing,
    upper_level: {state, sequence, text}} for each report (of one unit when given)."""
    if unit_code:
        gw.require_unit(unit_code)
    listed = []
    for report in gw.reports(unit_code):
        form = library.get(report.form_id, report.form_version, report.form_publisher)
        unit = gw.require_unit(report.unit_code)
        answer = report_answer(gw, report)
        entry = {
            "unit_code": unit.code,
            "unit_name": unit.name,
            "form_id": report.form_id,
            "form_version": report.form_version,
            "period": report.period_code,
            "upper_level": {"state": answer.state, "sequence": answer.sequence, "text": answer.text},
        }
        if form is None:
            entry.update(errors=None, warnings=None, note="biểu chưa có trong chương trình này")
        else:
            counts = summary(view_report(gw, report, form))
            entry.update({k: counts[k] for k in ("errors", "warnings", "villages_missing")})
            entry["warnings"] += counts["plausibility"]  # the officer's list: every warning to explain
        listed.append(entry)
    return listed
