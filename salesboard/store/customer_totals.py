"""Each customer's open pipeline and wins since the kept day (``customer.open_minor`` and
``won_since_minor``, migration 0035): what they should hold, recomputed from the deals;
counting the customers that differ and correcting them; and moving the kept day
(``customer_value_window.won_since``), which the triggers read.

``store.rollups`` calls ``wrong`` and ``rebuild`` from ``check`` and ``rebuild`` (and so from
every paused bulk load); the application moves the kept day to its matrix window's first
day (``customers.settings.keep_window``), and readers correct for the days in between.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, and_, case, false, func, insert, or_, select, update

from salesboard.store.aggregate_tables import differing_rows
from salesboard.store.models import OpportunityStatus
from salesboard.store.tables import CUSTOMER, OPP, VALUE_WINDOW

KEY = ("id",)
VALUES = ("won_since_minor", "open_minor")


def kept_since(conn) -> date | None:
    """The kept day: wins on or after it are in ``won_since_minor`` (None: not set)."""
    found = conn.execute(select(VALUE_WINDOW.c.won_since).where(VALUE_WINDOW.c.id == 1)).first()
    if found is None or found[0] is None:
        return None
    return date.fromisoformat(str(found[0])[:10])


def recomputed(since: date | None):
    """A SELECT of the customers' figures that are not zero (columns ``id`` + ``VALUES``)
    from their deals, wins counted from ``since`` (none when None)."""
    won = OPP.c.status == OpportunityStatus.WON
    counted = and_(won, OPP.c.won_on >= since) if since is not None else false()
    open_ = OPP.c.status == OpportunityStatus.OPEN
    found = (
        select(
            OPP.c.customer_id.label("id"),
            func.sum(case((counted, OPP.c.amount_minor), else_=0)).label("won_since_minor"),
            func.sum(case((open_, OPP.c.amount_minor), else_=0)).label("open_minor"),
        )
        .where(or_(open_, counted))
        .group_by(OPP.c.customer_id)
        .subquery("sums")
    )
    return select(found.c.id, found.c.won_since_minor, found.c.open_minor).where(
        or_(found.c.won_since_minor != 0, found.c.open_minor != 0)
    )


def wrong(conn: Connection) -> int:
    """How many customers' stored figures differ from the recomputation (counted both ways:
    a customer wrong on both sides counts twice)."""
    return differing_rows(conn, CUSTOMER, KEY, VALUES, recomputed(kept_since(conn)))


def rebuild(conn: Connection) -> None:
    """Recompute every customer's figures from the deals for the kept day, in the caller's
    transaction."""
    conn.execute(
        update(CUSTOMER)
        .where(or_(*(CUSTOMER.c[v] != 0 for v in VALUES)))
        .values(won_since_minor=0, open_minor=0)
    )
    found = recomputed(kept_since(conn)).subquery("found")
    conn.execute(
        update(CUSTOMER)
        .where(CUSTOMER.c.id == found.c.id)
        .values(won_since_minor=found.c.won_since_minor, open_minor=found.c.open_minor)
    )


def advance(conn: Connection, since: date) -> None:
    """Move the kept day to ``since`` in the caller's transaction: the wins between the old
    day and the new one come off (or on, moving back) their customers; everything is
    recomputed when no day was kept. On PostgreSQL the deals are locked against writes
    meanwhile (readers go on): a deal written while the day moves would be counted by the
    old day's rule and missed by the correction. SQLite has one writer at a time."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE opportunity IN SHARE MODE")
    old = kept_since(conn)
    kept = update(VALUE_WINDOW).where(VALUE_WINDOW.c.id == 1).values(won_since=since)
    if conn.execute(kept).rowcount == 0:  # the row was deleted by hand: the triggers need it
        conn.execute(insert(VALUE_WINDOW).values(id=1, won_since=since))
    if old is None:
        rebuild(conn)
        return
    if old == since:
        return
    low, high = min(old, since), max(old, since)
    sign = -1 if since > old else 1
    moved = (
        select(OPP.c.customer_id, func.sum(OPP.c.amount_minor).label("amount"))
        .where(OPP.c.status == OpportunityStatus.WON, OPP.c.won_on >= low, OPP.c.won_on < high)
        .group_by(OPP.c.customer_id)
        .subquery("moved")
    )
    conn.execute(
        update(CUSTOMER)
        .where(CUSTOMER.c.id == moved.c.customer_id)
        .values(won_since_minor=CUSTOMER.c.won_since_minor + sign * moved.c.amount)
    )
