"""Which customers a viewer sees: a rep the customers they own or have a deal with; a
manager those owned by a rep of their teams or with a deal credited to one of their teams;
leaders and admins every customer. A customer out of sight reads like one that does not
exist."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import false, select, true, union_all

from salesboard.accounts.access import Viewer
from salesboard.store.models import Role
from salesboard.store.tables import CUSTOMER, OPP, TEAM_CUSTOMER, USER


def visible(viewer: Viewer, ids: Sequence[int] | None = None):
    """SQL condition on ``customer``: the customers ``viewer`` may see. One IN over the union (all)
    of both ways a customer comes into sight: an OR of two IN-subqueries made PostgreSQL
    rescan the deals per customer when it expected their ids not to fit its working memory
    (a manager's customer count at 10M deals ran for minutes). ``ids``, when the customers
    are already chosen (a page of the list, one customer), narrows both ways to them: the
    check reads those customers and their deals, not everything in the viewer's sight (a
    manager's page of 50 at 10M deals: 0.48 s of hashing 414k team deals)."""
    if viewer.sees_everything:
        return true()
    owned = CUSTOMER.alias("owned")
    chosen = [int(i) for i in ids] if ids is not None else None
    own_only = [] if chosen is None else [owned.c.id.in_(chosen)]
    deal_only = [] if chosen is None else [OPP.c.customer_id.in_(chosen)]
    team_only = [] if chosen is None else [TEAM_CUSTOMER.c.customer_id.in_(chosen)]
    if viewer.role == Role.REP and viewer.user_id is not None:
        return CUSTOMER.c.id.in_(
            union_all(
                select(owned.c.id).where(owned.c.owner_id == viewer.user_id, *own_only),
                select(OPP.c.customer_id).where(OPP.c.owner_id == viewer.user_id, *deal_only),
            )
        )
    if viewer.role == Role.MANAGER and viewer.team_ids:
        teams = list(viewer.team_ids)
        return CUSTOMER.c.id.in_(
            union_all(
                select(owned.c.id).join(USER, USER.c.id == owned.c.owner_id)
                .where(USER.c.team_id.in_(teams), *own_only),
                # The teams' customers kept per team (migration 0037): a range of its key,
                # not every deal the teams ever had.
                select(TEAM_CUSTOMER.c.customer_id).where(
                    TEAM_CUSTOMER.c.team_id.in_(teams), TEAM_CUSTOMER.c.deals > 0, *team_only),
            )
        )  # fmt: skip
    return false()
