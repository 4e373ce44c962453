"""What ``cohort_rollup`` (``store.models.rollups.CohortRollup``) should hold, recomputed
from the deals and their stays; counting the rows that differ from it and refilling it.
``store.rollups`` calls these from ``check`` and ``rebuild`` (and so from every paused bulk
load); the triggers of migration 0036 keep the table in step on writes."""

from __future__ import annotations

from sqlalchemy import BigInteger, Connection, and_, case, cast, distinct, func, literal, select

from salesboard.store.aggregate_tables import differing_rows, refill
from salesboard.store.models import COHORT_MAX_STAGE_ID
from salesboard.store.tables import COHORT, HISTORY, OPP

KEY = ("created_on", "stages", "product_line_id", "region_id", "team_id")
VALUES = ("deals", "amount_minor")


def stage_bit(stage_id):
    """The bit of a stage id in a stage set (SQL): ``1 << id`` for ids 1 to
    ``COHORT_MAX_STAGE_ID``, else 0."""
    inside = and_(stage_id >= 1, stage_id <= COHORT_MAX_STAGE_ID)
    return case((inside, literal(1, BigInteger).op("<<")(stage_id)), else_=0)


def stages_of(mask: int) -> list[int]:
    """The stage ids in stage set ``mask``."""
    return [i for i in range(1, COHORT_MAX_STAGE_ID + 1) if int(mask) >> i & 1]


def recomputed():
    """A SELECT of what ``cohort_rollup`` should hold (columns ``KEY`` + ``VALUES``): every
    deal under the set of stages its stays entered (0: none)."""
    sets = (
        select(HISTORY.c.opportunity_id,
               cast(func.sum(distinct(stage_bit(HISTORY.c.stage_id))), BigInteger).label("stages"))
        .group_by(HISTORY.c.opportunity_id)
        .subquery("sets")
    )  # fmt: skip
    stages = func.coalesce(sets.c.stages, 0)
    key = (OPP.c.created_on, stages, OPP.c.product_line_id, OPP.c.region_id, OPP.c.team_id)
    return (
        select(*(c.label(n) for c, n in zip(key, KEY, strict=True)),
               func.count().label("deals"), func.sum(OPP.c.amount_minor).label("amount_minor"))
        .select_from(OPP.outerjoin(sets, sets.c.opportunity_id == OPP.c.id))
        .group_by(*key)
    )  # fmt: skip


def wrong(conn: Connection) -> int:
    """How many rows of ``cohort_rollup`` differ from the recomputation."""
    return differing_rows(conn, COHORT, KEY, VALUES, recomputed())


def rebuild(conn: Connection) -> None:
    """Refill ``cohort_rollup`` from the deals and stays, in the caller's transaction."""
    refill(conn, COHORT, KEY, VALUES, recomputed())
