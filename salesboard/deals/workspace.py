"""What the deal page reads to offer its actions: the current stage's checklist, the stages
a deal can move to, its open key actions, its visits and plans, and the active entries of
the lists its forms pick from. Each read takes the viewer and returns nothing for a deal
they may not read, exactly as for one that does not exist."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.deals.checklist import ChecklistItem, StageInfo, stage_checklist, stages
from salesboard.pipeline.opportunity import OpportunityCard, opportunity_card
from salesboard.store.models import LeadSource, ProductLine, StageKind, VisitStatus
from salesboard.store.queries import frame_of
from salesboard.store.tables import ACTION, STAGE, USER, VISIT

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


def card_for(session: Session, viewer: Viewer, code: str) -> OpportunityCard | None:
    """The deal ``code`` as its page shows it, if ``viewer`` may read it."""
    return opportunity_card(session, viewer, code)
