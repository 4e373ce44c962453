"""``python -m salesboard digest --to reps|managers [--send] [--dry-run DIR] [--as-of D]``:
each person's reminder of what is waiting on them (My work's lists), in their language.

Without ``--send`` or ``--dry-run`` it prints who would get what. ``--dry-run DIR`` writes
each message as a file (``.eml``, ``.json``) and sends nothing. ``--send`` delivers by SMTP
and/or the chat-bot webhook configured in ``SALESBOARD_SMTP_*`` / ``SALESBOARD_WEBHOOK_*``.
A message that fails is reported and the others still go; the exit status is then 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from salesboard.calendar import clock
from salesboard.cli.common import CliError, engine_for, iso_date
from salesboard.reminders.delivery import (
    WEBHOOK_FORMATS,
    channels,
    check_settings,
    send_all,
    write_files,
)
from salesboard.reminders.digest import AUDIENCES, Digest, build_digests
from salesboard.store.db import read_session
from salesboard.store.settings import get_settings


def add_parsers(sub) -> None:
    """Register ``digest``."""
    parser = sub.add_parser(
        "digest",
        help="remind reps or managers of what is waiting on them (e-mail / chat bot)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--to", required=True, choices=sorted(AUDIENCES), help="who gets it")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--send", action="store_true", help="deliver by SMTP and/or webhook")
    mode.add_argument("--dry-run", metavar="DIR", help="write the messages to DIR instead")
    parser.add_argument(
        "--as-of", type=iso_date, default=None, help="business date (default: today)"
    )
    parser.set_defaults(func=cmd_digest)


def cmd_digest(args: argparse.Namespace) -> int:
    """Build the digests and print, write or send them."""
    settings = get_settings()
    check_settings(settings)
    configured = channels(settings)
    if args.send and not configured:
        raise CliError(
            "nothing to send with: set SALESBOARD_SMTP_HOST (e-mail) and/or "
            f"SALESBOARD_WEBHOOK_URL (chat bot: {', '.join(WEBHOOK_FORMATS)})"
        )
    as_of = args.as_of or clock.today()
    digests: list[Digest] = []
    skipped = 0
    with read_session(engine_for(args)) as session:
        for found in build_digests(session, args.to, as_of):
            if isinstance(found, Digest):
                digests.append(found)
            else:
                skipped += 1
    if args.dry_run:
        wanted = configured or ("email", "webhook")
        outcomes = []
        for digest in digests:
            outcomes += write_files(digest, Path(args.dry_run), settings, wanted)
    elif args.send:
        outcomes = send_all(digests, settings)
    else:
        for digest in digests:
            _print_summary(digest, configured)
        print(f"{len(digests)} digest(s) for {as_of}; {skipped} with nothing due skipped")
        return 0
    return _report(outcomes, skipped, "written" if args.dry_run else "delivered")


def _print_summary(digest: Digest, configured: tuple[str, ...]) -> None:
    person = digest.recipient
    counts = ", ".join(f"{k} {v}" for k, v in digest.counts.items() if v)
    where = []
    if "email" in configured:
        where.append(f"e-mail {person.email}" if person.email else "no e-mail address")
    if "webhook" in configured:
        where.append("webhook")
    tail = f" -> {'; '.join(where)}" if where else ""
    print(f"{person.username} ({person.language}): {counts}{tail}")


def _report(outcomes, skipped: int, verb: str) -> int:
    failed = [o for o in outcomes if not o.ok]
    for outcome in outcomes:
        if outcome.ok:
            print(f"{outcome.username}: {outcome.channel} -> {outcome.target}")
        else:
            print(f"{outcome.username}: {outcome.channel} failed: {outcome.error}", file=sys.stderr)
    done = len(outcomes) - len(failed)
    print(f"{done} message(s) {verb}, {len(failed)} failed; {skipped} with nothing due skipped")
    return 1 if failed else 0
