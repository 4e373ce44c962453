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

import numpy as np
import pandas as pd
from sqlalchemy import String, and_, case, cast, false, func, literal, select, true
from sqlmodel import Session

from salesboard.access import Viewer, scoped_filter
from salesboard.filters import NO_FILTER
from salesboard.goals.tree import DIMENSIONS, FACT_COLUMNS, GOAL_COLUMNS
from salesboard.models import (
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
from salesboard.overview import frame_of
from salesboard.workdays import WorkCalendar

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


def _empty_facts() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in FACT_COLUMNS})


def _typed_facts(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return _empty_facts()
    out = frame.copy()
    for column in DIMENSIONS:
        out[column] = pd.array(out[column].tolist(), dtype="Int64")
    out["value_sum"] = out["value_sum"].astype("float64")
    out["value_count"] = out["value_count"].astype("float64")
    return out[list(FACT_COLUMNS)]


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


def revenue_facts(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    buckets: Sequence[tuple[date, date]] | None = None,
) -> pd.DataFrame:
    """Won amount (minor units) and deal count by dimensions, deals won ``start``–``end``."""
    bucket = _bucket(OPP.c.won_on, buckets).label("bucket")
    query = scoped_filter(viewer, NO_FILTER).apply(
        select(
            OPP.c.product_line_id,
            OPP.c.region_id,
            OPP.c.team_id,
            OPP.c.owner_id.label("user_id"),
            bucket,
            func.sum(OPP.c.amount_minor).label("value_sum"),
            func.count().label("value_count"),
        )
        .where(OPP.c.status == OpportunityStatus.WON, OPP.c.won_on.between(start, end))
        .group_by(OPP.c.product_line_id, OPP.c.region_id, OPP.c.team_id, OPP.c.owner_id, bucket)
    )
    return _with_bucket(frame_of(session, query), buckets)


def collection_facts(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    buckets: Sequence[tuple[date, date]] | None = None,
) -> pd.DataFrame:
    """Collected amount (minor units) by the won deal's dimensions, collected ``start``–``end``."""
    bucket = _bucket(COLLECTION.c.collected_on, buckets).label("bucket")
    query = scoped_filter(viewer, NO_FILTER).apply(
        select(
            OPP.c.product_line_id,
            OPP.c.region_id,
            OPP.c.team_id,
            OPP.c.owner_id.label("user_id"),
            bucket,
            func.sum(COLLECTION.c.collected_minor).label("value_sum"),
            func.count().label("value_count"),
        )
        .select_from(COLLECTION.join(OPP, OPP.c.id == COLLECTION.c.opportunity_id))
        .where(
            COLLECTION.c.collected_on.between(start, end),
            COLLECTION.c.collected_minor > 0,
        )
        .group_by(OPP.c.product_line_id, OPP.c.region_id, OPP.c.team_id, OPP.c.owner_id, bucket)
    )
    return _with_bucket(frame_of(session, query), buckets)


def _rep_facts(
    session: Session,
    viewer: Viewer,
    table,
    user_column,
    day_column,
    start: date,
    end: date,
    buckets,
    extra=(),
) -> pd.DataFrame:
    """Counts of ``table`` rows by the rep's team and region (customers, visits)."""
    bucket = _bucket(day_column, buckets).label("bucket")
    query = (
        select(
            literal(None).label("product_line_id"),
            TEAM.c.region_id,
            USER.c.team_id,
            user_column.label("user_id"),
            bucket,
            func.count().label("value_sum"),
            func.count().label("value_count"),
        )
        .select_from(
            table.outerjoin(USER, USER.c.id == user_column).outerjoin(
                TEAM, TEAM.c.id == USER.c.team_id
            )
        )
        .where(day_column.between(start, end), _user_scope(viewer, user_column, USER.c.team_id))
        .where(*extra)
        .group_by(TEAM.c.region_id, USER.c.team_id, user_column, bucket)
    )
    return _with_bucket(frame_of(session, query), buckets)


def new_customer_facts(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    buckets: Sequence[tuple[date, date]] | None = None,
) -> pd.DataFrame:
    """New customers (created ``start``–``end``) by owner, the owner's team and its region."""
    return _rep_facts(
        session, viewer, CUSTOMER, CUSTOMER.c.owner_id, CUSTOMER.c.created_on, start, end, buckets
    )


def visit_facts(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    buckets: Sequence[tuple[date, date]] | None = None,
    *,
    effective_only: bool = False,
) -> pd.DataFrame:
    """Visits (``start``–``end``; only effective ones if asked) by rep, team and region."""
    extra = (VISIT.c.effective.is_(True),) if effective_only else ()
    return _rep_facts(
        session, viewer, VISIT, VISIT.c.rep_id, VISIT.c.visited_on, start, end, buckets, extra
    )


def cycle_day_facts(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    calendar: WorkCalendar,
    buckets: Sequence[tuple[date, date]] | None = None,
) -> pd.DataFrame:
    """Working days lead → won of deals won ``start``–``end``: sum and count by dimensions."""
    query = scoped_filter(viewer, NO_FILTER).apply(
        select(
            OPP.c.product_line_id,
            OPP.c.region_id,
            OPP.c.team_id,
            OPP.c.owner_id.label("user_id"),
            cast(OPP.c.created_on, String).label("created_on"),
            cast(OPP.c.won_on, String).label("won_on"),
        ).where(OPP.c.status == OpportunityStatus.WON, OPP.c.won_on.between(start, end))
    )
    deals = frame_of(session, query)
    if deals.empty:
        return _with_bucket(pd.DataFrame(columns=[*DIMENSIONS, "bucket"]), buckets)
    created = pd.to_datetime(deals["created_on"], format="%Y-%m-%d").to_numpy("datetime64[D]")
    won = pd.to_datetime(deals["won_on"], format="%Y-%m-%d").to_numpy("datetime64[D]")
    deals["value_sum"] = calendar.working_days_between_many(created, won).astype("float64")
    deals["value_count"] = 1.0
    if buckets:
        deals["bucket"] = -1
        for i, (s, e) in enumerate(buckets):
            inside = (won >= np.datetime64(s, "D")) & (won <= np.datetime64(e, "D"))
            deals.loc[inside, "bucket"] = i
    else:
        deals["bucket"] = 0
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
    typed = _typed_facts(frame)
    if not buckets:
        return typed
    typed["bucket"] = frame["bucket"].astype("int64").to_numpy()
    return typed[typed["bucket"] >= 0].reset_index(drop=True)


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
) -> pd.DataFrame:
    """The facts of ``metric`` between ``start`` and ``end`` as ``viewer`` may see them.

    revenue: won amount by won date; collection: collected amount by collection date;
    new_customers: customers by creation date and owner; visits: visits (effective only if
    ``effective_visits``); cycle_days: working days lead → won of deals won in the range.
    With ``buckets`` (date ranges inside start–end) a ``bucket`` column numbers them.
    """
    if end < start:
        return _with_bucket(pd.DataFrame(), buckets)
    if metric == GoalMetric.REVENUE:
        return revenue_facts(session, viewer, start, end, buckets)
    if metric == GoalMetric.COLLECTION:
        return collection_facts(session, viewer, start, end, buckets)
    if metric == GoalMetric.NEW_CUSTOMERS:
        return new_customer_facts(session, viewer, start, end, buckets)
    if metric == GoalMetric.VISITS:
        return visit_facts(session, viewer, start, end, buckets, effective_only=effective_visits)
    if metric == GoalMetric.CYCLE_DAYS:
        if calendar is None:
            raise ValueError("cycle days need the working-day calendar")
        return cycle_day_facts(session, viewer, start, end, calendar, buckets)
    raise ValueError(f"unknown goal metric {metric!r}")


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
