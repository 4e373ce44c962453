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
from salesboard.store.models import Role
from salesboard.store.queries import frame_of
from salesboard.store.tables import GOAL

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


def top_goals(goals: pd.DataFrame, own: pd.Series) -> pd.DataFrame:
    """The own goals whose parent is not an own goal: a rep's goal per product line, a
    manager's team goals (their reps' goals are below them), the company goal for leaders.
    Their targets add up to the owner's target without counting a goal twice."""
    mine = goals[own]
    ids = set(mine["id"].astype("int64").tolist())
    parent_own = [not is_missing(p) and int(p) in ids for p in mine["parent_id"].tolist()]
    return mine[pd.Series([not p for p in parent_own], index=mine.index, dtype=bool)]


def goal_nodes(top: pd.DataFrame) -> list[tuple]:
    """Goals as plain tuples ``(id, product_line_id, region_id, team_id, user_id, target)``
    (None for an unset dimension): what ``sum_under`` and ``nodes_target`` read."""
    dims = [[None if is_missing(v) else int(v) for v in top[d].tolist()] for d in DIMENSIONS]
    ids = top["id"].astype("int64").tolist()
    targets = top["target"].astype("float64").tolist()
    return list(zip(ids, *dims, targets, strict=True))


def top_goals_by_owner(goals: pd.DataFrame, level: str) -> dict[int, list[tuple]]:
    """``top_goals`` (as ``goal_nodes``) of every rep (``level`` "rep": their goals) or team
    ("team": the team's goals and its reps'), by owner id — the rule ``owns_goal`` applies
    to a rep or a manager, for everyone at once: a goal is top when its parent is not the
    same owner's."""
    position = 1 + DIMENSIONS.index("user_id" if level == "rep" else "team_id")
    nodes = goal_nodes(goals)
    owner_of = {node[0]: node[position] for node in nodes}
    parents = [None if is_missing(p) else int(p) for p in goals["parent_id"].tolist()]
    out: dict[int, list[tuple]] = {}
    for node, parent in zip(nodes, parents, strict=True):
        owner = node[position]
        if owner is not None and (parent is None or owner_of.get(parent) != owner):
            out.setdefault(owner, []).append(node)
    return out


def fact_rows(facts: pd.DataFrame) -> list[tuple]:
    """The facts as plain tuples ``(product_line_id, region_id, team_id, user_id, value_sum,
    value_count)`` (None for an unknown dimension): matching a few goals against a few
    hundred rows is faster in plain Python than in pandas."""
    dims = [[None if is_missing(v) else int(v) for v in facts[d].tolist()] for d in DIMENSIONS]
    sums = facts["value_sum"].astype("float64").tolist()
    counts = facts["value_count"].astype("float64").tolist()
    return list(zip(*dims, sums, counts, strict=True))


def sum_under(rows: list[tuple], nodes: list[tuple], metric: str) -> tuple[float, float]:
    """(value_sum, value_count) of the fact ``rows`` that fall under at least one of the
    ``nodes`` (``goal_nodes``): every dimension a node sets (and the metric's events carry,
    ``METRIC_DIMENSIONS``) equal. A row counts once however many nodes it falls under."""
    usable = [i for i, d in enumerate(DIMENSIONS) if d in METRIC_DIMENSIONS.get(metric, DIMENSIONS)]
    patterns = [[(i, node[1 + i]) for i in usable if node[1 + i] is not None] for node in nodes]
    total, count = 0.0, 0.0
    for row in rows:
        if any(all(row[i] == v for i, v in pattern) for pattern in patterns):
            total += row[-2]
            count += row[-1]
    return total, count
