"""``python -m salesboard rollups --check | --rebuild | --advance``: compare the per-day
deal rollups and each deal's next key action date with a recomputation from the rows (exit
status 1 and the first differences when they differ), or refill them. The database
triggers keep them in step on every write; these are for an audit, and for a store whose
triggers were dropped by hand. ``--advance`` moves the day the customers' kept wins count
from (``store.customer_totals``) to today's matrix window: run it daily."""

from __future__ import annotations

import argparse
import time

from sqlmodel import Session

from salesboard.calendar import clock, store_days
from salesboard.calendar.workdays import load_calendar, sync_store_calendar
from salesboard.cli.common import engine_for
from salesboard.customers.settings import keep_window
from salesboard.store import rollups
from salesboard.store.db import write_session

SHOWN = 20  # differences printed; the count says how many there are


def cmd_rollups(args: argparse.Namespace) -> int:
    """Check or rebuild; returns the exit status."""
    engine = engine_for(args)
    started = time.perf_counter()
    if args.advance:
        with write_session(engine) as session:
            since = keep_window(session, clock.today())
        print(f"customers' wins kept from {since.isoformat()} "
              f"({time.perf_counter() - started:.1f} s)")  # fmt: skip
        return 0
    if args.rebuild:
        sync_store_calendar(engine)
        with engine.begin() as conn:
            rows = rollups.rebuild(conn)
            with Session(bind=conn) as session:
                since = keep_window(session, clock.today())
        print(f"rollups rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s; "
              f"customers' wins kept from {since.isoformat()}")  # fmt: skip
        return 0
    # One snapshot for the table and the recomputation: writes landing meanwhile cannot
    # show as differences (PostgreSQL: repeatable read; SQLite: one read transaction).
    options = {} if engine.dialect.name == "sqlite" else {"isolation_level": "REPEATABLE READ"}
    with engine.connect().execution_options(**options) as conn, conn.begin():
        result = rollups.check(conn)
        watching = rollups.trigger_names(conn)
        with Session(bind=conn) as session:
            calendar = load_calendar(session)
        calendar_ok = store_days.in_step(conn, calendar, rollups.WORKDAY_SPAN[1])
    seconds = time.perf_counter() - started
    missing = sorted({name for name, _ in rollups.TRIGGERS} - watching)
    if missing:
        print(f"triggers missing or disabled: {', '.join(missing)} — writes are not followed")
    if not calendar_ok:
        print("the working-day calendar in the store differs from the configured one (stage "
              "time is read from every stay meanwhile); `rollups --rebuild` writes it")  # fmt: skip
    if result.ok:
        print(f"rollups in step: {result.rows:,} rows equal the recomputation, and every "
              f"deal's next key action, copy of its owner, customer's first win, the "
              f"open pipeline, the key actions per planned day, every customer's open "
              f"pipeline and kept wins, the cohorts by stages entered and each team's deals "
              f"per customer ({seconds:.1f} s)")  # fmt: skip
        return 1 if missing or not calendar_ok else 0
    if not result.differences.empty:
        print(f"rollups differ from the rows in {len(result.differences):,} of {result.rows:,} "
              f"rows ({seconds:.1f} s); `rollups --rebuild` refills them:")  # fmt: skip
        print(result.differences.head(SHOWN).to_string(index=False))
    if result.copies_wrong:
        print(f"{result.copies_wrong:,} instalments, ratings or key actions carry another owner "
              f"or team than their deal ({seconds:.1f} s); `rollups --rebuild` corrects them")  # fmt: skip
    if result.pipeline_wrong:
        print(f"the open pipeline differs from the stays in {result.pipeline_wrong:,} "
              f"rows ({seconds:.1f} s); `rollups --rebuild` refills it")  # fmt: skip
    for wrong, what, source in (
        (result.actions_wrong, "the key actions per planned day", "the actions"),
        (result.cohorts_wrong, "the cohorts by stages entered", "the deals"),
        (result.team_customers_wrong, "each team's deals per customer", "the deals"),
    ):
        if wrong:
            print(
                f"{what} differ from {source} in {wrong:,} rows ({seconds:.1f} s); "
                "`rollups --rebuild` refills them"
            )
    if result.customer_totals_wrong:
        print(f"{result.customer_totals_wrong:,} customer figures (open pipeline, wins since "
              f"the kept day) differ from the deals ({seconds:.1f} s); `rollups --rebuild` "
              "corrects them")  # fmt: skip
    if result.first_wins_wrong:
        print(f"{result.first_wins_wrong:,} customers have a wrong first won deal "
              f"({seconds:.1f} s); `rollups --rebuild` corrects them")  # fmt: skip
    if result.next_actions_wrong:
        print(f"{result.next_actions_wrong:,} deals have a wrong next key action date "
              f"({seconds:.1f} s); `rollups --rebuild` corrects them:")  # fmt: skip
        print(result.next_actions.head(SHOWN).to_string(index=False))
    return 1


def add_parsers(sub) -> None:
    """Register ``rollups``."""
    parser = sub.add_parser(
        "rollups", help="check the per-day deal rollups against the rows, or rebuild them"
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--check", action="store_true", help="recompute and compare (exit 1: differ)")
    what.add_argument("--rebuild", action="store_true", help="refill them from the rows")
    what.add_argument(
        "--advance",
        action="store_true",
        help="move the day the customers' kept wins count from to today's matrix window "
        "(daily, e.g. from cron: the matrix corrects for at most two months in between)",
    )
    parser.set_defaults(func=cmd_rollups)
