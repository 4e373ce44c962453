"""Setting a customer's potential by hand (高/低潜力): managers (customers of their teams) and
admins; leaders read only, reps see the mark. A hand setting wins over the rule until it is
cleared (back to the rule). Audited with the old and new values."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.customers.errors import CustomerError
from salesboard.customers.matrix import POTENTIALS
from salesboard.customers.scope import visible
from salesboard.store.models import Role
from salesboard.store.tables import CUSTOMER

RULE = "rule"  # the choice that clears a hand setting


def may_set_potential(viewer: Viewer) -> bool:
    """Managers (within their scope) and admins set potential by hand."""
    return viewer.role in (Role.MANAGER, Role.ADMIN)


def set_potential(session: Session, actor: Viewer, customer_id: int, potential: str) -> None:
    """Set the customer's potential to "high" or "low" by hand, or back to the rule
    (``RULE``); refused (nothing written) for an unknown choice, a role that may not, or a
    customer out of the actor's sight (``not_found``, as if it did not exist)."""
    if potential not in (*POTENTIALS, RULE):
        raise CustomerError("unknown_potential", f"unknown potential {potential!r}", "potential")
    row = session.execute(
        select(CUSTOMER.c.name, CUSTOMER.c.potential, CUSTOMER.c.potential_by_hand).where(
            CUSTOMER.c.id == int(customer_id), visible(actor)
        )
    ).one_or_none()
    if row is None:
        raise CustomerError("not_found", f"no customer {customer_id}", id=customer_id)
    if not may_set_potential(actor):
        raise CustomerError("read_only", f"{actor.username} may not set potential")
    old = {"potential": row.potential if row.potential_by_hand else RULE}
    new = {"potential": potential}
    if old == new:
        return
    values = {"potential_by_hand": False} if potential == RULE else {
        "potential": potential, "potential_by_hand": True}  # fmt: skip
    session.execute(update(CUSTOMER).where(CUSTOMER.c.id == int(customer_id)).values(**values))
    audit.record(
        session, actor, action="update", entity="customer", entity_id=int(customer_id),
        summary=f"potential of {row.name}", old=old, new=new,
    )  # fmt: skip
