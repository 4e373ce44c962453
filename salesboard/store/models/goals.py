"""Goals: a target per period, metric and scope, decomposed as a tree."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Column, Index, Numeric
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import GoalMetric, GoalScope


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
