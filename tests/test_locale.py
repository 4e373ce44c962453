"""One locale: money, units, stamps, names and lists read the same everywhere, in the
company's currency and time zone; "today" is the company's date, not the server's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from salesboard.calendar import clock
from salesboard.i18n import format_money
from salesboard.i18n.locale import Locale, locale_for
from salesboard.importing.report import log_frame
from salesboard.outputs.charts import money_axis_values, pipeline_by_stage_chart
from salesboard.store.settings import get_settings

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def settings(monkeypatch):
    """Set ``SALESBOARD_*`` variables for one test (settings are re-read)."""

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(f"SALESBOARD_{name.upper()}", value)
        get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("minor", "lang", "text"),
    [
        (85_000_000, "zh", "85.0万元"),
        (123_456_789_00, "zh", "1.23亿元"),
        (1_234_567_800, "zh", "1,234.6万元"),
        (410_030, "zh", "4,100元"),  # never "4100.30" without a separator
        (99_999_999, "zh", "100.0万元"),
        (85_000_000, "en", "¥850K"),
        (123_456_789, "en", "¥1.23M"),
        (-123_456_789, "en", "-¥1.23M"),
        (850_000, "en", "¥8,500"),
        (99_999_999, "en", "¥1.00M"),  # rounding up reaches the next unit
        (None, "zh", "—"),
    ],
)
def test_money_reads_one_way_per_language(minor, lang, text):
    """One format per language: a fixed number of decimals per unit (元 0, 万 1, 亿 2;
    K 0, M and B 2), thousands separators, the unit once."""
    assert Locale(lang).money(minor) == text
    assert Locale(lang).money(minor, compact=True) == text  # no second, "compact" format


def test_columns_show_amounts_with_the_decimals_of_their_unit():
    assert Locale("zh").money_unit().text(1_234_567_800) == "1,234.6"  # in 万元
    assert Locale("en").money_unit().text(1_234_567_800) == "12,345,678"  # in CNY


def test_the_configured_currency_is_the_one_shown(settings):
    settings(currency="USD")
    assert format_money(123_456_789, "en") == "$1.23M"
    assert format_money(85_000_000, "zh") == "$85.0万美元"
    assert locale_for("zh").money_unit().label == "万美元"
    assert locale_for("en").money_unit().label == "USD"
    frame = pd.DataFrame(
        {"name_zh": ["需求分析"], "name_en": ["Needs"], "amount_minor": [5_000_000], "count": [3]}
    )
    figure = pipeline_by_stage_chart(frame, "en")
    # The unit once, in the title; the bars and hover read as amounts do everywhere.
    assert figure.layout.xaxis.title.text == "Amount (USD)" and not figure.layout.xaxis.tickprefix
    assert list(figure.data[0].text) == ["$50K"]


def test_chart_amounts_are_in_the_unit_the_axis_names(settings):
    settings(currency="CNY")
    minor = pd.Series([85_000_000, 1_000_000])
    assert money_axis_values(minor, "zh").tolist() == [85.0, 1.0]  # 万元
    assert money_axis_values(minor, "en").tolist() == [850_000.0, 10_000.0]  # yuan
    figure = pipeline_by_stage_chart(
        pd.DataFrame({"name_zh": ["方案"], "name_en": ["Proposal"], "amount_minor": minor[:1],
                      "count": [1]}), "zh"
    )  # fmt: skip
    assert figure.layout.xaxis.title.text == "金额（万元）"
    assert figure.layout.xaxis.tickformat == ",.0f"  # never "12k 万元"
    assert list(figure.data[0].y) == ["方案"]


def test_today_is_the_company_date_not_the_servers(settings):
    # UTC+14 and UTC-11 are 25 hours apart: at any moment they are on different dates, so a
    # "today" that ignored the zone could not match both.
    settings(today="", timezone="Pacific/Kiritimati")
    east = clock.today()
    settings(timezone="Pacific/Pago_Pago")
    west = clock.today()
    assert east != west
    assert east == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert west == datetime.now(ZoneInfo("Pacific/Pago_Pago")).date()


def test_a_fixed_business_date_wins(settings):
    settings(today="2026-11-23", timezone="Pacific/Kiritimati")
    assert clock.today() == date(2026, 11, 23)


def test_stamps_read_in_the_company_zone_whatever_the_servers_zone(settings):
    settings(timezone="Asia/Shanghai")
    evening_utc = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    assert locale_for("zh").stamp(evening_utc) == "2026-11-24 04:00"
    assert locale_for("en").stamp(evening_utc.replace(tzinfo=None)) == "2026-11-24 04:00"
    log = pd.DataFrame(
        {"id": [1], "at": [evening_utc], "actor_name": ["admin"], "kind": ["customers"],
         "mode": ["insert"], "file_name": ["c.xlsx"], "inserted": [1], "updated": [0],
         "skipped": [0], "failed": [0], "status": ["done"], "file_sha256": ["ab" * 32]}
    )  # fmt: skip
    shown = log_frame(log, "en")
    assert shown.iloc[0, 1] == "2026-11-24 04:00"


def test_names_lists_and_units_follow_the_language():
    row = {"name_zh": "商务谈判", "name_en": "Negotiation"}
    assert Locale("zh").name(row) == "商务谈判" and Locale("en").name(row) == "Negotiation"
    assert Locale("en").name({"name_zh": "华南", "name_en": ""}) == "华南"  # no English name
    assert Locale("zh").join(["价格", "预算"]) == "价格、预算"
    assert Locale("en").join(["price", "budget"]) == "price, budget"
    assert Locale("zh").with_unit("金额", "万元") == "金额（万元）"
    assert Locale("en").with_unit("Amount", "CNY") == "Amount (CNY)"
    assert Locale("en", zone=SHANGHAI).clock_time(datetime(2026, 1, 1, 1, 5)) == "09:05"
    assert Locale("zh").stamp(None) == "" and Locale("zh").day(date(2026, 1, 2)) == "2026-01-02"
    assert Locale("zh").stamp(datetime(2026, 1, 1) - timedelta(hours=9)) == "2025-12-31 23:00"
