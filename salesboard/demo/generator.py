"""A deterministic, realistic demo company (regions, teams, reps, customers, a staged
pipeline with history, key actions, visits, collections and a goal tree).

Everything derives from ``seed`` and ``today``: two runs with the same pair write identical
rows. Generation is vectorised with numpy and written with bulk Core inserts in one write
transaction, so the "large" size (1,000,000 opportunities) takes minutes, on SQLite and on
PostgreSQL alike. The "xl" size (10,000,000, PostgreSQL only) is streamed: deals and their
children are generated and written chunk by chunk (``stream_tables``), so memory stays
bounded. ``generate`` replaces the business tables (everything except settings and calendar
overrides) and then re-inserts the default stages.

Each table has its own module (``organisation``, ``customers``, ``opportunities``,
``activity``, ``goal_tree``) of functions over a shared ``DemoContext``; this module runs
them in order and writes the result with ``bulk``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Table, select
from sqlmodel import Session

from salesboard.accounts.demo_accounts import DEMO_SETTING
from salesboard.calendar import store_days
from salesboard.calendar.clock import today as configured_today
from salesboard.calendar.workdays import load_calendar
from salesboard.customers.settings import keep_window
from salesboard.demo.activity import collections, visits
from salesboard.demo.assessments import add_demo_assessments
from salesboard.demo.bulk import (
    add_constraints,
    analyze,
    bulk_insert,
    clear_business_tables,
    drop_foreign_keys,
    drop_secondary_indexes,
    sync_id_sequences,
    table_of,
)
from salesboard.demo.context import NOT_YET, DemoContext
from salesboard.demo.customers import customers, finish_customers
from salesboard.demo.customers_matrix import add_demo_potentials
from salesboard.demo.events import generate_events
from salesboard.demo.forms import MAX_REPS, STREAMED_MAX_REPS, add_demo_forms
from salesboard.demo.goal_tree import goals
from salesboard.demo.improvements import add_demo_improvements
from salesboard.demo.leads import add_demo_leads
from salesboard.demo.opportunities import (
    created_days,
    finish_opportunities,
    key_actions,
    opportunities,
    stage_history,
)
from salesboard.demo.organisation import organisation
from salesboard.demo.progress import Report, Steps
from salesboard.demo.ratings import add_demo_ratings
from salesboard.demo.sizes import POSTGRES_ONLY, SIZES
from salesboard.demo.support import add_demo_support
from salesboard.store import models as m
from salesboard.store import rollups
from salesboard.store.db import write_session
from salesboard.store.reference_data import ensure_reference_data

# The row counts of ``DemoSummary``, each with the table it counts.
COUNTED_TABLES = {
    "users": "user",
    "customers": "customer",
    "opportunities": "opportunity",
    "stage_history": "stage_history",
    "key_actions": "key_action",
    "visits": "visit",
    "collections": "collection",
    "goals": "goal",
}


@dataclass(frozen=True)
class DemoSummary:
    """Row counts written by ``generate`` and how long it took (seconds)."""

    size: str
    seed: int
    today: date
    users: int
    customers: int
    opportunities: int
    stage_history: int
    key_actions: int
    visits: int
    collections: int
    goals: int
    misaligned_goal_id: int
    seconds: float

    @property
    def rows(self) -> int:
        """All rows written."""
        return sum(getattr(self, count) for count in COUNTED_TABLES)


def generate(
    engine: Engine,
    *,
    size: str = "default",
    seed: int = 42,
    today: date | None = None,
    progress: Report | None = None,
) -> DemoSummary:
    """Replace the store's business data with the demo company of ``size``
    ("small", "default", "large" or, on PostgreSQL only, "xl"), reproducible from ``seed``
    and ``today`` (default: ``SALESBOARD_TODAY``, else the real date). Runs in one write
    transaction. ``progress`` (e.g. ``progress.to_stderr``) gets one line per finished step
    (and a bar for the long counted ones)."""
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; choose one of {', '.join(SIZES)}")
    check_backend(engine, size)
    started = time.perf_counter()
    today = today or configured_today()
    steps = Steps(progress)
    spec = SIZES[size]
    with write_session(engine) as session:
        conn = session.connection()
        # The rollup triggers would upsert once per row cleared and loaded: paused, and the
        # rollups rebuilt in one grouped pass at the end of the block (same transaction).
        with rollups.triggers_paused(conn):
            with steps.step("clear the store"):
                clear_business_tables(conn)
                ensure_reference_data(session)
            stage_ids = dict(conn.execute(select(m.Stage.code, m.Stage.id)).all())
            calendar = load_calendar(session)
            # The calendar into the cleared store before the rollups are rebuilt from it.
            store_days.sync(conn, calendar)
            ctx = DemoContext(spec, seed, today, calendar, stage_ids)
            if spec.chunk is None:
                with steps.step("generate deals and activity"):
                    tables = build_tables(ctx)
                with unconstrained(conn, steps, list(tables)):
                    for table, columns in tables.items():
                        with steps.step(f"write {table.name}"):
                            bulk_insert(conn, table, columns)
                counts = {t.name: len(next(iter(c.values()))) for t, c in tables.items()}
                misaligned_id = tables[table_of(m.Goal)]["_misaligned_id"]
            else:
                counts, misaligned_id = stream_tables(conn, steps, ctx)
                with steps.step("analyze"):
                    analyze(conn, LOADED_TABLES)  # the steps below query millions of new rows
            rebuilding = time.perf_counter()
        analyze(conn, [table_of(m.DealRollup)])  # the pages below read it at once
        steps.record("deal rollups", rebuilding)
        with steps.step("pipeline events"):
            generate_events(session, today=today, seed=seed)  # pipeline history (issue 3)
        with steps.step("stage-exit ratings"):
            add_demo_ratings(conn, today, seed)  # stage-exit ratings (issue 16)
        with steps.step("opportunity assessments"):
            add_demo_assessments(conn, today, seed)  # opportunity assessments (issue 17)
        _mark_demo(session, today)
        keep_window(session, today)  # the customers' kept wins count from the matrix window
        committing = time.perf_counter()
    steps.record("commit", committing)
    if spec.chunk is None:
        with steps.step("analyze"), engine.begin() as conn:
            analyze(conn, LOADED_TABLES)  # before the steps below query the new rows
    with steps.step("feedback forms"):
        # Feedback forms of the last months (the loop); fewer reps' at a streamed size.
        add_demo_forms(engine, today, seed, MAX_REPS if spec.chunk is None else STREAMED_MAX_REPS)
    with steps.step("improvements"):
        # A pilot that worked, one that did not (issue 16); a streamed size skips the search.
        add_demo_improvements(engine, today, search=spec.chunk is None)
    with steps.step("customer potentials"):
        add_demo_potentials(engine, today)  # hand potentials, every matrix quadrant (issue 17)
    with steps.step("technical support"):
        add_demo_support(engine, today, seed)  # support staff, requests, breaches (issue 17)
    with steps.step("leads"):
        # Leads, their rules and breaches (issue 17); the large store gets a lead table to match.
        per_rep = {} if spec.leads_per_rep is None else {"per_rep": spec.leads_per_rep}
        add_demo_leads(engine, today, seed, **per_rep)
    return DemoSummary(
        size=size,
        seed=seed,
        today=today,
        **{count: counts[table] for count, table in COUNTED_TABLES.items()},
        misaligned_goal_id=misaligned_id,
        seconds=time.perf_counter() - started,
    )


def check_backend(engine: Engine, size: str) -> None:
    """Refuse (ValueError, one line naming the option) a PostgreSQL-only size elsewhere."""
    if size in POSTGRES_ONLY and engine.dialect.name != "postgresql":
        raise ValueError(
            f"demo size {size!r} is for PostgreSQL: pass --database-url postgresql+psycopg://…"
        )


# The tables ``build_tables`` and ``stream_tables`` fill, in insert order (parents first).
LOADED_TABLES = [
    table_of(model)
    for model in (
        m.Region, m.ProductLine, m.Team, m.User, m.TeamManager, m.Customer, m.Opportunity,
        m.StageHistory, m.KeyAction, m.Visit, m.Collection, m.Goal,
    )
]  # fmt: skip
# The organisation's column dicts, for the first five of ``LOADED_TABLES``.
ORG_KEYS = ("region", "product_line", "team", "user", "team_manager_rows")
# The tables written chunk by chunk in a streamed generation, and their id columns.
DEAL_TABLES = LOADED_TABLES[6:11]


@contextmanager
def unconstrained(conn: Connection, steps: Steps, tables: list[Table]) -> Iterator[None]:
    """Load ``tables`` without their secondary indexes (and, on PostgreSQL, foreign keys):
    building those once afterwards is much faster at scale than keeping them up row by row.
    Then move the id sequences past the explicit ids."""
    indexes = drop_secondary_indexes(conn, tables)
    foreign_keys = drop_foreign_keys(conn, tables)
    yield
    with steps.counted("index the tables", len(indexes)) as advance:
        for index in indexes:
            index.create(conn)
            advance(1)
    if foreign_keys:
        with steps.counted("check the foreign keys", len(foreign_keys)) as advance:
            for constraint in foreign_keys:
                add_constraints(conn, [constraint])
                advance(1)
    sync_id_sequences(conn)


def stream_tables(conn: Connection, steps: Steps, ctx: DemoContext) -> tuple[dict[str, int], int]:
    """Generate and write the demo tables with deals ``ctx.spec.chunk`` at a time; returns
    the row count per table and the misaligned goal's id. Only per-customer and won-deal
    arrays outlive a chunk: customers' first deal and the goals' actual sales come from
    them once every deal is written."""
    with steps.step("generate the organisation"):
        org = organisation(ctx)
        customer_rows = customers(ctx, org)
    counts = dict.fromkeys((t.name for t in LOADED_TABLES), 0)

    def write(table: Table, columns: dict[str, Any]) -> None:
        bulk_insert(conn, table, columns)
        counts[table.name] += len(next(iter(columns.values())))

    with unconstrained(conn, steps, LOADED_TABLES):
        for table, key in zip(LOADED_TABLES, ORG_KEYS, strict=False):
            write(table, org[key])
        deals = DealStream(ctx, org, customer_rows)
        with steps.counted("generate and write the deals", ctx.spec.opportunities) as advance:
            for tables in deals.chunks():
                for table, columns in tables.items():
                    write(table, columns)
                advance(len(tables[DEAL_TABLES[0]]["id"]))
        with steps.step("write customers and goals"):
            finish_customers(ctx, customer_rows, deals.first_deals())
            write(table_of(m.Customer), customer_rows["table"])
            goal_rows = goals(ctx, org, deals.won_deals())
            write(table_of(m.Goal), goal_rows)
    return counts, goal_rows["_misaligned_id"]


class DealStream:
    """The deals of a streamed generation, chunk by chunk in creation order, with what the
    customers and the goals need from all of them kept as it goes."""

    def __init__(self, ctx: DemoContext, org: dict[str, Any], customer_rows: dict[str, Any]):
        self.ctx, self.org, self.customers = ctx, org, customer_rows
        # Drawn once for all deals, so ids and codes follow the creation date throughout.
        self.created = created_days(ctx, ctx.rng(4), ctx.spec.opportunities)
        self.months = ctx.dates(self.created).astype("datetime64[M]")
        self.slow_payer = ctx.rng(8).random(customer_rows["n"]) < 0.06
        self.first = np.full(customer_rows["n"], NOT_YET, dtype=np.int64)
        self.won: dict[str, list[np.ndarray]] = {k: [] for k in WON_KEYS}

    def chunks(self) -> Iterator[dict[Table, dict[str, Any]]]:
        """Each chunk's opportunity, stage history, key action, visit and collection
        columns, ids continuing from the chunk before."""
        ctx, size = self.ctx, self.ctx.spec.chunk or self.ctx.spec.opportunities
        ids = dict.fromkeys(DEAL_TABLES, 0)  # rows written so far per table
        for k, start in enumerate(range(0, len(self.created), size)):
            part = ctx.chunk(k)
            created = self.created[start : start + size]
            opps = opportunities(part, self.org, self.customers, created, (start, self.months))
            history = stage_history(part, opps)
            actions = key_actions(part, opps)
            visit_rows = visits(part, opps, self.customers, self.org)
            finish_opportunities(part, opps, actions, visit_rows)
            collection_rows = collections(part, opps, self.slow_payer)
            self._keep(opps, start)
            tables = dict(
                zip(DEAL_TABLES, (opps["table"], history, actions["table"], visit_rows,
                                  collection_rows), strict=True)
            )  # fmt: skip
            for table, columns in tables.items():
                columns["id"] = columns["id"] + ids[table]
                ids[table] += len(columns["id"])
                if table is not DEAL_TABLES[0]:
                    columns["opportunity_id"] = _shifted(columns["opportunity_id"], start)
            yield tables

    def _keep(self, opps: dict[str, Any], start: int) -> None:
        np.minimum.at(self.first, opps["customer"], opps["created"])
        won = np.flatnonzero(opps["status"] == 1)
        self.won["rep"].append(opps["rep"][won])
        self.won["pl"].append(opps["pl"][won])
        self.won["amount"].append(opps["amount"][won])
        self.won["customer"].append(opps["customer"][won])
        self.won["signed"].append(opps["enter"][won, 5])

    def first_deals(self) -> dict[str, Any]:
        """The deal arrays ``finish_customers`` reads: each customer's first creation day."""
        return {"customer": np.arange(len(self.first)), "created": self.first}

    def won_deals(self) -> dict[str, Any]:
        """The deal arrays ``goals`` reads, for the won deals only (in id order)."""
        won = {k: np.concatenate(v) for k, v in self.won.items()}
        enter = np.zeros((len(won["signed"]), 6), dtype=np.int64)
        enter[:, 5] = won.pop("signed")
        return {**won, "enter": enter, "status": np.ones(len(enter), dtype=np.int64)}


