"""Goal rows: period, metric, scope and the dimensions down to the scope as the business key,
the scope derived from the finest dimension when the file does not give it, and targets
in the metric's unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from salesboard.importing.context import Context, check_duplicates
from salesboard.importing.resolve_common import ctx_ids, filled, finish_plan, lookup, texts
from salesboard.store.models import MONEY_METRICS, Goal, GoalMetric, GoalScope
from salesboard.store.queries import chunks

SCOPES = (GoalScope.COMPANY, GoalScope.PRODUCT_LINE, GoalScope.REGION, GoalScope.TEAM,
          GoalScope.REP)  # fmt: skip
GOAL_KEY = ("period", "metric", "scope", "product_line_id", "region_id", "team_id", "user_id")


def resolve_goals(ctx: Context) -> dict[str, Any]:
    """Targets per period, metric and scope (company, product line, region, team, rep).

    The scope is the column's, else the finest dimension filled in. A rep's team and a
    team's region are filled in from the store; a scope stores the dimensions down to its
    own (a region goal may carry a product line, as in the demo's goal tree)."""
    ref = ctx.reference
    line_t, region_t = ctx_ids(ctx, "product_line"), ctx_ids(ctx, "region")
    team_t, rep = ctx_ids(ctx, "team"), ctx_ids(ctx, "rep")
    rep_team = lookup({u.id: u.team_id or 0 for u in ref.users.values()}, rep)
    team = np.where(team_t > 0, team_t, rep_team)
    region = np.where(region_t > 0, region_t,
                      lookup({t.id: t.region_id for t in ref.teams.values()}, team))  # fmt: skip
    derived = np.select(
        [rep > 0, team_t > 0, region_t > 0, line_t > 0], list(reversed(SCOPES[1:])),
        default=GoalScope.COMPANY,
    ).astype(object)  # fmt: skip
    given_scope = texts(ctx.value("scope"), "")
    scope = np.where(given_scope != "", given_scope, derived).astype(object)
    level = lookup({s: i for i, s in enumerate(SCOPES)}, scope, default=0)
    typed = [line_t > 0, region_t > 0, team_t > 0, rep > 0]  # levels 1..4
    own = np.select([level == i for i in range(1, 5)], typed, default=True)
    finer = np.zeros(ctx.size, dtype=bool)
    for i, present in enumerate(typed, start=1):
        finer |= present & (i > level)
    ctx.problem((given_scope != "") & (~own | finer), "scope", "scope_conflict")
    line = np.where(level >= 1, line_t, 0)
    region = np.where(level >= 2, region, 0)
    team = np.where(level >= 3, team, 0)
    user = np.where(level >= 4, rep, 0)
    metric = texts(ctx.value("metric"), GoalMetric.REVENUE).astype(object)
    money = np.isin(metric, [str(m) for m in MONEY_METRICS])
    fen = ctx.value("target", "Int64").fillna(0).to_numpy(dtype=np.int64)
    unscaled = ctx.extra.get("unscaled", {}).get("target")
    if unscaled is not None:  # 目标值（万元）: the unit is for money targets only
        fen = np.where(money, fen, unscaled.fillna(0).to_numpy(dtype=np.int64))
    target = np.array(
        [Decimal(int(v)) if m else Decimal(int(v)) / 100 for v, m in zip(fen, money, strict=True)],
        dtype=object,
    )
    periods = ctx.value("period").to_numpy(dtype=object)
    labels = np.array([p.label if p is not None else None for p in periods], dtype=object)
    keys = list(zip(labels.tolist(), metric.tolist(), scope.tolist(), line.tolist(),
                    region.tolist(), team.tolist(), user.tolist(), strict=True))  # fmt: skip
    g = Goal.__table__
    stored: dict[tuple, int] = {}
    for chunk in chunks(sorted({lab for lab in labels if lab})):
        query = select(g.c.id, *(g.c[k] for k in GOAL_KEY)).where(g.c.period.in_(chunk))
        for row in ctx.session.execute(query):
            stored.setdefault(tuple(v if v is not None else 0 for v in row[1:]), row[0])
    existing_id = np.array([stored.get(k, 0) if k[0] else 0 for k in keys], dtype=np.int64)
    check_duplicates(ctx, {"period": pd.Series(labels, dtype=object),
                           "key": pd.Series([repr(k[1:]) for k in keys], dtype=object)})  # fmt: skip
    final = {
        "period": labels,
        "period_start": np.array([p.start if p else None for p in periods], dtype="datetime64[D]"),
        "period_end": np.array([p.end if p else None for p in periods], dtype="datetime64[D]"),
        "metric": metric,
        "scope": scope,
        "product_line_id": line,
        "region_id": region,
        "team_id": team,
        "user_id": user,
        "owner_id": np.where(filled(ctx, "owner"), ctx_ids(ctx, "owner"), user),
        "target": target,
    }
    given = {column: np.ones(ctx.size, dtype=bool) for column in final}
    given["owner_id"] = filled(ctx, "owner") | (user > 0)
    return finish_plan(ctx, Goal.__table__, final, given, existing_id)
