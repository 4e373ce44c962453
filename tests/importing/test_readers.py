"""Readers on real files made in the tests: workbooks (xlsx via xlsxwriter, xls via xlwt),
CSV/TSV in the encodings Chinese and Western tools write, and hostile uploads that must end
in a coded refusal, never another exception."""

from __future__ import annotations

import codecs
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesboard.importing import (
    RejectCode,
    SpreadsheetRejected,
    WarningCode,
    detect_format,
    list_sheets,
    parse_amount_column,
    parse_date_column,
    read_sheet,
)
from tests.importing import files


def rejected(data: bytes, name: str, **kwargs) -> SpreadsheetRejected:
    with pytest.raises(SpreadsheetRejected) as caught:
        read_sheet(data, name, **kwargs)
    return caught.value


def warning_codes(table) -> list[str]:
    return [w.code.value for w in table.warnings]


# ---------------------------------------------------------------- xlsx


@pytest.fixture(scope="module")
def tracking():
    return read_sheet(files.tracking_xlsx(), "跟踪表.xlsx")


def test_tracking_sheet_header_is_found_below_title_and_maker_line(tracking):
    assert tracking.source_format == "xlsx"
    assert tracking.sheet == "跟踪表"
    assert tracking.header_row == 4 and tracking.header_rows == 2
    assert tracking.columns == ["编号", "客户", "阶段", "计划 开始", "计划 结束", "金额", "金额_2"]
    assert list(tracking.frame.columns) == tracking.columns
    assert tracking.column_letters == list("ABCDEFG")
    assert warning_codes(tracking) == ["duplicate_header_renamed"]


def test_tracking_rows_keep_excel_row_numbers_and_raw_cell_types(tracking):
    assert tracking.row_numbers.tolist() == files.TRACKING_ROWS  # blank row 7 dropped
    first = tracking.frame.loc[6].tolist()
    assert first == ["XS202405001", "某科技有限公司", "需求分析", 45422.0, date(2024, 5, 9),
                     "85万", 850000.0]  # fmt: skip
    assert tracking.frame.loc[8, "计划 开始"] == "2024/5/15"
    assert tracking.frame.loc[8, "计划 结束"] == 45430.75


def test_formulas_yield_cached_values_and_are_never_evaluated(tracking):
    # =1+1 was saved with a cached 3: reading 3 proves nothing recomputed it.
    assert tracking.frame.loc[8, "金额_2"] == 3.0
    assert tracking.frame.loc[9, "阶段"] == "点击"  # =HYPERLINK(...): its cached text only
    assert tracking.frame.loc[9, "计划 开始"] == 0.0  # =cmd|' /C calc'!A0: cached 0, no DDE
    # An error cell (#N/A) arrives blank: python-calamine reads error cells as "" (its
    # issue #105). Validation sees a missing value, never the error text.
    assert tracking.frame.loc[9, "金额_2"] is None


def test_tracking_columns_parse_to_domain_values(tracking):
    dates = parse_date_column(tracking.frame["计划 开始"])
    assert dates.values.tolist()[:2] == [pd.Timestamp("2024-05-10"), pd.Timestamp("2024-05-15")]
    assert [(row, p.code.value) for row, p in dates.problems()] == [(9, "bad_date")]
    ends = parse_date_column(tracking.frame["计划 结束"])
    assert ends.values.tolist() == [pd.Timestamp("2024-05-09"), pd.Timestamp("2024-05-18"), pd.NaT]
    amounts = parse_amount_column(tracking.frame["金额"])
    assert amounts.values.tolist() == [85000000, 85000000, pd.NA]


def test_sheets_listed_without_hidden_ones_and_read_by_name_or_index():
    data = files.tracking_xlsx()
    assert list_sheets(data, "t.xlsx") == ["跟踪表", "说明"]
    assert read_sheet(data, "t.xlsx", sheet=1).sheet == "说明"
    assert rejected(data, "t.xlsx", sheet="没有").code == RejectCode.SHEET_NOT_FOUND
    assert rejected(data, "t.xlsx", sheet=7).code == RejectCode.SHEET_NOT_FOUND
    assert rejected(data, "t.xlsx", sheet="下拉选项").code == RejectCode.EMPTY


