"""What ``open_pipeline`` (``store.models.rollups.OpenPipeline``) should hold, recomputed
from the stays and their deals; counting the rows that differ from it and refilling it.
``store.rollups`` calls these from ``check`` and ``rebuild`` (and so from every paused bulk
load); the triggers of migration 0032 keep the table in step on writes.

A stay covers the days from the one it began on to the one before it left, at most
``PIPELINE_REACH_DAYS`` + 1 days. It gives two ``change`` rows (+1 deal and its amount on
its first day, -1 on the first day it no longer covers) and an ``open`` row for each
month's first day it covers (at most seven: ``month_offset``).
"""

from __future__ import annotations

from sqlalchemy import (
    Connection,
    Date,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
)

from salesboard.store.models import NO_CLOSE_MONTH, PIPELINE_REACH_DAYS, PipelineKind
from salesboard.store.queries import days_after, month_start
from salesboard.store.tables import HISTORY, MONTH_OFFSET, OPP, PIPELINE

KEY = ("kind", "day", "stage_id", "product_line_id", "region_id", "team_id", "close_month")
VALUES = ("deals", "amount_minor")
MONTH_OFFSETS = 7  # a stay of at most PIPELINE_REACH_DAYS + 1 days covers ≤ 7 month starts


def close_month(expected_close_on):
    """The ``close_month`` of a deal with this expected close date (SQL)."""
    return func.coalesce(month_start(expected_close_on), literal(NO_CLOSE_MONTH, Date()))


def stay_exit():
    """The first day a stay no longer covers: the day it left, or the reach's end (SQL)."""
    cap = days_after(HISTORY.c.entered_on, PIPELINE_REACH_DAYS + 1)
    return case(
        (and_(HISTORY.c.left_on.is_not(None), HISTORY.c.left_on < cap), HISTORY.c.left_on),
        else_=cap,
    )


def recomputed():
    """A SELECT of what ``open_pipeline`` should hold (columns ``KEY`` + ``VALUES``; no row
    whose counts are all zero)."""
    stays = HISTORY.join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
    dims = (
        HISTORY.c.stage_id.label("stage_id"),
        OPP.c.product_line_id.label("product_line_id"),
        OPP.c.region_id.label("region_id"),
        OPP.c.team_id.label("team_id"),
        close_month(OPP.c.expected_close_on).label("close_month"),
    )
    exit_day = stay_exit()
    covers = exit_day > HISTORY.c.entered_on
    month = month_start(HISTORY.c.entered_on, MONTH_OFFSET.c.months)

    def part(kind: PipelineKind, day, sign: str, source, *conditions):
        # Constants as SQL text: PostgreSQL cannot type a bound parameter in a UNION.
        amount = OPP.c.amount_minor if sign == "1" else -OPP.c.amount_minor
        return (
            select(literal_column(f"'{kind.value}'").label("kind"), day.label("day"), *dims,
                   literal_column(sign).label("n"), amount.label("a"))
            .select_from(source).where(*conditions)
        )  # fmt: skip

    rows = union_all(
        part(PipelineKind.CHANGE, HISTORY.c.entered_on, "1", stays, covers),
        part(PipelineKind.CHANGE, exit_day, "-1", stays, covers),
        part(PipelineKind.OPEN, month, "1", stays.join(MONTH_OFFSET, true()),
             month >= HISTORY.c.entered_on, month < exit_day),
    ).subquery("parts")  # fmt: skip
    key = [rows.c[k] for k in KEY]
    deals, amount = func.sum(rows.c.n), func.sum(rows.c.a)
    return (
        select(*key, deals.label("deals"), amount.label("amount_minor"))
        .group_by(*key)
        .having(or_(deals != 0, amount != 0))
    )


def _offsets_whole(conn: Connection) -> bool:
    """Whether ``month_offset`` holds exactly 0 … ``MONTH_OFFSETS`` - 1."""
    found = conn.execute(select(MONTH_OFFSET.c.months).order_by(MONTH_OFFSET.c.months))
    return list(found.scalars()) == list(range(MONTH_OFFSETS))


def rows(conn: Connection) -> int:
    """The rows ``open_pipeline`` holds."""
    return int(conn.execute(select(func.count()).select_from(PIPELINE)).scalar_one())


def wrong(conn: Connection) -> int:
    """How many rows of ``open_pipeline`` differ from the recomputation (rows whose counts
    are all zero, left by writes that took back what they added, equal missing rows),
    compared in the database (``EXCEPT`` both ways); every row when ``month_offset`` is not
    whole (the triggers find the wrong month starts)."""
    if not _offsets_whole(conn):
        return max(rows(conn), 1)
    expected = select(*recomputed().subquery().c)
    stored = select(*(PIPELINE.c[c] for c in (*KEY, *VALUES))).where(
        or_(*(PIPELINE.c[v] != 0 for v in VALUES))
    )
    # Each EXCEPT on its own: SQLite allows no parenthesised compound inside another.
    return sum(
        int(conn.execute(select(func.count()).select_from(side.subquery())).scalar_one())
        for side in (stored.except_(expected), expected.except_(stored))
    )


def rebuild(conn: Connection) -> None:
    """Refill ``month_offset`` when it is not whole and ``open_pipeline`` from the rows, in
    the caller's transaction."""
    if not _offsets_whole(conn):
        conn.execute(delete(MONTH_OFFSET))
        conn.execute(insert(MONTH_OFFSET), [{"months": n} for n in range(MONTH_OFFSETS)])
    conn.execute(delete(PIPELINE))
    conn.execute(insert(PIPELINE).from_select([*KEY, *VALUES], recomputed()))
