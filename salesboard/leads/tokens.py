"""Inbound API tokens, one or more per lead source: a random 32-byte token shown once when it
is made, stored only as its SHA-256 (a leaked store gives no usable token), revocable, with
when it was last used. The token decides the source of the leads posted with it."""

from __future__ import annotations

import hashlib
import secrets

import pandas as pd
from sqlalchemy import insert, select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require
from salesboard.calendar.clock import now
from salesboard.leads.errors import LeadError
from salesboard.leads.settings import active_sources
from salesboard.store.models import Role
from salesboard.store.queries import frame_of
from salesboard.store.tables import LEAD_TOKEN

PREFIX = "sbl_"


def token_hash(token: str) -> str:
    """The SHA-256 (hex) a token is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, actor: Viewer, source: str, label: str = "") -> str:
    """A new token for ``source`` (admins only); the token itself is returned once and never
    stored."""
    require(actor.is_admin, "admin_only", "only an admin makes API tokens")
    if source not in active_sources(session):
        raise LeadError("unknown_source", f"no lead source {source!r}", "source", value=source)
    label = (label or "").strip()
    if len(label) > 64:
        raise LeadError("too_long", "label over 64", "label", field="label", limit=64)
    token = PREFIX + secrets.token_urlsafe(32)
    token_id = session.execute(
        insert(LEAD_TOKEN).values(
            source=source, label=label, token_hash=token_hash(token), prefix=token[:12],
            created_at=now(), created_by=actor.user_id,
        )
    ).inserted_primary_key[0]  # fmt: skip
    audit.record(session, actor, action="create", entity="lead_token", entity_id=token_id,
                 summary=f"{source} {token[:12]}…", new={"source": source, "label": label})  # fmt: skip
    return token


def list_tokens(session: Session, source: str | None = None) -> pd.DataFrame:
    """Tokens (never their value): ``id, source, label, prefix, created_at, revoked_at,
    last_used_at``, newest first."""
    query = select(LEAD_TOKEN.c.id, LEAD_TOKEN.c.source, LEAD_TOKEN.c.label, LEAD_TOKEN.c.prefix,
                   LEAD_TOKEN.c.created_at, LEAD_TOKEN.c.revoked_at, LEAD_TOKEN.c.last_used_at)  # fmt: skip
    if source:
        query = query.where(LEAD_TOKEN.c.source == source)
    return frame_of(session, query.order_by(LEAD_TOKEN.c.id.desc()))


def revoke_token(session: Session, actor: Viewer, token_id: int) -> None:
    """Revoke a token (admins only): posts with it are refused from now on."""
    require(actor.is_admin, "admin_only", "only an admin revokes API tokens")
    changed = session.execute(
        update(LEAD_TOKEN)
        .where(LEAD_TOKEN.c.id == token_id, LEAD_TOKEN.c.revoked_at.is_(None))
        .values(revoked_at=now())
    ).rowcount  # fmt: skip
    if changed != 1:
        raise LeadError("not_found", f"no active token {token_id}", "token", id=token_id)
    audit.record(session, actor, action="delete", entity="lead_token", entity_id=token_id,
                 summary=f"token {token_id} revoked")  # fmt: skip


def source_of_token(session: Session, token: str) -> str | None:
    """The source a live token posts for, its last use stamped; None for an unknown or
    revoked token (the caller cannot tell which)."""
    digest = token_hash(token or "")
    row = session.execute(
        select(LEAD_TOKEN.c.id, LEAD_TOKEN.c.source)
        .where(LEAD_TOKEN.c.token_hash == digest, LEAD_TOKEN.c.revoked_at.is_(None))
    ).one_or_none()  # fmt: skip
    if row is None:  # looked up by hash: comparing secrets in Python would add nothing
        return None
    session.execute(update(LEAD_TOKEN).where(LEAD_TOKEN.c.id == row.id).values(last_used_at=now()))
    return str(row.source)


def api_viewer(source: str) -> Viewer:
    """Who the audit log names for a lead posted by ``source``'s token (``api:website``)."""
    return Viewer(user_id=None, username=f"api:{source}", display_name=f"api:{source}",
                  role=Role.ADMIN)  # fmt: skip
