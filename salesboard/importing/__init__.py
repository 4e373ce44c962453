"""Spreadsheet import (issue 6), in the order a file goes through it:

- ``sniff``, ``readers``, ``csvtext``, ``ole``, ``header``: bytes to a raw table (format,
  sheet, header row, encodings), with size limits before any reader runs;
- ``values``, ``dates``, ``numbers``, ``columns``, ``text``: cell text to domain values;
- ``kinds`` and ``mapping``: the fields of each import kind and header synonyms;
- ``validate``, ``context``, ``lookups``, ``resolve`` (+ one ``resolve_<kind>`` per kind):
  the row-level check before anything is written;
- ``write`` (+ ``write_<kind>``), ``bulk``, ``undo``: one transaction, the import log, undo;
- ``report``, ``templates``, ``adhoc``, ``service``: the report, blank templates, ad-hoc
  analysis of an upload, and the entry points the page and the CLI call.

This module re-exports the reading layer's API.
"""

from salesboard.importing import values
from salesboard.importing.problems import ReadWarning, RejectCode, SpreadsheetRejected, WarningCode
from salesboard.importing.readers import DEFAULT_MAX_CELLS, RawTable, list_sheets, read_sheet
from salesboard.importing.sniff import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_UNPACKED_BYTES,
    Detected,
    detect_format,
)
from salesboard.importing.values import *  # noqa: F403  (the cell-value API: values.__all__)

__all__ = [
    *values.__all__,
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "Detected",
    "RawTable",
    "ReadWarning",
    "RejectCode",
    "SpreadsheetRejected",
    "WarningCode",
    "detect_format",
    "list_sheets",
    "read_sheet",
]
