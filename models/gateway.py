"""The one object the rest of the program uses to reach the database.

Units, periods, reports, cell values and their audit trail are its own
methods; the other tables are reached through its managers (models/tables/):
``gw.keys``, ``gw.sent``, ``gw.receipts``, ``gw.trust``, ``gw.collections``,
``gw.forms``, ``gw.target_sets``, ``gw.inbox``, ``gw.double_entries``. What it hands back of a report (ReportRef, Edit,
Change) is in models/report_records.py. Nothing outside models/ writes SQL or touches ``gw.db``.

Every write is committed before the method returns; a batch of cell edits
is one transaction, with its audit rows, or nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from models.backups import backup_database
from models.clock import now
from models.database import LaterCheck, open_database, writes_allowed
from models.errors import BadInput, DatabaseError, describe_sqlite_error
from models.packet_store import PacketStore, packet_folder
from models.periods import Period, parse_period
from models.report_lock import refuse_if_locked
from models.report_records import Change, Edit, ReportRef
from models.tables.collections import Collections
from models.tables.double_entries import DoubleEntries
from models.tables.forms import Forms
from models.tables.inbox import Inbox
from models.tables.keys import SigningKeys
from models.tables.publications import Publications
from models.tables.receipts import Receipts
from models.tables.sent import SentPackets
from models.tables.target_sets import TargetSets
from models.tables.trust import TrustedKeys
from models.units import Unit, is_unit_code, nfc, tier_of
from models.vocabulary import Tier


class Gateway:
    def __init__(self, db: Database, path: Path):
        self.db = db
        self.path = path
        self.keys = SigningKeys(self)
        self.sent = SentPackets(self)
        self.receipts = Receipts(self)
        self.trust = TrustedKeys(self)
        self.collections = Collections(self)
        self.forms = Forms(self)
        self.target_sets = TargetSets(self)
        self.inbox = Inbox(self)
        self.publications = Publications(self)
        self.double_entries = DoubleEntries(self)  # a report typed twice (models/double_entry.py)
        self.packet_files = PacketStore(packet_folder(path))

    @classmethod
    def open(
        cls, path: str | Path, create: bool = True, adopt_empty: bool = False, check_later: bool = False
    ) -> Gateway:
        """models.database.open_database: a file of 0 bytes is refused as damaged unless ``adopt_empty``;
        with ``check_later`` the quick check may wait (``later_check``), the file written only after it."""
        return cls(open_database(path, create=create, adopt_empty=adopt_empty, check_later=check_later), Path(path))

    @property
    def later_check(self) -> LaterCheck | None:
        """The quick check left for after the open (models.database.LaterCheck), or None."""
        return getattr(self.db, "later_check", None)

    def writes_allowed(self) -> None:
        """Writes go straight on once the later check has passed."""
        writes_allowed(self.db)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All the writes inside, or none; a failed write says why in Vietnamese.

        BEGIN IMMEDIATE takes the write lock first, waiting out another writer
        (a command run while the window edits): a plain BEGIN that reads, then
        writes after the other has committed, is refused at once, not waited for.
        """
        try:
            if self.db.conn.in_transaction:
                with self.db.atomic():  # nested: a savepoint inside the outer transaction
                    yield
                return
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.packet_files.flush()  # the files its rows name are on the disk before the rows
            except BaseException:
                if self.db.conn.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise DatabaseError(
                f"Không ghi được vào cơ sở dữ liệu “{self.path}” ({describe_sqlite_error(exc)}); chưa có gì thay đổi."
            ) from None

    def is_empty(self) -> bool:
        """No unit yet: a database just made, before setup or the demo."""
        return self.db.execute("SELECT 1 FROM units LIMIT 1").fetchone() is None

    @property
    def changes_made(self) -> int:
        """Rows written through this connection since it opened; a backup is due when it moved."""
        return self.db.conn.total_changes

    @property
    def journal_mode(self) -> str:
        return self.db.execute("PRAGMA journal_mode").fetchone()[0]

    def backup(self) -> Path:
        """A checked backup of the database, taken with SQLite's backup API and kept as chunks
        (models/backups.py); the path of its list."""
        return backup_database(self.db.conn, self.path)

    @property
    def writable(self) -> bool:
        """False for a file that can only be read (read-only medium, locked by another writer)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("ROLLBACK")
            return True
        except sqlite3.Error:
            return False

    # ---- settings -----------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db["settings"].upsert({"key": key, "value": nfc(value)}, pk="key")

    # ---- units ----------------------------------------------------------------

    def add_unit(
        self,
        code: str,
        name: str,
        kind: str,
        parent_code: str | None = None,
        *,
        local_code: str | None = None,
        demo: bool = False,
        who: str = "",
    ) -> Unit:
        if not is_unit_code(code):
            shown = code if len(str(code)) <= 24 else f"{code[:24]}…"
            raise BadInput(f"Mã đơn vị “{shown}” không hợp lệ: chỉ gồm chữ số 0-9, chữ cái không dấu và dấu chấm.")
        if self.unit(code) is not None:
            raise BadInput(f"Mã đơn vị “{code}” đã có.")
        if parent_code is not None and self.unit(parent_code) is None:
            raise BadInput(f"Không có đơn vị cấp trên mã “{parent_code}”.")
        order = self.db.execute(
            "SELECT coalesce(max(sort_order), 0) + 1 FROM units WHERE parent_code IS ?", [parent_code]
        ).fetchone()[0]
        row = {
            "code": code,
            "name": nfc(name),
            "kind": nfc(kind),
            "parent_code": parent_code,
            "local_code": local_code,
            "sort_order": order,
            "active": 1,
            "merged_into": None,
            "demo": int(demo),
        }
        with self.transaction():
            self.db["units"].insert(row)
            self._history(code, "tao", None, row["name"], None, who)
        return Unit.from_row(row)

    def unit(self, code: str) -> Unit | None:
        # Plain SQL: looked up for every packet imported, and sqlite-utils checks the schema on each call.
        cursor = self.db.execute("SELECT * FROM units WHERE code = ?", [code])
        row = cursor.fetchone()
        return Unit.from_row(dict(zip([c[0] for c in cursor.description], row, strict=True))) if row else None

    def unit_names(self) -> dict[str, str]:
        """code -> name of every unit this database knows."""
        return dict(self.db.execute("SELECT code, name FROM units").fetchall())

    def require_unit(self, code: str) -> Unit:
        unit = self.unit(code)
        if unit is None:
            raise BadInput(f"Không có đơn vị mã “{code}” trong cơ sở dữ liệu.")
        return unit

    def children(self, code: str | None, active_only: bool = True) -> list[Unit]:
        where = "parent_code IS ?" + (" AND active = 1" if active_only else "")
        return [Unit.from_row(r) for r in self.db["units"].rows_where(where, [code], order_by="sort_order, code")]

    def subtree(self, code: str | None = None, active_only: bool = True) -> list[tuple[Unit, int]]:
        """Units below ``code`` (or every root), depth first, with their depth; one query."""
        where = "active = 1" if active_only else None
        rows = self.db["units"].rows_where(where, order_by="sort_order, code")
        children: dict[str | None, list[Unit]] = {}
        for unit in map(Unit.from_row, rows):
            children.setdefault(unit.parent_code, []).append(unit)
        found: list[tuple[Unit, int]] = []

        def walk(parent: str | None, depth: int) -> None:
            for child in children.get(parent, []):
                found.append((child, depth))
                walk(child.code, depth + 1)

        if code is None:
            walk(None, 0)
        else:
            found.append((self.require_unit(code), 0))
            walk(code, 1)
        return found

    def add_villages(self, commune_code: str, names: list[str], kind: str, who: str) -> list[Unit]:
        """Add villages under a commune, numbered after the last one; all or none.

        Names are compared in NFC and without regard to case, so “Bản Nà Hừ”
        typed with a decomposed keyboard is the same as the one already there.
        """
        commune = self.require_unit(commune_code)
        wanted = [nfc(n) for n in names if n.strip()]
        taken = {v.name.casefold(): v.name for v in self.villages_of(commune.code, active_only=False)}
        seen: dict[str, str] = {}
        repeated = []
        for name in wanted:
            earlier = taken.get(name.casefold()) or seen.get(name.casefold())
            if earlier:
                repeated.append(name if name == earlier else f"{name} (trùng “{earlier}”)")
            seen[name.casefold()] = name
        if repeated:
            raise BadInput(f"Tên đã có trong {commune.name}: {', '.join(repeated)}.")
        if not wanted:
            raise BadInput(f"Chưa có tên {kind} nào.")
        local_codes = [v.local_code or "" for v in self.villages_of(commune.code, False)]
        numbers = [int(local) for local in local_codes if local.isascii() and local.isdigit()]  # not ０５ or ٥
        first = max(numbers, default=0) + 1
        added = []
        with self.transaction():
            for offset, name in enumerate(wanted):
                local = f"{first + offset:02d}"
                added.append(
                    self.add_unit(f"{commune.code}.{local}", name, kind, commune.code, local_code=local, who=who)
                )
        return added

    def villages_of(self, commune_code: str, active_only: bool = True) -> list[Unit]:
        return [u for u in self.children(commune_code, active_only) if u.tier == Tier.VILLAGE]

    def rename_unit(self, code: str, name: str, who: str) -> Unit:
        unit = self.require_unit(code)
        new_name = nfc(name)
        if not new_name:
            raise BadInput("Tên mới không được để trống.")
        if new_name == unit.name:
            return unit
        siblings = [u for u in self.children(unit.parent_code, active_only=False) if u.code != code]
        clash = next((u for u in siblings if u.name.casefold() == new_name.casefold()), None)
        if clash is not None:
            raise BadInput(f"Đã có “{clash.name}” cùng cấp; hãy chọn tên khác.")
        with self.transaction():
            self.db["units"].update(code, {"name": new_name})
            self._history(code, "doi_ten", unit.name, new_name, None, who)
        return self.require_unit(code)

    def retire_unit(self, code: str, who: str, merged_into: str | None = None) -> Unit:
        """Stop listing a unit for new periods; its past values stay where they are."""
        unit = self.require_unit(code)
        if not unit.active:
            raise BadInput(f"“{unit.name}” đã ngừng theo dõi từ trước.")
        if merged_into is not None:
            target = self.require_unit(merged_into)
            if target.parent_code != unit.parent_code or target.code == unit.code:
                raise BadInput("Chỉ gộp được hai đơn vị khác nhau cùng một cấp trên.")
            if not target.active:
                raise BadInput(f"Không gộp vào “{target.name}” vì đơn vị đó đã ngừng theo dõi.")
        with self.transaction():
            self.db["units"].update(code, {"active": 0, "merged_into": merged_into})
            self._history(code, "gop" if merged_into else "ngung", unit.name, None, merged_into, who)
        return self.require_unit(code)

    def _history(self, code, event, old_name, new_name, other_code, who) -> None:
        self.db["unit_history"].insert(
            {
                "unit_code": code,
                "event": event,
                "old_name": old_name,
                "new_name": new_name,
                "other_code": other_code,
                "at": now(),
                "who": who,
            }
        )

    # ---- periods and reports ----------------------------------------------------

    def period(self, code: str) -> Period:
        """The period of a code; reading never writes (the row comes with a report)."""
        return parse_period(code)

    def find_report(self, unit_code: str, form_id: str, period_code: str) -> ReportRef | None:
        rows = list(
            self.db["reports"].rows_where(
                "unit_code = ? AND form_id = ? AND period_code = ?", [unit_code, form_id, period_code]
            )
        )
        return _report_ref(rows[0]) if rows else None

    def ensure_report(
        self, unit_code: str, form_id: str, form_version: int, period_code: str, form_publisher: str = ""
    ) -> ReportRef:
        self.require_unit(unit_code)
        period = parse_period(period_code)
        found = self.find_report(unit_code, form_id, period.code)
        if found is not None:
            return found
        stamp = now()
        with self.transaction():
            self.db["periods"].insert(
                {
                    "code": period.code,
                    "kind": period.kind,
                    "label": period.label,
                    "starts": period.starts.isoformat(),
                    "ends": period.ends.isoformat(),
                },
                pk="code",
                ignore=True,
            )
            self.db["reports"].insert(
                {
                    "unit_code": unit_code,
                    "form_id": form_id,
                    "form_version": form_version,
                    "form_publisher": form_publisher,
                    "period_code": period.code,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        return self.find_report(unit_code, form_id, period.code)

    def reports(self, unit_code: str | None = None) -> list[ReportRef]:
        where, args = ("unit_code = ?", [unit_code]) if unit_code else (None, [])
        rows = self.db["reports"].rows_where(where, args, order_by="unit_code, form_id, period_code")
        return [_report_ref(r) for r in rows]

    def report_villages(self, report: ReportRef) -> list[Unit]:
        """The commune's villages today, plus retired ones that hold values in this report."""
        with_values = {
            r[0] for r in self.db.execute("SELECT DISTINCT unit_code FROM cell_values WHERE report_id = ?", [report.id])
        }
        return [u for u in self.villages_of(report.unit_code, active_only=False) if u.active or u.code in with_values]

    # ---- cell values ---------------------------------------------------------------

    def values(self, report: ReportRef) -> dict[tuple[str, str], int | str]:
        rows = self.db.execute("SELECT indicator, unit_code, value FROM cell_values WHERE report_id = ?", [report.id])
        return {(ind, unit): value for ind, unit, value in rows}

    def set_values(self, report: ReportRef, edits: list[Edit], who: str) -> list[Change]:
        """Write the edits and their audit rows in one transaction; unchanged cells are skipped (but an
        edited cell carried from the last period is confirmed, models/carry_forward.py).
        A report the upper level has received is refused whole (``models.report_lock.ReportLocked``)."""
        stamp = now()
        changes: list[Change] = []
        with self.transaction():
            refuse_if_locked(self, report)  # inside the write lock: a receipt filed meanwhile counts
            for edit in edits:
                key = [report.id, edit.indicator, edit.unit_code]
                row = self.db.execute(
                    "SELECT value FROM cell_values WHERE report_id = ? AND indicator = ? AND unit_code = ?", key
                ).fetchone()
                old = row[0] if row else None
                # Typed over, even with the same figure: a value carried from the last period is confirmed.
                self.db.execute(
                    "UPDATE carried_cells SET confirmed_at = ?, confirmed_by = ? "
                    "WHERE report_id = ? AND indicator = ? AND unit_code = ? AND confirmed_at IS NULL",
                    [stamp, who, *key],
                )
                if old == edit.value:
                    continue
                if edit.value is None:
                    self.db.execute(
                        "DELETE FROM cell_values WHERE report_id = ? AND indicator = ? AND unit_code = ?", key
                    )
                else:
                    self.db.execute(
                        "INSERT INTO cell_values (report_id, indicator, unit_code, value, updated_at, updated_by) "
                        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report_id, indicator, unit_code) "
                        "DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, "
                        "updated_by = excluded.updated_by",
                        [*key, edit.value, stamp, who],
                    )
                self.db.execute(
                    "INSERT INTO audit (report_id, indicator, unit_code, old_value, new_value, at, who) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [*key, old, edit.value, stamp, who],
                )
                changes.append(Change(report.id, edit.indicator, edit.unit_code, old, edit.value))
            if changes:
                self.db.execute("UPDATE reports SET updated_at = ? WHERE id = ?", [stamp, report.id])
        return changes

    # ---- written reasons for warnings --------------------------------------------------

    def set_reason(self, report: ReportRef, rule: str, indicator: str, unit_code: str, reason: str, who: str) -> None:
        """Store why a warned figure stands; an empty reason takes it back. Refused for a received report."""
        key = {"report_id": report.id, "rule": rule, "indicator": indicator, "unit_code": unit_code}
        text = nfc(reason)
        with self.transaction():
            refuse_if_locked(self, report)
            self.db.execute(
                "DELETE FROM warning_reasons WHERE report_id = ? AND rule = ? AND indicator = ? AND unit_code = ?",
                list(key.values()),
            )
            if text:
                self.db["warning_reasons"].insert({**key, "reason": text, "at": now(), "who": who})

    def reasons(self, report: ReportRef) -> dict[tuple[str, str, str], str]:
        """(rule, indicator, unit code) -> the written reason."""
        rows = self.db.execute(
            "SELECT rule, indicator, unit_code, reason FROM warning_reasons WHERE report_id = ?", [report.id]
        )
        return {(rule, ind, unit): reason for rule, ind, unit, reason in rows}

    def audit_trail(self, report: ReportRef) -> list[dict]:
        return list(self.db["audit"].rows_where("report_id = ?", [report.id], order_by="id"))


def _report_ref(row: dict) -> ReportRef:
    return ReportRef(
        row["id"], row["unit_code"], row["form_id"], row["form_version"], row["period_code"], row["form_publisher"]
    )


__all__ = ["Gateway", "ReportRef", "Edit", "Change", "tier_of"]
