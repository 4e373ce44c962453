"""key action feedback in the deal index (PostgreSQL)

Revision ID: 0008
Revises: 0004
Create Date: 2026-12-04 21:00:00

On PostgreSQL the key actions' deal index carries the customer feedback (INCLUDE), so the
common-risks tab reads the open deals' feedback from the index alone. SQLite has no INCLUDE
and keeps the plain index: nothing to do there.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_key_action_opportunity_id"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="key_action")
    op.create_index(
        INDEX, "key_action", ["opportunity_id"], postgresql_include=["customer_feedback"]
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="key_action")
    op.create_index(INDEX, "key_action", ["opportunity_id"])
