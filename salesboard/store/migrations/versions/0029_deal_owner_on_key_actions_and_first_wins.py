"""key actions carry their deal's owner and team; customers their first won deal

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 14:00:00

Issue 19, two reads that sought each row's deal:

- Key actions per rep or team (the scorecard, top performers, the goal leaderboard) are
  scoped by the *deal's* owner and team, so every action of the period was joined to its
  deal: a manager's quarter at 10M deals 0.9–1.3 s, a rep's five quarters 1.2 s.
  ``deal_owner_id`` and ``deal_team_id`` on ``key_action`` hold the deal's (``owner_id`` is
  the action's own owner), kept as 0028 keeps the instalments' and ratings' copies, and
  indexed owner- and team-first with the period, the action's owner and its done day.
- New customers (customers whose first won deal falls in the period) checked each won deal
  of the period for an earlier win of its customer: 1.5–5 s for a quarter at 10M.
  ``customer.first_won_deal_id`` / ``first_won_on`` hold the customer's earliest won deal
  (by won day, then id), so a period's new customers are one range of
  ``ix_customer_first_won``.

Triggers keep both in step inside the writing transaction, whatever the writer. A key action
takes its deal's owner and team on insert, when moved to another deal or when its copy is
written by hand; a deal given another owner or team passes them on. A deal inserted won,
deleted won, or whose status, won day or customer changes recomputes its customer's (both
customers') first win with one seek of ``ix_opportunity_customer_won``. On PostgreSQL the
customer row is locked (``FOR NO KEY UPDATE``: not against the key-share locks of foreign
keys) before the recomputation, whose statement then sees every win committed before it:
two deals of one customer won at once cannot both leave their own as the first. ``python
-m salesboard rollups --check / --rebuild`` compare and correct both.

The trigger SQL is written out here, not imported: a migration must build the same schema
whatever later code says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTION_INDEXES = {
    "ix_key_action_deal_owner_planned": ["deal_owner_id", "planned_on", "owner_id", "done_on"],
    "ix_key_action_deal_team_planned": ["deal_team_id", "planned_on", "owner_id", "done_on"],
}
TRIGGERS = {
    "deal_owner_key_action_insert": "key_action",
    "deal_owner_key_action_update": "key_action",
    "deal_owner_deal_actions": "opportunity",
    "first_win_deal_insert": "opportunity",
    "first_win_deal_update": "opportunity",
    "first_win_deal_delete": "opportunity",
}
FUNCTIONS = ("deal_owner_copy_action()", "deal_owner_deal_actions()", "first_win_deal()",
             "first_win_refresh(integer)")  # fmt: skip
# A deal's change that can move its customer's first win.
WIN_CHANGED = (
    "(OLD.status IS DISTINCT FROM NEW.status OR OLD.won_on IS DISTINCT FROM NEW.won_on "
    "OR OLD.customer_id IS DISTINCT FROM NEW.customer_id) "
    "AND (OLD.status = 'won' OR NEW.status = 'won')"
)
# A customer's earliest won deal (by won day, then id): one seek of the customer index.
FIRST_WIN = (
    "SELECT {columns} FROM opportunity o WHERE o.customer_id = {c} AND o.status = 'won' "
    "AND o.won_on IS NOT NULL ORDER BY o.won_on, o.id LIMIT 1"
)


def fill_actions() -> str:
    """Every key action's copy from its deal, with one join (UPDATE … FROM on both)."""
    return (
        "UPDATE key_action SET deal_owner_id = o.owner_id, deal_team_id = o.team_id "
        "FROM opportunity o WHERE o.id = key_action.opportunity_id"
    )


