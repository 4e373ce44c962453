"""Exports shared by every page and the ``report`` CLI: XLSX with formatted headers (one
sheet per table), CSV that Excel opens correctly, JSON, and a one-file HTML report with the
page's charts and tables.

Callers pass display-ready frames (money already in 元 or 万元, ratios as 0–1 floats) and say
per column how to format it; nothing here knows about sales.
"""

from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from io import BytesIO
from typing import Any

import numpy as np
import pandas as pd

from salesboard.outputs.charts import safe_figure

# Excel number formats per column kind.
NUMBER_FORMATS = {
    "money": "#,##0.00",
    "int": "#,##0",
    "number": "#,##0.0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "text": "@",
}
_HEADER_FILL = "1F6FEB"
_HIGHLIGHT_FILL = "FFC7CE"  # Excel's own "light red fill" for bad values
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
# What makes a spreadsheet run text as a formula or DDE: =, +, -, @ (also after leading
# whitespace, and the full-width forms an East Asian IME types), or a leading tab or CR.
_FORMULA_START = re.compile(r"^(?:[\t\r]|\s*[=+\-@＝＋－＠])")
_MAX_WIDTH = 60


@dataclass(frozen=True)
class Sheet:
    """One table for ``to_xlsx``.

    ``formats`` maps a column to a key of ``NUMBER_FORMATS``; ``indent`` (same length as
    the frame) indents the first column per row, e.g. the level in a goal tree; ``title`` is
    written above the header (a report title, the period, "as of"). ``highlight`` is a
    boolean frame with the frame's row order and some or all of its columns: True cells
    get a light red fill (e.g. the bad cells of an import's failed rows).
    """

    name: str
    frame: pd.DataFrame
    formats: Mapping[str, str] = field(default_factory=dict)
    indent: Sequence[int] | None = None
    title: str = ""
    highlight: pd.DataFrame | None = None


def sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no ``[]:*?/\\``)."""
    clean = _SHEET_NAME_BAD.sub("_", name).strip("'") or "Sheet"
    clean = clean[:31]
    taken = taken if taken is not None else set()
    candidate, n = clean, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_cell(text: str) -> str:
    """``text`` as a spreadsheet keeps it: a leading apostrophe before anything Excel,
    LibreOffice or Google Sheets would run as a formula (CSV/XLSX injection)."""
    if len(text) > 1 and _FORMULA_START.match(text):
        return "'" + text
    return text


def cell_value(value: Any) -> Any:
    """A value for a spreadsheet cell: ``plain_value``, text through ``text_cell``."""
    value = plain_value(value)
    return text_cell(value) if isinstance(value, str) else value


def plain_value(value: Any) -> Any:
    """A value openpyxl can write (None for missing, plain Python numbers and dates)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return value


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook with one sheet per table: bold white-on-blue header, frozen header
    row, auto-filter, column widths fitted to the content (CJK aware) and number formats."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    all_marks = [_highlight_marks(spec) for spec in sheets]  # check shapes before writing
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=_HEADER_FILL)
    header_align = Alignment(vertical="center", wrap_text=True)
    for spec, marks in zip(sheets, all_marks, strict=True):
        ws = workbook.create_sheet(sheet_name(spec.name, taken))
        frame = spec.frame
        columns = [str(c) for c in frame.columns]
        widths = [display_width(c) + 2 for c in columns]
        # Fit widths on a sample: a million-row sheet should not be measured row by row.
        sample = frame.head(500)
        for i, column in enumerate(frame.columns):
            if len(sample):
                longest = max(display_width(str(cell_value(v) or "")) for v in sample[column])
                widths[i] = min(max(widths[i], longest + 2), _MAX_WIDTH)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        header_row = 2 if spec.title else 1
        # Write-only sheets emit their views with the first row: freeze before appending.
        ws.freeze_panes = f"A{header_row + 1}"
        if columns:
            ws.auto_filter.ref = (
                f"A{header_row}:{get_column_letter(len(columns))}{header_row + len(frame)}"
            )
        if spec.title:
            title = WriteOnlyCell(ws, value=text_cell(spec.title))
            title.font = Font(bold=True, size=13)
            ws.append([title])
        header = []
        for name in columns:
            cell = WriteOnlyCell(ws, value=text_cell(name))
            cell.font, cell.fill, cell.alignment = header_font, header_fill, header_align
            header.append(cell)
        ws.append(header)
        formats = [NUMBER_FORMATS.get(spec.formats.get(c, ""), None) for c in frame.columns]
        indent = list(spec.indent) if spec.indent is not None else None
        mark_fill = PatternFill("solid", fgColor=_HIGHLIGHT_FILL)
        for r, row in enumerate(frame.itertuples(index=False, name=None)):
            cells = []
            for c, value in enumerate(row):
                cell = WriteOnlyCell(ws, value=cell_value(value))
                if formats[c]:
                    cell.number_format = formats[c]
                if marks is not None and marks[r, c]:
                    cell.fill = mark_fill
                if c == 0 and indent is not None and indent[r]:
                    cell.alignment = Alignment(indent=int(indent[r]))
                cells.append(cell)
            ws.append(cells)
    if not sheets:
        workbook.create_sheet("Sheet")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _highlight_marks(spec: Sheet) -> np.ndarray | None:
    """The highlight frame as a (rows x columns) bool array in the frame's column order."""
    if spec.highlight is None:
        return None
    marks = spec.highlight.reindex(columns=spec.frame.columns, fill_value=False)
    values = marks.fillna(False).to_numpy(dtype=bool)
    if values.shape[0] != len(spec.frame):
        raise ValueError("highlight must have one row per frame row")
    return values


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a BOM, so Excel on Chinese Windows opens the Chinese text right."""
    safe = frame.map(lambda v: text_cell(v) if isinstance(v, str) else v)
    safe.columns = [text_cell(str(c)) for c in frame.columns]
    # CRLF rows (as Excel writes them) also make the writer quote a cell holding a lone CR.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, pd.DataFrame):
        return frame_records(value)
    raise TypeError(f"cannot export {type(value).__name__} as JSON")


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as a list of row dicts with missing values as None (JSON null)."""
    plain = frame.astype(object).where(frame.notna(), None)
    return plain.to_dict(orient="records")


