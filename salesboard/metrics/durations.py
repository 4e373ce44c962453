"""Time in stage, in working days of the company calendar, and overdue opportunities.

Everything here is vectorised (numpy / pandas, no per-row Python loops) so it scales to
about a million opportunities.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from salesboard.calendar.workdays import WorkCalendar

STAGE_HISTORY_COLUMNS = ("stage", "entered_on", "left_on")
OVERDUE_INPUT_COLUMNS = (
    "opportunity_id",
    "stage_entered_on",
    "standard_days",
    "idle_days",
    "last_activity_on",
    "planned_on",
    "done_on",
)
# Why an open opportunity is overdue, in the order they are listed in ``reasons``.
OVERDUE_REASONS = ("over_standard", "action_late", "idle")
# Every combination of reasons as a tuple, indexed by a bit mask (1 = over_standard,
# 2 = action_late, 4 = idle), so per-row reason tuples are one fancy-indexing step.
_REASON_SETS = np.empty(2 ** len(OVERDUE_REASONS), dtype=object)
for _code in range(len(_REASON_SETS)):
    _REASON_SETS[_code] = tuple(r for bit, r in enumerate(OVERDUE_REASONS) if _code >> bit & 1)


def days_in_stage(entered_on: ArrayLike, as_of: date, calendar: WorkCalendar) -> np.ndarray:
    """Working days after entering the stage up to and including ``as_of`` (missing date → 0)."""
    return calendar.working_days_between_many(_as_days(entered_on), _as_day(as_of))


def stage_durations(history: pd.DataFrame, as_of: date, calendar: WorkCalendar) -> pd.DataFrame:
    """Per stage: ``stage, count, mean_days, median_days`` of time spent, in working days.

    ``history`` has one row per stage visit with ``stage, entered_on, left_on``; a missing
    ``left_on`` (still in the stage) or one after ``as_of`` is counted up to ``as_of``. Visits
    with no ``entered_on`` or entered after ``as_of`` are left out. Stages come out sorted.
    """
    _require(history, STAGE_HISTORY_COLUMNS, "stage history")
    today = _as_day(as_of)
    entered = _as_days(history["entered_on"])
    left = _as_days(history["left_on"])
    end = np.where(np.isnat(left) | (left > today), today, left)
    keep = ~np.isnat(entered) & (entered <= today)
    visits = pd.DataFrame(
        {
            "stage": history["stage"][keep].reset_index(drop=True),
            "days": calendar.working_days_between_many(entered[keep], end[keep]),
        }
    )
    return (
        visits.groupby("stage", sort=True, observed=True)["days"]
        .agg(count="size", mean_days="mean", median_days="median")
        .reset_index()
        .astype({"count": "int64", "mean_days": "float64", "median_days": "float64"})
    )


def overdue_mask(days_in_stage: ArrayLike, standard_days: ArrayLike) -> np.ndarray:
    """True where the working days in stage exceed the standard (missing standard → False)."""
    days = _as_float(days_in_stage)
    standard = _as_float(standard_days)
    # NaN compares False, so a missing standard is never overdue.
    return np.greater(days, standard)


# How a deal's days in stage read against the stage standard: within it, near it (the last
# fifth of the standard, at least its last working day) or over it (the overdue rule,
# ``overdue_mask``); "none" where the stage has no standard.
STAGE_CLOCKS = ("within", "near", "over", "none")
NEAR_SHARE = 0.2


def stage_clock(days_in_stage: ArrayLike, standard_days: ArrayLike) -> np.ndarray:
    """Per deal, one of ``STAGE_CLOCKS``: "over" exactly where ``overdue_mask`` says the
    stage standard is exceeded (working days), "near" in the standard's last fifth (at least
    its last day), else "within"; "none" where there is no standard."""
    days = _as_float(days_in_stage)
    standard = _as_float(standard_days)
    over = overdue_mask(days, standard)
    with np.errstate(invalid="ignore"):
        margin = np.maximum(np.floor(standard * NEAR_SHARE), 1.0)
        near = ~over & np.greater_equal(days, standard - margin)
    return np.select(
        [np.isnan(standard), over, near], ["none", "over", "near"], default="within"
    ).astype(object)


def days_over(days_in_stage: ArrayLike, standard_days: ArrayLike) -> np.ndarray:
    """Working days beyond the standard, rounded up; 0 where not over or no standard."""
    days = _as_float(days_in_stage)
    standard = _as_float(standard_days)
    over = np.greater(days, standard)
    with np.errstate(invalid="ignore"):
        excess = np.ceil(np.where(over, days - standard, 0.0))
    return excess.astype(np.int64)


def overdue_opportunities(df: pd.DataFrame, as_of: date, calendar: WorkCalendar) -> pd.DataFrame:
    """The overdue open opportunities, worst first, with their lateness in working days.

    Input: one row per open opportunity with ``opportunity_id, stage_entered_on,
    standard_days, idle_days, last_activity_on, planned_on, done_on`` (the current key
    action's planned and actual dates). Added columns, all in working days up to ``as_of``:

    - ``days_in_stage`` and ``days_over`` (beyond ``standard_days``);
    - ``idle_working_days``: since the later of ``last_activity_on`` and
      ``stage_entered_on`` (entering the stage is itself activity);
    - ``action_days_late``: since ``planned_on`` when ``done_on`` is empty and the planned
      date is before ``as_of``, else 0;
    - ``reasons``: a tuple of ``OVERDUE_REASONS`` codes — "over_standard" (``days_over`` > 0),
      "action_late" (planned date passed, not done; it can be 0 working days late over a
      weekend or holiday), "idle" (``idle_working_days`` > ``idle_days``);
    - ``severity``: the largest of ``days_over``, ``action_days_late`` and the idle days
      beyond ``idle_days``.

    Only rows with at least one reason are returned, sorted by severity descending (then
    ``opportunity_id``), with a fresh index.
    """
    _require(df, OVERDUE_INPUT_COLUMNS, "open opportunities")
    today = _as_day(as_of)

    entered = _as_days(df["stage_entered_on"])
    in_stage = calendar.working_days_between_many(entered, today)
    stage_over = days_over(in_stage, df["standard_days"])

    last_activity = _as_days(df["last_activity_on"])
    # NaT compares False, so a missing activity date falls back to the stage entry.
    quiet_since = np.where(
        np.isnat(last_activity) | (last_activity < entered), entered, last_activity
    )
    idle_for = calendar.working_days_between_many(quiet_since, today)
    idle_over = days_over(idle_for, df["idle_days"])

    planned = _as_days(df["planned_on"])
    done = _as_days(df["done_on"])
    late = ~np.isnat(planned) & np.isnat(done) & (planned < today)
    action_late = np.where(late, calendar.working_days_between_many(planned, today), 0)

    codes = (stage_over > 0).astype(np.int8) | (late.astype(np.int8) << 1)
    codes |= (idle_over > 0).astype(np.int8) << 2
    overdue = codes > 0

    out = df.loc[overdue].copy()
    out["days_in_stage"] = in_stage[overdue]
    out["days_over"] = stage_over[overdue]
    out["idle_working_days"] = idle_for[overdue]
    out["action_days_late"] = action_late[overdue].astype(np.int64)
    out["reasons"] = _REASON_SETS[codes[overdue]]
    out["severity"] = np.maximum.reduce([stage_over, action_late, idle_over])[overdue]
    return out.sort_values(
        ["severity", "opportunity_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def _require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks columns: {', '.join(missing)}")


def _as_day(day: date) -> np.datetime64:
    return np.datetime64(pd.Timestamp(day).date(), "D")


def _as_days(values: ArrayLike) -> np.ndarray:
    """Dates as ``datetime64[D]``: datetime64 (tz-aware → local date), Timestamps or python
    dates; None, NaN and NaT become NaT."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[D]")
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if series.dtype.kind != "M":
        series = pd.to_datetime(series, errors="coerce")
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    return series.to_numpy(dtype="datetime64[D]")


