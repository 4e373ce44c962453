""" "vs previous period" compares like with like (issue 13 item 2): worked by hand on China's
2026 calendar (National Day 10-01 … 10-07 off, Saturday 10-10 worked; Spring Festival
02-16 … 02-23 off, Saturdays 02-14 and 02-28 worked)."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard import metrics
from salesboard.calendar.periods import parse_period
from salesboard.calendar.workdays import make_calendar
from salesboard.figures.comparison import comparable_range

CN = make_calendar("CN")


def test_a_quarter_72_8_percent_elapsed_compares_the_same_working_days():
    """2026Q4 seen on Sunday 12-06 is 67 of 92 days old (72.8 %), the issue's −39.5 % case.
    Working days so far: October 18 (22 weekdays − 5 of National Day + Saturday 10-10),
    November 21, December 1–4: 43. The previous quarter's first 43: July's 23, then
    August 3 … 28 (20): 07-01 to 08-28 — not the whole of 2026Q3."""
    quarter = parse_period("2026Q4")
    assert metrics.time_elapsed_share(quarter.start, quarter.end, date(2026, 12, 6)) == (
        pytest.approx(0.728, abs=5e-4)
    )
    same = comparable_range(quarter, date(2026, 12, 6), CN)
    assert (same.previous.label, same.start, same.end) == (
        "2026Q3",
        date(2026, 7, 1),
        date(2026, 8, 28),
    )
    assert (same.working_days, same.whole) == (43, False)


@pytest.mark.parametrize(
    ("as_of", "end", "days"),
    [
        # Friday 10-09: only 10-08 and 10-09 have been worked (29 % of the calendar month
        # gone, a naive 09-01…09-09 would compare 7 working days).
        (date(2026, 10, 9), date(2026, 9, 2), 2),
        # Monday 10-12: 10-08, 10-09, Saturday 10-10 (make-up), 10-12 → September 1–4.
        (date(2026, 10, 12), date(2026, 9, 4), 4),
    ],
)
def test_a_holiday_heavy_month(as_of, end, days):
    same = comparable_range(parse_period("2026-10"), as_of, CN)
    assert (same.start, same.end, same.working_days, same.whole) == (
        date(2026, 9, 1),
        end,
        days,
        False,
    )


def test_in_the_holiday_nothing_is_compared_yet():
    same = comparable_range(parse_period("2026-10"), date(2026, 10, 5), CN)
    assert same.working_days == 0 and same.end < same.start


def test_a_period_that_is_over_compares_with_the_whole_previous_one():
    same = comparable_range(parse_period("2026-10"), date(2026, 11, 23), CN)
    assert (same.start, same.end, same.whole) == (date(2026, 9, 1), date(2026, 9, 30), True)


def test_a_previous_period_with_fewer_working_days_is_taken_whole():
    """February 2026 has 16 working days (Spring Festival); March has had 20 by 03-27."""
    march = parse_period("2026-03")
    early = comparable_range(march, date(2026, 3, 10), CN)  # Mar 2–6, 9, 10: 7 days
    assert (early.end, early.working_days) == (date(2026, 2, 10), 7)
    late = comparable_range(march, date(2026, 3, 27), CN)
    assert (late.start, late.end, late.working_days, late.whole) == (
        date(2026, 2, 1),
        date(2026, 2, 28),
        16,
        True,
    )
