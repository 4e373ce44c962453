"""A deterministic, realistic demo company (regions, teams, reps, customers, a staged
pipeline with history, key actions, visits, collections and a goal tree).

Everything derives from ``seed`` and ``today``: two runs with the same pair write identical
rows. Generation is vectorised with numpy and written with bulk Core inserts in one write
transaction, so the "large" size (1,000,000 opportunities) takes minutes, on SQLite and on
PostgreSQL alike. ``generate`` replaces the business tables (everything except settings and
calendar overrides) and then re-inserts the default stages.

Each table has its own module (``organisation``, ``customers``, ``opportunities``,
``activity``, ``goal_tree``) of functions over a shared ``DemoContext``; this module runs
them in order and writes the result with ``bulk``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, Table, select
from sqlmodel import Session

from salesboard.accounts.demo_accounts import DEMO_SETTING
from salesboard.calendar.clock import today as configured_today
from salesboard.calendar.workdays import load_calendar
from salesboard.demo.activity import collections, visits
from salesboard.demo.assessments import add_demo_assessments
from salesboard.demo.bulk import (
    bulk_insert,
    clear_business_tables,
    drop_secondary_indexes,
    sync_id_sequences,
    table_of,
)
from salesboard.demo.context import DemoContext
from salesboard.demo.customers import customers, finish_customers
from salesboard.demo.customers_matrix import add_demo_potentials
from salesboard.demo.events import generate_events
from salesboard.demo.forms import add_demo_forms
from salesboard.demo.goal_tree import goals
from salesboard.demo.improvements import add_demo_improvements
from salesboard.demo.leads import add_demo_leads
from salesboard.demo.opportunities import (
    finish_opportunities,
    key_actions,
    opportunities,
    stage_history,
)
from salesboard.demo.organisation import organisation
from salesboard.demo.progress import Report, Steps
from salesboard.demo.ratings import add_demo_ratings
from salesboard.demo.sizes import SIZES
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
    ("small", "default" or "large"), reproducible from ``seed`` and ``today``
    (default: ``SALESBOARD_TODAY``, else the real date). Runs in one write transaction.
    ``progress`` (e.g. ``progress.to_stderr``) gets one line per finished step."""
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}; choose one of {', '.join(SIZES)}")
    started = time.perf_counter()
    today = today or configured_today()
    steps = Steps(progress)
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
            with steps.step("generate deals and activity"):
                tables = build_tables(DemoContext(SIZES[size], seed, today, calendar, stage_ids))
            # Loading into index-free tables and indexing afterwards is much faster at scale.
            indexes = drop_secondary_indexes(conn, list(tables))
            for table, columns in tables.items():
                with steps.step(f"write {table.name}"):
                    bulk_insert(conn, table, columns)
            with steps.step("index the tables"):
                for index in indexes:
                    index.create(conn)
                sync_id_sequences(conn)
            rebuilding = time.perf_counter()
        steps.record("deal rollups", rebuilding)
        with steps.step("pipeline events"):
            generate_events(session, today=today, seed=seed)  # pipeline history (issue 3)
        with steps.step("stage-exit ratings"):
            add_demo_ratings(conn, today, seed)  # stage-exit ratings (issue 16)
        with steps.step("opportunity assessments"):
            add_demo_assessments(conn, today, seed)  # opportunity assessments (issue 17)
        _mark_demo(session, today)
        committing = time.perf_counter()
    steps.record("commit", committing)
    with steps.step("feedback forms and improvements"):
        add_demo_forms(engine, today, seed)  # feedback forms of the last months (the loop)
        add_demo_improvements(engine, today)  # a pilot that worked, one that did not (issue 16)
    with steps.step("customer potentials"):
        add_demo_potentials(engine, today)  # hand potentials, every matrix quadrant (issue 17)
    with steps.step("technical support"):
        add_demo_support(engine, today, seed)  # support staff, requests, breaches (issue 17)
    with steps.step("leads"):
        # Leads, their rules and breaches (issue 17); the large store gets a lead table to match.
        add_demo_leads(engine, today, seed, **({"per_rep": 1000} if size == "large" else {}))
    counts = {t.name: len(next(iter(c.values()))) for t, c in tables.items()}
    return DemoSummary(
        size=size,
        seed=seed,
        today=today,
        **{count: counts[table] for count, table in COUNTED_TABLES.items()},
        misaligned_goal_id=tables[table_of(m.Goal)]["_misaligned_id"],
        seconds=time.perf_counter() - started,
    )


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
