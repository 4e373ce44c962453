"""Funnel queries: how far the opportunities created in a period got, stage by stage."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.filters import NO_FILTER, OpportunityFilter
from salesboard.metrics import funnel_table
from salesboard.models import Opportunity, OpportunityStatus, Stage, StageHistory, StageKind
from salesboard.periods import Period

OPP = Opportunity.__table__
STAGE = Stage.__table__
HISTORY = StageHistory.__table__


def cohort_funnel(
    session: Session, period: Period, filters: OpportunityFilter = NO_FILTER
) -> pd.DataFrame:
    """Opportunities created in ``period`` that reached each stage (count and amount).

    An opportunity reached every stage up to the furthest one in its stage history (stages
    are walked in order). Columns: ``position, stage, name_zh, name_en, reached,
    amount_minor, conversion, from_first`` — one row per non-lost stage, in order.
    """
    furthest = filters.apply(
        select(
            OPP.c.id,
            OPP.c.amount_minor,
            func.max(STAGE.c.position).label("furthest"),
        )
        .join(HISTORY, HISTORY.c.opportunity_id == OPP.c.id)
        .join(STAGE, STAGE.c.id == HISTORY.c.stage_id)
        .where(OPP.c.created_on.between(period.start, period.end))
        .group_by(OPP.c.id, OPP.c.amount_minor)
    ).subquery()
    by_furthest = session.execute(
        select(
            furthest.c.furthest,
            func.count(),
            func.coalesce(func.sum(furthest.c.amount_minor), 0),
        ).group_by(furthest.c.furthest)
    ).all()
    stages = session.execute(
        select(STAGE.c.position, STAGE.c.code, STAGE.c.name_zh, STAGE.c.name_en)
        .where(STAGE.c.kind != StageKind.LOST)
        .order_by(STAGE.c.position)
    ).all()
    rows = []
    for position, code, name_zh, name_en in stages:
        reached = [(n, amount) for pos, n, amount in by_furthest if pos >= position]
        rows.append(
            {
                "position": position,
                "stage": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "reached": sum(n for n, _ in reached),
                "amount_minor": sum(int(a) for _, a in reached),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["position", "stage", "name_zh", "name_en", "reached", "amount_minor"]
    )
    return funnel_table(frame)


def lost_by_stage(
    session: Session, period: Period, filters: OpportunityFilter = NO_FILTER
) -> pd.DataFrame:
    """Where the opportunities created in ``period`` were lost: ``stage, lost, amount_minor``."""
    query = filters.apply(
        select(
            STAGE.c.code.label("stage"),
            func.count().label("lost"),
            func.coalesce(func.sum(OPP.c.amount_minor), 0).label("amount_minor"),
        )
        .join(STAGE, STAGE.c.id == OPP.c.lost_stage_id)
        .where(
            OPP.c.status == OpportunityStatus.LOST,
            OPP.c.created_on.between(period.start, period.end),
        )
        .group_by(STAGE.c.position, STAGE.c.code)
        .order_by(STAGE.c.position)
    )
    rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=["stage", "lost", "amount_minor"])
