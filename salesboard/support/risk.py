"""A support request's hold on the deal's risk flag, written through the deal write path
(``salesboard.deals.writing``: version bump, a ``risk_flag`` event on the timeline, an audit
entry in the actor's name).

- raising a request marked "sets risk" sets the deal's flag to ``SUPPORT_RISK_FLAG`` when the
  deal has no flag (a flag someone chose stays; the request then holds nothing:
  ``risk_raised`` False);
- closing or cancelling a "sets risk" request when no other open request of the deal is
  marked "sets risk" clears the flag again — only if it still reads ``SUPPORT_RISK_FLAG`` (a
  flag the rep changed meanwhile is theirs).
The department person who closes a request may not otherwise change the deal; the clearing
is part of their close, so the deal row is read for the write as the system and the change
is recorded as theirs.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts.access import SYSTEM, Viewer
from salesboard.deals.writing import bump, deal_for_write, event, record
from salesboard.store.models import OpportunityEventKind
from salesboard.store.tables import OPP, SUPPORT

SUPPORT_RISK_FLAG = "等待内部支持"  # one of pipeline.edits.RISK_FLAGS
OPEN_STATUSES = ("open", "in_progress")


def _set_flag(session: Session, actor: Viewer, code: str, old: str, new: str, *, request_id: int,
              on: date) -> None:  # fmt: skip
    deal = deal_for_write(session, SYSTEM, code)
    bump(session, deal, risk_flag=new)
    event(session, actor, deal, OpportunityEventKind.RISK_FLAG, on, old=old, new=new,
          note=f"support #{request_id}")  # fmt: skip
    record(session, actor, deal, "update", f"risk flag by support request #{request_id}",
           old={"risk_flag": old}, new={"risk_flag": new})  # fmt: skip


def raise_flag(session: Session, actor: Viewer, code: str, request_id: int, on: date) -> bool:
    """Set the deal's flag for request ``request_id`` if it has none; whether it did."""
    current = session.execute(select(OPP.c.risk_flag).where(OPP.c.code == code)).scalar_one()
    if current:
        return False
    _set_flag(session, actor, code, "", SUPPORT_RISK_FLAG, request_id=request_id, on=on)
    return True


def release_flag(
    session: Session, actor: Viewer, opportunity_id: int, request_id: int, on: date
) -> bool:
    """After the "sets risk" request ``request_id`` closed: clear the flag when no other open
    request of the deal sets risk and it still reads ``SUPPORT_RISK_FLAG``; whether it did."""
    holders = session.execute(
        select(func.count()).where(
            SUPPORT.c.opportunity_id == opportunity_id, SUPPORT.c.id != request_id,
            SUPPORT.c.sets_risk.is_(True), SUPPORT.c.status.in_(OPEN_STATUSES),
        )
    ).scalar_one()  # fmt: skip
    code, flag = session.execute(
        select(OPP.c.code, OPP.c.risk_flag).where(OPP.c.id == opportunity_id)
    ).one()
    if holders or flag != SUPPORT_RISK_FLAG:
        return False
    _set_flag(session, actor, code, flag, "", request_id=request_id, on=on)
    return True
