"""Command line: ``python -m salesboard <command>``. Errors print one line and exit 1."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from salesboard import schema
from salesboard.db import create_store_engine, write_session


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


# Feature modules that add a ``report <kind>`` sub-command through their
# ``add_report_parser(subparsers)``; the handler they set gets the parsed arguments.
REPORT_MODULES: tuple[str, ...] = (
    "salesboard.goals.report",
    "salesboard.pipeline.cli",
    "salesboard.feedback.report",
)
# Feature modules that add whole sub-commands through their ``add_parsers(subparsers)``;
# a handler may return an exit status (None means 0).
COMMAND_MODULES: tuple[str, ...] = ("salesboard.importing.cli",)


def _engine(args: argparse.Namespace):
    return create_store_engine(args.database_url)


def engine_for(args: argparse.Namespace):
    """The store engine the command line points at (``--database-url`` or the setting)."""
    return _engine(args)


def viewer_for_args(session, args: argparse.Namespace):
    """Who the command acts as: ``--as-user NAME`` (their visibility applies) or the system."""
    from sqlmodel import select

    from salesboard.access import SYSTEM, viewer_for
    from salesboard.models import User

    name = getattr(args, "as_user", None)
    if not name:
        return SYSTEM
    user = session.exec(select(User).where(User.username == name)).first()
    if user is None or not user.active:
        raise CliError(f"--as-user: no active user {name!r}")
    return viewer_for(session, user)


def write_output(data: bytes, output: str) -> None:
    """Write an export to ``output`` ("-" means standard output)."""
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    with open(output, "wb") as handle:
        handle.write(data)
    print(f"wrote {len(data):,} bytes to {output}", file=sys.stderr)


def cmd_migrate(args: argparse.Namespace) -> None:
    """Create or upgrade the schema to the newest revision."""
    engine = _engine(args)
    before = schema.current_revision(engine)
    schema.upgrade(engine)
    after = schema.current_revision(engine)
    print(f"schema at revision {after} (was {before or 'empty'}) — {engine.url.render_as_string()}")


def cmd_init_db(args: argparse.Namespace) -> None:
    """Migrate the schema and insert the default stages and settings."""
    from salesboard.defaults import ensure_reference_data

    cmd_migrate(args)
    from salesboard.cli_admin import ensure_first_admin

    with write_session(_engine(args)) as session:
        ensure_reference_data(session)
    print("reference data ready (default stages)")
    print(ensure_first_admin(_engine(args)))


def cmd_demo(args: argparse.Namespace) -> None:
    """Fill the store with the deterministic demo company."""
    from salesboard import demo
    from salesboard.overview import opportunity_count

    engine = _engine(args)
    schema.upgrade(engine)
    if args.if_empty:
        with write_session(engine) as session:
            if opportunity_count(session):
                print("store already has data; --if-empty left it as it is")
                return
    started = time.perf_counter()
    summary = demo.generate(engine, size=args.size, seed=args.seed, today=args.today)
    print(
        f"demo company ({args.size}) generated in {time.perf_counter() - started:.1f} s: {summary}"
    )


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from exc


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m salesboard", description=__doc__)
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: $SALESBOARD_DATABASE_URL or data/salesboard.db)",
    )
    parser.add_argument(
        "--as-user",
        help="act as this user: their role's visibility applies (default: the system, all rows)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="create or upgrade the schema").set_defaults(func=cmd_migrate)
    sub.add_parser(
        "init-db", help="migrate, add default stages, first admin from $SALESBOARD_ADMIN_PASSWORD"
    ).set_defaults(func=cmd_init_db)

    demo = sub.add_parser("demo", help="generate the demo company (replaces business data)")
    demo.add_argument("--size", choices=("small", "default", "large"), default="default")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--today", type=_parse_date, default=None, help="business date (ISO)")
    demo.add_argument(
        "--if-empty", action="store_true", help="do nothing when the store already has data"
    )
    demo.set_defaults(func=cmd_demo)

    from salesboard.cli_admin import add_backup_parsers, add_user_parser

    add_user_parser(sub)
    add_backup_parsers(sub)
    for module in COMMAND_MODULES:
        importlib.import_module(module).add_parsers(sub)

    if REPORT_MODULES:
        report = sub.add_parser("report", help="export a page's figures (xlsx, csv, json …)")
        kinds = report.add_subparsers(dest="report_kind", required=True)
        for module in REPORT_MODULES:
            importlib.import_module(module).add_report_parser(kinds)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit status."""
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int | None] = args.func
    try:
        status = func(args)
    except (CliError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        # The driver's message is the useful part; the SQL echo is noise for a user.
        print(
            f"error: database: {exc.orig if getattr(exc, 'orig', None) else exc}", file=sys.stderr
        )
        return 1
    return int(status or 0)
