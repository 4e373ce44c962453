"""Improvement items (改进事项) close the loop from month to month: the form's improvement plan
is mirrored into ``improvement_item`` rows on every save, next month's form carries the
open ones over for review, and their status updates go back to the month that raised them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import parse_period, previous_period
from salesboard.feedback.form import ITEM_STATUSES, parse_date
from salesboard.store.models import FeedbackForm, ImprovementItem, utcnow
from salesboard.store.tables import ITEM


def carried_items(session: Session, rep_id: int, period: str) -> list[dict]:
    """Improvement items the rep raised before ``period`` to review on this month's form:
    every item of the previous month, and older ones not yet done."""
    previous = previous_period(parse_period(period)).label
    rows = session.execute(
        select(ITEM)
        .where(
            ITEM.c.rep_id == rep_id,
            ITEM.c.period < period,
            or_(ITEM.c.period == previous, ITEM.c.status != "done"),
        )
        .order_by(ITEM.c.period, ITEM.c.position, ITEM.c.id)
    ).all()
    return [
        {
            "item_id": row.id,
            "period": row.period,
            "problem": row.problem,
            "measure": row.measure,
            "owner": row.owner,
            "due_on": row.due_on.isoformat() if row.due_on else None,
            "status": row.status,
            "note": row.note,
        }
        for row in rows
    ]


def month_items(session: Session, rep_id: int, period: str) -> dict[str, ImprovementItem]:
    """The rep's improvement items raised in ``period``, by their key in the form body."""
    rows = session.execute(
        select(ImprovementItem).where(
            ImprovementItem.rep_id == rep_id, ImprovementItem.period == period
        )
    ).scalars()
    return {row.item_key: row for row in rows}


def mirror_items(session: Session, actor: Viewer, form: FeedbackForm, body: dict) -> None:
    """Mirror the body's improvement plan into ``improvement_item`` and apply the carried
    items' status updates to the earlier months' rows."""
    now = utcnow()
    existing = month_items(session, form.rep_id, form.period)
    keep = set()
    for position, row in enumerate(body["items"]):
        key = str(row["key"])[:32]
        keep.add(key)
        item = existing.get(key) or ImprovementItem(
            rep_id=form.rep_id, period=form.period, item_key=key, form_id=form.id
        )
        item.form_id = form.id
        item.position = position
        for name in ("problem", "cause", "measure", "note"):
            setattr(item, name, str(row.get(name) or "")[:500])
        item.owner = str(row.get("owner") or "")[:64]
        item.cause_category = str(row.get("cause_category") or "")[:16]
        item.status = row.get("status") if row.get("status") in ITEM_STATUSES else "not_started"
        for name in ("due_on", "checkpoint_on"):
            parsed, _ = parse_date(row.get(name))
            setattr(item, name, date.fromisoformat(parsed) if parsed else None)
        item.updated_at, item.updated_by = now, actor.user_id
        session.add(item)
    for key, item in existing.items():
        if key not in keep:
            session.delete(item)
    for row in body["carried"]:
        item = session.get(ImprovementItem, row.get("item_id"))
        if item is None or item.rep_id != form.rep_id or item.period >= form.period:
            continue
        status = row.get("status") if row.get("status") in ITEM_STATUSES else item.status
        note = str(row.get("note") or "")[:500]
        if (status, note) != (item.status, item.note):
            item.status, item.note = status, note
            item.updated_at, item.updated_by = now, actor.user_id
            session.add(item)
