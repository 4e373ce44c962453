"""Goal nodes as the figures read them: the goals of a period and metric, which of them are
a viewer's (or a rep's, a team's) own, the top ones among those (the nodes whose targets add
up to theirs without counting a goal twice), and which facts fall under them."""

from __future__ import annotations

import math

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.figures.facts import DIMENSIONS, METRIC_DIMENSIONS
from salesboard.store.models import Goal, Role
from salesboard.store.queries import frame_of

GOAL = Goal.__table__
GOAL_COLUMNS = (
    "id", "parent_id", "period", "period_start", "period_end", "metric", "scope",
    *DIMENSIONS, "owner_id", "target", "version",
)  # fmt: skip


def is_missing(value) -> bool:
    """True for None, pandas' NA and NaN (an unset dimension or parent)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def load_goals(session: Session, period: str, metric: str) -> pd.DataFrame:
    """Every goal of ``period`` (label) and ``metric``, unfiltered: callers keep the ones a
    viewer may see (``owns_goal``, ``goals.tree.restrict_to_viewer``). ``target`` as float."""
    query = select(*(GOAL.c[c] for c in GOAL_COLUMNS)).where(
        GOAL.c.period == period, GOAL.c.metric == metric
    )
    return typed_goals(frame_of(session, query))


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


def owns_goal(goals: pd.DataFrame, viewer: Viewer) -> pd.Series:
    """Which ``goals`` are the viewer's own: every goal for leaders and admins; for a manager
    the goals of the teams they lead (team goals and their reps'); for a rep their own."""
    if viewer.sees_everything:
        return pd.Series(True, index=goals.index)
    if viewer.role == Role.REP:
        own = goals["user_id"].notna() & (goals["user_id"] == viewer.user_id)
    elif viewer.role == Role.MANAGER:
        own = goals["team_id"].notna() & goals["team_id"].isin(list(viewer.team_ids))
    else:
        own = pd.Series(False, index=goals.index)
    return own.fillna(False).astype(bool)


def owned_by(goals: pd.DataFrame, level: str, owner_id: int) -> pd.Series:
    """Which ``goals`` are a rep's (``level`` "rep": their goals) or a team's ("team": the
    team's goals and its reps'): the same rule ``owns_goal`` applies to a rep or a manager."""
    column = "user_id" if level == "rep" else "team_id"
    return (goals[column].notna() & (goals[column] == owner_id)).fillna(False).astype(bool)


def top_goals(goals: pd.DataFrame, own: pd.Series) -> pd.DataFrame:
    """The own goals whose parent is not an own goal: a rep's goal per product line, a
    manager's team goals (their reps' goals are below them), the company goal for leaders.
    Their targets add up to the owner's target without counting a goal twice."""
    mine = goals[own]
    ids = set(mine["id"].astype("int64").tolist())
    parent_own = [not is_missing(p) and int(p) in ids for p in mine["parent_id"].tolist()]
    return mine[[not p for p in parent_own]]


def under_any(facts: pd.DataFrame, nodes: pd.DataFrame, metric: str) -> pd.Series:
    """Which fact rows fall under at least one of ``nodes``: every dimension a node sets
    (and the metric's events carry, ``METRIC_DIMENSIONS``) equal. A row counts once however
    many nodes it falls under."""
    usable = METRIC_DIMENSIONS.get(metric, DIMENSIONS)
    hit = pd.Series(False, index=facts.index)
    for node in nodes.itertuples(index=False):
        match = pd.Series(True, index=facts.index)
        for dimension in usable:
            value = getattr(node, dimension)
            if not is_missing(value):
                match &= (facts[dimension] == int(value)).fillna(False).astype(bool)
        hit |= match
    return hit
