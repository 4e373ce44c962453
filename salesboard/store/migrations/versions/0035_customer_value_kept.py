"""customers carry their open pipeline and their wins since a kept day, kept by triggers

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 20:00:00

Issue 19: the customer matrix places every customer by its current value (won over the
trailing window) and open pipeline. For the whole company that summed every customer's
wins of the window and open deals (10M deals: 2.2M wins of 624k customers and 730k open
deals joined to 1M customers, 2.6–3.9 s). ``customer.open_minor`` now holds the amount of
the customer's open deals and ``customer.won_since_minor`` of its deals won on or after
``customer_value_window.won_since`` (one row; NULL until the application sets it, and then
nothing is counted won): the matrix reads the customers alone, and corrects for the days
between the kept day and its own window's first day, and the wins after its day
(``store.customer_totals``), from ``ix_opportunity_status_won_on`` alone, which now ends
with the customer (a two-week correction at 10M: 180k wins, 1 s of heap reads without it).

Triggers on ``opportunity`` keep both in step inside the writing transaction, whatever the
writer: a deal inserted, deleted, or changed in status, won day, amount or customer takes
its old figures off its old customer and adds its new ones to its new customer. The kept
day moves only with the deals locked against writes (``store.customer_totals.advance``). The
SQL is written out here, not imported: a migration must build the same schema whatever
later code says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AMOUNT = sa.BigInteger().with_variant(sa.Numeric(38, 0), "postgresql")
WATCHED = ("status", "won_on", "amount_minor", "customer_id")
TRIGGERS = ("customer_value_deal_insert", "customer_value_deal_delete",
            "customer_value_deal_update")  # fmt: skip


def add(r: str, sign: str) -> str:
    """Add ``sign`` × deal record ``r``'s figures to its customer."""
    since = "(SELECT won_since FROM customer_value_window WHERE id = 1)"
    return (
        f"UPDATE customer SET open_minor = open_minor + {sign} * "
        f"(CASE WHEN {r}.status = 'open' THEN {r}.amount_minor ELSE 0 END), "
        f"won_since_minor = won_since_minor + {sign} * (CASE WHEN {r}.status = 'won' "
        f"AND {r}.won_on >= {since} THEN {r}.amount_minor ELSE 0 END) "
        f"WHERE id = {r}.customer_id AND {r}.status IN ('open', 'won');"
    )


def changed(distinct: str) -> str:
    """A condition: any watched column differs between OLD and NEW."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in WATCHED)


def sqlite_triggers() -> list[str]:
    """CREATE TRIGGER statements for SQLite (bodies with NEW / OLD)."""

    def trigger(name: str, event: str, body: Sequence[str], when: str = "") -> str:
        condition = f" WHEN {when}" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON opportunity FOR EACH ROW{condition}\n"
            f"BEGIN\n{chr(10).join(body)}\nEND"
        )

    return [
        trigger("customer_value_deal_insert", "INSERT", [add("NEW", "1")]),
        trigger("customer_value_deal_delete", "DELETE", [add("OLD", "-1")]),
        trigger("customer_value_deal_update", "UPDATE", [add("OLD", "-1"), add("NEW", "1")],
                changed("IS NOT")),
    ]  # fmt: skip


def postgresql_triggers() -> list[str]:
    """Functions and triggers for PostgreSQL: the same statements on the row records."""

    def function(name: str, body: Sequence[str]) -> str:
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{chr(10).join(body)}\nRETURN NULL;\nEND $$"
        )

    def trigger(name: str, event: str, when: str = "") -> str:
        condition = f" WHEN ({when})" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON opportunity FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name}()"
        )

    return [
        function("customer_value_deal_insert", [add("NEW", "1")]),
        function("customer_value_deal_delete", [add("OLD", "-1")]),
        function("customer_value_deal_update", [add("OLD", "-1"), add("NEW", "1")]),
        trigger("customer_value_deal_insert", "INSERT"),
        trigger("customer_value_deal_delete", "DELETE"),
        trigger("customer_value_deal_update", "UPDATE", changed("IS DISTINCT FROM")),
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for column in ("won_since_minor", "open_minor"):
        op.add_column("customer", sa.Column(column, AMOUNT, nullable=False, server_default="0"))
    op.create_table(
        "customer_value_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("won_since", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_value_window")),
    )
    op.execute("INSERT INTO customer_value_window (id, won_since) VALUES (1, NULL)")
    op.execute(
        "UPDATE customer SET open_minor = x.amount FROM (SELECT customer_id, "
        "sum(amount_minor) AS amount FROM opportunity WHERE status = 'open' "
        "GROUP BY customer_id) AS x WHERE x.customer_id = customer.id"
    )
    for statement in postgresql_triggers() if postgres else sqlite_triggers():
        op.execute(statement)
    _won_index(WON_INDEX + ["customer_id"])


WON_INDEX = ["status", "won_on", "amount_minor"]


def _won_index(columns: list[str]) -> None:
    op.drop_index("ix_opportunity_status_won_on", table_name="opportunity")
    op.create_index("ix_opportunity_status_won_on", "opportunity", columns)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    _won_index(WON_INDEX)
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON opportunity" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("customer_value_window")
    for column in ("won_since_minor", "open_minor"):
        op.execute(f"ALTER TABLE customer DROP COLUMN {column}")
