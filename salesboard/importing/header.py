"""Finding the header row of a sheet and turning one or two header rows (with merged cells)
into unique, readable column names.

Chinese templates put a title (销售过程跟踪表, merged across the top), blank rows and a
"制表人/日期" line above the header, and often a two-row header: a merged group cell (计划)
over sub-headers (开始, 结束). The header is the first row, among the top ``SCAN_ROWS``, whose
cells are mostly distinct short labels across the table's width; it has two rows when the
row below it fills in the gaps of a merged group (or, in a CSV, of a blank-padded group).
"""

from __future__ import annotations

from collections.abc import Sequence

from salesboard.importing.dates import parse_date
from salesboard.importing.numbers import parse_amount, parse_percent
from salesboard.importing.problems import ReadWarning, ValueProblemError, WarningCode
from salesboard.importing.text import normalize_text

SCAN_ROWS = 30
MAX_LABEL_LENGTH = 40
Merge = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first col), (last row, last col))


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def is_label(value: object) -> bool:
    """Whether a cell reads like a column label: short text that is not a number/date."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or len(text) > MAX_LABEL_LENGTH:
        return False
    for parse in (parse_amount, parse_date, parse_percent):
        try:
            if parse(text) is not None:
                return False
        except ValueProblemError:
            pass
    return True


def row_score(row: Sequence[object], width: int) -> float:
    """Share of the table's width covered by distinct labels, minus a penalty per value."""
    labels = {v.strip() for v in row if is_label(v)}
    values = sum(1 for v in row if _filled(v) and not is_label(v))
    return (len(labels) - values) / max(width, 1)


def detect_header(rows: Sequence[Sequence[object]], width: int) -> int | None:
    """Position of the header among ``rows`` (the top of the sheet), or None if no row
    looks like one. The first row scoring within 80 % of the best wins: a header comes
    before the data it names."""
    candidates = [
        (i, row_score(row, width))
        for i, row in enumerate(rows[:SCAN_ROWS])
        if sum(map(_filled, row)) >= 2 and _has_row_after(rows, i)
    ]
    if not candidates:
        return None
    best = max(score for _, score in candidates)
    if best < 0.3:
        return None
    return next(i for i, score in candidates if score >= 0.8 * best)


def _has_row_after(rows: Sequence[Sequence[object]], index: int) -> bool:
    return any(any(map(_filled, row)) for row in rows[index + 1 :]) or index + 1 >= len(rows)


def header_depth(
    rows: Sequence[Sequence[object]], index: int, merges: Sequence[Merge], row_offset: int = 0
) -> int:
    """1 or 2: whether the row below the header is a second header row (sub-headers under
    merged or blank-padded group cells). ``row_offset`` maps ``rows`` positions to the
    sheet rows that ``merges`` use."""
    if index + 1 >= len(rows):
        return 1
    top, below = rows[index], rows[index + 1]
    sheet_row = index + row_offset
    for (r1, c1), (r2, c2) in merges:
        if r1 == sheet_row and r2 >= sheet_row + 1:
            return 2  # a label merged down over both rows (编号 spanning two rows)
        if r1 == sheet_row and c2 > c1 and any(_filled(below[c]) for c in _cols(c1, c2, below)):
            return 2  # a group label merged across sub-headers
    filled_below = [c for c, v in enumerate(below) if _filled(v)]
    if len(filled_below) < 2 or not all(is_label(below[c]) for c in filled_below):
        return 1
    only_top = any(_filled(v) and not _filled(_at(below, c)) for c, v in enumerate(top))
    only_below = any(not _filled(_at(top, c)) for c in filled_below)
    return 2 if only_top and only_below else 1


def _cols(first: int, last: int, row: Sequence[object]) -> range:
    return range(first, min(last, len(row) - 1) + 1)


def _at(row: Sequence[object], col: int) -> object:
    return row[col] if col < len(row) else None


def _label_text(value: object) -> str:
    text = normalize_text(value)
    return " ".join(text.split()) if text else ""


def column_names(
    header: Sequence[Sequence[object]],
    merges: Sequence[Merge],
    *,
    first_row: int,
    columns: Sequence[int],
) -> tuple[list[str], list[ReadWarning]]:
    """Unique names for the sheet columns ``columns`` from the header rows (sheet rows
    ``first_row`` …): merged cells spread over their range, a group joined with its
    sub-header (计划 开始), a blank name replaced by the Excel column letter, repeats numbered
    (金额, 金额_2)."""
    grid = [
        [_label_text(_at(row, c)) for c in range(max(columns, default=-1) + 1)] for row in header
    ]
    depth = len(grid)
    for (r1, c1), (r2, c2) in merges:
        for r in range(max(r1, first_row), min(r2, first_row + depth - 1) + 1):
            for c in range(c1, min(c2, len(grid[0]) - 1) + 1):
                if (r, c) != (r1, c1) and 0 <= r1 - first_row < depth and c1 < len(grid[0]):
                    grid[r - first_row][c] = grid[r1 - first_row][c1]
    if depth == 2 and not merges:  # CSV: a group label covers blanks to its right
        top, below = grid
        for c in range(1, len(top)):
            if not top[c] and below[c] and below[c - 1] and top[c - 1]:
                top[c] = top[c - 1]
    names, warnings = [], []
    for c in columns:
        parts = [grid[r][c] for r in range(depth) if grid[r][c]]
        name = " ".join(dict.fromkeys(parts))  # 编号 merged down both rows is said once
        if not name:
            name = column_letter(c)
            warnings.append(ReadWarning(WarningCode.BLANK_HEADER_NAMED, {"column": name}))
        names.append(name)
    return _deduplicate(names, warnings), warnings


def _deduplicate(names: list[str], warnings: list[ReadWarning]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for name in names:
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{name}_{n}"
        if candidate != name:
            warnings.append(
                ReadWarning(WarningCode.DUPLICATE_HEADER_RENAMED, {"name": name, "as": candidate})
            )
        seen.add(candidate)
        unique.append(candidate)
    return unique
