"""deals list and board: one (status, sort column) index per sort of the deals list

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 14:40:00

Issue 15: the deals list shows one status at a time, sorted by amount, expected close, days
in stage (the stage entry day), last activity or creation day, 50 a page. Without these
indexes every page sorted all the deals of the status (the 559k lost deals of the 1M store:
1.1 s a page); with them a page is an index range. The board reads the existing open-clocks
index and needs nothing new.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_COLUMNS = ("amount_minor", "expected_close_on", "stage_entered_on", "last_activity_on",
                "created_on")  # fmt: skip


def upgrade() -> None:
    for column in SORT_COLUMNS:
        op.create_index(f"ix_opportunity_status_{column}", "opportunity", ["status", column])


def downgrade() -> None:
    for column in SORT_COLUMNS:
        op.drop_index(f"ix_opportunity_status_{column}", table_name="opportunity")
