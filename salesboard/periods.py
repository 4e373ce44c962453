"""Reporting periods: month ("2026-10"), quarter ("2026Q4") and year ("2026")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

PERIOD_KINDS = ("month", "quarter", "year")
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


def parse_period(label: str) -> Period:
    """Parse "2026-10", "2026Q4" or "2026"; raise ValueError naming the bad label."""
    text = label.strip()
    if m := _MONTH.match(text):
        y, mo = int(m[1]), int(m[2])
        if 1 <= mo <= 12:
            return month(y, mo)
    elif m := _QUARTER.match(text):
        return quarter(int(m[1]), int(m[2]))
    elif m := _YEAR.match(text):
        return year(int(m[1]))
    raise ValueError(f"period {label!r} is not a month (2026-10), quarter (2026Q4) or year (2026)")


def period_containing(kind: str, day: date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year(day.year)
    raise ValueError(f"period kind {kind!r} is not one of {', '.join(PERIOD_KINDS)}")


def previous_period(period: Period) -> Period:
    """The period of the same kind just before ``period`` (for MoM / QoQ)."""
    return period_containing(period.kind, period.start - timedelta(days=1))


def same_period_last_year(period: Period) -> Period:
    """The same period one year earlier (for YoY)."""
    return period_containing(period.kind, period.start.replace(year=period.start.year - 1))


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
