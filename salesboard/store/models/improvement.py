"""Tables of process improvement (优化行动, seed 002's table) and best practices (知识库).

- ``improvement_action``: one process improvement — stage/area, pain point, a target metric
  (a code of ``salesboard.improvement.targets``) with baseline and target value, measures,
  owner (a person and/or a department), start and due dates, status not_started /
  in_progress / done, the team that owns it, where it was created from (a finding on a page:
  kind, reference and the URL to go back to) and ``version`` against lost updates;
- ``improvement_pilot``: the pilot teams of an action (试点团队);
- ``improvement_history``: every change of an action (created, edited, status, pilots);
- ``best_practice``: a knowledge-base entry — title, Markdown body, tags, where it came from
  (a deal, a rep, a feedback form's improvement item, an improvement action);
- ``improvement_practice``: best practices linked to an action;
- ``practice_file``: a file attached to a best practice (its content in the attachment
  store, named by its SHA-256, as deal files).

A rep's own "problems & improvement plan" rows of the monthly form stay in
``improvement_item`` (their personal plan); one can be promoted to an action or a practice,
which then records it as its source (kind ``feedback_item``, reference the item id).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import utcnow


class ImprovementAction(SQLModel, table=True):
    """A process improvement action (优化行动); stamps are UTC."""

    __tablename__ = "improvement_action"
    __table_args__ = (Index("ix_improvement_action_status_due", "status", "due_on"),)
    id: int | None = Field(default=None, primary_key=True)
    area: str = Field(default="", max_length=64)  # a stage code or a free area (销售流程环节)
    pain_point: str = Field(default="", max_length=500)  # 当前痛点
    metric: str = Field(default="", max_length=32)  # target metric code ("" = none)
    baseline: float | None = None
    target: float | None = None
    unit: str = Field(default="", max_length=16)  # "%", "days" …
    measures: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    owner_department: str = Field(default="", max_length=64)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    start_on: date | None = None
    due_on: date | None = None
    status: str = Field(default="not_started", max_length=16)
    source_kind: str = Field(default="manual", max_length=32)
    source_ref: str = Field(default="", max_length=200)
    source_link: str = Field(default="", max_length=500)  # path + query, e.g. /pipeline?…
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="user.id")


class ImprovementPilot(SQLModel, table=True):
    """A pilot team of an action."""

    __tablename__ = "improvement_pilot"
    action_id: int = Field(foreign_key="improvement_action.id", primary_key=True)
    team_id: int = Field(foreign_key="team.id", primary_key=True, index=True)


class ImprovementHistory(SQLModel, table=True):
    """One change of an action: what changed (JSON old/new values) and who did it."""

    __tablename__ = "improvement_history"
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="improvement_action.id", index=True)
    kind: str = Field(max_length=16)  # created / edited / status / pilots / practice
    old_value: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    new_value: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    changed_at: datetime = Field(default_factory=utcnow)


class BestPractice(SQLModel, table=True):
    """A knowledge-base entry (知识库): a practice worth copying."""

    __tablename__ = "best_practice"
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    tags: str = Field(default="", max_length=500)  # comma separated
    source_kind: str = Field(default="manual", max_length=32)
    source_ref: str = Field(default="", max_length=200)
    source_link: str = Field(default="", max_length=500)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="user.id")


class ImprovementPractice(SQLModel, table=True):
    """A best practice linked to an improvement action."""

    __tablename__ = "improvement_practice"
    action_id: int = Field(foreign_key="improvement_action.id", primary_key=True)
    practice_id: int = Field(foreign_key="best_practice.id", primary_key=True, index=True)


class PracticeFile(SQLModel, table=True):
    """A file attached to a best practice; the content lives in the attachment store
    (``salesboard.improvement.knowledge_files``), named by its SHA-256."""

    __tablename__ = "practice_file"
    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="best_practice.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64, index=True)
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow)