def test_header_row_override():
    table = read_sheet(files.tracking_xlsx(), "t.xlsx", header_row=5, header_rows=1)
    assert table.header_row == 5 and table.header_rows == 1
    # 编号/客户/阶段 are merged down into row 5; 金额 (F4:G4) is not.
    assert table.columns == ["编号", "客户", "阶段", "开始", "结束", "F", "G"]
    one_row = read_sheet(files.tracking_xlsx(), "t.xlsx", header_row=4, header_rows=1)
    assert one_row.columns == ["编号", "客户", "阶段", "计划", "计划_2", "金额", "金额_2"]
    assert one_row.row_numbers.tolist() == [5, 6, 8, 9]
    assert rejected(files.tracking_xlsx(), "t.xlsx", header_row=99).code == "bad_header_row"


def test_blank_headers_get_letters_and_empty_columns_are_dropped():
    rows = [["编号", None, None, "金额", "金额", ""], ["A1", "x", None, 1, 2, None]]
    table = read_sheet(files.simple_xlsx(rows), "s.xlsx")
    assert table.columns == ["编号", "B", "金额", "金额_2"]
    assert table.column_letters == ["A", "B", "D", "E"]
    assert warning_codes(table) == ["blank_header_named", "duplicate_header_renamed"]
    assert table.row_numbers.tolist() == [2]


def test_header_only_sheet_has_no_rows():
    table = read_sheet(files.simple_xlsx([["编号", "客户"]]), "s.xlsx")
    assert table.columns == ["编号", "客户"] and len(table.frame) == 0


def test_max_cells_limit():
    error = rejected(files.simple_xlsx([["a", "b"], [1, 2], [3, 4]]), "s.xlsx", max_cells=5)
    assert error.code == RejectCode.TOO_LARGE and error.detail["cells"] == 6


# ---------------------------------------------------------------- xls


def test_real_xls_is_read_through_calamine():
    table = read_sheet(files.tracking_xls(), "老格式.xls")
    assert table.source_format == "xls"
    assert table.header_row == 3 and table.columns == ["编号", "客户", "金额", "计划日期"]
    assert table.row_numbers.tolist() == [4, 5]
    assert table.frame.loc[4].tolist() == ["XS202405001", "某科技", 850000, date(2024, 5, 10)]
    assert table.frame.loc[5].tolist() == ["XS202405002", "YY制造", "85万", "2024年5月15日"]
    assert list_sheets(files.tracking_xls(), "a.xls") == ["表1"]


# ---------------------------------------------------------------- csv / tsv


EXPECTED_TEXT_COLUMNS = ["编号", "客户", "阶段", "计划日期", "金额"]


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter", "name", "detected"),
    [
        ("gbk", b"", ",", "导出.csv", "gb18030"),
        ("utf-8", codecs.BOM_UTF8, ",", "a.csv", "utf-8-sig"),
        ("utf-8", b"", ",", "a.csv", "utf-8"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "\t", "unicode.txt", "utf-16"),
        ("utf-8", b"", "\t", "a.tsv", "utf-8"),
        ("utf-8", b"", ";", "europe.csv", "utf-8"),
        ("gb18030", b"", "|", "pipe.csv", "gb18030"),
    ],
)
def test_text_tables_in_every_encoding_and_delimiter(encoding, bom, delimiter, name, detected):
    data = bom + files.text_table(files.TEXT_ROWS, delimiter).encode(encoding)
    table = read_sheet(data, name)
    assert (table.source_format, table.encoding, table.delimiter) == ("csv", detected, delimiter)
    assert table.header_row == 3 and table.columns == EXPECTED_TEXT_COLUMNS
    assert table.row_numbers.tolist() == [4, 5, 6]
    assert table.frame.to_numpy().tolist() == files.TEXT_ROWS[3:]
    assert table.warnings == []


def test_full_width_comma_is_text_not_a_delimiter():
    data = "客户，地区,金额\n甲，华东,85万\n乙，华南,1万\n".encode()
    table = read_sheet(data, "a.csv")
    assert table.columns == ["客户，地区", "金额"]
    assert table.frame["客户，地区"].tolist() == ["甲，华东", "乙，华南"]


