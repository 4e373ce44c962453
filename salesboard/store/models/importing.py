"""Tables of the spreadsheet import (issue 6): remembered column mappings, the import log
and what undoing an import needs.

Imported by ``salesboard.models`` at its end, so every table is on the one metadata.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import utcnow


class ImportTemplate(SQLModel, table=True):
    """A column mapping remembered for a header set: the same headers (in any order, any
    spacing or width) get the same mapping next time. Each user has their own; one with no
    owner was shared with everyone by an admin."""

    __tablename__ = "import_template"
    __table_args__ = (
        UniqueConstraint("kind", "fingerprint", "owner_id"),
        # NULLs never collide in a unique constraint: one shared template per header set.
        Index("uq_import_template_shared", "kind", "fingerprint", unique=True,
              sqlite_where=text("owner_id IS NULL"), postgresql_where=text("owner_id IS NULL")),
    )  # fmt: skip
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    # SHA-256 of the sorted header keys (``mapping.header_fingerprint``).
    fingerprint: str = Field(max_length=64)
    # JSON: the headers as the file had them, and {field: header}.
    headers: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    mapping: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_by: int | None = Field(default=None, foreign_key="user.id")
    # Whose template it is; None: shared with everyone (an admin's explicit, audited act).
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class ImportStatus(enum.StrEnum):
    """``ImportBatch.status`` values."""

    DONE = "done"
    UNDONE = "undone"


class ImportBatch(SQLModel, table=True):
    """One import that wrote to the store: who, when, which file, what it did."""

    __tablename__ = "import_batch"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    # Kept as text: the log stays readable after the user is renamed or removed.
    actor_name: str = Field(default="", max_length=64)
    kind: str = Field(max_length=32)
    mode: str = Field(max_length=16)
    file_name: str = Field(default="", max_length=255)
    file_sha256: str = Field(default="", max_length=64)
    sheet: str = Field(default="", max_length=128)
    rows_total: int = 0
    inserted: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    status: str = Field(default=ImportStatus.DONE, max_length=16)
    undone_at: datetime | None = None
    undone_by: str = Field(default="", max_length=64)


class ImportChange(SQLModel, table=True):
    """One row an import wrote: ``insert`` (undo deletes it), ``update`` (undo restores
    ``before``) or ``delete`` (undo re-inserts ``before``). ``after`` holds what the import
    wrote (JSON), ``version_after`` the opportunity version it left; undo refuses when the
    row no longer matches them, i.e. someone changed it since."""

    __tablename__ = "import_change"
    __table_args__ = (Index("ix_import_change_batch_entity", "batch_id", "entity"),)
    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="import_batch.id")
    entity: str = Field(max_length=32)  # table name
    entity_id: str = Field(max_length=64)  # primary key; "team_id:user_id" for team_manager
    action: str = Field(max_length=8)
    before: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    after: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    version_after: int | None = None
