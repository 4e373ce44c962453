"""The staged sales process: stages, opportunities, their stage history, key actions,
visits, collections and the change history of each deal."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Index, true
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import OpportunityStatus, StageKind, money_column, utcnow


class Stage(SQLModel, table=True):
    """A configurable step of the sales process with its time standard."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    position: int = Field(index=True)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    kind: str = Field(default=StageKind.OPEN, max_length=8)
    standard_days: int | None = Field(default=None, description="time standard, working days")
    idle_days: int | None = Field(default=None, description="max working days without activity")
    key_actions_zh: str = ""
    key_actions_en: str = ""
    deliverable_zh: str = ""
    deliverable_en: str = ""
    # A stage opportunities still use cannot be deleted; it is deactivated (hidden from new
    # choices and from the funnel) instead.
    active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # Moving a deal on with one of this stage's key actions undone needs a reason, unless an
    # admin made the stage's key actions optional (Stage settings).
    key_actions_required: bool = Field(default=True, sa_column_kwargs={"server_default": true()})


class Opportunity(SQLModel, table=True):
    __table_args__ = (
        # Covering indexes for the dashboards' common filters (see TECH_NOTES).
        Index("ix_opportunity_status_stage", "status", "current_stage_id", "amount_minor"),
        Index("ix_opportunity_team_status", "team_id", "status", "current_stage_id"),
        # Equality column first, then the date range: "won/lost in this period" is an index range.
        # The customer too (migration 0035): the customer matrix's correction of a few days'
        # wins per customer reads it alone.
        Index("ix_opportunity_status_won_on", "status", "won_on", "amount_minor", "customer_id"),
        Index("ix_opportunity_status_lost_on", "status", "lost_on"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)  # XS + yyyymm + sequence
    name: str = Field(default="", max_length=200)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    # The team and region credited with the deal when it was opened (kept for history).
    team_id: int = Field(foreign_key="team.id")
    region_id: int = Field(foreign_key="region.id", index=True)
    product_line_id: int = Field(foreign_key="product_line.id", index=True)
    amount_minor: int = Field(sa_column=money_column())
    source: str = Field(default="", max_length=32)
    created_on: date = Field(index=True)
    current_stage_id: int = Field(foreign_key="stage.id")
    stage_entered_on: date
    status: str = Field(default=OpportunityStatus.OPEN, max_length=8)
    lost_stage_id: int | None = Field(default=None, foreign_key="stage.id")
    lost_reason: str = Field(default="", max_length=200)
    # The reason's code in the company's list of lost reasons (``LostReason``); empty for
    # deals lost before the list existed or imported with free text only.
    lost_reason_code: str = Field(default="", max_length=32)
    expected_close_on: date | None = None
    won_on: date | None = None
    lost_on: date | None = None
    last_activity_on: date | None = None
    risk_flag: str = Field(default="", max_length=64)
    next_step: str = Field(default="", max_length=200)
    # Optimistic concurrency: bump on every write, refuse a write whose seen version is stale.
    version: int = Field(default=1)
    updated_at: datetime = Field(default_factory=utcnow)
    # The earliest planned day among the current stage's key actions not done (None: none):
    # kept by database triggers on every write (migration 0025), never written by the app;
    # the overdue rule tests it instead of seeking each deal's key actions.
    next_action_on: date | None = None


class StageHistory(SQLModel, table=True):
    """One row per stage an opportunity entered; ``left_on`` is empty while it is still there."""

    __tablename__ = "stage_history"
    __table_args__ = (Index("ix_stage_history_stage_entered", "stage_id", "entered_on"),)
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    stage_id: int = Field(foreign_key="stage.id")
    entered_on: date
    left_on: date | None = None


class KeyAction(SQLModel, table=True):
    """A planned step of a stage (seed table 1, 销售过程跟踪表)."""

    __tablename__ = "key_action"
    id: int | None = Field(default=None, primary_key=True)
    # Indexed in store.models.indexes (on PostgreSQL the index carries the customer feedback).
    opportunity_id: int = Field(foreign_key="opportunity.id")
    stage_id: int = Field(foreign_key="stage.id")
    owner_id: int = Field(foreign_key="user.id")  # indexed owner-first in store.models.indexes
    action: str = Field(max_length=200)
    planned_on: date = Field(index=True)
    # The date first planned, kept when the action is re-planned (None: never re-planned).
    first_planned_on: date | None = None
    done_on: date | None = None
    deliverable: str = Field(default="", max_length=200)
    customer_feedback: str = Field(default="", max_length=500)
    risk_flag: str = Field(default="", max_length=64)
    # The deal's owner and the team credited with it (``owner_id`` is the action's own),
    # copied and kept in step by triggers (migration 0029): key actions per rep or team, as
    # the deals are scoped, are one range of a covering index.
    deal_owner_id: int | None = None
    deal_team_id: int | None = None


class VisitStatus(enum.StrEnum):
    """A visit is planned (a visit plan for a day) until it is logged as done."""

    PLANNED = "planned"
    DONE = "done"


class Visit(SQLModel, table=True):
    """A customer visit (拜访), planned or done; ``effective`` is computed (DOMAIN.md §2)."""

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id", index=True)
    rep_id: int = Field(foreign_key="user.id", index=True)
    visited_on: date = Field(index=True)
    minutes: int = 30
    with_decision_maker: bool = False
    need_obtained: bool = False
    # 有效拜访: a decision maker, at least 10 minutes, a clear need (DOMAIN.md §2).
    effective: bool = False
    goal: str = Field(default="", max_length=200)
    commitment: str = Field(default="", max_length=200)  # 晋级承诺
    contact_name: str = Field(default="", max_length=64)
    contact_role: str = Field(default="", max_length=64)
    need: str = Field(default="", max_length=500)  # the need obtained, in the rep's words
    next_step: str = Field(default="", max_length=200)
    status: str = Field(default=VisitStatus.DONE, max_length=8)
    version: int = Field(default=1)


class Collection(SQLModel, table=True):
    """An amount due from a won deal and what was collected (回款)."""

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    due_on: date = Field(index=True)
    due_minor: int = Field(sa_column=money_column())
    collected_on: date | None = None
    collected_minor: int = Field(default=0, sa_column=money_column())
    # The deal's owner and the team credited with it, copied and kept in step by triggers
    # (migration 0028): collections per rep or team are one range of a covering index.
    # Plain integers, as in the rollups: never written by the application.
    owner_id: int | None = None
    team_id: int | None = None


class OpportunityEventKind(enum.StrEnum):
    """What an ``OpportunityEvent`` records; ``note`` counts as activity on the deal."""

    CREATED = "created"
    STAGE = "stage"
    STATUS = "status"
    AMOUNT = "amount"
    EXPECTED_CLOSE = "expected_close"
    PLANNED_DATE = "planned_date"
    RISK_FLAG = "risk_flag"
    NEXT_STEP = "next_step"
    COMMENT = "comment"
    NOTE = "note"
    # Written by the deal workspace (salesboard.deals); old/new value and note as documented
    # there. ``stage`` events carry the reason of a move back or past undone key actions.
    EDIT = "edit"  # a field without its own kind: note names the field
    ACTION_ADDED = "action_added"
    ACTION_DONE = "action_done"
    VISIT = "visit"
    ATTACHMENT = "attachment"
    ASSESSED = "assessed"  # new value: the weighted score; note: the overall note


class CodeSequence(SQLModel, table=True):
    """The last sequence number given to deal codes with a prefix (XS202612 → 17): the row
    is locked by the increment, so concurrent creators get distinct codes."""

    __tablename__ = "code_sequence"
    prefix: str = Field(primary_key=True, max_length=16)
    last: int = 0


class LostReason(SQLModel, table=True):
    """A reason a deal is lost, from the company's list (Organisation settings)."""

    __tablename__ = "lost_reason"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})


class Attachment(SQLModel, table=True):
    """A file attached to a deal (a key action's deliverable, usually). The content lives in
    the attachment store (``salesboard.deals.attachments``), named by its SHA-256."""

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    key_action_id: int | None = Field(default=None, foreign_key="key_action.id", index=True)
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64, index=True)
    uploaded_by: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: datetime = Field(default_factory=utcnow)


class OpportunityEvent(SQLModel, table=True):
    """One change in an opportunity's history: a field's old and new value, or a comment.

    ``happened_on`` is the business date (what "since last week" compares); ``at`` the
    exact UTC time of the write.
    """

    __tablename__ = "opportunity_event"
    __table_args__ = (Index("ix_opportunity_event_day_kind", "happened_on", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    happened_on: date
    at: datetime = Field(default_factory=utcnow)
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    kind: str = Field(max_length=16)
    old_value: str = Field(default="", max_length=200)
    new_value: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=1000)
