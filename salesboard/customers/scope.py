"""Which customers a viewer sees: a rep the customers they own or have a deal with; a
manager those owned by a rep of their teams or with a deal credited to one of their teams;
leaders and admins every customer. A customer out of sight reads like one that does not
exist."""

from __future__ import annotations

from sqlalchemy import false, or_, select, true

from salesboard.accounts.access import Viewer
from salesboard.store.models import Role
from salesboard.store.tables import CUSTOMER, OPP, USER


def visible(viewer: Viewer):
    """SQL condition on ``customer``: the customers ``viewer`` may see."""
    if viewer.sees_everything:
        return true()
    if viewer.role == Role.REP and viewer.user_id is not None:
        return or_(
            CUSTOMER.c.owner_id == viewer.user_id,
            CUSTOMER.c.id.in_(select(OPP.c.customer_id).where(OPP.c.owner_id == viewer.user_id)),
        )
    if viewer.role == Role.MANAGER and viewer.team_ids:
        teams = list(viewer.team_ids)
        return or_(
            CUSTOMER.c.owner_id.in_(select(USER.c.id).where(USER.c.team_id.in_(teams))),
            CUSTOMER.c.id.in_(select(OPP.c.customer_id).where(OPP.c.team_id.in_(teams))),
        )
    return false()
