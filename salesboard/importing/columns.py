"""The column driver behind every ``parse_*_column``: a vectorised fast path for the common
spellings, then the scalar parser, row by row, for whatever the fast path left over.

Text cells go through pyarrow compute (RE2 regexes, casts), which handles a million cells in
a fraction of a second; a cell the fast path does not match is handed to the scalar parser,
so the column result is by construction what the scalar parser says for every cell.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesboard.importing.problems import ProblemCode, ValueProblem, ValueProblemError
from salesboard.importing.text import BLANK_TOKENS, cell_text

_CODES = list(ProblemCode)


@dataclass(frozen=True)
class ParsedColumn:
    """A parsed column: ``values`` (same index as the input; missing where blank or failed),
    ``codes`` (a ProblemCode where a non-blank cell failed, missing elsewhere), the input
    ``source`` (to quote offending text) and column-level ``notes`` (e.g. how bare numbers in
    a percent column were read)."""

    values: pd.Series
    codes: pd.Series
    source: pd.Series
    notes: tuple[str, ...] = ()

    @property
    def failed(self) -> pd.Series:
        """True where a non-blank cell did not parse."""
        return self.codes.notna()

    def problems(self, limit: int | None = None) -> list[tuple[Hashable, ValueProblem]]:
        """(index label, problem) for the failed cells, in row order, at most ``limit``."""
        bad = self.codes[self.codes.notna()]
        if limit is not None:
            bad = bad.iloc[:limit]
        source = self.source.loc[bad.index]
        return [
            (label, ValueProblem(ProblemCode(code), cell_text(raw) or ""))
            for label, code, raw in zip(bad.index, bad.to_numpy(), source.to_numpy(), strict=True)
        ]


@dataclass(frozen=True)
class Split:
    """A column split by cell kind. ``text`` holds the trimmed text cells (pyarrow), at
    positions ``text_pos``; ``number_pos`` are real numbers (not bools) from a workbook;
    ``other_pos`` anything else that is not missing (dates, bools, Decimals …)."""

    raw: np.ndarray
    text: pa.Array
    text_pos: np.ndarray
    number_pos: np.ndarray
    other_pos: np.ndarray


_STR, _NUM, _MISSING, _OTHER = 0, 1, 2, 3


def _kind(value: object) -> int:
    kind = type(value)
    if kind is str:
        return _STR
    if kind is float or kind is int or kind is np.float64 or kind is np.int64:
        return _MISSING if value != value else _NUM
    if value is None or value is pd.NA or value is pd.NaT:
        return _MISSING
    return _OTHER


def split_column(series: pd.Series) -> Split:
    """Split a raw column (str dtype from a CSV, object dtype from a workbook) by cell kind."""
    n = len(series)
    if isinstance(series.dtype, pd.StringDtype):  # a CSV column: text or missing only
        arr = pa.array(series.array, type=pa.string(), from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):  # large CSVs and concatenations come in chunks
            arr = arr.combine_chunks()
        valid = to_bool(pc.is_valid(arr))
        text = pc.utf8_trim_whitespace(arr.filter(pa.array(valid)))
        raw = series.to_numpy(dtype=object, na_value=None)
        empty = np.empty(0, dtype=np.intp)
        return Split(raw, text, np.flatnonzero(valid), empty, empty)
    raw = series.to_numpy(dtype=object)
    kinds = np.fromiter(map(_kind, raw), dtype=np.int8, count=n)
    text_pos = np.flatnonzero(kinds == _STR)
    text = pc.utf8_trim_whitespace(pa.array(raw[text_pos], type=pa.string()))
    return Split(
        raw, text, text_pos, np.flatnonzero(kinds == _NUM), np.flatnonzero(kinds == _OTHER)
    )


def blank_mask(text: pa.Array) -> np.ndarray:
    """Where a trimmed text cell means "no value" (empty, -, N/A, 无 …)."""
    lowered = pc.utf8_lower(text)
    return to_bool(pc.is_in(lowered, value_set=pa.array(sorted(BLANK_TOKENS))))


def to_bool(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow boolean array as numpy, null counted as False."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def to_int(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A pyarrow integer array as int64 numpy, null as 0."""
    return np.asarray(pc.fill_null(array, 0).to_numpy(zero_copy_only=False), dtype=np.int64)


# A fast path gets the trimmed text cells and returns (matched mask, values for all of them;
# only the matched entries are read). A number path does the same for workbook numbers.
FastText = Callable[[pa.Array], tuple[np.ndarray, np.ndarray]]
FastNumber = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def drive(
    series: pd.Series,
    *,
    out_dtype: str,
    scalar: Callable[[object], object],
    convert: Callable[[object], object] = lambda v: v,
    fast_text: FastText | None = None,
    fast_number: FastNumber | None = None,
    blanks: Callable[[pa.Array], np.ndarray] = blank_mask,
    split: Split | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse a column: fast paths first, then ``scalar`` on the leftovers.

    Returns (values in ``out_dtype``, have-value mask, problem-code index or -1).
    """
    split = split or split_column(series)
    n = len(split.raw)
    out = np.zeros(n, dtype=out_dtype)
    have = np.zeros(n, dtype=bool)
    codes = np.full(n, -1, dtype=np.int8)
    leftovers = [split.other_pos]
    if len(split.text_pos):
        blank = blanks(split.text)
        matched = np.zeros(len(split.text_pos), dtype=bool)
        if fast_text is not None:
            matched, values = fast_text(split.text)
            matched &= ~blank
            out[split.text_pos[matched]] = values[matched]
            have[split.text_pos[matched]] = True
        leftovers.append(split.text_pos[~matched & ~blank])
    if len(split.number_pos):
        if fast_number is not None:
            numbers = split.raw[split.number_pos].astype(np.float64)
            matched, values = fast_number(numbers)
            out[split.number_pos[matched]] = values[matched]
            have[split.number_pos[matched]] = True
            leftovers.append(split.number_pos[~matched])
        else:
            leftovers.append(split.number_pos)
    for pos in np.sort(np.concatenate(leftovers)):
        try:
            result = scalar(split.raw[pos])
        except ValueProblemError as error:
            codes[pos] = _CODES.index(error.problem.code)
            continue
        if result is not None:
            out[pos] = convert(result)
            have[pos] = True
    return out, have, codes


def codes_series(codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Problem-code indexes (-1 = none) as a categorical Series of ProblemCode values."""
    categorical = pd.Categorical.from_codes(codes, categories=[c.value for c in _CODES])
    return pd.Series(categorical, index=index, name="problem")


def finish(
    series: pd.Series,
    values: pd.api.extensions.ExtensionArray | np.ndarray,
    codes: np.ndarray,
    notes: tuple[str, ...] = (),
) -> ParsedColumn:
    """Wrap driver output as a ParsedColumn aligned with the input's index."""
    return ParsedColumn(
        values=pd.Series(values, index=series.index, name=series.name),
        codes=codes_series(codes, series.index),
        source=series,
        notes=notes,
    )
