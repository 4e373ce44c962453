"""worklist and reminders: each user's reminder language

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 15:00:00

Issue 15 (My work and the reminders digest): the digest is written in each person's language,
kept on the user (empty: the company default, ``SALESBOARD_DEFAULT_LANGUAGE``). My work's
lists read existing indexes (checked with EXPLAIN at 1M deals), so no index is added.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "user", sa.Column("language", sa.String(length=8), nullable=False, server_default="")
    )


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop and recreate the
    # user table that deals, visits and audit entries refer to.
    op.drop_column("user", "language")