def to_json_bytes(payload: Any) -> bytes:
    """``payload`` (dicts, lists, frames, dates, Decimals) as pretty UTF-8 JSON."""
    text = json.dumps(payload, default=_json_default, ensure_ascii=False, indent=2)
    return text.encode("utf-8")


# --- one-file HTML report --------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A part of an HTML report: a heading, paragraphs, figures and tables, in that order."""

    heading: str
    paragraphs: Sequence[str] = ()
    figures: Sequence[Any] = ()  # plotly figures
    tables: Sequence[pd.DataFrame] = ()


_CSS = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
margin:24px;color:#1f2328}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;
border-bottom:1px solid #d0d7de;padding-bottom:4px}
.sub{color:#57606a;margin:0 0 16px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}
th{background:#1f6feb;color:#fff;text-align:left;padding:4px 8px}
td{border-bottom:1px solid #eaeef2;padding:3px 8px} td.num{text-align:right}
@media print{body{margin:8mm} h2{break-after:avoid} table,.figure{break-inside:avoid}}
"""


def _table_html(frame: pd.DataFrame) -> str:
    numeric = {c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            shown = plain_value(value)  # a web page runs no formulas: no apostrophe
            text = "" if shown is None else html.escape(str(shown))
            cls = ' class="num"' if column in numeric else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def html_report(title: str, subtitle: str, sections: Sequence[Section], lang: str = "zh") -> str:
    """A self-contained HTML page (plotly.js inlined once, no network needed) that prints
    cleanly; charts stay interactive in the browser."""
    from plotly.offline import get_plotlyjs

    parts = [
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style><script>{get_plotlyjs()}</script></head><body>",
        f"<h1>{html.escape(title)}</h1><p class='sub'>{html.escape(subtitle)}</p>",
    ]
    for section in sections:
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        parts.extend(f"<p>{html.escape(p)}</p>" for p in section.paragraphs)
        for figure in section.figures:
            # A report has no Streamlit theme: it always gets plotly's own look.
            shown = safe_figure(figure).update_layout(template="plotly")
            inner = shown.to_html(full_html=False, include_plotlyjs=False)
            parts.append(f"<div class='figure'>{inner}</div>")
        parts.extend(_table_html(t) for t in section.tables)
    parts.append("</body></html>")
    return "".join(parts)
