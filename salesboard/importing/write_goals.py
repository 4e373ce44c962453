"""Writing imported goals: insert and update them, then link each written goal to its
parent one scope up."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select

from salesboard.importing import bulk
from salesboard.importing.write_common import WriteState, insert_simple, update_simple
from salesboard.store.models import Goal, GoalScope
from salesboard.store.queries import chunks


def write_goals(state: WriteState) -> None:
    """Insert/update goals, then link each written goal to its parent: the goal of the
    same period and metric one scope up whose dimensions it shares (rep -> team -> region
    -> product line -> company; a level missing in the store is skipped)."""
    table = Goal.__table__
    nullable = ("product_line_id", "region_id", "team_id", "user_id", "owner_id")
    inserted = insert_simple(state, table, nullable)
    update_simple(state, table, nullable)
    written = np.r_[inserted, state.plan["existing_id"][state.rows("update")]].astype(np.int64)
    if len(written):
        _link_goal_parents(state, written)


def _link_goal_parents(state: WriteState, written: np.ndarray) -> None:
    g = Goal.__table__
    dims = ("product_line_id", "region_id", "team_id", "user_id")
    periods = sorted(set(state.plan["final"]["period"].tolist()) - {None})
    rows = []
    for chunk in chunks(periods):
        rows += state.conn.execute(
            select(g.c.id, g.c.period, g.c.metric, g.c.scope, g.c.parent_id, *(g.c[d] for d in dims))
            .where(g.c.period.in_(chunk))
        ).all()  # fmt: skip
    goals = pd.DataFrame(rows, columns=["id", "period", "metric", "scope", "parent_id", *dims])
    goals[list(dims)] = goals[list(dims)].fillna(0).astype(np.int64)
    by_key = {
        (r.period, r.metric, r.scope, r.product_line_id, r.region_id, r.team_id, r.user_id): r.id
        for r in goals.itertuples()
    }
    ladder = [GoalScope.REP, GoalScope.TEAM, GoalScope.REGION, GoalScope.PRODUCT_LINE,
              GoalScope.COMPANY]  # fmt: skip
    keep = {GoalScope.TEAM: 3, GoalScope.REGION: 2, GoalScope.PRODUCT_LINE: 1, GoalScope.COMPANY: 0}
    mine = goals[goals["id"].isin(written.tolist())]
    updates: list[tuple[int, int | None, int | None]] = []
    for r in mine.itertuples():
        values = [r.product_line_id, r.region_id, r.team_id, r.user_id]
        parent = None
        start = ladder.index(r.scope) + 1 if r.scope in ladder else len(ladder)
        for scope in ladder[start:]:
            level = keep[scope]
            candidates = [values[:level] + [0] * (4 - level)]
            if level >= 1 and values[0]:  # a region goal may or may not carry the line
                candidates.append([0] + values[1:level] + [0] * (4 - level))
            for dims_value in candidates:
                parent = by_key.get((r.period, r.metric, scope, *dims_value))
                if parent:
                    break
            if parent:
                break
        current = None if pd.isna(r.parent_id) else int(r.parent_id)
        if parent != current:
            updates.append((int(r.id), parent, current))
    if updates:
        bulk.update_columns(state.conn, g, [u[0] for u in updates],
                            {"parent_id": [u[1] for u in updates]})  # fmt: skip
        for goal_id, parent, current in updates:
            state.recorder.add("goal", goal_id, "update", before={"parent_id": current},
                               after={"parent_id": parent})  # fmt: skip
