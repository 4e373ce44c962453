"""The per-day deal rollups (``deal_rollup``, see ``store.models.rollups``) and each deal's
next undone key action (``opportunity.next_action_on``): what they should hold, recomputed
from the rows; comparing that with what is stored (``check``) and refilling it
(``rebuild``); and pausing the triggers that keep them in step for a bulk load
(``triggers_paused``), which then rebuilds them once instead of row by row.

The triggers themselves are part of the schema (migrations 0022 and 0025): every write to
``opportunity`` and ``stage_history`` updates the rollup, and every write to ``key_action``
(or a deal's stage) its deal's next action, inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import (
    Connection,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    text,
    union_all,
    update,
)

from salesboard.store.models import OpportunityStatus, RollupKind
from salesboard.store.tables import ACTION, HISTORY, OPP, ROLLUP

KEY = ("kind", "day", "stage_id", "product_line_id", "region_id", "team_id", "owner_id")
VALUES = ("deals", "amount_minor")
TRIGGERS = (
    ("deal_rollup_deal_insert", "opportunity"),
    ("deal_rollup_deal_delete", "opportunity"),
    ("deal_rollup_deal_update", "opportunity"),
    ("deal_rollup_deal_stays", "opportunity"),
    ("deal_rollup_stay_insert", "stage_history"),
    ("deal_rollup_stay_delete", "stage_history"),
    ("deal_rollup_stay_update", "stage_history"),
    ("next_action_action_insert", "key_action"),
    ("next_action_action_delete", "key_action"),
    ("next_action_action_update", "key_action"),
    ("next_action_deal_stage", "opportunity"),
    ("next_action_deal_insert", "opportunity"),
)
WATCHED_TABLES = frozenset(table for _, table in TRIGGERS)
SHOWN_DEALS = 20  # deals with a wrong next action that ``check`` returns
_PAUSED = "salesboard.rollup_triggers_paused"  # connection info flag: nested pauses are one
_DIMS = (OPP.c.product_line_id, OPP.c.region_id, OPP.c.team_id, OPP.c.owner_id)


def _events(kind: RollupKind, day, stage, source, *conditions):
    """One kind's rows: deals (or stays) and amount grouped by day, stage (None: stage 0)
    and dimensions."""
    # Constants as SQL text, not bound parameters: PostgreSQL cannot type a parameter in a
    # UNION, and a constant must not be grouped by (``GROUP BY 0`` names a column).
    constant = f"'{kind.value}'"
    return (
        select(
            literal_column(constant).label("kind"),
            day.label("day"),
            (literal_column("0") if stage is None else stage).label("stage_id"),
            *_DIMS,
            func.count().label("deals"),
            func.sum(OPP.c.amount_minor).label("amount_minor"),
        )  # fmt: skip
        .select_from(source)
        .where(*conditions)
        .group_by(day, *([] if stage is None else [stage]), *_DIMS)
    )


def recomputed():
    """A SELECT of what ``deal_rollup`` should hold, from the deal and stage-history rows
    (columns ``KEY`` + ``VALUES``; no row for an empty group)."""
    stays = HISTORY.join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
    lost_stage = func.coalesce(OPP.c.lost_stage_id, 0)
    return union_all(
        _events(RollupKind.CREATED, OPP.c.created_on, None, OPP),
        _events(RollupKind.WON, OPP.c.won_on, None, OPP,
                OPP.c.status == OpportunityStatus.WON, OPP.c.won_on.is_not(None)),
        _events(RollupKind.LOST, OPP.c.lost_on, lost_stage, OPP,
                OPP.c.status == OpportunityStatus.LOST, OPP.c.lost_on.is_not(None)),
        _events(RollupKind.ENTERED, HISTORY.c.entered_on, HISTORY.c.stage_id, stays),
        _events(RollupKind.LEFT, HISTORY.c.left_on, HISTORY.c.stage_id, stays,
                HISTORY.c.left_on.is_not(None)),
    )  # fmt: skip


def next_action():
    """The earliest planned day among the key actions of each deal's current stage that are
    not done (NULL: none), correlated to ``opportunity``: what ``next_action_on`` holds."""
    return (
        select(func.min(ACTION.c.planned_on))
        .where(
            ACTION.c.opportunity_id == OPP.c.id,
            ACTION.c.stage_id == OPP.c.current_stage_id,
            ACTION.c.done_on.is_(None),
        )
        .scalar_subquery()
    )


def _next_action_wrong():
    return OPP.c.next_action_on.is_distinct_from(next_action())


def rebuild(conn: Connection) -> int:
    """Refill ``deal_rollup`` and correct every deal's ``next_action_on`` from the rows in
    the caller's transaction; returns the rollup rows written."""
    conn.execute(delete(ROLLUP))
    statement = recomputed().subquery()
    conn.execute(insert(ROLLUP).from_select([*KEY, *VALUES], select(statement)))
    conn.execute(update(OPP).where(_next_action_wrong()).values(next_action_on=next_action()))
    return int(conn.execute(select(func.count()).select_from(ROLLUP)).scalar_one())


