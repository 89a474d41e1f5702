"""The forms the program knows: every definition file in a folder.

A new plan is a new file in ``forms/definitions/``; several versions of one
form may sit side by side, and a report remembers the version it was made
with.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from forms.loader import FormError, load_form
from forms.schema import FormDef

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


class FormLibrary:
    """Form versions by (id, publisher, number). A version may be given as a function that reads it
    (``kept``: a database's versions), read on first use: a window that starts over thirty kept versions
    reads the one it shows, not all of them."""

    def __init__(self, forms: list[FormDef], kept: dict[tuple[str, str, int], Callable[[], FormDef]] | None = None):
        entries: dict[tuple[str, str, int], FormDef | Callable[[], FormDef]] = {f.key: f for f in forms}
        entries.update(kept or {})
        self._entries = dict(sorted(entries.items()))

    def keys(self) -> list[tuple[str, str, int]]:
        """(id, publisher, number) of every version, in order."""
        return list(self._entries)

    def _read(self, key: tuple[str, str, int]) -> FormDef:
        entry = self._entries[key]
        if not isinstance(entry, FormDef):
            entry = self._entries[key] = entry()
        return entry

    @classmethod
    def from_directory(cls, directory: str | Path = DEFINITIONS_DIR) -> FormLibrary:
        forms = [load_form(path) for path in sorted(Path(directory).glob("*.toml"))]
        seen: dict[tuple[str, str, int], FormDef] = {}
        for form in forms:
            key = form.key
            if key in seen:
                raise FormError(
                    Path(form.path).name,
                    None,
                    "version",
                    f"biểu “{form.id}” phiên bản {form.version} đã có trong {Path(seen[key].path).name}",
                )
            seen[key] = form
        return cls(forms)

    def all(self) -> list[FormDef]:
        """The latest version of every form, a publisher's apart from the program's: a province's kl224
        is listed beside the kl224 shipped with the program."""
        latest: dict[tuple[str, str], tuple[str, str, int]] = {}
        for key in self._entries:
            latest[key[:2]] = key
        return [self._read(key) for key in latest.values()]

    def ids(self) -> list[str]:
        """Each form's id once, whatever its versions and publishers."""
        return list(dict.fromkeys(key[0] for key in self._entries))

    def versions(self) -> list[FormDef]:
        """Every version of every form, by id, publisher and number."""
        return [self._read(key) for key in self._entries]

    def get(self, form_id: str, version: int | None = None, publisher: str = "") -> FormDef | None:
        """The version of ``form_id`` a report or packet names (the latest with ``version`` None); the
        program's own unless ``publisher`` names the unit that issued it."""
        matching = [key for key in self._entries if key[:2] == (form_id, publisher) and version in (None, key[2])]
        return self._read(matching[-1]) if matching else None


def form_summary(form: FormDef) -> dict:
    """What ``forms --json`` lists of a form: id, version, title, source, sizes, its target sets."""
    return {
        "id": form.id,
        "version": form.version,
        "publisher": form.publisher,
        "title": form.title,
        "source": form.source,
        "indicators": len(form.indicators),
        "rows": sum(1 for i in form.indicators if i.is_row),
        "target_sets": [{"id": s.id, "name": s.name, "version": s.version} for s in form.target_sets],
    }


@lru_cache(maxsize=1)
def default_library() -> FormLibrary:
    return FormLibrary.from_directory()
