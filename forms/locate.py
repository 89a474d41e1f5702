"""Line numbers for the fields of a TOML file.

tomllib gives values, not positions. A form definition is written in a plain
shape (array tables and ``key = value`` lines), so one pass over the lines is
enough to know where ``indicators[3].kind`` was written, and the loader can
name the line when it refuses a field.
"""

from __future__ import annotations

import re

Path = tuple  # e.g. ("indicators", 3, "kind") or ("target_sets", 0, "targets", 2)

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def field_lines(text: str) -> dict[Path, int]:
    """Map each table and key path to the (1-based) line it starts on."""
    lines: dict[Path, int] = {}
    counts: dict[Path, int] = {}
    context: Path = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if match := _ARRAY_HEADER.match(line):
            context = _array_context(match.group(1).split("."), context, counts)
            lines.setdefault(context, number)
        elif match := _TABLE_HEADER.match(line):
            context = tuple(match.group(1).split("."))
            lines.setdefault(context, number)
        elif match := _KEY_LINE.match(line):
            lines.setdefault((*context, match.group(1)), number)
    return lines


def _array_context(names: list[str], context: Path, counts: dict[Path, int]) -> Path:
    # [[a.b]] appends to b inside the latest element of a.
    parent: Path = ()
    for name in names[:-1]:
        index = counts.get((*parent, name), 1) - 1
        parent = (*parent, name, index)
    key = (*parent, names[-1])
    counts[key] = counts.get(key, 0) + 1
    return (*key, counts[key] - 1)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of ``path``, or of its nearest enclosing table."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return None


def show_path(path: Path) -> str:
    """("indicators", 3, "kind") -> "indicators[4].kind" (1-based, as people count)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += ("." if text else "") + part
    return text
