"""From an upload (bytes + file name, what a Streamlit upload gives) to a raw table: the
header found, columns named, empty rows and columns dropped, every data row keeping the
row number Excel shows for it.

Workbooks (xlsx/xlsm, xlsb, ods, xls) are read by python-calamine: formulas are never
evaluated, a formula cell yields the value Excel cached when it saved the file; an error
cell (#N/A) arrives blank (python-calamine reads error cells as ""). A vertically merged
cell's value fills every row it covers. CSV/TSV text
is read by pandas' C parser with every cell kept as text. Values stay raw (workbook cells
keep their types: float, str, bool, datetime); the value parsers turn them into domain
types. Every refusal is a ``SpreadsheetRejected`` with a code, never another exception.
"""

from __future__ import annotations

import io
import logging
import struct
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd
import python_calamine as calamine

from salesboard.importing import csvtext, header
from salesboard.importing.isolation import run_isolated
from salesboard.importing.ole import CompoundFile, xls_largest_sheet
from salesboard.importing.problems import ReadWarning, RejectCode, SpreadsheetRejected, WarningCode
from salesboard.importing.sheet_size import check_xlsx_sheet_size
from salesboard.importing.sniff import Detected, detect_format

log = logging.getLogger(__name__)

DEFAULT_MAX_CELLS = 10_000_000  # 1M rows × 10 columns or 100k × 100: Python cells < ~1 GB
_TOP_ROWS = 60  # rows handed to header detection (it scans the first header.SCAN_ROWS)


@dataclass
class RawTable:
    """One sheet as raw cells under unique column names.

    ``frame`` has one column per name in ``columns`` and is indexed by the spreadsheet row
    number (1-based, as Excel shows it; for CSV the record number) of each data row.
    ``header_row`` is the row number of the (first) header row, ``header_rows`` how many
    rows the header has. ``column_letters`` gives each column's Excel letter.
    """

    columns: list[str]
    frame: pd.DataFrame
    header_row: int
    header_rows: int
    sheet: str | None
    source_format: str
    column_letters: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[ReadWarning] = field(default_factory=list)

    @property
    def row_numbers(self) -> np.ndarray:
        """Spreadsheet row number of every data row (1-based), in frame order."""
        return self.frame.index.to_numpy()


@dataclass
class _Grid:
    cells: pd.DataFrame  # columns 0..w-1 = sheet columns, index 0.. = sheet rows
    merges: list[header.Merge]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    warnings: list[ReadWarning] = field(default_factory=list)


def list_sheets(
    data: bytes,
    name: str,
    *,
    max_cells: int = DEFAULT_MAX_CELLS,
    **limits: int,
) -> list[str]:
    """Names of the visible worksheets of a workbook, in workbook order; [] for CSV/TSV.
    ``limits``: ``detect_format``'s ``max_bytes`` and ``max_unpacked_bytes``.

    Raises SpreadsheetRejected (see ``detect_format``; an .xls also too_large/corrupt, as
    its sheets are parsed to list them).
    """
    detected = _detected(data, name, limits)
    if detected.format == "csv":
        return []
    with _guarded(RejectCode.CORRUPT):
        if detected.format == "xls":  # calamine parses every .xls sheet when it opens one
            _check_xls(data, max_cells)
        return run_isolated(_workbook_sheets, data)


def _detected(data: bytes, name: str, limits: dict[str, int]) -> Detected:
    with _guarded(RejectCode.CORRUPT):  # damaged containers fail in many ways
        return detect_format(data, name, **limits)


def _workbook_sheets(data: bytes) -> list[str]:
    with _guarded(RejectCode.CORRUPT):
        return _visible_sheets(_open_workbook(data))


def read_sheet(
    data: bytes,
    name: str,
    sheet: str | int | None = None,
    *,
    header_row: int | None = None,
    header_rows: int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_cells: int = DEFAULT_MAX_CELLS,
    **limits: int,
) -> RawTable:
    """Read one sheet of an upload (the first visible one by default; a name or 0-based
    index otherwise) into a RawTable.

    ``header_row`` (1-based row number) and ``header_rows`` (1 or 2) override header
    detection; ``encoding`` and ``delimiter`` override CSV sniffing; ``limits`` as for
    ``list_sheets``.
    Raises SpreadsheetRejected (empty, too_large, not_a_spreadsheet, html_not_excel,
    zip_bomb, encrypted, corrupt, unreadable_sheet, sheet_not_found, bad_encoding,
    bad_header_row).
    """
    detected = _detected(data, name, limits)
    with _guarded(RejectCode.UNREADABLE_SHEET):
        if detected.format == "csv":
            grid = _text_grid(data, name, encoding, delimiter)
        else:  # in a child process: a reader that dies there only refuses the file
            grid = run_isolated(_workbook_grid, data, detected.format, sheet, max_cells)
        return _table(grid, detected, header_row, header_rows)


