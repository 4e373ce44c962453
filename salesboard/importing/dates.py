"""Dates as they arrive from spreadsheets: workbook date cells, Excel serial numbers,
2024-05-10, 2024/5/10, 2024.5.10, 2024年5月10日, 20240510, with or without a time.

Decisions (documented for the mapping/validation layers):
- A time part is accepted and dropped; a time zone suffix is ignored (the date as written).
- Numbers are Excel serials only with a five-digit whole part (10000–99999, i.e.
  1927-05-18 … 2173-10-14): a bare 2024 in a date column is a year someone typed, not
  1905-07-16, so it is rejected. 8-digit numbers are yyyymmdd. ``excel_serial_to_date``
  converts any 1900-system serial, including Excel's fake 1900-02-29 (serial 60, rejected).
- dd/mm/yyyy vs mm/dd/yyyy: without ``day_first`` only unambiguous values parse (25/10/2024,
  10/25/2024, 05/05/2024); 05/10/2024 is ``ambiguous_date``. The column version infers the
  order when the column holds evidence for exactly one of them.
- Two-digit years, month-only (2024年5月) and impossible dates (2024-02-30) are ``bad_date``.
"""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesboard.importing import columns
from salesboard.importing.columns import ParsedColumn, drive, finish, to_bool, to_int
from salesboard.importing.problems import ProblemCode, ValueProblemError
from salesboard.importing.text import DROP_INVISIBLE, cell_text, is_blank_token, is_excel_error

SERIAL_RANGE = (10_000, 100_000)  # whole-part range accepted as an Excel serial

