"""Formula injection in every export (issue 18, item 8): text a spreadsheet would run as a
formula is written as text in every cell of every XLSX and CSV we produce, column headers,
titles and the feedback form's names included, whatever character or whitespace starts
it; the HTML reports show the text as typed, without the escape apostrophe."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook

from salesboard.feedback.report import form_html, form_xlsx
from salesboard.outputs.export import Section, Sheet, html_report, to_csv_bytes, to_xlsx
from tests.test_feedback_report import confirmed  # noqa: F401 - the fixture

# What Excel, LibreOffice and Google Sheets start a formula (or DDE) with.
TRIGGERS = ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1+1", "\r=1+1", " =1+1", "\n=1+1",
            "＝1+1", "＋1", "－1", "＠SUM(1)"]  # fmt: skip


def is_inert(value: object) -> bool:
    """Written so that no spreadsheet runs it: a leading apostrophe before the text."""
    return isinstance(value, str) and value.startswith("'")


@pytest.mark.parametrize("text", TRIGGERS, ids=[repr(t) for t in TRIGGERS])
def test_every_xlsx_cell_header_and_title_is_written_as_text(text):
    frame = pd.DataFrame({text: [text, "正常"], "金额": [1.5, 2.0]})
    book = load_workbook(BytesIO(to_xlsx([Sheet("S", frame, title=text)])))
    ws = book["S"]
    assert is_inert(ws["A1"].value)  # the title
    assert is_inert(ws["A2"].value) and ws["B2"].value == "金额"  # the headers
    assert is_inert(ws["A3"].value) and ws["A4"].value == "正常"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@pytest.mark.parametrize("text", TRIGGERS, ids=[repr(t) for t in TRIGGERS])
def test_every_csv_cell_and_header_is_written_as_text(text):
    data = to_csv_bytes(pd.DataFrame({text: [text], "n": [-5]}))
    back = pd.read_csv(BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert is_inert(back.columns[0]) and is_inert(back.iloc[0, 0])
    assert back.iloc[0, 1] == "-5"  # numbers stay numbers


def test_html_reports_show_the_text_without_the_apostrophe():
    frame = pd.DataFrame({"=说明": ['=HYPERLINK("http://x")', "-5 元"]})
    page = html_report("t", "s", [Section("h", tables=[frame])])
    table = page[page.index("<table>") : page.index("</table>")]
    assert "<td>=HYPERLINK(&quot;http://x&quot;)</td>" in table and "<td>-5 元</td>" in table
    assert "<th>=说明</th>" in table and "'" not in table


def test_the_feedback_form_xlsx_writes_names_as_text(confirmed):  # noqa: F811
    _, _, form, _ = confirmed
    hostile = '=HYPERLINK("http://evil.example","点击")'
    form = replace(form, rep_name=hostile, team_name="+团队", manager_name="@经理",
                   submitted_by_name="-签字")  # fmt: skip
    book = load_workbook(BytesIO(form_xlsx(form, "zh")))
    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type != "f" for row in book.active.iter_rows() for c in row)
    shown = {c.value for c in cells}
    assert "'" + hostile in shown and "'+团队" in shown and "'@经理" in shown
    assert not any(v.startswith(("=", "+", "@")) for v in shown)
    assert hostile in form_html(form, "zh").replace("&quot;", '"')
