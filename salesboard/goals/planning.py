"""Read side of goal setting: the editable goal list, the candidate children of a split,
last year's monthly profile for a seasonal spread, and the periods one can plan."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, require
from salesboard.calendar.periods import Period, months_in, period_containing, previous_period, year
from salesboard.figures.facts import bucket_totals
from salesboard.figures.goal_nodes import load_goals
from salesboard.goals import tree
from salesboard.goals.queries import load_names
from salesboard.goals.tree import METRIC_DIMENSIONS, SCOPE_DIMENSION, SCOPE_ORDER
from salesboard.goals.view import node_names
from salesboard.store.models import (
    Goal,
    GoalMetric,
    GoalScope,
    ProductLine,
    Region,
    Role,
    Team,
    User,
)


def _editor(viewer: Viewer) -> None:
    require(viewer.can_edit_goals, "goals.edit", "only leaders and admins set goals")


def planning_periods(kind: str, today: date, back: int = 4, ahead: int = 4) -> list[Period]:
    """Periods of ``kind`` around today, newest first: ``ahead`` future ones (to plan) down to
    ``back`` past ones (to copy from or correct)."""
    current = period_containing(kind, today)
    periods = [current]
    for _ in range(ahead):
        periods.insert(0, period_containing(kind, periods[0].end + timedelta(days=1)))
    for _ in range(back):
        periods.append(previous_period(periods[-1]))
    return periods


def goal_table(session: Session, viewer: Viewer, period: str, metric: str) -> pd.DataFrame:
    """Every goal of ``period`` and ``metric`` in tree order for editing: ``id, version,
    parent_id, depth, scope, name_zh, name_en, owner_id, owner_name, target,
    children_target, child_count`` (money in minor units). Leaders and admins only."""
    _editor(viewer)
    goals = load_goals(session, period, metric)
    if goals.empty:
        return pd.DataFrame(
            columns=["id", "version", "parent_id", "depth", "scope", "name_zh", "name_en",
                     "owner_id", "owner_name", "target", "children_target", "child_count",
                     *tree.DIMENSIONS]
        )  # fmt: skip
    nodes = tree.order_tree(goals.assign(context=False))
    nodes = nodes[~nodes["virtual"]]
    nodes = node_names(nodes, load_names(session))
    sums = tree.children_targets(nodes)
    nodes = nodes.join(sums["children_target"], on="id")
    return nodes[
        ["id", "version", "parent_id", "depth", "scope", "name_zh", "name_en", "owner_id",
         "owner_name", "target", "children_target", "child_count", *tree.DIMENSIONS]
    ].reset_index(drop=True)  # fmt: skip


def people(session: Session, viewer: Viewer) -> pd.DataFrame:
    """Active users who can own a goal: ``id, username, display_name, role, team_id``."""
    _editor(viewer)
    rows = session.execute(
        select(User.id, User.username, User.display_name, User.role, User.team_id)
        .where(User.active.is_(True))
        .order_by(User.role, User.display_name)
    ).all()
    return pd.DataFrame(rows, columns=["id", "username", "display_name", "role", "team_id"])


def reference_names(session: Session, viewer: Viewer):
    """Names of product lines, regions, teams and people (for the goal forms)."""
    _editor(viewer)
    return load_names(session)


def child_scope(scope: str, metric: str) -> str | None:
    """The level below ``scope`` in a split (product lines only for metrics that have them)."""
    order = [s for s in SCOPE_ORDER if s != GoalScope.COMPANY]
    if "product_line_id" not in METRIC_DIMENSIONS[metric]:
        order.remove(GoalScope.PRODUCT_LINE)
    deeper = [s for s in order if SCOPE_ORDER[s] > SCOPE_ORDER[scope]]
    return deeper[0] if deeper else None


def split_candidates(session: Session, viewer: Viewer, parent_id: int) -> pd.DataFrame:
    """The possible children of ``parent_id`` one level down, with the existing goal of each:
    ``scope, dimension_id, name_zh, name_en, goal_id, version, target, owner_id`` (target in
    stored units; no goal yet → empty goal_id). Product lines / regions: all; teams: of the
    parent's region; reps: of the parent's team."""
    _editor(viewer)
    parent = session.get(Goal, parent_id)
    scope = child_scope(parent.scope, parent.metric) if parent else None
    columns = [
        "scope",
        "dimension_id",
        "name_zh",
        "name_en",
        "goal_id",
        "version",
        "target",
        "owner_id",
        "default_owner",
    ]
    if scope is None:
        return pd.DataFrame(columns=columns)
    if scope == GoalScope.PRODUCT_LINE:
        rows = [
            (r.id, r.name_zh, r.name_en, None)
            for r in session.execute(select(ProductLine).order_by(ProductLine.id)).scalars()
        ]
    elif scope == GoalScope.REGION:
        rows = [
            (r.id, r.name_zh, r.name_en, None)
            for r in session.execute(select(Region).order_by(Region.id)).scalars()
        ]
    elif scope == GoalScope.TEAM:
        query = select(Team).order_by(Team.id)
        if parent.region_id is not None:
            query = query.where(Team.region_id == parent.region_id)
        rows = []
        for team in session.execute(query).scalars():
            manager = session.execute(
                select(User.id)
                .where(User.team_id == team.id, User.role == Role.MANAGER)
                .order_by(User.id)
            ).scalar()
            rows.append((team.id, team.name, team.name, manager))
    else:
        query = select(User).where(User.role == Role.REP, User.active.is_(True)).order_by(User.id)
        if parent.team_id is not None:
            query = query.where(User.team_id == parent.team_id)
        rows = [
            (u.id, u.display_name, u.display_name, u.id) for u in session.execute(query).scalars()
        ]
    existing = {
        getattr(g, SCOPE_DIMENSION[scope]): g
        for g in session.execute(
            select(Goal).where(Goal.parent_id == parent_id, Goal.scope == scope)
        ).scalars()
    }
    out = []
    for dimension_id, zh, en, default_owner in rows:
        goal = existing.get(dimension_id)
        out.append(
            {
                "scope": scope, "dimension_id": dimension_id, "name_zh": zh, "name_en": en,
                "goal_id": goal.id if goal else None, "version": goal.version if goal else None,
                "target": float(goal.target) if goal else None,
                "owner_id": goal.owner_id if goal else default_owner, "default_owner": default_owner,
            }
        )  # fmt: skip
    frame = pd.DataFrame(out, columns=columns)
    frame["goal_id"] = pd.array(frame["goal_id"].tolist(), dtype="Int64")
    return frame


def seasonal_profile(
    session: Session, viewer: Viewer, metric: str, plan_year: int, as_of: date
) -> pd.DataFrame:
    """Default seasonal weights for planning ``plan_year``: each calendar month's share of
    the actual over the 12 complete months before the plan year (or before ``as_of`` when the
    year has already begun). Columns ``month`` (label in the plan year), ``actual``,
    ``weight`` (%); ``attrs["first"]``/``["last"]`` name the months used. Even 8.33 % when
    there is nothing, and always for cycle days (an average)."""
    end = min(date(plan_year, 1, 1), as_of.replace(day=1)) - timedelta(days=1)
    last = period_containing("month", end)
    window = [last]
    while len(window) < 12:
        window.insert(0, previous_period(window[0]))
    values = [0.0] * 12
    if metric != GoalMetric.CYCLE_DAYS:
        # Summed per month in the database (a year of rollup rows by every dimension was
        # sorted on disk at 10M deals: 0.43 s).
        sums = bucket_totals(session, viewer, metric, [(m.start, m.end) for m in window])
        for month, total in zip(window, sums, strict=True):
            values[month.start.month - 1] += total
    total = sum(values)
    weights = [round(v / total * 100, 2) for v in values] if total else [round(100 / 12, 2)] * 12
    months = [m.label for m in months_in(year(plan_year))]
    frame = pd.DataFrame({"month": months, "actual": values, "weight": weights})
    frame.attrs.update(first=window[0].label, last=window[-1].label)
    return frame
