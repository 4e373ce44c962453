"""``python -m salesboard user …``: the administrator's commands for accounts.

Passwords never go on the command line (they would land in the shell history and in
``ps``): they come from ``SALESBOARD_NEW_PASSWORD``, from standard input with
``--password-stdin``, or from a prompt on a terminal. The CLI acts as an admin and is
audited as ``cli:<os user>``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from salesboard.accounts import users
from salesboard.cli.common import CliError, cli_actor, engine_for
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Role

PASSWORD_ENV = "SALESBOARD_NEW_PASSWORD"


def read_new_password(args: argparse.Namespace) -> str:
    """The new password from the environment, standard input or a terminal prompt."""
    if getattr(args, "password_stdin", False):
        password = sys.stdin.readline().rstrip("\r\n")
    elif os.environ.get(PASSWORD_ENV):
        password = os.environ[PASSWORD_ENV]
    elif sys.stdin.isatty():
        password = getpass.getpass("new password: ")
        if getpass.getpass("repeat it: ") != password:
            raise CliError("the two passwords differ")
    else:
        raise CliError(
            f"no password: set {PASSWORD_ENV}, pass --password-stdin, or run on a terminal"
        )
    if not password:
        raise CliError("the password is empty")
    return password


def _team_ids(session, names: list[str] | None) -> list[int]:
    return [users.team_id_for(session, name) for name in names or []]


def cmd_user_add(args: argparse.Namespace) -> None:
    """Create a user; they must change the password at first sign-in unless --no-change."""
    password = read_new_password(args)
    with write_session(engine_for(args)) as session:
        user = users.add_user(
            session,
            cli_actor(),
            username=args.username,
            display_name=args.name or args.username,
            role=args.role,
            password=password,
            team_id=users.team_id_for(session, args.team),
            email=args.email,
            manages=_team_ids(session, args.manages),
            must_change_password=not args.no_change,
        )
        print(f"added {user.username} ({user.role}, id {user.id})")


def cmd_user_passwd(args: argparse.Namespace) -> None:
    """Set a user's password (their sessions end; the account unlocks)."""
    password = read_new_password(args)
    with write_session(engine_for(args)) as session:
        user = users.user_by_name(session, args.username)
        users.reset_password(session, cli_actor(), user.id, password, must_change=args.must_change)
    later = " (must change it at next sign-in)" if args.must_change else ""
    print(f"password of {args.username} set{later}")


def cmd_user_list(args: argparse.Namespace) -> None:
    """Print every user (tab-separated with --tsv)."""
    with read_session(engine_for(args)) as session:
        frame = users.list_users(session, cli_actor())
    frame = frame.drop(columns=["id"]).fillna("")
    for column in ("locked_until", "last_sign_in"):
        frame[column] = [v.strftime("%Y-%m-%d %H:%M UTC") if v else "" for v in frame[column]]
    if args.tsv:
        frame.to_csv(sys.stdout, sep="\t", index=False)
    else:
        print(frame.to_string(index=False))


def cmd_user_set_role(args: argparse.Namespace) -> None:
    """Change a user's role (and team / managed teams when given)."""
    with write_session(engine_for(args)) as session:
        user = users.user_by_name(session, args.username)
        changed = users.update_user(
            session,
            cli_actor(),
            user.id,
            role=args.role,
            team_id=users.team_id_for(session, args.team) if args.team is not None else ...,
            manages=_team_ids(session, args.manages) if args.manages is not None else None,
        )
    print(f"{args.username}: {', '.join(sorted(changed)) or 'nothing'} changed")


def cmd_user_set_contact(args: argparse.Namespace) -> None:
    """Set a user's e-mail and reminder language (``python -m salesboard digest``)."""
    language = "" if args.language == "default" else args.language
    with write_session(engine_for(args)) as session:
        user = users.user_by_name(session, args.username)
        changed = users.update_user(
            session, cli_actor(), user.id, email=args.email, language=language
        )
    print(f"{args.username}: {', '.join(sorted(changed)) or 'nothing'} changed")


