"""What ``key_action_rollup`` (``store.models.rollups.KeyActionRollup``) should hold,
recomputed from the key actions; counting the rows that differ from it and refilling it.
``store.rollups`` calls these from ``check`` and ``rebuild`` (and so from every paused bulk
load); the triggers of migration 0034 keep the table in step on writes."""

from __future__ import annotations

from sqlalchemy import Connection, and_, func, select

from salesboard.store.aggregate_tables import differing_rows, refill
from salesboard.store.queries import sum_if
from salesboard.store.tables import ACTION, ACTION_ROLLUP

KEY = ("planned_on", "stage_id", "owner_id", "deal_owner_id", "deal_team_id")
VALUES = ("actions", "done", "on_time")


def recomputed():
    """A SELECT of what ``key_action_rollup`` should hold (columns ``KEY`` + ``VALUES``):
    the actions per key, those done, those done by their planned day; the copies of the
    deal's owner and team 0 when missing."""
    key = (
        ACTION.c.planned_on,
        ACTION.c.stage_id,
        ACTION.c.owner_id,
        func.coalesce(ACTION.c.deal_owner_id, 0),
        func.coalesce(ACTION.c.deal_team_id, 0),
    )
    done = ACTION.c.done_on.is_not(None)
    on_time = and_(done, ACTION.c.done_on <= ACTION.c.planned_on)
    return select(
        *(column.label(name) for column, name in zip(key, KEY, strict=True)),
        func.count().label("actions"),
        sum_if(done).label("done"),
        sum_if(on_time).label("on_time"),
    ).group_by(*key)


def wrong(conn: Connection) -> int:
    """How many rows of ``key_action_rollup`` differ from the recomputation."""
    return differing_rows(conn, ACTION_ROLLUP, KEY, VALUES, recomputed())


def rebuild(conn: Connection) -> None:
    """Refill ``key_action_rollup`` from the key actions, in the caller's transaction."""
    refill(conn, ACTION_ROLLUP, KEY, VALUES, recomputed())
