"""leads, their scoring, assignment rules, round-robin cursors and inbound API tokens

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 17:30:00

Issue 17 (point 4): leads (线索) before they become opportunities, scored on configurable
criteria and routed on arrival by region + industry rules to a team (round robin among its
reps, the team's cursor updated under its row lock) or a rep; the inbound API's per-source
tokens stored as SHA-256 only. A lead's idempotency key is unique per source (NULL for leads
typed in or imported). Indexes for the scoped reads: by team and status (a manager), by
assignee and status (a rep), by received time (the monthly conversion figure).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "lead_score_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("field", TEXT(length=16), nullable=False),
        sa.Column("value", TEXT(length=64), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_score_criterion")),
    )
    op.create_table(
        "lead_team_cursor",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("last_user_id", sa.Integer(), nullable=True),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_lead_team_cursor_team_id_team")
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_lead_team_cursor")),
    )
    op.create_table(
        "lead_api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", TEXT(length=32), nullable=False),
        sa.Column("label", TEXT(length=64), nullable=False),
        sa.Column("token_hash", TEXT(length=64), nullable=False),
        sa.Column("prefix", TEXT(length=12), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("revoked_at", UTC(), nullable=True),
        sa.Column("last_used_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user.id"], name=op.f("fk_lead_api_token_created_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_lead_api_token_token_hash")),
    )
    op.create_index(op.f("ix_lead_api_token_source"), "lead_api_token", ["source"], unique=False)
    op.create_table(
        "lead_assignment_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("industry", TEXT(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_lead_assignment_rule_region_id_region")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_lead_assignment_rule_team_id_team")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_lead_assignment_rule_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_assignment_rule")),
    )
    op.create_table(
        "lead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", TEXT(length=32), nullable=False),
        sa.Column("received_at", UTC(), nullable=False),
        sa.Column("company", TEXT(length=128), nullable=False),
        sa.Column("contact_name", TEXT(length=64), nullable=False),
        sa.Column("contact_phone", TEXT(length=32), nullable=False),
        sa.Column("contact_email", TEXT(length=128), nullable=False),
        sa.Column("industry", TEXT(length=64), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("budget_minor", sa.BigInteger(), nullable=True),
        sa.Column("urgency", TEXT(length=16), nullable=False),
        sa.Column("fit", TEXT(length=16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("status", TEXT(length=16), nullable=False),
        sa.Column("assigned_to", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", UTC(), nullable=True),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", UTC(), nullable=True),
        sa.Column("reject_reason", TEXT(length=32), nullable=False),
        sa.Column("reject_note", TEXT(length=500), nullable=False),
        sa.Column("idempotency_key", TEXT(length=128), nullable=True),
        sa.Column("request_hash", TEXT(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_to"], ["user.id"], name=op.f("fk_lead_assigned_to_user")
        ),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"], name=op.f("fk_lead_created_by_user")),
        sa.ForeignKeyConstraint(
            ["opportunity_id"], ["opportunity.id"], name=op.f("fk_lead_opportunity_id_opportunity")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["region.id"], name=op.f("fk_lead_region_id_region")
        ),
        sa.ForeignKeyConstraint(
            ["rule_id"],
            ["lead_assignment_rule.id"],
            name=op.f("fk_lead_rule_id_lead_assignment_rule"),
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_lead_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead")),
        sa.UniqueConstraint("source", "idempotency_key", name="uq_lead_source_idempotency_key"),
    )
    op.create_index("ix_lead_assigned_status", "lead", ["assigned_to", "status"], unique=False)
    op.create_index("ix_lead_received_at", "lead", ["received_at"], unique=False)
    op.create_index("ix_lead_team_status", "lead", ["team_id", "status"], unique=False)


def downgrade() -> None:
    for name in ("ix_lead_team_status", "ix_lead_received_at", "ix_lead_assigned_status"):
        op.drop_index(name, table_name="lead")
    op.drop_table("lead")
    op.drop_table("lead_assignment_rule")
    op.drop_index(op.f("ix_lead_api_token_source"), table_name="lead_api_token")
    op.drop_table("lead_api_token")
    op.drop_table("lead_team_cursor")
    op.drop_table("lead_score_criterion")
