"""Editing a deal's fields in its workspace: name, amount, expected close, product line,
lead source, next step and risk flag — with the per-row version check (a second tab's stale
edit is refused, nothing written), one timeline event per changed field, one audit entry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.deals.create import list_entry_id, parse_deal_amount
from salesboard.deals.errors import DealError
from salesboard.deals.writing import (
    bump,
    clean_text,
    deal_for_write,
    event,
    record,
    require_not_lost,
)
from salesboard.store.models import LeadSource, OpportunityEventKind, ProductLine
from salesboard.store.tables import OPP, PRODUCT_LINE

# Field → the event kind its change writes (``edit`` with the field named in the note else).
EVENT_KINDS = {
    "amount_minor": OpportunityEventKind.AMOUNT,
    "expected_close_on": OpportunityEventKind.EXPECTED_CLOSE,
    "next_step": OpportunityEventKind.NEXT_STEP,
    "risk_flag": OpportunityEventKind.RISK_FLAG,
}
EDITABLE = ("name", "amount", "expected_close_on", "product_line", "source", "next_step",
            "risk_flag")  # fmt: skip


def _clean(session: Session, field: str, value: object, created_on: date) -> tuple[str, object]:
    """(column, stored value) of an edited ``field``."""
    if field == "name":
        return "name", clean_text(value, "name", 200, required=True)
    if field == "amount":
        return "amount_minor", parse_deal_amount(value)
    if field == "expected_close_on":
        if value is not None and value < created_on:
            raise DealError("close_before_created", "expected close before the deal was created",
                            "expected_close_on", day=created_on.isoformat())  # fmt: skip
        return "expected_close_on", value
    if field == "product_line":
        return "product_line_id", list_entry_id(session, ProductLine, str(value), "product_line")
    if field == "source":
        if value:
            list_entry_id(session, LeadSource, str(value), "source")
        return "source", str(value or "")
    if field == "next_step":
        return "next_step", clean_text(value, "next_step", 200)
    if field == "risk_flag":
        return "risk_flag", clean_text(value, "risk_flag", 64)
    raise DealError("unknown_field", f"no editable field {field!r}", field, field=field)


def _shown(session: Session, column: str, value: object) -> str:
    """A stored value as the timeline shows it (a product line by its code)."""
    if column == "product_line_id" and value is not None:
        return str(
            session.execute(select(PRODUCT_LINE.c.code).where(PRODUCT_LINE.c.id == value)).scalar()
        )
    return "" if value is None else (value.isoformat() if isinstance(value, date) else str(value))


def edit_deal(
    session: Session,
    actor: Viewer,
    code: str,
    changes: dict[str, object],
    *,
    seen_version: int,
    today: date,
) -> list[str]:
    """Apply ``changes`` (field → new value, fields in ``EDITABLE``) to deal ``code`` if
    nobody changed it since ``seen_version``; returns the fields that changed."""
    deal = deal_for_write(session, actor, code, seen_version=seen_version)
    require_not_lost(deal)
    cleaned = dict(_clean(session, f, v, deal.created_on) for f, v in changes.items())
    current = (
        session.execute(select(*(OPP.c[c] for c in cleaned)).where(OPP.c.id == deal.id))
        .one()
        ._mapping
    )
    changed = {c: v for c, v in cleaned.items() if current[c] != v}
    if not changed:
        return []
    bump(session, deal, **changed)
    old, new = {}, {}
    for column, value in changed.items():
        before, after = _shown(session, column, current[column]), _shown(session, column, value)
        kind = EVENT_KINDS.get(column, OpportunityEventKind.EDIT)
        event(session, actor, deal, kind, today, old=before, new=after,
              note="" if column in EVENT_KINDS else column)  # fmt: skip
        old[column], new[column] = before, after
    record(session, actor, deal, "update", "edited: " + ", ".join(changed), old=old, new=new)
    return list(changed)
