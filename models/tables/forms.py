"""forms: the form versions this database keeps beyond those shipped with the
program, each as its definition data (forms/definition_data.py) with its
fingerprint, where it came from and who stored it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forms.definition_data import data_json, data_sha256
from models.clock import now
from models.errors import BadInput
from models.vocabulary import FormOrigin

if TYPE_CHECKING:
    from models.gateway import Gateway


@dataclass(frozen=True)
class StoredForm:
    form_id: str
    publisher: str
    version: int
    definition: dict
    sha256: str
    origin: str
    stored_at: str
    stored_by: str

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.form_id, self.publisher, self.version)

    def to_dict(self) -> dict:
        return {
            "form": self.form_id,
            "publisher": self.publisher,
            "version": self.version,
            "sha256": self.sha256,
            "origin": self.origin,
            "stored_at": self.stored_at,
            "stored_by": self.stored_by,
        }


class Forms:
    def __init__(self, gw: Gateway):
        self.gw = gw

    def add(self, definition: dict, origin: FormOrigin, who: str) -> tuple[StoredForm, bool]:
        """Keep a form version (its data checked by the caller); (the row, whether it is new). The same
        version again with the same content changes nothing; with other content it is refused."""
        key = (definition["id"], definition.get("publisher", ""), definition["version"])
        sha = data_sha256(definition)
        with self.gw.transaction():
            kept = self.get(*key)
            if kept is not None:
                if kept.sha256 != sha:
                    raise BadInput(
                        f"biểu {key[0]} phiên bản {key[2]} của đơn vị {key[1]} đã có, với nội dung khác: "
                        "hãy đặt số phiên bản mới"
                    )
                return kept, False
            self.gw.db["forms"].insert(
                {
                    "form_id": key[0],
                    "publisher": key[1],
                    "version": key[2],
                    "definition": data_json(definition),
                    "sha256": sha,
                    "origin": str(origin),
                    "stored_at": now(),
                    "stored_by": who,
                }
            )
        return self.get(*key), True

    def get(self, form_id: str, publisher: str, version: int) -> StoredForm | None:
        row = self.gw.db.execute(
            "SELECT * FROM forms WHERE form_id = ? AND publisher = ? AND version = ?", [form_id, publisher, version]
        ).fetchone()
        return _stored(row) if row else None

    def all(self) -> list[StoredForm]:
        rows = self.gw.db.execute("SELECT * FROM forms ORDER BY form_id, publisher, version")
        return [_stored(row) for row in rows]

    def fingerprint(self) -> tuple[int, str]:
        """Changes whenever a form is stored: what a cached library of this database compares."""
        row = self.gw.db.execute("SELECT count(*), coalesce(max(stored_at), '') FROM forms").fetchone()
        return (row[0], row[1])


def _stored(row) -> StoredForm:
    form_id, publisher, version, definition, sha, origin, stored_at, stored_by = tuple(row)
    return StoredForm(form_id, publisher, version, json.loads(definition), sha, origin, stored_at, stored_by)
