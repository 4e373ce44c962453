"""Loading goals, names and actuals: a few grouped SQL queries per tree, never one per node.

Actuals come out as "facts": events grouped once by ``product_line_id, region_id, team_id,
user_id`` with ``value_sum`` and ``value_count``; ``tree.rollup_facts`` then gives every node
its share in pandas. Every query that returns business rows takes a ``viewer`` and narrows
the rows in SQL (``access.scoped_filter`` for opportunities, the owner's team for customers
and visits).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, false, func, literal, select, true
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.workdays import WorkCalendar
from salesboard.goals.tree import DIMENSIONS, FACT_COLUMNS, GOAL_COLUMNS, actual_value
from salesboard.store.filters import NO_FILTER
from salesboard.store.models import (
    Collection,
    Customer,
    Goal,
    GoalMetric,
    Opportunity,
    OpportunityStatus,
    ProductLine,
    Region,
    Role,
    Team,
    User,
    Visit,
)
from salesboard.store.queries import frame_of, iso_date, money_sum

GOAL = Goal.__table__
OPP = Opportunity.__table__
CUSTOMER = Customer.__table__
VISIT = Visit.__table__
COLLECTION = Collection.__table__
USER = User.__table__
TEAM = Team.__table__


@dataclass(frozen=True)
class Names:
    """Display names by id: product lines and regions in both languages, teams, users."""

    product_lines: dict[int, tuple[str, str]]
    regions: dict[int, tuple[str, str]]
    teams: dict[int, str]
    users: dict[int, str]
    usernames: dict[int, str]


def load_names(session: Session) -> Names:
    """Every product line, region, team and user name (small reference tables)."""
    product_lines = {
        r.id: (r.name_zh, r.name_en)
        for r in session.execute(select(ProductLine.id, ProductLine.name_zh, ProductLine.name_en))
    }
    regions = {
        r.id: (r.name_zh, r.name_en)
        for r in session.execute(select(Region.id, Region.name_zh, Region.name_en))
    }
    teams = dict(session.execute(select(TEAM.c.id, TEAM.c.name)).all())
    users = session.execute(select(USER.c.id, USER.c.display_name, USER.c.username)).all()
    return Names(
        product_lines=product_lines,
        regions=regions,
        teams=teams,
        users={u.id: u.display_name for u in users},
        usernames={u.id: u.username for u in users},
    )


def load_goals(session: Session, period: str, metric: str) -> pd.DataFrame:
    """Every goal of ``period`` (label) and ``metric``, unfiltered: callers restrict it with
    ``tree.restrict_to_viewer`` before showing anything. ``target`` as float."""
    query = select(*(GOAL.c[c] for c in GOAL_COLUMNS)).where(
        GOAL.c.period == period, GOAL.c.metric == metric
    )
    frame = frame_of(session, query)
    return typed_goals(frame)


def typed_goals(frame: pd.DataFrame) -> pd.DataFrame:
    """Goal rows with nullable integer ids and float targets."""
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="object") for c in GOAL_COLUMNS})
    out = frame.copy()
    for column in ("id", "version"):
        out[column] = out[column].astype("int64")
    for column in ("parent_id", *DIMENSIONS, "owner_id"):
        out[column] = pd.array(out[column].tolist(), dtype="Int64")
    out["target"] = out["target"].astype("float64")
    return out


# --- facts per metric ------------------------------------------------------------------------


def _empty_facts(by_day: bool = False) -> pd.DataFrame:
    columns = ("day", "value_sum", "value_count") if by_day else FACT_COLUMNS
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})


def _user_scope(viewer: Viewer, user_column, team_column):
    """SQL condition: rows of users ``viewer`` may see (customers, visits)."""
    if viewer.sees_everything:
        return true()
    if viewer.role == Role.REP:
        return user_column == viewer.user_id
    if viewer.role == Role.MANAGER and viewer.team_ids:
        return team_column.in_(viewer.team_ids)
    return false()


def _bucket(column, buckets: Sequence[tuple[date, date]] | None):
    """A CASE numbering the ``buckets`` (date ranges) ``column`` falls in; None = one bucket."""
    if not buckets:
        return literal(0)
    return case(*((column.between(s, e), i) for i, (s, e) in enumerate(buckets)), else_=-1)


@dataclass(frozen=True)
class _FactSpec:
    """How one metric's events are read: the rows, the date that places them in a period,
    the value, the columns of the four dimensions, and the visibility condition."""

    source: Any
    day: Any
    value: Any
    dims: dict[str, Any]
    conditions: tuple
    scope: Any  # callable(viewer, query) -> query


def _opportunity_scope(viewer: Viewer, query):
    return scoped_filter(viewer, NO_FILTER).apply(query)


def _spec(metric: str, effective_visits: bool) -> _FactSpec:
    opportunity_dims = {
        "product_line_id": OPP.c.product_line_id,
        "region_id": OPP.c.region_id,
        "team_id": OPP.c.team_id,
        "user_id": OPP.c.owner_id,
    }
    if metric == GoalMetric.REVENUE:
        return _FactSpec(
            OPP, OPP.c.won_on, OPP.c.amount_minor, opportunity_dims,
            (OPP.c.status == OpportunityStatus.WON,), _opportunity_scope,
        )  # fmt: skip
    if metric == GoalMetric.COLLECTION:
        return _FactSpec(
            COLLECTION.join(OPP, OPP.c.id == COLLECTION.c.opportunity_id),
            COLLECTION.c.collected_on, COLLECTION.c.collected_minor, opportunity_dims,
            (COLLECTION.c.collected_minor > 0,), _opportunity_scope,
        )  # fmt: skip
    if metric in (GoalMetric.NEW_CUSTOMERS, GoalMetric.VISITS):
        table, user, day = (
            (CUSTOMER, CUSTOMER.c.owner_id, CUSTOMER.c.created_on)
            if metric == GoalMetric.NEW_CUSTOMERS
            else (VISIT, VISIT.c.rep_id, VISIT.c.visited_on)
        )
        extra = (
            (VISIT.c.effective.is_(True),)
            if metric == GoalMetric.VISITS and effective_visits
            else ()
        )
        return _FactSpec(
            table.outerjoin(USER, USER.c.id == user).outerjoin(TEAM, TEAM.c.id == USER.c.team_id),
            day, literal(1),
            {"product_line_id": None, "region_id": TEAM.c.region_id, "team_id": USER.c.team_id,
             "user_id": user},
            extra,
            lambda viewer, query: query.where(_user_scope(viewer, user, USER.c.team_id)),
        )  # fmt: skip
    raise ValueError(f"unknown goal metric {metric!r}")


def _dims_filter(spec: _FactSpec, dims: dict[str, int | None] | None):
    """SQL condition: events matching the set ``dims`` (dimensions the events lack ignored)."""
    parts = [
        spec.dims[d] == v
        for d, v in (dims or {}).items()
        if v is not None and spec.dims.get(d) is not None
    ]
    return and_(*parts) if parts else true()


def _spec_facts(
    session: Session,
    viewer: Viewer,
    spec: _FactSpec,
    start: date,
    end: date,
    buckets,
    dims: dict[str, int | None] | None,
    by_day: bool,
) -> pd.DataFrame:
    """Events of ``spec`` between ``start`` and ``end`` summed by dimensions (and bucket), or
    by day for one node (``by_day``, with ``dims`` as filter)."""
    where = (spec.day.between(start, end), *spec.conditions, _dims_filter(spec, dims))
    if by_day:
        day = iso_date(spec.day, "day")
        query = (
            select(day, money_sum(spec.value).label("value_sum"), func.count().label("value_count"))
            .select_from(spec.source)
            .where(*where)
            .group_by(spec.day)
        )
        frame = frame_of(session, spec.scope(viewer, query))
        if frame.empty:
            return _empty_facts(by_day=True)
        frame["day"] = pd.to_datetime(frame["day"], format="%Y-%m-%d").dt.date
        return frame.astype({"value_sum": "float64", "value_count": "float64"})
    bucket = _bucket(spec.day, buckets).label("bucket")
    columns = [(c if c is not None else literal(None)).label(d) for d, c in spec.dims.items()]
    grouped = [c for c in spec.dims.values() if c is not None]
    query = (
        select(
            *columns,
            bucket,
            money_sum(spec.value).label("value_sum"),
            func.count().label("value_count"),
        )
        .select_from(spec.source)
        .where(*where)
        .group_by(*grouped, bucket)
    )
    return _with_bucket(frame_of(session, spec.scope(viewer, query)), buckets)


def cycle_day_facts(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    calendar: WorkCalendar,
    buckets: Sequence[tuple[date, date]] | None = None,
    dims: dict[str, int | None] | None = None,
    by_day: bool = False,
) -> pd.DataFrame:
    """Working days lead → won of deals won ``start``–``end``: sum and count by dimensions
    (or by won day for one node)."""
    spec = _spec(GoalMetric.REVENUE, False)
    query = scoped_filter(viewer, NO_FILTER).apply(
        select(
            *(c.label(d) for d, c in spec.dims.items()),
            iso_date(OPP.c.created_on),
            iso_date(OPP.c.won_on),
        ).where(
            OPP.c.status == OpportunityStatus.WON,
            OPP.c.won_on.between(start, end),
            _dims_filter(spec, dims),
        )
    )
    deals = frame_of(session, query)
    if deals.empty:
        return _empty_facts(by_day=True) if by_day else _with_bucket(pd.DataFrame(), buckets)
    created = pd.to_datetime(deals["created_on"], format="%Y-%m-%d").to_numpy("datetime64[D]")
    won = pd.to_datetime(deals["won_on"], format="%Y-%m-%d").to_numpy("datetime64[D]")
    deals["value_sum"] = calendar.working_days_between_many(created, won).astype("float64")
    deals["value_count"] = 1.0
    if by_day:
        deals["day"] = pd.to_datetime(deals["won_on"], format="%Y-%m-%d").dt.date
        return deals.groupby("day", as_index=False)[["value_sum", "value_count"]].sum()
    deals["bucket"] = 0
    if buckets:
        deals["bucket"] = -1
        for i, (s, e) in enumerate(buckets):
            inside = (won >= np.datetime64(s, "D")) & (won <= np.datetime64(e, "D"))
            deals.loc[inside, "bucket"] = i
    grouped = (
        deals.groupby([*DIMENSIONS, "bucket"], dropna=False)[["value_sum", "value_count"]]
        .sum()
        .reset_index()
    )
    return _with_bucket(grouped, buckets)


def _with_bucket(frame: pd.DataFrame, buckets) -> pd.DataFrame:
    """Typed facts; with ``buckets`` the ``bucket`` column is kept (rows outside dropped)."""
    if frame.empty:
        out = _empty_facts()
        if buckets:
            out["bucket"] = pd.Series(dtype="int64")
        return out
    out = frame.copy()
    for column in DIMENSIONS:
        out[column] = pd.array(out[column].tolist(), dtype="Int64")
    out = out.astype({"value_sum": "float64", "value_count": "float64"})
    if not buckets:
        return out[list(FACT_COLUMNS)]
    out["bucket"] = frame["bucket"].astype("int64").to_numpy()
    return out[[*FACT_COLUMNS, "bucket"]][out["bucket"] >= 0].reset_index(drop=True)


def metric_facts(
    session: Session,
    viewer: Viewer,
    metric: str,
    start: date,
    end: date,
    calendar: WorkCalendar | None,
    *,
    effective_visits: bool = False,
    buckets: Sequence[tuple[date, date]] | None = None,
    dims: dict[str, int | None] | None = None,
    by_day: bool = False,
) -> pd.DataFrame:
    """The facts of ``metric`` between ``start`` and ``end`` as ``viewer`` may see them.

    revenue: won amount by won date; collection: collected amount by collection date;
    new_customers: customers by creation date and owner; visits: visits (effective only if
    ``effective_visits``); cycle_days: working days lead → won of deals won in the range.
    Grouped by the four dimensions (and ``bucket``, numbering ``buckets`` date ranges), or,
    with ``by_day``, summed per day (``day, value_sum, value_count``) for the events matching
    ``dims`` — one node's daily series.
    """
    if end < start:
        return _empty_facts(by_day) if by_day else _with_bucket(pd.DataFrame(), buckets)
    if metric == GoalMetric.CYCLE_DAYS:
        if calendar is None:
            raise ValueError("cycle days need the working-day calendar")
        return cycle_day_facts(session, viewer, start, end, calendar, buckets, dims, by_day)
    if metric not in set(GoalMetric):
        raise ValueError(f"unknown goal metric {metric!r}")
    spec = _spec(metric, effective_visits)
    return _spec_facts(session, viewer, spec, start, end, buckets, dims, by_day)


def node_condition(dims: dict[str, int | None], table=OPP):
    """SQL condition: opportunity rows matching a node's set dimensions."""
    column = {
        "product_line_id": table.c.product_line_id,
        "region_id": table.c.region_id,
        "team_id": table.c.team_id,
        "user_id": table.c.owner_id,
    }
    parts = [column[d] == v for d, v in dims.items() if v is not None]
    return and_(*parts) if parts else true()


def node_actual(
    session: Session,
    viewer: Viewer,
    metric: str,
    dims: dict[str, int | None],
    ranges: Sequence[tuple[date, date]],
    calendar: WorkCalendar,
    effective_visits: bool = False,
) -> list[float | None]:
    """The actual of a node with ``dims`` over each date range (ranges may overlap): one
    query summing the node's events per day, then each range adds up its days."""
    if not ranges:
        return []
    daily = metric_facts(
        session, viewer, metric, min(s for s, _ in ranges), max(e for _, e in ranges),
        calendar, effective_visits=effective_visits, dims=dims, by_day=True,
    )  # fmt: skip
    out = []
    for start, end in ranges:
        inside = daily[(daily["day"] >= start) & (daily["day"] <= end)] if len(daily) else daily
        out.append(
            actual_value(
                float(inside["value_sum"].sum()), float(inside["value_count"].sum()), metric
            )
        )
    return out
