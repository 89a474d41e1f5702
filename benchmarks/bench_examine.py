"""Cost of examining one packet at the upper level against reading and verifying it, as figures.

    .venv/bin/python benchmarks/bench_examine.py                 # 300 packets, 5 rounds
    .venv/bin/python benchmarks/bench_examine.py --packets 1000 --rounds 7
    .venv/bin/python benchmarks/bench_examine.py --quick         # 20 packets, 3 rounds

Its last line, for scripts and the record (benchmarks/figures.py): FIGURES packets=… rounds=…
examine_ms=… examine_cpu_ms=… limit_ms=… examine_over_limit_x=…

An import's worker processes spend their time in exports/collect/examine.py's
examine(): read, verify (zip, hashes, signature, manifest, so-lieu.json read
strictly, bieu.xlsx compared with it), the figures checked as typed and the
form's rules run on them. Its CPU time per packet decides how fast a province
imports (issue 16: import and merge within 3x the limit). Valid kl224 packets
for 2025, one per commune (benchmarks/makers/packet_maker.py, 12 to 60 villages),
against an upper-level database with those communes and their keys
(packet_maker.build_upper); each examined packet must come out trusted with
its figures checked, or nothing is printed. In interleaved rounds, one
process, over the same files:

- ours: examine_file() of every packet, in order (examine_ms per packet, and
  examine_cpu_ms, this process's CPU time per packet, steadier on a shared
  machine);
- the limit: read every file, SHA-256 of every zip entry, one Ed25519
  verification per packet, nothing parsed (as bench_inbox.py's limit).

Medians of --rounds rounds; the machine may be shared with other work, hence
the interleaving.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from figures import print_figures  # noqa: E402
from makers.packet_maker import all_communes, build_upper, generate  # noqa: E402

from exports.collect.examine import examine_file  # noqa: E402
from exports.packets.enrolment import key_ring  # noqa: E402
from exports.packets.format import MANIFEST, SIGNATURE  # noqa: E402
from forms.library import default_library  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.keys import demo_private_key  # noqa: E402
from models.vocabulary import VerifyStatus  # noqa: E402


def run_ours(gw: Gateway, files: list[Path]) -> tuple[float, float]:
    """(wall, CPU) seconds to examine every file."""
    library, ring = default_library(), key_ring(gw)
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        found = examine_file(gw, path, library, ring)
        if found.verdict is None or found.verdict.status != VerifyStatus.VALID or found.checked is None:
            raise SystemExit(f"{path.name} was not examined as a trusted packet: {found}")
    return time.perf_counter() - start, time.process_time() - cpu


def run_limit(files: list[Path], keys: dict) -> float:
    """Read, hash every entry, verify one signature per packet; nothing parsed."""
    start = time.perf_counter()
    for path in files:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
            entries = {info.filename: archive.read(info) for info in archive.infolist()}
        for body in entries.values():
            hashlib.sha256(body).digest()
        keys[path].verify(entries[SIGNATURE], entries[MANIFEST])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 packets, 3 rounds (what the tests run)")
    parser.add_argument("--packets", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    count, rounds = (20, 3) if args.quick else (args.packets, args.rounds)
    communes = all_communes()[:count]
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        (work / "goi").mkdir()
        generate(work / "goi", communes)
        build_upper(work / "upper.db", communes)
        files = sorted((work / "goi").glob("*.sctg"))
        keys = {path: demo_private_key(path.name.split("_")[0]).public_key() for path in files}
        gw = Gateway.open(work / "upper.db")
        try:
            run_ours(gw, files[:5])  # forms loaded, caches warm, as in an import's worker
            ours, cpu, limit = [], [], []
            for n in range(rounds):
                for which in ("ours", "limit") if n % 2 == 0 else ("limit", "ours"):
                    if which == "ours":
                        wall, used = run_ours(gw, files)
                        ours.append(wall)
                        cpu.append(used)
                    else:
                        limit.append(run_limit(files, keys))
        finally:
            gw.close()
    per = {name: statistics.median(times) * 1000 / len(files) for name, times in (("ours", ours), ("cpu", cpu))}
    limit_ms = statistics.median(limit) * 1000 / len(files)
    print(
        f"{len(files)} packets, median of {rounds} interleaved rounds: examine() {per['ours']:.3f} ms a packet "
        f"({per['cpu']:.3f} ms CPU), the limit (read, SHA-256, Ed25519) {limit_ms:.3f} ms: "
        f"{per['ours'] / limit_ms:.1f}x"
    )
    print_figures(
        packets=len(files),
        rounds=rounds,
        examine_ms=per["ours"],
        examine_cpu_ms=per["cpu"],
        limit_ms=limit_ms,
        examine_over_limit_x=per["ours"] / limit_ms,
    )


if __name__ == "__main__":
    main()
