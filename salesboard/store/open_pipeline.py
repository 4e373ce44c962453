"""What ``open_pipeline`` (``store.models.rollups.OpenPipeline``) should hold, recomputed
from the stays and their deals; counting the rows that differ from it and refilling it.
``store.rollups`` calls these from ``check`` and ``rebuild`` (and so from every paused bulk
load); the triggers of migration 0032 keep the table in step on writes.

A stay covers the days from the one it began on to the one before it left, at most
``PIPELINE_REACH_DAYS`` + 1 days. It gives two ``change`` rows (+1 deal and its amount on
its first day, -1 on the first day it no longer covers) and counts in the ``open`` row of
each month's first day it covers (at most seven: ``month_offset``).
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

from salesboard.store.aggregate_tables import differing_rows, refill
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
    whose counts are all zero). One pass over the stays: their entries and exits summed per
    key and day are the ``change`` rows; a running sum of those in day order gives the
    pipeline from each change to the next, and the month starts in that run (at most seven:
    a run with deals in it is at most the reach long) get it as ``open`` rows."""
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

    def events(day, sign: str):
        # Constants as SQL text: PostgreSQL cannot type a bound parameter in a UNION.
        amount = OPP.c.amount_minor if sign == "1" else -OPP.c.amount_minor
        return (
            select(day.label("day"), *dims, literal_column(sign).label("n"), amount.label("a"))
            .select_from(stays).where(covers)
        )  # fmt: skip

    moves = union_all(events(HISTORY.c.entered_on, "1"), events(exit_day, "-1")).subquery()
    group = [moves.c[k] for k in KEY[2:]]
    changes = (
        select(moves.c.day, *group, func.sum(moves.c.n).label("deals"),
               func.sum(moves.c.a).label("amount_minor"))
        .group_by(moves.c.day, *group)
        .subquery("changes")
    )  # fmt: skip
    key = [changes.c[k] for k in KEY[2:]]
    window = {"partition_by": key, "order_by": changes.c.day}
    runs = select(
        changes.c.day, *key,
        func.sum(changes.c.deals).over(**window).label("deals"),
        func.sum(changes.c.amount_minor).over(**window).label("amount_minor"),
        func.lead(changes.c.day).over(**window).label("until"),
    ).subquery("runs")  # fmt: skip
    month = month_start(runs.c.day, MONTH_OFFSET.c.months)
    change_rows = select(
        literal_column(f"'{PipelineKind.CHANGE.value}'").label("kind"), changes.c.day, *key,
        changes.c.deals, changes.c.amount_minor,
    ).where(or_(changes.c.deals != 0, changes.c.amount_minor != 0))  # fmt: skip
    open_rows = (
        select(literal_column(f"'{PipelineKind.OPEN.value}'").label("kind"), month.label("day"),
               *(runs.c[k] for k in KEY[2:]), runs.c.deals, runs.c.amount_minor)
        .select_from(runs.join(MONTH_OFFSET, true()))
        .where(runs.c.deals != 0, month >= runs.c.day, month < runs.c.until)
    )  # fmt: skip
    return union_all(change_rows, open_rows)


def _offsets_whole(conn: Connection) -> bool:
    """Whether ``month_offset`` holds exactly 0 … ``MONTH_OFFSETS`` - 1."""
    found = conn.execute(select(MONTH_OFFSET.c.months).order_by(MONTH_OFFSET.c.months))
    return list(found.scalars()) == list(range(MONTH_OFFSETS))


def rows(conn: Connection) -> int:
    """The rows ``open_pipeline`` holds."""
    return int(conn.execute(select(func.count()).select_from(PIPELINE)).scalar_one())


def wrong(conn: Connection) -> int:
    """How many rows of ``open_pipeline`` differ from the recomputation
    (``aggregate_tables.differing_rows``); every row when ``month_offset`` is not whole (the
    triggers find the wrong month starts)."""
    if not _offsets_whole(conn):
        return max(rows(conn), 1)
    return differing_rows(conn, PIPELINE, KEY, VALUES, recomputed())


def rebuild(conn: Connection) -> None:
    """Refill ``month_offset`` when it is not whole and ``open_pipeline`` from the rows, in
    the caller's transaction."""
    if not _offsets_whole(conn):
        conn.execute(delete(MONTH_OFFSET))
        conn.execute(insert(MONTH_OFFSET), [{"months": n} for n in range(MONTH_OFFSETS)])
    refill(conn, PIPELINE, KEY, VALUES, recomputed())