WON_KEYS = ("rep", "pl", "amount", "customer", "signed")


def _shifted(opportunity_ids: np.ndarray, offset: int) -> np.ndarray:
    """A chunk's opportunity ids moved by ``offset`` (None, a visit without a deal, stays)."""
    if opportunity_ids.dtype != object:
        return opportunity_ids + offset
    present = opportunity_ids != None  # noqa: E711 (elementwise)
    shifted = opportunity_ids.copy()
    shifted[present] = opportunity_ids[present].astype(np.int64) + offset
    return shifted


def build_tables(ctx: DemoContext) -> dict[Table, dict[str, Any]]:
    """Every demo table as column arrays, in insert order (parents before children)."""
    org = organisation(ctx)
    customer_rows = customers(ctx, org)
    opps = opportunities(ctx, org, customer_rows)
    history = stage_history(ctx, opps)
    actions = key_actions(ctx, opps)
    visit_rows = visits(ctx, opps, customer_rows, org)
    finish_opportunities(ctx, opps, actions, visit_rows)
    collection_rows = collections(ctx, opps)
    finish_customers(ctx, customer_rows, opps)
    goal_rows = goals(ctx, org, opps)
    return {
        table_of(m.Region): org["region"],
        table_of(m.ProductLine): org["product_line"],
        table_of(m.Team): org["team"],
        table_of(m.User): org["user"],
        table_of(m.TeamManager): org["team_manager_rows"],
        table_of(m.Customer): customer_rows["table"],
        table_of(m.Opportunity): opps["table"],
        table_of(m.StageHistory): history,
        table_of(m.KeyAction): actions["table"],
        table_of(m.Visit): visit_rows,
        table_of(m.Collection): collection_rows,
        table_of(m.Goal): goal_rows,
    }


def _mark_demo(session: Session, today: date) -> None:
    """Record that the store holds the demo (the sign-in page then lists demo accounts)."""
    row = session.get(m.AppSetting, DEMO_SETTING) or m.AppSetting(key=DEMO_SETTING)
    row.value = json.dumps({"today": today.isoformat()})
    session.add(row)
