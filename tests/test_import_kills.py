"""An import killed at any moment leaves whole packets, of every status.

A folder holds packets that end each way an import can file them
(accepted, superseded, flawed, held, waiting, rejected, quarantined); a
fresh ``inbox import`` process is killed with SIGKILL at a random moment,
again and again. After each kill the database is whole and every packet in
it is whole (its figures all there or, for a refused one, none and no
file); imported again to the end, every file ends with the status an import
never killed gives it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest
from packet_forge import VILLAGE, Commune, forged
from testkit import ROOT, copy_database, run_main

from models.gateway import Gateway

KILLS = 12


def folder_of_every_status(commune: Commune, others: list[Commune], folder) -> None:
    folder.mkdir()
    for sequence in range(1, 31):  # a long run of genuine sendings: accepted, then superseded
        shutil.move(commune.sign(sequence), folder / f"lan{sequence:02d}.sctg")
    commune.type(("ho_van_hoa", VILLAGE, commune.value("so_ho", VILLAGE) + 5000))
    shutil.move(commune.sign(31), folder / "z1-co-loi.sctg")  # flawed
    shutil.move(commune.sign(500), folder / "z2-lan-500.sctg")  # held: far ahead
    bad = forged(commune.sign(32), data_text=lambda t: t.replace('"so_ho": ', '"so_ho": NaN, "x": ', 1))
    shutil.move(bad, folder / "z3-nan.sctg")  # rejected
    sin_ho, tan_phong = others
    shutil.move(sin_ho.sign(1), folder / "z4-sin-ho-2025.sctg")  # waiting: the collection of 2025 is closed below
    shutil.move(tan_phong.sign(1), folder / "z5-tan-phong.sctg")  # accepted


def statuses(db) -> dict[str, str]:
    gw = Gateway.open(db)
    try:
        return {r["file_name"]: r["status"] for r in gw.db.query("SELECT file_name, status FROM received_packets")}
    finally:
        gw.close()


def whole(db) -> list[str]:
    """What is wrong with the database after a kill: not whole, a packet filed in part, or a packet
    whose file, kept beside the database, is missing or not the bytes its row names."""
    gw = Gateway.open(db)
    try:
        q = gw.db.execute
        problems = [] if q("PRAGMA integrity_check").fetchone()[0] == "ok" else ["integrity_check"]
        ids = [packet_id for (packet_id,) in q("SELECT packet_id FROM received_figures")]
        values = {packet_id: len(gw.inbox.values(packet_id)) for packet_id in ids}
        for packet_id, name, status, kept, digest in q(
            "SELECT id, file_name, status, file_kept, file_sha256 FROM received_packets"
        ).fetchall():
            if status == "rejected" and (kept or values.get(packet_id)):
                problems.append(f"{name}: rejected but kept")
            if status in ("accepted", "superseded", "flawed", "held") and values.get(packet_id, 0) < 20:
                problems.append(f"{name}: {status} with {values.get(packet_id, 0)} figures")
            if status != "rejected" and not kept:
                problems.append(f"{name}: {status} without its file")
            if kept and gw.packet_files.problem(digest):
                problems.append(f"{name}: {gw.packet_files.problem(digest)}")
        return problems
    finally:
        gw.close()


@pytest.mark.slow
def test_kills_mid_import_leave_whole_packets_of_every_status(demo_template, upper_template, tmp_path):
    commune = Commune(demo_template, tmp_path / "xa")
    others = [
        Commune(demo_template, tmp_path / "sin-ho", "03478", "2025"),
        Commune(demo_template, tmp_path / "tp", "03408"),
    ]
    try:
        folder_of_every_status(commune, others, tmp_path / "usb")
    finally:
        for each in (commune, *others):
            each.close()
    template = tmp_path / "tinh-mau.db"
    copy_database(upper_template, template)
    gw = Gateway.open(template)
    gw.db.execute("DELETE FROM collections WHERE period_code = '2025'")
    gw.close()

    reference = tmp_path / "tham-chieu.db"
    copy_database(template, reference)
    started = time.monotonic()
    assert run_main("inbox", "import", "--db", reference, tmp_path / "usb").returncode == 1  # the NaN one
    span = time.monotonic() - started
    expected = statuses(reference)
    assert set(expected.values()) == {"accepted", "superseded", "flawed", "held", "rejected", "waiting"}

    rng = random.Random(15)
    landed = 0
    db = tmp_path / "tinh.db"
    copy_database(template, db)
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "main.py", "inbox", "import", "--db", str(db), str(tmp_path / "usb")],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={k: v for k, v in os.environ.items() if k != "SCT_DEBUG"},
        )
        time.sleep(rng.uniform(0.2, span))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert whole(db) == []
        landed += bool(statuses(db))
    assert landed >= 1  # not vacuous: some kills came after packets were filed
    assert run_main("inbox", "import", "--db", db, tmp_path / "usb").returncode in (0, 1)
    assert statuses(db) == expected