class _guarded:
    """Turn any unexpected failure inside a reader into a coded refusal (and log it)."""

    def __init__(self, code: RejectCode) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb) -> bool:
        if error is None or isinstance(error, SpreadsheetRejected):
            return False
        if isinstance(error, calamine.PasswordError):
            raise SpreadsheetRejected(RejectCode.ENCRYPTED) from error
        if isinstance(error, MemoryError):
            raise SpreadsheetRejected(RejectCode.TOO_LARGE) from error
        if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
            return False
        # Anything else, including a Rust panic inside calamine (pyo3's PanicException is a
        # BaseException), is a file we cannot read, not a crash of the page.
        log.warning("spreadsheet refused as %s", self.code.value, exc_info=error)
        raise SpreadsheetRejected(self.code, error=type(error).__name__) from error


def _open_workbook(data: bytes) -> calamine.CalamineWorkbook:
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise SpreadsheetRejected(RejectCode.ENCRYPTED) from None
    except BaseException as error:  # calamine raises several types (even panics) for damage
        if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        raise SpreadsheetRejected(RejectCode.CORRUPT, error=type(error).__name__) from error


def _visible_sheets(workbook: calamine.CalamineWorkbook) -> list[str]:
    return [
        meta.name
        for meta in workbook.sheets_metadata
        if meta.typ == calamine.SheetTypeEnum.WorkSheet
        and meta.visible == calamine.SheetVisibleEnum.Visible
    ]


def _check_cells(cells: int, max_cells: int) -> None:
    if cells > max_cells:
        raise SpreadsheetRejected(RejectCode.TOO_LARGE, cells=cells, max_cells=max_cells)


def _check_xls(data: bytes, max_cells: int) -> None:
    """calamine reads every sheet of an .xls when it opens it and allocates each sheet's
    full box: check the boxes (and the DIMENSIONS records) first, since a failed huge
    allocation in Rust aborts the whole process instead of raising."""
    try:
        book = CompoundFile(data)
        names = book.names()
        stream = book.stream("Workbook" if "Workbook" in names else "Book")
        largest = xls_largest_sheet(stream)
    except (ValueError, KeyError, StopIteration, struct.error):
        raise SpreadsheetRejected(RejectCode.CORRUPT) from None
    _check_cells(largest, max_cells)


def _workbook_grid(data: bytes, kind: str, sheet: str | int | None, max_cells: int) -> _Grid:
    with _guarded(RejectCode.UNREADABLE_SHEET):
        return _read_workbook_grid(data, kind, sheet, max_cells)


def _read_workbook_grid(data: bytes, kind: str, sheet: str | int | None, max_cells: int) -> _Grid:
    if kind == "xls":
        _check_xls(data, max_cells)
    workbook = _open_workbook(data)
    names = workbook.sheet_names
    if sheet is None:
        visible = _visible_sheets(workbook)
        if not visible:
            raise SpreadsheetRejected(RejectCode.SHEET_NOT_FOUND)
        sheet = visible[0]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise SpreadsheetRejected(RejectCode.SHEET_NOT_FOUND, sheet=sheet)
        sheet = names[sheet]
    elif sheet not in names:
        raise SpreadsheetRejected(RejectCode.SHEET_NOT_FOUND, sheet=sheet)
    if kind == "xlsx":  # bound the box from the sheet's XML before calamine allocates it
        check_xlsx_sheet_size(data, sheet, max_cells)
    try:
        worksheet = workbook.get_sheet_by_name(sheet)
    except calamine.PasswordError:
        raise SpreadsheetRejected(RejectCode.ENCRYPTED) from None
    except Exception as error:
        raise SpreadsheetRejected(RejectCode.UNREADABLE_SHEET, sheet=sheet) from error
    end = worksheet.end
    if end is None:
        raise SpreadsheetRejected(RejectCode.EMPTY, sheet=sheet)
    _check_cells((end[0] + 1) * (end[1] + 1), max_cells)  # rows/columns from A1 on
    rows = worksheet.to_python(skip_empty_area=False)
    frame = pd.DataFrame(rows, dtype=object)
    del rows
    frame = frame.where(frame.ne(""), None)  # calamine's empty cell is ""
    merges = list(worksheet.merged_cell_ranges or [])
    _fill_vertical_merges(frame, merges)
    return _Grid(frame, merges, sheet=sheet)


