"""A received packet's figures, each checked as if it had been typed:
cells from a commune's packet, summed totals with their denominators from
a district's or province's merged packet. Anything else makes the packet
invalid (PacketInvalid), so no figure reaches the inbox unchecked.
"""

from __future__ import annotations

from exports.packets.container import PacketInvalid
from exports.packets.format import DATA_JSON, MERGED_KIND
from forms import vnformat
from forms.schema import LARGEST_BY_KIND, FormDef
from forms.values import ValueRejected, coerce
from models.gateway import Gateway
from models.reporting import fills

LARGEST_TOTAL = 10**15 - 1  # a denominator summed over a province's units
Figures = list[tuple[str, str, object, object]]  # (indicator, unit code, value, denominator or None)


def sent_values(gw: Gateway, manifest: dict, data: dict, form: FormDef) -> Figures:
    """(indicator, unit code, value, total) of a packet: typed cells from a commune,
    summed figures from a district or province that merged its own units."""
    unit = gw.require_unit(manifest["unit"]["code"])
    merged = manifest.get("kind") == MERGED_KIND
    period = gw.period(manifest["period"]["code"])  # verify.py checked the code
    own = fills(form, unit, period)  # a district's form is a commune's and the province's own since 1/7/2025
    if merged == own:
        raise PacketInvalid(
            f"{unit.name} phải gửi {'số liệu tự điền' if own else 'bảng tổng hợp'} "
            f"của biểu {form.id}, nhưng gói lại là {'bảng tổng hợp' if merged else 'số liệu tự điền'}."
        )
    if merged:
        return merged_values(data, form, unit.code)
    return [(indicator, code, value, None) for indicator, code, value in packet_values(data, form, unit.code)]


def merged_values(data: dict, form: FormDef, unit_code: str) -> Figures:
    """The totals of a merged packet, each a count with its denominator; PacketInvalid otherwise."""
    try:
        figures = data["figures"]
        if not isinstance(figures, dict):
            raise TypeError
    except (KeyError, TypeError):
        raise PacketInvalid(f"tệp {DATA_JSON} của bảng tổng hợp thiếu mục “figures”.") from None
    checked = []
    for indicator, figure in figures.items():
        if not form.has_indicator(indicator) or not form.indicator(indicator).is_numeric:
            raise PacketInvalid(f"tệp {DATA_JSON} có chỉ tiêu “{indicator[:40]}” không có trong biểu {form.id}.")
        value, total = (figure.get("value"), figure.get("total")) if isinstance(figure, dict) else (None, None)
        # A total over units: a yes/no indicator sums to a count of units, and a form's own
        # max is per unit, so the kind's bound holds.
        largest = LARGEST_BY_KIND["amount" if form.indicator(indicator).kind == "amount" else "count"]
        for number, limit in ((value, largest), (total, LARGEST_TOTAL)):
            if number is not None and (type(number) is not int or not 0 <= number <= limit):
                shown = str(number)[:24]
                raise PacketInvalid(
                    f"tệp {DATA_JSON}, chỉ tiêu {indicator}: số liệu tổng hợp “{shown}” không hợp lệ "
                    f"(phải là số nguyên từ 0 đến {vnformat.number(limit)})."
                )
        if value is not None:
            checked.append((indicator, unit_code, value, total))
    return checked


def packet_values(data: dict, form: FormDef, unit_code: str) -> list[tuple[str, str, object]]:
    """(indicator, unit code, value) of so-lieu.json, each checked as if typed; PacketInvalid otherwise."""
    try:
        values = data["values"]
        commune, villages = values["commune"], values["villages"]
        if not isinstance(commune, dict) or not isinstance(villages, dict):
            raise TypeError
    except (KeyError, TypeError):
        raise PacketInvalid(f"tệp {DATA_JSON} thiếu mục số liệu “values”.") from None
    own, village = _cells_plan(form)
    checked = _checked_cells(commune, own, unit_code, form)
    prefix = f"{unit_code}."
    for code, row in villages.items():
        if not code.startswith(prefix) or not isinstance(row, dict):
            raise PacketInvalid(f"tệp {DATA_JSON} có bản mã “{code[:40]}” không thuộc {unit_code}.")
        checked += _checked_cells(row, village, code, form)
    return checked


# What a commune's cells may hold: (indicator id -> indicator, numeric indicator id -> its largest figure),
# for the commune's own cells and a village's.
_Allowed = tuple[dict, dict[str, int]]


def _cells_plan(form: FormDef) -> tuple[_Allowed, _Allowed]:
    """Worked out once per form (kept on it, as forms/engine.py keeps its plan)."""
    cached = form.__dict__.get("_received_cells")
    if cached is None:
        cached = tuple(
            ({ind.id: ind for ind in inds}, {ind.id: ind.largest for ind in inds if ind.is_numeric})
            for inds in (form.indicators, form.village_indicators)
        )
        object.__setattr__(form, "_received_cells", cached)
    return cached


def _checked_cells(row: dict, allowed: _Allowed, code: str, form: FormDef) -> list[tuple[str, str, object]]:
    indicators, largest = allowed
    checked = []
    for indicator, raw in row.items():
        if type(raw) is int and 0 <= raw <= largest.get(indicator, -1):
            # the usual cell, as the program writes it: no need for the typed-text parser
            checked.append((indicator, code, raw))
            continue
        ind = indicators.get(indicator)
        if ind is None:
            raise PacketInvalid(f"tệp {DATA_JSON} có chỉ tiêu “{indicator[:40]}” không có trong biểu {form.id}.")
        try:
            value = coerce(ind, raw)
        except ValueRejected as exc:
            raise PacketInvalid(f"tệp {DATA_JSON}, ô {indicator} của {code}: {exc}") from None
        if value is not None:
            checked.append((indicator, code, value))
    return checked
