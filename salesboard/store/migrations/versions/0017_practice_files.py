"""files attached to best practices

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 16:00:00

Issue 16 (point 6): a knowledge-base entry (知识库) carries files — templates, checklists,
sample proposals — kept in the same content-addressed attachment store as deal files (so the
backup takes them with no change), one ``practice_file`` row each.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "practice_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["best_practice.id"],
            name=op.f("fk_practice_file_practice_id_best_practice"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["user.id"], name=op.f("fk_practice_file_uploaded_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_file")),
    )  # fmt: skip
    for column in ("practice_id", "sha256"):
        op.create_index(f"ix_practice_file_{column}", "practice_file", [column])


def downgrade() -> None:
    for column in ("practice_id", "sha256"):
        op.drop_index(f"ix_practice_file_{column}", table_name="practice_file")
    op.drop_table("practice_file")