def fill_first_wins() -> str:
    """Every customer's first won deal, numbering each customer's wins once (a window), not
    a seek per deal."""
    return (
        "UPDATE customer SET first_won_deal_id = f.id, first_won_on = f.won_on FROM ("
        "SELECT id, customer_id, won_on, ROW_NUMBER() OVER (PARTITION BY customer_id "
        "ORDER BY won_on, id) AS n FROM opportunity WHERE status = 'won' "
        "AND won_on IS NOT NULL) f WHERE f.customer_id = customer.id AND f.n = 1"
    )


def _sqlite_refresh(c: str) -> str:
    return (
        f"UPDATE customer SET first_won_deal_id = ({FIRST_WIN.format(columns='o.id', c=c)}), "
        f"first_won_on = ({FIRST_WIN.format(columns='o.won_on', c=c)}) WHERE id = {c};"
    )


def sqlite_triggers() -> list[str]:
    """CREATE TRIGGER statements for SQLite (AFTER: SQLite cannot assign to NEW; one writer
    at a time, so no locking)."""
    own = lambda c: f"(SELECT o.{c} FROM opportunity o WHERE o.id = NEW.opportunity_id)"  # noqa: E731
    refresh = (
        f"UPDATE key_action SET deal_owner_id = {own('owner_id')}, deal_team_id = "
        f"{own('team_id')} WHERE id = NEW.id AND (deal_owner_id IS NOT {own('owner_id')} "
        f"OR deal_team_id IS NOT {own('team_id')});"
    )
    return [
        "CREATE TRIGGER deal_owner_key_action_insert AFTER INSERT ON key_action FOR EACH ROW\n"
        f"BEGIN\n{refresh}\nEND",
        "CREATE TRIGGER deal_owner_key_action_update AFTER UPDATE OF opportunity_id, "
        f"deal_owner_id, deal_team_id ON key_action FOR EACH ROW\nBEGIN\n{refresh}\nEND",
        "CREATE TRIGGER deal_owner_deal_actions AFTER UPDATE OF owner_id, team_id ON "
        "opportunity FOR EACH ROW WHEN OLD.owner_id IS NOT NEW.owner_id "
        "OR OLD.team_id IS NOT NEW.team_id\nBEGIN\nUPDATE key_action SET deal_owner_id = "
        "NEW.owner_id, deal_team_id = NEW.team_id WHERE opportunity_id = NEW.id;\nEND",
        "CREATE TRIGGER first_win_deal_insert AFTER INSERT ON opportunity FOR EACH ROW "
        f"WHEN NEW.status = 'won'\nBEGIN\n{_sqlite_refresh('NEW.customer_id')}\nEND",
        "CREATE TRIGGER first_win_deal_update AFTER UPDATE OF status, won_on, customer_id ON "
        f"opportunity FOR EACH ROW WHEN {WIN_CHANGED.replace('IS DISTINCT FROM', 'IS NOT')}\n"
        f"BEGIN\n{_sqlite_refresh('OLD.customer_id')}\n{_sqlite_refresh('NEW.customer_id')}\nEND",
        "CREATE TRIGGER first_win_deal_delete AFTER DELETE ON opportunity FOR EACH ROW "
        f"WHEN OLD.status = 'won'\nBEGIN\n{_sqlite_refresh('OLD.customer_id')}\nEND",
    ]


