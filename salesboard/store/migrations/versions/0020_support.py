"""departments, support types and support requests

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 17:30:00

Issue 17 (point 5): cross-department support (资源协调) — departments and their members,
support types with a response standard in working days, requests raised from a deal and
their history. Small tables: an index for each queue read (department + status) and the
breach list (status + requested day). The default departments and types (as in
``salesboard.store.reference_data``, which writes them into a new store) are written here
too, so an existing store has them after the upgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = sqlmodel.sql.sqltypes.UTCDateTime
TEXT = sqlmodel.sql.sqltypes.AutoString


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _names() -> list:
    return [
        sa.Column("code", TEXT(length=32), nullable=False),
        sa.Column("name_zh", TEXT(length=64), nullable=False),
        sa.Column("name_en", TEXT(length=64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        *_names(),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department")),
        sa.UniqueConstraint("code", name=op.f("uq_department_code")),
    )
    op.create_table(
        "department_member",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _fk("department_member", "department_id", "department"),
        _fk("department_member", "user_id", "user"),
        sa.PrimaryKeyConstraint("department_id", "user_id", name=op.f("pk_department_member")),
    )
    op.create_index("ix_department_member_user_id", "department_member", ["user_id"])
    op.create_table(
        "support_type",
        sa.Column("id", sa.Integer(), nullable=False),
        *_names(),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("response_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        _fk("support_type", "department_id", "department"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_type")),
        sa.UniqueConstraint("code", name=op.f("uq_support_type_code")),
    )
    op.create_table(
        "support_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("opportunity_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("expected_on", sa.Date(), nullable=True),
        sa.Column("urgency", TEXT(length=8), nullable=False),
        sa.Column("status", TEXT(length=16), nullable=False),
        sa.Column("sets_risk", sa.Boolean(), nullable=False),
        sa.Column("risk_raised", sa.Boolean(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requested_at", UTC(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("responded_at", UTC(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("responded_by", sa.Integer(), nullable=True),
        sa.Column("closed_at", UTC(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        _fk("support_request", "opportunity_id", "opportunity"),
        _fk("support_request", "type_id", "support_type"),
        _fk("support_request", "department_id", "department"),
        _fk("support_request", "requested_by", "user"),
        _fk("support_request", "responded_by", "user"),
        _fk("support_request", "closed_by", "user"),
        _fk("support_request", "updated_by", "user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_request")),
    )
    op.create_index("ix_support_request_opportunity_id", "support_request", ["opportunity_id"])
    op.create_index(
        "ix_support_request_department_status", "support_request", ["department_id", "status"]
    )
    op.create_index(
        "ix_support_request_status_requested", "support_request", ["status", "requested_on"]
    )
    op.create_table(
        "support_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", TEXT(length=16), nullable=False),
        sa.Column("status", TEXT(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("happened_at", UTC(), nullable=False),
        _fk("support_history", "request_id", "support_request"),
        _fk("support_history", "actor_id", "user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_history")),
    )
    op.create_index("ix_support_history_request_id", "support_history", ["request_id"])


    _defaults()


DEPARTMENTS = {"tech": ("技术部", "Technical"), "finance": ("财务/商务部", "Finance & commercial"),
               "legal": ("法务部", "Legal"), "delivery": ("交付部", "Delivery")}  # fmt: skip
TYPES = {
    "tech_proposal": ("技术方案", "Technical proposal", "tech", 2),
    "price_approval": ("价格审批", "Price approval", "finance", 1),
    "legal_review": ("法务审核", "Legal review", "legal", 3),
    "delivery_plan": ("交付计划", "Delivery planning", "delivery", 3),
}


def _defaults() -> None:
    """The default departments and support types (ids from the store's own sequence)."""
    bind = op.get_bind()
    department = sa.table("department", sa.column("id", sa.Integer), sa.column("code", TEXT),
                          sa.column("name_zh", TEXT), sa.column("name_en", TEXT),
                          sa.column("active", sa.Boolean))  # fmt: skip
    kind = sa.table("support_type", sa.column("code", TEXT), sa.column("name_zh", TEXT),
                    sa.column("name_en", TEXT), sa.column("department_id", sa.Integer),
                    sa.column("response_days", sa.Integer), sa.column("active", sa.Boolean))  # fmt: skip
    for code, (zh, en) in DEPARTMENTS.items():
        bind.execute(department.insert().values(code=code, name_zh=zh, name_en=en, active=True))
    ids = dict(bind.execute(sa.select(department.c.code, department.c.id)).all())
    for code, (zh, en, dept, days) in TYPES.items():
        bind.execute(kind.insert().values(code=code, name_zh=zh, name_en=en,
                                          department_id=ids[dept], response_days=days,
                                          active=True))  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_support_history_request_id", table_name="support_history")
    op.drop_table("support_history")
    for name in ("status_requested", "department_status", "opportunity_id"):
        op.drop_index(f"ix_support_request_{name}", table_name="support_request")
    op.drop_table("support_request")
    op.drop_table("support_type")
    op.drop_index("ix_department_member_user_id", table_name="department_member")
    op.drop_table("department_member")
    op.drop_table("department")
