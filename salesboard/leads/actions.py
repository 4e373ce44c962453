"""Working a lead: assign or reassign it (managers within their teams, admins), convert it
to an opportunity (the deal created through ``deals.create``: its lead stage starts at
conversion; the customer found in scope or created) or reject it with a reason. Each write
checks the version the page read (a stale write is refused), the viewer's scope (a lead out
of scope is ``not_found``) and is audited; converting or rejecting twice is refused.

Who may: a rep works (converts, rejects) the leads assigned to them; a manager assigns and
works the leads of their teams; an admin everything; leaders read only."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.calendar.clock import now
from salesboard.deals.create import create_customer, create_deal, customers_in_scope
from salesboard.leads.errors import LeadError
from salesboard.leads.queries import OPEN_STATUSES, lead_for
from salesboard.store.models import Region, Role
from salesboard.store.tables import LEAD, OPP, USER

REJECT_REASONS = ("duplicate", "no_budget", "no_need", "unreachable", "not_target", "spam",
                  "other")  # fmt: skip
MAX_NOTE = 500


def may_assign(viewer: Viewer, team_id: int | None) -> bool:
    """Admins assign any lead; a manager those routed to (or assigned in) their teams."""
    if viewer.is_admin:
        return True
    return viewer.role == Role.MANAGER and team_id in viewer.team_ids


def may_work(viewer: Viewer, lead: dict) -> bool:
    """Whether ``viewer`` may convert or reject ``lead``."""
    if viewer.is_admin or may_assign(viewer, lead["team_id"]):
        return True
    return viewer.role == Role.REP and lead["assigned_to"] == viewer.user_id


def _for_write(session: Session, actor: Viewer, lead_id: int, seen_version: int) -> dict:
    lead = lead_for(session, actor, lead_id)
    if lead["version"] != seen_version:
        raise LeadError("conflict", f"lead {lead_id} was changed meanwhile", id=lead_id)
    if lead["status"] not in OPEN_STATUSES:
        raise LeadError(f"already_{lead['status']}", f"lead {lead_id} is {lead['status']}",
                        id=lead_id)  # fmt: skip
    return lead


def _save(session: Session, lead: dict, values: dict) -> None:
    changed = session.execute(
        update(LEAD)
        .where(LEAD.c.id == lead["id"], LEAD.c.version == lead["version"])
        .values(**values, version=LEAD.c.version + 1)
    ).rowcount  # fmt: skip
    if changed != 1:
        raise LeadError("conflict", f"lead {lead['id']} was changed meanwhile", id=lead["id"])


def assignable_people(session: Session, viewer: Viewer):
    """The people ``viewer`` may assign leads to: ``id, username, display_name, team_id``."""
    query = select(USER.c.id, USER.c.username, USER.c.display_name, USER.c.team_id).where(
        USER.c.active, USER.c.role.in_((Role.REP, Role.MANAGER)), USER.c.team_id.is_not(None)
    )
    if not viewer.is_admin:
        query = query.where(USER.c.team_id.in_(viewer.team_ids or (-1,)))
    return session.execute(query.order_by(USER.c.display_name)).all()


def assign_lead(
    session: Session, actor: Viewer, lead_id: int, username: str, *, seen_version: int
) -> None:
    """Assign (or reassign) a lead to ``username``; the first assignment's time stays the
    one time to assign is measured to."""
    lead = _for_write(session, actor, lead_id, seen_version)
    if not may_assign(actor, lead["team_id"]):
        raise LeadError("read_only", f"{actor.username} may not assign lead {lead_id}", id=lead_id)
    person = next((p for p in assignable_people(session, actor) if p.username == username), None)
    if person is None:
        raise LeadError("unknown_rep", f"no rep {username!r}", "assignee", value=username)
    values = {"assigned_to": person.id, "team_id": person.team_id, "status": "assigned"}
    if lead["assigned_at"] is None:
        values["assigned_at"] = now()
    _save(session, lead, values)
    audit.record(session, actor, action="update", entity="lead", entity_id=lead_id,
                 summary=f"{lead['company']} → {username}",
                 old={"assigned_to": lead["assigned_to"], "team_id": lead["team_id"]},
                 new={"assigned_to": person.id, "team_id": person.team_id})  # fmt: skip


def _customer(session: Session, actor: Viewer, lead: dict, on: date) -> int:
    """The customer named like the lead's company in ``actor``'s scope, else a new one (in
    the lead's region when the actor works there)."""
    found = customers_in_scope(session, actor, lead["company"], limit=50)
    exact = found[found["name"] == lead["company"].strip()]
    if not exact.empty:
        return int(exact["id"].iloc[0])
    region = None
    if lead["region_id"] is not None:
        region = session.execute(select(Region.code).where(Region.id == lead["region_id"])).scalar()
    try:
        return create_customer(session, actor, lead["company"], on=on, region=region,
                               industry=lead["industry"])  # fmt: skip
    except ValueError as error:
        if getattr(error, "code", "") != "unknown_region":
            raise
        return create_customer(session, actor, lead["company"], on=on,
                               industry=lead["industry"])  # fmt: skip


def convert_lead(
    session: Session,
    actor: Viewer,
    lead_id: int,
    *,
    seen_version: int,
    product_line: str,
    amount: object,
    today: date,
    expected_close_on: date | None = None,
) -> str:
    """Turn a lead into an opportunity owned by its assignee (the actor when unassigned and
    a rep or manager) and return the deal's code; the deal enters its first stage today."""
    lead = _for_write(session, actor, lead_id, seen_version)
    if not may_work(actor, lead):
        raise LeadError("read_only", f"{actor.username} may not convert lead {lead_id}", id=lead_id)
    owner = lead["assignee_username"]
    if owner is None:
        if actor.role not in (Role.REP, Role.MANAGER):
            raise LeadError("assign_first", f"lead {lead_id} has no assignee", "assignee")
        owner = actor.username
    if amount in (None, "") and lead["budget_minor"]:
        amount = int(lead["budget_minor"])
    customer_id = _customer(session, actor, lead, today)
    code = create_deal(
        session, actor, customer=customer_id, product_line=product_line, amount=amount,
        on=today, today=today, expected_close_on=expected_close_on, source=lead["source"],
        owner=owner,
    )  # fmt: skip
    deal_id = session.execute(select(OPP.c.id).where(OPP.c.code == code)).scalar_one()
    _save(session, lead, {"status": "converted", "opportunity_id": deal_id, "closed_at": now()})
    audit.record(session, actor, action="update", entity="lead", entity_id=lead_id,
                 summary=f"{lead['company']} → {code}", old={"status": lead["status"]},
                 new={"status": "converted", "opportunity": code})  # fmt: skip
    return code


def reject_lead(
    session: Session, actor: Viewer, lead_id: int, *, seen_version: int, reason: str, note: str = ""
) -> None:
    """Reject a lead with a reason (``REJECT_REASONS``) and an optional note ("other" needs
    one)."""
    lead = _for_write(session, actor, lead_id, seen_version)
    if not may_work(actor, lead):
        raise LeadError("read_only", f"{actor.username} may not reject lead {lead_id}", id=lead_id)
    if reason not in REJECT_REASONS:
        raise LeadError("bad_reason", f"unknown reason {reason!r}", "reason", value=reason)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise LeadError("too_long", f"note over {MAX_NOTE}", "note", field="note", limit=MAX_NOTE)
    if reason == "other" and not note:
        raise LeadError("required", "say why", "note", field="note")
    _save(session, lead, {"status": "rejected", "reject_reason": reason, "reject_note": note,
                          "closed_at": now()})  # fmt: skip
    audit.record(session, actor, action="update", entity="lead", entity_id=lead_id,
                 summary=f"{lead['company']} rejected: {reason}", old={"status": lead["status"]},
                 new={"status": "rejected", "reject_reason": reason, "reject_note": note})  # fmt: skip
