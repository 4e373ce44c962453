"""Spreadsheet import, reading and value-parsing layer (issue 6): uploads to raw tables
(``readers``) and cell values to domain types (``values``). Free of Streamlit.

Mapping, validation and writing build on this API; see the README of the import feature.
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
