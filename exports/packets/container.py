"""The packet's zip container: written in one canonical form, read with limits.

Canonical: entries stored uncompressed, in the order written, dated
1980-01-01 00:00, Unix attributes 0644, no comment. The reader compares the
file byte for byte with that form of what it read, so a change anywhere in
the file, even in a zip header no checksum covers, is noticed. A file in
that form (every genuine packet) is read straight from its bytes, each
header compared with the one canonical_zip writes; anything else is read
with zipfile, its limits checked, and compared with canonical_zip's bytes.

Reading is done in memory and bounded before anything is decompressed: a
packet from a USB stick is hostile until proved otherwise.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from forms import vnformat
from models.errors import UserError, os_error_words

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 16
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
END_MAGIC = b"PK\x05\x06"  # the end-of-central-directory record: the last 22 bytes of a packet (no comment)

# What a hostile or damaged zip can make zipfile raise.
_ZIP_FAILURES = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OverflowError,
    OSError,
    struct.error,
    IndexError,
    KeyError,
)


class PacketUnreadable(UserError):
    """Not a packet at all, or a packet this version cannot read: exit 2."""

    exit_code = 2


class PacketInvalid(UserError):
    """A packet, but damaged or altered: exit 1."""

    exit_code = 1


@dataclass(frozen=True)
class Container:
    entries: dict[str, bytes]  # name -> content, in the file's order
    canonical: bool  # the file is byte for byte what canonical_zip writes for these entries


def canonical_zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # zipfile would write 0 on Windows: the same packet must come out everywhere
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# What a file that is not a packet most likely is, by its name: the officer's words, not the format's.
_KINDS = {
    ".doc": "tệp Word",
    ".docx": "tệp Word",
    ".odt": "tệp văn bản",
    ".txt": "tệp văn bản",
    ".xls": "tệp Excel",
    ".xlsx": "tệp Excel",
    ".ods": "tệp bảng tính",
    ".pdf": "tệp PDF",
    ".zip": "tệp nén",
    ".rar": "tệp nén",
    ".7z": "tệp nén",
    ".jpg": "tệp ảnh",
    ".jpeg": "tệp ảnh",
    ".png": "tệp ảnh",
}


def not_a_packet(name: str) -> str:
    """What the officer is told of a file that is no packet: what it seems to be and what to import instead."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".sctg":
        return (
            f"Tệp “{name}” mang đuôi .sctg nhưng không phải gói báo cáo của Sổ Chỉ Tiêu (hỏng hoặc bị đổi tên): "
            "hãy xin đơn vị gửi lại."
        )
    kind = _KINDS.get(suffix)
    guess = f" ({kind}?)" if kind else ""
    return f"Tệp “{name}” không phải gói báo cáo của Sổ Chỉ Tiêu{guess}: chỉ nhập tệp .sctg do cấp dưới gửi lên."


def read_container(path: str | Path) -> Container:
    path = Path(path)
    return container_of(read_packet_file(path), path.name)


def container_of(raw: bytes, name: str) -> Container:
    """The entries of a packet's bytes; ``name`` is the file's, for messages."""
    if not raw.startswith(ZIP_MAGIC):
        raise PacketUnreadable(not_a_packet(name))
    if raw[-22:-18] != END_MAGIC:
        # Cut short, zipfile would search backwards and find the end record of
        # the bieu.xlsx stored inside, and read the form's files as the packet's.
        raise PacketInvalid("Gói bị cắt cụt hoặc có dữ liệu lạ ở cuối tệp (chép chưa hết?); hãy xin gửi lại.")
    entries = _canonical_entries(raw)
    return Container(entries, True) if entries is not None else _read_with_zipfile(raw)


