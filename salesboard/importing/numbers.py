"""Money amounts, whole numbers and percentages as people type them in Chinese and
international spreadsheets: 85万, ¥850,000, RMB 850000, (1,000), 1.2亿, 83.3%, 0.833.

Decisions (documented for the mapping/validation layers):
- Digit grouping must be by threes (1,234,567). 1,2,3,4 / 12,34,567 / 85,0000 are rejected
  rather than guessed, and a comma is never a decimal mark (1.234,56 is rejected).
- Chinese units 千 万 十万 百万 千万 亿 万亿 and k/K (thousand), w/W (万) multiply; 元 is yuan.
- A currency marker (¥ ￥ RMB CNY 人民币 元, $ US$ USD 美元, HK$ HKD 港元/港币, € EUR 欧元,
  £ GBP 英镑) is accepted; when the caller passes ``currency`` a different marker is a
  ``currency_mismatch`` rather than a silent 1:1 conversion.
- -5, −5 (U+2212), －5 and accounting-style (1,000) are negative; sign rules are validation's.
- Blank, -, —, /, N/A, 无 … are missing (None), not zero and not an error.
- Amounts are limited to |x| < 10^16 yuan (10^18 fen, inside BIGINT): else ``out_of_range``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesboard.importing import columns
from salesboard.importing.columns import ParsedColumn, drive, finish, to_bool, to_int
from salesboard.importing.problems import ProblemCode, ValueProblemError
from salesboard.importing.text import (
    DROP_INVISIBLE,
    cell_text,
    is_blank_token,
    is_excel_error,
    is_missing,
)

BareNumber = Literal["ratio", "percent", "auto"]

MAX_AMOUNT = Decimal(10) ** 16  # yuan, exclusive: 10^18 fen fits a signed 64-bit integer
_MAX_FEN = 10**18

_PREFIX_CURRENCY = {
    "¥": "CNY", "RMB": "CNY", "CNY": "CNY", "人民币": "CNY",
    "$": "USD", "US$": "USD", "USD": "USD",
    "HK$": "HKD", "HKD": "HKD",
    "€": "EUR", "EUR": "EUR",
    "£": "GBP", "GBP": "GBP",
}  # fmt: skip
_SUFFIX_CURRENCY = {
    "元": "CNY", "人民币": "CNY", "RMB": "CNY", "CNY": "CNY",
    "美元": "USD", "USD": "USD",
    "港元": "HKD", "港币": "HKD", "HKD": "HKD",
    "欧元": "EUR", "EUR": "EUR",
    "英镑": "GBP", "GBP": "GBP",
}  # fmt: skip
UNIT_EXPONENTS = {
    "千": 3, "万": 4, "十万": 5, "百万": 6, "千万": 7, "亿": 8, "万亿": 12, "K": 3, "W": 4
}  # fmt: skip


def _alternatives(words: object) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER = r"\d+(?:\.\d+)?e[-+]?\d+|(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_AMOUNT = re.compile(
    rf"(?P<pre>{_alternatives(_PREFIX_CURRENCY)})?(?P<sign>[-+])?"
    rf"(?P<pre2>{_alternatives(_PREFIX_CURRENCY)})?(?P<num>{_NUMBER})"
    rf"(?P<unit>{_alternatives(UNIT_EXPONENTS)})?(?P<suf>{_alternatives(_SUFFIX_CURRENCY)})?",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<sign>[-+])?(?P<num>{_NUMBER})(?P<pct>%|‰)?", re.IGNORECASE)


def _compact(value: object) -> str | None:
    """Cell text ready for number matching: NFKC (full-width digits, ￥, ％, （）), U+2212
    minus as '-', no whitespace at all. None for a blank; raises for an Excel error."""
    text = cell_text(value)
    if text is None:
        return None
    text = unicodedata.normalize("NFKC", text.translate(DROP_INVISIBLE)).replace("\u2212", "-")
    text = "".join(text.split())
    if is_blank_token(text):
        return None
    if is_excel_error(text):
        raise ValueProblemError(ProblemCode.CELL_ERROR, value)
    return text


def _from_number(value: object, code: ProblemCode) -> Decimal | None:
    """A workbook number as an exact Decimal (floats through their shortest repr)."""
    if isinstance(value, bool):
        raise ValueProblemError(code, value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return None
        if not value.is_finite():
            raise ValueProblemError(code, value)
        return value
    if isinstance(value, int | np.integer):
        return Decimal(int(value))
    if math.isnan(value):
        return None
    if math.isinf(value):
        raise ValueProblemError(code, value)
    return Decimal(repr(float(value)))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _amount_and_currency(value: object) -> tuple[Decimal, str | None] | None:
    if is_missing(value):
        return None
    if _is_number(value):
        number = _from_number(value, ProblemCode.BAD_AMOUNT)
        return None if number is None else (number, None)
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueProblemError(ProblemCode.BAD_AMOUNT, value)
    text = _compact(value)
    if text is None:
        return None
    negative = text.startswith("(") and text.endswith(")")
    match = _AMOUNT.fullmatch(text[1:-1] if negative else text)
    if not match or (negative and match["sign"]) or (match["pre"] and match["pre2"]):
        raise ValueProblemError(ProblemCode.BAD_AMOUNT, value)
    markers = {
        _PREFIX_CURRENCY[m.upper()] for m in (match["pre"], match["pre2"]) if m is not None
    } | ({_SUFFIX_CURRENCY[match["suf"].upper()]} if match["suf"] else set())
    if len(markers) > 1:
        raise ValueProblemError(ProblemCode.BAD_AMOUNT, value)
    number = Decimal(match["num"].replace(",", ""))
    if match["unit"]:
        number *= 10 ** UNIT_EXPONENTS[match["unit"].upper()]
    if negative or match["sign"] == "-":
        number = -number
    return number, (markers.pop() if markers else None)


def parse_amount(value: object, *, currency: str | None = None) -> Decimal | None:
    """A money amount in major units (yuan) from a cell; None when blank.

    Raises ValueProblemError (bad_amount, out_of_range, currency_mismatch, cell_error).
    """
    parsed = _amount_and_currency(value)
    if parsed is None:
        return None
    number, marker = parsed
    if currency is not None and marker is not None and marker != currency.upper():
        raise ValueProblemError(ProblemCode.CURRENCY_MISMATCH, value)
    if abs(number) >= MAX_AMOUNT:
        raise ValueProblemError(ProblemCode.OUT_OF_RANGE, value)
    return number + 0 if number else Decimal(0)  # + 0 turns -0 into 0


def to_minor_units(amount: Decimal) -> int:
    """Yuan to fen (×100), rounding half away from zero (四舍五入) below one fen."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# The fast path: plain numbers with optional ¥/RMB/CNY/人民币, one sign, 3-digit grouping,
