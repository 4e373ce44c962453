"""What every deal write shares: reading the deal for the actor (a deal they may not read
is "not found", exactly as a code that does not exist), the version check that refuses a
stale write, the deal's events (its timeline) and the audit entry, in the caller's
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, can_read_owned_by, can_write_owned_by
from salesboard.deals.errors import DealError
from salesboard.store.models import OpportunityEvent, OpportunityStatus, utcnow
from salesboard.store.tables import OPP, STAGE

MAX_TEXT = 200
MAX_NOTE = 1000


@dataclass(frozen=True)
class DealRow:
    """The deal as a write sees it."""

    id: int
    code: str
    owner_id: int
    team_id: int
    customer_id: int
    status: str
    current_stage_id: int
    stage_position: int
    stage_kind: str
    stage_entered_on: date
    last_activity_on: date | None
    created_on: date
    version: int


def deal_for_write(
    session: Session, actor: Viewer, code: str, *, seen_version: int | None = None
) -> DealRow:
    """The deal ``code`` for ``actor`` to change: ``not_found`` when it does not exist or the
    actor may not read it, ``read_only`` when they may read but not change it, ``conflict``
    when ``seen_version`` is given and someone changed the deal since."""
    row = session.execute(
        select(
            OPP.c.id, OPP.c.code, OPP.c.owner_id, OPP.c.team_id, OPP.c.customer_id, OPP.c.status,
            OPP.c.current_stage_id, STAGE.c.position.label("stage_position"),
            STAGE.c.kind.label("stage_kind"), OPP.c.stage_entered_on, OPP.c.last_activity_on,
            OPP.c.created_on, OPP.c.version,
        )
        .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
        .where(OPP.c.code == str(code).strip().upper())
    ).one_or_none()  # fmt: skip
    shown = str(code).strip().upper()
    if row is None or not can_read_owned_by(actor, row.owner_id, row.team_id):
        raise DealError("not_found", f"no deal {shown}", "code", code=shown)
    if not can_write_owned_by(actor, row.owner_id, row.team_id):
        raise DealError("read_only", f"{actor.username} may not change {shown}", code=shown)
    deal = DealRow(**row._mapping)
    if seen_version is not None and seen_version != deal.version:
        raise DealError("conflict", f"{shown} was changed meanwhile", code=shown)
    return deal


def require_open(deal: DealRow) -> None:
    """Refuse a change that needs an open deal (moves, wins, losses)."""
    if deal.status != OpportunityStatus.OPEN:
        raise DealError("not_open", f"{deal.code} is {deal.status}", code=deal.code)


def require_not_lost(deal: DealRow) -> None:
    """Refuse work on a lost deal (a won deal is still worked on in delivery)."""
    if deal.status == OpportunityStatus.LOST:
        raise DealError("not_open", f"{deal.code} is lost", code=deal.code)


def bump(session: Session, deal: DealRow, **values: Any) -> None:
    """Write ``values`` to the deal and bump its version, only if nobody changed it since
    it was read (``conflict`` otherwise: nothing written)."""
    changed = session.execute(
        update(OPP)
        .where(OPP.c.id == deal.id, OPP.c.version == deal.version)
        .values(**values, version=OPP.c.version + 1, updated_at=utcnow())
    ).rowcount
    if changed != 1:
        raise DealError("conflict", f"{deal.code} was changed meanwhile", code=deal.code)


def touch(deal: DealRow, on: date) -> dict[str, date]:
    """The ``last_activity_on`` value after activity on ``on`` (never moves backwards)."""
    last = deal.last_activity_on
    return {"last_activity_on": on if last is None or on > last else last}


def event(
    session: Session,
    actor: Viewer,
    deal: DealRow,
    kind: str,
    on: date,
    *,
    old: object = "",
    new: object = "",
    note: str = "",
) -> None:
    """One entry in the deal's timeline."""
    session.add(
        OpportunityEvent(
            opportunity_id=deal.id,
            happened_on=on,
            actor_id=actor.user_id,
            kind=kind,
            old_value=str(old)[:MAX_TEXT],
            new_value=str(new)[:MAX_TEXT],
            note=note[:MAX_NOTE],
        )
    )


def record(
    session: Session, actor: Viewer, deal: DealRow, action: str, summary: str, **changes: Any
) -> None:
    """The audit entry of a deal write (``changes``: old=…, new=…)."""
    audit.record(
        session, actor, action=action, entity="opportunity", entity_id=deal.code,
        summary=summary, **changes,
    )  # fmt: skip


def clean_text(value: object, field: str, limit: int = MAX_TEXT, *, required: bool = False) -> str:
    """``value`` as trimmed text within ``limit`` characters (``too_long`` / ``required``)."""
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise DealError("required", f"{field} is required", field, field=field)
    if len(text) > limit:
        raise DealError("too_long", f"{field} over {limit}", field, field=field, limit=limit)
    return text


def check_day(on: date, today: date, field: str, *, not_before: date | None = None) -> date:
    """``on`` if it is not in the future (``future_date``) nor before ``not_before``."""
    if on > today:
        raise DealError("future_date", f"{field} {on} is after {today}", field, field=field)
    if not_before is not None and on < not_before:
        raise DealError(
            "date_too_early", f"{field} {on} before {not_before}", field, field=field,
            day=not_before.isoformat(),
        )  # fmt: skip
    return on


def count(session: Session, query) -> int:
    """``SELECT count(*)`` of ``query``'s rows."""
    return int(session.execute(select(func.count()).select_from(query.subquery())).scalar_one())
