"""each deal's next undone key action of its current stage, kept on the deal by triggers

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 05:00:00

Issue 19: a deal is overdue when its current stage has an undone key action planned before
the day (besides its stage clocks). That was one seek into the key actions per deal under
control: 515,000 seeks for a leader's count at 10M deals (2.8 s), and 181,000 more for the
won deals in delivery (2.9 s) — the Overview's overdue tile took 5.9 s of a 6.8 s page.
``opportunity.next_action_on`` holds the earliest planned day among the current stage's
key actions not done (NULL: none), so the overdue rule is a test on the deal's own columns,
answered from the open-clocks index, which now carries it (a leader's open deals at 10M:
2.8 → 0.3 s); the won deals in delivery with a next action come from a partial index of
the deals that have one (1.3 → 0.3 s).

Triggers keep it in step inside the writing transaction, whatever the writer (the app,
imports and their undo, restores, SQL by hand), as the rollups' triggers do (0022): a key
action added, re-planned, done, moved or deleted recomputes its deal's value (both deals'
when it moves between deals); a deal moved to another stage recomputes its own; a deal
inserted with a value recomputes it. ``python -m salesboard rollups --check / --rebuild``
compare and refill it with the rollups.

The trigger SQL is written out here, not imported: a migration must build the same schema
whatever later code says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_CLOCKS = ["status", "current_stage_id", "stage_entered_on", "last_activity_on",
              "amount_minor", "team_id", "owner_id", "risk_flag"]  # fmt: skip
CLOCKS = [*OLD_CLOCKS, "next_action_on"]
ACTING = ["status", "next_action_on", "current_stage_id", "stage_entered_on", "last_activity_on",
          "team_id", "owner_id"]  # fmt: skip
HAS_ACTION = sa.text("next_action_on IS NOT NULL")
ACTION_COLUMNS = ("opportunity_id", "stage_id", "planned_on", "done_on")


def earliest(deal: str) -> str:
    """The earliest planned day of the undone key actions of ``deal``'s current stage."""
    return (
        "(SELECT min(a.planned_on) FROM key_action a WHERE a.opportunity_id = "
        f"{deal}.id AND a.stage_id = {deal}.current_stage_id AND a.done_on IS NULL)"
    )


def refresh(deal_id: str) -> str:
    """Recompute the value of the deal with id ``deal_id``."""
    return (
        f"UPDATE opportunity SET next_action_on = {earliest('opportunity')} "
        f"WHERE id = {deal_id};"
    )


