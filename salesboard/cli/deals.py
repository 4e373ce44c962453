"""``python -m salesboard [--as-user U] deal …`` and ``visit add``: the deal workspace from the
command line for scripts and integrations, through the same functions and rules as the deal
page (scope, the checklist gate, version, audit). Without ``--as-user`` it acts as an admin,
audited as ``cli:<os user>``; a refusal is one line naming the option at fault."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from salesboard.calendar.clock import today
from salesboard.cli.common import (
    CliError,
    _lang,
    acting_session,
    iso_date,
    refused,
    scoped_by_user,
)
from salesboard.deals.assessment import assess_deal
from salesboard.deals.create import create_deal
from salesboard.deals.errors import DealError
from salesboard.deals.moves import lose_deal, move_stage, win_deal
from salesboard.deals.visits import VisitInput, log_visit
from salesboard.i18n import t

# The option that gave each field (a refusal names it).
OPTIONS = {
    "customer": "--customer", "amount": "--amount", "product_line": "--product-line",
    "owner": "--owner", "expected_close": "--expected-close", "source": "--source",
    "name": "--name", "reason": "--reason", "stage": "--to", "code": "CODE", "on": "--on",
    "created_on": "--on", "visited_on": "--on", "minutes": "--minutes", "need": "--need",
    "scores": "--score", "note": "--note",
}  # fmt: skip


@contextmanager
def _acting(args: argparse.Namespace) -> Iterator[tuple]:
    """(session, actor, today) for a deal command; a refusal becomes one translated line."""
    try:
        with acting_session(args) as (session, actor):
            yield session, actor, today()
    except DealError as error:
        params = {k: str(v) for k, v in error.params_for(_lang(args)).items()}
        raise refused(t(f"deal.error.{error.code}", _lang(args), **params), error.field,
                      OPTIONS) from error  # fmt: skip


def cmd_deal_add(args: argparse.Namespace) -> None:
    """Create a deal and print its code."""
    with _acting(args) as (session, actor, now):
        if actor.user_id is None and not args.owner:
            raise CliError("--owner: " + t("deal.error.required", _lang(args)))
        code = create_deal(
            session, actor, customer=args.customer, product_line=args.product_line,
            amount=args.amount, on=args.on or now, today=now, name=args.name or "",
            expected_close_on=args.expected_close, source=args.source or "", owner=args.owner,
        )  # fmt: skip
    print(code)


def cmd_deal_move(args: argparse.Namespace) -> None:
    """Move a deal to another stage (refused naming the undone key actions without --reason)."""
    with _acting(args) as (session, actor, now):
        plan = move_stage(session, actor, args.code, args.to, reason=args.reason or "",
                          on=args.on or now, today=now)  # fmt: skip
    print(f"{args.code.upper()}: {plan.current.code} → {plan.target.code}")


def cmd_deal_win(args: argparse.Namespace) -> None:
    """The contract is signed: the deal is won and moves on to delivery."""
    with _acting(args) as (session, actor, now):
        plan = win_deal(session, actor, args.code, signed_on=args.on or now,
                        reason=args.reason or "", today=now)  # fmt: skip
    print(f"{args.code.upper()}: won ({plan.current.code} → {plan.target.code})")


def cmd_deal_lose(args: argparse.Namespace) -> None:
    """The deal is lost, for a reason from the company's list."""
    with _acting(args) as (session, actor, now):
        lose_deal(session, actor, args.code, reason_code=args.reason, text=args.text or "",
                  on=args.on or now, today=now)  # fmt: skip
    print(f"{args.code.upper()}: lost ({args.reason})")


def _dimension_scores(pairs: list[str]) -> dict[str, str]:
    """``need=4`` … as {dimension: score}; a pair without "=" is refused naming --score."""
    scores = {}
    for pair in pairs or []:
        code, sep, value = pair.partition("=")
        if not sep:
            raise CliError(f"--score: {pair!r} is not DIMENSION=SCORE (e.g. need=4)")
        scores[code.strip()] = value.strip()
    return scores


def cmd_deal_assess(args: argparse.Namespace) -> None:
    """Assess a deal on the company's dimensions (机会评估); prints the weighted score."""
    scores = _dimension_scores(args.score)
    with _acting(args) as (session, actor, now):
        score = assess_deal(session, actor, args.code, scores, note=args.note or "", today=now)
    print(f"{args.code.upper()}: assessed {score:.2f}")