def _as_float(values: ArrayLike) -> np.ndarray:
    """Numbers as a float array; None, pd.NA and non-numbers become NaN."""
    if isinstance(values, pd.Series | pd.Index):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    arr = np.asarray(values)
    if arr.dtype.kind in "biuf":
        return arr.astype(float)
    numbers = pd.to_numeric(pd.Series(arr.ravel(), dtype=object), errors="coerce")
    return numbers.to_numpy(dtype=float, na_value=np.nan).reshape(arr.shape)


DURATION_STATS = (
    "count", "mean_days", "median_days", "p10_days", "p25_days", "p75_days", "p90_days",
)  # fmt: skip


def weighted_duration_stats(counts: pd.DataFrame, by: str | list[str] = "stage") -> pd.DataFrame:
    """Per group of ``by``: how many stays, their mean, and the 10th/25th/50th/75th/90th
    percentiles of ``days`` (working days), from a frame of ``by…, days, n`` where ``n``
    stays lasted ``days`` (what a SQL ``GROUP BY`` returns instead of one row per stay).

    Percentiles use the nearest-rank method (the smallest stay with at least that share of
    stays at or below it); the median averages the two middle stays of an even count, as
    ``numpy.median`` does. Groups with no stays are left out.
    """
    keys = [by] if isinstance(by, str) else list(by)
    _require(counts, [*keys, "days", "n"], "stay counts")
    rows = []
    data = counts[counts["n"] > 0].sort_values([*keys, "days"], kind="stable")
    for key, group in data.groupby(keys, sort=True, observed=True):
        days = group["days"].to_numpy(dtype=float)
        n = group["n"].to_numpy(dtype=np.int64)
        total = int(n.sum())
        cum = np.cumsum(n)

        def nth(k: int, days=days, cum=cum) -> float:
            """The k-th smallest stay (0-based)."""
            return float(days[np.searchsorted(cum, k, side="right")])

        median = (nth((total - 1) // 2) + nth(total // 2)) / 2
        rows.append(
            (
                *(key if isinstance(key, tuple) else (key,)),
                total,
                float((days * n).sum() / total),
                median,
                nth(int(np.ceil(0.10 * total)) - 1),
                nth(int(np.ceil(0.25 * total)) - 1),
                nth(int(np.ceil(0.75 * total)) - 1),
                nth(int(np.ceil(0.90 * total)) - 1),
            )
        )
    frame = pd.DataFrame(rows, columns=[*keys, *DURATION_STATS])
    return frame.astype({"count": "int64"})