def changed(distinct: str) -> str:
    """A condition: the key action moved, was re-planned, done or undone."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in ACTION_COLUMNS)


# Only the deals with an undone action in their current stage get a new row version (an
# update of every deal with any undone action rewrote lost deals' rows to NULL as well).
FILL = (
    f"UPDATE opportunity SET next_action_on = {earliest('opportunity')} WHERE EXISTS "
    "(SELECT 1 FROM key_action a WHERE a.opportunity_id = opportunity.id "
    "AND a.stage_id = opportunity.current_stage_id AND a.done_on IS NULL)"
)
TRIGGERS = {
    "next_action_action_insert": "key_action",
    "next_action_action_delete": "key_action",
    "next_action_action_update": "key_action",
    "next_action_deal_stage": "opportunity",
    "next_action_deal_insert": "opportunity",
}


def sqlite_triggers() -> list[str]:
    """CREATE TRIGGER statements for SQLite (AFTER: SQLite cannot assign to NEW)."""

    def trigger(name: str, event: str, body: Sequence[str], when: str = "") -> str:
        condition = f" WHEN {when}" if when else ""
        statements = "\n".join(body)
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {TRIGGERS[name]} FOR EACH ROW"
            f"{condition}\nBEGIN\n{statements}\nEND"
        )

    return [
        trigger("next_action_action_insert", "INSERT", [refresh("NEW.opportunity_id")]),
        trigger("next_action_action_delete", "DELETE", [refresh("OLD.opportunity_id")]),
        trigger("next_action_action_update", "UPDATE",
                [refresh("OLD.opportunity_id"), refresh("NEW.opportunity_id")],
                changed("IS NOT")),
        trigger("next_action_deal_stage", "UPDATE", [refresh("NEW.id")],
                "OLD.current_stage_id IS NOT NEW.current_stage_id"),
        trigger("next_action_deal_insert", "INSERT", [refresh("NEW.id")],
                "NEW.next_action_on IS NOT NULL"),
    ]  # fmt: skip


def postgresql_triggers() -> list[str]:
    """Functions and triggers for PostgreSQL: the deal's own row is set before it is written
    (no second row version); a key action's deals are updated after."""

    def function(name: str, body: Sequence[str], returns: str = "NULL") -> str:
        statements = "\n".join(body)
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{statements}\nRETURN {returns};\nEND $$"
        )

    def trigger(name: str, when: str, event: str, condition: str = "") -> str:
        condition = f" WHEN ({condition})" if condition else ""
        return (
            f"CREATE TRIGGER {name} {when} {event} ON {TRIGGERS[name]} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name}()"
        )

    def locked_refresh(deal_id: str) -> str:
        # The deal's row locked first, in its own statement: under READ COMMITTED the UPDATE
        # that follows then reads the key actions as of after any concurrent writer of the
        # deal committed (a recompute from the snapshot taken before the wait would drop
        # that writer's action). SQLite has one writer at a time.
        return f"PERFORM 1 FROM opportunity WHERE id = {deal_id} FOR UPDATE;\n" + refresh(deal_id)

    own = [f"NEW.next_action_on := {earliest('NEW')};"]
    return [
        function("next_action_action_insert", [locked_refresh("NEW.opportunity_id")]),
        function("next_action_action_delete", [locked_refresh("OLD.opportunity_id")]),
        function("next_action_action_update", [
            locked_refresh("OLD.opportunity_id"),
            "IF NEW.opportunity_id IS DISTINCT FROM OLD.opportunity_id THEN",
            locked_refresh("NEW.opportunity_id"),
            "END IF;",
        ]),
        function("next_action_deal_stage", own, "NEW"),
        function("next_action_deal_insert", own, "NEW"),
        trigger("next_action_action_insert", "AFTER", "INSERT"),
        trigger("next_action_action_delete", "AFTER", "DELETE"),
        trigger("next_action_action_update", "AFTER", "UPDATE", changed("IS DISTINCT FROM")),
        trigger("next_action_deal_stage", "BEFORE", "UPDATE",
                "OLD.current_stage_id IS DISTINCT FROM NEW.current_stage_id"),
        trigger("next_action_deal_insert", "BEFORE", "INSERT", "NEW.next_action_on IS NOT NULL"),
    ]  # fmt: skip


def upgrade() -> None:
    op.add_column("opportunity", sa.Column("next_action_on", sa.Date(), nullable=True))
    op.execute(FILL)
    op.drop_index("ix_opportunity_open_clocks", table_name="opportunity")
    op.create_index("ix_opportunity_open_clocks", "opportunity", CLOCKS)
    op.create_index("ix_opportunity_next_action", "opportunity", ACTING,
                    sqlite_where=HAS_ACTION, postgresql_where=HAS_ACTION)  # fmt: skip
    dialect = op.get_bind().dialect.name
    for statement in sqlite_triggers() if dialect == "sqlite" else postgresql_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index("ix_opportunity_next_action", table_name="opportunity")
    op.drop_index("ix_opportunity_open_clocks", table_name="opportunity")
    op.create_index("ix_opportunity_open_clocks", "opportunity", OLD_CLOCKS)
    # Not a batch (table copy) on SQLite: that would drop the rollup triggers on the table.
    op.execute("ALTER TABLE opportunity DROP COLUMN next_action_on")
