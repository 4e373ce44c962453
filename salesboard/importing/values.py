"""Value parsers for imported cells: each a pure scalar function plus a column version
that parses a whole pandas Series (vectorised fast path, scalar fallback for leftovers).

Scalars return the domain value (None for a blank cell) or raise ``ValueProblemError``
whose ``problem`` has a stable ``code`` and the offending ``text``. Column versions return a
``ParsedColumn``: ``values``, ``codes`` (per failed cell), ``failed`` and ``problems()``.

| scalar | returns | column version returns |
|---|---|---|
| parse_amount | Decimal yuan | Int64 fen (×100, half away from zero) |
| parse_percent | float ratio (0.833) | Float64 ratio |
| parse_date | datetime.date | datetime64[s] at midnight |
| parse_int | int | Int64 |
| parse_bool | bool | boolean |
| normalize_text | str | str |
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesboard.importing.columns import ParsedColumn, drive, finish, to_bool
from salesboard.importing.dates import (
    SERIAL_RANGE,
    excel_serial_to_date,
    parse_date,
    parse_date_column,
)
from salesboard.importing.numbers import (
    MAX_AMOUNT,
    BareNumber,
    parse_amount,
    parse_amount_column,
    parse_int,
    parse_int_column,
    parse_percent,
    parse_percent_column,
    to_minor_units,
)
from salesboard.importing.problems import ProblemCode, ValueProblem, ValueProblemError
from salesboard.importing.text import (
    BLANK_TOKENS,
    DROP_INVISIBLE,
    cell_text,
    is_excel_error,
    match_key,
    normalize_text,
)

TRUE_TOKENS = frozenset(
    {"是", "对", "有", "真", "已", "y", "yes", "true", "t", "1", "1.0", "on", "ok"}
    | {"✓", "✔", "√", "☑"}
)
FALSE_TOKENS = frozenset(
    {"否", "错", "无", "没有", "假", "未", "不", "不是", "n", "no", "false", "f", "0", "0.0"}
    | {"off", "✗", "✘", "×", "☐"}
)
# 无 is "no" in a yes/no column, not a blank there.
_BOOL_BLANKS = BLANK_TOKENS - FALSE_TOKENS


def parse_bool(value: object) -> bool | None:
    """Yes/no from a cell: 是/否, 有/无, Y/N, yes/no, true/false, 1/0, ✓/√ and ×/✗ (a bare
    x is refused: a tick in some forms, a cross in others); None when blank.

    Raises ValueProblemError (bad_bool, cell_error).
    """
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        if value != value:
            return None
        if value in (0, 1):
            return bool(value)
        raise ValueProblemError(ProblemCode.BAD_BOOL, value)
    if not isinstance(value, str):
        raise ValueProblemError(ProblemCode.BAD_BOOL, value)
    text = unicodedata.normalize("NFKC", value.translate(DROP_INVISIBLE)).strip().casefold()
    if text in TRUE_TOKENS:
        return True
    if text in FALSE_TOKENS:
        return False
    if text in _BOOL_BLANKS:
        return None
    if is_excel_error(text):
        raise ValueProblemError(ProblemCode.CELL_ERROR, value)
    raise ValueProblemError(ProblemCode.BAD_BOOL, value)


def _fast_bool(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    lowered = pc.utf8_lower(text)
    yes = to_bool(pc.is_in(lowered, value_set=pa.array(sorted(TRUE_TOKENS))))
    no = to_bool(pc.is_in(lowered, value_set=pa.array(sorted(FALSE_TOKENS))))
    return yes | no, yes


def _bool_blanks(text: pa.Array) -> np.ndarray:
    return to_bool(pc.is_in(pc.utf8_lower(text), value_set=pa.array(sorted(_BOOL_BLANKS))))


def parse_bool_column(series: pd.Series) -> ParsedColumn:
    """Yes/no values of a raw column as a nullable boolean Series."""
    out, have, codes = drive(
        series, out_dtype="bool", scalar=parse_bool, fast_text=_fast_bool, blanks=_bool_blanks
    )
    return finish(series, pd.arrays.BooleanArray(out, ~have), codes)


# Text that normalize_text would return unchanged: no control/invisible/odd-space/full-width
# ASCII characters, single spaces only, already NFC (checked separately).
_SPECIAL = (
    r"\x00-\x20\x7f\x{85}\x{a0}\x{ad}\x{1680}\x{2000}-\x{200d}\x{2028}\x{2029}\x{202f}"
    r"\x{205f}\x{2060}\x{3000}\x{feff}\x{ff01}-\x{ff5e}"
)
_CLEAN_TEXT = rf"^[^{_SPECIAL}]+(?: [^{_SPECIAL}]+)*$"


def _fast_text(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    clean = to_bool(pc.match_substring_regex(text, _CLEAN_TEXT))
    clean &= to_bool(pc.equal(text, pc.utf8_normalize(text, "NFC")))
    return clean, np.asarray(text.to_numpy(zero_copy_only=False), dtype=object)


def normalize_text_column(series: pd.Series) -> ParsedColumn:
    """``normalize_text`` over a raw column, as a str Series (missing where blank); never
    fails, so ``codes`` is all missing."""
    out, have, codes = drive(
        series, out_dtype="object", scalar=normalize_text, fast_text=_fast_text,
        blanks=lambda text: to_bool(pc.equal(text, "")),
    )  # fmt: skip
    out[~have] = None
    return finish(series, pd.array(out, dtype="str"), codes)


__all__ = [
    "MAX_AMOUNT",
    "SERIAL_RANGE",
    "BareNumber",
    "ParsedColumn",
    "ProblemCode",
    "ValueProblem",
    "ValueProblemError",
    "cell_text",
    "excel_serial_to_date",
    "match_key",
    "normalize_text",
    "normalize_text_column",
    "parse_amount",
    "parse_amount_column",
    "parse_bool",
    "parse_bool_column",
    "parse_date",
    "parse_date_column",
    "parse_int",
    "parse_int_column",
    "parse_percent",
    "parse_percent_column",
    "to_minor_units",
]
