"""The filled form as a document: printable one-page HTML in the seed's layout, XLSX with
the sections one under another (seed 003 template), and JSON (``report feedback`` on
the CLI). Everything is translated (zh / en) through the string table."""

from __future__ import annotations

import html
from io import BytesIO
from typing import Any

from salesboard.feedback.form import (
    completion,
    is_overridden,
    month_on_month,
    to_display,
    weighted_completion,
    year_on_year,
)
from salesboard.feedback.queries import FormView
from salesboard.i18n import format_percent, format_points, t
from salesboard.i18n.locale import locale_for
from salesboard.outputs.export import cell_value, display_width, to_json_bytes

FORMATS = ("html", "xlsx", "json", "pdf")


def _stamp(value, lang: str) -> str:
    """A stored UTC stamp in the company's zone ("" when missing)."""
    return locale_for(lang).stamp(value)


def _change(row: dict, value: float | None, lang: str) -> str:
    if value is None:
        return "—"
    if abs(value) < 1e-9:
        return t("feedback.flat", lang)
    return format_points(value) if row.get("kind") == "rate" else f"{value * 100:+.1f}%"


def _number(row: dict, value) -> float | None:
    shown = to_display(row.get("kind", "count"), value)
    return None if shown is None else round(shown, 2)


def form_document(form: FormView, lang: str) -> dict[str, Any]:
    """The form's content, translated and display-ready, section by section:
    ``title, header [(label, value)], kpis, actions, items, carried`` (each ``{"columns",
    "rows"}``), ``signoff [(label, value)]`` and ``weighted_completion``."""
    tr = lambda key, **v: t(key, lang, **v)  # noqa: E731
    body = form.body
    status = tr(f"feedback.status.{form.status}")
    if form.revision > 1:
        status += f" · {tr('feedback.revision', revision=form.revision)}"
    kpi_columns = [
        tr("feedback.col.category"), tr("feedback.col.metric"), tr("feedback.col.unit"),
        tr("feedback.col.target"), tr("feedback.col.actual"), tr("feedback.col.completion"),
        tr("feedback.col.mom"), tr("feedback.col.yoy"), tr("feedback.col.reason"),
    ]  # fmt: skip
    kpis = []
    for row in body["kpis"]:
        actual = _number(row, row.get("actual"))
        reason = row.get("reason") or ""
        if is_overridden(row):
            system = _number(row, row.get("prefilled"))
            reason = (reason + " " if reason else "") + tr(
                "feedback.report.overridden", value="—" if system is None else f"{system:g}",
                reason=row.get("override_reason") or "—",
            )  # fmt: skip
        kpis.append(
            [
                tr(f"feedback.category.{row['category']}"),
                tr(f"feedback.metric.{row['code']}"),
                tr(f"feedback.unit.{row.get('kind', 'count')}"),
                _number(row, row.get("target")),
                actual,
                completion(row),
                _change(row, month_on_month(row), lang),
                _change(row, year_on_year(row), lang),
                reason,
            ]
        )
    action_fields = ("customer", "action", "date", "progress", "support")
    item_fields = ("problem", "cause", "measure", "owner", "due_on", "checkpoint_on", "status")
    items = []
    for row in body["items"]:
        cause = row.get("cause") or ""
        if row.get("cause_category"):
            category = tr(f"feedback.cause.{row['cause_category']}")
            cause = f"[{category}] {cause}".strip()
        items.append(
            [
                row.get("problem") or "", cause, row.get("measure") or "", row.get("owner") or "",
                row.get("due_on") or "", row.get("checkpoint_on") or "",
                tr(f"feedback.item.{row.get('status') or 'not_started'}"),
            ]
        )  # fmt: skip
    carried_fields = ("period", "problem", "measure", "due_on", "status", "note")
    carried = [
        [
            row.get("period") or "", row.get("problem") or "", row.get("measure") or "",
            row.get("due_on") or "", tr(f"feedback.item.{row.get('status') or 'not_started'}"),
            row.get("note") or "",
        ]
        for row in body["carried"]
    ]  # fmt: skip
    return {
        "title": tr("feedback.report.title"),
        "header": [
            (tr("feedback.header.period"), form.period),
            (tr("feedback.header.team"), form.team_name),
            (tr("feedback.header.manager"), form.manager_name),
            (tr("feedback.header.rep"), form.rep_name),
            (tr("feedback.header.filled_on"), _stamp(form.created_at, lang)[:10]),
            (tr("feedback.header.status"), status),
        ],
        "kpis": {"columns": kpi_columns, "rows": kpis},
        "actions": {
            "columns": [tr(f"feedback.col.{f}") for f in action_fields],
            "rows": [[row.get(f) or "" for f in action_fields] for row in body["actions"]],
        },
        "items": {"columns": [tr(f"feedback.col.{f}") for f in item_fields], "rows": items},
        "carried": {"columns": [tr(f"feedback.col.{f}") for f in carried_fields], "rows": carried},
        "signoff": [
            (
                tr("feedback.report.rep_signature"),
                form.submitted_by_name or "",
                _stamp(form.submitted_at, lang),
            ),
            (
                tr("feedback.report.manager_signature"),
                form.confirmed_by_name or "",
                _stamp(form.confirmed_at, lang),
            ),
        ],  # fmt: skip
        "return_comment": form.return_comment,
        "weighted_completion": weighted_completion(body["kpis"]),
        "labels": {
            section: tr(f"feedback.section.{section}")
            for section in ("kpis", "actions", "items", "carried", "signoff")
        }
        | {"basic": tr("feedback.report.basic"), "weighted": tr("feedback.report.weighted")},
    }


