"""the rollups' primary key carries the deals and amounts (PostgreSQL)

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 17:05:00

Issue 19: the Overview, goal pages and leaderboards read a period of ``deal_rollup`` rows by
kind and day and sum their deals and amounts, by dimension for the goal facts. The indexes
found the rows but not the amounts: a heap read per row (10M deals: two months of wins and
losses are 323k rows, 160 ms; the Overview makes five such reads). On PostgreSQL the
primary key — (kind, day, stage, the four dimensions) already — now INCLUDEs the deals and
the amount, so those reads are index-only (55 ms). ``ix_deal_rollup_kind_day_stage_deals``
stays as it is: the forecast's win rates read only deals per day and stage from it, and a
wider index would double that read. SQLite keeps its rollups clustered by the key
(``WITHOUT ROWID``): a day range is already one contiguous read there; nothing to do.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "kind, day, stage_id, product_line_id, region_id, team_id, owner_id"


def _primary_key(include: str) -> None:
    op.execute(
        "ALTER TABLE deal_rollup DROP CONSTRAINT pk_deal_rollup, "
        f"ADD CONSTRAINT pk_deal_rollup PRIMARY KEY ({KEY}){include}"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _primary_key(" INCLUDE (deals, amount_minor)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _primary_key("")
