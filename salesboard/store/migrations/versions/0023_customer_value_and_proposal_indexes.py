"""customer value and proposal indexes: deals by status and customer (with the won day and
amount); key actions by stage and done day

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 20:50:00

Issue 19: the customer matrix (Customer matrix and Region pages) sums, per customer, the
deals won in the trailing window and the open pipeline. Without this index each of those
deals was a table lookup for its customer and the sums a sort (a leader's matrix at 1M
deals: 0.64 s CPU); with it both sums read the index alone, already in customer order.
The proposal turnaround (Top performers) reads the proposal submissions done in a period:
without a (stage, done day) index SQLite walked every stay of the proposal stage to find
them (0.5 s CPU at 1M deals); with it, the submissions of the period drive (0.04 s).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["status", "customer_id", "won_on", "amount_minor"]


def upgrade() -> None:
    op.create_index("ix_opportunity_status_customer", "opportunity", COLUMNS)
    op.create_index("ix_key_action_stage_done", "key_action", ["stage_id", "done_on"])


def downgrade() -> None:
    op.drop_index("ix_key_action_stage_done", table_name="key_action")
    op.drop_index("ix_opportunity_status_customer", table_name="opportunity")