def _set(args: argparse.Namespace, change, done: str) -> None:
    with write_session(engine_for(args)) as session:
        user = users.user_by_name(session, args.username)
        change(session, user.id)
    print(f"{args.username} {done}")


def cmd_user_unlock(args: argparse.Namespace) -> None:
    """Unlock an account (lockout after wrong passwords or an admin's lock)."""
    _set(args, lambda s, uid: users.set_locked(s, cli_actor(), uid, False), "unlocked")


def cmd_user_lock(args: argparse.Namespace) -> None:
    """Lock an account until an admin unlocks it."""
    _set(args, lambda s, uid: users.set_locked(s, cli_actor(), uid, True), "locked")


def cmd_user_deactivate(args: argparse.Namespace) -> None:
    """Deactivate an account (its sessions end; history stays)."""
    _set(args, lambda s, uid: users.set_active(s, cli_actor(), uid, False), "deactivated")


def cmd_user_activate(args: argparse.Namespace) -> None:
    """Reactivate an account."""
    _set(args, lambda s, uid: users.set_active(s, cli_actor(), uid, True), "reactivated")


def _password_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"read the password from the first line of standard input (else ${PASSWORD_ENV} "
        "or a prompt)",
    )


def add_parsers(sub) -> None:
    """The ``user`` command and its sub-commands."""
    user = sub.add_parser(
        "user", help="manage users (add, passwd, list, set-role, unlock …)", allow_abbrev=False
    )
    actions = user.add_subparsers(dest="user_command", required=True)
    roles = [str(r) for r in Role]

    add = actions.add_parser(
        "add", help="create a user (password: prompt, stdin or env)", allow_abbrev=False
    )
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=roles)
    add.add_argument("--team", help="team name or id the user belongs to")
    add.add_argument("--name", help="display name (default: the username)")
    add.add_argument("--email", help="e-mail (maps an identity provider's sign-in)")
    add.add_argument("--manages", nargs="+", metavar="TEAM", help="teams a manager leads")
    add.add_argument(
        "--no-change", action="store_true", help="do not ask for a new password at first sign-in"
    )
    _password_source(add)
    add.set_defaults(func=cmd_user_add)

    passwd = actions.add_parser("passwd", help="set a user's password", allow_abbrev=False)
    passwd.add_argument("username")
    passwd.add_argument(
        "--must-change", action="store_true", help="the user must change it at next sign-in"
    )
    _password_source(passwd)
    passwd.set_defaults(func=cmd_user_passwd)

    listing = actions.add_parser("list", help="list users with role, team and state")
    listing.add_argument("--tsv", action="store_true", help="tab-separated output")
    listing.set_defaults(func=cmd_user_list)

    set_role = actions.add_parser("set-role", help="change a user's role (and team)")
    set_role.add_argument("username")
    set_role.add_argument("role", choices=roles)
    set_role.add_argument("--team", help="team name or id ('' for none)")
    set_role.add_argument("--manages", nargs="*", metavar="TEAM", help="teams a manager leads")
    set_role.set_defaults(func=cmd_user_set_role)

    contact = actions.add_parser(
        "set-contact", help="set where and in which language a user gets reminders"
    )
    contact.add_argument("username")
    contact.add_argument("--email", help="e-mail address ('' for none)")
    contact.add_argument(
        "--language", choices=["zh", "en", "default"], help="reminder language (default: company's)"
    )
    contact.set_defaults(func=cmd_user_set_contact)

    for name, func, text in (
        ("unlock", cmd_user_unlock, "unlock an account"),
        ("lock", cmd_user_lock, "lock an account until unlocked"),
        ("deactivate", cmd_user_deactivate, "deactivate an account"),
        ("activate", cmd_user_activate, "reactivate an account"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("username")
        action.set_defaults(func=func)
