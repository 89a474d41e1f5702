"""A writer to kill, and the rounds that kill it: the issue asks that every
edit reported as committed survives SIGKILL at any moment, with the file intact.

Child side, run as ``python tests/crash_child.py DB_PATH SEED [UNITS [CALLS]]``:
it opens the file with Gateway.open (the program's own pragmas) and edits the
demo report of Xã Mường Tè, kl224, 2025 through Gateway.set_values and
set_reason, one call after another, saying on stdout, one flushed line each:

    ready                                   the database is open
    begin {"edits": [[indicator, unit, value], ...]}    about to call set_values
    begin {"reason": [rule, indicator, unit, text]}     about to call set_reason
    committed {"changes": [[indicator, unit, old, new], ...]}   set_values returned
    committed {"reason": [rule, indicator, unit, text]}          set_reason returned
    refused {"message": "..."}              the Gateway refused the call

UNITS (comma-separated codes, default every village and the commune) keeps two
writers on disjoint cells; CALLS stops it (default: never, the parent kills it).
Every value written is new for its cell, so each call changes every cell it names.

Parent side (``kill_round``, ``run_kill_rounds``, ``verify``): spawn, kill with
SIGKILL, read what the child said, reopen and compare; shared by
tests/test_crash_safety.py and benchmarks/bench_kill.py.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models.errors import DatabaseError  # noqa: E402
from models.gateway import Gateway  # noqa: E402
from models.report_records import Edit  # noqa: E402

REPORT_KEY = ("03445", "kl224", "2025")  # the demo's Xã Mường Tè, Kết luận 224, year 2025
COMMUNE = "03445"
VILLAGES = tuple(f"03445.{n:02d}" for n in range(1, 19))
VILLAGE_COUNTS = ("so_ho", "ho_van_hoa")
COMMUNE_COUNTS = ("can_bo_lanh_dao", "cb_boi_duong", "so_co_quan", "so_truong")
REASON_RULE, REASON_INDICATOR = "ban_van_hoa_du_ho", "ban_van_hoa"  # the demo's real warning
FOREVER = 10**9

STARTUP_SPAN = 0.1  # seconds after spawning in which a kill lands in start-up (imports, Gateway.open)
STREAM_SPAN = 0.2  # seconds after "ready" in which a kill lands in the edit stream
READY_TIMEOUT = 30.0

Cell = tuple[str, str]


def who_for(seed: int) -> str:
    return f"crash-{seed}"


def cells_of(units: list[str]) -> list[Cell]:
    return [
        (indicator, unit) for unit in units for indicator in (COMMUNE_COUNTS if unit == COMMUNE else VILLAGE_COUNTS)
    ]


# ---- child side ------------------------------------------------------------------------


def say(word: str, payload: dict | None = None) -> None:
    sys.stdout.write(word if payload is None else f"{word} {json.dumps(payload)}")
    sys.stdout.write("\n")
    sys.stdout.flush()


def write_until_killed(db_path: str, seed: int, units: list[str], calls: int) -> None:
    rng = random.Random(seed)
    who = who_for(seed)
    gw = Gateway.open(db_path, create=False)
    report = gw.find_report(*REPORT_KEY)
    cells = cells_of(units)
    mine = set(cells)
    current = {cell: value for cell, value in gw.values(report).items() if cell in mine}
    reason_units = [unit for unit in units if unit != COMMUNE] or [COMMUNE]
    counter = rng.randrange(1, 10**6)
    say("ready")
    for _ in range(calls):
        roll = rng.random()
        if roll < 0.1:
            text = "" if rng.random() < 0.2 else f"Bản mới tách, đã đếm lại số hộ (lần {counter})"
            reason = [REASON_RULE, REASON_INDICATOR, rng.choice(reason_units), text]
            say("begin", {"reason": reason})
            try:
                gw.set_reason(report, *reason, who=who)
            except DatabaseError as exc:
                say("refused", {"message": str(exc)})
                continue
            say("committed", {"reason": reason})
            continue
        edits = []
        for cell in rng.sample(cells, 1 if roll < 0.6 else min(len(cells), rng.randint(2, 8))):
            if current.get(cell) is not None and rng.random() < 0.1:
                value = None  # clear the cell
            else:
                counter += 1
                if counter == current.get(cell):
                    counter += 1
                value = counter
            edits.append(Edit(cell[0], cell[1], value))
        say("begin", {"edits": [[e.indicator, e.unit_code, e.value] for e in edits]})
        try:
            changes = gw.set_values(report, edits, who=who)
        except DatabaseError as exc:
            say("refused", {"message": str(exc)})
            continue
        for change in changes:
            current[(change.indicator, change.unit_code)] = change.new
        say("committed", {"changes": [[c.indicator, c.unit_code, c.old, c.new] for c in changes]})
    gw.close()


# ---- parent side: what the child said ----------------------------------------------------


@dataclass
class ChildLog:
    who: str
    ready: bool = False
    committed: list[dict] = field(default_factory=list)  # payloads of the calls that returned, in order
    in_flight: dict | None = None  # the call under way when the child stopped: may or may not have landed
    refused: list[str] = field(default_factory=list)

    @property
    def reported_changes(self) -> int:
        return sum(len(p["changes"]) if "changes" in p else 1 for p in self.committed)


def parse_log(text: str, who: str) -> ChildLog:
    log = ChildLog(who)
    for line in text.split("\n")[:-1]:  # the last piece is empty, or a line the kill cut in half
        word, _, rest = line.partition(" ")
        if word == "ready":
            log.ready = True
        elif word == "begin":
            log.in_flight = json.loads(rest)
        elif word == "committed":
            log.committed.append(json.loads(rest))
            log.in_flight = None
        elif word == "refused":
            log.refused.append(json.loads(rest)["message"])
            log.in_flight = None
    return log


@dataclass
class Child:
    process: subprocess.Popen
    seed: int
    out_path: Path
    err_path: Path

    def ready(self) -> bool:
        with open(self.out_path, "rb") as out:
            return out.read(6) == b"ready\n"

    def kill(self) -> bool:
        """SIGKILL unless it already ended; True if it was still running."""
        running = self.process.poll() is None
        if running:
            os.kill(self.process.pid, signal.SIGKILL)  # not reaped yet, so the pid is still this child's
        self.process.wait()
        return running

    def log(self) -> ChildLog:
        return parse_log(self.out_path.read_text(encoding="ascii"), who_for(self.seed))

    def stderr(self) -> str:
        return self.err_path.read_text(encoding="utf-8", errors="replace")


def start_child(db_path: Path, seed: int, units: list[str] | None = None, calls: int = FOREVER) -> Child:
    out_path = db_path.with_name(f"{db_path.name}.child-{seed}.out")
    err_path = db_path.with_name(f"{db_path.name}.child-{seed}.err")
    command = [sys.executable, __file__, str(db_path), str(seed), ",".join(units or ()), str(calls)]
    with open(out_path, "wb") as out, open(err_path, "wb") as err:  # files, not pipes: a full pipe would stall it
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    return Child(process, seed, out_path, err_path)


def wait_ready(children: list[Child], timeout: float = READY_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(c.ready() or c.process.poll() is not None for c in children):
            return
        time.sleep(0.003)


# ---- parent side: what the file holds -----------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    values: dict[Cell, int | str]
    reasons: dict[tuple[str, str, str], str]
    audit: list[tuple]  # (indicator, unit, old, new, who), oldest first


@dataclass
class Verdict:
    integrity: str  # "ok", or what SQLite (or Gateway.open) said
    reported: int = 0  # changes and reasons the children reported committed
    lost: list[str] = field(default_factory=list)  # reported edits not found
    damage: list[str] = field(default_factory=list)  # anything else that differs from what was written
    in_flight: int = 0  # calls cut short by the kill
    in_flight_landed: int = 0
    after: Snapshot | None = None


def read_state(db_path: Path) -> tuple[str, Snapshot | None]:
    """Reopen as the program does; the integrity check's verdict and the report's contents."""
    try:
        gw = Gateway.open(db_path, create=False)
    except DatabaseError as exc:
        return str(exc), None
    try:
        integrity = "; ".join(row[0] for row in gw.db.execute("PRAGMA integrity_check"))
        report = gw.find_report(*REPORT_KEY)
        audit = [
            (a["indicator"], a["unit_code"], a["old_value"], a["new_value"], a["who"]) for a in gw.audit_trail(report)
        ]
        return integrity, Snapshot(gw.values(report), gw.reasons(report), audit)
    finally:
        gw.close()


def verify(db_path: Path, logs: list[ChildLog], before: Snapshot) -> Verdict:
    """Reopen and compare with ``before`` plus every reported call; a call cut
    short must have landed whole or not at all. The children edit disjoint cells."""
    integrity, after = read_state(db_path)
    verdict = Verdict(integrity, after=after)
    if after is None:
        return verdict
    values, reasons = dict(before.values), dict(before.reasons)
    audit: dict[str, list[tuple]] = {log.who: [] for log in logs}
    reported_cells: set[Cell] = set()
    reported_reasons: set[tuple[str, str, str]] = set()
    for log in logs:
        verdict.reported += log.reported_changes
        for payload in log.committed:
            if "reason" in payload:
                rule, indicator, unit, text = payload["reason"]
                _put(reasons, (rule, indicator, unit), text or None)
                reported_reasons.add((rule, indicator, unit))
                continue
            for indicator, unit, old, new in payload["changes"]:
                if values.get((indicator, unit)) != old:
                    verdict.damage.append(
                        f"{log.who} read {old!r} in {indicator}/{unit}, not {values.get((indicator, unit))!r}"
                    )
                _put(values, (indicator, unit), new)
                audit[log.who].append((indicator, unit, old, new, log.who))
                reported_cells.add((indicator, unit))
        if log.in_flight is not None:
            verdict.in_flight += 1
            verdict.in_flight_landed += _settle_in_flight(log, after, values, reasons, audit[log.who], verdict)
    for cell in values.keys() | after.values.keys():
        if after.values.get(cell) != values.get(cell):
            where = verdict.lost if cell in reported_cells else verdict.damage
            where.append(f"{cell[0]}/{cell[1]} holds {after.values.get(cell)!r}, should hold {values.get(cell)!r}")
    for key in reasons.keys() | after.reasons.keys():
        if after.reasons.get(key) != reasons.get(key):
            where = verdict.lost if key in reported_reasons else verdict.damage
            where.append(f"reason {key} is {after.reasons.get(key)!r}, should be {reasons.get(key)!r}")
    _compare_audit(before, after, audit, verdict)
    return verdict


def _put(mapping: dict, key, value) -> None:
    if value is None:
        mapping.pop(key, None)
    else:
        mapping[key] = value


def _settle_in_flight(log, after, values, reasons, audit, verdict) -> int:
    """Apply the cut-short call to the expected state if it landed; 1 if it did."""
    if "reason" in log.in_flight:
        rule, indicator, unit, text = log.in_flight["reason"]
        if after.reasons.get((rule, indicator, unit)) == (text or None):
            _put(reasons, (rule, indicator, unit), text or None)
            return 1
        return 0
    edits = log.in_flight["edits"]
    landed = [after.values.get((indicator, unit)) == new for indicator, unit, new in edits]
    if all(landed):
        for indicator, unit, new in edits:
            audit.append((indicator, unit, values.get((indicator, unit)), new, log.who))
            _put(values, (indicator, unit), new)
        return 1
    if any(landed):
        verdict.damage.append(f"{log.who}: the call cut short landed in part: {edits}")
    return 0


def _compare_audit(before: Snapshot, after: Snapshot, audit: dict[str, list[tuple]], verdict: Verdict) -> None:
    if after.audit[: len(before.audit)] != before.audit:
        verdict.damage.append("the audit trail written before this round changed")
    added = after.audit[len(before.audit) :]
    for who, expected in audit.items():
        found = [row for row in added if row[4] == who]
        missing, extra = Counter(expected) - Counter(found), Counter(found) - Counter(expected)
        verdict.lost.extend(f"no audit row for {row}" for row in missing.elements())
        verdict.damage.extend(f"audit row nobody reported: {row}" for row in extra.elements())
        if not missing and not extra and found != expected:
            verdict.damage.append(f"{who}: audit rows out of order")
    strangers = [row for row in added if row[4] not in audit]
    verdict.damage.extend(f"audit row from no writer of this round: {row}" for row in strangers)


# ---- parent side: the kill rounds --------------------------------------------------------


@dataclass
class RoundResult:
    seed: int
    killed_after_ready: bool  # the kill was aimed at the edit stream, not at start-up
    ended_by_itself: bool  # the child was gone before the kill: a crash
    stderr: str
    log: ChildLog
    verdict: Verdict


def kill_round(db_path: Path, seed: int, rng: random.Random, before: Snapshot) -> RoundResult:
    """Start a writer, SIGKILL it at a random moment from start-up to the middle
    of its edits, reopen the file and check it against what the writer said."""
    moment = rng.uniform(-STARTUP_SPAN, STREAM_SPAN)
    child = start_child(db_path, seed)
    if moment < 0:
        time.sleep(STARTUP_SPAN + moment)
    else:
        wait_ready([child])
        time.sleep(moment)
    ended_by_itself = not child.kill()
    log = child.log()
    verdict = verify(db_path, [log], before)
    stderr = child.stderr()
    if verdict.integrity == "ok" and not verdict.lost and not verdict.damage and not stderr:
        child.out_path.unlink()
        child.err_path.unlink()
    return RoundResult(seed, moment >= 0, ended_by_itself, stderr, log, verdict)


@dataclass
class KillSummary:
    rounds: list[RoundResult]
    seconds: float

    @property
    def kills(self) -> int:
        return sum(not r.ended_by_itself for r in self.rounds)

    @property
    def rounds_with_commits(self) -> int:
        return sum(bool(r.log.committed) for r in self.rounds)

    @property
    def killed_in_start_up(self) -> int:
        return sum(not r.log.ready for r in self.rounds)

    @property
    def reported_edits(self) -> int:
        return sum(r.verdict.reported for r in self.rounds)

    @property
    def lost_edits(self) -> int:
        return sum(len(r.verdict.lost) for r in self.rounds)

    @property
    def integrity_failures(self) -> int:
        return sum(r.verdict.integrity != "ok" for r in self.rounds)

    @property
    def in_flight(self) -> tuple[int, int]:
        """(calls cut short by the kill, how many of them had landed)."""
        return sum(r.verdict.in_flight for r in self.rounds), sum(r.verdict.in_flight_landed for r in self.rounds)

    def problems(self) -> list[str]:
        found = []
        for r in self.rounds:
            found += [f"child {r.seed}: {text}" for text in r.verdict.lost + r.verdict.damage]
            if r.verdict.integrity != "ok":
                found.append(f"child {r.seed}: integrity {r.verdict.integrity}")
            if r.ended_by_itself or r.stderr:
                found.append(f"child {r.seed} ended by itself: {r.stderr[-2000:]}")
        return found

    def figures(self) -> str:
        cut_short, landed = self.in_flight
        return (
            f"kills: {self.kills}\n"
            f"rounds with committed edits: {self.rounds_with_commits}\n"
            f"rounds killed in start-up (before 'ready'): {self.killed_in_start_up}\n"
            f"committed edits reported: {self.reported_edits}\n"
            f"calls cut short by the kill: {cut_short} ({landed} had landed, {cut_short - landed} had not)\n"
            f"edits lost: {self.lost_edits}\n"
            f"integrity failures: {self.integrity_failures}\n"
            f"other damage: {sum(len(r.verdict.damage) for r in self.rounds)}\n"
            f"seconds: {self.seconds:.1f}"
        )


def run_kill_rounds(template: Path, folder: Path, kills: int, workers: int = 8, seed: int = 224) -> KillSummary:
    """``kills`` rounds over ``workers`` copies of ``template`` in parallel; each
    copy is killed round after round, so damage would pile up and show."""
    from concurrent.futures import ThreadPoolExecutor  # here: the child never needs it

    def one_copy(index: int, rounds: int) -> list[RoundResult]:
        db_path = folder / f"kill-{index}.db"
        shutil.copyfile(template, db_path)
        rng = random.Random(seed * 1000 + index)
        integrity, before = read_state(db_path)
        assert integrity == "ok" and before is not None, integrity
        results = []
        for _ in range(rounds):
            result = kill_round(db_path, rng.randrange(10**9), rng, before)
            results.append(result)
            before = result.verdict.after or before
        return results

    start = time.perf_counter()
    shares = [kills // workers + (index < kills % workers) for index in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        batches = list(pool.map(one_copy, range(workers), shares))
    return KillSummary([r for batch in batches for r in batch], time.perf_counter() - start)


if __name__ == "__main__":
    write_until_killed(
        sys.argv[1],
        int(sys.argv[2]),
        sys.argv[3].split(",") if len(sys.argv) > 3 and sys.argv[3] else [*VILLAGES, COMMUNE],
        int(sys.argv[4]) if len(sys.argv) > 4 else FOREVER,
    )
