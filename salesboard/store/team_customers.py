"""What ``team_customer`` (``store.models.rollups.TeamCustomer``) should hold, recomputed
from the deals; counting the rows that differ from it and refilling it. ``store.rollups``
calls these from ``check`` and ``rebuild`` (and so from every paused bulk load); the
triggers of migration 0037 keep the table in step on writes."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from salesboard.store.aggregate_tables import differing_rows, refill
from salesboard.store.tables import OPP, TEAM_CUSTOMER

KEY = ("team_id", "customer_id")
VALUES = ("deals",)


def recomputed():
    """A SELECT of what ``team_customer`` should hold: each team's deals per customer."""
    return select(OPP.c.team_id, OPP.c.customer_id, func.count().label("deals")).group_by(
        OPP.c.team_id, OPP.c.customer_id
    )


def wrong(conn: Connection) -> int:
    """How many rows of ``team_customer`` differ from the recomputation."""
    return differing_rows(conn, TEAM_CUSTOMER, KEY, VALUES, recomputed())


def rebuild(conn: Connection) -> None:
    """Refill ``team_customer`` from the deals, in the caller's transaction."""
    refill(conn, TEAM_CUSTOMER, KEY, VALUES, recomputed())
