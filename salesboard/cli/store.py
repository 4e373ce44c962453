"""``python -m salesboard migrate | init-db | demo | backup | restore``: creating, filling,
copying and replacing the store."""

from __future__ import annotations

import argparse
import time

from salesboard import demo
from salesboard.accounts import audit, auth, users
from salesboard.calendar import clock
from salesboard.calendar.workdays import sync_store_calendar
from salesboard.cli.common import CliError, cli_actor, engine_for, iso_date
from salesboard.customers.settings import keep_window
from salesboard.store import backup, schema
from salesboard.store.db import read_session, write_session
from salesboard.store.queries import has_opportunities
from salesboard.store.reference_data import (
    ensure_reference_data,
    is_company_store,
    mark_company_store,
)
from salesboard.store.settings import get_settings


def cmd_migrate(args: argparse.Namespace) -> None:
    """Create or upgrade the schema to the newest revision."""
    engine = engine_for(args, create=True)
    before = schema.current_revision(engine)
    schema.upgrade(engine)
    after = schema.current_revision(engine)
    print(f"schema at revision {after} (was {before or 'empty'}) — {engine.url.render_as_string()}")
    _write_calendar(engine)
    with write_session(engine) as session:
        keep_window(session, clock.today())  # the customers' kept wins: the matrix window


def _write_calendar(engine) -> None:
    """The configured working-day calendar into the store (``calendar.store_days``)."""
    started = time.perf_counter()
    first = sync_store_calendar(engine)
    if first is not None:
        print(f"working-day calendar written into the store from {first.isoformat()}; "
              f"stage time sums recomputed ({time.perf_counter() - started:.1f} s)")  # fmt: skip


def cmd_init_db(args: argparse.Namespace) -> None:
    """Migrate the schema and insert the default stages and settings."""
    cmd_migrate(args)
    engine = engine_for(args, create=True)
    with write_session(engine) as session:
        ensure_reference_data(session)
        mark_company_store(session)
    print("reference data ready (default stages, customer types, lead sources)")
    print(ensure_first_admin(engine))


def ensure_first_admin(engine) -> str:
    """``init-db``'s first-run step: create user "admin" from ``SALESBOARD_ADMIN_PASSWORD``
    when no admin can sign in yet; returns what happened, for printing."""
    password = get_settings().admin_password
    try:
        with write_session(engine) as session:
            created = auth.ensure_admin(session, password)
    except auth.AuthError as exc:
        raise CliError(f"SALESBOARD_ADMIN_PASSWORD: {exc}") from exc
    if created:
        return "first admin ready: sign in as 'admin' with SALESBOARD_ADMIN_PASSWORD"
    with read_session(engine) as session:
        if users.admin_can_sign_in(session):
            return "admin account present"
    return (
        "no admin can sign in yet: set SALESBOARD_ADMIN_PASSWORD and run init-db again, "
        "or run `python -m salesboard user add NAME --role admin`"
    )


def cmd_demo(args: argparse.Namespace) -> None:
    """Fill the store with the deterministic demo company."""
    engine = engine_for(args, create=True)
    demo.check_backend(engine, args.size)  # before a SQLite file is made for nothing
    schema.upgrade(engine)
    if args.if_empty:
        sync_store_calendar(engine)  # a calendar kind changed since: written before any use
        with write_session(engine) as session:
            if has_opportunities(session):
                print("store already has data; --if-empty left it as it is")
                return
            if is_company_store(session):
                print("store was made with init-db for your own data; --if-empty adds no demo")
                return
    started = time.perf_counter()
    summary = demo.generate(
        engine, size=args.size, seed=args.seed, today=args.today, progress=demo.to_stderr
    )
    print(
        f"demo company ({args.size}) generated in {time.perf_counter() - started:.1f} s: {summary}"
    )


def cmd_backup(args: argparse.Namespace) -> None:
    """Write a consistent copy of the store to --output (safe while the app runs)."""
    result = backup.backup(engine_for(args), args.output)
    print(f"backup of {result.backend} store written to {result.path} ({result.size:,} bytes)")
    if result.attachments:
        print(f"{result.attachments:,} attachment files copied to {result.path}.attachments")


def cmd_restore(args: argparse.Namespace) -> None:
    """Replace the store's contents with a backup (refuses a store with data without --yes);
    the audit log then says who restored which file."""
    engine = engine_for(args, create=True)
    result = backup.restore(engine, args.file, overwrite=args.yes)
    sync_store_calendar(engine)  # this installation's calendar, whatever the backup's was
    with write_session(engine) as session:
        audit.record(
            session,
            cli_actor(),
            action="restore",
            entity="store",
            summary=f"restored {result.path.name}",
        )
    print(f"restored {result.path} into the {result.backend} store ({result.rows:,} rows)")
    if result.attachments:
        print(f"{result.attachments:,} attachment files restored")


def add_parsers(sub) -> None:
    """Register ``migrate``, ``init-db``, ``demo``, ``backup`` and ``restore``."""
    sub.add_parser("migrate", help="create or upgrade the schema").set_defaults(func=cmd_migrate)
    sub.add_parser(
        "init-db", help="migrate, add default stages, first admin from $SALESBOARD_ADMIN_PASSWORD"
    ).set_defaults(func=cmd_init_db)

    parser = sub.add_parser("demo", help="generate the demo company (replaces business data)")
    parser.add_argument("--size", choices=tuple(demo.SIZES), default="default",
                        help="xl (10M deals) is for PostgreSQL only")  # fmt: skip
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--today", type=iso_date, default=None, help="business date (ISO)")
    parser.add_argument(
        "--if-empty", action="store_true", help="do nothing when the store already has data"
    )
    parser.set_defaults(func=cmd_demo)

    back = sub.add_parser("backup", help="copy the store to a file (SQLite file or pg_dump -Fc)")
    back.add_argument("--output", "-o", required=True, help="file to write")
    back.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="replace the store's data with a backup")
    restore.add_argument("file")
    restore.add_argument("--yes", action="store_true", help="replace a store that already has data")
    restore.set_defaults(func=cmd_restore)
