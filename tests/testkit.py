"""Helpers the tests import (fixtures live in conftest.py, which pytest loads by
itself; a module of its own keeps these importable when tests/ui has its own
conftest.py too): the project's folder, the program run as a user runs it, the
database templates and their copies, an old database, a process holding the lock,
a damaged file, a full disk, a folder's snapshot, packets written out as files."""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from sqlite_utils import Database

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models.gateway import Gateway  # noqa: E402
from models.migrations import migrations  # noqa: E402
from models.packet_store import PacketStore, packet_folder  # noqa: E402


def run_main(*args, drop: tuple[str, ...] = (), **extra_env: str) -> subprocess.CompletedProcess:
    """``python main.py ARGS`` in a fresh process, as a user runs it; ``drop`` removes
    variables from the environment (tracebacks and stored passphrases always)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCT_DEBUG", "SCT_PASSPHRASE", *drop)}
    env.update(extra_env, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "main.py", *[str(a) for a in args]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def database_template(path: Path, build) -> Path:
    """A database built once (``build(gw)``), its write-ahead log checkpointed into
    the file so that a copy of the one file is the whole database."""
    gw = Gateway.open(path)
    try:
        build(gw)
        gw.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        gw.close()
    return path


def copy_database(template: Path, target: Path) -> Path:
    """A fresh copy of a template database, with the packet files kept beside it, for one test to write to."""
    target.write_bytes(template.read_bytes())
    if packet_folder(template).is_dir():
        shutil.copytree(packet_folder(template), packet_folder(target), dirs_exist_ok=True)
    return target


def first_schema_database(path: Path) -> Path:
    """A database as the first release left it (only m001), with a village's value and its audit row."""
    first = [m.name for m in migrations.pending(Database(memory=True))][1]
    old = Database(sqlite3.connect(path, isolation_level=None))
    migrations.apply(old, stop_before=first)
    old.execute("INSERT INTO units (code, name, kind) VALUES ('03445', 'Xã Mường Tè', 'xã')")
    old.execute("INSERT INTO units (code, name, kind, parent_code) VALUES ('03445.01', 'Bản Nà Hừ', 'bản', '03445')")
    old.execute("INSERT INTO periods VALUES ('2025', 'nam', 'Năm 2025', '2025-01-01', '2025-12-31')")
    old.execute(
        "INSERT INTO reports (id, unit_code, form_id, form_version, period_code, created_at, updated_at) "
        "VALUES (1, '03445', 'kl224', 1, '2025', 't', 't')"
    )
    old.execute("INSERT INTO cell_values VALUES (1, 'so_ho', '03445.01', 120, 't', 'thu')")
    old.execute(
        "INSERT INTO audit (report_id, indicator, unit_code, old_value, new_value, at, who) "
        "VALUES (1, 'so_ho', '03445.01', NULL, 120, 't', 'thu')"
    )
    old.conn.close()
    return path


def with_packets_inside(path: Path, *, before_m008: bool = False) -> Path:
    """The database as the versions before m009 left it: each packet file in its row (``packet``), the
    figures as rows of received_values, no file beside it; ``before_m008``: without the kept manifest
    digests either. Made from a database of today, so the packets in it are real ones."""
    store = PacketStore(packet_folder(path))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "CREATE TABLE received_values (packet_id INTEGER NOT NULL REFERENCES received_packets(id), "
        "indicator TEXT NOT NULL, unit_code TEXT NOT NULL, value NOT NULL, total, "
        "PRIMARY KEY (packet_id, indicator, unit_code))"
    )
    for packet_id, digest in conn.execute("SELECT id, file_sha256 FROM received_packets WHERE file_kept").fetchall():
        conn.execute("UPDATE received_packets SET packet = ? WHERE id = ?", [store.read(digest), packet_id])
    for packet_id, cells, totals in conn.execute("SELECT packet_id, cells, totals FROM received_figures").fetchall():
        totals = json.loads(totals) if totals else {}
        conn.executemany(
            "INSERT INTO received_values VALUES (?, ?, ?, ?, ?)",
            [
                (packet_id, indicator, code, value, totals.get(indicator))
                for code, row in json.loads(cells).items()
                for indicator, value in row.items()
            ],
        )
    conn.execute("DROP TABLE received_figures")
    conn.execute("ALTER TABLE received_packets DROP COLUMN file_kept")
    gone = ["m009_packets_beside_figures_as_json"]
    if before_m008:
        conn.execute("DROP INDEX received_listing")
        conn.execute("ALTER TABLE received_packets DROP COLUMN manifest_sha256")
        gone.append("m008_manifest_sha256")
    conn.executemany("DELETE FROM _sqlite_migrations WHERE name = ?", [[name] for name in gone])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the files inside the database file itself, as then
    conn.close()
    shutil.rmtree(store.folder)
    return path


