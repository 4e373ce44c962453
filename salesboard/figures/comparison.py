""" "vs previous period" compares like with like: a period still running is compared with the
same number of working days into the previous period of its kind; a period that is over,
with the whole previous period. Pure (the working-day calendar is passed in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from salesboard.calendar.periods import Period, previous_period
from salesboard.calendar.workdays import WorkCalendar


@dataclass(frozen=True)
class ComparableRange:
    """The days a period's figures are compared with: ``start`` to ``end`` inclusive of
    ``previous``; ``working_days`` counted in it; ``whole`` when it is all of ``previous``.
    ``end`` is the day before ``start`` when nothing can be compared yet."""

    previous: Period
    start: date
    end: date
    working_days: int
    whole: bool


def working_days_in(calendar: WorkCalendar, start: date, end: date) -> int:
    """Working days from ``start`` through ``end`` inclusive (0 when ``end`` < ``start``)."""
    if end < start:
        return 0
    return calendar.working_days_between(start - timedelta(days=1), end)


def nth_working_day(calendar: WorkCalendar, start: date, n: int) -> date:
    """The ``n``-th working day on or after ``start`` (``n`` ≥ 1)."""
    return calendar.add_working_days(start - timedelta(days=1), n)


def comparable_range(period: Period, as_of: date, calendar: WorkCalendar) -> ComparableRange:
    """What ``period`` seen on ``as_of`` is compared with: its previous period through as many
    working days as have passed in ``period`` through ``as_of`` (the first n working days of
    the previous period), or the whole previous period once ``period`` is over (or when the
    previous one has fewer working days)."""
    previous = previous_period(period)
    whole = ComparableRange(
        previous,
        previous.start,
        previous.end,
        working_days_in(calendar, previous.start, previous.end),
        True,
    )
    if as_of >= period.end:
        return whole
    elapsed = working_days_in(calendar, period.start, as_of)
    if elapsed >= whole.working_days:
        return whole
    if elapsed <= 0:
        return ComparableRange(
            previous, previous.start, previous.start - timedelta(days=1), 0, False
        )
    end = nth_working_day(calendar, previous.start, elapsed)
    return ComparableRange(previous, previous.start, end, elapsed, False)
