"""instalments and ratings carry their deal's owner and team, kept in step by triggers

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 11:30:00

Issue 19: collections per rep or team (scorecards, the team feedback) summed the instalments
that fell due in a period per deal owner, one primary-key seek per instalment for the
owner: a quarter at 10M deals is 1M instalments, 3 s; ratings per rep the same way (343k
ratings, 0.6 s with seeks, 2.2 s hashed). ``owner_id`` and ``team_id`` on ``collection`` and
``deal_rating`` hold the deal's (the owner and the team credited with it), so the sums are
one range of a covering index per period.

Triggers keep the copy in step inside the writing transaction, whatever the writer (the
app, imports and their undo, restores, SQL by hand), as the rollups' do (0022): a row
inserted, or moved to another deal, or its copy written by hand takes its deal's values; a
deal given another owner or team passes them to its rows. On PostgreSQL a row reads its
deal with ``FOR SHARE``: a concurrent change of the deal's owner then waits for it (or it
for the change), so neither misses the other. ``python -m salesboard
rollups --check / --rebuild`` compare and correct the copies with the rollups.

The trigger SQL is written out here, not imported: a migration must build the same schema
whatever later code says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose rows carry their deal's owner and team, and their covering indexes:
# instalments by owner or team first (one rep's feedback form reads their own range, every
# rep's scorecard a range per rep), ratings by day (only read for everyone at once).
AMOUNTS = ["due_on", "due_minor", "collected_on", "collected_minor"]
COPIES = {
    "collection": [("ix_collection_owner_due", ["owner_id", *AMOUNTS]),
                   ("ix_collection_team_due", ["team_id", *AMOUNTS])],
    "deal_rating": [("ix_deal_rating_rated_owner", ["rated_on", "owner_id", "team_id", "score"])],
}  # fmt: skip
TRIGGERS = {
    **{f"deal_owner_{table}_insert": table for table in COPIES},
    **{f"deal_owner_{table}_update": table for table in COPIES},
    "deal_owner_deal_update": "opportunity",
}


def fill(table: str) -> str:
    """The copies of ``table`` from its deals, with one join (both backends: SQLite has
    UPDATE … FROM since 3.33), not a seek per row."""
    return (
        f"UPDATE {table} SET owner_id = o.owner_id, team_id = o.team_id FROM opportunity o "
        f"WHERE o.id = {table}.opportunity_id"
    )


def sqlite_triggers() -> list[str]:
    """CREATE TRIGGER statements for SQLite (AFTER: SQLite cannot assign to NEW). The copy
    written by a trigger does not fire that trigger again (SQLite's recursive triggers are
    off), and the guard makes a second pass a no-op either way."""
    own = lambda c: f"(SELECT o.{c} FROM opportunity o WHERE o.id = NEW.opportunity_id)"  # noqa: E731
    out = []
    for table in COPIES:
        refresh = (
            f"UPDATE {table} SET owner_id = {own('owner_id')}, team_id = {own('team_id')} "
            f"WHERE id = NEW.id AND (owner_id IS NOT {own('owner_id')} "
            f"OR team_id IS NOT {own('team_id')});"
        )
        out += [
            f"CREATE TRIGGER deal_owner_{table}_insert AFTER INSERT ON {table} FOR EACH ROW\n"
            f"BEGIN\n{refresh}\nEND",
            f"CREATE TRIGGER deal_owner_{table}_update AFTER UPDATE OF opportunity_id, owner_id, "
            f"team_id ON {table} FOR EACH ROW\nBEGIN\n{refresh}\nEND",
        ]
    follow = "\n".join(
        f"UPDATE {table} SET owner_id = NEW.owner_id, team_id = NEW.team_id "
        "WHERE opportunity_id = NEW.id;"
        for table in COPIES
    )
    return [
        *out,
        "CREATE TRIGGER deal_owner_deal_update AFTER UPDATE OF owner_id, team_id ON opportunity "
        "FOR EACH ROW WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.team_id IS NOT NEW.team_id\n"
        f"BEGIN\n{follow}\nEND",
    ]


def postgresql_triggers() -> list[str]:
    """Functions and triggers for PostgreSQL: a row's own copy is set before it is written
    (one function for every table: it reads only ``opportunity_id``); a deal's rows are
    updated after it."""
    follow = "\n".join(
        f"UPDATE {table} SET owner_id = NEW.owner_id, team_id = NEW.team_id "
        "WHERE opportunity_id = NEW.id;"
        for table in COPIES
    )
    out = [
        "CREATE FUNCTION deal_owner_copy() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN\nSELECT o.owner_id, o.team_id INTO NEW.owner_id, NEW.team_id FROM opportunity o "
        "WHERE o.id = NEW.opportunity_id FOR SHARE;\nRETURN NEW;\nEND $$",
        "CREATE FUNCTION deal_owner_deal_update() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{follow}\nRETURN NULL;\nEND $$",
    ]
    for table in COPIES:
        out += [
            f"CREATE TRIGGER deal_owner_{table}_insert BEFORE INSERT ON {table} FOR EACH ROW "
            "EXECUTE FUNCTION deal_owner_copy()",
            # A row moved to another deal, or its copy changed by hand.
            f"CREATE TRIGGER deal_owner_{table}_update BEFORE UPDATE OF opportunity_id, owner_id, "
            f"team_id ON {table} FOR EACH ROW EXECUTE FUNCTION deal_owner_copy()",
        ]
    return [
        *out,
        "CREATE TRIGGER deal_owner_deal_update AFTER UPDATE OF owner_id, team_id ON opportunity "
        "FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id "
        "OR OLD.team_id IS DISTINCT FROM NEW.team_id) EXECUTE FUNCTION deal_owner_deal_update()",
    ]


def upgrade() -> None:
    for table, indexes in COPIES.items():
        op.add_column(table, sa.Column("owner_id", sa.Integer(), nullable=True))
        op.add_column(table, sa.Column("team_id", sa.Integer(), nullable=True))
        op.execute(fill(table))
        for index, columns in indexes:
            op.create_index(index, table, columns)
    dialect = op.get_bind().dialect.name
    for statement in sqlite_triggers() if dialect == "sqlite" else postgresql_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS deal_owner_copy()")
        op.execute("DROP FUNCTION IF EXISTS deal_owner_deal_update()")
    for table, indexes in COPIES.items():
        for index, _columns in indexes:
            op.drop_index(index, table_name=table)
        # Not a batch (table copy) on SQLite: that would drop the triggers on the table.
        op.execute(f"ALTER TABLE {table} DROP COLUMN team_id")
        op.execute(f"ALTER TABLE {table} DROP COLUMN owner_id")
