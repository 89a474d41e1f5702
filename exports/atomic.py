"""Writing a file so that a power cut or a pulled USB stick leaves either the
old file or the whole new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from models.durable import sync_folder
from models.errors import BadInput, os_error_words


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write to a temporary file beside ``path``, flush it to the disk, then rename it over."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"Thư mục “{folder}” không tồn tại.")
    if path.is_dir():
        raise BadInput(f"“{path}” là một thư mục; hãy cho tên tệp.")
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        if os.name == "posix":
            os.fchmod(fd, 0o644)  # mkstemp makes it private; a packet or key file is meant to be handed on
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        sync_folder(folder)
    except OSError as exc:
        raise BadInput(f"Không ghi được tệp “{path}” ({os_error_words(exc)}); không có tệp nào bị ghi dở.") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def output_path(out: str | Path, default_name: str) -> Path:
    """The file to write for an ``--out`` that names a file or a folder.

    A name ending in a slash means a folder even when it does not exist, so
    that a mistyped folder is refused rather than becoming a file of that name.
    """
    text = str(out)
    path = Path(text)
    if path.is_dir():
        return path / default_name
    if text.endswith(("/", "\\")):
        raise BadInput(f"Thư mục “{text}” không tồn tại.")
    return path
