"""The per-day deal rollups (``deal_rollup``, see ``store.models.rollups``) and each deal's
next undone key action (``opportunity.next_action_on``): what they should hold, recomputed
from the rows; comparing that with what is stored (``check``) and refilling it
(``rebuild``); and pausing the triggers that keep them in step for a bulk load
(``triggers_paused``), which then rebuilds them once instead of row by row.

The triggers themselves are part of the schema (migrations 0022 and 0025): every write to
``opportunity`` and ``stage_history`` updates the rollup, and every write to ``key_action``
(or a deal's stage) its deal's next action, inside its own transaction. ``check``,
``rebuild`` and the pause cover the copies of ``store.deal_copies`` too (0028, 0029, 0031)
the open pipeline over time of ``store.open_pipeline`` (0032) and the key actions per
planned day of ``store.action_rollup`` (0034) and each customer's open pipeline and wins
since the kept day of ``store.customer_totals`` (0035) and the deals per created day by the
stages they entered of ``store.cohort_rollup`` (0036) and each team's deals per customer of
``store.team_customers`` (0037).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import (
    Connection,
    case,
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

from salesboard.store import (
    action_rollup,
    cohort_rollup,
    customer_totals,
    deal_copies,
    open_pipeline,
    team_customers,
)
from salesboard.store.models import OpportunityStatus, RollupKind
from salesboard.store.tables import ACTION, HISTORY, OPP, ROLLUP, STAGE, WORKDAY

KEY = ("kind", "day", "stage_id", "product_line_id", "region_id", "team_id", "owner_id")
VALUES = ("deals", "amount_minor", "worked_days")
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
    ("deal_owner_collection_insert", "collection"),
    ("deal_owner_collection_update", "collection"),
    ("deal_owner_deal_rating_insert", "deal_rating"),
    ("deal_owner_deal_rating_update", "deal_rating"),
    ("deal_owner_deal_update", "opportunity"),
    ("deal_owner_key_action_insert", "key_action"),
    ("deal_owner_key_action_update", "key_action"),
    ("deal_owner_deal_actions", "opportunity"),
    ("first_win_deal_insert", "opportunity"),
    ("first_win_deal_update", "opportunity"),
    ("first_win_deal_delete", "opportunity"),
    ("open_pipeline_deal_insert", "opportunity"),
    ("open_pipeline_deal_delete", "opportunity"),
    ("open_pipeline_deal_update", "opportunity"),
    ("open_pipeline_stay_insert", "stage_history"),
    ("open_pipeline_stay_delete", "stage_history"),
    ("open_pipeline_stay_update", "stage_history"),
    ("key_action_rollup_insert", "key_action"),
    ("key_action_rollup_delete", "key_action"),
    ("key_action_rollup_update", "key_action"),
    ("customer_value_deal_insert", "opportunity"),
    ("customer_value_deal_delete", "opportunity"),
    ("customer_value_deal_update", "opportunity"),
    ("cohort_rollup_deal_insert", "opportunity"),
    ("cohort_rollup_deal_delete", "opportunity"),
    ("cohort_rollup_deal_update", "opportunity"),
    ("cohort_rollup_stay_insert", "stage_history"),
    ("cohort_rollup_stay_delete", "stage_history"),
    ("cohort_rollup_stay_update", "stage_history"),
    ("team_customer_deal_insert", "opportunity"),
    ("team_customer_deal_delete", "opportunity"),
    ("team_customer_deal_update", "opportunity"),
)
WATCHED_TABLES = frozenset(table for _, table in TRIGGERS)
SHOWN_DEALS = 20  # deals with a wrong next action that ``check`` returns
_PAUSED = "salesboard.rollup_triggers_paused"  # connection info flag: nested pauses are one
_DIMS = (OPP.c.product_line_id, OPP.c.region_id, OPP.c.team_id, OPP.c.owner_id)


def _events(kind: RollupKind, day, stage, source, *conditions, worked=None):
    """One kind's rows: deals (or stays), amount and (``worked``: a per-row expression) the
    working days summed, grouped by day, stage (None: stage 0) and dimensions."""
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
            (literal_column("0") if worked is None else func.sum(worked)).label("worked_days"),
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
        _left_rows(),
    )  # fmt: skip


def _left_rows(*conditions):
    """The ``left`` rows (stays that ended, with their working days through ``workday``)
    of the stays meeting ``conditions``."""
    stays = HISTORY.join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
    on_entry, on_leaving = WORKDAY.alias("on_entry"), WORKDAY.alias("on_leaving")
    stays = stays.outerjoin(on_entry, on_entry.c.day == HISTORY.c.entered_on).outerjoin(
        on_leaving, on_leaving.c.day == HISTORY.c.left_on
    )
    return _events(RollupKind.LEFT, HISTORY.c.left_on, HISTORY.c.stage_id, stays,
                   HISTORY.c.left_on.is_not(None), *conditions,
                   worked=worked_days(on_entry, on_leaving))  # fmt: skip


def worked_days(on_entry, on_leaving):
    """A stay's working days from the ``workday`` rows of the day it began (``on_entry``)
    and ended (``on_leaving``), as the triggers count them (0 for a stay that ended the day
    it began, or with a day missing from the table)."""
    return case(
        (HISTORY.c.left_on > HISTORY.c.entered_on,
         func.coalesce(on_leaving.c.number - on_entry.c.number, 0)),
        else_=0,
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
    """Refill ``deal_rollup``, ``open_pipeline``, ``key_action_rollup``, ``cohort_rollup`` and
    ``team_customer``, recompute every
    customer's open pipeline and wins since the kept day (``store.customer_totals``), correct
    every deal's
    ``next_action_on``, every copy of a deal's owner and team and every customer's first win
    (``store.deal_copies``) from the rows in the caller's transaction; returns the rollup
    rows written."""
    conn.execute(delete(ROLLUP))
    statement = recomputed().subquery()
    conn.execute(insert(ROLLUP).from_select([*KEY, *VALUES], select(statement)))
    conn.execute(update(OPP).where(_next_action_wrong()).values(next_action_on=next_action()))
    deal_copies.correct(conn)
    open_pipeline.rebuild(conn)
    action_rollup.rebuild(conn)
    customer_totals.rebuild(conn)
    cohort_rollup.rebuild(conn)
    team_customers.rebuild(conn)
    return int(conn.execute(select(func.count()).select_from(ROLLUP)).scalar_one())


# The days ``workday`` covers: any stay with a day outside is counted 0 working days by the
# triggers, so readers check the stays' dates lie within (``stays_within_span``).
WORKDAY_SPAN = (date(1990, 1, 1), date(2099, 12, 31))


def stored_working_days(conn: Connection, first: date, last: date) -> pd.DataFrame:
    """``workday``'s rows from ``first`` to ``last``: ``day`` (ISO text) and ``working``."""
    rows = conn.execute(
        select(WORKDAY.c.day, WORKDAY.c.working)
        .where(WORKDAY.c.day.between(first, last))
        .order_by(WORKDAY.c.day)
    ).all()
    frame = pd.DataFrame(rows, columns=["day", "working"])
    return frame.assign(day=frame["day"].astype(str), working=frame["working"].astype(bool))


