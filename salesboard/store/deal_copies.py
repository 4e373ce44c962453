"""Values the store keeps beside the rows they come from, for reads that would otherwise seek
a deal per row: instalments', ratings' and key actions' copy of their deal's owner and team
(migrations 0028 and 0029), and each customer's first won deal with its day, owner, team
and region (0029, 0031). Database triggers
keep them in step on every write; here is what they should hold, how many rows differ
(``wrong``) and the correction (``correct``), which ``store.rollups`` run in ``check`` and
``rebuild``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Table, and_, func, or_, select, update

from salesboard.store.models import OpportunityStatus
from salesboard.store.tables import ACTION, COLLECTION, CUSTOMER, OPP, RATING


@dataclass(frozen=True)
class DealCopy:
    """A table whose rows carry their deal's owner and team in the columns named."""

    table: Table
    owner: str
    team: str

    def wrong(self):
        """SQL condition on a row joined to its deal: its copy differs from the deal's."""
        return or_(
            self.table.c[self.owner].is_distinct_from(OPP.c.owner_id),
            self.table.c[self.team].is_distinct_from(OPP.c.team_id),
        )


DEAL_OWNER_COPIES = (
    DealCopy(COLLECTION, "owner_id", "team_id"),
    DealCopy(RATING, "owner_id", "team_id"),
    DealCopy(ACTION, "deal_owner_id", "deal_team_id"),
)


# The customer's columns holding its first won deal, and the deal's column each copies.
FIRST_WIN = {
    "first_won_deal_id": "id",
    "first_won_on": "won_on",
    "first_won_owner_id": "owner_id",
    "first_won_team_id": "team_id",
    "first_won_region_id": "region_id",
}


def first_wins():
    """A SELECT of each customer's first won deal: ``customer_id`` and the deal's columns
    ``FIRST_WIN`` copies (the earliest won day, then the smallest id; deals won without a
    day do not count), by numbering each customer's wins once."""
    number = (
        func.row_number()
        .over(partition_by=OPP.c.customer_id, order_by=(OPP.c.won_on, OPP.c.id))
        .label("n")
    )
    wins = (
        select(OPP.c.customer_id, *(OPP.c[c] for c in FIRST_WIN.values()), number)
        .where(OPP.c.status == OpportunityStatus.WON, OPP.c.won_on.is_not(None))
        .subquery("wins")
    )
    return select(wins.c.customer_id, *(wins.c[c] for c in FIRST_WIN.values())).where(wins.c.n == 1)


def _first_win_differs(first):
    """SQL condition on a customer outer-joined to ``first`` (``first_wins``): its stored
    first win is not that one."""
    return or_(
        *(CUSTOMER.c[mine].is_distinct_from(first.c[deal]) for mine, deal in FIRST_WIN.items())
    )


def wrong(conn: Connection) -> tuple[int, int]:
    """(rows whose copy of their deal's owner or team differs, customers whose stored first
    win differs from the recomputation)."""
    copies = sum(
        conn.execute(
            select(func.count())
            .select_from(c.table.join(OPP, OPP.c.id == c.table.c.opportunity_id))
            .where(c.wrong())
        ).scalar_one()
        for c in DEAL_OWNER_COPIES
    )
    first = first_wins().subquery("first")
    customers = conn.execute(
        select(func.count())
        .select_from(CUSTOMER.outerjoin(first, first.c.customer_id == CUSTOMER.c.id))
        .where(_first_win_differs(first))
    ).scalar_one()
    return int(copies), int(customers)


def correct(conn: Connection) -> None:
    """Correct every copy and every customer's first win from the rows, in the caller's
    transaction: one join each (UPDATE … FROM on both backends), not a seek per row."""
    for c in DEAL_OWNER_COPIES:
        conn.execute(
            update(c.table)
            .where(c.table.c.opportunity_id == OPP.c.id, c.wrong())
            .values({c.owner: OPP.c.owner_id, c.team: OPP.c.team_id})
        )
    first = first_wins().subquery("first")
    conn.execute(
        update(CUSTOMER)
        .where(first.c.customer_id == CUSTOMER.c.id, _first_win_differs(first))
        .values({mine: first.c[deal] for mine, deal in FIRST_WIN.items()})
    )
    # Customers with no win left (their deals lost, deleted or moved).
    won = select(first.c.customer_id)
    conn.execute(
        update(CUSTOMER)
        .where(
            and_(CUSTOMER.c.first_won_deal_id.is_not(None), CUSTOMER.c.id.not_in(won)),
        )
        .values(dict.fromkeys(FIRST_WIN))
    )
