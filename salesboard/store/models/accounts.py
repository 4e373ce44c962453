"""Sign-in sessions and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import utcnow


class AuthSession(SQLModel, table=True):
    """A signed-in browser session; only the SHA-256 of its token is stored."""

    __tablename__ = "auth_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None


class AuditLog(SQLModel, table=True):
    """Who changed what, when, with the old and new values (JSON text)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    # Kept as text too: the trail must stay readable after a user is renamed or removed.
    actor_name: str = Field(default="", max_length=64)
    action: str = Field(max_length=32)  # create / update / delete / transition / import …
    entity: str = Field(max_length=32)  # table or domain object: opportunity, goal, form …
    entity_id: str = Field(default="", max_length=64)
    summary: str = Field(default="", max_length=500)
    old_values: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    new_values: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
