"""``python -m salesboard [--as-user U] lead add …``, ``lead token create|list|revoke`` and
``lead rules``: leads from scripts and integrations through the same functions as the app
(checked, scored, routed and assigned on arrival; audited). Without ``--as-user`` it acts as
an admin, audited as ``cli:<os user>``; a refusal is one line naming the option at fault."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from salesboard.accounts.access import PermissionDenied
from salesboard.cli.common import (
    CliError,
    _lang,
    acting_session,
    engine_for,
    refused,
    scoped_by_user,
)
from salesboard.i18n import t
from salesboard.leads.arrival import LeadInput, receive_lead
from salesboard.leads.errors import LeadError
from salesboard.leads.settings import rules_frame
from salesboard.leads.sheet import import_leads
from salesboard.leads.tokens import create_token, list_tokens, revoke_token
from salesboard.reminders.lead_alert import send_lead_alert
from salesboard.store.db import read_session

OPTIONS = {
    "source": "--source", "company": "--company", "contact_name": "--contact",
    "contact_phone": "--phone", "contact_email": "--email", "industry": "--industry",
    "region": "--region", "budget": "--budget", "urgency": "--urgency", "fit": "--fit",
    "message": "--message", "label": "--label", "token": "--id",
}  # fmt: skip


@contextmanager
def _acting(args: argparse.Namespace) -> Iterator[tuple]:
    """(session, actor); a refusal becomes one translated line naming the option."""
    lang = _lang(args)
    try:
        with acting_session(args) as (session, actor):
            yield session, actor
    except LeadError as error:
        params = {k: str(v) for k, v in error.params.items()}
        if "field" in params:
            params["field"] = t(f"leads.field.{params['field']}", lang)
        message = t(f"lead.error.{error.code}", lang, **params)
        raise refused(message, error.field, OPTIONS) from error
    except PermissionDenied as error:
        raise CliError(t("lead.error.admin_only", lang)) from error


def cmd_lead_add(args: argparse.Namespace) -> None:
    """Store a lead (scored, routed, assigned) and print its id and status."""
    lead = LeadInput(
        source=args.source, company=args.company, contact_name=args.contact or "",
        contact_phone=args.phone or "", contact_email=args.email or "",
        industry=args.industry or "", region=args.region or "", budget=args.budget,
        urgency=args.urgency or "", fit=args.fit or "", message=args.message or "",
    )  # fmt: skip
    with _acting(args) as (session, actor):
        lead_id, created = receive_lead(session, actor, lead)
    print(f"lead {lead_id}")
    if created:  # after the commit, as the inbound service does
        for outcome in send_lead_alert(engine_for(args), lead_id):
            state = "sent" if outcome.ok else f"failed: {outcome.error}"
            print(f"alert to {outcome.username} by {outcome.channel}: {state}", file=sys.stderr)


def cmd_lead_import(args: argparse.Namespace) -> None:
    """Import leads from a spreadsheet: every row or none; the problems by row and field."""
    lang = _lang(args)
    data = Path(args.file).read_bytes()
    with _acting(args) as (session, actor):
        report = import_leads(session, actor, data, Path(args.file).name, dry_run=args.dry_run)
    for row, field, code, params in report.problems:
        values = {k: str(v) for k, v in params.items()}
        if "field" in values:
            values["field"] = t(f"leads.field.{values['field']}", lang)
        print(f"row {row}\t{OPTIONS.get(field, field)}\t{t(f'lead.error.{code}', lang, **values)}")
    print(
        f"{report.rows} rows, {len(report.created)} leads {'checked' if args.dry_run else 'imported'}, "
        f"{len(report.problems)} problems"
    )
    if not report.ok:
        raise CliError(t("leads.import_failed", lang, count=len(report.problems)).rstrip("：:"))


def cmd_token_create(args: argparse.Namespace) -> None:
    """Print a new token once (it is stored hashed only)."""
    with _acting(args) as (session, actor):
        token = create_token(session, actor, args.source, args.label or "")
    print(token)


def _missing(value: object) -> bool:
    return value is None or value != value  # None, NaN or NaT


def cmd_token_list(args: argparse.Namespace) -> None:
    with read_session(engine_for(args)) as session:
        frame = list_tokens(session, args.source)
    for row in frame.itertuples(index=False):
        state = "live" if _missing(row.revoked_at) else "revoked"
        used = "-" if _missing(row.last_used_at) else row.last_used_at.isoformat(timespec="minutes")
        print(f"{row.id}\t{row.source}\t{row.prefix}…\t{state}\tlast used {used}\t{row.label}")


def cmd_token_revoke(args: argparse.Namespace) -> None:
    with _acting(args) as (session, actor):
        revoke_token(session, actor, args.id)
    print(f"token {args.id} revoked")


def cmd_rules(args: argparse.Namespace) -> None:
    with read_session(engine_for(args)) as session:
        frame = rules_frame(session)
    for row in frame.itertuples(index=False):
        target = row.rep if isinstance(row.rep, str) else f"team {row.team} (round robin)"
        region = "*" if _missing(row.region_id) else int(row.region_id)
        print(f"{int(row.position)}\tregion {region}\tindustry {row.industry or '*'}\t→ {target}")


def add_parsers(sub) -> None:
    """The ``lead`` commands."""
    lead = sub.add_parser("lead", help="add leads, manage inbound API tokens, list rules")
    actions = lead.add_subparsers(dest="lead_command", required=True)
    add = scoped_by_user(actions.add_parser("add", help="add a lead; prints its id",
                                            allow_abbrev=False))  # fmt: skip
    add.add_argument("--source", required=True, help="lead source code (website, referral …)")
    add.add_argument("--company", required=True)
    add.add_argument("--contact", help="contact name")
    add.add_argument("--phone")
    add.add_argument("--email")
    add.add_argument("--industry", help="matched by the assignment rules")
    add.add_argument("--region", help="region code")
    add.add_argument("--budget", help="85万, ¥850,000 or 850000 (yuan)")
    add.add_argument("--urgency", help="high, medium or low")
    add.add_argument("--fit", help="high, medium or low")
    add.add_argument("--message")
    add.set_defaults(func=cmd_lead_add)
    sheet = scoped_by_user(actions.add_parser("import", help="leads from a CSV/XLSX/XLS file"))
    sheet.add_argument("file")
    sheet.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    sheet.set_defaults(func=cmd_lead_import)
    token = actions.add_parser("token", help="inbound API tokens (admins)")
    token_actions = token.add_subparsers(dest="token_command", required=True)
    create = scoped_by_user(token_actions.add_parser("create", help="print a new token once"))
    create.add_argument("--source", required=True)
    create.add_argument("--label")
    create.set_defaults(func=cmd_token_create)
    listing = token_actions.add_parser("list", help="tokens (never their value)")
    listing.add_argument("--source")
    listing.set_defaults(func=cmd_token_list)
    revoke = scoped_by_user(token_actions.add_parser("revoke", help="revoke a token"))
    revoke.add_argument("--id", type=int, required=True)
    revoke.add_argument("--source", help="(ignored; the id names the token)")
    revoke.set_defaults(func=cmd_token_revoke)
    rules = actions.add_parser("rules", help="the assignment rules in priority order")
    rules.set_defaults(func=cmd_rules)
