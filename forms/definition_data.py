"""A form definition as plain data: the same tables and keys as its TOML file
(docs/forms.md), with dates written 2025-07-01 so the data is JSON too.

This is how a form is kept in a database, compared with another version, and
sent down signed: ``form_data`` writes it, ``forms.loader.form_from_data``
reads it back through every check a TOML file passes, so a stored or received
form can never hold what a file could not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from forms.schema import FormDef, Indicator, Rule, Target, TargetSet


def form_data(form: FormDef) -> dict:
    """Every field of ``form`` a definition file can say, as the TOML parser would give it."""
    data: dict = {
        "format": 1,
        "id": form.id,
        "version": form.version,
        "title": form.title,
        "subtitle": form.subtitle,
        "source": form.source,
        "report_tier": form.report_tier,
        "period_kinds": list(form.period_kinds),
        "columns": list(form.columns),
        "print_mode": form.print_mode,
        "sections": [{"code": s.code, "title": s.title, "level": s.level} for s in form.sections],
        "indicators": [_indicator(i) for i in form.indicators],
        "rules": [_rule(r) for r in form.rules],
        # A set a database keeps (its owner named) belongs to that database, not to the form's definition.
        "target_sets": [_target_set(s) for s in form.target_sets if not s.owner],
        "readings": [_dropped_empty(vars(r)) for r in form.readings],
        "filled_by": [_dropped_empty({"tier": f.tier, "from": f.starts, "until": f.ends}) for f in form.filled_by],
    }
    if form.publisher:
        data["publisher"] = form.publisher
    if form.double_entry:  # said only when true: a form without it keeps the fingerprint it always had
        data["double_entry"] = True
    # Only when set: a form without thresholds keeps the data (and fingerprint) it always had.
    plausibility = _dropped_empty(
        vars(form.plausibility) | {"history_years": _unless(form.plausibility.history_years, 5)}
    )
    if plausibility:
        data["plausibility"] = plausibility
    if form.ranges:
        data["ranges"] = [_dropped_empty(vars(r)) for r in form.ranges]
    if form.ratios:
        data["ratios"] = [_dropped_empty(vars(r)) for r in form.ratios]
    return {key: _dates_as_text(value) for key, value in data.items()}


def data_json(data: dict) -> str:
    """The data as canonical JSON text: the same form always gives the same bytes (and fingerprint)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def data_sha256(data: dict) -> str:
    return hashlib.sha256(data_json(data).encode("utf-8")).hexdigest()


def _indicator(ind: Indicator) -> dict:
    return _dropped_empty(
        {
            "id": ind.id,
            "code": ind.code,
            "section": ind.section,
            "label": ind.label,
            "unit": ind.unit,
            "kind": ind.kind,
            "grain": ind.grain,
            "parent": ind.parent,
            "denominator": ind.denominator,
            "applies_to": list(ind.applies_to),
            "required": None if ind.required else False,
            "max": ind.max,
            "carry_forward": True if ind.carry_forward else None,
            "change_percent": ind.change_percent,
            "change_min": ind.change_min,
            "history_margin": ind.history_margin,
            "plausible": _unless(ind.plausible, True),
        }
    )


def _unless(value, default):
    """None (left out) when ``value`` is the loader's default."""
    return None if value == default else value


def _rule(rule: Rule) -> dict:
    when = None
    if rule.when is not None:
        left, op, right = rule.when
        when = f"{left.source} {op} {right.source}"
    return _dropped_empty(
        {
            "id": rule.id,
            "grain": rule.grain,
            "when": when,
            "left": rule.left.source,
            "op": rule.op,
            "right": rule.right.source,
            "cell": rule.cell,
            "severity": rule.severity,
            "message": rule.message,
        }
    )


def _target_set(target_set: TargetSet) -> dict:
    return {
        "id": target_set.id,
        "name": target_set.name,
        "source": target_set.source,
        "tier": target_set.tier,
        "period": target_set.period,
        "targets": [_target(t) for t in target_set.targets],
    }


def _target(target: Target) -> dict:
    return _dropped_empty(
        {
            "indicator": target.indicator,
            "op": target.op,
            "percent": _number(target.percent),
            "count": target.count,
            "version": target.version,
            "source": target.source,
        }
    )


def _number(value: Decimal | None) -> int | float | None:
    """A percentage as TOML writes it: 100 or 92.5."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _dropped_empty(table: dict) -> dict:
    """Without the keys a file leaves out (None, "", []): the loader's defaults say the same."""
    return {key: value for key, value in table.items() if value not in (None, "", [])}


def _dates_as_text(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    return value
