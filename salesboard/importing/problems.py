"""Machine-readable problems of the import layer: a stable code plus the offending text.

Codes, not prose, carry the meaning: the UI translates ``code`` into zh/en later and quotes
``text``. The code strings are part of the public API; never rename one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ProblemCode(StrEnum):
    """Why one cell value could not be parsed."""

    BAD_AMOUNT = "bad_amount"  # not a money amount (text, bad digit grouping, two signs …)
    BAD_PERCENT = "bad_percent"
    BAD_DATE = "bad_date"  # not a date, or a date that does not exist (2024-02-30)
    AMBIGUOUS_DATE = "ambiguous_date"  # 05/10/2024 without a day-first/month-first hint
    BAD_INT = "bad_int"  # not a whole number (12.5, abc)
    BAD_BOOL = "bad_bool"
    OUT_OF_RANGE = "out_of_range"  # a number too large for the store (amount >= 10^16 yuan)
    CURRENCY_MISMATCH = "currency_mismatch"  # $100 where the company currency is CNY
    CELL_ERROR = "cell_error"  # an Excel error value such as #N/A or #DIV/0!


class RejectCode(StrEnum):
    """Why a whole uploaded file was refused."""

    EMPTY = "empty"  # zero bytes, or no non-blank cell in the sheet
    TOO_LARGE = "too_large"  # more bytes than max_bytes
    NOT_A_SPREADSHEET = "not_a_spreadsheet"  # PNG, PDF, Word … whatever its name says
    HTML_NOT_EXCEL = "html_not_excel"  # a web page / XML export named .xls: save as real .xlsx
    ZIP_BOMB = "zip_bomb"  # unpacks to more than the limit, or an absurd compression ratio
    ENCRYPTED = "encrypted"  # password-protected workbook
    CORRUPT = "corrupt"  # a damaged zip / workbook that cannot be read
    UNREADABLE_SHEET = "unreadable_sheet"  # the workbook opens but the sheet cannot be read
    SHEET_NOT_FOUND = "sheet_not_found"
    BAD_ENCODING = "bad_encoding"  # text in no encoding we can decode
    MIXED_ENCODING = "mixed_encoding"  # some lines UTF-8, others GBK …: no reading is clean
    BAD_HEADER_ROW = "bad_header_row"  # a header row override outside the sheet


class WarningCode(StrEnum):
    """Something the user may want to know about a file that was read."""

    EXTENSION_MISMATCH = "extension_mismatch"  # name says .csv, content is XLSX (content wins)
    ENCODING_GUESSED = "encoding_guessed"  # decoded with a fallback encoding; check the text
    HEADER_NOT_FOUND = "header_not_found"  # no row looked like a header; the first row is used
    BLANK_HEADER_NAMED = "blank_header_named"  # a column without a name got its Excel letter
    DUPLICATE_HEADER_RENAMED = "duplicate_header_renamed"  # 金额, 金额 -> 金额, 金额_2


@dataclass(frozen=True)
class ValueProblem:
    """One cell that did not parse: a stable ``code`` and the offending ``text`` as given."""

    code: ProblemCode
    text: str


class ValueProblemError(ValueError):
    """Raised by the scalar parsers; ``problem`` holds the code and the offending text."""

    def __init__(self, code: ProblemCode, value: object) -> None:
        self.problem = ValueProblem(code, value if isinstance(value, str) else repr(value))
        super().__init__(f"{code.value}: {self.problem.text!r}")


@dataclass(frozen=True)
class ReadWarning:
    """A non-fatal finding while reading a file; ``detail`` holds the values for the message."""

    code: WarningCode
    detail: Mapping[str, Any] = field(default_factory=dict)


class SpreadsheetRejected(ValueError):
    """The uploaded file cannot be read; ``code`` says why, ``detail`` gives the numbers."""

    def __init__(self, code: RejectCode, **detail: Any) -> None:
        self.code = code
        self.detail = detail
        super().__init__(f"{code.value}: {detail}" if detail else code.value)

    def __reduce__(self):
        # Keyword details do not survive the default pickling of exceptions, and a refusal
        # comes back from the reader's child process pickled.
        return (_rejected, (self.code, dict(self.detail)))


def _rejected(code: RejectCode, detail: dict[str, Any]) -> SpreadsheetRejected:
    return SpreadsheetRejected(code, **detail)
