"""What the deal page reads to offer its actions: the current stage's checklist, the stages
a deal can move to, its open key actions, its visits and plans, and the active entries of
the lists its forms pick from. Each read takes the viewer and returns nothing for a deal
they may not read, exactly as for one that does not exist."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.deals.checklist import ChecklistItem, StageInfo, stage_checklist, stages
from salesboard.pipeline.opportunity import OpportunityCard
from salesboard.store.filters import NO_FILTER
from salesboard.store.models import (
    LeadSource,
    OpportunityStatus,
    ProductLine,
    Role,
    StageKind,
    VisitStatus,
)
from salesboard.store.queries import frame_of
from salesboard.store.tables import ACTION, CUSTOMER, OPP, STAGE, USER, VISIT

VISIT_COLUMNS = (
    "id", "visited_on", "status", "rep", "contact_name", "contact_role", "minutes",
    "with_decision_maker", "need", "effective", "goal", "commitment", "next_step",
)  # fmt: skip


def checklist(
    session: Session, card: OpportunityCard
) -> tuple[StageInfo, list[ChecklistItem]] | None:
    """The deal's current stage and its checklist (None for a closed, lost deal)."""
    current = next(s for s in stages(session) if s.code == card.stage_code)
    if current.kind == StageKind.LOST:
        return None
    return current, stage_checklist(session, card.id, current)


def move_targets(session: Session, card: OpportunityCard) -> list[StageInfo]:
    """The active open stages the deal may move to (winning and losing have their own
    actions), in process order."""
    return [
        s for s in stages(session)
        if s.active and s.kind == StageKind.OPEN and s.code != card.stage_code
    ]  # fmt: skip


def open_key_actions(session: Session, card: OpportunityCard) -> pd.DataFrame:
    """The deal's key actions not done yet, by planned date: ``id, action, planned_on,
    first_planned_on, stage_code, stage_zh, stage_en``."""
    return frame_of(
        session,
        select(
            ACTION.c.id, ACTION.c.action, ACTION.c.planned_on, ACTION.c.first_planned_on,
            STAGE.c.code.label("stage_code"), STAGE.c.name_zh.label("stage_zh"),
            STAGE.c.name_en.label("stage_en"),
        )
        .join(STAGE, STAGE.c.id == ACTION.c.stage_id)
        .where(ACTION.c.opportunity_id == card.id, ACTION.c.done_on.is_(None))
        .order_by(ACTION.c.planned_on, ACTION.c.id),
    )  # fmt: skip


def deal_visits(session: Session, card: OpportunityCard) -> pd.DataFrame:
    """The deal's visits, planned and done, newest first (``VISIT_COLUMNS``)."""
    return frame_of(
        session,
        select(
            VISIT.c.id, VISIT.c.visited_on, VISIT.c.status, USER.c.display_name.label("rep"),
            VISIT.c.contact_name, VISIT.c.contact_role, VISIT.c.minutes,
            VISIT.c.with_decision_maker, VISIT.c.need, VISIT.c.effective, VISIT.c.goal,
            VISIT.c.commitment, VISIT.c.next_step,
        )
        .join(USER, USER.c.id == VISIT.c.rep_id)
        .where(VISIT.c.opportunity_id == card.id)
        .order_by(VISIT.c.visited_on.desc(), VISIT.c.id.desc()),
    )  # fmt: skip


def planned_visits(visits: pd.DataFrame) -> pd.DataFrame:
    """The plans among ``deal_visits`` (still to be logged), soonest first."""
    return visits[visits["status"] == VisitStatus.PLANNED].sort_values("visited_on")


def active_entries(session: Session, kind: str) -> list[tuple[str, str, str]]:
    """(code, Chinese name, English name) of the active product lines or lead sources."""
    model = {"product_line": ProductLine, "source": LeadSource}[kind]
    rows = session.execute(
        select(model.code, model.name_zh, model.name_en)  # type: ignore[attr-defined]
        .where(model.active)  # type: ignore[attr-defined]
        .order_by(model.id)  # type: ignore[attr-defined]
    )
    return [tuple(r) for r in rows]


def deals_to_visit(session: Session, viewer: Viewer, search: str = "", limit: int = 30):
    """Open (or signed, in delivery) deals ``viewer`` may work on, newest first, whose code starts with or whose customer's name contains ``search``: ``code,
    name, customer, customer_id``."""
    query = (
        select(OPP.c.code, OPP.c.name, CUSTOMER.c.name.label("customer"), OPP.c.customer_id)
        .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
        .where(OPP.c.status != OpportunityStatus.LOST)
    )
    text = search.strip()
    if text:
        query = query.where(
            OPP.c.code.startswith(text.upper(), autoescape=True)
            | CUSTOMER.c.name.contains(text, autoescape=True)
        )
    if viewer.role == Role.REP:  # a rep's own: the owner index, not the whole table
        query = query.where(OPP.c.owner_id == viewer.user_id)
    else:
        query = scoped_filter(viewer, NO_FILTER).apply(query)
    return frame_of(session, query.order_by(OPP.c.id.desc()).limit(limit))


def my_planned_visits(session: Session, viewer: Viewer, limit: int = 50) -> pd.DataFrame:
    """The visits ``viewer`` planned and has not logged yet, soonest first: ``id,
    visited_on, customer_id, customer, code, contact_name``."""
    return frame_of(
        session,
        select(
            VISIT.c.id, VISIT.c.visited_on, VISIT.c.customer_id,
            CUSTOMER.c.name.label("customer"), OPP.c.code, VISIT.c.contact_name,
        )
        .join(CUSTOMER, CUSTOMER.c.id == VISIT.c.customer_id)
        .outerjoin(OPP, OPP.c.id == VISIT.c.opportunity_id)
        .where(VISIT.c.rep_id == viewer.user_id, VISIT.c.status == VisitStatus.PLANNED)
        .order_by(VISIT.c.visited_on, VISIT.c.id)
        .limit(limit),
    )  # fmt: skip
