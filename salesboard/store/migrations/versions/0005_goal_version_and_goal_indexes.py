"""goal version for optimistic concurrency; covering indexes for goal actuals and forecast

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-23 16:51:46.939301
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing goals start at version 1 (the server default fills them in).
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    # Covering index for the goal tree's actuals (won deals by period and goal dimensions).
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.create_index('ix_opportunity_won_dims', ['status', 'won_on', 'product_line_id', 'region_id', 'team_id', 'owner_id', 'amount_minor', 'created_on'], unique=False)
        # Lost deals per day and stage (forecast win rates) and per owner (leaderboard).
        batch_op.create_index('ix_opportunity_lost_stage', ['status', 'lost_on', 'lost_stage_id', 'owner_id'], unique=False)
    # Goal leaderboard: key actions due per owner and whether done on time.
    with op.batch_alter_table('key_action', schema=None) as batch_op:
        batch_op.create_index('ix_key_action_due', ['planned_on', 'owner_id', 'done_on'], unique=False)
    # Goal forecast: the stage stays covering a past day (open pipeline for the back-test).
    with op.batch_alter_table('stage_history', schema=None) as batch_op:
        batch_op.create_index('ix_stage_history_stays', ['stage_id', 'entered_on', 'left_on', 'opportunity_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('key_action', schema=None) as batch_op:
        batch_op.drop_index('ix_key_action_due')
    with op.batch_alter_table('stage_history', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_history_stays')
    with op.batch_alter_table('opportunity', schema=None) as batch_op:
        batch_op.drop_index('ix_opportunity_lost_stage')
        batch_op.drop_index('ix_opportunity_won_dims')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_column('version')