def from_a_newer_version(path: Path) -> Path:
    """The database file as a newer version of the program left it: a migration this one does not know."""
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "SELECT migration_set, 'm999_from_a_newer_version', '2030-01-01' FROM _sqlite_migrations LIMIT 1"
    )
    conn.commit()
    conn.close()
    return path


HOLD_LOCK = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from models.lock import DatabaseLock
lock = DatabaseLock.take(Path(sys.argv[2]))
print("locked", flush=True)
time.sleep(120)
"""


FULL_DISK = r"""
import resource, signal, sys
sys.path.insert(0, sys.argv[1])
import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(main.main(sys.argv[3:]))
"""


def run_on_full_disk(limit: int, *args, **extra_env: str) -> subprocess.CompletedProcess:
    """``main.main(ARGS)`` in a child that cannot grow any file past ``limit`` bytes."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCT_DEBUG", "SCT_PASSPHRASE")}
    env.update(extra_env, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(ROOT), str(limit), *[str(a) for a in args]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


@contextmanager
def lock_held_elsewhere(path: Path):
    """A process holding the database's lock, as an open window does; yields the process."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(ROOT), str(path)],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "locked", child.stderr.read()
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=10)
        child.stdout.close()
        child.stderr.close()


def damage(path: Path) -> bytes:
    """Keep the header page, garble the rest (as a bad sector or a cut-off copy would); the new bytes."""
    whole = path.read_bytes()
    garbled = whole[:4096] + random.Random(224).randbytes(len(whole) - 4096)
    path.write_bytes(garbled)
    return garbled


def damage_list(backup_path: Path) -> None:
    """Garble a backup's chunk list past its first line (the recorded hash), as a bad sector would."""
    whole = backup_path.read_bytes()
    head = whole.index(b"\n") + 1
    backup_path.write_bytes(whole[:head] + random.Random(224).randbytes(len(whole) - head))


def damage_chunk(backup_path: Path, index: int = -1) -> Path:
    """Garble one chunk a backup names, in place (its name, size and time as they were); the chunk's path."""
    from models.backup_store import read_list
    from models.backups import chunk_store

    chunk = chunk_store(backup_path.parent).path_of(read_list(backup_path)["chunks"][index])
    stat = chunk.stat()
    chunk.write_bytes(random.Random(224).randbytes(stat.st_size))
    os.utime(chunk, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return chunk


def made_from(backup_path: Path) -> Path:
    """The database a backup holds, made again (every chunk checked) in a folder of its own beside the
    backup folder, to read."""
    import datetime as dt

    from models.backups import Backup, restore_backup

    folder = backup_path.parent.parent / "doc-lai" / backup_path.name
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "ban-sao.db"
    target.unlink(missing_ok=True)
    restore_backup(target, Backup(Path(backup_path), dt.datetime(2026, 1, 1)))
    return target


def zero_an_audit_page(path: Path) -> bytes:
    """A bad sector in a page of the edits' history, which the window does not read to show itself:
    the file opens and the window is built, and only the quick check finds it. The new bytes."""
    conn = sqlite3.connect(path)
    (page,) = conn.execute("SELECT max(pageno) FROM dbstat WHERE name = 'audit' AND pagetype = 'leaf'").fetchone()
    conn.close()
    whole = path.read_bytes()
    damaged = whole[: (page - 1) * 4096] + bytes(4096) + whole[page * 4096 :]
    path.write_bytes(damaged)
    return damaged


def lose_index_entries(path: Path) -> None:
    """Delete audit rows while their index (audit_report) is hidden from SQLite, so the index keeps
    entries for rows that are gone: every page sound (quick_check ok), the index wrong
    (integrity_check says so). As a bug in SQLite or a half-applied edit by another tool could."""
    index_sql = "CREATE INDEX audit_report ON audit(report_id)"
    conn = sqlite3.connect(path, isolation_level=None)
    assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] > 1, "precondition: audit rows to lose"
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'audit_report'", [index_sql + " WHERE 0"])
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)  # the schema is read again: the index is now partial
    conn.execute("DELETE FROM audit WHERE rowid = (SELECT max(rowid) FROM audit)")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'audit_report'", [index_sql])
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder`` with its bytes (None for a folder)."""
    return {str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.rglob("*"))}


def put(packets: SimpleNamespace, folder: Path, *names: str, prefix: str = "") -> list[Path]:
    """The named packets (``packets.raw[name]``) written as files ``<prefix><name>.sctg`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{prefix}{name}.sctg"
        path.write_bytes(packets.raw[name])
        paths.append(path)
    return paths


def read_figures(stdout: str) -> dict[str, float]:
    """The benchmark's last line, ``FIGURES a=1 b=2.5 c=skipped``, as numbers (skipped: NaN); AssertionError if not."""
    last = stdout.strip().splitlines()[-1]
    head, *pairs = last.split(" ")
    assert head == "FIGURES" and pairs, last
    figures = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        assert name.isidentifier() and name == name.lower(), pair
        figures[name] = float("nan") if value == "skipped" else float(value)
    return figures


VILLAGE_SHEET = "xl/worksheets/sheet2.xml"  # “Theo bản” in a commune's bieu.xlsx


def with_cells(xlsx: bytes, cells: dict[str, int | str], part: str = VILLAGE_SHEET) -> bytes:
    """bieu.xlsx with these cells of one sheet holding other values (a number or a text), each
    keeping its style, zipped again: for a test that changes so-lieu.json and keeps the printed
    form saying the same (exports/packets/sheet_check.py compares them)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    text = entries[part].decode("utf-8")
    for at, value in cells.items():
        if isinstance(value, int):
            body = f'"n"><v>{value}</v></c>'
        else:
            body = f'"inlineStr"><is><t>{value}</t></is></c>'
        text, found = re.subn(rf'(<c r="{at}"(?: s="[0-9]+")?) t=[^>]*?(?:/>|>.*?</c>)', rf"\g<1> t={body}", text)
        assert found == 1, at
    entries[part] = text.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def documented_figures(script: str) -> set[str]:
    """The names the script's docstring says its FIGURES line holds (counts in them as N)."""
    text = (ROOT / "benchmarks" / script).read_text(encoding="utf-8").split('"""')[1]
    line = " ".join(text.split("FIGURES ", 1)[1].split("\n\n", 1)[0].split())
    return {re.sub("[0-9]+", "N", part.split("=")[0]) for part in line.split() if "=" in part}


def as_documented(figures) -> set[str]:
    """Printed figure names as a docstring writes them: print_merged_300_s (quick) and _3321_ both _N_."""
    return {re.sub("[0-9]+", "N", name) for name in figures}


def stored(db_path: Path, indicator: str, village: str, report=("03445", "kl224", "2025")):
    """The value a cell holds in the database file, read in a connection of its own (what was committed):
    by default a village of the commune demo's 2025 report, the one its window opens on."""
    gw = Gateway.open(db_path)
    try:
        return gw.values(gw.find_report(*report)).get((indicator, village))
    finally:
        gw.close()


def province_kl224(version: int = 2, **changed):
    """kl224 as the province (unit 12) issues it: version 1's rows and one more, 6.4 “Bản có cụm loa hoạt
    động” (yes/no, per village) with its rule, its own number; ``changed`` sets any top field (title=...)."""
    from forms.definition_data import form_data
    from forms.library import default_library
    from forms.loader import form_from_data

    data = form_data(default_library().get("kl224", 1))
    data.update(version=version, publisher="12", **changed)
    data["indicators"].append(
        {"id": "ban_co_loa", "code": "6.4", "section": "6", "label": "Bản có cụm loa hoạt động",
         "unit": "bản", "kind": "yesno", "grain": "village", "denominator": "so_ban"}
    )  # fmt: skip
    data["rules"].append(
        {"id": "loa_khong_qua_ban", "left": "ban_co_loa", "op": "<=", "right": "so_ban",
         "severity": "error", "message": "Số bản có cụm loa không thể lớn hơn số bản."}
    )  # fmt: skip
    return form_from_data(data, "tinh")
