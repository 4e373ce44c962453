"""key actions and the stays that ended, indexed owner-first

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 14:45:00

Issue 19: a manager's rep scorecards counted the key actions of a quarter by their owner
through the (planned day, owner) index — every action of the company, 2.5M at 10M deals,
0.6 s — to keep their 25 reps'; one rep's scorecard read five quarters of every rep's
stays that ended (the rollup's ``left`` rows by day first) for their own stage pace, 0.3 s.
Owner-first indexes make each a range per rep: ``ix_key_action_owner_planned`` (owner,
planned day, done day) replaces the owner-only ``ix_key_action_owner_id`` (its leading
column serves the same lookups), ``ix_deal_rollup_left_owner`` is the owner-first twin of
0027's partial index of the ``left`` rows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEFT = sa.text("kind = 'left'")


def upgrade() -> None:
    op.create_index("ix_key_action_owner_planned", "key_action",
                    ["owner_id", "planned_on", "done_on"])  # fmt: skip
    op.drop_index("ix_key_action_owner_id", table_name="key_action")
    op.create_index(
        "ix_deal_rollup_left_owner", "deal_rollup",
        ["owner_id", "day", "stage_id", "deals", "worked_days"],
        sqlite_where=LEFT, postgresql_where=LEFT,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_deal_rollup_left_owner", table_name="deal_rollup")
    op.create_index("ix_key_action_owner_id", "key_action", ["owner_id"])
    op.drop_index("ix_key_action_owner_planned", table_name="key_action")
