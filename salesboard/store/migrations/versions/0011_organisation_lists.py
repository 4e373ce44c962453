"""organisation lists: customer types and lead sources as tables; retiring instead of deleting

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:00:00

Issue 14 (a real company's first day): an admin sets up regions, teams, product lines,
customer types and lead sources. Customer types and lead sources were free codes with names
known only to the code; they become tables with Chinese and English names, filled with the
usual ones and with every code already in use (named by its code until someone renames it).
Regions, teams, product lines and the two new lists get ``active`` (retired ones stay on old
records); teams get an English name (empty: the team's name in both languages).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The names the code used to know (pipeline/view_filters.py before this revision).
KNOWN = {
    "customer_type": {
        "enterprise": ("企业客户", "Enterprise"),
        "smb": ("中小企业", "SMB"),
        "government": ("政府/公共事业", "Government / public"),
    },
    "lead_source": {
        "website": ("官网", "Website"),
        "exhibition": ("展会", "Exhibition"),
        "referral": ("转介绍", "Referral"),
        "cold_call": ("陌生拜访", "Cold call"),
        "partner": ("合作伙伴", "Partner"),
    },
}
# Where each list's codes are used today.
USED = {
    "customer_type": "SELECT DISTINCT customer_type FROM customer",
    "lead_source": "SELECT DISTINCT source FROM opportunity",
}


def _active() -> sa.Column:
    return sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN (a default makes it valid on SQLite): a batch copy would
    # drop and recreate tables that customers, deals and users refer to.
    for table in ("region", "team", "product_line"):
        op.add_column(table, _active())
    op.add_column(
        "team", sa.Column("name_en", sa.String(length=64), nullable=False, server_default="")
    )
    bind = op.get_bind()
    for table, known in KNOWN.items():
        created = op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("code", sa.String(length=32), nullable=False),
            sa.Column("name_zh", sa.String(length=64), nullable=False),
            sa.Column("name_en", sa.String(length=64), nullable=False),
            _active(),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("code", name=op.f(f"uq_{table}_code")),
        )
        used = {code for (code,) in bind.execute(sa.text(USED[table])) if code}
        # An empty store gets the usual list; a store in use keeps only what it uses.
        codes = [c for c in known if c in used or not used] + sorted(used - set(known))
        op.bulk_insert(
            created,
            [
                {"code": c, "name_zh": known.get(c, (c, c))[0], "name_en": known.get(c, (c, c))[1]}
                for c in codes
            ],
        )


def downgrade() -> None:
    for table in KNOWN:
        op.drop_table(table)
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), for the same reason.
    op.drop_column("team", "name_en")
    for table in ("region", "team", "product_line"):
        op.drop_column(table, "active")
