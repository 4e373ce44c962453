"""The error workbook: only the failed rows, as the file had them, the bad cells in light
red, a reason column, and a sheet listing every problem; and ``to_xlsx``'s highlight."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from salesboard.importing.report import error_workbook, report_frame, summary
from salesboard.outputs.export import Sheet, to_xlsx
from tests.companies.importing import seed
from tests.importing.helpers import check

HEADER = ["商机编号", "客户名称", "销售阶段", "负责人", "金额", "产品线", "创建日期"]


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill.fill_type == "solid" else ""


def test_to_xlsx_highlights_marked_cells_only():
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    marks = pd.DataFrame({"b": [False, True]})
    sheet = load_workbook(io.BytesIO(to_xlsx([Sheet("s", frame, highlight=marks)]))).active
    assert [_fill(sheet.cell(r, c)) for r in (2, 3) for c in (1, 2)] == ["", "", "", "FFC7CE"]
    plain = load_workbook(io.BytesIO(to_xlsx([Sheet("s", frame)]))).active
    assert _fill(plain.cell(3, 2)) == ""
    with pytest.raises(ValueError):
        to_xlsx([Sheet("s", frame, highlight=pd.DataFrame({"b": [True]}))])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_error_workbook_lists_failed_rows_with_reasons_and_red_cells(engine, lang):
    seed(engine)
    rows = [HEADER,
            ["XS209909001", "某科技有限公司", "需求分析", "zhang.wei", "85万", "云服务", None],
            ["XS209909002", "某科技有限公司", "火星阶段", "zhang.wei", -5, "云服务", None],
            ["XS209909003", "某科技有限公司", "需求分析", "nobody", "1万", "云服务", "2024-13-01"]]  # fmt: skip
    validation = check(engine, "opportunities", rows)
    book = load_workbook(io.BytesIO(error_workbook(validation, lang)))
    failed, listing = book.worksheets
    values = [[c.value for c in r] for r in failed.iter_rows()]
    header = values[0]
    assert header[:7] == HEADER and len(values) == 3  # header + the two bad rows
    source, reason = header[-2:]
    assert [v[header.index(source)] for v in values[1:]] == [5, 6]
    assert [v[0] for v in values[1:]] == ["XS209909002", "XS209909003"]
    second_reason = values[1][header.index(reason)]
    assert ("火星阶段" in second_reason) and ("-5" in second_reason)
    red = {(r, header[c - 1]) for r in range(2, 4) for c in range(1, 8)
           if _fill(failed.cell(r, c)) == "FFC7CE"}  # fmt: skip
    assert red == {(2, "销售阶段"), (2, "金额"), (3, "负责人"), (3, "创建日期")}
    assert listing.max_row == 1 + len(validation.problems) == 5
    frame = report_frame(validation, lang)
    assert list(frame.iloc[:, 0]) == [5, 5, 6, 6]
    expected = {"zh": "共 3 行：可新增 1，", "en": "3 rows: 1 to insert,"}[lang]
    assert summary(validation, lang).startswith(expected)


def test_error_rows_keep_dates_as_dates(engine):
    seed(engine)
    rows = [HEADER, ["XS209909004", "某科技有限公司", "火星阶段", "zhang.wei", "1万", "云服务",
                     datetime(2024, 5, 10)]]  # fmt: skip
    validation = check(engine, "opportunities", rows)
    failed = load_workbook(io.BytesIO(error_workbook(validation, "zh"))).worksheets[0]
    assert failed.cell(2, 7).value == datetime(2024, 5, 10)
