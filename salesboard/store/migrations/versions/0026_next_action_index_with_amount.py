"""the deals with a next key action: their amount and id in the partial index too

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 08:10:00

Issue 19: the board's delivery column counts, sums and ranks the won deals still in
delivery. With one stage after signing (the default), those are the won deals with a next
key action (``next_action_on``, migration 0025): at 10M deals 181k of them. Without their
amount and id in the partial index PostgreSQL read them through the wider open-clocks index,
every won deal of the stage (3M entries, 1.1 s), or by a primary-key seek per undone
delivery action (1.3 s); with them the partial index alone answers. The index is the same
partial one, two columns longer: it serves everything the narrower one did.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTING = ["status", "next_action_on", "current_stage_id", "stage_entered_on", "last_activity_on",
          "team_id", "owner_id"]  # fmt: skip
HAS_ACTION = sa.text("next_action_on IS NOT NULL")


def _index(columns: list[str]) -> None:
    op.drop_index("ix_opportunity_next_action", table_name="opportunity")
    op.create_index("ix_opportunity_next_action", "opportunity", columns,
                    sqlite_where=HAS_ACTION, postgresql_where=HAS_ACTION)  # fmt: skip


def upgrade() -> None:
    _index([*ACTING, "amount_minor", "id"])


def downgrade() -> None:
    _index(ACTING)