def write_workdays(conn: Connection, working: Sequence[bool]) -> date | None:
    """Make ``workday`` hold ``working`` (one flag per day of ``WORKDAY_SPAN``, in order)
    with the running numbers, and recompute the ``left`` rollup rows of the stays whose
    working days that can change (those that ended on or after the first day that changed),
    in the caller's transaction. Returns that first day, or None when nothing changed."""
    start, end = WORKDAY_SPAN
    days = pd.date_range(start, end, freq="D")
    flags = pd.Series(list(working), dtype=bool)
    if len(flags) != len(days):
        raise ValueError(f"{len(flags)} flags for the {len(days)} days of the span")
    stored = stored_working_days(conn, start, end)
    wanted = pd.DataFrame({"day": days.strftime("%Y-%m-%d"), "working": flags})
    merged = wanted.merge(stored, on="day", how="left", suffixes=("", "_stored"))
    differs = (
        merged["working_stored"].isna() | (merged["working"] != merged["working_stored"])
    ).to_numpy()
    if not differs.any():
        return None
    if conn.dialect.name == "postgresql":
        # Writers' triggers wait until this commits, and this waits for those already
        # writing: the recomputation below (each statement a fresh snapshot under READ
        # COMMITTED) sees every committed stay, and no stay written meanwhile is lost or
        # counted twice. Readers are not blocked. SQLite has one writer at a time.
        conn.exec_driver_sql("LOCK TABLE deal_rollup IN SHARE ROW EXCLUSIVE MODE")
    index = int(differs.argmax())
    first = days[index].date()
    # The working days after the span's first day up to each day (as ``day_numbers``).
    numbers = flags.cumsum() - int(flags.iloc[0])
    conn.execute(delete(WORKDAY).where(WORKDAY.c.day >= first))
    rows = [{"day": d.date(), "working": bool(w), "number": int(n)}
            for d, w, n in zip(days[index:], flags[index:], numbers[index:], strict=True)]  # fmt: skip
    for chunk in range(0, len(rows), 5000):
        conn.execute(insert(WORKDAY), rows[chunk : chunk + 5000])
    left = ROLLUP.c.kind == RollupKind.LEFT.value
    conn.execute(delete(ROLLUP).where(left, ROLLUP.c.day >= first))
    redone = _left_rows(HISTORY.c.left_on >= first).subquery()
    conn.execute(insert(ROLLUP).from_select([*KEY, *VALUES], select(redone)))
    return first


