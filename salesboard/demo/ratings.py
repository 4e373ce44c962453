"""Deal ratings for the demo company: the team's manager rates a share of the deals leaving
the proposal stage (方案匹配度) and the negotiation stage (沟通满意度) in the last six months,
1–5 with a mean near seed 002's 4.2, so the stage KPI and the scorecard's satisfaction metric
show something real. Deterministic in ``seed``; one read and one bulk insert."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from sqlalchemy import Connection, func, select

from salesboard.demo.bulk import bulk_insert
from salesboard.store.tables import HISTORY, MANAGER, OPP, RATING, STAGE

RATED_STAGES = {"proposal": "proposal_match", "negotiation": "communication"}
RATED_SHARE = 0.3
WINDOW_DAYS = 182
SCORES = np.array([2, 3, 4, 5])
# Per team a slightly different spread, so the teams' means differ (≈ 3.9 … 4.4).
TEAM_WEIGHTS = (
    (0.05, 0.20, 0.45, 0.30),
    (0.03, 0.12, 0.45, 0.40),
    (0.08, 0.22, 0.40, 0.30),
    (0.02, 0.08, 0.40, 0.50),
)


def add_demo_ratings(conn: Connection, today: date, seed: int) -> int:
    """Insert the demo ratings; returns how many."""
    stages = dict(
        conn.execute(
            select(STAGE.c.id, STAGE.c.code).where(STAGE.c.code.in_(list(RATED_STAGES)))
        ).all()
    )
    managers = dict(
        conn.execute(
            select(MANAGER.c.team_id, func.min(MANAGER.c.user_id)).group_by(MANAGER.c.team_id)
        ).all()
    )
    stays = conn.execute(
        select(HISTORY.c.opportunity_id, HISTORY.c.stage_id, HISTORY.c.left_on, OPP.c.team_id)
        .join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
        .where(
            HISTORY.c.stage_id.in_(list(stages)),
            HISTORY.c.left_on.between(today - timedelta(days=WINDOW_DAYS), today),
        )
        .order_by(HISTORY.c.id)
    ).all()
    if not stays:
        return 0
    rng = np.random.default_rng(seed + 16)
    keep = rng.random(len(stays)) < RATED_SHARE
    # one rating per deal, stage and kind: the latest stay of a deal in a stage wins
    chosen: dict[tuple[int, int], tuple] = {}
    for (opp_id, stage_id, left_on, team_id), kept in zip(stays, keep, strict=True):
        if kept:
            chosen[opp_id, stage_id] = (opp_id, stage_id, left_on, team_id)
    rows = list(chosen.values())
    teams = np.array([r[3] for r in rows])
    scores = np.empty(len(rows), dtype=np.int64)
    for i, team in enumerate(sorted(set(teams.tolist()))):
        where = teams == team
        scores[where] = rng.choice(SCORES, size=int(where.sum()), p=TEAM_WEIGHTS[i % 4])
    bulk_insert(
        conn,
        RATING,
        {
            "opportunity_id": [r[0] for r in rows],
            "stage_id": [r[1] for r in rows],
            "kind": [RATED_STAGES[stages[r[1]]] for r in rows],
            "score": scores.tolist(),
            "rated_on": [r[2] for r in rows],
            "note": [""] * len(rows),
            "rated_by": [managers.get(r[3]) for r in rows],
            "created_at": [datetime.combine(r[2], time(18), UTC) for r in rows],  # reproducible
        },
    )
    return len(rows)
