"""key actions per planned day, stage, owner and deal owner, kept in step by triggers

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 20:10:00

Issue 19: the company's key-action rates (due, done, done on time) per rep or team — the
leaderboard, the region page's reps, a leader's scorecards — counted every action planned
in the period: 10M deals, a quarter is 4.6M actions, 0.7–0.8 s a read. ``key_action_rollup``
keeps, per planned day, stage, the action's owner and its deal's owner and team (the copies
of migration 0029; 0 for none), how many actions, how many are done and how many were done
by their planned day: a quarter is 193k rows. It counts what is done now, so a read as of
a day before the last done day reads the actions (``figures.sales.key_action_rates``).

Triggers on ``key_action`` keep it in step inside the writing transaction, as 0022's do
for ``deal_rollup``: an action inserted adds one, deleted takes one back, changed in any
counted column moves from its old row to its new one (a deal given another owner changes
its actions' copies, and so moves them too). The SQL is written out here, not imported: a
migration must build the same schema whatever later code says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "planned_on, stage_id, owner_id, deal_owner_id, deal_team_id"
COLUMNS = f"{KEY}, actions, done, on_time"
WATCHED = ("planned_on", "done_on", "stage_id", "owner_id", "deal_owner_id", "deal_team_id")
TRIGGERS = ("key_action_rollup_insert", "key_action_rollup_delete", "key_action_rollup_update")


def counted(r: str) -> tuple[str, str, str]:
    """(key values, done, on time) of key-action record ``r``."""
    key = (f"{r}.planned_on, {r}.stage_id, {r}.owner_id, COALESCE({r}.deal_owner_id, 0), "
           f"COALESCE({r}.deal_team_id, 0)")  # fmt: skip
    done = f"CASE WHEN {r}.done_on IS NOT NULL THEN 1 ELSE 0 END"
    on_time = f"CASE WHEN {r}.done_on <= {r}.planned_on THEN 1 ELSE 0 END"
    return key, done, on_time


def add(r: str, sign: str) -> str:
    """Add ``sign`` × key-action record ``r`` to its row."""
    key, done, on_time = counted(r)
    return (
        f"INSERT INTO key_action_rollup ({COLUMNS}) "
        f"VALUES ({key}, {sign}, {sign} * {done}, {sign} * {on_time}) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET actions = key_action_rollup.actions + excluded.actions, "
        "done = key_action_rollup.done + excluded.done, "
        "on_time = key_action_rollup.on_time + excluded.on_time;"
    )


def fill() -> str:
    """Everything the triggers would have written, from scratch."""
    key, done, on_time = counted("a")
    return (
        f"INSERT INTO key_action_rollup ({COLUMNS}) "
        f"SELECT {key}, count(*), sum({done}), sum({on_time}) FROM key_action a "
        f"GROUP BY {key}"
    )


def changed(distinct: str) -> str:
    """A condition: any counted column differs between OLD and NEW."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in WATCHED)


def sqlite_triggers() -> list[str]:
    """CREATE TRIGGER statements for SQLite (bodies with NEW / OLD)."""

    def trigger(name: str, event: str, body: Sequence[str], when: str = "") -> str:
        condition = f" WHEN {when}" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON key_action FOR EACH ROW{condition}\n"
            f"BEGIN\n{chr(10).join(body)}\nEND"
        )

    return [
        trigger("key_action_rollup_insert", "INSERT", [add("NEW", "1")]),
        trigger("key_action_rollup_delete", "DELETE", [add("OLD", "-1")]),
        trigger("key_action_rollup_update", "UPDATE", [add("OLD", "-1"), add("NEW", "1")],
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
            f"CREATE TRIGGER {name} AFTER {event} ON key_action FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name}()"
        )

    return [
        function("key_action_rollup_insert", [add("NEW", "1")]),
        function("key_action_rollup_delete", [add("OLD", "-1")]),
        function("key_action_rollup_update", [add("OLD", "-1"), add("NEW", "1")]),
        trigger("key_action_rollup_insert", "INSERT"),
        trigger("key_action_rollup_delete", "DELETE"),
        trigger("key_action_rollup_update", "UPDATE", changed("IS DISTINCT FROM")),
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "key_action_rollup",
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("deal_owner_id", sa.Integer(), nullable=False),
        sa.Column("deal_team_id", sa.Integer(), nullable=False),
        sa.Column("actions", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("planned_on", "stage_id", "owner_id", "deal_owner_id",
                                "deal_team_id", name=op.f("pk_key_action_rollup"),
                                **({"postgresql_include": ["actions", "done", "on_time"]}
                                   if postgres else {})),  # fmt: skip
        sqlite_with_rowid=False,
    )
    op.execute(fill())
    for statement in postgresql_triggers() if postgres else sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON key_action" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("key_action_rollup")
