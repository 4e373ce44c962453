"""The back-test of the forecast: both methods applied to the last few complete periods of
the same kind, as of the same share of working days elapsed, against what those periods
finally reached; the error of each method is the mean absolute percentage error (MAPE).

``forecast.forecast`` evaluates the current period and these past points in one batch of
queries; this module chooses the past points and scores the forecasts made at them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd

from salesboard.calendar.periods import Period, previous_period
from salesboard.calendar.workdays import WorkCalendar
from salesboard.figures.comparison import working_days_in

BACKTEST_PERIODS = {"month": 6, "quarter": 4, "year": 2}


def mape(forecasts: Sequence[float | None], actuals: Sequence[float | None]) -> float | None:
    """Mean absolute percentage error over the pairs with a forecast and a positive actual,
    as a ratio (0.12 = 12 %); None when there is no such pair."""
    errors = [
        abs(f - a) / a
        for f, a in zip(forecasts, actuals, strict=True)
        if f is not None and a is not None and not math.isnan(f) and a > 0
    ]
    return sum(errors) / len(errors) if errors else None


def same_point(calendar: WorkCalendar, period: Period, share: float) -> date:
    """The day in ``period`` by which ``share`` of its working days have passed (at least the
    first working day; the period end for a share of 1)."""
    total = working_days_in(calendar, period.start, period.end)
    wanted = max(1, round(share * total))
    day, count = period.start, 0
    while day <= period.end:
        if calendar.is_working_day(day):
            count += 1
            if count >= wanted:
                return day
        day += timedelta(days=1)
    return period.end


def backtest_periods(period: Period, count: int, as_of: date) -> list[Period]:
    """The ``count`` complete periods of ``period``'s kind before it (ended before ``as_of``),
    oldest first."""
    periods, current = [], previous_period(period)
    while len(periods) < count:
        if current.end < as_of:
            periods.append(current)
        current = previous_period(current)
    return list(reversed(periods))


def backtest_table(
    history: Sequence[Period],
    points: Sequence[date],
    actual_then: Sequence[float | None],
    final: Sequence[float | None],
    run_rate: Sequence[float | None],
    pipeline: Sequence[float | None],
) -> pd.DataFrame:
    """One row per past period: the as-of point, the actual then and at the end, each
    method's forecast then and its error against the end (a ratio, None when the end is 0).
    Columns: ``period, as_of, actual_then, final, run_rate, pipeline, run_rate_error,
    pipeline_error``."""
    table = pd.DataFrame(
        {
            "period": [p.label for p in history],
            "as_of": list(points),
            "actual_then": list(actual_then),
            "final": list(final),
            "run_rate": list(run_rate),
            "pipeline": list(pipeline),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        for column in ("run_rate", "pipeline"):
            forecasted = table[column].astype("float64")
            finals = table["final"].astype("float64")
            table[f"{column}_error"] = (forecasted - finals) / finals.where(finals > 0)
    return table
