"""Reporting periods: month ("2026-10"), quarter ("2026Q4"), year ("2026"), ISO week
("2026-W48", Monday to Sunday) and a custom range ("2026-11-01..2026-11-23")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

PERIOD_KINDS = ("month", "quarter", "year")
# Kinds the analysis pages' filter bar offers (the custom range is picked by its dates).
ANALYSIS_PERIOD_KINDS = ("week", "month", "quarter", "year", "custom")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period with inclusive ``start`` and ``end`` dates."""

    start: date
    end: date
    kind: str
    label: str

    def contains(self, day: date) -> bool:
        """True if ``day`` falls in the period."""
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def month(year: int, month_no: int) -> Period:
    """The calendar month ``year``-``month_no``."""
    return Period(
        date(year, month_no, 1), _month_end(year, month_no), "month", f"{year}-{month_no:02d}"
    )


def quarter(year: int, quarter_no: int) -> Period:
    """The calendar quarter ``quarter_no`` (1–4) of ``year``."""
    first = 3 * (quarter_no - 1) + 1
    return Period(
        date(year, first, 1), _month_end(year, first + 2), "quarter", f"{year}Q{quarter_no}"
    )


def year(year_no: int) -> Period:
    """The calendar year ``year_no``."""
    return Period(date(year_no, 1, 1), date(year_no, 12, 31), "year", str(year_no))


def week(iso_year: int, week_no: int) -> Period:
    """ISO week ``week_no`` of ``iso_year`` (Monday to Sunday), labelled "2026-W48"."""
    start = date.fromisocalendar(iso_year, week_no, 1)
    return Period(start, start + timedelta(days=6), "week", f"{iso_year}-W{week_no:02d}")


def custom_range(start: date, end: date) -> Period:
    """The days ``start`` to ``end`` inclusive, labelled "2026-11-01..2026-11-23"."""
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    return Period(start, end, "custom", f"{start.isoformat()}..{end.isoformat()}")


def parse_period(label: str) -> Period:
    """Parse "2026-10", "2026Q4", "2026", "2026-W48" or "2026-11-01..2026-11-23"; raise
    ValueError naming the bad label."""
    text = label.strip()
    if m := _WEEK.match(text):
        try:
            return week(int(m[1]), int(m[2]))
        except ValueError:
            pass
    elif m := _RANGE.match(text):
        try:
            return custom_range(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        except ValueError:
            pass
    elif m := _MONTH.match(text):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return month(y, mo)
    elif m := _QUARTER.match(text):
        return quarter(int(m[1]), int(m[2]))
    elif m := _YEAR.match(text):
        return year(int(m[1]))
    raise ValueError(
        f"period {label!r} is not a month (2026-10), quarter (2026Q4), year (2026), "
        "week (2026-W48) or range (2026-11-01..2026-11-23)"
    )


def period_containing(kind: str, day: date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year(day.year)
    if kind == "week":
        iso = day.isocalendar()
        return week(iso.year, iso.week)
    raise ValueError(f"period kind {kind!r} is not one of {', '.join(PERIOD_KINDS)}, week")


def previous_period(period: Period) -> Period:
    """The period of the same kind just before ``period`` (for MoM / QoQ); for a custom
    range, the range of the same length that ends the day before it starts."""
    if period.kind == "custom":
        length = period.end - period.start
        end = period.start - timedelta(days=1)
        return custom_range(end - length, end)
    return period_containing(period.kind, period.start - timedelta(days=1))


def _year_earlier(day: date) -> date:
    if (day.month, day.day) == (2, 29):
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def same_period_last_year(period: Period) -> Period:
    """The same period one year earlier (for YoY); a week is the same ISO week number."""
    if period.kind == "custom":
        return custom_range(_year_earlier(period.start), _year_earlier(period.end))
    if period.kind == "week":
        iso = period.start.isocalendar()
        return week(iso.year - 1, min(iso.week, date(iso.year - 1, 12, 28).isocalendar().week))
    return period_containing(period.kind, _year_earlier(period.start))


def recent_periods(kind: str, today: date, count: int) -> list[Period]:
    """The ``count`` periods of ``kind`` ending with the one containing ``today``, newest first."""
    periods = [period_containing(kind, today)]
    while len(periods) < count:
        periods.append(previous_period(periods[-1]))
    return periods


def months_in(period: Period) -> list[Period]:
    """The calendar months that make up ``period``."""
    months, current = [], month(period.start.year, period.start.month)
    while current.start <= period.end:
        months.append(current)
        current = period_containing("month", current.end + timedelta(days=1))
    return months