# --- HTML -----------------------------------------------------------------------------------

_PRINT_CSS = """
@page{size:A4;margin:10mm}
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
color:#1f2328;margin:16px;font-size:11px}
h1{font-size:17px;text-align:center;margin:0 0 8px}
h2{font-size:12.5px;margin:10px 0 4px;padding:2px 6px;background:#eef3fb;border-left:3px solid #1f6feb}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #c9d1d9;padding:2px 5px;vertical-align:top;text-align:left}
th{background:#1f6feb;color:#fff;font-weight:600}
td.num{text-align:right;white-space:nowrap}
table.basic th{background:#f6f8fa;color:#1f2328;width:12%}
.sign td{border:none;padding:14px 6px 2px} .line{border-bottom:1px solid #1f2328;
display:inline-block;min-width:140px;padding:0 6px}
.note{color:#57606a;margin:4px 0}
@media print{body{margin:0} h2{break-after:avoid} tr{break-inside:avoid}}
"""


def _cells(values: list, numeric: set[int], percent: set[int]) -> str:
    out = []
    for i, value in enumerate(values):
        if i in percent:
            text = format_percent(value)
        elif value is None:
            text = "—"
        elif isinstance(value, float):
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        else:
            text = str(value)
        cls = ' class="num"' if i in numeric or i in percent else ""
        out.append(f"<td{cls}>{html.escape(text)}</td>")
    return "".join(out)


def _table(part: dict, numeric: set[int] = frozenset(), percent: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in part["columns"])
    rows = "".join(f"<tr>{_cells(r, numeric, percent)}</tr>" for r in part["rows"])
    if not part["rows"]:
        rows = f'<tr><td colspan="{len(part["columns"])}">—</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def form_html(form: FormView, lang: str) -> str:
    """The form as one self-contained, printable HTML page (A4, the seed's layout)."""
    doc = form_document(form, lang)
    labels = doc["labels"]
    header = doc["header"]
    basic = "".join(
        f"<th>{html.escape(k)}</th><td>{html.escape(str(v or '—'))}</td>" for k, v in header[:3]
    )
    basic2 = "".join(
        f"<th>{html.escape(k)}</th><td>{html.escape(str(v or '—'))}</td>" for k, v in header[3:]
    )
    parts = [
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{html.escape(doc["title"])} {form.period} '
        f"{html.escape(form.rep_name)}</title><style>{_PRINT_CSS}</style></head><body>",
        f"<h1>{html.escape(doc['title'])}</h1>",
        f"<h2>{html.escape(labels['basic'])}</h2>",
        f'<table class="basic"><tr>{basic}</tr><tr>{basic2}</tr></table>',
        f"<h2>{html.escape(labels['kpis'])}</h2>",
        _table(doc["kpis"], numeric={3, 4}, percent={5}),
        f'<p class="note">{html.escape(labels["weighted"])}: '
        f"{html.escape(format_percent(doc['weighted_completion']))}</p>",
        f"<h2>{html.escape(labels['actions'])}</h2>",
        _table(doc["actions"]),
        f"<h2>{html.escape(labels['items'])}</h2>",
        _table(doc["items"]),
    ]
    if doc["carried"]["rows"]:
        parts += [f"<h2>{html.escape(labels['carried'])}</h2>", _table(doc["carried"])]
    sign = "".join(
        f'<td>{html.escape(label)}: <span class="line">{html.escape(name)}</span> '
        f'<span class="line">{html.escape(when)}</span></td>'
        for label, name, when in doc["signoff"]
    )
    parts += [
        f"<h2>{html.escape(labels['signoff'])}</h2>",
        f'<table class="sign"><tr>{sign}</tr></table>',
    ]
    if doc["return_comment"] and form.status == "returned":
        parts.append(f'<p class="note">{html.escape(doc["return_comment"])}</p>')
    parts.append("</body></html>")
    return "".join(parts)


# --- XLSX -----------------------------------------------------------------------------------


