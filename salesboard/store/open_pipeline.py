"""What ``open_pipeline_day`` (``store.models.rollups.OpenPipelineDay``) should hold,
recomputed from the stays and their deals; counting the rows that differ from it and
refilling it. ``store.rollups`` calls these from ``check`` and ``rebuild`` (and so from
every paused bulk load); the triggers of migration 0032 keep the table in step on writes.

The recomputation makes one pass over the stays: per key (stage, product line, region,
team, expected close month) each stay enters on its first day (+1 deal, +amount) and exits
on the day it left or ``PIPELINE_REACH_DAYS`` + 1 days after it began, whichever is first;
a running sum in day order gives the pipeline from each event to the next, spread over
those days through ``pipeline_reach`` (a run with deals in it is at most the reach long: a
stay open on its first day exits within that).
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
    union_all,
)

from salesboard.store.models import NO_CLOSE_MONTH, PIPELINE_REACH_DAYS
from salesboard.store.queries import days_after, month_start
from salesboard.store.tables import HISTORY, OPP, PIPELINE, REACH

KEY = ("day", "stage_id", "product_line_id", "region_id", "team_id", "close_month")
VALUES = ("deals", "amount_minor")
_GROUP = KEY[1:]


def close_month(expected_close_on):
    """The ``close_month`` of a deal with this expected close date (SQL)."""
    return func.coalesce(month_start(expected_close_on), literal(NO_CLOSE_MONTH, Date()))


def _stay_exit():
    """The first day a stay no longer covers: the day it left, or the reach's end."""
    cap = days_after(HISTORY.c.entered_on, PIPELINE_REACH_DAYS + 1)
    return case(
        (and_(HISTORY.c.left_on.is_not(None), HISTORY.c.left_on < cap), HISTORY.c.left_on),
        else_=cap,
    )


def recomputed():
    """A SELECT of what ``open_pipeline_day`` should hold (columns ``KEY`` + ``VALUES``; no
    row for a day without deals)."""
    stays = HISTORY.join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
    dims = (
        HISTORY.c.stage_id.label("stage_id"),
        OPP.c.product_line_id.label("product_line_id"),
        OPP.c.region_id.label("region_id"),
        OPP.c.team_id.label("team_id"),
        close_month(OPP.c.expected_close_on).label("close_month"),
    )
    exit_day = _stay_exit()
    covers = exit_day > HISTORY.c.entered_on
    events = union_all(
        select(*dims, HISTORY.c.entered_on.label("day"), literal_column("1").label("n"),
               OPP.c.amount_minor.label("a")).select_from(stays).where(covers),
        select(*dims, exit_day.label("day"), literal_column("-1").label("n"),
               (-OPP.c.amount_minor).label("a")).select_from(stays).where(covers),
    ).subquery("events")  # fmt: skip
    per_day = (
        select(*(events.c[k] for k in _GROUP), events.c.day,
               func.sum(events.c.n).label("n"), func.sum(events.c.a).label("a"))
        .group_by(*(events.c[k] for k in _GROUP), events.c.day)
        .subquery("per_day")
    )  # fmt: skip
    window = {"partition_by": [per_day.c[k] for k in _GROUP], "order_by": per_day.c.day}
    runs = select(
        *(per_day.c[k] for k in _GROUP),
        per_day.c.day,
        func.sum(per_day.c.n).over(**window).label("deals"),
        func.sum(per_day.c.a).over(**window).label("amount_minor"),
        func.lead(per_day.c.day).over(**window).label("until"),
    ).subquery("runs")
    day = days_after(runs.c.day, REACH.c.days)
    return select(day.label("day"), *(runs.c[k] for k in _GROUP), runs.c.deals,
                  runs.c.amount_minor).where(runs.c.deals != 0, day < runs.c.until)  # fmt: skip


def _reach_whole(conn: Connection) -> bool:
    """Whether ``pipeline_reach`` holds exactly the offsets 0 … ``PIPELINE_REACH_DAYS``."""
    found = conn.execute(select(REACH.c.days).order_by(REACH.c.days)).scalars().all()
    return list(found) == list(range(PIPELINE_REACH_DAYS + 1))


def wrong(conn: Connection) -> int:
    """How many rows of ``open_pipeline_day`` differ from the recomputation (rows whose
    counts are all zero, left by writes that took back what they added, equal missing
    rows), compared in the database (``EXCEPT`` both ways); every row when the reach table
    is not whole (the triggers spread stays over the wrong days)."""
    if not _reach_whole(conn):
        return max(rows(conn), 1)
    expected = select(*recomputed().subquery().c)
    stored = select(*(PIPELINE.c[c] for c in (*KEY, *VALUES))).where(
        or_(*(PIPELINE.c[v] != 0 for v in VALUES))
    )
    # Each EXCEPT on its own: SQLite allows no parenthesised compound inside another.
    return sum(
        int(conn.execute(select(func.count()).select_from(part.subquery())).scalar_one())
        for part in (stored.except_(expected), expected.except_(stored))
    )


def rows(conn: Connection) -> int:
    """The rows ``open_pipeline_day`` holds."""
    return int(conn.execute(select(func.count()).select_from(PIPELINE)).scalar_one())


def rebuild(conn: Connection) -> None:
    """Refill ``pipeline_reach`` when it is not whole and ``open_pipeline_day`` from the
    rows, in the caller's transaction."""
    if not _reach_whole(conn):
        conn.execute(delete(REACH))
        conn.execute(insert(REACH), [{"days": n} for n in range(PIPELINE_REACH_DAYS + 1)])
    conn.execute(delete(PIPELINE))
    conn.execute(insert(PIPELINE).from_select([*KEY, *VALUES], recomputed()))
