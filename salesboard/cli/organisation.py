"""``python -m salesboard org …``: the organisation lists from the command line (regions,
teams, product lines, customer types, lead sources), the same rules and audit as the
Organisation page; acts as an admin, audited as ``cli:<os user>``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from salesboard.cli.common import CliError, _lang, cli_actor, engine_for
from salesboard.i18n import t
from salesboard.organisation import lists
from salesboard.store.db import read_session, write_session

# The option that gave each field (a refusal names it).
OPTIONS = {"code": "--code", "name_zh": "--zh", "name_en": "--en", "region": "--region",
           "key": "KEY", "managers": "USERNAMES"}  # fmt: skip


@contextmanager
def _refusals(args: argparse.Namespace) -> Iterator[None]:
    """A refused change as one line in the configured language, naming the option."""
    try:
        yield
    except lists.OrganisationError as error:
        params = {k: str(v) for k, v in error.params.items()}
        message = t(f"org.error.{error.code}", _lang(args), **params)
        option = OPTIONS.get(error.field)
        raise CliError(f"{option}: {message}" if option else message) from error


def cmd_org_list(args: argparse.Namespace) -> None:
    """Print one list (tab-separated with --tsv)."""
    with _refusals(args), read_session(engine_for(args)) as session:
        frame = lists.entries(session, args.kind)
    if "managers" in frame:
        frame["managers"] = [",".join(names) for names in frame["managers"]]
    frame = frame.drop(columns=["id"])
    if args.tsv:
        frame.to_csv(sys.stdout, sep="\t", index=False)
    elif frame.empty:
        print(f"no {args.kind} yet")
    else:
        print(frame.to_string(index=False))


def cmd_org_add(args: argparse.Namespace) -> None:
    """Add an entry."""
    with _refusals(args), write_session(engine_for(args)) as session:
        entry_id = lists.add_entry(
            session, cli_actor(), args.kind, code=args.code or "", name_zh=args.zh,
            name_en=args.en or "", region=args.region,
        )  # fmt: skip
    print(f"added {args.kind} {args.code or args.zh} (id {entry_id})")


def _change(args: argparse.Namespace, **changes) -> None:
    with _refusals(args), write_session(engine_for(args)) as session:
        changed = lists.change_entry(session, cli_actor(), args.kind, args.key, **changes)
    print(f"{args.kind} {args.key}: {'changed' if changed else 'nothing changed'}")


def cmd_org_rename(args: argparse.Namespace) -> None:
    """Rename an entry (its code stays); move a team to another region."""
    _change(args, name_zh=args.zh, name_en=args.en, region=args.region)


def cmd_org_retire(args: argparse.Namespace) -> None:
    """Retire an entry: kept on old records, offered for no new ones."""
    _change(args, active=False)


def cmd_org_restore(args: argparse.Namespace) -> None:
    """Put a retired entry back in use."""
    _change(args, active=True)


def cmd_org_managers(args: argparse.Namespace) -> None:
    """Set exactly who leads a team."""
    with _refusals(args), write_session(engine_for(args)) as session:
        lists.set_team_managers(session, cli_actor(), args.team, args.usernames)
    print(f"team {args.team}: managers {', '.join(sorted(set(args.usernames))) or 'none'}")


def add_parsers(sub) -> None:
    """The ``org`` command and its sub-commands."""
    org = sub.add_parser(
        "org", help="the organisation: regions, teams, product lines, customer types, "
        "lead sources (list, add, rename, retire, restore, managers)", allow_abbrev=False,
    )  # fmt: skip
    actions = org.add_subparsers(dest="org_command", required=True)
    kinds = list(lists.KINDS)
    key_help = "the entry's code (a team: its name)"

    listing = actions.add_parser("list", help="print one list")
    listing.add_argument("kind", choices=kinds)
    listing.add_argument("--tsv", action="store_true", help="tab-separated output")
    listing.set_defaults(func=cmd_org_list)

    add = actions.add_parser("add", help="add an entry", allow_abbrev=False)
    add.add_argument("kind", choices=kinds)
    add.add_argument("--code", help="a-z, 0-9, _ or -, up to 32 (not for teams)")
    add.add_argument("--zh", required=True, help="Chinese name (a team: its name)")
    add.add_argument("--en", help="English name (default: the Chinese one)")
    add.add_argument("--region", help="a team's region code")
    add.set_defaults(func=cmd_org_add)

    rename = actions.add_parser("rename", help="rename an entry (a team: also --region)")
    rename.add_argument("kind", choices=kinds)
    rename.add_argument("key", help=key_help)
    rename.add_argument("--zh", help="new Chinese name")
    rename.add_argument("--en", help="new English name")
    rename.add_argument("--region", help="a team's new region code")
    rename.set_defaults(func=cmd_org_rename)

    for name, func, text in (
        ("retire", cmd_org_retire, "retire an entry (never deleted)"),
        ("restore", cmd_org_restore, "put a retired entry back in use"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("kind", choices=kinds)
        action.add_argument("key", help=key_help)
        action.set_defaults(func=func)

    managers = actions.add_parser("managers", help="set who leads a team")
    managers.add_argument("team", help="the team's name")
    managers.add_argument("usernames", nargs="*", help="managers (none: the team has none)")
    managers.set_defaults(func=cmd_org_managers)