@dataclass
class RollupCheck:
    """The outcome of ``check``: the rows stored and those that differ (``differences``:
    ``KEY``, ``stored_deals``, ``stored_amount_minor``, ``expected_deals``,
    ``expected_amount_minor``)."""

    rows: int
    differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Deals whose ``next_action_on`` differs: ``code``, ``stored``, ``expected`` (the first
    # ``SHOWN_DEALS``) and how many in all.
    next_actions: pd.DataFrame = field(default_factory=pd.DataFrame)
    next_actions_wrong: int = 0

    @property
    def ok(self) -> bool:
        """True when the table and every deal's next action equal the recomputation."""
        return self.differences.empty and not self.next_actions_wrong


def _frame(conn: Connection, query, values: tuple[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(conn.execute(query).all(), columns=[*KEY, *values])
    frame["day"] = frame["day"].astype(str)  # date objects or ISO text: one form to compare
    return frame.astype(dict.fromkeys((*KEY[2:], *values), "int64"))


def check(conn: Connection) -> RollupCheck:
    """Compare ``deal_rollup`` with a recomputation from the rows, in one snapshot (run it
    in a read transaction: on PostgreSQL repeatable read, so writes landing meanwhile
    cannot show as differences). Rows whose counts are all zero (left by writes that took
    back what they added) equal missing rows. The comparison runs in the database (``EXCEPT``
    both ways): only differing rows come back."""
    expected = recomputed().subquery()
    stored = select(*(ROLLUP.c[c] for c in (*KEY, *VALUES))).where(
        or_(ROLLUP.c.deals != 0, ROLLUP.c.amount_minor != 0)
    )
    everything = select(*expected.c)
    stored_names = tuple(f"stored_{v}" for v in VALUES)
    expected_names = tuple(f"expected_{v}" for v in VALUES)
    extra = _frame(conn, stored.except_(everything), stored_names)
    missing = _frame(conn, everything.except_(stored), expected_names)
    both = extra.merge(missing, on=list(KEY), how="outer")
    counts = [*stored_names, *expected_names]
    both[counts] = both[counts].fillna(0).astype("int64")
    rows = conn.execute(select(func.count()).select_from(stored.subquery())).scalar_one()
    # One pass over the deals: the first wrong ones and, beside each, how many in all.
    wrong = select(OPP.c.code, OPP.c.next_action_on.label("stored"),
                   next_action().label("expected"), func.count().over().label("wrong"))  # fmt: skip
    found = conn.execute(
        wrong.where(_next_action_wrong()).order_by(OPP.c.id).limit(SHOWN_DEALS)
    ).all()
    deals = pd.DataFrame([r[:3] for r in found], columns=["code", "stored", "expected"])
    count = int(found[0][3]) if found else 0
    return RollupCheck(int(rows), both.sort_values(list(KEY), ignore_index=True), deals, count)


@contextmanager
def triggers_paused(conn: Connection) -> Iterator[None]:
    """Within the caller's transaction: the rollup triggers off while the block writes (a
    bulk load: one grouped rebuild instead of an upsert per row), then back on and the
    rollup rebuilt. A pause inside another on the same connection leaves both to the outer
    one. If the block raises, the transaction must be rolled back (DDL is transactional on
    both backends: the triggers come back with the rollback)."""
    if conn.info.get(_PAUSED):
        yield
        return
    conn.info[_PAUSED] = True
    try:
        if conn.dialect.name == "sqlite":
            definitions = conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                    f"({', '.join(repr(n) for n, _ in TRIGGERS)})"
                )  # fmt: skip
            ).all()
            for name, _sql in definitions:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
            yield
            for _name, sql in definitions:
                conn.exec_driver_sql(sql)
        else:
            for name, table in TRIGGERS:
                conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
            yield
            for name, table in TRIGGERS:
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
    finally:
        conn.info.pop(_PAUSED, None)
    rebuild(conn)


def trigger_names(conn: Connection) -> set[str]:
    """The rollup triggers the store has (all of ``TRIGGERS`` when it is whole)."""
    if conn.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
    return {r[0] for r in conn.exec_driver_sql(query)} & {n for n, _ in TRIGGERS}