def stays_within_span(conn: Connection) -> tuple[bool, date | None]:
    """Whether every stay began and ended within ``WORKDAY_SPAN``, and the earliest day of
    any stay (None: no stay). Each stage's earliest and latest days: index seeks."""
    start, end = WORKDAY_SPAN
    stage_ids = conn.execute(select(STAGE.c.id)).scalars().all()
    if not stage_ids:
        return True, None

    # One aggregate per subquery: SQLite answers a lone min() or max() with one index seek,
    # both in one SELECT by reading the stage's whole range (0.67 s at 1M deals).
    def seek(aggregate, column, stage_id):
        return select(aggregate(column)).where(HISTORY.c.stage_id == stage_id).scalar_subquery()

    firsts = [seek(func.min, HISTORY.c.entered_on, s) for s in stage_ids]
    lasts = [
        seek(func.max, c, s) for s in stage_ids for c in (HISTORY.c.entered_on, HISTORY.c.left_on)
    ]
    found = conn.execute(select(*firsts, *lasts)).one()
    as_days = [date.fromisoformat(str(d)[:10]) if d is not None else None for d in found]
    low = min((d for d in as_days[: len(firsts)] if d is not None), default=None)
    high = max((d for d in as_days[len(firsts) :] if d is not None), default=None)
    return all(d is None or start <= d <= end for d in (low, high)), low


@dataclass
class RollupCheck:
    """The outcome of ``check``: the rows stored and those that differ (``differences``:
    ``KEY``, then ``stored_`` and ``expected_`` of each of ``VALUES``)."""

    rows: int
    differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Deals whose ``next_action_on`` differs: ``code``, ``stored``, ``expected`` (the first
    # ``SHOWN_DEALS``) and how many in all.
    next_actions: pd.DataFrame = field(default_factory=pd.DataFrame)
    next_actions_wrong: int = 0
    # Instalments, ratings and key actions whose copy of their deal's owner or team differs,
    # and customers whose stored first won deal differs (``store.deal_copies``).
    copies_wrong: int = 0
    first_wins_wrong: int = 0
    # Rows of ``open_pipeline`` that differ from the recomputation (``store.open_pipeline``).
    pipeline_wrong: int = 0
    # Rows of ``key_action_rollup`` that differ from the recomputation (``store.action_rollup``).
    actions_wrong: int = 0
    # Customers whose open pipeline or wins since the kept day differ (``store.customer_totals``).
    customer_totals_wrong: int = 0
    # Rows of ``cohort_rollup`` that differ from the recomputation (``store.cohort_rollup``).
    cohorts_wrong: int = 0
    # Rows of ``team_customer`` that differ from the recomputation (``store.team_customers``).
    team_customers_wrong: int = 0

    @property
    def ok(self) -> bool:
        """True when the table, every deal's next action, every copy of a deal's owner and
        team, every customer's first win, open pipeline and wins since the kept day, the open
        pipeline over time, the key actions per planned day, the deals per created day by the
        stages they entered and each team's deals per customer equal the recomputation."""
        return (
            self.differences.empty
            and not self.next_actions_wrong
            and not self.copies_wrong
            and not self.first_wins_wrong
            and not self.pipeline_wrong
            and not self.actions_wrong
            and not self.customer_totals_wrong
            and not self.cohorts_wrong
            and not self.team_customers_wrong
        )


def _frame(conn: Connection, query, values: tuple[str, ...]) -> pd.DataFrame:
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
        or_(*(ROLLUP.c[v] != 0 for v in VALUES))
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
    copies, first_wins = deal_copies.wrong(conn)
    return RollupCheck(int(rows), both.sort_values(list(KEY), ignore_index=True), deals, count,
                       copies, first_wins, open_pipeline.wrong(conn),
                       action_rollup.wrong(conn), customer_totals.wrong(conn),
                       cohort_rollup.wrong(conn), team_customers.wrong(conn))  # fmt: skip


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
