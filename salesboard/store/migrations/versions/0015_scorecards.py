"""scorecards: weight sets, saved scorecards and deal ratings

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 15:10:00

Issue 16 (evaluate and improve): the scorecard's weight sets (versioned: editing adds a
version), the scores saved with the weight set they used, and the 1–5 ratings of a deal at a
stage exit that feed the stage KPIs and the scorecard's satisfaction metric.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "weight_set",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("weights", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_weight_set_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weight_set")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_weight_set_name")),
    )
    op.create_table(
        "scorecard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("weight_set_id", sa.Integer(), nullable=False),
        sa.Column("weight_set_version", sa.Integer(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("process", sa.Float(), nullable=False),
        sa.Column("result", sa.Float(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("computed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["weight_set_id"], ["weight_set.id"], name=op.f("fk_scorecard_weight_set_id_weight_set")
        ),
        sa.ForeignKeyConstraint(
            ["computed_by"], ["user.id"], name=op.f("fk_scorecard_computed_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard")),
    )
    op.create_index(
        "ix_scorecard_subject", "scorecard", ["level", "subject_id", "period", "id"]
    )
    op.create_table(
        "deal_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("rated_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("rated_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"], ["opportunity.id"],
            name=op.f("fk_deal_rating_opportunity_id_opportunity"),
        ),
        sa.ForeignKeyConstraint(
            ["stage_id"], ["stage.id"], name=op.f("fk_deal_rating_stage_id_stage")
        ),
        sa.ForeignKeyConstraint(
            ["rated_by"], ["user.id"], name=op.f("fk_deal_rating_rated_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_rating")),
        sa.UniqueConstraint(
            "opportunity_id", "stage_id", "kind", name=op.f("uq_deal_rating_opportunity_id")
        ),
    )
    op.create_index("ix_deal_rating_rated_on", "deal_rating", ["rated_on", "stage_id"])


def downgrade() -> None:
    op.drop_index("ix_deal_rating_rated_on", table_name="deal_rating")
    op.drop_table("deal_rating")
    op.drop_index("ix_scorecard_subject", table_name="scorecard")
    op.drop_table("scorecard")
    op.drop_table("weight_set")
