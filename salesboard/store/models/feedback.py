"""Tables of the monthly performance feedback form (业绩跟踪与反馈表, DOMAIN.md §4).

- ``feedback_form``: one row per rep, month and revision (amendments add revisions). The
  editable content (KPI rows, key customer actions, improvement plan, carried-over items)
  is JSON text in ``body``, so a draft can be saved on every keystroke without a schema
  change per field; ``version`` guards it against lost updates (optimistic concurrency).
- ``improvement_item``: the improvement plan's rows, mirrored from the latest revision's body
  on every save, so next month's form and the manager can query open / overdue items; an
  item's status is updated later from the next month's form (closing the loop).

Configurable form metrics live in ``app_setting`` (key ``feedback.metrics``), see
``salesboard.feedback.config``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import utcnow


class FeedbackForm(SQLModel, table=True):
    """A rep's monthly feedback form (one revision); stamps are UTC."""

    __tablename__ = "feedback_form"
    __table_args__ = (
        UniqueConstraint("rep_id", "period", "revision"),
        Index("ix_feedback_form_period_team", "period", "team_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="user.id")
    period: str = Field(max_length=7)  # "YYYY-MM"
    revision: int = 1  # 1 = the original; each amendment of a confirmed form adds one
    team_id: int | None = Field(default=None, foreign_key="team.id")
    manager_id: int | None = Field(default=None, foreign_key="user.id")
    status: str = Field(default="draft", max_length=16)  # draft/submitted/confirmed/returned
    # Optimistic concurrency: every write bumps it; a write with a stale version is refused.
    version: int = 1
    body: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    submissions: int = 0  # > 1 means it was returned and resubmitted
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
    submitted_at: datetime | None = None
    submitted_by: int | None = Field(default=None, foreign_key="user.id")
    confirmed_at: datetime | None = None
    confirmed_by: int | None = Field(default=None, foreign_key="user.id")
    returned_at: datetime | None = None
    returned_by: int | None = Field(default=None, foreign_key="user.id")
    return_comment: str = Field(default="", max_length=2000)


class ImprovementItem(SQLModel, table=True):
    """One row of a form's improvement plan (问题分析与改进计划), queryable across months."""

    __tablename__ = "improvement_item"
    __table_args__ = (
        UniqueConstraint("rep_id", "period", "item_key"),
        Index("ix_improvement_item_rep_status", "rep_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="user.id")
    period: str = Field(max_length=7)  # the month whose form raised it
    item_key: str = Field(max_length=32)  # stable id of the row inside the form body
    form_id: int = Field(foreign_key="feedback_form.id", index=True)
    position: int = 0
    problem: str = Field(default="", max_length=500)
    cause_category: str = Field(default="", max_length=16)  # people / product / market
    cause: str = Field(default="", max_length=500)
    measure: str = Field(default="", max_length=500)
    owner: str = Field(default="", max_length=64)
    due_on: date | None = None
    checkpoint_on: date | None = None
    status: str = Field(default="not_started", max_length=16)  # not_started/in_progress/done
    note: str = Field(default="", max_length=500)  # latest progress note (from a later form)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="user.id")