# decimals and 千/万/亿/元. Anything else (full-width digits, parentheses, other currencies,
# k/w, exponents) goes to parse_amount.
_FAST_AMOUNT = (
    r"^(?:(?P<cur>¥|￥|RMB|CNY|人民币)\s*)?(?P<sign>-)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\.(?P<frac>\d+))?\s*(?P<unit>千|万|亿)?(?P<yuan>元)?$"
)
_FAST_PLAIN = r"^(?P<sign>-)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?(?P<unit>)$"
_FAST_UNITS = {"": 0, "千": 3, "万": 4, "亿": 8}


def _scaled_integers(fields: pa.StructArray, shift: int) -> tuple[np.ndarray, np.ndarray]:
    """From regex fields int/frac/unit/sign: round_half_up(number × 10^shift) as int64, and
    whether the row could be computed exactly in 64 bits (else it goes to the scalar)."""
    matched = to_bool(pc.is_valid(fields))
    digits_int = pc.replace_substring(fields.field("int"), ",", "")
    frac = pc.fill_null(fields.field("frac"), "")
    mantissa_text = pc.binary_join_element_wise(digits_int, frac, "")
    length = to_int(pc.utf8_length(mantissa_text))
    matched &= length <= 18  # fits int64 with room; longer ones are rare: scalar path
    mantissa = to_int(pc.cast(pc.if_else(pa.array(matched), mantissa_text, "0"), pa.int64()))
    unit = fields.field("unit")
    exponent = np.zeros(len(fields), dtype=np.int64)
    for word, power in _FAST_UNITS.items():
        if power:
            exponent[to_bool(pc.equal(unit, word))] = power
    exponent += shift - to_int(pc.utf8_length(frac))
    result = np.zeros(len(fields), dtype=np.int64)
    up = exponent >= 0
    scale_up = 10 ** np.clip(exponent, 0, 18)
    with np.errstate(over="ignore"):
        fits = mantissa <= _MAX_FEN // scale_up
        result[up] = mantissa[up] * scale_up[up]
    matched &= ~up | fits
    down = ~up
    divisor = 10 ** np.clip(-exponent, 0, 18)
    quotient, remainder = np.divmod(mantissa, divisor)
    result[down] = (quotient + (2 * remainder >= divisor))[down]
    negative = to_bool(pc.equal(fields.field("sign"), "-"))
    result[negative] = -result[negative]
    return matched, result


