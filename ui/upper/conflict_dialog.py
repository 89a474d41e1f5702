"""Two packets (or more) of the same report with the same sequence number but
different contents: shown side by side, one column each, so the officer can
see what differs, phone the commune, and keep one with a written reason."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from exports.collect.decisions import decide_conflict
from exports.collect.merge import packet_figures
from exports.collect.received import ReceivedPacket, conflicting_packets, packet_villages, received_values
from forms import vnformat
from forms.library import FormLibrary
from forms.messages import label_of
from models.errors import UserError
from models.gateway import Gateway
from ui.cell_look import shown
from ui.widgets import ERROR_STYLE, button_row, fit_to_screen, message_label, say, time_of

DIFFERENT = QBrush(QColor("#fce8b2"))
HEADING_STYLE = "font-weight: bold; font-size: 13pt;"


class ConflictDialog(QDialog):
    decided = Signal(int)  # the id of the packet kept

    def __init__(self, gw: Gateway, library: FormLibrary, packet_id: int, who: str, parent=None):
        super().__init__(parent)
        self.gw, self.library, self.who = gw, library, who
        self.packets: list[ReceivedPacket] = conflicting_packets(gw, packet_id)
        self.kept: int | None = None
        self.setWindowTitle(self.tr("Gói trùng lần gửi"))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet(HEADING_STYLE)
        self.explanation = QLabel(
            self.tr(
                "Các gói dưới đây cùng đơn vị, cùng biểu, cùng kỳ và cùng lần gửi nhưng khác nội dung. "
                "Những ô khác nhau được tô màu. Hãy gọi điện cho đơn vị hỏi gói nào đúng, ghi lý do rồi chọn "
                "giữ gói đó; các gói còn lại được để riêng, vẫn lưu kèm lý do."
            )
        )
        self.explanation.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(
            self.tr("Ví dụ: đã gọi điện, xã xác nhận gói gửi lúc 9 giờ ngày 14/3 là bản đúng")
        )
        self.error_label = message_label(ERROR_STYLE)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.keep_buttons: list[QPushButton] = []

        reason = QFormLayout()
        reason.addRow(self.tr("Lý do chọn (bắt buộc):"), self.reason_edit)
        buttons = button_row(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.explanation)
        column.addWidget(self.table, 1)
        column.addLayout(reason)
        column.addWidget(self.error_label)
        column.addLayout(buttons)
        fit_to_screen(self, 980, 720)

        self.close_button.clicked.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update_buttons)
        self._fill()
        self._update_buttons()

    # ---- the comparison ------------------------------------------------------------------

    def _fill(self) -> None:
        if not self.packets:
            self.heading.setText(self.tr("Gói này không còn trùng lần gửi (đã được quyết định hoặc đã có bản mới)."))
            self.table.hide()
            return
        first = self.packets[0]
        unit = self.gw.unit(first.unit_code or "")
        period = self.gw.period(first.period_code)
        self.heading.setText(
            self.tr("%1 — biểu %2 — %3 — lần gửi %4: %5 gói khác nội dung")
            .replace("%1", unit.name if unit else first.unit_code or "")
            .replace("%2", first.form_id or "")
            .replace("%3", period.label)
            .replace("%4", str(first.sequence))
            .replace("%5", str(len(self.packets)))
        )
        rows = self.comparison_rows()
        self.table.setColumnCount(len(self.packets) + 1)
        self.table.setRowCount(len(rows) + 1)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Nội dung"), *(self.tr("Gói số %1").replace("%1", str(p.id)) for p in self.packets)]
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for column, packet in enumerate(self.packets, start=1):
            button = QPushButton(self.tr("Giữ gói này"))
            button.setToolTip(
                self.tr("Giữ gói số %1, tệp %2").replace("%1", str(packet.id)).replace("%2", packet.file_name)
            )
            button.clicked.connect(lambda _checked=False, packet_id=packet.id: self.keep(packet_id))
            self.keep_buttons.append(button)
            self.table.setCellWidget(0, column, button)
        self.table.setItem(0, 0, QTableWidgetItem(""))
        bold = QFont()
        bold.setBold(True)
        for row, (label, cells, differs) in enumerate(rows, start=1):
            for column, text in enumerate([label, *cells]):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if differs:
                    item.setBackground(DIFFERENT)
                    item.setFont(bold)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 440)
        self.table.resizeRowsToContents()

    def cell_text(self, label: str, packet_id: int) -> str | None:
        """What the table shows for this row and packet (for reading it back)."""
        column = next((n for n, p in enumerate(self.packets, start=1) if p.id == packet_id), None)
        for row in range(1, self.table.rowCount()):
            if column is not None and self.table.item(row, 0).text() == label:
                return self.table.item(row, column).text()
        return None

    def is_highlighted(self, label: str) -> bool:
        for row in range(1, self.table.rowCount()):
            if self.table.item(row, 0).text() == label:
                return self.table.item(row, 1).background() == DIFFERENT
        return False

    def comparison_rows(self) -> list[tuple[str, list[str], bool]]:
        """(label, one text per packet, whether they differ): the packet's facts, then every
        figure of the commune (its own cells and the totals over its villages), then the
        village cells that differ."""
        facts = [
            (self.tr("Tệp"), [p.file_name for p in self.packets]),
            (self.tr("Nhận lúc"), [time_of(p.received_at) for p in self.packets]),
            (self.tr("Ký lúc"), [time_of(p.created_at) for p in self.packets]),
            (self.tr("Người ký"), [p.signer_name or "" for p in self.packets]),
            (self.tr("Mã khóa người ký"), [p.signer_spoken or "" for p in self.packets]),
        ]
        arrival = (self.tr("Tệp"), self.tr("Nhận lúc"))  # differ by nature; not what the officer must weigh
        rows = [(label, cells, len(set(cells)) > 1 and label not in arrival) for label, cells in facts]
        first = self.packets[0]
        form = self.library.get(first.form_id or "", first.form_version, first.form_publisher) or self.library.get(
            first.form_id or ""
        )
        unit = self.gw.unit(first.unit_code or "")
        if form is None or unit is None:
            return rows
        # a commune's own cells, computed as the commune did; a district's merged table: the totals it sent
        period = self.gw.period(first.period_code)
        figures = [packet_figures(self.gw, form, p.id, unit, period) for p in self.packets]
        for ind in form.indicators:
            cells = [_figure_text(ind, f[ind.id]) for f in figures]
            rows.append((label_of(form, ind.id), cells, len(set(cells)) > 1))
        values = [received_values(self.gw, p.id) for p in self.packets]
        names = {code: name for p in self.packets for code, name in packet_villages(self.gw, p.id)}
        keys = sorted({key for v in values for key in v if key[1] != unit.code}, key=lambda k: (k[1], k[0]))
        for indicator, code in keys:
            cells = [v.get((indicator, code)) for v in values]
            if len(set(cells)) > 1:
                ind = form.indicator(indicator) if form.has_indicator(indicator) else None
                texts = [shown(ind, c) if ind else str(c if c is not None else "") for c in cells]
                label = f"{names.get(code, code)}: {label_of(form, indicator) if ind else indicator}"
                rows.append((label, [t or self.tr("(trống)") for t in texts], True))
        return rows

    def differing_labels(self) -> list[str]:
        return [label for label, _cells, differs in self.comparison_rows() if differs]

    # ---- the decision ----------------------------------------------------------------------

    def _update_buttons(self) -> None:
        ready = bool(self.reason_edit.text().strip())
        for button in self.keep_buttons:
            button.setEnabled(ready)

    def keep(self, packet_id: int) -> bool:
        """Keep this packet, the others set aside with the reason; a refusal is said here."""
        say(self.error_label, "")
        try:
            decide_conflict(self.gw, packet_id, self.reason_edit.text(), self.who)
        except UserError as exc:
            say(self.error_label, str(exc))
            return False
        self.kept = packet_id
        self.decided.emit(packet_id)
        self.accept()
        return True


def _figure_text(ind, figure) -> str:
    if not figure.applicable:
        return "không áp dụng"
    if not ind.is_numeric:
        return shown(ind, figure.value)
    text = vnformat.number(figure.value) if figure.value is not None else ""
    if figure.percent is not None:
        text += f" ({vnformat.percent(figure.percent)})"
    return text
