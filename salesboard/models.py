"""The domain model: organisation, customers, the staged sales process and goals.

Money is stored as integer minor units (分 for CNY) in BIGINT columns, never float.
Dates that carry business meaning are ``date``; audit stamps are UTC ``datetime``.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    MetaData,
    Numeric,
    Text,
    UniqueConstraint,
    true,
)
from sqlmodel import Field, SQLModel

# Named constraints let Alembic's SQLite batch mode drop and recreate them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    """Timezone-aware now in UTC, for audit stamps."""
    return datetime.now(UTC)


def _money(**kwargs) -> Column:
    return Column(BigInteger, nullable=kwargs.pop("nullable", False), **kwargs)


class Role(enum.StrEnum):
    """What a user may see and do (enforced in queries by a later issue)."""

    REP = "rep"
    MANAGER = "manager"
    LEADER = "leader"
    ADMIN = "admin"


class OpportunityStatus(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class StageKind(enum.StrEnum):
    """Open stages move forward; ``won`` stages count as a signed deal; ``lost`` is terminal."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


class GoalScope(enum.StrEnum):
    COMPANY = "company"
    PRODUCT_LINE = "product_line"
    REGION = "region"
    TEAM = "team"
    REP = "rep"


class GoalMetric(enum.StrEnum):
    """Goal metrics; money metrics are in minor units, counts are plain numbers."""

    REVENUE = "revenue"
    NEW_CUSTOMERS = "new_customers"
    COLLECTION = "collection"
    VISITS = "visits"
    CYCLE_DAYS = "cycle_days"  # lower is better


LOWER_IS_BETTER_METRICS = frozenset({GoalMetric.CYCLE_DAYS})
MONEY_METRICS = frozenset({GoalMetric.REVENUE, GoalMetric.COLLECTION})


class Region(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    region_id: int = Field(foreign_key="region.id", index=True)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    display_name: str = Field(max_length=64)
    email: str | None = Field(default=None, max_length=128)
    role: str = Field(default=Role.REP, max_length=16)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # argon2 hash; empty means the user cannot sign in with a password (e.g. OIDC only).
    password_hash: str = Field(default="", max_length=255)
    password_changed_at: datetime | None = None
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = None


class TeamManager(SQLModel, table=True):
    """Which teams a manager leads (sees and reviews); a manager may lead several teams."""

    __tablename__ = "team_manager"
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class ProductLine(SQLModel, table=True):
    __tablename__ = "product_line"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)


class Customer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("name", "region_id"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, index=True)
    industry: str = Field(default="", max_length=64)
    region_id: int = Field(foreign_key="region.id", index=True)
    # enterprise / smb / government …: free codes so companies can add their own.
    customer_type: str = Field(default="enterprise", max_length=32)
    potential: str = Field(default="low", max_length=16)  # high / low (seed 001 matrix)
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_on: date


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


