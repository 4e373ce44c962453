"""the rollups' (kind, day) index carries amounts and dimensions (PostgreSQL)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 16:50:00

Issue 19: the Overview, goal pages and leaderboards read a period of ``deal_rollup`` rows by
kind and day and sum their deals and amounts, by dimension for the goal facts. Their index
``ix_deal_rollup_kind_day_stage_deals`` found the rows but not the amounts: a heap read per
row (10M deals: two months of wins and losses are 323k rows, 160 ms; the Overview makes
five such reads). On PostgreSQL the index now INCLUDEs the amount and the four dimensions,
so those reads are index-only (55 ms). SQLite keeps its rollups clustered by the key
(``WITHOUT ROWID``): a day range is already one contiguous read there; nothing to do.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_deal_rollup_kind_day_stage_deals"
COLUMNS = ["kind", "day", "stage_id", "deals"]
INCLUDED = ["amount_minor", "product_line_id", "region_id", "team_id", "owner_id"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="deal_rollup")
    op.create_index(INDEX, "deal_rollup", COLUMNS, postgresql_include=INCLUDED)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index(INDEX, table_name="deal_rollup")
    op.create_index(INDEX, "deal_rollup", COLUMNS)
