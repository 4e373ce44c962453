"""A deal's key actions (seed table 1): add one to the current stage, re-plan one (the first
planned date is kept, and the move is on the timeline with the old and new date), and mark
one done with its actual date, deliverable and the customer's feedback."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select, update
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.deals.errors import DealError
from salesboard.deals.writing import (
    DealRow,
    bump,
    check_day,
    clean_text,
    deal_for_write,
    event,
    record,
    require_not_lost,
    touch,
)
from salesboard.store.models import OpportunityEventKind
from salesboard.store.tables import ACTION

MAX_FEEDBACK = 500


def _action_of(session: Session, deal: DealRow, key_action_id: int):
    row = session.execute(
        select(ACTION.c.id, ACTION.c.action, ACTION.c.planned_on, ACTION.c.first_planned_on,
               ACTION.c.done_on, ACTION.c.stage_id)
        .where(ACTION.c.id == key_action_id, ACTION.c.opportunity_id == deal.id)
    ).one_or_none()  # fmt: skip
    if row is None:
        raise DealError("unknown_action", f"no key action {key_action_id} on {deal.code}",
                        "action", code=deal.code)  # fmt: skip
    return row


def add_key_action(
    session: Session,
    actor: Viewer,
    code: str,
    *,
    action: str,
    planned_on: date,
    today: date,
    seen_version: int | None = None,
) -> int:
    """Add key action ``action`` to the deal's current stage, planned on ``planned_on``
    (today or later); returns its id."""
    name = clean_text(action, "action", 200, required=True)
    if planned_on < today:
        raise DealError("planned_in_past", "a new key action is planned today or later",
                        "planned_on")  # fmt: skip
    deal = deal_for_write(session, actor, code, seen_version=seen_version)
    require_not_lost(deal)
    bump(session, deal, **touch(deal, today))
    action_id = session.execute(
        insert(ACTION).values(
            opportunity_id=deal.id, stage_id=deal.current_stage_id, owner_id=deal.owner_id,
            action=name, planned_on=planned_on, deliverable="", customer_feedback="",
            risk_flag="",
        )
    ).inserted_primary_key[0]  # fmt: skip
    event(session, actor, deal, OpportunityEventKind.ACTION_ADDED, today,
          new=planned_on.isoformat(), note=name)  # fmt: skip
    record(session, actor, deal, "update", f"key action added: {name}",
           new={"action": name, "planned_on": planned_on.isoformat()})  # fmt: skip
    return int(action_id)


def replan_key_action(
    session: Session,
    actor: Viewer,
    code: str,
    key_action_id: int,
    *,
    planned_on: date,
    today: date,
    reason: str = "",
    seen_version: int | None = None,
) -> None:
    """Move an undone key action to ``planned_on`` (today or later), keeping the date it was
    first planned on."""
    reason = clean_text(reason, "reason", 500)
    if planned_on < today:
        raise DealError("planned_in_past", "re-plan to today or later", "planned_on")
    deal = deal_for_write(session, actor, code, seen_version=seen_version)
    require_not_lost(deal)
    row = _action_of(session, deal, key_action_id)
    if row.done_on is not None:
        raise DealError("action_done", f"{row.action} is done", "action", action=row.action)
    if row.planned_on == planned_on:
        return
    bump(session, deal, **touch(deal, today))
    session.execute(
        update(ACTION)
        .where(ACTION.c.id == row.id)
        .values(planned_on=planned_on, first_planned_on=row.first_planned_on or row.planned_on)
    )
    event(session, actor, deal, OpportunityEventKind.PLANNED_DATE, today,
          old=row.planned_on.isoformat(), new=planned_on.isoformat(),
          note=f"{row.action}{'：' + reason if reason else ''}")  # fmt: skip
    record(session, actor, deal, "update", f"key action re-planned: {row.action}",
           old={"planned_on": row.planned_on.isoformat()},
           new={"planned_on": planned_on.isoformat()})  # fmt: skip


def complete_key_action(
    session: Session,
    actor: Viewer,
    code: str,
    key_action_id: int,
    *,
    done_on: date,
    today: date,
    deliverable: str = "",
    customer_feedback: str = "",
    seen_version: int | None = None,
) -> None:
    """Mark a key action done on ``done_on`` (not in the future) with its deliverable and
    the customer's feedback."""
    deliverable = clean_text(deliverable, "deliverable", 200)
    feedback = clean_text(customer_feedback, "customer_feedback", MAX_FEEDBACK)
    deal = deal_for_write(session, actor, code, seen_version=seen_version)
    require_not_lost(deal)
    row = _action_of(session, deal, key_action_id)
    if row.done_on is not None:
        raise DealError("action_done", f"{row.action} is done", "action", action=row.action)
    check_day(done_on, today, "done_on")
    bump(session, deal, **touch(deal, done_on))
    session.execute(
        update(ACTION)
        .where(ACTION.c.id == row.id)
        .values(done_on=done_on, deliverable=deliverable, customer_feedback=feedback)
    )
    event(session, actor, deal, OpportunityEventKind.ACTION_DONE, done_on,
          new=deliverable, note=f"{row.action}{'：' + feedback if feedback else ''}")  # fmt: skip
    record(session, actor, deal, "update", f"key action done: {row.action}",
           new={"done_on": done_on.isoformat(), "deliverable": deliverable})  # fmt: skip


def add_comment(
    session: Session,
    actor: Viewer,
    code: str,
    text: str,
    *,
    today: date,
) -> None:
    """A comment between rep and manager on the deal (its timeline); no version check: a
    comment never overwrites anything."""
    body = clean_text(text, "comment", 1000, required=True)
    deal = deal_for_write(session, actor, code)
    event(session, actor, deal, OpportunityEventKind.COMMENT, today, note=body)
    record(session, actor, deal, "comment", body[:100], new={"comment": body})
