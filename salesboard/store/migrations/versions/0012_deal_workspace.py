"""deal workspace: code sequences, lost reasons, attachments, visit details and plans

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 14:10:00

Issue 15 (reps work in the tool every day): deals are created in the app (codes XS + yyyymm
+ sequence from ``code_sequence``, seeded from the codes in use), moved through stages with a
checklist that an admin may make optional per stage, won, or lost with a reason from the
company's list (``lost_reason``); key actions keep their first planned date when re-planned;
files are attached to deals; visits get contact, need, next step and a planned/done status.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The usual reasons a B2B deal is lost; a company renames, retires or adds its own.
LOST_REASONS = {
    "price": ("价格因素", "Price"),
    "competitor": ("竞品胜出", "Lost to a competitor"),
    "budget": ("预算取消", "Budget cancelled"),
    "timing": ("需求推迟", "Need postponed"),
    "no_decision": ("客户未决策", "No decision"),
    "fit": ("方案不匹配", "Solution did not fit"),
    "relationship": ("关系/信任不足", "Relationship / trust"),
    "other": ("其他", "Other"),
}


def _string(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=False, server_default="")


def upgrade() -> None:
    # Plain ALTER TABLE … ADD COLUMN with defaults (no batch copy of referenced tables).
    op.add_column(
        "stage",
        sa.Column("key_actions_required", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.add_column("opportunity", _string("lost_reason_code", 32))
    op.add_column("key_action", sa.Column("first_planned_on", sa.Date(), nullable=True))
    for name, length in (("contact_name", 64), ("contact_role", 64), ("need", 500),
                         ("next_step", 200)):  # fmt: skip
        op.add_column("visit", _string(name, length))
    op.add_column(
        "visit", sa.Column("status", sa.String(length=8), nullable=False, server_default="done")
    )
    op.add_column("visit", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_index("ix_visit_status_visited_on", "visit", ["status", "visited_on"])

    sequence = op.create_table(
        "code_sequence",
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_code_sequence")),
    )
    # Seed each month's sequence from the codes in use (XS202611 0042 → 42), so a new deal
    # never takes an imported deal's code.
    bind = op.get_bind()
    last: dict[str, int] = {}
    for (code,) in bind.execute(sa.text("SELECT code FROM opportunity WHERE code LIKE 'XS%'")):
        prefix, digits = code[:8], code[8:]
        if len(prefix) == 8 and prefix[2:].isdigit() and digits.isdigit():
            last[prefix] = max(last.get(prefix, 0), int(digits))
    if last:
        op.bulk_insert(sequence, [{"prefix": p, "last": n} for p, n in sorted(last.items())])

    reasons = op.create_table(
        "lost_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=64), nullable=False),
        sa.Column("name_en", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lost_reason")),
        sa.UniqueConstraint("code", name=op.f("uq_lost_reason_code")),
    )
    op.bulk_insert(
        reasons,
        [{"code": c, "name_zh": zh, "name_en": en} for c, (zh, en) in LOST_REASONS.items()],
    )

    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("key_action_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"], ["opportunity.id"],
            name=op.f("fk_attachment_opportunity_id_opportunity"),
        ),
        sa.ForeignKeyConstraint(
            ["key_action_id"], ["key_action.id"],
            name=op.f("fk_attachment_key_action_id_key_action"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"], ["user.id"], name=op.f("fk_attachment_uploaded_by_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )  # fmt: skip
    for column in ("opportunity_id", "key_action_id", "sha256"):
        op.create_index(f"ix_attachment_{column}", "attachment", [column])


def downgrade() -> None:
    for column in ("opportunity_id", "key_action_id", "sha256"):
        op.drop_index(f"ix_attachment_{column}", table_name="attachment")
    for table in ("attachment", "lost_reason", "code_sequence"):
        op.drop_table(table)
    op.drop_index("ix_visit_status_visited_on", table_name="visit")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+), as 0011.
    for name in ("version", "status", "next_step", "need", "contact_role",
                 "contact_name"):  # fmt: skip
        op.drop_column("visit", name)
    op.drop_column("key_action", "first_planned_on")
    op.drop_column("opportunity", "lost_reason_code")
    op.drop_column("stage", "key_actions_required")
