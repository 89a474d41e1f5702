"""Trust the key of a unit below, from its key file (.sctk).

The dialog itself is shared with the commune's window (ui/key_enrolment.py):
the key code large, read back over the phone, a warning when another key of
that unit is already on file. Here, packets that were waiting for the key
are filed at once and the dialog says what became of them.
"""

from __future__ import annotations

from pathlib import Path

from exports.collect.inbox import enrol_and_refile
from exports.collect.trust import Enrolled
from exports.packets.enrolment import Enrolment
from forms.library import FormLibrary
from models.gateway import Gateway
from ui.key_enrolment import KeyEnrolmentDialog


class EnrolDialog(KeyEnrolmentDialog):
    TITLE = "Đăng ký khóa của đơn vị cấp dưới"
    HEADING = "Đăng ký khóa ký của đơn vị cấp dưới"

    def __init__(self, gw: Gateway, library: FormLibrary, who: str, path: str | Path | None = None, parent=None):
        self.library = library
        self.refiled: list[tuple[int, str, str]] = []
        super().__init__(gw, who, path, parent)

    def enrol_file(self, enrolment: Enrolment) -> tuple[Enrolled, list[str]]:
        enrolled, self.refiled = enrol_and_refile(self.gw, enrolment, self.library, self.who)
        lines = [
            self.tr("Gói số %1 đang chờ khóa: %2. %3")
            .replace("%1", str(packet_id))
            .replace("%2", status.words)
            .replace("%3", note)
            for packet_id, status, note in self.refiled
        ]
        return enrolled, lines or [self.tr("Không có gói nào đang chờ khóa này.")]

    def refiled_lines(self) -> list[str]:
        return self.result_lines()
