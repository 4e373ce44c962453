"""Exports: the XLSX is readable back with the values, formats and header styling; CSV opens
in Excel with Chinese intact; JSON handles dates and money; the HTML report is one file."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import BytesIO

import pandas as pd
import plotly.graph_objects as go
from openpyxl import load_workbook

from salesboard.outputs.export import (
    Section,
    Sheet,
    display_width,
    html_report,
    sheet_name,
    to_csv_bytes,
    to_json_bytes,
    to_xlsx,
)

FRAME = pd.DataFrame(
    {
        "商机编号": ["XS202405001", "XS202405002"],
        "客户": ["某科技公司", "YY制造集团"],
        "金额（万元）": [85.0, 120.5],
        "达成率": [0.833, None],
        "计划日期": [date(2024, 5, 10), date(2024, 5, 15)],
        "说明": ['=HYPERLINK("http://x")', "正常"],
    }
)


def test_xlsx_has_one_formatted_sheet_per_table():
    data = to_xlsx(
        [
            Sheet(
                "滞后商机",
                FRAME,
                formats={"金额（万元）": "money", "达成率": "percent", "计划日期": "date"},
                title="销售过程跟踪表 2024-05",
            ),
            Sheet("KPI/阶段", FRAME.head(1), indent=[2]),
        ]
    )
    book = load_workbook(BytesIO(data))
    assert book.sheetnames == ["滞后商机", "KPI_阶段"]
    ws = book["滞后商机"]
    assert ws["A1"].value == "销售过程跟踪表 2024-05"
    assert [c.value for c in ws[2]] == list(FRAME.columns)
    assert ws["A2"].font.bold and ws["A2"].fill.fgColor.rgb.endswith("1F6FEB")
    assert ws.freeze_panes == "A3"
    assert ws["C3"].value == 85.0 and ws["C3"].number_format == "#,##0.00"
    assert ws["D3"].number_format == "0.0%" and ws["D4"].value is None
    assert ws["E3"].value.date() == date(2024, 5, 10)
    # Text that looks like a formula stays text.
    assert ws["F3"].value == '\'=HYPERLINK("http://x")' and ws["F3"].data_type == "s"
    # CJK text gets a column wide enough to read.
    assert ws.column_dimensions["B"].width >= display_width("YY制造集团")
    assert book["KPI_阶段"]["A2"].alignment.indent == 2


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [sheet_name(n, taken) for n in ["a/b", "A_B", "x" * 40, "x" * 40]]
    assert names[0] == "a_b" and names[1] == "A_B (2)"
    assert all(len(n) <= 31 for n in names) and len(set(names)) == 4


def test_csv_has_a_bom_and_keeps_chinese():
    data = to_csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(BytesIO(data), encoding="utf-8-sig")
    assert back["客户"].tolist() == ["某科技公司", "YY制造集团"]
    assert back["说明"][0].startswith("'=")


def test_json_handles_dates_decimals_and_frames():
    payload = {"as_of": date(2026, 11, 23), "amount": Decimal("850000.00"), "rows": FRAME}
    back = json.loads(to_json_bytes(payload))
    assert back["as_of"] == "2026-11-23" and back["amount"] == "850000.00"
    assert back["rows"][1]["达成率"] is None and back["rows"][0]["商机编号"] == "XS202405001"


def test_html_report_is_self_contained():
    figure = go.Figure(go.Funnel(y=["线索", "需求"], x=[10, 7]))
    page = html_report(
        "周例会报告",
        "截至 2026-11-23",
        [
            Section(
                "漏斗", paragraphs=["转化率 70%", "<b>客户</b>说"], figures=[figure], tables=[FRAME]
            )
        ],
    )
    assert page.startswith("<!doctype html>") and "周例会报告" in page
    assert "Plotly.newPlot" in page and "<script src=" not in page  # no network needed
    # Text from the store shows as text: markup in a comment or a cell is escaped, not run.
    assert "XS202405002" in page and "<p>&lt;b&gt;客户&lt;/b&gt;说</p>" in page
    assert "<b>客户" not in page and "=HYPERLINK(&quot;http://x&quot;)" in page
