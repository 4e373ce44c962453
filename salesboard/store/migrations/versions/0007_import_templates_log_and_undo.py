"""import templates, log and undo

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-23 17:14:30.126351
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('file_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('sheet', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('undone_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('undone_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_import_batch_actor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_at'), ['at'], unique=False)

    op.create_table('import_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('headers', sa.Text(), nullable=False),
    sa.Column('mapping', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_import_template_created_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_template')),
    sa.UniqueConstraint('kind', 'fingerprint', name=op.f('uq_import_template_kind'))
    )
    op.create_table('import_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('before', sa.Text(), nullable=False),
    sa.Column('after', sa.Text(), nullable=False),
    sa.Column('version_after', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_import_change_batch_id_import_batch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_change'))
    )
    with op.batch_alter_table('import_change', schema=None) as batch_op:
        batch_op.create_index('ix_import_change_batch_entity', ['batch_id', 'entity'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('import_change', schema=None) as batch_op:
        batch_op.drop_index('ix_import_change_batch_entity')

    op.drop_table('import_change')
    op.drop_table('import_template')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_at'))

    op.drop_table('import_batch')
