"""opportunity assessments on five dimensions

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 17:30:00

Issue 17 (point 3, seed 001 机会评估五维度): a deal scored 1–5 on the company's dimensions
with a note each; every assessment kept, the newest of a deal marked ``latest``. The
dimensions, their weights and the review's flag thresholds are an app setting (JSON).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deal_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("latest", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("assessed_by", sa.Integer(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"], ["opportunity.id"],
            name=op.f("fk_deal_assessment_opportunity_id_opportunity"),
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stage.id"], name=op.f("fk_deal_assessment_stage_id_stage")
        ),
        sa.ForeignKeyConstraint(
            ["assessed_by"], ["user.id"], name=op.f("fk_deal_assessment_assessed_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_assessment")),
    )
    op.create_index(
        op.f("ix_deal_assessment_opportunity_id"), "deal_assessment", ["opportunity_id"]
    )
    op.create_index("ix_deal_assessment_latest", "deal_assessment", ["latest", "opportunity_id"])
    op.create_table(
        "deal_assessment_score",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["deal_assessment.id"],
            name=op.f("fk_deal_assessment_score_assessment_id_deal_assessment"),
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("assessment_id", "dimension", name=op.f("pk_deal_assessment_score")),
    )


def downgrade() -> None:
    op.drop_table("deal_assessment_score")
    op.drop_index("ix_deal_assessment_latest", table_name="deal_assessment")
    op.drop_index(op.f("ix_deal_assessment_opportunity_id"), table_name="deal_assessment")
    op.drop_table("deal_assessment")
