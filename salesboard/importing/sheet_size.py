"""The size of an xlsx sheet, read from its XML before any workbook reader sees it.

A workbook reader allocates the whole box from A1 to the farthest cell holding a value: one
stray value at XFD1048576 means 17 billion cells, and a failed allocation inside the Rust
reader aborts the process instead of raising. So the sheet's XML is streamed through a real
XML parser (defusedxml's expat, no DTDs, no entities), and cells are placed the way a reader
places them: by their ``r`` reference however it is quoted, spaced or prefixed, or after the
previous cell and row when they have none. The scan stops as soon as the box passes the
bound, so a sheet of twelve million unreferenced cells costs a fraction of a second, not a
gigabyte.
"""

from __future__ import annotations

import io
import zipfile
from xml.parsers.expat import ExpatError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError, fromstring

from salesboard.importing.problems import RejectCode, SpreadsheetRejected

MAX_ROWS = 1_048_576  # Excel's own grid
MAX_COLUMNS = 16_384
_MAX_WORKBOOK_PART = 16 * 1024 * 1024  # workbook.xml and its relationships are a few KB
_CHUNK = 1024 * 1024
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


_KINDS = {"c": 1, "v": 2, "is": 2, "row": 3}  # cell, a cell's value, row
_DIGITS = "0123456789"


class _TooLarge(Exception):
    """Raised from inside the parser's callback to stop the scan at once."""

    def __init__(self, cells: int, max_cells: int, **beyond_the_grid: int) -> None:
        self.detail = {"cells": cells, "max_cells": max_cells, **beyond_the_grid}


def _box_scanner(max_cells: int):
    """An expat element-start callback tracking the farthest row and column that hold a
    value, and a function returning (rows, columns) so far. A closure over plain locals:
    it runs once per element (two million for a 100,000-row sheet), so every step counts."""
    row = col = cell_row = max_row = max_col = 0
    columns: dict[str, int] = {}
    kinds: dict[str, int] = {}

    def start(name: str, attrs: list[str]) -> None:
        nonlocal row, col, cell_row, max_row, max_col
        kind = kinds.get(name)
        if kind is None:  # readers match the local name whatever the namespace
            kind = kinds[name] = _KINDS.get(name.rpartition("}")[2], 0)
        if kind == 1:
            ref = _attribute(attrs, "r")
            if ref is None:  # after the previous cell of this row
                col += 1
                cell_row = row
            else:
                letters = ref.rstrip(_DIGITS)
                col = columns.get(letters) or _column(columns, letters, ref)
                cell_row = _number(ref[len(letters) :])
        elif kind == 2:
            if col > max_col:
                max_col = col
                if col > MAX_COLUMNS:
                    raise _TooLarge(max(max_row, 1) * col, max_cells, columns=col)
            if cell_row > max_row:
                max_row = cell_row
                if cell_row > MAX_ROWS:
                    raise _TooLarge(cell_row * max(max_col, 1), max_cells, rows=cell_row)
        elif kind == 3:
            if max_row * max_col > max_cells:
                raise _TooLarge(max_row * max_col, max_cells)
            ref = _attribute(attrs, "r")
            row = row + 1 if ref is None else _number(ref)
            col = 0

    return start, lambda: (max_row, max_col)


def _column(columns: dict[str, int], letters: str, ref: str) -> int:
    """Column number of ``letters`` (A = 1), remembered in ``columns``."""
    if not letters.isascii() or not letters.isalpha():
        raise SpreadsheetRejected(RejectCode.CORRUPT, reference=ref[:20])
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    columns[letters] = number
    return number


def _attribute(attrs: list[str], wanted: str) -> str | None:
    if attrs and attrs[0] == wanted:  # where every writer puts ``r``
        return attrs[1]
    for at in range(2, len(attrs), 2):
        if attrs[at] == wanted:
            return attrs[at + 1]
    return None


def _number(text: str) -> int:
    if not text.isascii() or not text.strip().isdigit():
        raise SpreadsheetRejected(RejectCode.CORRUPT, reference=text[:20])
    return int(text)


def check_xlsx_sheet_size(data: bytes, sheet: str, max_cells: int) -> int:
    """Refuse (too_large) the xlsx sheet ``sheet`` when the box a reader would allocate for
    it passes ``max_cells`` cells or Excel's grid; else return the box's size in cells.
    Unknown sheets are judged by the largest worksheet; malformed XML is ``corrupt``."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = _sheet_member(archive, sheet)
    parts = [member] if member else _worksheet_parts(archive)
    return max((_scan(archive, part, max_cells) for part in parts), default=0)


def _scan(archive: zipfile.ZipFile, part: str, max_cells: int) -> int:
    start, extent = _box_scanner(max_cells)
    parser = _parser(start)
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _TooLarge as stop:
        raise SpreadsheetRejected(RejectCode.TOO_LARGE, **stop.detail) from None
    except (ExpatError, DefusedXmlException, KeyError):
        raise SpreadsheetRejected(RejectCode.CORRUPT, part=part) from None
    rows, columns = extent()
    if rows * columns > max_cells:
        raise SpreadsheetRejected(RejectCode.TOO_LARGE, cells=rows * columns, max_cells=max_cells)
    return rows * columns


def _parser(on_start):
    """defusedxml's expat parser (DTDs, entity declarations and external references are
    refused) with only the element-start callback left: no tree, no text is kept."""
    defused = DefusedXMLParser(forbid_dtd=True)
    expat = defused.parser
    for handler in (
        "EndElementHandler", "CharacterDataHandler", "CommentHandler",
        "ProcessingInstructionHandler", "StartNamespaceDeclHandler", "EndNamespaceDeclHandler",
        "DefaultHandlerExpand",
    ):  # fmt: skip
        setattr(expat, handler, None)
    expat.StartElementHandler = on_start
    return expat


def _small_part(archive: zipfile.ZipFile, name: str):
    """A workbook part parsed with defusedxml (refused when absurdly large)."""
    if archive.getinfo(name).file_size > _MAX_WORKBOOK_PART:
        raise SpreadsheetRejected(RejectCode.CORRUPT, part=name)
    try:
        return fromstring(archive.read(name), forbid_dtd=True)
    except (ParseError, DefusedXmlException):
        raise SpreadsheetRejected(RejectCode.CORRUPT, part=name) from None


def _worksheet_parts(archive: zipfile.ZipFile) -> list[str]:
    return [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def _sheet_member(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member holding the sheet called ``sheet`` (workbook.xml -> its relationship)."""
    try:
        workbook = _small_part(archive, "xl/workbook.xml")
        relations = _small_part(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    rid = next(
        (entry.get(f"{{{_DOC_RELS}}}id") for entry in workbook.iter(f"{{{_MAIN}}}sheet")
         if entry.get("name") == sheet),
        None,
    )  # fmt: skip
    for relation in relations.iter(f"{{{_RELS}}}Relationship"):
        if rid is not None and relation.get("Id") == rid:
            target = relation.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return member if member in archive.namelist() else None
    return None