def _fill_vertical_merges(frame: pd.DataFrame, merges: list[header.Merge]) -> None:
    """Give every row of a vertically merged cell its value (a customer merged over three
    opportunity rows belongs to all three). Horizontal spans are only spread in the header:
    in data rows they are notes or totals, and copying them into typed columns would only
    make errors."""
    rows, cols = frame.shape
    for (r1, c1), (r2, c2) in merges:
        if r2 > r1 and r1 < rows and c1 < cols:
            for c in range(c1, min(c2, cols - 1) + 1):
                if c == c1 or r1 < _TOP_ROWS:  # a header block merged both ways, too
                    frame.iloc[r1 + 1 : r2 + 1, c] = frame.iat[r1, c1]


def _text_grid(data: bytes, name: str, encoding: str | None, delimiter: str | None) -> _Grid:
    warnings: list[ReadWarning] = []
    if encoding is None:
        encoding, warnings = csvtext.detect_encoding(data)
    else:
        try:
            "".encode(encoding)
        except LookupError:
            raise SpreadsheetRejected(RejectCode.BAD_ENCODING, encoding=encoding) from None
    sample = csvtext.sample_text(data, encoding)
    if not sample.strip():
        raise SpreadsheetRejected(RejectCode.EMPTY)
    if delimiter is None:
        prefer_tab = PurePath(name).suffix.lower() in (".tsv", ".txt")
        delimiter = csvtext.sniff_delimiter(sample, prefer_tab=prefer_tab)
    lines = sample.splitlines()
    complete = "\n".join(lines[:-1] if len(data) > csvtext.SAMPLE_BYTES else lines)
    width = max(csvtext.field_count(complete, delimiter), 1)
    try:
        cells = csvtext.read_text_grid(data, encoding, delimiter, width)
    except pd.errors.ParserError:  # a record further down has more fields than the sample
        width = csvtext.field_count(data.decode(encoding), delimiter)
        cells = csvtext.read_text_grid(data, encoding, delimiter, width)
    except UnicodeDecodeError:
        raise SpreadsheetRejected(RejectCode.BAD_ENCODING, encoding=encoding) from None
    return _Grid(cells, [], encoding=encoding, delimiter=delimiter, warnings=warnings)


def _rows(cells: pd.DataFrame) -> list[list[object]]:
    """DataFrame rows as lists with None for missing cells."""
    return cells.astype(object).where(cells.notna(), None).values.tolist()


def _table(
    grid: _Grid, detected: Detected, header_row: int | None, header_rows: int | None
) -> RawTable:
    cells = grid.cells
    warnings = [*detected.warnings, *grid.warnings]
    filled = cells.notna().to_numpy()
    filled_rows = np.flatnonzero(filled.any(axis=1))
    if not len(filled_rows):
        raise SpreadsheetRejected(RejectCode.EMPTY)
    if header_row is not None:
        if not 1 <= header_row <= len(cells):
            raise SpreadsheetRejected(RejectCode.BAD_HEADER_ROW, header_row=header_row)
        top_index = header_row - 1
    else:
        top = _rows(cells.iloc[:_TOP_ROWS])
        width = int(filled[: _TOP_ROWS * 4].sum(axis=1).max())
        top_index = header.detect_header(top, width)
        if top_index is None:
            top_index = int(filled_rows[0])
            warnings.append(ReadWarning(WarningCode.HEADER_NOT_FOUND, {"row": top_index + 1}))
    if header_rows is None:
        near = _rows(cells.iloc[top_index : top_index + 2])
        header_rows = header.header_depth(near, 0, grid.merges, row_offset=top_index)
    elif not 1 <= header_rows <= 5:
        raise SpreadsheetRejected(RejectCode.BAD_HEADER_ROW, header_rows=header_rows)
    header_rows = min(header_rows, len(cells) - top_index)
    data_start = top_index + header_rows
    keep_rows = filled_rows[filled_rows >= data_start]
    keep_cols = np.flatnonzero(filled[top_index:].any(axis=0))
    names, name_warnings = header.column_names(
        _rows(cells.iloc[top_index:data_start]),
        grid.merges,
        first_row=top_index,
        columns=keep_cols.tolist(),
    )
    # Slices, not fancy indexing, in the usual case: no copy of a million-row frame.
    frame = cells.iloc[data_start:]
    if len(keep_rows) < len(frame):
        frame = cells.iloc[keep_rows]
    if len(keep_cols) < cells.shape[1]:
        frame = frame.iloc[:, keep_cols]
    frame = frame.set_axis(names, axis=1).set_axis(pd.Index(keep_rows + 1, name="row"), axis=0)
    return RawTable(
        columns=names,
        frame=frame,
        header_row=top_index + 1,
        header_rows=header_rows,
        sheet=grid.sheet,
        source_format=detected.format,
        column_letters=[header.column_letter(c) for c in keep_cols],
        encoding=grid.encoding,
        delimiter=grid.delimiter,
        warnings=[*warnings, *name_warnings],
    )
