"""Time spent per stage in working days against each stage's standard, the bottleneck and
the monthly trend.

A stay counts in the period it ended (``left_on``; a deal lost in a stage ends its stay
there). SQL returns one row per distinct (stage, entered, left) with how many stays share it;
working days come from the company calendar in numpy and the statistics are weighted by
those counts, so a million stays never leave the database one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, case, cast, func, literal_column, null, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar import store_days
from salesboard.calendar.periods import Period, recent_periods
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.facts import bucket_number
from salesboard.metrics import weighted_duration_stats
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import RollupKind, StageKind
from salesboard.store.queries import frame_of, raw_frame_of, with_deal_column
from salesboard.store.tables import HISTORY, OPP, ROLLUP, STAGE

# A stage is called the bottleneck only with at least this many stays behind its average.
BOTTLENECK_MIN_STAYS = 5
STAGE_INFO_COLUMNS = ["stage_id", "position", "stage", "name_zh", "name_en", "standard_days"]


def stage_info(session: Session, *, open_only: bool = False) -> pd.DataFrame:
    """The non-lost stages in order (only the open ones with ``open_only``): ``stage_id,
    position, stage, name_zh, name_en, standard_days`` (working days, NaN when a stage has
    none)."""
    kinds = STAGE.c.kind == StageKind.OPEN if open_only else STAGE.c.kind != StageKind.LOST
    query = (
        select(
            STAGE.c.id.label("stage_id"),
            STAGE.c.position,
            STAGE.c.code.label("stage"),
            STAGE.c.name_zh,
            STAGE.c.name_en,
            STAGE.c.standard_days,
        )
        .where(kinds)
        .order_by(STAGE.c.position)
    )
    frame = frame_of(session, query).reindex(columns=STAGE_INFO_COLUMNS)
    return frame.astype({"standard_days": "float64"})


def open_stage_info(session: Session) -> pd.DataFrame:
    """``stage_info`` of the open stages only (a cacheable call: the page cache passes
    arguments by position)."""
    return stage_info(session, open_only=True)


def ended_between(session: Session, start: date, end: date):
    """Stage stays that ended between ``start`` and ``end``, as a condition the
    (stage_id, left_on, entered_on, opportunity_id) index answers: one range per stage."""
    stage_ids = session.execute(select(STAGE.c.id)).scalars().all()
    return HISTORY.c.stage_id.in_(stage_ids) & HISTORY.c.left_on.between(start, end)


def scoped_stays(session: Session, query, filters: OpportunityFilter, start: date, end: date):
    """``query`` (over ``stage_history``) limited to stays that ended between ``start`` and
    ``end`` of the deals ``filters`` (already scoped) lets through.

    A team or rep narrows the deals a lot: then the deals drive (team/owner index, then
    their stays by the covering per-deal index). Otherwise the stays drive (per-stage
    ranges of the covering stage/left index) and each is checked against its deal.
    """
    if filters.team_ids or filters.owner_ids or filters.nothing:
        deals = filters.apply(select(OPP.c.id).where(OPP.c.created_on <= end))
        return query.where(
            HISTORY.c.opportunity_id.in_(deals), HISTORY.c.left_on.between(start, end)
        )
    query = query.where(ended_between(session, start, end))
    return filters.apply_through(query, HISTORY.c.opportunity_id)


def stay_counts(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    start: date,
    end: date,
    calendar: WorkCalendar,
) -> pd.DataFrame:
    """Stays that ended between ``start`` and ``end``: ``stage_id, left_on, days, n`` where
    ``n`` stays lasted ``days`` working days (one row per distinct entry/leave dates)."""
    filters = scoped_filter(viewer, filters)
    query = select(
        HISTORY.c.stage_id,
        HISTORY.c.entered_on,
        HISTORY.c.left_on,
        func.count().label("n"),
    )
    query = scoped_stays(session, query, filters, start, end)
    # Grouped in the (stage_id, left_on, entered_on) index's order: no sort when it drives.
    query = query.group_by(HISTORY.c.stage_id, HISTORY.c.left_on, HISTORY.c.entered_on)
    frame = frame_of(session, query)
    if frame.empty:
        return pd.DataFrame({"stage_id": [], "left_on": [], "days": [], "n": []}).astype(
            {"stage_id": "int64", "days": "int64", "n": "int64"}
        )
    entered = pd.to_datetime(frame["entered_on"]).to_numpy(dtype="datetime64[D]")
    left = pd.to_datetime(frame["left_on"]).to_numpy(dtype="datetime64[D]")
    return pd.DataFrame(
        {
            "stage_id": frame["stage_id"].astype("int64"),
            "left_on": left,
            "days": calendar.working_days_between_many(entered, left).astype("int64"),
            "n": frame["n"].astype("int64"),
        }
    )


def stage_duration_summary(
    session: Session,
    viewer: Viewer,
    period: Period,
    filters: OpportunityFilter,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """Per stage, the stays that ended in ``period``: ``position, stage, name_zh, name_en,
    standard_days, count, mean_days, median_days, p25_days, p75_days, p90_days,
    over_share`` (share of stays longer than the standard), ``ratio`` (mean / standard)
    and ``bottleneck`` (True for the one stage whose mean exceeds its standard the most)."""
    calendar = calendar or load_calendar(session)
    stages = stage_info(session)
    counts = stay_counts(session, viewer, filters, period.start, period.end, calendar)
    stats = weighted_duration_stats(counts, by="stage_id")
    over = counts.merge(stages[["stage_id", "standard_days"]], on="stage_id")
    over["over_n"] = np.where(over["days"] > over["standard_days"], over["n"], 0)
    over_n = over.groupby("stage_id")["over_n"].sum()
    out = stages.merge(stats, on="stage_id", how="left")
    out["count"] = out["count"].fillna(0).astype("int64")
    out["over_share"] = out["stage_id"].map(over_n) / out["count"].where(out["count"] > 0)
    out["ratio"] = out["mean_days"] / out["standard_days"]
    return mark_bottleneck(out)


def mark_bottleneck(summary: pd.DataFrame, min_stays: int = BOTTLENECK_MIN_STAYS) -> pd.DataFrame:
    """``summary`` with a ``bottleneck`` column: True for the stage with the highest
    ``ratio`` (mean ÷ standard) above 1 among stages with at least ``min_stays`` stays."""
    candidates = summary["ratio"].where((summary["count"] >= min_stays) & (summary["ratio"] > 1))
    out = summary.copy()
    out["bottleneck"] = False
    if candidates.notna().any():
        out.loc[candidates.idxmax(), "bottleneck"] = True
    return out


def bottleneck(summary: pd.DataFrame) -> pd.Series | None:
    """The bottleneck row of a ``stage_duration_summary``, or None when no stage is over."""
    rows = summary[summary["bottleneck"]]
    return None if rows.empty else rows.iloc[0]


def stage_duration_trend(
    session: Session,
    viewer: Viewer,
    as_of: date,
    filters: OpportunityFilter,
    months: int = 12,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """Mean and median working days per stage for each of the last ``months`` calendar
    months up to ``as_of`` (stays that ended in the month): ``month, position, stage,
    name_zh, name_en, standard_days, count, mean_days, median_days`` (oldest first)."""
    calendar = calendar or load_calendar(session)
    periods = list(reversed(recent_periods("month", as_of, months)))
    counts = stay_counts(session, viewer, filters, periods[0].start, as_of, calendar)
    counts["month"] = pd.to_datetime(counts["left_on"]).dt.strftime("%Y-%m")
    stats = weighted_duration_stats(counts, by=["month", "stage_id"])
    out = stage_info(session).merge(stats, on="stage_id")
    columns = ["month", "position", "stage", "name_zh", "name_en", "standard_days"]
    columns += ["count", "mean_days", "median_days"]
    return out[columns].sort_values(["month", "position"], ignore_index=True)


# How stage pace can be grouped: per deal owner or per the team credited with the deal.
PACE_GROUPS = {"owner": OPP.c.owner_id, "team": OPP.c.team_id}


def stage_pace(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    calendar: WorkCalendar | None = None,
    *,
    by: str = "owner",
    filters: OpportunityFilter = NO_FILTER,
    buckets: Sequence[tuple[date, date]] | None = None,
) -> pd.DataFrame:
    """Per deal owner (``by`` "owner") or team ("team"), the stage stays of their deals
    that ``viewer`` may read (within ``filters``) and that ended between ``start`` and
    ``end``, against each stage's standard: ``owner_id`` (or ``team_id``), ``stays``,
    ``mean_days`` and ``pace``, where ``pace`` is the mean of days ÷ standard (1.0 = exactly on the standard,
    lower is faster; stays of stages without a standard are left out of it). The per-rep
    form of the stage durations the pipeline review shows per stage (same stays, same
    working days). ``buckets`` (date ranges between ``start`` and ``end``) reads several
    periods at once: a ``bucket`` column numbers the range each row's stays ended in."""
    calendar = calendar or load_calendar(session)
    name = f"{by}_id"
    keys = ["bucket", name] if buckets else [name]
    columns = dict.fromkeys(keys, "int64")
    columns |= {"stays": "int64", "mean_days": "float64", "pace": "float64"}
    empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    scope = scoped_filter(viewer, filters)
    # The rollup sums each owner's stays and their working days per day (at 10M deals a
    # quarter is 471k rows against 3.8M stays, each seeking its deal's owner: 7 s).
    if scope.rollups_can_answer and store_days.in_step(session.connection(), calendar, end):
        frame = _stays_left_summed(session, scope, by, start, end, buckets)
    else:
        frame = _stays_left_counted(session, scope, by, start, end, calendar, buckets)
    if frame is None:
        return empty
    frame = frame.dropna(subset=["id"])
    frame = frame[frame["bucket"] >= 0]
    if frame.empty:
        return empty
    standard = frame["stage_id"].map(stage_info(session).set_index("stage_id")["standard_days"])
    frame = frame.assign(
        ratio_n=frame["days"] / standard.where(standard > 0),
        rated_n=frame["n"].where(standard > 0, 0),
    )
    group = ["bucket", "id"] if buckets else ["id"]
    sums = frame.groupby(group)[["n", "days", "ratio_n", "rated_n"]].sum(min_count=1)
    index = sums.index.to_frame(index=False).set_axis(keys, axis=1)
    out = index.assign(
        stays=sums["n"].astype("int64").to_numpy(),
        mean_days=(sums["days"] / sums["n"]).to_numpy(),
        pace=(sums["ratio_n"] / sums["rated_n"].where(sums["rated_n"] > 0)).to_numpy(),
    )
    return out.astype(columns)


