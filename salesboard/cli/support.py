"""``python -m salesboard [--as-user U] support …`` and ``department members``: support requests
(资源协调, issue 17) from the command line, through the same functions and rules as the pages
(scope, who may answer, the version, audit). Without ``--as-user`` it acts as an admin,
audited as ``cli:<os user>``; a refusal is one line naming the option at fault."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from salesboard.accounts.access import PermissionDenied
from salesboard.calendar.clock import today
from salesboard.cli.common import (
    CliError,
    _lang,
    acting_session,
    engine_for,
    iso_date,
    refused,
    scoped_by_user,
    viewer_for_args,
)
from salesboard.deals.errors import DealError
from salesboard.i18n import t
from salesboard.organisation.departments import set_members
from salesboard.organisation.lists import OrganisationError
from salesboard.store.db import read_session
from salesboard.support import requests
from salesboard.support.errors import SupportError

OPTIONS = {"what": "--what", "type": "--type", "department": "--department",
           "expected_on": "--expected", "urgency": "--urgency", "note": "--note",
           "resolution": "--resolution", "reason": "--reason", "members": "USERNAME"}  # fmt: skip


@contextmanager
def _acting(args: argparse.Namespace) -> Iterator[tuple]:
    """(session, actor, today) for a support command; a refusal becomes one translated line."""
    lang = _lang(args)
    try:
        with acting_session(args) as (session, actor):
            yield session, actor, today()
    except (SupportError, DealError, OrganisationError) as error:
        params = error.params_for(lang) if isinstance(error, DealError) else error.params
        prefix = {SupportError: "support", DealError: "deal", OrganisationError: "org"}
        message = t(f"{prefix[type(error)]}.error.{error.code}", lang,
                    **{k: str(v) for k, v in params.items()})  # fmt: skip
        raise refused(message, error.field, OPTIONS) from error
    except PermissionDenied as error:
        raise CliError(t("org.error.admin_only", lang)) from error


def cmd_support_add(args: argparse.Namespace) -> None:
    """Raise a request from a deal and print its number."""
    with _acting(args) as (session, actor, now):
        rid = requests.raise_request(
            session, actor, args.deal, type_code=args.type, what=args.what,
            expected_on=args.expected, urgency=args.urgency, sets_risk=args.sets_risk,
            department=args.department, today=now,
        )  # fmt: skip
    print(f"support request #{rid} on {args.deal.upper()}")


def _current(session, actor, rid: int) -> int:
    return requests.request_for(session, actor, rid).version


def cmd_support_answer(args: argparse.Namespace) -> None:
    """Accept a request or write progress on it."""
    with _acting(args) as (session, actor, now):
        requests.answer(session, actor, args.id, _current(session, actor, args.id),
                        note=args.note or "", today=now)  # fmt: skip
    print(f"support request #{args.id}: in_progress")


def cmd_support_close(args: argparse.Namespace) -> None:
    """Close a request with its resolution."""
    with _acting(args) as (session, actor, now):
        requests.close_request(session, actor, args.id, _current(session, actor, args.id),
                               resolution=args.resolution, today=now)  # fmt: skip
    print(f"support request #{args.id}: closed")


def cmd_support_cancel(args: argparse.Namespace) -> None:
    """Withdraw a request (whoever may change its deal)."""
    with _acting(args) as (session, actor, now):
        requests.cancel_request(session, actor, args.id, _current(session, actor, args.id),
                                reason=args.reason or "", today=now)  # fmt: skip
    print(f"support request #{args.id}: cancelled")


def cmd_support_list(args: argparse.Namespace) -> None:
    """The requests the user may see (open ones unless --all), one tab-separated line each."""
    with read_session(engine_for(args)) as session:
        actor = viewer_for_args(session, args)
        frame = requests.queue(session, actor, today(), (),
                               () if args.all else requests.OPEN_STATUSES)  # fmt: skip
    for row in frame.itertuples():
        flag = "BREACH" if row.breached else ""
        print(f"#{row.id}\t{row.code}\t{row.type}\t{row.department}\t{row.status}\t"
              f"{row.waited_days}/{row.response_days}\t{flag}".rstrip())  # fmt: skip


def cmd_department_members(args: argparse.Namespace) -> None:
    """Make the given users exactly the department's members."""
    with _acting(args) as (session, actor, _):
        set_members(session, actor, args.department, args.usernames)
    print(f"{args.department}: {', '.join(sorted(set(args.usernames))) or '-'}")


def add_parsers(sub) -> None:
    """The ``support`` and ``department`` commands."""
    support = sub.add_parser("support", help="support requests (资源协调): add, answer, close …")
    actions = support.add_subparsers(dest="support_command", required=True)
    add = scoped_by_user(actions.add_parser("add", help="ask a department for help on a deal",
                                            allow_abbrev=False))  # fmt: skip
    add.add_argument("deal", help="the deal's code")
    add.add_argument("--type", required=True, help="support type code (tech_proposal …)")
    add.add_argument("--what", required=True, help="what is needed")
    add.add_argument("--expected", type=iso_date, help="expected date (YYYY-MM-DD)")
    add.add_argument("--urgency", default="normal", choices=requests.URGENCIES)
    add.add_argument("--department", help="department code (default: the type's)")
    add.add_argument("--sets-risk", action="store_true", help="flag the deal at risk while open")
    add.set_defaults(func=cmd_support_add)
    for name, func, extra, text in (
        ("answer", cmd_support_answer, ("--note", False), "accept or write progress"),
        ("close", cmd_support_close, ("--resolution", True), "close with a resolution"),
        ("cancel", cmd_support_cancel, ("--reason", False), "withdraw a request"),
    ):
        step = scoped_by_user(actions.add_parser(name, help=text, allow_abbrev=False))
        step.add_argument("id", type=int, help="the request's number")
        step.add_argument(extra[0], required=extra[1])
        step.set_defaults(func=func)
    listing = scoped_by_user(actions.add_parser("list", help="the requests you may see"))
    listing.add_argument("--all", action="store_true", help="closed and cancelled too")
    listing.set_defaults(func=cmd_support_list)
    department = sub.add_parser("department", help="departments' members (admin)")
    dept_actions = department.add_subparsers(dest="department_command", required=True)
    members = dept_actions.add_parser("members", help="set a department's members")
    members.add_argument("department", help="department code (tech, finance …)")
    members.add_argument("usernames", nargs="*", metavar="USERNAME")
    members.set_defaults(func=cmd_department_members)
