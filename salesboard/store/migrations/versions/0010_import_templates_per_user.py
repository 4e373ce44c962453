"""import templates per user

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00

A remembered column mapping belonged to everyone: a rep's template silently became the
manager's starting mapping. Templates now have an owner; one without owner is shared with
everyone, which only an admin can do. Existing templates become their creator's own (those
the system saved stay shared).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARED = "uq_import_template_shared"
WHERE = sa.text("owner_id IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("import_template", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_import_template_owner_id_user"), "user", ["owner_id"], ["id"]
        )
        batch_op.drop_constraint("uq_import_template_kind", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_import_template_kind"), ["kind", "fingerprint", "owner_id"]
        )
    op.execute("UPDATE import_template SET owner_id = created_by")
    op.create_index(SHARED, "import_template", ["kind", "fingerprint"], unique=True,
                    sqlite_where=WHERE, postgresql_where=WHERE)  # fmt: skip


def downgrade() -> None:
    op.drop_index(SHARED, table_name="import_template")
    # One template per header set again: keep the most recently saved of each.
    op.execute(
        "DELETE FROM import_template WHERE id NOT IN (SELECT max(id) FROM import_template "
        "GROUP BY kind, fingerprint)"
    )
    with op.batch_alter_table("import_template", schema=None) as batch_op:
        batch_op.drop_constraint("uq_import_template_kind", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_import_template_kind"), ["kind", "fingerprint"]
        )
        batch_op.drop_constraint("fk_import_template_owner_id_user", type_="foreignkey")
        batch_op.drop_column("owner_id")