def _stays_left_summed(session: Session, scope: OpportunityFilter, by: str, start: date,
                       end: date, buckets) -> pd.DataFrame:  # fmt: skip
    """Stage pace's input from the rollup: per bucket, owner (or team) and stage, the stays
    that ended and their working days summed (``bucket, id, stage_id, n, days``), read from
    the partial index of the stays left (the kind a literal, so both planners use it)."""
    left = ROLLUP.c.kind == literal_column(f"'{RollupKind.LEFT.value}'")
    bucket, whose = bucket_number(ROLLUP.c.day, buckets), ROLLUP.c[f"{by}_id"]
    query = scope.apply_to_rollups(
        select(bucket.label("bucket"), whose.label("id"), ROLLUP.c.stage_id,
               cast(func.sum(ROLLUP.c.deals), BigInteger).label("n"),
               cast(func.sum(ROLLUP.c.worked_days), BigInteger).label("days"))
        .where(left, ROLLUP.c.day.between(start, end))
        .group_by(bucket, whose, ROLLUP.c.stage_id)
        .having(func.sum(ROLLUP.c.deals) != 0)  # groups whose stays were all taken back
    )  # fmt: skip
    return raw_frame_of(session, query)


def _stays_left_counted(session: Session, scope: OpportunityFilter, by: str, start: date,
                        end: date, calendar: WorkCalendar, buckets) -> pd.DataFrame | None:  # fmt: skip
    """Stage pace's input from the stays themselves (when the rollup's working days are not
    those of ``calendar``, or the filter is one the rollup cannot answer): the columns of
    ``_stays_left_summed``; None when no stay ended in the period."""
    key = PACE_GROUPS[by]
    # Working days summed in SQL from a table of the days' working-day numbers: a few rows
    # per owner and stage leave the database, not one per distinct stay (186k at 1M deals).
    # The day table spans the entries of the stays that ended in the period: one rep's own
    # (their few deals drive: a half year at 10M 0.58 → 0.03 s), else all of them (one
    # index range; 25 reps' or a team's deals driving took 0.16 s against 0.02 s at 1M).
    entered = select(func.min(HISTORY.c.entered_on), func.max(HISTORY.c.entered_on))
    if len(scope.owner_ids) == 1 and not scope.team_ids:
        entered = scoped_stays(session, entered, scope, start, end)
    else:
        entered = entered.where(ended_between(session, start, end))
    low, high = session.execute(entered).one()
    if low is None:
        return None
    days = calendar.day_numbers(min(low, start), max(high, end)).cte("workdays")
    on_entry, on_leaving = days.alias("entry_day"), days.alias("leaving_day")
    # Joined on a function of the dates: SQLite then indexes the day table for the join (a
    # bare DATE column's numeric affinity kept it from that: one scan of the days per stay).
    # The stays first, in deal order (materialised): each deal's owner is then read in the
    # order the deals are stored, not one random page per stay.
    stays = scoped_stays(
        session,
        select(HISTORY.c.opportunity_id, HISTORY.c.stage_id, HISTORY.c.entered_on, HISTORY.c.left_on),
        scope, start, end,
    ).order_by(HISTORY.c.opportunity_id).cte("stays").prefix_with("MATERIALIZED")  # fmt: skip
    entered_on, left_on = (func.coalesce(c, null()) for c in (stays.c.entered_on, stays.c.left_on))
    worked = case(
        (stays.c.left_on > stays.c.entered_on, on_leaving.c.number - on_entry.c.number),
        else_=0,
    )
    bucket = bucket_number(stays.c.left_on, buckets)
    # Each stay's owner (or team) by one primary-key seek, in deal order.
    deals, whose = with_deal_column(session, stays, key)
    query = select(
        bucket.label("bucket"), whose.label("id"), stays.c.stage_id,
        func.count().label("n"), func.sum(worked).label("days"),
    ).select_from(
        deals.join(on_entry, on_entry.c.day == entered_on)
        .join(on_leaving, on_leaving.c.day == left_on)
    ).group_by(bucket, whose, stays.c.stage_id)  # fmt: skip
    return raw_frame_of(session, query)