def test_csv_keeps_row_numbers_across_blank_lines_and_multiline_cells():
    data = b'id,note\n\n1,"two\nlines"\n\n2,x\n'
    table = read_sheet(data, "a.csv")
    assert table.header_row == 1
    assert table.row_numbers.tolist() == [3, 5]  # records, as Excel numbers them
    assert table.frame["note"].tolist() == ["two\nlines", "x"]


def test_csv_cells_stay_text_and_empty_cells_are_missing():
    table = read_sheet(b"code,amount,flag\n007,1e5,\nA,,TRUE\n", "a.csv")
    assert table.frame["code"].tolist() == ["007", "A"]
    assert table.frame["amount"].tolist()[0] == "1e5"
    assert table.frame["flag"].isna().tolist() == [True, False]
    assert isinstance(table.frame["code"].dtype, pd.StringDtype)


def test_csv_two_row_header_without_merges():
    data = (
        "编号,客户,计划,,实际,\n,,开始,结束,开始,结束\nXS1,甲,2024-05-10,2024-05-11,2024-05-12,\n"
    )
    table = read_sheet(data.encode(), "a.csv")
    assert table.header_rows == 2
    assert table.columns == ["编号", "客户", "计划 开始", "计划 结束", "实际 开始", "实际 结束"]
    assert table.row_numbers.tolist() == [3]


def test_csv_record_wider_than_the_sample_is_still_read():
    rows = [["id", "name"]] + [[str(i), "x" * 40] for i in range(8000)] + [["last", "y", "extra"]]
    data = files.text_table(rows, ",").encode()
    table = read_sheet(data, "wide.csv")
    assert table.columns == ["id", "name", "C"]
    assert table.frame.loc[8002].tolist() == ["last", "y", "extra"]
    assert len(table.frame) == 8001


def test_western_csv_falls_back_to_cp1252_with_a_warning():
    data = "Name;City\nMüller;Köln\nGarçon;Besançon\n".encode("cp1252")
    table = read_sheet(data, "kunden.csv")
    assert table.encoding == "cp1252"
    assert table.frame["City"].tolist() == ["Köln", "Besançon"]
    assert warning_codes(table) == ["encoding_guessed"]


def test_encoding_and_delimiter_overrides():
    data = "a;b\n1;2\n".encode("utf-16-le")
    table = read_sheet(data, "x.csv", encoding="utf-16-le", delimiter=";")
    assert table.columns == ["a", "b"] and table.frame.to_numpy().tolist() == [["1", "2"]]
    assert rejected(b"a,b\n", "x.csv", encoding="no-such-codec").code == "bad_encoding"


# ---------------------------------------------------------------- content beats the name


def test_extension_mismatch_is_read_by_content_with_a_warning():
    as_csv = read_sheet(files.tracking_xlsx(), "export.csv")
    assert as_csv.source_format == "xlsx"
    assert as_csv.warnings[0].code == WarningCode.EXTENSION_MISMATCH
    assert as_csv.warnings[0].detail == {"extension": ".csv", "detected": "xlsx"}
    as_xlsx = read_sheet(b"a,b\n1,2\n", "renamed.xlsx")
    assert as_xlsx.source_format == "csv" and warning_codes(as_xlsx) == ["extension_mismatch"]


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("make", "name", "code"),
    [
        (files.png_bytes, "photo.xlsx", "not_a_spreadsheet"),
        (lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "report.xlsx", "not_a_spreadsheet"),
        (lambda: bytes(range(256)) * 4, "random.xls", "not_a_spreadsheet"),
        (files.docx_like_zip, "word.xlsx", "not_a_spreadsheet"),
        (files.word_97_doc, "old.xls", "not_a_spreadsheet"),
        (lambda: files.HTML_XLS, "网页导出.xls", "html_not_excel"),
        (lambda: b"\xef\xbb\xbf  <!DOCTYPE html><html></html>", "x.xls", "html_not_excel"),
        (lambda: files.XML_SPREADSHEET_2003, "x.xls", "html_not_excel"),
        (files.encrypted_xlsx, "secret.xlsx", "encrypted"),
        (files.broken_xls, "broken.xls", "corrupt"),
        (lambda: files.tracking_xlsx()[:3000], "cut.xlsx", "corrupt"),
        (files.lying_zip, "lies.xlsx", "corrupt"),
        (lambda: b"", "empty.csv", "empty"),
        (lambda: b"\xef\xbb\xbf \r\n\r\n", "blank.csv", "empty"),
        (lambda: files.simple_xlsx([]), "blank.xlsx", "empty"),
    ],
)
def test_refused_uploads_get_a_code(make, name, code):
    data = make()
    assert rejected(data, name).code == code
    if code != "empty" or data:
        with pytest.raises(SpreadsheetRejected):
            list_sheets(data, name) if code not in ("empty",) else read_sheet(data, name)


