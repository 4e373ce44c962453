"""The audit log: every write records who, when, what, and the old and new values.

Write functions call ``record`` inside their own transaction, so the trail and the change
land together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.store.models import AuditLog, User, utcnow
from salesboard.store.tables import AUDIT


def _plain(value: Any) -> Any:
    """JSON-friendly form of a stored value (dates as ISO text, Decimal as text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _dump(values: Mapping[str, Any] | None) -> str:
    if not values:
        return ""
    return json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def changed_fields(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields of ``new`` whose value differs from ``old``: (old values, new values)."""
    keys = [k for k in new if _plain(old.get(k)) != _plain(new[k])]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def record(
    session: Session,
    actor: Viewer,
    *,
    action: str,
    entity: str,
    entity_id: object = "",
    summary: str = "",
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
) -> AuditLog:
    """Add one audit entry to ``session`` (the caller's transaction commits it)."""
    entry = AuditLog(
        at=utcnow(),
        actor_id=actor.user_id,
        actor_name=actor.username[:64],
        action=action[:32],
        entity=entity[:32],
        entity_id=str(entity_id)[:64],
        summary=summary[:500],
        old_values=_dump(old),
        new_values=_dump(new),
    )
    session.add(entry)
    return entry


def record_user(session: Session, actor: Viewer, user: User, action: str, **details) -> AuditLog:
    """``record`` an ``action`` on the account ``user``; ``details``: summary, old, new."""
    return record(session, actor, action=action, entity="user", entity_id=user.id, **details)


AUDIT_COLUMNS = (
    "id", "at", "actor_name", "action", "entity", "entity_id", "summary", "old_values",
    "new_values",
)  # fmt: skip


def audit_trail(
    session: Session,
    *,
    entity: str | None = None,
    entity_id: object | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 1000,
) -> pd.DataFrame:
    """Audit entries, newest first, filtered by any of the arguments (bound parameters only)."""
    query = select(*(AUDIT.c[name] for name in AUDIT_COLUMNS)).order_by(AUDIT.c.id.desc())
    if entity is not None:
        query = query.where(AUDIT.c.entity == entity)
    if entity_id is not None:
        query = query.where(AUDIT.c.entity_id == str(entity_id))
    if actor_id is not None:
        query = query.where(AUDIT.c.actor_id == actor_id)
    if action is not None:
        query = query.where(AUDIT.c.action == action)
    if since is not None:
        query = query.where(AUDIT.c.at >= since)
    if until is not None:
        query = query.where(AUDIT.c.at < until)
    rows = session.execute(query.limit(limit)).all()
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
