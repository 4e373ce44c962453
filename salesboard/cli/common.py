"""What every command shares: the one-line user error, the engine the command line points
at, who a command acts as, where an export goes, and the CLI's own identity in the audit log."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, make_url
from sqlmodel import Session, select

from salesboard.accounts.access import SYSTEM, Viewer, viewer_for
from salesboard.i18n import t
from salesboard.store import schema
from salesboard.store.db import create_store_engine, write_session
from salesboard.store.models import User
from salesboard.store.settings import get_settings


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def engine_for(args: argparse.Namespace, *, create: bool = False) -> Engine:
    """The store engine the command line points at (``--database-url`` or the setting).

    Only ``create`` commands (init-db, migrate, demo, restore) may start a new store: for
    any other, a SQLite file that is not there is refused before SQLite would create an
    empty one, and a store without the current schema is named as such (instead of "no
    such table" halfway through)."""
    url = make_url(args.database_url or get_settings().database_url)
    lang = _lang(args)
    if (
        not create
        and url.get_backend_name() == "sqlite"
        and url.database not in (None, "", ":memory:")
    ):
        path = Path(url.database)
        if not path.exists():
            raise CliError(t("cli.store_missing", lang, path=str(path), command=_INIT))
    engine = create_store_engine(args.database_url)
    if not create and not schema.is_up_to_date(engine):
        where = url.database if url.get_backend_name() == "sqlite" else url.render_as_string()
        raise CliError(t("cli.store_not_set_up", lang, path=str(where), command=_INIT))
    return engine


_INIT = "python -m salesboard init-db"


def _lang(args: argparse.Namespace) -> str:
    return getattr(args, "lang", None) or get_settings().default_language


def scoped_by_user(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Mark a command that reads or writes as ``--as-user`` (``viewer_for_args``); every
    other command refuses the option (``refuse_unscoped_user``)."""
    parser.set_defaults(scoped_by_user=True)
    return parser


def refuse_unscoped_user(args: argparse.Namespace) -> None:
    """A command that runs as the system must not be given ``--as-user``: running it anyway
    would let a rep's name on the command line create an admin."""
    if getattr(args, "as_user", None) and not getattr(args, "scoped_by_user", False):
        raise CliError(t("cli.as_user_not_here", _lang(args)))


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


@contextmanager
def acting_session(args: argparse.Namespace) -> Iterator[tuple[Session, Viewer]]:
    """A write session on the store and who acts in it: ``--as-user`` (their scope and
    rights), else the system, audited as the operating-system user (``cli_actor``)."""
    with write_session(engine_for(args)) as session:
        actor = viewer_for_args(session, args)
        yield session, cli_actor() if actor.user_id is None else actor


def refused(message: str, field: str, options: dict[str, str]) -> CliError:
    """A refused write as one line, led by the option that gave ``field`` when there is one."""
    option = options.get(field)
    return CliError(f"{option}: {message}" if option else message)


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
