"""target_sets: the target sets a level sets for itself (models/target_store.py), one row per version
of a set, each version whole: its targets, the source document's number and date, the day it applies
from, who stored it. A set is (form_id, owner, set_id); its versions are numbered from 1."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from forms import vnformat
from forms.schema import Target
from models.clock import now

if TYPE_CHECKING:
    from models.gateway import Gateway


@dataclass(frozen=True)
class StoredTargetSet:
    """One version of a set kept here; its targets as plain rows {indicator, op, percent | count}."""

    form_id: str
    owner: str
    set_id: str
    version: int
    tier: str
    name: str
    source_number: str
    source_date: dt.date
    starts: dt.date
    targets: tuple[dict, ...]
    stored_at: str = ""
    stored_by: str = ""

    @property
    def source(self) -> str:
        """The source document as printed: “Kế hoạch số 67-KH/ThU ngày 10/02/2022”."""
        return f"{self.source_number} ngày {vnformat.date(self.source_date)}"

    def schema_targets(self) -> tuple[Target, ...]:
        """Its targets as the engine reads them, numbered with this version."""
        return tuple(
            Target(
                indicator=t["indicator"],
                op=t["op"],
                percent=Decimal(t["percent"]) if t.get("percent") is not None else None,
                count=t.get("count"),
                version=self.version,
            )
            for t in self.targets
        )

    def same_content(self, other: StoredTargetSet) -> bool:
        fields = ("name", "source_number", "source_date", "starts", "targets")
        return all(getattr(self, f) == getattr(other, f) for f in fields)

    def to_dict(self) -> dict:
        return {
            "form": self.form_id,
            "owner": self.owner,
            "id": self.set_id,
            "version": self.version,
            "tier": self.tier,
            "name": self.name,
            "source": self.source,
            "source_number": self.source_number,
            "source_date": self.source_date.isoformat(),
            "from": self.starts.isoformat(),
            "targets": [dict(t) for t in self.targets],
            "stored_at": self.stored_at,
            "stored_by": self.stored_by,
        }


class TargetSets:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def add(self, stored: StoredTargetSet, who: str) -> StoredTargetSet:
        """Keep one version (checked by the caller), in one transaction."""
        with self.gw.transaction():
            self.gw.db["target_sets"].insert(
                {
                    "form_id": stored.form_id,
                    "owner": stored.owner,
                    "set_id": stored.set_id,
                    "version": stored.version,
                    "tier": stored.tier,
                    "name": stored.name,
                    "source_number": stored.source_number,
                    "source_date": stored.source_date.isoformat(),
                    "starts": stored.starts.isoformat(),
                    "targets": json.dumps(list(stored.targets), ensure_ascii=False),
                    "stored_at": now(),
                    "stored_by": who,
                }
            )
        return self.versions(stored.form_id, stored.owner, stored.set_id)[-1]

    def versions(self, form_id: str, owner: str, set_id: str) -> list[StoredTargetSet]:
        rows = self.gw.db.execute(
            "SELECT * FROM target_sets WHERE form_id = ? AND owner = ? AND set_id = ? ORDER BY version",
            [form_id, owner, set_id],
        )
        return [_stored(row) for row in rows]

    def all(self, form_id: str | None = None) -> list[StoredTargetSet]:
        """Every version of every set, by form, owner, set and version."""
        sql = "SELECT * FROM target_sets"
        params: list = []
        if form_id is not None:
            sql, params = sql + " WHERE form_id = ?", [form_id]
        rows = self.gw.db.execute(sql + " ORDER BY form_id, owner, set_id, version", params)
        return [_stored(row) for row in rows]

    def fingerprint(self) -> tuple[int, str]:
        """Changes whenever a version is stored: what a cached library of this database compares."""
        row = self.gw.db.execute("SELECT count(*), coalesce(max(stored_at), '') FROM target_sets").fetchone()
        return (row[0], row[1])


def _stored(row) -> StoredTargetSet:
    form_id, owner, set_id, version, tier, name, number, source_date, starts, targets, stored_at, who = tuple(row)
    return StoredTargetSet(
        form_id,
        owner,
        set_id,
        version,
        tier,
        name,
        number,
        dt.date.fromisoformat(source_date),
        dt.date.fromisoformat(starts),
        tuple(json.loads(targets)),
        stored_at,
        who,
    )
