"""per-day deal rollups kept in step by triggers

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 20:45:00

Issue 19 (point 1): ``deal_rollup`` — deals created, won, lost and stage stays entered and
left per day, stage, product line, region, team and owner, with their amounts (see
``salesboard.store.models.rollups``). Triggers on ``opportunity`` and ``stage_history`` keep
it in step inside the writing transaction, whatever the writer (the app, imports and their
undo, restores, SQL by hand), so no write path can forget it. The table is filled from the
rows here; ``python -m salesboard rollups --check / --rebuild`` compares and refills.

The trigger SQL is written out here, not imported: a migration must build the same schema
whatever later code says. Each write adds the new row's contribution and takes back the old
one's with an upsert (``ON CONFLICT … DO UPDATE``: SQLite ≥ 3.24, PostgreSQL ≥ 9.5); a
deal's stays follow it when its amount or dimensions change.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Exact sums of any size on PostgreSQL (a bigint sum of stored absurd amounts overflowed and
# refused the write); SQLite's integer arithmetic turns to floating point instead of failing.
AMOUNT = sa.BigInteger().with_variant(sa.Numeric(38, 0), "postgresql")
KEY = "kind, day, stage_id, product_line_id, region_id, team_id, owner_id"
COLUMNS = f"{KEY}, deals, amount_minor"
UPSERT = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET deals = deal_rollup.deals + excluded.deals, "
    "amount_minor = deal_rollup.amount_minor + excluded.amount_minor"
)
# Columns whose change moves a deal's own events (created / won / lost), and those whose
# change also moves its stays (the amount and the dimensions every row carries).
DEAL_COLUMNS = (
    "created_on", "status", "won_on", "lost_on", "lost_stage_id",
    "amount_minor", "product_line_id", "region_id", "team_id", "owner_id",
)  # fmt: skip
STAY_FOLLOWING = ("id", "amount_minor", "product_line_id", "region_id", "team_id", "owner_id")
STAY_COLUMNS = ("opportunity_id", "stage_id", "entered_on", "left_on")


def deal_events(r: str, sign: str) -> str:
    """Add ``sign`` × the created / won / lost events of deal record ``r``."""
    return f"""INSERT INTO deal_rollup ({COLUMNS})
SELECT c.kind, c.day, c.stage_id, {r}.product_line_id, {r}.region_id, {r}.team_id,
       {r}.owner_id, {sign}, {sign} * {r}.amount_minor
FROM (SELECT 'created' AS kind, {r}.created_on AS day, 0 AS stage_id
      UNION ALL SELECT 'won', {r}.won_on, 0
      WHERE {r}.status = 'won' AND {r}.won_on IS NOT NULL
      UNION ALL SELECT 'lost', {r}.lost_on, COALESCE({r}.lost_stage_id, 0)
      WHERE {r}.status = 'lost' AND {r}.lost_on IS NOT NULL) AS c
WHERE true {UPSERT};"""


def deal_stays(r: str, sign: str) -> str:
    """Add ``sign`` × the stays of deal record ``r`` (entered and left), with its amount and
    dimensions."""
    return f"""INSERT INTO deal_rollup ({COLUMNS})
SELECT c.kind, c.day, c.stage_id, {r}.product_line_id, {r}.region_id, {r}.team_id,
       {r}.owner_id, {sign} * c.n, {sign} * c.n * CAST({r}.amount_minor AS NUMERIC)
FROM (SELECT 'entered' AS kind, h.entered_on AS day, h.stage_id AS stage_id, count(*) AS n
      FROM stage_history h WHERE h.opportunity_id = {r}.id GROUP BY h.entered_on, h.stage_id
      UNION ALL
      SELECT 'left', h.left_on, h.stage_id, count(*)
      FROM stage_history h WHERE h.opportunity_id = {r}.id AND h.left_on IS NOT NULL
      GROUP BY h.left_on, h.stage_id) AS c
WHERE true {UPSERT};"""


def stay(h: str, sign: str) -> str:
    """Add ``sign`` × stay record ``h`` (entered, and left once it ended), credited as its
    deal is; nothing while the deal row does not exist (the deal's own trigger counts the
    stays it finds)."""
    return f"""INSERT INTO deal_rollup ({COLUMNS})
SELECT c.kind, c.day, {h}.stage_id, o.product_line_id, o.region_id, o.team_id, o.owner_id,
       {sign}, {sign} * o.amount_minor
FROM opportunity o,
     (SELECT 'entered' AS kind, {h}.entered_on AS day
      UNION ALL SELECT 'left', {h}.left_on WHERE {h}.left_on IS NOT NULL) AS c
