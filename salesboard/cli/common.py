"""What every command shares: the one-line user error, the engine the command line points
at, who a command acts as, where an export goes, and the CLI's own identity in the audit log."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date

from sqlalchemy import Engine
from sqlmodel import select

from salesboard.accounts.access import SYSTEM, Viewer, viewer_for
from salesboard.store.db import create_store_engine
from salesboard.store.models import User


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def engine_for(args: argparse.Namespace) -> Engine:
    """The store engine the command line points at (``--database-url`` or the setting)."""
    return create_store_engine(args.database_url)


def viewer_for_args(session, args: argparse.Namespace) -> Viewer:
    """Who the command acts as: ``--as-user NAME`` (their visibility applies) or the system."""
    name = getattr(args, "as_user", None)
    if not name:
        return SYSTEM
    user = session.exec(select(User).where(User.username == name)).first()
    if user is None or not user.active:
        raise CliError(f"--as-user: no active user {name!r}")
    return viewer_for(session, user)


def cli_actor() -> Viewer:
    """The admin the CLI acts as, named after the operating-system user for the audit log."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return Viewer(user_id=None, username=f"cli:{who}"[:64], display_name="CLI", role=SYSTEM.role)


def write_output(data: bytes, output: str) -> None:
    """Write an export to ``output`` ("-" means standard output)."""
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    with open(output, "wb") as handle:
        handle.write(data)
    print(f"wrote {len(data):,} bytes to {output}", file=sys.stderr)


def iso_date(text: str) -> date:
    """An ``argparse`` type: a date like 2026-11-23, or a usage error saying so."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from exc