def form_xlsx(form: FormView, lang: str) -> bytes:
    """The form as an XLSX sheet in the seed's layout: title, basic information, then each
    section's table one under another with formatted headers, fitted to one page wide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    doc = form_document(form, lang)
    labels = doc["labels"]
    wb = Workbook()
    ws = wb.active
    ws.title = form.period
    width = 9
    thin = Side(style="thin", color="C9D1D9")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font, head_fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F6FEB")
    band_fill = PatternFill("solid", fgColor="EEF3FB")
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [10] * width
    row = 1
    ws.cell(row, 1, cell_value(doc["title"])).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row, 1).alignment = Alignment(horizontal="center")
    row += 2

    def band(text: str) -> None:
        nonlocal row
        cell = ws.cell(row, 1, cell_value(text))
        cell.font, cell.fill = Font(bold=True, size=12), band_fill
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1

    def table(part: dict, formats: dict[int, str] | None = None) -> None:
        nonlocal row
        for c, name in enumerate(part["columns"], start=1):
            cell = ws.cell(row, c, cell_value(name))
            cell.font, cell.fill, cell.border, cell.alignment = head_font, head_fill, border, wrap
            widths[c - 1] = max(widths[c - 1], min(display_width(name) + 2, 40))
        row += 1
        for values in part["rows"]:
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row, c, cell_value(value))
                cell.border, cell.alignment = border, wrap
                if formats and c - 1 in formats:
                    cell.number_format = formats[c - 1]
                widths[c - 1] = max(widths[c - 1], min(display_width(str(value or "")) + 2, 40))
            row += 1
        row += 1

    band(labels["basic"])
    for label, value in doc["header"]:
        ws.cell(row, 1, cell_value(label)).font = Font(bold=True)
        ws.cell(row, 2, cell_value(value or ""))
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        row += 1
    row += 1
    band(labels["kpis"])
    table(doc["kpis"], {3: "#,##0.00", 4: "#,##0.00", 5: "0.0%"})
    ws.cell(row - 1, 1, cell_value(labels["weighted"])).font = Font(bold=True)
    cell = ws.cell(row - 1, 3, doc["weighted_completion"])
    cell.number_format = "0.0%"
    row += 1
    band(labels["actions"])
    table(doc["actions"])
    band(labels["items"])
    table(doc["items"])
    if doc["carried"]["rows"]:
        band(labels["carried"])
        table(doc["carried"])
    band(labels["signoff"])
    for label, name, when in doc["signoff"]:
        ws.cell(row, 1, cell_value(label)).font = Font(bold=True)
        ws.cell(row, 3, cell_value(name or "______________"))
        ws.cell(row, 5, cell_value(when or "______________"))
        row += 1
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- JSON -----------------------------------------------------------------------------------


def form_payload(form: FormView) -> dict[str, Any]:
    """The form as plain data: identity, stamps, the body and the derived KPI figures."""
    kpis = [
        {
            **row,
            "completion": completion(row),
            "mom": month_on_month(row),
            "yoy": year_on_year(row),
            "overridden": is_overridden(row),
        }
        for row in form.body["kpis"]
    ]
    return {
        "rep": form.rep_name,
        "period": form.period,
        "revision": form.revision,
        "team": form.team_name,
        "manager": form.manager_name,
        "status": form.status,
        "version": form.version,
        "submitted_by": form.submitted_by_name or None,
        "submitted_at": form.submitted_at,
        "confirmed_by": form.confirmed_by_name or None,
        "confirmed_at": form.confirmed_at,
        "returned_by": form.returned_by_name or None,
        "returned_at": form.returned_at,
        "return_comment": form.return_comment,
        "weighted_completion": weighted_completion(form.body["kpis"]),
        "units": {"amount": "minor units (fen)", "rate": "ratio 0-1", "count": "count"},
        **{k: v for k, v in form.body.items() if k != "kpis"},
        "kpis": kpis,
    }


def form_bytes(form: FormView, fmt: str, lang: str) -> bytes:
    """The form exported as ``fmt`` ("html", "xlsx" or "json")."""

    if fmt == "html":
        return form_html(form, lang).encode("utf-8")
    if fmt == "xlsx":
        return form_xlsx(form, lang)
    if fmt == "json":
        return to_json_bytes(form_payload(form))
    raise ValueError(f"format {fmt!r}: choose html, xlsx or json (print the HTML for a PDF)")


def form_pdf(form: FormView, lang: str) -> bytes:
    """The printable HTML rendered to PDF by a headless Chromium when one is installed."""
    import os
    import shutil
    import subprocess
    import tempfile

    browser = (
        os.environ.get("SALESBOARD_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not browser:
        raise ValueError("PDF needs a Chromium on PATH; use --format html and print it instead")
    with tempfile.TemporaryDirectory() as tmp:
        source, target = os.path.join(tmp, "form.html"), os.path.join(tmp, "form.pdf")
        with open(source, "w", encoding="utf-8") as handle:
            handle.write(form_html(form, lang))
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
             f"--print-to-pdf={target}", f"file://{source}"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        with open(target, "rb") as handle:
            return handle.read()
