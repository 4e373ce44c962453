"""Funnel queries: how far the opportunities created in a period got, stage by stage
(cohort), or how many entered each stage during a period (flow).

Each takes a ``viewer``: the filter is narrowed to what they may read inside the query
(``SYSTEM``, the default, is the CLI/batch viewer that sees everything)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts.access import SYSTEM, Viewer, scoped_filter
from salesboard.calendar.periods import Period
from salesboard.metrics import funnel_table
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import Opportunity, OpportunityStatus, Stage, StageHistory, StageKind

OPP = Opportunity.__table__
STAGE = Stage.__table__
HISTORY = StageHistory.__table__
FUNNEL_FRAME_COLUMNS = (
    "position",
    "stage",
    "name_zh",
    "name_en",
    "kind",
    "reached",
    "amount_minor",
)


def cohort_funnel(
    session: Session,
    period: Period,
    filters: OpportunityFilter = NO_FILTER,
    *,
    viewer: Viewer = SYSTEM,
) -> pd.DataFrame:
    """Opportunities created in ``period`` that reached each stage (count and amount).

    An opportunity reached every stage up to the furthest one in its stage history (stages
    are walked in order). Columns: ``position, stage, name_zh, name_en, kind, reached,
    amount_minor, conversion, from_first`` — one row per non-lost stage, in order.
    """
    filters = scoped_filter(viewer, filters)
    # A correlated lookup per deal, driven from the period's deals (created_on index) into
    # the covering (opportunity_id, stage_id) index: a join would let the planner scan the
    # whole stage history instead.
    furthest_position = (
        select(func.max(STAGE.c.position))
        .select_from(HISTORY)
        .join(STAGE, STAGE.c.id == HISTORY.c.stage_id)
        .where(HISTORY.c.opportunity_id == OPP.c.id)
        .scalar_subquery()
    )
    furthest = filters.apply(
        select(OPP.c.amount_minor, furthest_position.label("furthest")).where(
            OPP.c.created_on.between(period.start, period.end)
        )
    ).subquery()
    by_furthest = session.execute(
        select(
            furthest.c.furthest,
            func.count(),
            func.coalesce(func.sum(furthest.c.amount_minor), 0),
        )
        .where(furthest.c.furthest.is_not(None))  # no stage history: never entered a stage
        .group_by(furthest.c.furthest)
    ).all()
    rows = []
    for position, code, name_zh, name_en, kind in _funnel_stages(session):
        reached = [(n, amount) for pos, n, amount in by_furthest if pos >= position]
        rows.append(
            {
                "position": position,
                "stage": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "kind": kind,
                "reached": sum(n for n, _ in reached),
                "amount_minor": sum(int(a) for _, a in reached),
            }
        )
    frame = pd.DataFrame(rows, columns=list(FUNNEL_FRAME_COLUMNS))
    return funnel_table(frame)


def _funnel_stages(session: Session) -> list:
    """(position, code, name_zh, name_en, kind) of the stages a funnel walks, in order."""
    return session.execute(
        select(STAGE.c.position, STAGE.c.code, STAGE.c.name_zh, STAGE.c.name_en, STAGE.c.kind)
        .where(STAGE.c.kind != StageKind.LOST)
        .order_by(STAGE.c.position)
    ).all()


def flow_funnel(
    session: Session,
    period: Period,
    filters: OpportunityFilter = NO_FILTER,
    *,
    viewer: Viewer = SYSTEM,
) -> pd.DataFrame:
    """Opportunities that entered each stage during ``period`` (count and amount), whenever
    they were created: the stage throughput of the period. Same columns as
    ``cohort_funnel``; its ``conversion`` compares entries, not the same deals."""
    filters = scoped_filter(viewer, filters)
    # Each deal once per stage, even if it entered the stage twice in the period.
    entries = (
        filters.apply(
            select(HISTORY.c.stage_id, OPP.c.id, OPP.c.amount_minor)
            .select_from(HISTORY)
            .join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
            .where(
                # One (stage_id, entered_on) index range per stage.
                HISTORY.c.stage_id.in_(select(STAGE.c.id).scalar_subquery()),
                HISTORY.c.entered_on.between(period.start, period.end),
            )
        )
        .distinct()
        .subquery()
    )
    entered = (
        select(
            entries.c.stage_id,
            func.count().label("reached"),
            func.coalesce(func.sum(entries.c.amount_minor), 0).label("amount_minor"),
        )
        .group_by(entries.c.stage_id)
        .subquery()
    )
    query = (
        select(
            STAGE.c.position,
            STAGE.c.code.label("stage"),
            STAGE.c.name_zh,
            STAGE.c.name_en,
            STAGE.c.kind,
            func.coalesce(entered.c.reached, 0).label("reached"),
            func.coalesce(entered.c.amount_minor, 0).label("amount_minor"),
        )
        .outerjoin(entered, entered.c.stage_id == STAGE.c.id)
        .where(STAGE.c.kind != StageKind.LOST)
        .order_by(STAGE.c.position)
    )
    rows = session.execute(query).all()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=list(FUNNEL_FRAME_COLUMNS)).astype(
        {"reached": "int64", "amount_minor": "int64"}
    )
    return funnel_table(frame)


def lost_by_stage(
    session: Session,
    period: Period,
    filters: OpportunityFilter = NO_FILTER,
    *,
    viewer: Viewer = SYSTEM,
) -> pd.DataFrame:
    """Where the opportunities created in ``period`` were lost: ``stage, lost, amount_minor``."""
    filters = scoped_filter(viewer, filters)
    query = filters.apply(
        select(
            STAGE.c.code.label("stage"),
            func.count().label("lost"),
            func.coalesce(func.sum(OPP.c.amount_minor), 0).label("amount_minor"),
        )
        .join(STAGE, STAGE.c.id == OPP.c.lost_stage_id)
        .where(
            # ``status || ''`` keeps the planner on the created_on (or team) index: the
            # status index would walk every lost deal ever instead of the period's deals.
            OPP.c.status.concat("") == OpportunityStatus.LOST,
            OPP.c.created_on.between(period.start, period.end),
        )
        .group_by(STAGE.c.position, STAGE.c.code)
        .order_by(STAGE.c.position)
    )
    rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=["stage", "lost", "amount_minor"])
