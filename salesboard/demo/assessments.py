"""Opportunity assessments for the demo company (机会评估五维度): most open deals past the
needs stage and a third of those in it are assessed by their owner on the default five
dimensions, later stages scoring higher on the whole; a share carry an earlier assessment
too (the score's history), some large deals score low and some deals past the needs stage
were never assessed — so the weekly review's deal-quality tab flags something real.
Deterministic in ``seed``; one read and two bulk inserts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from sqlalchemy import Connection, and_, func, select

from salesboard.demo.bulk import bulk_insert, sync_id_sequences
from salesboard.pipeline.assessment import DEFAULT_DIMENSIONS
from salesboard.store.tables import ASSESSMENT, ASSESSMENT_SCORE, OPP, STAGE

ASSESSED_SHARE = {2: 0.35}  # by stage position; later open stages: LATER_SHARE
LATER_SHARE = 0.8
HISTORY_SHARE = 0.3
NOTES = {
    1: ("尚未确认", "Not confirmed yet"),
    5: ("已书面确认", "Confirmed in writing"),
}


def add_demo_assessments(conn: Connection, today: date, seed: int) -> int:
    """Insert the demo assessments; returns how many (history included)."""
    rows = conn.execute(
        select(OPP.c.id, OPP.c.owner_id, OPP.c.current_stage_id, STAGE.c.position,
               OPP.c.stage_entered_on, OPP.c.amount_minor)
        .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
        .where(and_(OPP.c.status == "open", STAGE.c.position >= 2))
        .order_by(OPP.c.id)
    ).all()  # fmt: skip
    if not rows:
        return 0
    rng = np.random.default_rng(seed + 17)
    position = np.array([r[3] for r in rows])
    share = np.array([ASSESSED_SHARE.get(int(p), LATER_SHARE) for p in position])
    keep = np.flatnonzero(rng.random(len(rows)) < share)
    n = len(keep)
    # A deal's quality: later stages are on the whole more winnable; dimensions vary about it.
    quality = 3.3 + 0.25 * (position[keep] - 2) + rng.normal(0, 0.7, n)
    dims = len(DEFAULT_DIMENSIONS)
    scores = np.clip(np.rint(quality[:, None] + rng.normal(0, 0.7, (n, dims))), 1, 5).astype(int)
    earlier = rng.random(n) < HISTORY_SHARE
    before = np.clip(scores - rng.integers(0, 2, (n, dims)), 1, 5)
    start = int(conn.execute(select(func.coalesce(func.max(ASSESSMENT.c.id), 0))).scalar_one()) + 1
    heads: dict[str, list] = {k: [] for k in ("id", "opportunity_id", "stage_id", "score", "note",
                                              "latest", "assessed_by", "assessed_at")}  # fmt: skip
    parts: dict[str, list] = {k: [] for k in ("assessment_id", "dimension", "score", "weight",
                                              "note")}  # fmt: skip
    next_id = start

    def add(row, marks: np.ndarray, day: date, latest: bool) -> None:
        nonlocal next_id
        heads["id"].append(next_id)
        heads["opportunity_id"].append(row[0])
        heads["stage_id"].append(row[2])
        heads["score"].append(round(float(marks.mean()), 2))  # equal default weights
        heads["note"].append("")
        heads["latest"].append(latest)
        heads["assessed_by"].append(row[1])
        heads["assessed_at"].append(datetime.combine(day, time(10), UTC))
        for dim, mark in zip(DEFAULT_DIMENSIONS, marks.tolist(), strict=True):
            parts["assessment_id"].append(next_id)
            parts["dimension"].append(dim.code)
            parts["score"].append(mark)
            parts["weight"].append(dim.weight)
            parts["note"].append(NOTES.get(mark, ("", ""))[0] if dim.code == "need" else "")
        next_id += 1

    offsets = rng.integers(0, 6, n)
    for i, k in enumerate(keep.tolist()):
        row = rows[k]
        entered = row[4]
        day = min(today, entered + timedelta(days=int(offsets[i])))
        if earlier[i]:
            add(row, before[i], max(entered, day - timedelta(days=14)), False)
        add(row, scores[i], day, True)
    bulk_insert(conn, ASSESSMENT, heads)
    bulk_insert(conn, ASSESSMENT_SCORE, parts)
    sync_id_sequences(conn)
    return len(heads["id"])