def test_zip_bomb_is_refused_before_decompression():
    bomb = files.zip_bomb()  # 200 MB of zeros, ~0.9 MB on disk
    assert len(bomb) < 2_000_000
    error = rejected(bomb, "bomb.xlsx")
    assert error.code == RejectCode.ZIP_BOMB and error.detail["ratio"] > 200
    by_size = rejected(bomb, "bomb.xlsx", max_unpacked_bytes=100 * 1024 * 1024)
    assert by_size.code == RejectCode.ZIP_BOMB
    assert by_size.detail["unpacked"] > 200 * 1024 * 1024


@pytest.mark.parametrize(
    ("make", "name", "cells"),
    [
        (files.far_cell_xlsx, "stray.xlsx", 1_048_576 * 16_384),
        (files.far_cell_xls, "s.xls", 65536 * 256),
    ],
)
def test_a_stray_far_cell_is_refused_before_the_reader_allocates_its_box(make, name, cells):
    # calamine allocates the whole box; for this file it would abort the process.
    error = rejected(make(), name)
    assert error.code == RejectCode.TOO_LARGE and error.detail["cells"] == cells
    if name.endswith(".xlsx"):
        assert list_sheets(make(), name) == ["Sheet1"]  # listing loads no cells
    else:  # calamine parses every sheet of an .xls to list them: refused there too
        assert (
            pytest.raises(SpreadsheetRejected, list_sheets, make(), name).value.code == "too_large"
        )


def test_listing_sheets_of_an_impossible_xls_is_refused_too():
    with pytest.raises(SpreadsheetRejected) as caught:
        list_sheets(files.impossible_dimensions_xls(), "x.xls")
    assert caught.value.code == RejectCode.CORRUPT


def test_impossible_xls_dimensions_are_refused_without_crashing():
    assert rejected(files.impossible_dimensions_xls(), "x.xls").code == RejectCode.CORRUPT


def test_size_limit():
    data = files.tracking_xlsx()
    error = rejected(data, "t.xlsx", max_bytes=len(data) - 1)
    assert error.code == RejectCode.TOO_LARGE
    assert error.detail == {"size": len(data), "max_bytes": len(data) - 1}
    assert read_sheet(data, "t.xlsx", max_bytes=len(data)).columns


def test_detect_format_by_content():
    assert detect_format(files.tracking_xlsx(), "a.xlsx").format == "xlsx"
    assert detect_format(files.tracking_xls(), "a.xls").format == "xls"
    assert detect_format(b"a,b\n", "a.csv").format == "csv"
    assert detect_format(codecs.BOM_UTF16_LE + "a\tb".encode("utf-16-le"), "a.txt").format == (
        "csv"
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["a.xlsx", "a.xls", "a.csv", "a"]))
def test_arbitrary_bytes_give_a_table_or_a_coded_refusal(data, name):
    try:
        table = read_sheet(data, name)
    except SpreadsheetRejected as error:
        assert error.code in RejectCode
    else:
        assert len(table.columns) == len(set(table.columns)) == table.frame.shape[1]


ORIGINALS = ((files.tracking_xlsx(), "a.xlsx"), (files.tracking_xls(), "a.xls"))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_workbooks_give_a_table_or_a_coded_refusal(data):
    for original, name in ORIGINALS:
        damaged = bytearray(original)
        for _ in range(data.draw(st.integers(1, 8))):
            position = data.draw(st.integers(0, len(damaged) - 1))
            damaged[position] = data.draw(st.integers(0, 255))
        try:
            read_sheet(bytes(damaged), name)
        except SpreadsheetRejected as error:
            assert error.code in RejectCode


def test_row_numbers_are_a_numpy_view_of_the_index(tracking):
    assert isinstance(tracking.row_numbers, np.ndarray)
    assert tracking.frame.index.name == "row"
