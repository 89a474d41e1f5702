"""The program's vocabularies: every status and kind a packet, a receipt or
a report can have, each with the Vietnamese words an officer reads beside it.

The values are what the database, the packet files and ``--json`` carry
(they never change); ``.words`` is what the screen and the paper say. A
member is a ``str``, so it compares, hashes and serialises as its value.
"""

from __future__ import annotations

from enum import StrEnum


class Worded(StrEnum):
    """A StrEnum whose members are written ``NAME = "value", "lời tiếng Việt"``."""

    words: str

    def __new__(cls, value: str, words: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.words = words
        return member


class Tier(Worded):
    """The level of the reporting chain a unit sits at, whatever its kind and the depth above it;
    in order from the top."""

    CENTRAL = "tw", "cấp trung ương"
    PROVINCE = "tinh", "cấp tỉnh"
    DISTRICT = "huyen", "cấp huyện"
    COMMUNE = "xa", "cấp xã"
    VILLAGE = "thon", "cấp thôn, bản"


# The levels that collect packets from the units below.
COLLECTING_TIERS = (Tier.CENTRAL, Tier.PROVINCE, Tier.DISTRICT)


class PeriodKind(Worded):
    """The kinds of reporting period (models/periods.py reads their codes)."""

    YEAR = "nam", "năm"
    HALF_YEAR = "6thang", "6 tháng"
    QUARTER = "quy", "quý"
    PHASE = "giaidoan", "giai đoạn"


class PacketStatus(Worded):
    """Where a received packet stands in the upper level's inbox (models/tables/inbox.py moves it)."""

    ACCEPTED = "accepted", "đã nhận"
    SUPERSEDED = "superseded", "đã có bản mới hơn"
    STALE = "stale", "bản cũ, không nhận"
    CONFLICT = "conflict", "trùng lần gửi, khác nội dung"
    QUARANTINED = "quarantined", "chờ đăng ký khóa"
    REJECTED = "rejected", "không hợp lệ"
    RETURNED = "returned", "đã trả lại, chờ bản sửa"
    FLAWED = "flawed", "số liệu có lỗi, chưa cộng"
    HELD = "held", "chờ cán bộ xác nhận"
    WAITING = "waiting", "chờ đủ điều kiện để nhận"
    VOIDED = "voided", "đã hủy"


# The statuses of a packet whose signer was trusted when it was filed: the
# ones a newer packet of the same report is filed against.
FILED_TRUSTED = (
    PacketStatus.ACCEPTED,
    PacketStatus.SUPERSEDED,
    PacketStatus.CONFLICT,
    PacketStatus.RETURNED,
    PacketStatus.FLAWED,
)
# Waiting for the officer: a decision between two packets, figures with errors,
# a packet held for a check, or a key to enrol.
AWAITING_OFFICER = (PacketStatus.CONFLICT, PacketStatus.FLAWED, PacketStatus.HELD, PacketStatus.QUARANTINED)
# The packets the officer may decide on (inbox decide): keep one of a conflict,
# count figures with errors, confirm a held packet, take back an older sequence.
DECIDABLE = (PacketStatus.CONFLICT, PacketStatus.FLAWED, PacketStatus.HELD, PacketStatus.STALE)
# The packets a receipt or a return can answer.
ANSWERABLE = (PacketStatus.ACCEPTED, PacketStatus.RETURNED, PacketStatus.FLAWED)

# What happened to one file of an import: a status it was filed with, or one
# of two outcomes that file nothing.
ImportOutcome = Worded(
    "ImportOutcome",
    [
        *((status.name, (status.value, status.words)) for status in PacketStatus),
        ("UNCHANGED", ("unchanged", "đã nhận từ trước")),
        ("NOT_PACKET", ("not_packet", "không phải gói")),
    ],
    module=__name__,
)
# The outcomes the officer must look at again: nothing of the file was used.
BAD_OUTCOMES = (ImportOutcome.REJECTED, ImportOutcome.NOT_PACKET)


class VerifyStatus(Worded):
    """A packet checked offline (exports/packets/verify.py); the exit code of ``packet verify`` beside it."""

    VALID = "hop_le", "hợp lệ"
    UNTRUSTED = "chua_tin_cay", "chưa tin cậy"
    INVALID = "khong_hop_le", "không hợp lệ"
    UNREADABLE = "khong_doc_duoc", "không đọc được"

    @property
    def exit_code(self) -> int:
        return {"hop_le": 0, "khong_hop_le": 1, "khong_doc_duoc": 2, "chua_tin_cay": 3}[self.value]


class ReceiptKind(Worded):
    """The upper level's signed answer to a packet."""

    RECEIPT = "bien_nhan", "biên nhận"
    RETURN = "tra_lai", "trả lại, yêu cầu sửa"

    @property
    def file_word(self) -> str:
        """“bien-nhan”, “tra-lai”: ASCII, for the file's name."""
        return self.value.replace("_", "-")


class FormOrigin(Worded):
    """How a form version not shipped with the program came to this database (models/tables/forms.py)."""

    AUTHORED = "soan_tai_day", "soạn tại đơn vị (nhập từ tệp Excel)"
    RECEIVED = "cap_tren_gui", "cấp trên ban hành và gửi xuống"


class AnswerState(Worded):
    """Where a commune's report stands with the upper level (exports/packets/answers.py)."""

    NOT_SENT = "chua_xuat", "chưa ký và xuất gói"
    AWAITING = "cho_bien_nhan", "chờ biên nhận"
    RECEIVED = "da_nhan", "cấp trên đã nhận"
    RETURNED = "tra_lai", "cấp trên trả lại, chờ sửa"


class CollectionState(Worded):
    """One unit's standing for one form in a collection (exports/collect/completeness.py)."""

    RECEIVED = "da_nhan", "đã nhận"
    LATE = "nop_tre", "nộp trễ"
    CONFLICT = "trung", "trùng, chờ quyết định"
    FLAWED = "co_loi", "số liệu có lỗi, chưa cộng"
    HELD = "cho_xac_nhan", "chờ cán bộ xác nhận"
    RETURNED = "tra_lai", "đã trả lại, chờ bản sửa"
    AWAITING_KEY = "cho_khoa", "chờ đăng ký khóa"
    WAITING = "cho_dieu_kien", "chờ mở kỳ hoặc cập nhật biểu"
    UNUSABLE = "khong_hop_le", "gói không dùng được"
    NOT_SENT = "chua_gui", "chưa gửi"
    OVERDUE = "qua_han", "quá hạn, chưa gửi"


class DoubleEntryState(Worded):
    """Where a report typed twice stands (models/double_entry.py); no row: typed once."""

    REQUIRED = "chua_nhap_lan_hai", "biểu yêu cầu nhập hai lần, chưa nhập lần hai"
    SECOND_PASS = "dang_nhap_lan_hai", "đang nhập lần hai"
    COMPARING = "dang_doi_chieu", "đang đối chiếu hai lần nhập"
    DONE = "da_doi_chieu", "đã nhập hai lần và đối chiếu"


class DoubleEntryChoice(Worded):
    """What was kept for a cell where the two passes differ."""

    FIRST = "lan_1", "giữ lần 1"
    SECOND = "lan_2", "giữ lần 2"
    OTHER = "so_khac", "nhập số khác"
