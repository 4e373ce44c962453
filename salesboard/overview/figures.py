"""Figures for the Overview page: won vs goal, open pipeline, overdue deals, win rate.

Every figure is one of ``salesboard.figures`` (the functions the other pages and reports
call too), scoped to what the viewer may read: a rep sees their own deals and their own
goals, a manager their teams' deals and team goals, leaders and admins the company. The
period's figures count its days through the "as of" day; "vs previous period" compares them
with the same number of working days into the previous period (``figures.comparison``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period, recent_periods
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.attainment import Attainment, viewer_attainment, viewer_targets
from salesboard.figures.comparison import ComparableRange, comparable_range
from salesboard.figures.facts import bucket_totals
from salesboard.figures.sales import closed_deals, days_counted, open_pipeline
from salesboard.pipeline.overdue import overdue_count
from salesboard.store.models import GoalMetric, Role
from salesboard.store.tables import STAGE, TEAM


@dataclass(frozen=True)
class OverviewKpis:
    """The Overview tiles for one period; money in minor units, ratios as 0–1 floats.

    ``goal`` is the viewer's attainment of revenue (``figures.attainment``): its target is
    the goal the tiles compare with, its actual what counts towards it. ``previous`` is what
    "vs previous period" compares with (the same number of working days into it)."""

    period: Period
    as_of: date
    won_amount_minor: int
    won_count: int
    previous: ComparableRange
    previous_won_amount_minor: int
    goal: Attainment
    elapsed: float
    open_pipeline_minor: int
    open_count: int
    overdue_count: int
    win_rate: float | None
    previous_win_rate: float | None

    @property
    def revenue_goal_minor(self) -> int | None:
        """The viewer's revenue target for the period (None without a goal)."""
        return None if self.goal.target is None else int(round(self.goal.target))

    @property
    def attainment(self) -> float | None:
        """The viewer's revenue attainment (ratio)."""
        return self.goal.ratio


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


def overview_kpis(
    session: Session,
    viewer: Viewer,
    period: Period,
    as_of: date,
    calendar: WorkCalendar | None = None,
) -> OverviewKpis:
    """All Overview tiles for ``period`` as seen on ``as_of`` over what ``viewer`` may read;
    company calendar by default."""
    calendar = calendar or load_calendar(session)
    closed = closed_deals(session, viewer, *days_counted(period.start, period.end, as_of))
    previous = comparable_range(period, as_of, calendar)
    before = closed_deals(session, viewer, previous.start, previous.end)
    open_count, open_amount = open_pipeline(session, viewer)
    return OverviewKpis(
        period=period,
        as_of=as_of,
        won_amount_minor=closed.won_amount_minor,
        won_count=closed.won,
        previous=previous,
        previous_won_amount_minor=before.won_amount_minor,
        goal=viewer_attainment(session, viewer, period, GoalMetric.REVENUE, as_of),
        elapsed=metrics.time_elapsed_share(period.start, period.end, as_of),
        open_pipeline_minor=open_amount,
        open_count=open_count,
        overdue_count=overdue_count(session, viewer, as_of, calendar),
        win_rate=closed.win_rate,
        previous_win_rate=before.win_rate,
    )


def monthly_won_vs_goal(
    session: Session, viewer: Viewer, as_of: date, months: int = 12
) -> pd.DataFrame:
    """Won amount and revenue goal per month for the last ``months`` months, over what
    ``viewer`` may read.

    Columns: ``month`` (label, oldest first), ``won_minor``, ``goal_minor`` (the viewer's
    target as in ``viewer_attainment``; NaN if unset).
    """
    periods = list(reversed(recent_periods("month", as_of, months)))
    # The revenue facts the goal pages read (one figure, one function), a total per month.
    row = bucket_totals(session, viewer, GoalMetric.REVENUE, [(p.start, p.end) for p in periods])
    goals = viewer_targets(session, viewer, [p.label for p in periods])
    return pd.DataFrame(
        {
            "month": [p.label for p in periods],
            "won_minor": [int(v) for v in row],
            "goal_minor": [goals.get(p.label) for p in periods],
        }
    )


def pipeline_by_stage(session: Session, viewer: Viewer) -> pd.DataFrame:
    """The viewer's visible open opportunities per stage: ``position, code, name_zh, name_en,
    count, amount_minor``. The counts and amounts are ``open_pipeline`` by stage (the
    board's column totals: one figure, one function), the stage names joined here."""
    totals = open_pipeline(session, viewer, by="stage")
    stages = session.execute(
        select(STAGE.c.id, STAGE.c.position, STAGE.c.code, STAGE.c.name_zh, STAGE.c.name_en)
        .where(STAGE.c.id.in_(list(totals)))
        .order_by(STAGE.c.position)
    ).all()
    rows = [(p, c, zh, en, *totals[i]) for i, p, c, zh, en in stages]
    return pd.DataFrame(
        rows, columns=["position", "code", "name_zh", "name_en", "count", "amount_minor"]
    ).astype({"count": "int64", "amount_minor": "int64"})
