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

from salesboard.importing.problems import (
    ProblemCode,
    ReadWarning,
    RejectCode,
    SpreadsheetRejected,
    ValueProblem,
    ValueProblemError,
    WarningCode,
)
from salesboard.importing.readers import DEFAULT_MAX_CELLS, RawTable, list_sheets, read_sheet
from salesboard.importing.sniff import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_UNPACKED_BYTES,
    Detected,
    detect_format,
)
from salesboard.importing.values import (
    BareNumber,
    ParsedColumn,
    excel_serial_to_date,
    match_key,
    normalize_text,
    normalize_text_column,
    parse_amount,
    parse_amount_column,
    parse_bool,
    parse_bool_column,
    parse_date,
    parse_date_column,
    parse_int,
    parse_int_column,
    parse_percent,
    parse_percent_column,
    to_minor_units,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "BareNumber",
    "Detected",
    "ParsedColumn",
    "ProblemCode",
    "RawTable",
    "ReadWarning",
    "RejectCode",
    "SpreadsheetRejected",
    "ValueProblem",
    "ValueProblemError",
    "WarningCode",
    "detect_format",
    "excel_serial_to_date",
    "list_sheets",
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
    "read_sheet",
    "to_minor_units",
]
