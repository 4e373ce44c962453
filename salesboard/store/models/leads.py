"""Tables of leads (线索, issue 17 point 4, seed 002's "线索分配 ≤ 1 小时"):

- ``lead``: one inbound lead before it becomes an opportunity — source (a ``lead_source``
  code), when it was received, company and contact, industry and region, budget (minor
  units), urgency and fit, its score, status new / assigned / converted / rejected, who and
  which team it was assigned to and when (the first assignment: the ≤ 1 working hour clock),
  the rule that routed it, the deal it became, the reject reason, and the idempotency key the
  inbound API was posted with (unique per source, with the request's hash to tell a retry from
  a different post);
- ``lead_score_criterion``: the configurable scoring — points when a field has a value
  (budget: at least an amount);
- ``lead_assignment_rule``: region + industry → a team (round robin among its reps) or one
  rep, in priority order;
- ``lead_team_cursor``: each team's round-robin position (updated under the row lock);
- ``lead_api_token``: a source's API token, stored as its SHA-256 only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import utcnow


class Lead(SQLModel, table=True):
    """An inbound lead (线索); stamps are UTC, money in minor units."""

    __tablename__ = "lead"
    __table_args__ = (
        UniqueConstraint("source", "idempotency_key", name="uq_lead_source_idempotency_key"),
        Index("ix_lead_team_status", "team_id", "status"),
        Index("ix_lead_assigned_status", "assigned_to", "status"),
        # Arrival with what a year's conversion by month and source counts and what a team's
        # or rep's scope tests: that chart reads the index alone (migration 0024).
        Index(
            "ix_lead_received_covering", "received_at", "source", "status", "team_id", "assigned_to"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    received_at: datetime
    company: str = Field(max_length=128)
    contact_name: str = Field(default="", max_length=64)
    contact_phone: str = Field(default="", max_length=32)
    contact_email: str = Field(default="", max_length=128)
    industry: str = Field(default="", max_length=64)
    region_id: int | None = Field(default=None, foreign_key="region.id")
    budget_minor: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    urgency: str = Field(default="", max_length=16)  # high / medium / low / ""
    fit: str = Field(default="", max_length=16)  # high / medium / low / ""
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    score: int = 0
    status: str = Field(default="new", max_length=16)
    assigned_to: int | None = Field(default=None, foreign_key="user.id")
    team_id: int | None = Field(default=None, foreign_key="team.id")
    assigned_at: datetime | None = None
    rule_id: int | None = Field(default=None, foreign_key="lead_assignment_rule.id")
    opportunity_id: int | None = Field(default=None, foreign_key="opportunity.id")
    closed_at: datetime | None = None
    reject_reason: str = Field(default="", max_length=32)
    reject_note: str = Field(default="", max_length=500)
    idempotency_key: str | None = Field(default=None, max_length=128)
    request_hash: str = Field(default="", max_length=64)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    version: int = 1


class LeadScoreCriterion(SQLModel, table=True):
    """Points a lead scores when ``field`` has ``value`` (budget: at least ``value`` yuan)."""

    __tablename__ = "lead_score_criterion"
    id: int | None = Field(default=None, primary_key=True)
    field: str = Field(max_length=16)  # budget / urgency / fit / source / industry
    value: str = Field(max_length=64)
    points: int


class LeadAssignmentRule(SQLModel, table=True):
    """Region + industry → a team (round robin) or one rep; the lowest ``position`` that
    matches wins; an empty region / industry matches any."""

    __tablename__ = "lead_assignment_rule"
    id: int | None = Field(default=None, primary_key=True)
    position: int
    region_id: int | None = Field(default=None, foreign_key="region.id")
    industry: str = Field(default="", max_length=64)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    active: bool = True


class LeadTeamCursor(SQLModel, table=True):
    """The rep of ``team_id`` who got the team's last lead (round robin)."""

    __tablename__ = "lead_team_cursor"
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    last_user_id: int | None = None
    turns: int = 0


class LeadApiToken(SQLModel, table=True):
    """An inbound API token of a source: the SHA-256 of the token (shown once), revocable."""

    __tablename__ = "lead_api_token"
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32, index=True)
    label: str = Field(default="", max_length=64)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
