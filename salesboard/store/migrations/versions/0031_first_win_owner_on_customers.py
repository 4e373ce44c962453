"""customers carry their first won deal's owner, team and region

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 15:00:00

Issue 19: new customers per rep, team or region (scorecards, goal pages) read the customers
whose first won deal fell in the period (0029) and sought each one's deal for its owner,
team and region: a quarter at 10M deals is 54k seeks into 10M deals, 0.2–0.4 s — for one
rep as for everyone. ``first_won_owner_id``, ``first_won_team_id`` and
``first_won_region_id`` hold those of the first won deal, and ``ix_customer_first_won``
carries them: a period's new customers by rep, team or region are read from the index
alone.

0029's first-win triggers are rebuilt to write them too and to follow the first deal when
it is given another owner, team or region (a won deal's change of those recomputes its
customer's first win as a change of its status or won day does). The trigger SQL is written
out here, not imported: a migration must build the same schema whatever later code says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COPIED = {"first_won_owner_id": "owner_id", "first_won_team_id": "team_id",
          "first_won_region_id": "region_id"}  # fmt: skip
KEPT = {"first_won_deal_id": "id", "first_won_on": "won_on", **COPIED}
TRIGGERS = ("first_win_deal_insert", "first_win_deal_update", "first_win_deal_delete")
# A customer's earliest won deal (by won day, then id): one seek of the customer index.
FIRST_WIN = (
    "SELECT {columns} FROM opportunity o WHERE o.customer_id = {c} AND o.status = 'won' "
    "AND o.won_on IS NOT NULL ORDER BY o.won_on, o.id LIMIT 1"
)
WIN_CHANGED = (
    "(OLD.status IS DISTINCT FROM NEW.status OR OLD.won_on IS DISTINCT FROM NEW.won_on "
    "OR OLD.customer_id IS DISTINCT FROM NEW.customer_id) "
    "AND (OLD.status = 'won' OR NEW.status = 'won')"
)
# A won deal given another owner, team or region: its customer's copy may change.
DIMS_CHANGED = (
    "NEW.status = 'won' AND (OLD.owner_id IS DISTINCT FROM NEW.owner_id "
    "OR OLD.team_id IS DISTINCT FROM NEW.team_id OR OLD.region_id IS DISTINCT FROM NEW.region_id)"
)
UPDATE_OF = "status, won_on, customer_id, owner_id, team_id, region_id"


def _sqlite_refresh(c: str, kept: dict[str, str]) -> str:
    values = ", ".join(
        f"{column} = ({FIRST_WIN.format(columns=f'o.{source}', c=c)})"
        for column, source in kept.items()
    )
    return f"UPDATE customer SET {values} WHERE id = {c};"


def sqlite_triggers(kept: dict[str, str], update_of: str, when: str) -> list[str]:
    """The first-win triggers for SQLite writing the ``kept`` columns (column: deal column),
    the update trigger on ``update_of`` when ``when``."""
    return [
        "CREATE TRIGGER first_win_deal_insert AFTER INSERT ON opportunity FOR EACH ROW "
        f"WHEN NEW.status = 'won'\nBEGIN\n{_sqlite_refresh('NEW.customer_id', kept)}\nEND",
        f"CREATE TRIGGER first_win_deal_update AFTER UPDATE OF {update_of} ON opportunity "
        f"FOR EACH ROW WHEN {when.replace('IS DISTINCT FROM', 'IS NOT')}\nBEGIN\n"
        f"{_sqlite_refresh('OLD.customer_id', kept)}\n{_sqlite_refresh('NEW.customer_id', kept)}"
        "\nEND",
        "CREATE TRIGGER first_win_deal_delete AFTER DELETE ON opportunity FOR EACH ROW "
        f"WHEN OLD.status = 'won'\nBEGIN\n{_sqlite_refresh('OLD.customer_id', kept)}\nEND",
    ]


def postgresql_refresh(kept: dict[str, str]) -> str:
    """``first_win_refresh(c)`` writing the ``kept`` columns, under the customer's row lock
    (as 0029's: each statement of the function sees the wins committed before the lock)."""
    names = [f"v{i}" for i in range(len(kept))]
    declared = " ".join(f"{n} {'date' if c == 'first_won_on' else 'integer'};"
                        for n, c in zip(names, kept, strict=True))  # fmt: skip
    sources = ", ".join(f"o.{s}" for s in kept.values())
    differs = " OR ".join(f"{c} IS DISTINCT FROM {n}" for c, n in zip(kept, names, strict=True))
    values = ", ".join(f"{c} = {n}" for c, n in zip(kept, names, strict=True))
    into = f"{sources} INTO {', '.join(names)}"
    return (
        "CREATE OR REPLACE FUNCTION first_win_refresh(c integer) RETURNS void "
        f"LANGUAGE plpgsql AS $$\nDECLARE {declared}\nBEGIN\n"
        "PERFORM 1 FROM customer WHERE id = c FOR NO KEY UPDATE;\n"
        f"{FIRST_WIN.format(columns=into, c='c')};\n"
        f"UPDATE customer SET {values} WHERE id = c AND ({differs});\nEND $$"
    )


def postgresql_update_trigger(update_of: str, when: str) -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS first_win_deal_update ON opportunity",
        f"CREATE TRIGGER first_win_deal_update AFTER UPDATE OF {update_of} ON opportunity "
        f"FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION first_win_deal()",
    ]


def _rebuild(kept: dict[str, str], update_of: str, when: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in sqlite_triggers(kept, update_of, when):
            op.execute(statement)
    else:
        op.execute(postgresql_refresh(kept))
        for statement in postgresql_update_trigger(update_of, when):
            op.execute(statement)


def upgrade() -> None:
    for column in COPIED:
        op.add_column("customer", sa.Column(column, sa.Integer(), nullable=True))
    op.execute(
        "UPDATE customer SET "
        + ", ".join(f"{column} = o.{source}" for column, source in COPIED.items())
        + " FROM opportunity o WHERE o.id = customer.first_won_deal_id"
    )
    op.drop_index("ix_customer_first_won", table_name="customer")
    op.create_index("ix_customer_first_won", "customer",
                    ["first_won_on", *COPIED, "first_won_deal_id"])  # fmt: skip
    _rebuild(KEPT, UPDATE_OF, f"({WIN_CHANGED}) OR ({DIMS_CHANGED})")


def downgrade() -> None:
    before = {"first_won_deal_id": "id", "first_won_on": "won_on"}
    _rebuild(before, "status, won_on, customer_id", WIN_CHANGED)
    op.drop_index("ix_customer_first_won", table_name="customer")
    op.create_index("ix_customer_first_won", "customer", ["first_won_on", "first_won_deal_id"])
    for column in COPIED:
        op.execute(f"ALTER TABLE customer DROP COLUMN {column}")