def _read_with_zipfile(raw: bytes) -> Container:
    """Any zip: its listing checked before a byte is expanded, then compared with canonical_zip's bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
            _check_listing(infos)
            entries = {info.filename: _read_entry(archive, info) for info in infos}
    except PacketInvalid:
        raise
    except _ZIP_FAILURES as exc:
        raise PacketInvalid(f"Gói bị hỏng hoặc bị cắt cụt, không đọc được ({_describe(exc)}).") from None
    return Container(entries, canonical_zip(list(entries.items())) == raw)


# The headers canonical_zip has zipfile write (tests/test_packet_container.py holds them to its bytes):
# version 2.0 made on Unix, no flag, stored, 1980-01-01 00:00, no extra field, comment or attributes
# but 0644.
_LOCAL = struct.Struct(zipfile.structFileHeader)
_CENTRAL = struct.Struct(zipfile.structCentralDir)
_END = struct.Struct(zipfile.structEndArchive)
_DOS_DATE = (ZIP_EPOCH[0] - 1980) << 9 | ZIP_EPOCH[1] << 5 | ZIP_EPOCH[2]
_UNIX_0644 = 0o100644 << 16


def _canonical_entries(raw: bytes) -> dict[str, bytes] | None:
    """The entries of a file that is byte for byte canonical_zip's, within _check_listing's limits and
    with every CRC right, read straight from the bytes; None for any other file, which the caller
    reads with zipfile (and which says what is wrong). A genuine packet costs a CRC per entry and
    the comparison of its headers, where zipfile's reading and writing it again took twice as long
    as everything else in its container."""
    entries, layout, total, at = {}, [], 0, 0
    try:
        while raw.startswith(ZIP_MAGIC, at) and len(layout) < MAX_ENTRIES:
            crc, size, length = (_LOCAL.unpack_from(raw, at)[i] for i in (7, 9, 10))
            start = at + _LOCAL.size + length
            encoded = raw[at + _LOCAL.size : start]
            data = raw[start : start + size]
            if not encoded.isascii() or len(data) != size:
                return None
            name = encoded.decode("ascii")
            total += size
            if (
                name in entries
                or not safe_name(name)
                or total > MAX_UNCOMPRESSED_BYTES
                or raw[at:start]
                != _LOCAL.pack(ZIP_MAGIC, 20, 0, 0, 0, 0, _DOS_DATE, crc, size, size, length, 0) + encoded
                or zlib.crc32(data) != crc
            ):
                return None
            entries[name] = data
            layout.append((encoded, crc, size, at))
            at = start + size
    except struct.error:
        return None
    if not layout:
        return None
    central = b"".join(
        _CENTRAL.pack(
            b"PK\x01\x02",
            20,
            3,
            20,
            0,
            0,
            0,
            0,
            _DOS_DATE,
            crc,
            size,
            size,
            len(encoded),
            0,
            0,
            0,
            0,
            _UNIX_0644,
            offset,
        )
        + encoded
        for encoded, crc, size, offset in layout
    )
    end = _END.pack(END_MAGIC, 0, 0, len(layout), len(layout), len(central), at, 0)
    return entries if raw[at:] == central + end else None


def read_packet_file(path: Path) -> bytes:
    """The bytes of a file said to be a packet, refusing a folder or a file too big to be one."""
    return read_within(path, MAX_FILE_BYTES, "tệp gói", "một gói Sổ Chỉ Tiêu")


def read_within(path: Path, limit: int, what: str, one: str) -> bytes:
    """The bytes of a file that should be ``what`` (“tệp gói”), refusing a folder, a missing or unreadable
    file, or one larger than ``limit`` (too big to be ``one``), each with a Vietnamese sentence."""
    try:
        if path.is_dir():
            raise PacketUnreadable(f"“{path}” là một thư mục, không phải {what}.")
        size = path.stat().st_size
        if size > limit:
            raise PacketUnreadable(f"Tệp “{path.name}” quá lớn ({vnformat.number(size // 1024)} KB) để là {one}.")
        return path.read_bytes()
    except FileNotFoundError:
        raise PacketUnreadable(f"Không tìm thấy tệp “{path}”.") from None
    except OSError as exc:
        raise PacketUnreadable(f"Không đọc được tệp “{path}” ({os_error_words(exc)}).") from None


def _check_listing(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse before reading a byte of content: too many entries, too big once
    expanded, names that climb out of the folder, encryption, odd compression."""
    if len(infos) > MAX_ENTRIES:
        raise PacketInvalid(f"Gói có {len(infos)} tệp bên trong, quá nhiều (tối đa {MAX_ENTRIES}); không mở.")
    total = 0
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        if not safe_name(name):
            raise PacketInvalid(
                f"Gói chứa tên tệp không hợp lệ “{name[:80]}” "
                "(thư mục, đường dẫn tuyệt đối hoặc trỏ ra ngoài); không mở."
            )
        if name in seen:
            raise PacketInvalid(f"Gói có hai tệp cùng tên “{name}”; không mở.")
        seen.add(name)
        if info.flag_bits & 0x1:
            raise PacketInvalid(f"Tệp “{name}” trong gói bị mã hóa bằng mật khẩu zip; gói thật không như vậy.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PacketInvalid(f"Tệp “{name}” trong gói nén theo cách lạ; gói thật không như vậy.")
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise PacketInvalid("Gói giải nén ra quá lớn (có thể là “bom zip”); không mở.")


def safe_name(name: str) -> bool:
    """A plain relative file name: no folder climbing, no absolute or drive path, no folders."""
    if not name or len(name) > 200 or name.endswith("/"):
        return False
    if "\\" in name or "\x00" in name or ":" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    return all(part not in ("", ".", "..") for part in parts) and "/".join(parts) == name


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # Never more than the declared size (zipfile stops there; a lie about it fails the CRC check).
    with archive.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise PacketInvalid(f"Tệp “{info.filename}” trong gói dài khác với kích thước ghi ở đầu tệp zip.")
    return data


def _describe(exc: Exception) -> str:
    text = str(exc)
    if "CRC" in text:
        return "sai mã kiểm tra CRC"
    if "not a zip" in text.lower() or "End-of-central-directory" in text:
        return "thiếu phần cuối của tệp zip"
    return exc.__class__.__name__