def cmd_visit_add(args: argparse.Namespace) -> None:
    """Log a visit on a deal; whether it was effective is computed."""
    with _acting(args) as (session, actor, now):
        visit = VisitInput(
            visited_on=args.on or now, minutes=args.minutes, contact_name=args.contact or "",
            contact_role=args.role or "", with_decision_maker=args.decision_maker,
            need=args.need or "", goal=args.goal or "", commitment=args.commitment or "",
            next_step=args.next_step or "",
        )  # fmt: skip
        visit_id = log_visit(session, actor, visit, code=args.deal, today=now)
        effective = visit.values()["effective"]
    print(
        f"visit {visit_id} on {args.deal.upper()}: {'effective' if effective else 'not effective'}"
    )


def add_parsers(sub) -> None:
    """The ``deal`` and ``visit`` commands."""
    deal = sub.add_parser("deal", help="create, move, win or lose deals (same rules as the app)")
    actions = deal.add_subparsers(dest="deal_command", required=True)

    add = scoped_by_user(actions.add_parser("add", help="create a deal; prints its code",
                                            allow_abbrev=False))  # fmt: skip
    add.add_argument("--customer", required=True, help="the customer's exact name (in scope)")
    add.add_argument("--amount", required=True, help="85万, ¥850,000 or 850000 (yuan)")
    add.add_argument("--product-line", required=True, help="product line code")
    add.add_argument("--name", help="deal name (default: customer + product line + 项目)")
    add.add_argument("--expected-close", type=iso_date, help="expected close date")
    add.add_argument("--source", help="lead source code")
    add.add_argument("--owner", help="owner's username (default: --as-user)")
    add.add_argument("--on", type=iso_date, help="creation date (default: today)")
    add.set_defaults(func=cmd_deal_add)

    move = scoped_by_user(actions.add_parser("move", help="move a deal to a stage"))
    move.add_argument("code")
    move.add_argument("--to", required=True, help="stage code (e.g. needs_analysis)")
    move.add_argument("--reason", help="needed to move back or past undone key actions")
    move.add_argument("--on", type=iso_date, help="date of the move (default: today)")
    move.set_defaults(func=cmd_deal_move)

    win = scoped_by_user(actions.add_parser("win", help="the contract is signed"))
    win.add_argument("code")
    win.add_argument("--on", type=iso_date, help="signing date (default: today)")
    win.add_argument("--reason", help="needed when key actions are undone")
    win.set_defaults(func=cmd_deal_win)

    lose = scoped_by_user(actions.add_parser("lose", help="the deal is lost"))
    lose.add_argument("code")
    lose.add_argument("--reason", required=True, help="lost reason code (org list lost_reason)")
    lose.add_argument("--text", help="details")
    lose.add_argument("--on", type=iso_date, help="date lost (default: today)")
    lose.set_defaults(func=cmd_deal_lose)

    assess = scoped_by_user(actions.add_parser("assess", help="score a deal 1–5 per dimension"))
    assess.add_argument("code")
    assess.add_argument(
        "--score",
        action="append",
        metavar="DIMENSION=SCORE",
        help="one per active dimension, e.g. --score need=4 --score budget=3",
    )
    assess.add_argument("--note", help="overall note")
    assess.set_defaults(func=cmd_deal_assess)

    visit = sub.add_parser("visit", help="log customer visits")
    visit_actions = visit.add_subparsers(dest="visit_command", required=True)
    log = scoped_by_user(visit_actions.add_parser("add", help="log a visit on a deal",
                                                  allow_abbrev=False))  # fmt: skip
    log.add_argument("--deal", required=True, help="deal code")
    log.add_argument("--on", type=iso_date, help="visit date (default: today)")
    log.add_argument("--minutes", type=int, default=30, help="duration in minutes")
    log.add_argument("--contact", help="contact's name")
    log.add_argument("--role", help="contact's role")
    log.add_argument("--decision-maker", action="store_true", help="a decision maker was met")
    log.add_argument("--need", help="the need obtained (empty: none)")
    log.add_argument("--goal", help="the visit's goal")
    log.add_argument("--commitment", help="advancement commitment (晋级承诺)")
    log.add_argument("--next-step", help="next step")
    log.set_defaults(func=cmd_visit_add)
