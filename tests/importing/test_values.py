"""Value parsers: example tables (the seeds' spellings first), property-based round trips,
"a value or a coded problem, never a crash", and column == scalar on every cell."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesboard.importing import (
    ProblemCode,
    ValueProblemError,
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

D = Decimal


def code_of(parse, value, **kwargs) -> str:
    with pytest.raises(ValueProblemError) as caught:
        parse(value, **kwargs)
    assert caught.value.problem.text == (value if isinstance(value, str) else repr(value))
    return caught.value.problem.code.value


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("85万", D(850000)),
        ("¥850,000", D(850000)),
        ("￥850,000", D(850000)),
        ("RMB 850000", D(850000)),
        ("CNY850,000.00", D(850000)),
        ("85万元", D(850000)),
        ("1.2亿", D(120000000)),
        ("3千", D(3000)),
        ("850元", D(850)),
        ("1千万", D(10000000)),
        ("85w", D(850000)),
        ("12.5k", D(12500)),
        ("$1,234.5", D("1234.5")),
        ("1,234,567.89", D("1234567.89")),
        ("１２３", D(123)),
        ("１，２３４．５", D("1234.5")),
        ("８５万元", D(850000)),
        ("-5", D(-5)),
        ("−5", D(-5)),
        ("－5", D(-5)),
        ("(1,000)", D(-1000)),
        ("（1,000）", D(-1000)),
        ("-¥5", D(-5)),
        ("¥-5", D(-5)),
        ("+7", D(7)),
        ("  850000\u00a0", D(850000)),
        (".5", D("0.5")),
        ("8.5E+05", D(850000)),
        ("0", D(0)),
        ("-0", D(0)),
        (850000.0, D(850000)),
        (0.1, D("0.1")),
        (12, D(12)),
        (np.int64(7), D(7)),
        (D("1.005"), D("1.005")),
    ],
)
def test_amount_examples(text, yuan):
    assert parse_amount(text) == yuan


@pytest.mark.parametrize("blank", ["", "   ", "\u3000", "-", "—", "/", "N/A", "无", None, math.nan])
def test_amount_blank_is_missing_not_zero(blank):
    assert parse_amount(blank) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("abc", "bad_amount"),
        ("12..3", "bad_amount"),
        ("1,2,3,4", "bad_amount"),  # bad grouping: refused, not guessed
        ("12,34,567", "bad_amount"),  # Indian grouping
        ("85,0000", "bad_amount"),  # 万 grouping
        ("1.234,56", "bad_amount"),  # decimal comma
        ("5.", "bad_amount"),
        ("--5", "bad_amount"),
        ("-(5)", "bad_amount"),
        ("85%", "bad_amount"),
        ("$85万元", "bad_amount"),  # two currencies
        ("#N/A", "cell_error"),
        ("#DIV/0!", "cell_error"),
        ("1e30", "out_of_range"),
        (True, "bad_amount"),
        (date(2024, 5, 10), "bad_amount"),
        (math.inf, "bad_amount"),
    ],
)
def test_amount_problems(text, code):
    assert code_of(parse_amount, text) == code


def test_amount_currency_check_is_opt_in():
    assert parse_amount("$100") == 100
    assert parse_amount("¥100", currency="CNY") == 100
    assert parse_amount("100", currency="USD") == 100
    assert code_of(parse_amount, "$100", currency="CNY") == "currency_mismatch"
    assert code_of(parse_amount, "100元", currency="usd") == "currency_mismatch"


@pytest.mark.parametrize(
    ("yuan", "fen"),
    [(D("1.005"), 101), (D("-1.005"), -101), (D("1.004"), 100), (D("85e4"), 85000000)],
)
def test_minor_units_round_half_away_from_zero(yuan, fen):
    assert to_minor_units(yuan) == fen


def test_amount_column_returns_fen_and_codes_with_the_input_index():
    raw = pd.Series(
        ["85万", "¥850,000", None, "", "abc", "1.005", "(1,000)", "１２３", "$5"],
        index=[6, 7, 8, 9, 10, 11, 12, 13, 14],
        dtype="str",
    )
    parsed = parse_amount_column(raw, currency="CNY")
    assert str(parsed.values.dtype) == "Int64"
    assert parsed.values.tolist() == [
        85000000, 85000000, pd.NA, pd.NA, pd.NA, 101, -100000, 12300, pd.NA,
    ]  # fmt: skip
    assert parsed.failed.tolist() == [False] * 4 + [True] + [False] * 3 + [True]
    assert [(row, p.code.value, p.text) for row, p in parsed.problems()] == [
        (10, "bad_amount", "abc"),
        (14, "currency_mismatch", "$5"),
    ]
    assert parsed.problems(limit=1) == parsed.problems()[:1]


def test_amount_column_on_workbook_cells():
    raw = pd.Series([850000.0, 1.005, 0.1 + 0.2, "85万", None, True, 12, date(2024, 1, 1)])
    parsed = parse_amount_column(raw)
    assert parsed.values.tolist() == [85000000, 101, 30, 85000000, pd.NA, pd.NA, 1200, pd.NA]
    assert parsed.codes.tolist()[5:] == ["bad_amount", np.nan, "bad_amount"]


def test_columns_made_of_several_arrow_chunks():
    chunked = pd.concat(
        [pd.Series(["85万", "x"], dtype="str"), pd.Series(["2024-05-10", None], dtype="str")]
    )
    assert parse_amount_column(chunked).codes.tolist() == [
        np.nan,
        "bad_amount",
        "bad_amount",
        np.nan,
    ]
    assert parse_date_column(chunked).values.tolist()[2] == pd.Timestamp("2024-05-10")
    texts = normalize_text_column(chunked).values
    assert texts.tolist()[:3] == ["85万", "x", "2024-05-10"] and pd.isna(texts.iloc[3])


amounts = st.decimals(
    min_value=D("-99999999999.99"), max_value=D("99999999999.99"), places=2, allow_nan=False
)


def _grouped(number: Decimal) -> str:
    return f"{abs(number):,.2f}"


@given(amounts, st.sampled_from(["plain", "grouped", "yen", "rmb", "wan", "accounting", "fw"]))
def test_amount_round_trip(amount, style):
    sign = "-" if amount < 0 else ""
    if style == "wan":
        text = f"{sign}{(abs(amount) / 10000).normalize():f}万"
    elif style == "accounting":
        text = f"({_grouped(amount)})" if amount < 0 else _grouped(amount)
    elif style == "fw":
        text = (sign + _grouped(amount)).translate(
            str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")
        )
    else:
        body = {"plain": f"{abs(amount):f}", "grouped": _grouped(amount)}.get(style)
        body = body or _grouped(amount)
        prefix = {"yen": "¥", "rmb": "RMB "}.get(style, "")
        text = f"{sign}{prefix}{body}"
    assert parse_amount(text) == amount
    column = parse_amount_column(pd.Series([text], dtype="str"))
    assert column.values.tolist() == [to_minor_units(amount)]


# ---------------------------------------------------------------- percent


@pytest.mark.parametrize(
    ("value", "bare", "ratio"),
    [
        ("83.3%", "auto", 0.833),
        ("83.3％", "auto", 0.833),
        ("83.3 %", "auto", 0.833),
        ("-12%", "auto", -0.12),
        ("5‰", "auto", 0.005),
        ("0.833", "auto", 0.833),
        ("83.3", "auto", 0.833),
        ("83.3", "percent", 0.833),
        ("0.833", "percent", 0.00833),
        ("83.3", "ratio", 83.3),
        ("1", "auto", 1.0),
        (0.833, "auto", 0.833),  # an Excel cell formatted as % holds the ratio
        (83.3, "percent", 0.833),
        ("８３．３％", "auto", 0.833),
    ],
)
def test_percent_examples(value, bare, ratio):
    assert parse_percent(value, bare=bare) == ratio


@pytest.mark.parametrize(("text", "code"), [("abc", "bad_percent"), ("83.3%%", "bad_percent"),
                                            ("%5", "bad_percent"), ("#VALUE!", "cell_error")])  # fmt: skip
def test_percent_problems(text, code):
    assert code_of(parse_percent, text) == code


def test_percent_column_decides_bare_numbers_once_for_the_column():
    ratios = parse_percent_column(pd.Series(["0.5", "0.833", "75%"]))
    assert ratios.values.tolist() == [0.5, 0.833, 0.75]
    assert ratios.notes == ("bare_numbers_as_ratio",)
    points = parse_percent_column(pd.Series(["0.5", "83.3", "75%", None]))
    assert points.values.tolist() == [0.005, 0.833, 0.75, pd.NA]
    assert points.notes == ("bare_numbers_as_percent",)
    workbook = parse_percent_column(pd.Series([0.5, 83.3, "x"], dtype=object))
    assert workbook.values.tolist() == [0.005, 0.833, pd.NA]
    assert workbook.codes.tolist() == [np.nan, np.nan, "bad_percent"]
    given_hint = parse_percent_column(pd.Series(["0.5"]), bare="ratio")
    assert given_hint.notes == () and given_hint.values.tolist() == [0.5]


@given(st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False))
def test_percent_round_trip(points):
    text = f"{points:f}%"
    assert parse_percent(text) == float(points / 100)
    assert parse_percent_column(pd.Series([text])).values.tolist() == [float(points / 100)]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-10", date(2024, 5, 10)),
        ("2024/5/10", date(2024, 5, 10)),
        ("2024.5.10", date(2024, 5, 10)),
        ("2024年5月10日", date(2024, 5, 10)),
        ("2024年5月10号", date(2024, 5, 10)),
        ("2024 年 5 月 10 日", date(2024, 5, 10)),
        ("２０２４年５月１０日", date(2024, 5, 10)),
        ("2024-05-10 13:45:00", date(2024, 5, 10)),
        ("2024-05-10T13:45:00+08:00", date(2024, 5, 10)),
        ("2024/5/10 下午 1:45", date(2024, 5, 10)),
        ("20240510", date(2024, 5, 10)),
        ("45422", date(2024, 5, 10)),
        (45422, date(2024, 5, 10)),
        (45422.75, date(2024, 5, 10)),
        ("45422.75", date(2024, 5, 10)),
        (20240510, date(2024, 5, 10)),
        ("25/10/2024", date(2024, 10, 25)),
        ("10/25/2024", date(2024, 10, 25)),
        ("05/05/2024", date(2024, 5, 5)),
        ("10-May-2024", date(2024, 5, 10)),
        ("May 10, 2024", date(2024, 5, 10)),
        (datetime(2024, 5, 10, 13, 45), date(2024, 5, 10)),
        (date(2024, 5, 10), date(2024, 5, 10)),
        (pd.Timestamp("2024-05-10 08:00"), date(2024, 5, 10)),
        (np.datetime64("2024-05-10"), date(2024, 5, 10)),
    ],
)
def test_date_examples(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("05/10/2024", "ambiguous_date"),
        ("2024-02-30", "bad_date"),
        ("2024-13-01", "bad_date"),
        ("2024-05/10", "bad_date"),  # mixed separators
        ("24/5/10", "bad_date"),  # two-digit year
        ("2024年5月", "bad_date"),
        ("2024", "bad_date"),  # a year, not serial 2024 (1905-07-16)
        (2024, "bad_date"),
        ("2024-05-10 25:00", "bad_date"),
        ("13/13/2024", "bad_date"),
        ("tomorrow", "bad_date"),
        ("#REF!", "cell_error"),
        (True, "bad_date"),
    ],
)
def test_date_problems(value, code):
    assert code_of(parse_date, value) == code


def test_day_first_hint_settles_ambiguous_dates():
    assert parse_date("05/10/2024", day_first=True) == date(2024, 10, 5)
    assert parse_date("05/10/2024", day_first=False) == date(2024, 5, 10)


@pytest.mark.parametrize(
    ("serial", "expected"),
    [(1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (61, date(1900, 3, 1)),
     (45422, date(2024, 5, 10)), (45422.999, date(2024, 5, 10)), (2958465, date(9999, 12, 31))],
)  # fmt: skip
def test_excel_serials_in_the_1900_system(serial, expected):
    assert excel_serial_to_date(serial) == expected


@pytest.mark.parametrize("serial", [0, 60, 60.5, -1, 2958466, math.nan])
def test_excel_serial_60_is_the_fake_leap_day(serial):
    with pytest.raises(ValueError):
        excel_serial_to_date(serial)


def test_date_column_infers_day_first_from_the_column():
    parsed = parse_date_column(pd.Series(["05/10/2024", "25/10/2024", None, "2024-05-10"]))
    assert parsed.notes == ("day_first_inferred",)
    assert parsed.values.tolist()[:2] == [pd.Timestamp("2024-10-05"), pd.Timestamp("2024-10-25")]
    conflicting = parse_date_column(pd.Series(["05/10/2024", "25/10/2024", "10/25/2024"]))
    assert conflicting.notes == ()
    assert conflicting.codes.tolist() == ["ambiguous_date", np.nan, np.nan]


def test_date_column_mixed_workbook_cells():
    raw = pd.Series(
        [45422, "2024年5月10日", datetime(2024, 5, 10, 9), "x", None, 45422.5, "２０２４/５/１０"],
        index=range(10, 17),
    )
    parsed = parse_date_column(raw)
    assert parsed.values.dtype == "datetime64[s]"
    day = pd.Timestamp("2024-05-10")
    assert parsed.values.tolist() == [day, day, day, pd.NaT, pd.NaT, day, day]
    assert [(row, p.code.value) for row, p in parsed.problems()] == [(13, "bad_date")]


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_date_round_trip_in_every_style(day):
    styles = [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        f"{day.isoformat()} 13:45:00",
        f"{day.day:02d}/{day.month:02d}/{day.year}",
    ]
    for text in styles[:-1]:
        assert parse_date(text) == day, text
    assert parse_date(styles[-1], day_first=True) == day
    column = parse_date_column(pd.Series(styles[:-1]))
    assert column.values.tolist() == [pd.Timestamp(day)] * (len(styles) - 1)


@given(st.integers(min_value=10_000, max_value=99_999), st.floats(0, 0.999))
def test_serial_round_trip(days, fraction):
    expected = date(1899, 12, 30) + timedelta(days=days)
    assert parse_date(days + fraction) == expected
    assert (
        parse_date_column(pd.Series([days + fraction, str(days)], dtype=object)).values.tolist()
        == [pd.Timestamp(expected)] * 2
    )


# ---------------------------------------------------------------- int, bool, text


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), ("1,234", 1234), ("12.0", 12), ("1.2万", 12000), ("-3", -3), ("１２", 12),
     (12.0, 12), (7, 7), ("", None), ("-", None)],
)  # fmt: skip
def test_int_examples(value, expected):
    assert parse_int(value) == expected


@pytest.mark.parametrize(("value", "code"), [("12.5", "bad_int"), ("abc", "bad_int"),
                         ("¥5", "bad_int"), (12.5, "bad_int"), ("1e30", "out_of_range")])  # fmt: skip
def test_int_problems(value, code):
    assert code_of(parse_int, value) == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [("是", True), ("否", False), ("有", True), ("无", False), ("Y", True), ("n", False),
     ("TRUE", True), ("false", False), ("1", True), ("0", False), ("✓", True), ("√", True),
     ("×", False), ("ｙｅｓ", True), (1, True), (0.0, False), (True, True), ("", None),
     ("-", None), (None, None)],
)  # fmt: skip
def test_bool_examples(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize("value", ["x", "maybe", 2, "#N/A"])
def test_bool_problems(value):
    assert code_of(parse_bool, value) in {"bad_bool", "cell_error"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  ＡＢＣ１２３  ", "ABC123"),
        ("华为技术（深圳）有限公司", "华为技术（深圳）有限公司"),  # Chinese punctuation kept
        ("某科技，华东区；重点客户！", "某科技，华东区；重点客户！"),
        ("《需求分析报告》、初步方案。", "《需求分析报告》、初步方案。"),
        ("a\u200bb\ufeffc", "abc"),
        ("a \u00a0\t b\u3000c", "a b c"),
        ("第一行  \r\n\r\n  第二行", "第一行\n第二行"),
        ("e\u0301", "\u00e9"),
        ("", None),
        ("  \u3000 ", None),
        (None, None),
        (45422.0, "45422"),
        (0.5, "0.5"),
        (datetime(2024, 5, 10), "2024-05-10"),
        (True, "TRUE"),
    ],
)
def test_normalize_text(value, expected):
    assert normalize_text(value) == expected


def test_match_key_meets_spacing_case_and_width_variants():
    assert match_key("计划 开始") == match_key("计划开始") == "计划开始"
    assert match_key("华为（深圳）") == match_key("华为(深圳)")
    assert match_key("Owner") == match_key("ＯＷＮＥＲ")
    assert match_key("  ") is None


# ---------------------------------------------------------------- every cell: value or problem

cells = st.one_of(
    st.text(),
    st.text(alphabet="0123456789,.-+¥$%‰()万亿千元年月日/ :TE０１２，．", max_size=20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.none(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)
PARSERS = [
    (parse_amount, parse_amount_column, lambda d: None if d is None else to_minor_units(d)),
    (parse_percent, parse_percent_column, lambda v: v),
    (parse_date, parse_date_column, lambda d: None if d is None else pd.Timestamp(d)),
    (parse_int, parse_int_column, lambda v: v),
    (parse_bool, parse_bool_column, lambda v: v),
]


@pytest.mark.parametrize(("scalar", "column", "as_column"), PARSERS)
@given(values=st.lists(cells, min_size=1, max_size=8))
def test_never_crashes_and_column_agrees_with_scalar(scalar, column, as_column, values):
    kwargs = {"bare": "ratio"} if scalar is parse_percent else {}
    parsed = column(pd.Series(values, dtype=object), **kwargs)
    for value, got, code in zip(values, parsed.values, parsed.codes, strict=True):
        try:
            expected = as_column(scalar(value, **kwargs))
        except ValueProblemError as error:
            assert error.problem.code in ProblemCode
            assert code == error.problem.code.value, (value, code)
            assert pd.isna(got)
            continue
        assert pd.isna(code)
        if expected is None:
            assert pd.isna(got)
        else:
            assert got == expected


@given(values=st.lists(st.text(), min_size=1, max_size=8))
def test_text_column_agrees_with_scalar(values):
    parsed = normalize_text_column(pd.Series(values, dtype="str"))
    expected = [normalize_text(v) for v in values]
    assert [None if pd.isna(v) else v for v in parsed.values] == expected
    assert not parsed.failed.any()


@given(values=st.lists(st.text(alphabet="0123456789.,%‰-+ ０１２ab", max_size=12), min_size=1))
def test_str_dtype_columns_agree_with_scalar(values):
    for scalar, column, as_column in PARSERS:
        kwargs = {"bare": "percent"} if scalar is parse_percent else {}
        parsed = column(pd.Series(values, dtype="str"), **kwargs)
        for value, got in zip(values, parsed.values, strict=True):
            try:
                expected = as_column(scalar(value, **kwargs))
            except ValueProblemError:
                assert pd.isna(got)
                continue
            assert pd.isna(got) if expected is None else got == expected
