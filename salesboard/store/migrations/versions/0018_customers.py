"""customer potential set by hand

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 17:30:00

Issue 17 (customers): the customer matrix (客户分类矩阵, seed 001) places a customer by its
potential — decided by the company's rule (``salesboard.customers.matrix``) unless a manager
set it by hand, which this flag marks (the stored ``potential`` is then read). The matrix
thresholds and windows live in ``app_setting`` (key ``customer_matrix``), no table needed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "customer",
        sa.Column("potential_by_hand", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no batch copy of a table deals refer to.
    op.drop_column("customer", "potential_by_hand")
