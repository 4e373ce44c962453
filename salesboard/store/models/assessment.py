"""Opportunity assessments (机会评估五维度, seed 001): a deal scored 1–5 on the company's
dimensions, each with a note. Every assessment is kept (the score's history); the newest one
of a deal is marked ``latest`` so the pipeline by quality reads one row per deal."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import utcnow


class DealAssessment(SQLModel, table=True):
    """One assessment of a deal: the weighted score of its dimension scores (1.0–5.0) under
    the weights of the day, the stage the deal was in, who assessed it and when."""

    __tablename__ = "deal_assessment"
    __table_args__ = (Index("ix_deal_assessment_latest", "latest", "opportunity_id"),)
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    stage_id: int = Field(foreign_key="stage.id")
    score: float
    note: str = Field(default="", max_length=1000)
    latest: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    assessed_by: int | None = Field(default=None, foreign_key="user.id")
    assessed_at: datetime = Field(default_factory=utcnow)


class DealAssessmentScore(SQLModel, table=True):
    """One dimension's 1–5 score in an assessment, with its weight then and a note."""

    __tablename__ = "deal_assessment_score"
    assessment_id: int = Field(foreign_key="deal_assessment.id", primary_key=True)
    dimension: str = Field(primary_key=True, max_length=32)
    score: int
    weight: int
    note: str = Field(default="", max_length=500)
