"""The region page's figures (区域管理, seed 001): for one region a manager (their teams'
regions), leader or admin sees — its revenue goal attainment from the goal tree (the region
nodes' targets and actuals, summed over product lines), its funnel (``pipeline.funnel`` with a
region filter), its customer matrix (``matrix.region_matrix``) and its reps with their
attainment (``goals.leaderboard``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period
from salesboard.goals.leaderboard import leaderboard
from salesboard.goals.view import goal_tree
from salesboard.pipeline.funnel import stage_funnel
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import GoalMetric, GoalScope, Region
from salesboard.store.queries import frame_of
from salesboard.store.tables import TEAM

REGION = Region.__table__


def regions_in_sight(session: Session, viewer: Viewer) -> pd.DataFrame:
    """The regions ``viewer`` may open a region page for: every active one for leaders and
    admins, the regions of their teams for managers and reps. ``id, code, name_zh, name_en``."""
    query = select(REGION.c.id, REGION.c.code, REGION.c.name_zh, REGION.c.name_en)
    if viewer.sees_everything:
        query = query.where(REGION.c.active.is_(True))
    else:
        teams = select(TEAM.c.region_id).where(TEAM.c.id.in_(list(viewer.team_ids)))
        query = query.where(REGION.c.id.in_(teams))
    return frame_of(session, query.order_by(REGION.c.id))


@dataclass(frozen=True)
class RegionGoal:
    """The region's revenue goal in a period: target and actual (minor units; None: no
    region goal) and attainment (ratio)."""

    target: float | None
    actual: float | None

    @property
    def attainment(self) -> float | None:
        return metrics.attainment(self.actual, self.target)


def region_goal(
    session: Session, viewer: Viewer, region_id: int, period: Period, as_of: date
) -> RegionGoal:
    """The region's revenue goal: the sum of the region-level goal nodes of ``region_id``
    the viewer sees (one per product line, usually) and their actuals."""
    view = goal_tree(session, viewer, period.label, GoalMetric.REVENUE, as_of)
    nodes = view.nodes
    if nodes.empty:
        return RegionGoal(None, None)
    mine = nodes[(nodes["scope"] == GoalScope.REGION) & (nodes["region_id"] == int(region_id))]
    mine = mine[~mine["context"].astype(bool)]
    if mine.empty:
        return RegionGoal(None, None)
    actual = mine["actual"].dropna()
    return RegionGoal(float(mine["target"].sum()), float(actual.sum()) if len(actual) else None)


def region_funnel(session: Session, viewer: Viewer, region_id: int, period: Period) -> pd.DataFrame:
    """The funnel (cohort) of the region's deals created in ``period``."""
    return stage_funnel(session, viewer, period, OpportunityFilter(region_ids=(int(region_id),)))


def region_reps(
    session: Session, viewer: Viewer, region_id: int, period: Period, as_of: date
) -> pd.DataFrame:
    """The region's reps (of its teams) the viewer sees, with their revenue attainment and
    process figures (the leaderboard's rows)."""
    board = leaderboard(session, viewer, period.label, GoalMetric.REVENUE, as_of, level="rep")
    teams = set(session.execute(select(TEAM.c.name).where(TEAM.c.region_id == int(region_id)))
                .scalars())  # fmt: skip
    return board[board["team"].isin(teams)].reset_index(drop=True)
