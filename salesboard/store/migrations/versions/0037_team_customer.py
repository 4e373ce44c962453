"""each team's deals per customer, kept by triggers

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 20:45:00

Issue 19: a manager sees the customers their teams' reps own and those their teams have a
deal with (``customers.scope.visible``). The second set read every deal the teams ever had
and kept the distinct customers (10M deals: a team's 414k deals for 42k customers, 0.3 s of
each customer page, list and matrix for a manager). ``team_customer`` keeps, per team and
customer, how many of the team's deals are the customer's: a team's customers are a range
of its primary key. Triggers on ``opportunity`` keep it in step inside the writing
transaction (a deal inserted, deleted, or given another team or customer). The SQL is
written out here, not imported: a migration must build the same schema whatever later code
says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "team_id, customer_id"
TRIGGERS = ("team_customer_deal_insert", "team_customer_deal_delete",
            "team_customer_deal_update")  # fmt: skip
WATCHED = ("team_id", "customer_id")


def add(r: str, sign: str) -> str:
    """Add ``sign`` × deal record ``r`` to its team's count of its customer's deals."""
    return (
        f"INSERT INTO team_customer ({KEY}, deals) VALUES ({r}.team_id, {r}.customer_id, "
        f"{sign}) ON CONFLICT ({KEY}) DO UPDATE SET deals = team_customer.deals + "
        "excluded.deals;"
    )


def changed(distinct: str) -> str:
    """A condition: the deal's team or customer differs between OLD and NEW."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in WATCHED)


def triggers(postgres: bool) -> list[str]:
    """The triggers (and on PostgreSQL their functions)."""
    bodies = {
        "team_customer_deal_insert": ("INSERT", [add("NEW", "1")], ""),
        "team_customer_deal_delete": ("DELETE", [add("OLD", "-1")], ""),
        "team_customer_deal_update": ("UPDATE", [add("OLD", "-1"), add("NEW", "1")],
                                      changed("IS DISTINCT FROM" if postgres else "IS NOT")),
    }  # fmt: skip
    out = []
    for name, (event, body, when) in bodies.items():
        statements = "\n".join(body)
        if postgres:
            out.append(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                       f"BEGIN\n{statements}\nRETURN NULL;\nEND $$")  # fmt: skip
            condition = f" WHEN ({when})" if when else ""
            out.append(f"CREATE TRIGGER {name} AFTER {event} ON opportunity FOR EACH ROW"
                       f"{condition} EXECUTE FUNCTION {name}()")  # fmt: skip
        else:
            condition = f" WHEN {when}" if when else ""
            out.append(f"CREATE TRIGGER {name} AFTER {event} ON opportunity FOR EACH ROW"
                       f"{condition}\nBEGIN\n{statements}\nEND")  # fmt: skip
    return out


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "team_customer",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "customer_id", name=op.f("pk_team_customer"),
                                **({"postgresql_include": ["deals"]} if postgres else {})),  # fmt: skip
        sqlite_with_rowid=False,
    )
    op.execute(
        f"INSERT INTO team_customer ({KEY}, deals) SELECT team_id, customer_id, count(*) "
        "FROM opportunity GROUP BY team_id, customer_id"
    )
    for statement in triggers(postgres):
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON opportunity" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("team_customer")
