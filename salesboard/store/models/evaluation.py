"""Tables of the evaluation (绩效评估, DOMAIN.md §5) and of the deal ratings.

- ``weight_set``: the scorecard's weights, one row per version (``name`` + ``version``);
  editing weights adds a version, an old version is never rewritten. ``weights`` is JSON
  ``{metric code: percent}`` adding up to 100.
- ``scorecard``: a computed score of a rep or a team for a period, with the weight set
  (id and version) it used and every metric's actual, score, weight and contribution as
  JSON in ``body``; recomputing adds a row, so last quarter's score stays as it was.
- ``deal_rating``: a 1–5 rating of a deal at a stage exit (方案匹配度, 沟通满意度), by the
  deal team's manager or imported from a survey sheet.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import utcnow

# The kinds of rating a deal gets (codes; names in i18n ``rating.kind.<code>``).
RATING_KINDS = ("proposal_match", "communication")
RATING_MIN, RATING_MAX = 1, 5


class WeightSet(SQLModel, table=True):
    """One version of a scorecard weight set; stamps are UTC."""

    __tablename__ = "weight_set"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    version: int = 1
    valid_from: date
    weights: str = Field(sa_column=Column(Text, nullable=False))  # JSON {metric: percent}
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="user.id")


class Scorecard(SQLModel, table=True):
    """A saved score of a rep (``level`` "rep", ``subject_id`` a user) or a team ("team",
    a team id) for a period label (2026-10, 2026Q4, 2026)."""

    __tablename__ = "scorecard"
    __table_args__ = (Index("ix_scorecard_subject", "level", "subject_id", "period", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=16)
    level: str = Field(max_length=8)
    subject_id: int
    weight_set_id: int = Field(foreign_key="weight_set.id")
    weight_set_version: int
    total: float
    process: float
    result: float
    as_of: date
    body: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of metric rows
    computed_at: datetime = Field(default_factory=utcnow)
    computed_by: int | None = Field(default=None, foreign_key="user.id")


class DealRating(SQLModel, table=True):
    """A 1–5 rating of a deal at the exit of a stage."""

    __tablename__ = "deal_rating"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "stage_id", "kind"),
        Index("ix_deal_rating_rated_on", "rated_on", "stage_id"),
        # Ratings per rep or team from this index alone (the copy below, migration 0028).
        Index("ix_deal_rating_rated_owner", "rated_on", "owner_id", "team_id", "score"),
    )
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id")
    stage_id: int = Field(foreign_key="stage.id")
    kind: str = Field(max_length=32)
    score: int
    rated_on: date
    note: str = Field(default="", max_length=500)
    rated_by: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)
    # The deal's owner and the team credited with it, copied and kept in step by triggers
    # (migration 0028); plain integers, never written by the application.
    owner_id: int | None = None
    team_id: int | None = None
