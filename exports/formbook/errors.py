"""What is wrong with a form workbook: every mistake at once, each with its sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass

from models.errors import UserError

MAX_SHOWN = 200  # a workbook pasted into the wrong sheet could give thousands; the first ones suffice


@dataclass(frozen=True)
class Problem:
    sheet: str  # the sheet's name ("" for the file itself)
    row: int | None  # as Excel numbers it (the header is row 1)
    column: str | None  # its letter (“F”)
    header: str | None  # its header (“Loại”)
    text: str  # the Vietnamese sentence

    def place(self) -> str:
        parts = [f"trang “{self.sheet}”"] if self.sheet else []
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f"cột {self.column} ({self.header})" if self.header else f"cột {self.column}")
        elif self.header:
            parts.append(f"cột “{self.header}”")
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.place()
        return f"{place}: {self.text}" if place else self.text

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "header": self.header, "text": self.text}


class FormBookErrors(UserError):
    """A form workbook that cannot become a form: ``problems`` lists every mistake found (exit code 1)."""

    exit_code = 1

    def __init__(self, file_name: str, problems: list[Problem]):
        self.file_name = file_name
        self.problems = list(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        if count == 1 and not self.problems[0].sheet:
            return f"Không đọc được biểu mẫu “{self.file_name}”: {self.problems[0].text}"
        lines = [f"Biểu mẫu “{self.file_name}” có {count} lỗi; sửa hết rồi đọc lại:"]
        lines += [f"- {p}" for p in self.problems[:MAX_SHOWN]]
        if count > MAX_SHOWN:
            lines.append(f"- … và {count - MAX_SHOWN} lỗi khác.")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"file": self.file_name, "problems": [p.to_dict() for p in self.problems]}


class FormBookUnreadable(FormBookErrors):
    """Not a workbook that can be read at all (not an xlsx, encrypted, too big): exit code 2."""

    exit_code = 2

    def __init__(self, file_name: str, text: str):
        super().__init__(file_name, [Problem("", None, None, None, text)])
