"""Trust the upper level's key, from its key file (.sctk): its receipts and
returns are checked against it. The dialog is the one the upper level uses
for the units below (ui/key_enrolment.py); here it takes only the key of the
unit directly above, and says which receipts filed unchecked now count and
which, signed by another key, never will.
"""

from __future__ import annotations

from pathlib import Path

from exports.collect.trust import Enrolled, enrol
from exports.packets.enrolment import Enrolment
from models.gateway import Gateway
from ui.key_enrolment import KeyEnrolmentDialog


class UpperKeyDialog(KeyEnrolmentDialog):
    TITLE = "Đăng ký khóa của cấp trên"
    HEADING = "Đăng ký khóa ký của cấp trên"

    def __init__(self, gw: Gateway, who: str, path: str | Path | None = None, parent=None):
        home = gw.unit(gw.setting("home_unit") or "")
        self.upper = gw.unit(home.parent_code) if home is not None and home.parent_code else None
        super().__init__(gw, who, path, parent)

    def instruction_text(self) -> str:
        return self.tr(
            "Gọi điện thoại cho cán bộ giữ khóa của cấp trên, đọc to từng nhóm bốn chữ số của mã khóa ở trên và "
            "để họ so với mã khóa trên máy của họ. Chỉ đăng ký khi hai bên khớp nhau từng chữ số: mã khác nhau "
            "nghĩa là tệp không phải của cấp trên hoặc đã bị tráo. Biên nhận và trả lại của cấp trên được kiểm tra "
            "bằng khóa này."
        )

    def refusal(self, enrolment: Enrolment) -> str:
        if self.upper is not None and enrolment.unit_code == self.upper.code:
            return ""
        above = self.upper.name if self.upper is not None else self.tr("(máy này chưa có đơn vị cấp trên)")
        return (
            self.tr("Tệp này là khóa của %1 (%2), không phải của cấp trên trực tiếp %3; không đăng ký.")
            .replace("%1", enrolment.unit_name)
            .replace("%2", enrolment.unit_code)
            .replace("%3", above)
        )

    def enrol_file(self, enrolment: Enrolment) -> tuple[Enrolled, list[str]]:
        enrolled = enrol(self.gw, enrolment, self.who)
        lines = []
        if enrolled.receipts_checked:
            lines.append(
                self.tr("%1 biên nhận hoặc trả lại ký bằng khóa này đã được đối chiếu, nay được tính.").replace(
                    "%1", str(enrolled.receipts_checked)
                )
            )
        if enrolled.receipts_set_aside:
            lines.append(
                self.tr(
                    "%1 tệp ghi là biên nhận của %2 nhưng ký bằng khóa khác: không được tính (vẫn giữ lại để tra cứu)."
                )
                .replace("%1", str(enrolled.receipts_set_aside))
                .replace("%2", enrolment.unit_name)
            )
        lines += enrolled.publications  # the forms and notices held for this key, now applied (or why not)
        return enrolled, lines or [self.tr("Không có biên nhận nào đang chờ khóa này.")]
