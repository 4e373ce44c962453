"""Figures for the Overview page: won vs goal, open pipeline, overdue deals, win rate.

Every figure is scoped to what the viewer may read (``access.scoped_filter``): a rep sees
their own deals and their own goal, a manager their teams' deals and team goals, leaders and
admins the company. Aggregation is pushed into SQL (portable expressions only, so SQLite and
PostgreSQL agree); the rules themselves come from ``salesboard.metrics``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.periods import Period, previous_period, recent_periods
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.pipeline.overdue import overdue_count
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import (
    Goal,
    GoalMetric,
    GoalScope,
    KeyAction,
    Opportunity,
    OpportunityStatus,
    Role,
    Stage,
    Team,
)
from salesboard.store.queries import frame_of, money_sum

OPP = Opportunity.__table__
STAGE = Stage.__table__
ACTION = KeyAction.__table__
GOAL = Goal.__table__
TEAM = Team.__table__


@dataclass(frozen=True)
class OverviewKpis:
    """The Overview tiles for one period; money in minor units, ratios as 0–1 floats."""

    period: Period
    as_of: date
    won_amount_minor: int
    won_count: int
    previous_won_amount_minor: int
    revenue_goal_minor: int | None
    attainment: float | None
    elapsed: float
    open_pipeline_minor: int
    open_count: int
    overdue_count: int
    win_rate: float | None
    previous_win_rate: float | None


@dataclass(frozen=True)
class FiguresScope:
    """Whose figures a viewer sees: ``kind`` is "company", "teams" or "own"; ``teams`` names
    a manager's teams, ``owner`` a rep's display name."""

    kind: str
    teams: tuple[str, ...] = ()
    owner: str = ""


def figures_scope(session: Session, viewer: Viewer) -> FiguresScope:
    """Whose figures the Overview shows ``viewer`` (for the page to say so)."""
    if viewer.sees_everything:
        return FiguresScope("company")
    if viewer.role == Role.MANAGER:
        names = session.execute(
            select(TEAM.c.name).where(TEAM.c.id.in_(viewer.team_ids)).order_by(TEAM.c.name)
        ).scalars()
        return FiguresScope("teams", teams=tuple(names))
    return FiguresScope("own", owner=viewer.display_name)


def _visible(viewer: Viewer, requested: OpportunityFilter = NO_FILTER) -> OpportunityFilter:
    return scoped_filter(viewer, requested)


def won_totals(session: Session, viewer: Viewer, start: date, end: date) -> tuple[int, int]:
    """(count, amount in minor units) of the viewer's visible deals won between ``start`` and
    ``end`` inclusive."""
    query = select(func.count(), money_sum(OPP.c.amount_minor)).where(
        OPP.c.status == OpportunityStatus.WON, OPP.c.won_on.between(start, end)
    )
    row = session.execute(_visible(viewer).apply(query)).one()
    return int(row[0]), int(row[1])


def lost_count(session: Session, viewer: Viewer, start: date, end: date) -> int:
    """How many of the viewer's visible opportunities were lost between ``start`` and
    ``end`` inclusive."""
    query = select(func.count()).where(
        OPP.c.status == OpportunityStatus.LOST, OPP.c.lost_on.between(start, end)
    )
    return int(session.execute(_visible(viewer).apply(query)).scalar_one())


def company_goals(
    session: Session, labels: list[str], metric: str = GoalMetric.REVENUE
) -> dict[str, int]:
    """Company-level targets by period label (money metrics in minor units)."""
    rows = session.execute(
        select(GOAL.c.period, func.sum(GOAL.c.target))
        .where(
            GOAL.c.scope == GoalScope.COMPANY,
            GOAL.c.metric == metric,
            GOAL.c.period.in_(labels),
        )
        .group_by(GOAL.c.period)
    ).all()
    return {label: int(target) for label, target in rows}


def goals_for(
    session: Session, viewer: Viewer, labels: list[str], metric: str = GoalMetric.REVENUE
) -> dict[str, int]:
    """The targets that match what ``viewer`` sees, by period label: the company goal for
    leaders and admins, the sum of their teams' goals for a manager, the rep's own goals
    (summed over product lines) for a rep. Money metrics in minor units."""
    if viewer.sees_everything:
        return company_goals(session, labels, metric)
    if viewer.role == Role.MANAGER:
        if not viewer.team_ids:
            return {}
        scope = and_(GOAL.c.scope == GoalScope.TEAM, GOAL.c.team_id.in_(viewer.team_ids))
    elif viewer.role == Role.REP:
        scope = and_(GOAL.c.scope == GoalScope.REP, GOAL.c.user_id == viewer.user_id)
    else:
        return {}
    rows = session.execute(
        select(GOAL.c.period, func.sum(GOAL.c.target))
        .where(scope, GOAL.c.metric == metric, GOAL.c.period.in_(labels))
        .group_by(GOAL.c.period)
    ).all()
    return {label: int(target) for label, target in rows}


def open_pipeline(session: Session, viewer: Viewer) -> tuple[int, int]:
    """(count, amount in minor units) of the viewer's visible open opportunities."""
    query = select(func.count(), money_sum(OPP.c.amount_minor)).where(
        OPP.c.status == OpportunityStatus.OPEN
    )
    row = session.execute(_visible(viewer).apply(query)).one()
    return int(row[0]), int(row[1])


