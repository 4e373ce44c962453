"""``python -m salesboard <command>``: the parser with every command group, and the one place
that turns a user error into one line on standard error and exit status 1."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from salesboard.cli import (
    bench,
    deals,
    digest,
    imports,
    leads,
    organisation,
    reports,
    rollups,
    store,
    support,
    users,
)
from salesboard.cli.common import CliError, refuse_unscoped_user
from salesboard.store.db import redact_password
from salesboard.store.settings import get_settings

# Each command group registers its sub-commands through ``add_parsers(subparsers)``; a
# handler may return an exit status (None means 0).
COMMAND_GROUPS = (
    store, rollups, users, organisation, deals, leads, imports, reports, digest, support, bench,
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m salesboard", description=__doc__)
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL (default: $SALESBOARD_DATABASE_URL or data/salesboard.db)",
    )
    parser.add_argument(
        "--as-user",
        help="act as this user: their role's visibility applies (default: the system, all rows); "
        "only for import, import-log, import-undo and report",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for group in COMMAND_GROUPS:
        group.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit status."""
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int | None] = args.func
    url = args.database_url or get_settings().database_url
    try:
        refuse_unscoped_user(args)
        status = func(args)
    except (CliError, ValueError, OSError) as exc:
        print(redact_password(f"error: {exc}", url), file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        # The driver's message is the useful part; the SQL echo is noise for a user.
        cause = exc.orig if getattr(exc, "orig", None) else exc
        print(redact_password(f"error: database: {cause}", url), file=sys.stderr)
        return 1
    return int(status or 0)
