"""“Kỳ mới”: the reporting period of a new report, chosen from lists rather
than typed as a code.

The kinds offered are those the open form allows (FormDef.period_kinds); the
year or years come from spin boxes; the period's code (what the database, the
packets and the CLI carry) is shown small under the choice. A period the unit
already has a report for is refused here, in the dialog, which stays open;
the window's new_period(code) creates the report once the dialog is accepted.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from models.errors import BadInput
from models.periods import Period, parse_period
from models.vocabulary import PeriodKind
from ui.carried_look import carry_box, has_earlier
from ui.widgets import ERROR_STYLE, message_label, say

FIRST_YEAR, LAST_YEAR = 1945, 2100  # the years models/periods.py accepts
PHASE_YEARS = 5  # a phase is usually five years: 2021-2025, 2026-2030

# (the kind, the words in the list, the code from the year(s)), in the order listed.
CHOICES: tuple[tuple[PeriodKind, str, str], ...] = (
    (PeriodKind.YEAR, "Năm", "{year}"),
    (PeriodKind.HALF_YEAR, "6 tháng đầu năm", "{year}-H1"),
    (PeriodKind.HALF_YEAR, "6 tháng cuối năm", "{year}-H2"),
    (PeriodKind.QUARTER, "Quý I", "{year}-Q1"),
    (PeriodKind.QUARTER, "Quý II", "{year}-Q2"),
    (PeriodKind.QUARTER, "Quý III", "{year}-Q3"),
    (PeriodKind.QUARTER, "Quý IV", "{year}-Q4"),
    (PeriodKind.PHASE, "Giai đoạn nhiều năm", "{year}-{last}"),
)


class PeriodDialog(QDialog):
    """Choose a period of one of ``kinds`` (PeriodKind values) not among ``existing`` (period codes)."""

    def __init__(self, kinds, existing, this_year: int, about: str = "", parent=None, carried=()):
        super().__init__(parent)
        self.existing = set(existing)
        # The labels of the form's carry-forward indicators: the box to start from the last period's values.
        self.carry_box = carry_box(carried)
        self.setWindowTitle(self.tr("Kỳ báo cáo mới"))
        self.kind_box = QComboBox()
        for kind, words, pattern in CHOICES:
            if kind in kinds:
                self.kind_box.addItem(self.tr(words), pattern)
        self.year_box = self._year_box(this_year)
        self.last_box = self._year_box(this_year + PHASE_YEARS - 1)
        self.year_label = QLabel()
        self.last_label = QLabel(self.tr("đến năm"))
        self.code_label = QLabel()
        self.code_label.setStyleSheet("color: #555; font-size: 9pt;")
        self.error_label = message_label(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setText(self.tr("Tạo kỳ"))
        self.cancel_button.setText(self.tr("Hủy"))

        years = QHBoxLayout()
        years.addWidget(self.year_box)
        years.addWidget(self.last_label)
        years.addWidget(self.last_box)
        years.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Loại kỳ:"), self.kind_box)
        form.addRow(self.year_label, years)
        form.addRow("", self.code_label)
        column = QVBoxLayout(self)
        if about:
            heading = QLabel(about)
            heading.setWordWrap(True)
            column.addWidget(heading)
        column.addLayout(form)
        column.addWidget(self.carry_box)
        column.addWidget(self.error_label)
        column.addStretch(1)
        column.addWidget(self.buttons)
        self.setMinimumWidth(420)

        self.kind_box.currentIndexChanged.connect(self._changed)
        self.year_box.valueChanged.connect(self._year_changed)
        self.last_box.valueChanged.connect(self._changed)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        while self.period() is not None and self.period().code in self.existing and self.year_box.value() < LAST_YEAR:
            self.year_box.setValue(self.year_box.value() + 1)  # open on the first year not yet reported
        self._changed()

    def _year_box(self, year: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(FIRST_YEAR, LAST_YEAR)
        box.setGroupSeparatorShown(False)  # 2025, not 2.025
        box.setValue(min(max(year, FIRST_YEAR), LAST_YEAR))
        return box

    # ---- the choice --------------------------------------------------------------------------

    def is_phase(self) -> bool:
        return "{last}" in (self.kind_box.currentData() or "")

    def code(self) -> str:
        """The chosen period's code: 2025, 2025-H1, 2025-Q3, 2021-2025."""
        pattern = self.kind_box.currentData() or ""
        return pattern.format(year=self.year_box.value(), last=self.last_box.value())

    def period(self) -> Period | None:
        """The chosen period, or None when the choice is not one (a phase ending before it starts)."""
        try:
            return parse_period(self.code())
        except BadInput:
            return None

    def select(self, code: str) -> None:
        """Show ``code`` as the choice (a test, or a default)."""
        period = parse_period(code)
        first, last = period.starts.year, period.ends.year
        for index in range(self.kind_box.count()):
            if self.kind_box.itemData(index).format(year=first, last=last) == period.code:
                self.kind_box.setCurrentIndex(index)
        self.year_box.setValue(first)
        self.last_box.setValue(last)

    def _year_changed(self) -> None:
        if self.is_phase() and self.last_box.value() <= self.year_box.value():
            self.last_box.setValue(min(self.year_box.value() + PHASE_YEARS - 1, LAST_YEAR))
        self._changed()

    def _changed(self) -> None:
        phase = self.is_phase()
        self.year_label.setText(self.tr("Từ năm:") if phase else self.tr("Năm:"))
        self.last_label.setVisible(phase)
        self.last_box.setVisible(phase)
        period = self.period()
        self.code_label.setText(self.tr("mã kỳ: %1").replace("%1", period.code) if period else "")
        say(self.error_label, self.problem() or "")
        self.ok_button.setEnabled(period is not None)
        self.carry_box.setVisible(
            bool(self.carry_box.text()) and period is not None and has_earlier(self.existing, period)
        )

    def problem(self) -> str | None:
        """Why the choice cannot be created, in Vietnamese; None when it can."""
        if self.kind_box.count() == 0:
            return self.tr("Biểu này không có loại kỳ báo cáo nào.")
        period = self.period()
        if period is None:
            return self.tr("Năm cuối của giai đoạn phải sau năm đầu.")
        if period.code in self.existing:
            return self.tr("Đã có báo cáo %1; chọn kỳ khác, hoặc mở kỳ đó trong danh sách Kỳ.").replace(
                "%1", period.in_sentence
            )
        return None

    def carry_wanted(self) -> bool:
        """Whether the new report starts from the last period's values (the box shown and ticked)."""
        return self.carry_box.isVisibleTo(self) and self.carry_box.isChecked()

    def try_accept(self) -> bool:
        """“Tạo kỳ”: closes with the choice, or says why not and stays open."""
        problem = self.problem()
        if problem:
            say(self.error_label, problem)
            return False
        self.accept()
        return True