def _fast_amount(accept_cny_markers: bool):
    pattern = _FAST_AMOUNT if accept_cny_markers else _FAST_PLAIN

    def fast(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        matched, fen = _scaled_integers(pc.extract_regex(text, pattern), shift=2)
        return matched & (np.abs(fen) < _MAX_FEN), fen

    return fast


def _fast_number_fen(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Workbook floats that are whole fen (the usual case) convert exactly by rounding ×100;
    the rest (sub-fen digits, huge values) go to the exact Decimal path."""
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = numbers * 100
        rounded = np.rint(scaled)
        ok = (np.abs(numbers) < 1e13) & (np.abs(scaled - rounded) < 1e-6)
    return ok, np.where(ok, rounded, 0).astype(np.int64)


def parse_amount_column(series: pd.Series, *, currency: str | None = None) -> ParsedColumn:
    """Amounts of a raw column as Int64 minor units (fen), <NA> where blank or failed."""

    def scalar(value: object) -> Decimal | None:
        return parse_amount(value, currency=currency)

    out, have, codes = drive(
        series,
        out_dtype="int64",
        scalar=scalar,
        convert=to_minor_units,
        fast_text=_fast_amount(currency is None or currency.upper() == "CNY"),
        fast_number=_fast_number_fen,
    )
    return finish(series, pd.arrays.IntegerArray(out, ~have), codes)


def parse_int(value: object) -> int | None:
    """A whole number (counts, scores): 12, 1,234, 12.0, 1.2万; None when blank.

    Raises ValueProblemError (bad_int, out_of_range, cell_error).
    """
    if is_missing(value):
        return None
    if _is_number(value):
        number = _from_number(value, ProblemCode.BAD_INT)
    elif isinstance(value, str):
        text = _compact(value)
        if text is None:
            return None
        match = _AMOUNT.fullmatch(text)
        if not match or match["pre"] or match["pre2"] or match["suf"]:
            raise ValueProblemError(ProblemCode.BAD_INT, value)
        number = Decimal(match["num"].replace(",", ""))
        if match["unit"]:
            number *= 10 ** UNIT_EXPONENTS[match["unit"].upper()]
        if match["sign"] == "-":
            number = -number
    else:
        raise ValueProblemError(ProblemCode.BAD_INT, value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueProblemError(ProblemCode.BAD_INT, value)
    if abs(number) >= 2**63:
        raise ValueProblemError(ProblemCode.OUT_OF_RANGE, value)
    return int(number)


def _fast_int(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    fields = pc.extract_regex(text, _FAST_PLAIN)
    matched, scaled = _scaled_integers(fields, shift=0)
    has_fraction = to_bool(pc.greater(pc.utf8_length(pc.fill_null(fields.field("frac"), "")), 0))
    return matched & ~has_fraction, scaled


def _fast_number_int(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore"):
        ok = (np.abs(numbers) < 2**53) & (np.mod(numbers, 1) == 0)
    return ok, np.where(ok, numbers, 0).astype(np.int64)


def parse_int_column(series: pd.Series) -> ParsedColumn:
    """Whole numbers of a raw column as Int64, <NA> where blank or failed."""
    out, have, codes = drive(
        series, out_dtype="int64", scalar=parse_int, fast_text=_fast_int,
        fast_number=_fast_number_int,
    )  # fmt: skip
    return finish(series, pd.arrays.IntegerArray(out, ~have), codes)


def _percent_parts(value: object) -> tuple[Decimal, str] | None:
    """(number, '%' | '‰' | '') of a percent cell; None when blank."""
    if is_missing(value):
        return None
    if _is_number(value):
        number = _from_number(value, ProblemCode.BAD_PERCENT)
        return None if number is None else (number, "")
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueProblemError(ProblemCode.BAD_PERCENT, value)
    text = _compact(value)
    if text is None:
        return None
    match = _PERCENT.fullmatch(text)
    if not match:
        raise ValueProblemError(ProblemCode.BAD_PERCENT, value)
    number = Decimal(match["num"].replace(",", ""))
    return (-number if match["sign"] == "-" else number), match["pct"] or ""


def _ratio(number: Decimal, mark: str, bare: BareNumber) -> float:
    if mark == "%" or (mark == "" and (bare == "percent" or (bare == "auto" and abs(number) > 1))):
        number = number / 100
    elif mark == "‰":
        number = number / 1000
    try:
        return float(number) + 0.0  # + 0.0 turns -0.0 into 0.0
    except (InvalidOperation, OverflowError):  # pragma: no cover - float() saturates to inf
        return math.inf


def parse_percent(value: object, *, bare: BareNumber = "auto") -> float | None:
    """A percentage as a ratio (83.3% -> 0.833); None when blank.

    ``bare`` says what a number without % means: "ratio" (0.833, what an Excel cell
    formatted as % holds), "percent" (83.3 in a column headed 完成率(%)) or "auto": a bare
    number with |x| <= 1 is a ratio, a larger one percentage points. The column version
    resolves "auto" once for the whole column instead (see parse_percent_column).
    Raises ValueProblemError (bad_percent, cell_error).
    """
    parts = _percent_parts(value)
    if parts is None:
        return None
    number, mark = parts
    if not number.is_finite():
        raise ValueProblemError(ProblemCode.BAD_PERCENT, value)
    ratio = _ratio(number, mark, bare)
    if math.isinf(ratio):
        raise ValueProblemError(ProblemCode.OUT_OF_RANGE, value)
    return ratio


_FAST_PERCENT = r"^(?P<sign>[-+])?(?P<int>\d+)(?:\.(?P<frac>\d+))?\s*(?P<pct>%|％|‰)?$"


def _resolve_bare(split: columns.Split, bare: BareNumber) -> tuple[BareNumber, tuple[str, ...]]:
    """For "auto": bare numbers are ratios when every bare number in the column is within
    [-1, 1], else all of them are percentage points; returns the choice and a note."""
    if bare != "auto":
        return bare, ()
    largest = 0.0
    if len(split.text):
        fields = pc.extract_regex(split.text, _FAST_PERCENT)
        is_bare = pa.array(to_bool(pc.and_(pc.is_valid(fields), pc.equal(fields.field("pct"), ""))))
        frac = fields.field("frac").filter(is_bare)
        whole = fields.field("int").filter(is_bare)
        spelled = pc.if_else(
            pc.equal(frac, ""), whole, pc.binary_join_element_wise(whole, frac, ".")
        )
        numbers = pc.cast(spelled, pa.float64())
        largest = max(largest, pc.max(numbers).as_py() or 0.0)
        others = np.flatnonzero(to_bool(pc.is_null(fields)))
        for pos in others:  # spellings beyond the fast path: full-width digits and the like
            largest = max(largest, _bare_magnitude(split.text[int(pos)].as_py()))
    if len(split.number_pos):
        numbers = np.abs(split.raw[split.number_pos].astype(np.float64))
        largest = max(largest, float(np.nanmax(numbers)) if len(numbers) else 0.0)
    resolved: BareNumber = "percent" if largest > 1 else "ratio"
    return resolved, (f"bare_numbers_as_{resolved}",)


def _bare_magnitude(text: str) -> float:
    try:
        parts = _percent_parts(text)
    except ValueProblemError:
        return 0.0
    if parts is None or parts[1] or not parts[0].is_finite():
        return 0.0
    return float(abs(parts[0]))


def parse_percent_column(series: pd.Series, *, bare: BareNumber = "auto") -> ParsedColumn:
    """Percentages of a raw column as Float64 ratios, <NA> where blank or failed.

    With ``bare="auto"`` the meaning of bare numbers is decided once for the column (ratios
    if all are within ±1, else percentage points) and reported in ``notes`` as
    ``bare_numbers_as_ratio`` / ``bare_numbers_as_percent``.
    """
    split = columns.split_column(series)
    resolved, notes = _resolve_bare(split, bare)

    def fast_text(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        fields = pc.extract_regex(text, _FAST_PERCENT)
        matched = to_bool(pc.is_valid(fields))
        digits = pc.binary_join_element_wise(
            fields.field("int"), pc.fill_null(fields.field("frac"), ""), ""
        )
        matched &= to_int(pc.utf8_length(digits)) <= 15  # exact in a double
        mantissa = to_int(pc.cast(pc.if_else(pa.array(matched), digits, "0"), pa.int64()))
        pct = fields.field("pct")
        scale = to_int(pc.utf8_length(pc.fill_null(fields.field("frac"), "")))
        scale += np.where(to_bool(pc.is_in(pct, pa.array(["%", "％"]))), 2, 0)
        scale += np.where(to_bool(pc.equal(pct, "‰")), 3, 0)
        if resolved == "percent":
            scale += np.where(to_bool(pc.equal(pct, "")), 2, 0)
        ratio = mantissa.astype(np.float64) / np.power(10.0, scale)  # correctly rounded
        ratio[to_bool(pc.equal(fields.field("sign"), "-"))] *= -1
        return matched, ratio + 0.0

    def fast_number(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ok = np.isfinite(numbers) & (resolved == "ratio")  # percent: exact /100 via Decimal
        return ok, numbers + 0.0

    def scalar(value: object) -> float | None:
        return parse_percent(value, bare=resolved)

    out, have, codes = drive(
        series, out_dtype="float64", scalar=scalar, fast_text=fast_text,
        fast_number=fast_number, split=split,
    )  # fmt: skip
    return finish(series, pd.arrays.FloatingArray(out, ~have), codes, notes)
