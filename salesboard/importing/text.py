"""Text clean-up shared by every parser: width folding, whitespace, blanks, Excel errors."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
import pandas as pd

from salesboard.i18n.names import DROP_INVISIBLE, name_key

# Chinese prose punctuation typed in full width keeps its width in names and notes
# (华为技术（深圳）有限公司 is the registered spelling); every other full-width ASCII form
# (letters, digits, ＆, －, ．, ＠, ideographic space) folds to ASCII.
_KEEP_FULL_WIDTH = set("，；：！？（）")
_WIDTH_FOLD = {
    cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULL_WIDTH
} | {0x3000: 0x20}
_HSPACE_RUN = re.compile(r"[^\S\n]+")  # whitespace other than newlines (NBSP, tabs …)
_SPACED_NEWLINES = re.compile(r" ?\n[ \n]*")

# Cell texts that mean "nothing here" in a typed column (amount, date, percent, number).
BLANK_TOKENS = frozenset(
    {"", "-", "--", "---", "—", "——", "–", "/", "\\", "n/a", "na", "null", "none", "nan", "nat"}
    | {"无"}
)
# Excel error values (what a failed formula shows); never a blank, never a value.
EXCEL_ERRORS = frozenset(
    {"#n/a", "#value!", "#ref!", "#div/0!", "#num!", "#name?", "#null!", "#getting_data"}
    | {"#spill!", "#calc!", "#field!", "#blocked!", "#unknown!", "#connect!", "#busy!"}
)


def fold_width(text: str) -> str:
    """Full-width ASCII forms to ASCII (ＡＢＣ１２３ -> ABC123), keeping ，；：！？（）."""
    return text.translate(_WIDTH_FOLD)


def normalize_text(value: object) -> str | None:
    """Clean text for storage: NFC, full-width ASCII folded, invisible characters removed,
    runs of spaces collapsed to one, line breaks kept (one per break), ends stripped.

    Non-text cells become the text Excel shows for them (45422.0 -> "45422", a date ->
    "2024-05-10"). Returns None when nothing is left.
    """
    text = cell_text(value)
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).translate(DROP_INVISIBLE).translate(_WIDTH_FOLD)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACED_NEWLINES.sub("\n", _HSPACE_RUN.sub(" ", text)).strip()
    return text or None


def match_key(value: object) -> str | None:
    """A key for matching names loosely (headers, stages, customers): NFKC, case-folded,
    without any whitespace; so 计划 开始 / 计划开始 and （深圳）/(深圳) meet."""
    text = cell_text(value)
    return None if text is None else name_key(text) or None


def cell_text(value: object) -> str | None:
    """The text of one raw cell as Excel would display it; None for a missing cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value) if not np.isnat(value) else None
        if value is None:
            return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal) and value.is_nan():
        return None
    return str(value)


def is_missing(value: object) -> bool:
    """Whether a raw cell is absent: None, pandas NA/NaT, a float NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def is_blank_token(text: str) -> bool:
    """Whether a (stripped) cell text means "no value" in a typed column (-, /, N/A, 无 …)."""
    return text.casefold() in BLANK_TOKENS


def is_excel_error(text: str) -> bool:
    """Whether a cell text is an Excel error value (#N/A, #DIV/0! …)."""
    return text.startswith("#") and text.casefold() in EXCEL_ERRORS