class Opportunity(SQLModel, table=True):
    __table_args__ = (
        # Covering indexes for the dashboards' common filters (see TECH_NOTES).
        Index("ix_opportunity_status_stage", "status", "current_stage_id", "amount_minor"),
        Index("ix_opportunity_team_status", "team_id", "status", "current_stage_id"),
        # Equality column first, then the date range: "won/lost in this period" is an index range.
        Index("ix_opportunity_status_won_on", "status", "won_on", "amount_minor"),
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
    amount_minor: int = Field(sa_column=_money())
    source: str = Field(default="", max_length=32)
    created_on: date = Field(index=True)
    current_stage_id: int = Field(foreign_key="stage.id")
    stage_entered_on: date
    status: str = Field(default=OpportunityStatus.OPEN, max_length=8)
    lost_stage_id: int | None = Field(default=None, foreign_key="stage.id")
    lost_reason: str = Field(default="", max_length=200)
    expected_close_on: date | None = None
    won_on: date | None = None
    lost_on: date | None = None
    last_activity_on: date | None = None
    risk_flag: str = Field(default="", max_length=64)
    next_step: str = Field(default="", max_length=200)
    # Optimistic concurrency: bump on every write, refuse a write whose seen version is stale.
    version: int = Field(default=1)
    updated_at: datetime = Field(default_factory=utcnow)


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
    # Indexed in models_pipeline (on PostgreSQL the index carries the customer feedback).
    opportunity_id: int = Field(foreign_key="opportunity.id")
    stage_id: int = Field(foreign_key="stage.id")
    owner_id: int = Field(foreign_key="user.id", index=True)
    action: str = Field(max_length=200)
    planned_on: date = Field(index=True)
    done_on: date | None = None
    deliverable: str = Field(default="", max_length=200)
    customer_feedback: str = Field(default="", max_length=500)
    risk_flag: str = Field(default="", max_length=64)


class Visit(SQLModel, table=True):
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


class Collection(SQLModel, table=True):
    """An amount due from a won deal and what was collected (回款)."""

    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    due_on: date = Field(index=True)
    due_minor: int = Field(sa_column=_money())
    collected_on: date | None = None
    collected_minor: int = Field(default=0, sa_column=_money())


class Goal(SQLModel, table=True):
    """A target for one period, metric and scope; ``parent_id`` makes the decomposition tree."""

    __table_args__ = (Index("ix_goal_period_metric", "period", "metric"),)
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=16)  # "2026", "2026Q4" or "2026-10"
    period_start: date
    period_end: date
    metric: str = Field(default=GoalMetric.REVENUE, max_length=32)
    scope: str = Field(default=GoalScope.COMPANY, max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="goal.id", index=True)
    product_line_id: int | None = Field(default=None, foreign_key="product_line.id")
    region_id: int | None = Field(default=None, foreign_key="region.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    owner_id: int | None = Field(default=None, foreign_key="user.id")
    # Money metrics in minor units; exact decimal so splits by percentage stay exact.
    target: Decimal = Field(sa_column=Column(Numeric(20, 4), nullable=False))
    # Optimistic concurrency (goal editing): bump on every write, refuse a stale one.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class CalendarOverride(SQLModel, table=True):
    """A company-specific day off or extra working day; wins over the public calendar."""

    __tablename__ = "calendar_override"
    day: date = Field(primary_key=True)
    is_working: bool
    note: str = Field(default="", max_length=200)


class AppSetting(SQLModel, table=True):
    """Key/value settings edited in the app (currency unit, thresholds …) as JSON text."""

    __tablename__ = "app_setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str = ""


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


# --- goals (issue 4) ---------------------------------------------------------------------
# Won deals of a period grouped by the goal dimensions, with the amount and lead date, read
# from this index alone: the goal tree's actuals at 1M opportunities (a year: 2.3 s → 0.3 s).
Index(
    "ix_opportunity_won_dims",
    Opportunity.__table__.c.status,
    Opportunity.__table__.c.won_on,
    Opportunity.__table__.c.product_line_id,
    Opportunity.__table__.c.region_id,
    Opportunity.__table__.c.team_id,
    Opportunity.__table__.c.owner_id,
    Opportunity.__table__.c.amount_minor,
    Opportunity.__table__.c.created_on,
)
# Lost deals per day and stage (stage win rates of the goal forecast) and per owner (the
# goal leaderboard's win rate).
Index(
    "ix_opportunity_lost_stage",
    Opportunity.__table__.c.status,
    Opportunity.__table__.c.lost_on,
    Opportunity.__table__.c.lost_stage_id,
    Opportunity.__table__.c.owner_id,
)
# Stage stays covering a date (the open pipeline as of a past day, for the back-test).
Index(
    "ix_stage_history_stays",
    StageHistory.__table__.c.stage_id,
    StageHistory.__table__.c.entered_on,
    StageHistory.__table__.c.left_on,
    StageHistory.__table__.c.opportunity_id,
)
# Key actions due in a period per owner, and whether done on time (goal leaderboard).
Index(
    "ix_key_action_due",
    KeyAction.__table__.c.planned_on,
    KeyAction.__table__.c.owner_id,
    KeyAction.__table__.c.done_on,
)

# --- feature tables in their own modules (registered on the same metadata) ------------------
from salesboard import models_import  # noqa: E402,F401,I001  (import log, templates: issue 6)
from salesboard import models_pipeline  # noqa: E402,F401,I001  (pipeline indexes: issue 3)
from salesboard.models_feedback import FeedbackForm, ImprovementItem  # noqa: E402,F401,I001  (issue 5)
