"""improvement actions, pilots, history and best practices

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 15:00:00

Issue 16 (points 4–6): process improvement actions (优化行动) with pilot teams and a change
history, and the best-practice knowledge base (知识库) with links to actions. Small tables
(hundreds of rows): one index for the board's status / overdue reads, one per link.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime
TEXT = sqlmodel.sql.sqltypes.AutoString


def _stamps(table: str) -> list:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["user.id"], name=op.f(f"fk_{table}_created_by_user")),
        sa.ForeignKeyConstraint(["updated_by"], ["user.id"], name=op.f(f"fk_{table}_updated_by_user")),
    ]  # fmt: skip


def _source() -> list:
    return [
        sa.Column("source_kind", TEXT(length=32), nullable=False),
        sa.Column("source_ref", TEXT(length=200), nullable=False),
        sa.Column("source_link", TEXT(length=500), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "improvement_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area", TEXT(length=64), nullable=False),
        sa.Column("pain_point", TEXT(length=500), nullable=False),
        sa.Column("metric", TEXT(length=32), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("unit", TEXT(length=16), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_department", TEXT(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", TEXT(length=16), nullable=False),
        *_source(),
        *_stamps("improvement_action"),
        sa.ForeignKeyConstraint(["owner_id"], ["user.id"], name=op.f("fk_improvement_action_owner_id_user")),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_improvement_action_team_id_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvement_action")),
    )  # fmt: skip
    op.create_index("ix_improvement_action_status_due", "improvement_action", ["status", "due_on"])
    op.create_index(op.f("ix_improvement_action_team_id"), "improvement_action", ["team_id"])
    op.create_table(
        "improvement_pilot",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["improvement_action.id"], name=op.f("fk_improvement_pilot_action_id_improvement_action")),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_improvement_pilot_team_id_team")),
        sa.PrimaryKeyConstraint("action_id", "team_id", name=op.f("pk_improvement_pilot")),
    )  # fmt: skip
    op.create_index(op.f("ix_improvement_pilot_team_id"), "improvement_pilot", ["team_id"])
    op.create_table(
        "improvement_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("kind", TEXT(length=16), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", UTC(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["improvement_action.id"], name=op.f("fk_improvement_history_action_id_improvement_action")),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], name=op.f("fk_improvement_history_actor_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvement_history")),
    )  # fmt: skip
    op.create_index(op.f("ix_improvement_history_action_id"), "improvement_history", ["action_id"])
    op.create_table(
        "best_practice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", TEXT(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tags", TEXT(length=500), nullable=False),
        *_source(),
        *_stamps("best_practice"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_best_practice")),
    )
    op.create_table(
        "improvement_practice",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["improvement_action.id"], name=op.f("fk_improvement_practice_action_id_improvement_action")),
        sa.ForeignKeyConstraint(["practice_id"], ["best_practice.id"], name=op.f("fk_improvement_practice_practice_id_best_practice")),
        sa.PrimaryKeyConstraint("action_id", "practice_id", name=op.f("pk_improvement_practice")),
    )  # fmt: skip
    op.create_index(op.f("ix_improvement_practice_practice_id"), "improvement_practice", ["practice_id"])  # fmt: skip


def downgrade() -> None:
    for table in ("improvement_practice", "best_practice", "improvement_history",
                  "improvement_pilot", "improvement_action"):  # fmt: skip
        op.drop_table(table)