_TIME = (
    r"(?:(?:T|\s+)(?:(?:上午|下午|AM|PM)\s*)?(?P<hh>\d{1,2}):(?P<mi>\d{2})"
    r"(?::(?P<ss>\d{2})(?:\.\d+)?)?\s*(?:AM|PM|Z|[+-]\d{2}:?\d{2})?)?"
)
_PATTERNS = [
    re.compile(p + _TIME, re.IGNORECASE)
    for p in (
        r"(?P<y>\d{4})(?P<s1>[-/.])(?P<m>\d{1,2})(?P<s2>[-/.])(?P<d>\d{1,2})",
        r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?",
        r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})",
        r"(?P<a>\d{1,2})(?P<s1>[-/.])(?P<b>\d{1,2})(?P<s2>[-/.])(?P<y>\d{4})",
        r"(?P<d>\d{1,2})[-\s]?(?P<mon>[A-Z]{3,9})\.?[-\s,]*(?P<y>\d{4})",
        r"(?P<mon>[A-Z]{3,9})\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<y>\d{4})",
    )
]
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")
_MONTHS = {
    name.casefold(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}


def excel_serial_to_date(serial: float) -> date:
    """A 1900-system Excel serial (days since 1899-12-31, a time as the fraction) as a date.

    Excel counts a 1900-02-29 that never existed: serial 60 raises ValueError, serials after
    it are shifted back one day (61 = 1900-03-01). Valid range 1 … 2958465 (9999-12-31).
    """
    if not math.isfinite(serial) or not 1 <= serial < 2_958_466:
        raise ValueError(f"Excel serial out of range: {serial!r}")
    days = math.floor(serial)
    if days == 60:
        raise ValueError("Excel serial 60 is 1900-02-29, a day that does not exist")
    return date(1899, 12, 31 if days < 60 else 30) + timedelta(days=days)


def _from_number(value: float, original: object) -> date:
    if not math.isfinite(value):
        raise ValueProblemError(ProblemCode.BAD_DATE, original)
    if value.is_integer() and 10_000_000 <= value < 100_000_000:
        return _ymd(int(value) // 10_000, int(value) // 100 % 100, int(value) % 100, original)
    if SERIAL_RANGE[0] <= value < SERIAL_RANGE[1]:
        return excel_serial_to_date(value)
    raise ValueProblemError(ProblemCode.BAD_DATE, original)


def _ymd(year: int, month: int, day: int, original: object) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblemError(ProblemCode.BAD_DATE, original) from None


def _day_month(a: int, b: int, day_first: bool | None, original: object) -> tuple[int, int]:
    """(day, month) from the two leading numbers of a/b/yyyy."""
    if day_first is None:
        if a == b or (a > 12 and b <= 12):
            day_first = True
        elif b > 12 and a <= 12:
            day_first = False
        elif a > 12 and b > 12:
            raise ValueProblemError(ProblemCode.BAD_DATE, original)
        else:
            raise ValueProblemError(ProblemCode.AMBIGUOUS_DATE, original)
    return (a, b) if day_first else (b, a)


def _check_time(match: re.Match[str], original: object) -> None:
    if match["hh"] is not None and (
        int(match["hh"]) > 23 or int(match["mi"]) > 59 or int(match["ss"] or 0) > 59
    ):
        raise ValueProblemError(ProblemCode.BAD_DATE, original)


def parse_date(value: object, *, day_first: bool | None = None) -> date | None:
    """A calendar date from a cell (date/datetime object, Excel serial, or text); None when
    blank. ``day_first`` settles dd/mm/yyyy vs mm/dd/yyyy (None: unambiguous values only).

    Raises ValueProblemError (bad_date, ambiguous_date, cell_error).
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | np.bool_ | time | timedelta):
        raise ValueProblemError(ProblemCode.BAD_DATE, value)
    if isinstance(value, int | float | np.integer | np.floating):
        if isinstance(value, float) and math.isnan(value):
            return None
        return _from_number(float(value), value)
    if not isinstance(value, str):
        raise ValueProblemError(ProblemCode.BAD_DATE, value)
    text = cell_text(value) or ""
    text = " ".join(unicodedata.normalize("NFKC", text.translate(DROP_INVISIBLE)).split())
    if is_blank_token(text):
        return None
    if is_excel_error(text):
        raise ValueProblemError(ProblemCode.CELL_ERROR, value)
    if _SERIAL_TEXT.fullmatch(text):
        return _from_number(float(text), value)
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("s1") != groups.get("s2"):
            raise ValueProblemError(ProblemCode.BAD_DATE, value)
        _check_time(match, value)
        if groups.get("a") is not None:
            day, month = _day_month(int(match["a"]), int(match["b"]), day_first, value)
        elif groups.get("mon") is not None:
            month = _MONTHS.get(match["mon"].casefold(), 0)
            day = int(match["d"])
        else:
            day, month = int(match["d"]), int(match["m"])
        return _ymd(int(match["y"]), month, day, value)
    raise ValueProblemError(ProblemCode.BAD_DATE, value)


# Fast path: the spellings of _PATTERNS[0:4] in RE2 (no back-references: separators are
# captured and compared), on trimmed text with single spaces.
_FAST_TIME = r"(?:(?:T| )(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:\.\d+)?)?)?"
_FAST_YMD = (
    r"^(?:(?P<y1>\d{4})(?P<s1>[-/.])(?P<m1>\d{1,2})(?P<s2>[-/.])(?P<d1>\d{1,2})"
    r"|(?P<y2>\d{4})年(?P<m2>\d{1,2})月(?P<d2>\d{1,2})[日号]?"
    r"|(?P<y3>\d{4})(?P<m3>\d{2})(?P<d3>\d{2}))" + _FAST_TIME + "$"
)
_FAST_DMY = (
    r"^(?P<a>\d{1,2})(?P<s1>[-/.])(?P<b>\d{1,2})(?P<s2>[-/.])(?P<y>\d{4})" + _FAST_TIME + "$"
)
_EPOCH_1899 = np.datetime64("1899-12-30", "D")


def _days_from_ymd(year: np.ndarray, month: np.ndarray, day: np.ndarray):
    """(valid mask, datetime64[s]) for int arrays; invalid where the date does not exist."""
    valid = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    year, month = np.where(valid, year, 2000), np.where(valid, month, 1)
    first = (year - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (month - 1)
    length = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(int)
    valid &= day <= length
    days = first.astype("datetime64[D]") + np.where(valid, day - 1, 0)
    return valid, days.astype("datetime64[s]")


def _time_ok(fields: pa.StructArray) -> np.ndarray:
    hours = to_int(pc.cast(_or_zero(fields.field("hh")), pa.int64()))
    minutes = to_int(pc.cast(_or_zero(fields.field("mi")), pa.int64()))
    seconds = to_int(pc.cast(_or_zero(fields.field("ss")), pa.int64()))
    return (hours <= 23) & (minutes <= 59) & (seconds <= 59)


def _or_zero(field: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(field, ""), "0", field)


def _ints(field: pa.Array) -> np.ndarray:
    return to_int(pc.cast(_or_zero(field), pa.int64()))


def _fast_text(day_first: bool | None):
    def fast(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        fields = pc.extract_regex(text, _FAST_YMD)
        matched = to_bool(pc.is_valid(fields)) & to_bool(
            pc.equal(fields.field("s1"), fields.field("s2"))
        )
        year = sum(_ints(fields.field(f"y{i}")) for i in (1, 2, 3))
        month = sum(_ints(fields.field(f"m{i}")) for i in (1, 2, 3))
        day = sum(_ints(fields.field(f"d{i}")) for i in (1, 2, 3))
        valid, values = _days_from_ymd(year, month, day)
        matched &= valid & _time_ok(fields)

        rest = np.flatnonzero(~matched)  # a/b/yyyy only where the ISO-like forms missed
        if len(rest):
            dmy = pc.extract_regex(text.take(pa.array(rest)), _FAST_DMY)
            dmy_matched = to_bool(pc.is_valid(dmy)) & to_bool(
                pc.equal(dmy.field("s1"), dmy.field("s2"))
            )
            a, b = _ints(dmy.field("a")), _ints(dmy.field("b"))
            if day_first is None:  # unambiguous rows only; the scalar reports the others
                first_is_day = (a == b) | ((a > 12) & (b <= 12))
                dmy_matched &= first_is_day | ((b > 12) & (a <= 12))
            else:
                first_is_day = np.full(len(a), day_first)
            d, m = np.where(first_is_day, a, b), np.where(first_is_day, b, a)
            valid, dmy_values = _days_from_ymd(_ints(dmy.field("y")), m, d)
            dmy_matched &= valid & _time_ok(dmy)
            values[rest[dmy_matched]] = dmy_values[dmy_matched]
            matched[rest[dmy_matched]] = True
        return matched, values

    return fast


def _fast_number(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ok = (numbers >= SERIAL_RANGE[0]) & (numbers < SERIAL_RANGE[1])
    days = np.floor(np.where(ok, numbers, SERIAL_RANGE[0])).astype(np.int64)
    return ok, (_EPOCH_1899 + days).astype("datetime64[s]")


def infer_day_first(split: columns.Split) -> bool | None:
    """True/False when the column's a/b/yyyy dates show only day-first (25/10/2024) or only
    month-first (10/25/2024) evidence; None when there is none or both."""
    if not len(split.text):
        return None
    candidates = to_bool(pc.match_substring_regex(split.text, _FAST_DMY))
    if not candidates.any():
        return None
    dmy = pc.extract_regex(split.text.filter(pa.array(candidates)), _FAST_DMY)
    matched = to_bool(pc.is_valid(dmy))
    a, b = _ints(dmy.field("a"))[matched], _ints(dmy.field("b"))[matched]
    day_evidence = bool(np.any((a > 12) & (b <= 12)))
    month_evidence = bool(np.any((b > 12) & (a <= 12)))
    return day_evidence if day_evidence != month_evidence else None


def parse_date_column(series: pd.Series, *, day_first: bool | None = None) -> ParsedColumn:
    """Dates of a raw column as datetime64[s] at midnight, NaT where blank or failed.

    With ``day_first=None`` the order of a/b/yyyy dates is inferred from the column when it
    is unambiguous there (note ``day_first_inferred`` / ``month_first_inferred``).
    """
    split = columns.split_column(series)
    notes: tuple[str, ...] = ()
    if day_first is None:
        day_first = infer_day_first(split)
        if day_first is not None:
            notes = ("day_first_inferred" if day_first else "month_first_inferred",)

    def scalar(value: object) -> date | None:
        return parse_date(value, day_first=day_first)

    out, have, codes = drive(
        series, out_dtype="datetime64[s]", scalar=scalar,
        convert=lambda d: np.datetime64(d, "s"), fast_text=_fast_text(day_first),
        fast_number=_fast_number, split=split,
    )  # fmt: skip
    out[~have] = np.datetime64("NaT")
    return finish(series, out, codes, notes)