def postgresql_triggers() -> list[str]:
    """Functions and triggers for PostgreSQL: a key action's copy is set before it is
    written (reading its deal ``FOR SHARE``, as 0028's); a deal's actions are updated after
    it; a customer's first win is recomputed after a deal's change, under the customer's
    row lock."""
    return [
        "CREATE FUNCTION deal_owner_copy_action() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\nSELECT o.owner_id, o.team_id INTO NEW.deal_owner_id, NEW.deal_team_id "
        "FROM opportunity o WHERE o.id = NEW.opportunity_id FOR SHARE;\nRETURN NEW;\nEND $$",
        "CREATE FUNCTION deal_owner_deal_actions() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\nUPDATE key_action SET deal_owner_id = NEW.owner_id, deal_team_id = NEW.team_id "
        "WHERE opportunity_id = NEW.id;\nRETURN NULL;\nEND $$",
        "CREATE TRIGGER deal_owner_key_action_insert BEFORE INSERT ON key_action FOR EACH ROW "
        "EXECUTE FUNCTION deal_owner_copy_action()",
        "CREATE TRIGGER deal_owner_key_action_update BEFORE UPDATE OF opportunity_id, "
        "deal_owner_id, deal_team_id ON key_action FOR EACH ROW "
        "EXECUTE FUNCTION deal_owner_copy_action()",
        "CREATE TRIGGER deal_owner_deal_actions AFTER UPDATE OF owner_id, team_id ON opportunity "
        "FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id "
        "OR OLD.team_id IS DISTINCT FROM NEW.team_id) EXECUTE FUNCTION deal_owner_deal_actions()",
        # Each statement of a (volatile) function takes a fresh snapshot under READ COMMITTED:
        # after the lock, the seek sees the wins of every writer that held it before.
        "CREATE FUNCTION first_win_refresh(c integer) RETURNS void LANGUAGE plpgsql AS $$\n"
        "DECLARE d integer; w date;\nBEGIN\n"
        "PERFORM 1 FROM customer WHERE id = c FOR NO KEY UPDATE;\n"
        f"{FIRST_WIN.format(columns='o.id, o.won_on INTO d, w', c='c')};\n"
        "UPDATE customer SET first_won_deal_id = d, first_won_on = w WHERE id = c "
        "AND (first_won_deal_id IS DISTINCT FROM d OR first_won_on IS DISTINCT FROM w);\n"
        "END $$",
        "CREATE FUNCTION first_win_deal() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        "IF TG_OP <> 'INSERT' THEN PERFORM first_win_refresh(OLD.customer_id); END IF;\n"
        "IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.customer_id <> OLD.customer_id) "
        "THEN PERFORM first_win_refresh(NEW.customer_id); END IF;\n"
        "RETURN NULL;\nEND $$",
        "CREATE TRIGGER first_win_deal_insert AFTER INSERT ON opportunity FOR EACH ROW "
        "WHEN (NEW.status = 'won') EXECUTE FUNCTION first_win_deal()",
        "CREATE TRIGGER first_win_deal_update AFTER UPDATE OF status, won_on, customer_id ON "
        f"opportunity FOR EACH ROW WHEN ({WIN_CHANGED}) EXECUTE FUNCTION first_win_deal()",
        "CREATE TRIGGER first_win_deal_delete AFTER DELETE ON opportunity FOR EACH ROW "
        "WHEN (OLD.status = 'won') EXECUTE FUNCTION first_win_deal()",
    ]


def upgrade() -> None:
    op.add_column("key_action", sa.Column("deal_owner_id", sa.Integer(), nullable=True))
    op.add_column("key_action", sa.Column("deal_team_id", sa.Integer(), nullable=True))
    op.execute(fill_actions())
    for index, columns in ACTION_INDEXES.items():
        op.create_index(index, "key_action", columns)
    op.add_column("customer", sa.Column("first_won_deal_id", sa.Integer(), nullable=True))
    op.add_column("customer", sa.Column("first_won_on", sa.Date(), nullable=True))
    op.execute(fill_first_wins())
    op.create_index("ix_customer_first_won", "customer", ["first_won_on", "first_won_deal_id"])
    dialect = op.get_bind().dialect.name
    for statement in sqlite_triggers() if dialect == "sqlite" else postgresql_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        for function in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_index("ix_customer_first_won", table_name="customer")
    for index in ACTION_INDEXES:
        op.drop_index(index, table_name="key_action")
    # Not a batch (table copy) on SQLite: that would drop the triggers on the tables.
    for table, column in (("customer", "first_won_on"), ("customer", "first_won_deal_id"),
                          ("key_action", "deal_team_id"), ("key_action", "deal_owner_id")):  # fmt: skip
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