def overview_kpis(
    session: Session,
    viewer: Viewer,
    period: Period,
    as_of: date,
    calendar: WorkCalendar | None = None,
) -> OverviewKpis:
    """All Overview tiles for ``period`` as seen on ``as_of`` over what ``viewer`` may read,
    against the matching goal (``goals_for``); company calendar by default."""
    calendar = calendar or load_calendar(session)
    won_count, won_amount = won_totals(session, viewer, period.start, period.end)
    previous = previous_period(period)
    previous_won, previous_amount = won_totals(session, viewer, previous.start, previous.end)
    goal = goals_for(session, viewer, [period.label]).get(period.label)
    open_count, open_amount = open_pipeline(session, viewer)
    return OverviewKpis(
        period=period,
        as_of=as_of,
        won_amount_minor=won_amount,
        won_count=won_count,
        previous_won_amount_minor=previous_amount,
        revenue_goal_minor=goal,
        attainment=metrics.attainment(won_amount, goal),
        elapsed=metrics.time_elapsed_share(period.start, period.end, as_of),
        open_pipeline_minor=open_amount,
        open_count=open_count,
        overdue_count=overdue_count(session, viewer, as_of, calendar),
        win_rate=metrics.win_rate(won_count, lost_count(session, viewer, period.start, period.end)),
        previous_win_rate=metrics.win_rate(
            previous_won, lost_count(session, viewer, previous.start, previous.end)
        ),
    )


def monthly_won_vs_goal(
    session: Session, viewer: Viewer, as_of: date, months: int = 12
) -> pd.DataFrame:
    """Won amount and revenue goal per month for the last ``months`` months, over what
    ``viewer`` may read (goals as in ``goals_for``).

    Columns: ``month`` (label, oldest first), ``won_minor``, ``goal_minor`` (NaN if unset).
    """
    periods = list(reversed(recent_periods("month", as_of, months)))
    # One indexed range scan with a CASE per month, instead of dialect date truncation.
    sums = [
        money_sum(case((OPP.c.won_on.between(p.start, p.end), OPP.c.amount_minor), else_=0))
        for p in periods
    ]
    query = select(*sums).where(
        OPP.c.status == OpportunityStatus.WON,
        OPP.c.won_on.between(periods[0].start, periods[-1].end),
    )
    row = session.execute(_visible(viewer).apply(query)).one()
    goals = goals_for(session, viewer, [p.label for p in periods])
    return pd.DataFrame(
        {
            "month": [p.label for p in periods],
            "won_minor": [int(v) for v in row],
            "goal_minor": [goals.get(p.label) for p in periods],
        }
    )


def pipeline_by_stage(session: Session, viewer: Viewer) -> pd.DataFrame:
    """The viewer's visible open opportunities per stage: ``position, code, name_zh, name_en,
    count, amount_minor``."""
    query = (
        select(
            STAGE.c.position,
            STAGE.c.code,
            STAGE.c.name_zh,
            STAGE.c.name_en,
            func.count(OPP.c.id).label("count"),
            money_sum(OPP.c.amount_minor).label("amount_minor"),
        )
        .join(OPP, OPP.c.current_stage_id == STAGE.c.id)
        .where(OPP.c.status == OpportunityStatus.OPEN)
        .group_by(STAGE.c.position, STAGE.c.code, STAGE.c.name_zh, STAGE.c.name_en)
        .order_by(STAGE.c.position)
    )
    return frame_of(session, _visible(viewer).apply(query))
