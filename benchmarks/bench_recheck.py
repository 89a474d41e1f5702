"""What the upper level's re-checks cost per packet, printed as figures (never asserted in tests).

    .venv/bin/python benchmarks/bench_recheck.py [--quick]

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES villages=… recheck_ms=…
import_before_ms=… recheck_share_x=…

Issue 15 has every imported packet checked again as if typed: the form's
rules run on its figures, its villages compared with the commune's last
packet, its dates, sequence and key judged (exports/collect/admission.py).
The goal: at most 0.5 ms per 60-village packet on top of today's import,
so a province's 3,321 packets stay within issue 16's goals.

The packet is the demo's Xã Sìn Hồ (60 villages), kl224 for 2025, signed
by the commune's own program; the upper level is the demo province. In
interleaved rounds, medians of each:

- recheck: admission's checks on the verified packet (rules and summary,
  villages, manifest dates and sequence, key and sequence holds);
- today: the rest of the import of one packet (verify it, bieu.xlsx read
  back included, and check its figures as typed), the cost the re-checks
  add to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import per_call_ms, print_figures  # noqa: E402

from exports.collect.admission import (  # noqa: E402
    key_hold,
    manifest_problem,
    recheck,
    sequence_hold,
    village_hold,
)
from exports.collect.figures import sent_values  # noqa: E402
from exports.packets.enrolment import key_ring  # noqa: E402
from exports.packets.verify import verify_packet_bytes  # noqa: E402
from exports.packets.write import build_packet  # noqa: E402
from forms.library import default_library  # noqa: E402
from models.demo import build_demo, build_upper_demo  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.keys import DEMO_PASSPHRASE, key_in_use, unlock_key  # noqa: E402
from models.reporting import view_report  # noqa: E402

UNIT = "03478"  # Xã Sìn Hồ: 60 villages in the demo
ROUNDS, CALLS = 15, 200


def signed_packet(folder: Path) -> bytes:
    library = default_library()
    gw = Gateway.open(folder / "xa.db")
    try:
        build_demo(gw, library)
        view = view_report(gw, gw.find_report(UNIT, "kl224", "2025"), library.get("kl224"))
        key = key_in_use(gw, UNIT)
        return build_packet(gw, view, key, unlock_key(gw, key, DEMO_PASSPHRASE), 1, dt.datetime.now(dt.UTC))[1]
    finally:
        gw.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few rounds, to see that it still works")
    quick = parser.parse_args().quick
    rounds, calls = (3, 20) if quick else (ROUNDS, CALLS)
    library, form = default_library(), default_library().get("kl224")
    with tempfile.TemporaryDirectory() as folder:
        raw = signed_packet(Path(folder))
        gw = Gateway.open(Path(folder) / "tinh.db")
        build_upper_demo(gw)
        ring = key_ring(gw)
        verdict = verify_packet_bytes(raw, "goi.sctg", ring, library)
        manifest, data = verdict.manifest, verdict.data
        figures = sent_values(gw, manifest, data, form)
        period = gw.period(manifest["period"]["code"])
        report = {"unit_code": UNIT, "form_id": "kl224", "period_code": "2025"}

        def today():
            checked = verify_packet_bytes(raw, "goi.sctg", ring, library)
            sent_values(gw, checked.manifest, checked.data, form)

        def rechecks():
            manifest_problem(manifest, period, verdict.trusted_by, dt.datetime.now().astimezone())
            checked = recheck(gw, manifest, data, form, figures)
            key_hold(gw, verdict.trusted_by, manifest)
            sequence_hold(gw.inbox.head(report), manifest["sequence"])
            village_hold(gw, UNIT, checked.villages)

        villages = len(recheck(gw, manifest, data, form, figures).villages)
        ours, before = [], []
        for _ in range(rounds):  # interleaved, so a slow moment of the machine weighs on both
            ours.append(per_call_ms(rechecks, calls))
            before.append(per_call_ms(today, calls))
        gw.close()
    recheck_ms, today_ms = statistics.median(ours), statistics.median(before)
    print(
        f"re-checks of a {villages}-village packet: {recheck_ms:.3f} ms (goal ≤ 0.5 ms); "
        f"the rest of its import (verify with bieu.xlsx, figures as typed): {today_ms:.3f} ms; "
        f"medians of {rounds} interleaved rounds of {calls} calls"
    )
    print_figures(
        villages=villages, recheck_ms=recheck_ms, import_before_ms=today_ms, recheck_share_x=recheck_ms / today_ms
    )


if __name__ == "__main__":
    main()
