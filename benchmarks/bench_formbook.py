"""Speed of reading a form workbook into a form, against openpyxl's own read_only load of the same file.

    .venv/bin/python benchmarks/bench_formbook.py [--quick]

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES read_ms=… openpyxl_ro_ms=…
read_over_openpyxl_x=… write_ms=… indicators=… rules=… targets=…

A province reads its draft plan back every time it fixes a mistake, so a read should feel instant;
the goal is at most 2× openpyxl's own read_only load of the same workbook, which is the floor of
any reader built on it (issue 19). The workbook is kl224 scaled up to 200 indicators and more
(copies of its rows, rules and targets under new ids, each copy linked within itself), written by
exports/formbook/write.py; in interleaved rounds in the same process (median per call):

- ours: exports/formbook/read.read_form_workbook, the whole read (limits, merged cells, every cell
  read by its column, the loader's checks, a FormDef);
- openpyxl read_only loading the same file and reading every cell of every sheet;
- ours writing the workbook (for the record; not compared).
"""

from __future__ import annotations

import argparse
import copy
import re
import statistics
import sys
import tempfile
import tomllib
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import per_call_ms, print_figures  # noqa: E402

from exports.formbook.read import read_form_workbook  # noqa: E402
from exports.formbook.write import write_form_workbook  # noqa: E402
from forms.loader import form_from_data  # noqa: E402
from forms.schema import BUILTIN_FIGURES, FormDef  # noqa: E402

KL224 = ROOT / "forms" / "definitions" / "kl224-v2.toml"
INDICATORS = 200
ROUNDS, CALLS = 15, 4  # --quick: 3 rounds of 1 call
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def scaled_form(least: int) -> FormDef:
    """kl224 with its rows copied under new ids (…_2, …_3) until it has at least ``least`` indicators."""
    data = tomllib.loads(KL224.read_text(encoding="utf-8"))
    base = copy.deepcopy({key: data[key] for key in ("sections", "indicators", "rules", "target_sets")})
    copies = -(-least // len(base["indicators"]))
    data["sections"], data["indicators"], data["rules"] = [], [], []
    sets = data["target_sets"]
    for s in sets:
        s["targets"] = []
    for n in range(1, copies + 1):
        rename = _renamer(n, {t["id"] for t in base["indicators"]})
        for section in copy.deepcopy(base["sections"]):
            section["code"] = f"{section['code']}.{n}" if n > 1 else section["code"]
            data["sections"].append(section)
        for table in copy.deepcopy(base["indicators"]):
            table["id"] = rename(table["id"])
            table["section"] = f"{table['section']}.{n}" if n > 1 else table["section"]
            for key in ("parent", "denominator"):
                if key in table:
                    table[key] = rename(table[key])
            data["indicators"].append(table)
        for table in copy.deepcopy(base["rules"]):
            table["id"] = f"{table['id']}_{n}"
            for key in ("left", "right", "when", "cell"):
                if isinstance(table.get(key), str):
                    table[key] = _NAME.sub(lambda m, rename=rename: rename(m.group(0)), table[key])
            data["rules"].append(table)
        for s, kept in zip(sets, base["target_sets"], strict=True):
            for target in copy.deepcopy(kept["targets"]):
                target["indicator"] = rename(target["indicator"])
                s["targets"].append(target)
    return form_from_data(data, KL224.name)


def _renamer(n: int, ids: set[str]):
    def rename(name: str) -> str:
        if n == 1 or name in BUILTIN_FIGURES or name not in ids:
            return name
        return f"{name}_{n}"

    return rename


def openpyxl_read_only(path: Path) -> int:
    workbook = load_workbook(path, read_only=True)
    seen = sum(1 for ws in workbook.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None)
    workbook.close()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds of 1 call, to see that it still works")
    quick = parser.parse_args().quick
    rounds, calls = (3, 1) if quick else (ROUNDS, CALLS)
    form = scaled_form(INDICATORS)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kl224-lon.xlsx"
        write_form_workbook(form, path)
        if read_form_workbook(path).indicators != form.indicators:
            raise SystemExit("the workbook must read back as the form it was written from: the reader is broken")
        candidates = {
            "read": lambda: read_form_workbook(path),
            "openpyxl_ro": lambda: openpyxl_read_only(path),
            "write": lambda: write_form_workbook(form, Path(folder) / "ghi-lai.xlsx"),
        }
        for work in candidates.values():
            work()  # warm imports and caches
        timings: dict[str, list[float]] = {name: [] for name in candidates}
        for _ in range(rounds):  # interleaved: a slow moment of the machine falls on all of them
            for name, work in candidates.items():
                timings[name].append(per_call_ms(work, calls))
        size = path.stat().st_size / 1024
    ms = {name: statistics.median(values) for name, values in timings.items()}
    targets = sum(len(s.targets) for s in form.target_sets)
    print(
        f"form workbook of {len(form.indicators)} indicators, {len(form.rules)} rules, {targets} targets "
        f"({size:.0f} KB), median of {rounds} rounds of {calls} calls:"
    )
    ratio = ms["read"] / ms["openpyxl_ro"]
    print(f"  ours, read into a form:       {ms['read']:.1f} ms")
    print(f"  openpyxl read_only, reading:  {ms['openpyxl_ro']:.1f} ms (ours {ratio:.2f}x; goal ≤ 2x)")
    print(f"  ours, writing it:             {ms['write']:.1f} ms")
    print_figures(
        read_ms=ms["read"],
        openpyxl_ro_ms=ms["openpyxl_ro"],
        read_over_openpyxl_x=ratio,
        write_ms=ms["write"],
        indicators=len(form.indicators),
        rules=len(form.rules),
        targets=targets,
    )


if __name__ == "__main__":
    main()
