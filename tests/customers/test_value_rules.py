"""The customer value arithmetic and the matrix rule, worked by hand (pure, no store)."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.customers.errors import CustomerError
from salesboard.customers.matrix import potential_of, quadrant, rule_potential, value_window
from salesboard.customers.settings import MatrixSettings, validate_settings
from salesboard.figures.customers import (
    CustomerValue,
    average_order_value,
    month_day_number,
    months_back,
    share,
    within_months,
)

WAN = 10_000 * 100  # 万元 in minor units
SETTINGS = MatrixSettings(
    window_months=12, value_threshold_minor=100 * WAN, pipeline_threshold_minor=50 * WAN,
    high_potential_types=("government",), repurchase_months=12,
)  # fmt: skip


@pytest.mark.parametrize(
    ("won", "deals", "expected"),
    [(0, 0, None), (300 * WAN, 3, 100 * WAN), (10, 3, 3), (11, 2, 6), (1, 2, 1), (5, 1, 5)],
)
def test_average_order_value_is_won_amount_per_won_deal_rounded_half_up(won, deals, expected):
    assert average_order_value(won, deals) == expected


def test_value_figure_properties():
    # 3 deals worth 240万 from 2 customers, 1 of whom bought again; 80万 due, 60万 collected.
    v = CustomerValue(won_deals=3, won_minor=240 * WAN, buyers=2, repurchasers=1,
                      due_minor=80 * WAN, collected_minor=60 * WAN)  # fmt: skip
    assert v.average_order_minor == 80 * WAN
    assert v.repurchase_rate == 0.5
    assert v.collection_rate == 0.75
    empty = CustomerValue()
    assert (empty.average_order_minor, empty.repurchase_rate, empty.collection_rate) == (
        None, None, None)  # fmt: skip
    assert share(1, 3) == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("earlier", "later", "months", "expected"),
    [
        (date(2025, 11, 23), date(2026, 11, 23), 12, True),  # exactly 12 months
        (date(2025, 11, 22), date(2026, 11, 23), 12, False),  # a day more
        (date(2026, 11, 23), date(2026, 11, 23), 12, True),  # the same day
        (date(2026, 11, 24), date(2026, 11, 23), 12, False),  # after, not before
        (date(2025, 3, 31), date(2026, 2, 28), 11, True),  # month then day, no clamping
        (date(2025, 3, 30), date(2026, 2, 28), 11, True),
        (date(2025, 3, 27), date(2026, 2, 28), 11, False),
        (date(2025, 12, 31), date(2026, 1, 1), 1, True),  # across the year
        (date(2025, 11, 30), date(2026, 1, 1), 1, False),
    ],
)
def test_within_months(earlier, later, months, expected):
    assert within_months(earlier, later, months) is expected


def test_month_day_number_orders_days():
    assert month_day_number(date(2025, 12, 31)) == 2025 * 384 + 12 * 32 + 31
    assert month_day_number(date(2026, 1, 1)) == 2026 * 384 + 1 * 32 + 1
    assert month_day_number(date(2026, 1, 1)) > month_day_number(date(2025, 12, 31))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 23), 12, date(2025, 11, 24)),
        (date(2026, 3, 31), 1, date(2026, 3, 1)),  # 2026-02-28 (clamped) + 1 day
        (date(2026, 1, 15), 1, date(2025, 12, 16)),
        (date(2024, 2, 29), 12, date(2023, 3, 1)),
    ],
)
def test_months_back_gives_the_first_day_of_the_trailing_window(day, months, expected):
    assert months_back(day, months) == expected
    assert value_window(day, MatrixSettings(window_months=months)) == (expected, day)


@pytest.mark.parametrize(
    ("pipeline", "ctype", "expected"),
    [
        (50 * WAN, "enterprise", "high"),  # at the threshold
        (50 * WAN - 1, "enterprise", "low"),
        (0, "government", "high"),  # a high-potential type
        (0, "smb", "low"),
    ],
)
def test_rule_potential(pipeline, ctype, expected):
    assert rule_potential(pipeline, ctype, SETTINGS) == expected


def test_a_hand_setting_wins_over_the_rule():
    assert potential_of(True, "low", 999 * WAN, "government", SETTINGS) == "low"
    assert potential_of(True, "high", 0, "smb", SETTINGS) == "high"
    assert potential_of(False, "high", 0, "smb", SETTINGS) == "low"  # stored value unused


@pytest.mark.parametrize(
    ("potential", "value", "expected"),
    [
        ("high", 100 * WAN, "key"),
        ("high", 100 * WAN - 1, "develop"),
        ("low", 100 * WAN, "maintain"),
        ("low", 0, "low_touch"),
    ],
)
def test_quadrant(potential, value, expected):
    assert quadrant(potential, value, SETTINGS) == expected


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"window_months": 0}, "window_months"),
        ({"window_months": 61}, "window_months"),
        ({"repurchase_months": 1.5}, "repurchase_months"),
        ({"value_threshold_minor": -1}, "value_threshold_minor"),
        ({"pipeline_threshold_minor": "x"}, "pipeline_threshold_minor"),
        ({"high_potential_types": "government"}, "high_potential_types"),
    ],
)
def test_bad_settings_name_the_field(values, field):
    with pytest.raises(CustomerError) as refused:
        validate_settings(values)
    assert refused.value.field == field


def test_settings_are_cleaned():
    clean = validate_settings({"high_potential_types": [" smb", "government", "smb"]})
    assert clean.high_potential_types == ("government", "smb")
    assert clean.window_months == 12