WHERE o.id = {h}.opportunity_id {UPSERT};"""


def changed(columns: Sequence[str], distinct: str) -> str:
    """A condition: any of ``columns`` differs between OLD and NEW."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def sqlite_triggers() -> list[str]:
    """CREATE TRIGGER statements for SQLite (bodies with NEW / OLD)."""

    def trigger(name: str, event: str, table: str, body: Sequence[str], when: str = "") -> str:
        condition = f" WHEN {when}" if when else ""
        statements = "\n".join(body)
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition}\n"
            f"BEGIN\n{statements}\nEND"
        )

    return [
        trigger("deal_rollup_deal_insert", "INSERT", "opportunity",
                [deal_events("NEW", "1"), deal_stays("NEW", "1")]),
        trigger("deal_rollup_deal_delete", "DELETE", "opportunity",
                [deal_events("OLD", "-1"), deal_stays("OLD", "-1")]),
        trigger("deal_rollup_deal_update", "UPDATE", "opportunity",
                [deal_events("OLD", "-1"), deal_events("NEW", "1")],
                changed(DEAL_COLUMNS, "IS NOT")),
        trigger("deal_rollup_deal_stays", "UPDATE", "opportunity",
                [deal_stays("OLD", "-1"), deal_stays("NEW", "1")],
                changed(STAY_FOLLOWING, "IS NOT")),
        trigger("deal_rollup_stay_insert", "INSERT", "stage_history", [stay("NEW", "1")]),
        trigger("deal_rollup_stay_delete", "DELETE", "stage_history", [stay("OLD", "-1")]),
        trigger("deal_rollup_stay_update", "UPDATE", "stage_history",
                [stay("OLD", "-1"), stay("NEW", "1")], changed(STAY_COLUMNS, "IS NOT")),
    ]  # fmt: skip


def postgresql_triggers() -> list[str]:
    """Functions and triggers for PostgreSQL: the same statements on the row records."""

    def function(name: str, body: Sequence[str]) -> str:
        statements = "\n".join(body)
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{statements}\nRETURN NULL;\nEND $$"
        )

    def trigger(name: str, event: str, table: str, when: str = "") -> str:
        condition = f" WHEN ({when})" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name}()"
        )

    return [
        function("deal_rollup_deal_insert", [deal_events("NEW", "1"), deal_stays("NEW", "1")]),
        function("deal_rollup_deal_delete", [deal_events("OLD", "-1"), deal_stays("OLD", "-1")]),
        function("deal_rollup_deal_update", [deal_events("OLD", "-1"), deal_events("NEW", "1")]),
        function("deal_rollup_deal_stays", [deal_stays("OLD", "-1"), deal_stays("NEW", "1")]),
        function("deal_rollup_stay_insert", [stay("NEW", "1")]),
        function("deal_rollup_stay_delete", [stay("OLD", "-1")]),
        function("deal_rollup_stay_update", [stay("OLD", "-1"), stay("NEW", "1")]),
        trigger("deal_rollup_deal_insert", "INSERT", "opportunity"),
        trigger("deal_rollup_deal_delete", "DELETE", "opportunity"),
        trigger("deal_rollup_deal_update", "UPDATE", "opportunity",
                changed(DEAL_COLUMNS, "IS DISTINCT FROM")),
        trigger("deal_rollup_deal_stays", "UPDATE", "opportunity",
                changed(STAY_FOLLOWING, "IS DISTINCT FROM")),
        trigger("deal_rollup_stay_insert", "INSERT", "stage_history"),
        trigger("deal_rollup_stay_delete", "DELETE", "stage_history"),
        trigger("deal_rollup_stay_update", "UPDATE", "stage_history",
                changed(STAY_COLUMNS, "IS DISTINCT FROM")),
    ]  # fmt: skip


DIMS = "o.product_line_id, o.region_id, o.team_id, o.owner_id"
# The rows the triggers would have written, from scratch (as of this revision).
FILL = f"""INSERT INTO deal_rollup ({COLUMNS})
SELECT 'created', o.created_on, 0, {DIMS}, count(*), sum(o.amount_minor)
FROM opportunity o GROUP BY o.created_on, {DIMS}
UNION ALL
SELECT 'won', o.won_on, 0, {DIMS}, count(*), sum(o.amount_minor)
FROM opportunity o WHERE o.status = 'won' AND o.won_on IS NOT NULL GROUP BY o.won_on, {DIMS}
UNION ALL
SELECT 'lost', o.lost_on, COALESCE(o.lost_stage_id, 0), {DIMS}, count(*), sum(o.amount_minor)
FROM opportunity o WHERE o.status = 'lost' AND o.lost_on IS NOT NULL
GROUP BY o.lost_on, COALESCE(o.lost_stage_id, 0), {DIMS}
UNION ALL
SELECT 'entered', h.entered_on, h.stage_id, {DIMS}, count(*), sum(o.amount_minor)
FROM stage_history h JOIN opportunity o ON o.id = h.opportunity_id
GROUP BY h.entered_on, h.stage_id, {DIMS}
UNION ALL
SELECT 'left', h.left_on, h.stage_id, {DIMS}, count(*), sum(o.amount_minor)
FROM stage_history h JOIN opportunity o ON o.id = h.opportunity_id
WHERE h.left_on IS NOT NULL GROUP BY h.left_on, h.stage_id, {DIMS}"""

TRIGGERS = (
    "deal_rollup_deal_insert", "deal_rollup_deal_delete", "deal_rollup_deal_update",
    "deal_rollup_deal_stays", "deal_rollup_stay_insert", "deal_rollup_stay_delete",
    "deal_rollup_stay_update",
)  # fmt: skip
TABLE_OF = {name: "stage_history" if "_stay_" in name else "opportunity" for name in TRIGGERS}


def upgrade() -> None:
    op.create_table(
        "deal_rollup",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("product_line_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("amount_minor", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", "day", "stage_id", "product_line_id", "region_id", "team_id", "owner_id",
            name=op.f("pk_deal_rollup"),
        ),  # fmt: skip
        sqlite_with_rowid=False,
    )
    op.execute(FILL)
    dialect = op.get_bind().dialect.name
    for statement in sqlite_triggers() if dialect == "sqlite" else postgresql_triggers():
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {TABLE_OF[name]}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("deal_rollup")
