"""the open pipeline per day, kept in step by triggers

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 16:45:00

Issue 19: the forecast's back-test needs the open pipeline by stage as it stood on past
days: the stays that covered the day (begun on it or in the 180 days before, not yet left)
and their deals' amounts, for the deals expected to close by the period's end. Read from
the stays, each as-of point was half a year of the company's stays and a seek of each
one's deal (10M deals: 650k–730k stays, 3–5 s a point, five points a page).
``open_pipeline_day`` holds that pipeline per day, stage, product line, region, team and
month of the expected close date (``0001-01-01`` for none: counted in every period), so a
point is one day's rows.

Triggers on ``stage_history`` and ``opportunity`` keep it in step inside the writing
transaction, as 0022's do for ``deal_rollup``: a stay adds its deal to each day it covers
(up to 181 upserts), a deal whose amount, dimensions or expected close date change moves
its stays. ``pipeline_reach`` (offsets 0–180) spreads a stay over its days: SQLite allows no
recursive query in a trigger. The table is filled from the rows with one pass over the
stays (a running sum of entries and exits per key, then each run of days). The SQL is
written out here, not imported: a migration must build the same schema whatever later code
says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REACH = 180  # a stay begun more than this many days before a day: a dead deal on that day
AMOUNT = sa.BigInteger().with_variant(sa.Numeric(38, 0), "postgresql")
KEY = "day, stage_id, product_line_id, region_id, team_id, close_month"
COLUMNS = f"{KEY}, deals, amount_minor"
UPSERT = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET deals = open_pipeline_day.deals + excluded.deals, "
    "amount_minor = open_pipeline_day.amount_minor + excluded.amount_minor"
)
DEAL_COLUMNS = ("id", "amount_minor", "product_line_id", "region_id", "team_id",
                "expected_close_on")  # fmt: skip
STAY_COLUMNS = ("opportunity_id", "stage_id", "entered_on", "left_on")
TRIGGERS = (
    "open_pipeline_deal_insert", "open_pipeline_deal_delete", "open_pipeline_deal_update",
    "open_pipeline_stay_insert", "open_pipeline_stay_delete", "open_pipeline_stay_update",
)  # fmt: skip


class Dialect:
    """The two date expressions the SQL needs, per backend (SQLite keeps dates as text)."""

    def __init__(self, name: str):
        self.sqlite = name == "sqlite"

    def plus(self, day: str, days: str) -> str:
        """``day`` + ``days`` (an integer expression)."""
        return f"date({day}, {days} || ' days')" if self.sqlite else f"({day} + {days})"

    def close_month(self, r: str) -> str:
        """The first day of deal record ``r``'s expected close month, 0001-01-01 for none."""
        if self.sqlite:
            return f"COALESCE(date({r}.expected_close_on, 'start of month'), '0001-01-01')"
        month = f"CAST(date_trunc('month', {r}.expected_close_on) AS DATE)"
        return f"COALESCE({month}, DATE '0001-01-01')"

    def covered(self, h: str) -> str:
        """Days ``{h}.entered_on + r.days`` the stay record ``h`` covers (``r``: the reach)."""
        return f"({h}.left_on IS NULL OR {self.plus(f'{h}.entered_on', 'r.days')} < {h}.left_on)"


def stay(d: Dialect, h: str, sign: str) -> str:
    """Add ``sign`` × stay record ``h`` to each day it covers, credited as its deal is."""
    return f"""INSERT INTO open_pipeline_day ({COLUMNS})
SELECT {d.plus(f"{h}.entered_on", "r.days")}, {h}.stage_id, o.product_line_id, o.region_id,
       o.team_id, {d.close_month("o")}, {sign}, {sign} * CAST(o.amount_minor AS NUMERIC)
FROM opportunity o, pipeline_reach r
WHERE o.id = {h}.opportunity_id AND {d.covered(h)} {UPSERT};"""


def deal_stays(d: Dialect, r: str, sign: str) -> str:
    """Add ``sign`` × every stay of deal record ``r`` (grouped: a deal back in a stage
    covers some days twice, and one upsert may not touch a row twice)."""
    day = d.plus("h.entered_on", "r.days")
    return f"""INSERT INTO open_pipeline_day ({COLUMNS})
SELECT {day}, h.stage_id, {r}.product_line_id, {r}.region_id, {r}.team_id,
       {d.close_month(r)}, {sign} * count(*), {sign} * count(*) * CAST({r}.amount_minor AS NUMERIC)
FROM stage_history h, pipeline_reach r
WHERE h.opportunity_id = {r}.id AND {d.covered("h")}
GROUP BY {day}, h.stage_id {UPSERT};"""


def fill(d: Dialect) -> str:
    """Everything the triggers would have written, from scratch: per key, the stays' entries
    (+1) and exits (-1: on leaving, or 181 days after entering), summed in day order; each
    run of days between two events holds the running sum (a run is at most 181 days long:
    a stay covering its first day ends within that)."""
    end = (
        f"CASE WHEN h.left_on IS NOT NULL AND h.left_on < {d.plus('h.entered_on', str(REACH + 1))}"
        f" THEN h.left_on ELSE {d.plus('h.entered_on', str(REACH + 1))} END"
    )
    dims = f"h.stage_id, o.product_line_id, o.region_id, o.team_id, {d.close_month('o')}"
    stays = "stage_history h JOIN opportunity o ON o.id = h.opportunity_id"
    key = "stage_id, product_line_id, region_id, team_id, close_month"
    return f"""INSERT INTO open_pipeline_day ({COLUMNS})
WITH ev (stage_id, product_line_id, region_id, team_id, close_month, day, n, a) AS (
  SELECT {dims}, h.entered_on, 1, CAST(o.amount_minor AS NUMERIC) FROM {stays}
  WHERE {end} > h.entered_on
  UNION ALL
  SELECT {dims}, {end}, -1, -CAST(o.amount_minor AS NUMERIC) FROM {stays}
  WHERE {end} > h.entered_on
), g AS (
  SELECT {key}, day, sum(n) AS n, sum(a) AS a FROM ev GROUP BY {key}, day
), runs AS (
  SELECT {key}, day, sum(n) OVER w AS deals, sum(a) OVER w AS amount,
         lead(day) OVER w AS until
  FROM g WINDOW w AS (PARTITION BY {key} ORDER BY day)
)
SELECT {d.plus("runs.day", "r.days")}, {key}, deals, amount
FROM runs, pipeline_reach r
WHERE runs.deals <> 0 AND {d.plus("runs.day", "r.days")} < runs.until"""


def changed(columns: Sequence[str], distinct: str) -> str:
    """A condition: any of ``columns`` differs between OLD and NEW."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def sqlite_triggers(d: Dialect) -> list[str]:
    """CREATE TRIGGER statements for SQLite (bodies with NEW / OLD)."""

    def trigger(name: str, event: str, table: str, body: Sequence[str], when: str = "") -> str:
        condition = f" WHEN {when}" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition}\n"
            f"BEGIN\n{chr(10).join(body)}\nEND"
        )

    return [
        trigger("open_pipeline_deal_insert", "INSERT", "opportunity", [deal_stays(d, "NEW", "1")]),
        trigger("open_pipeline_deal_delete", "DELETE", "opportunity", [deal_stays(d, "OLD", "-1")]),
        trigger("open_pipeline_deal_update", "UPDATE", "opportunity",
                [deal_stays(d, "OLD", "-1"), deal_stays(d, "NEW", "1")],
                changed(DEAL_COLUMNS, "IS NOT")),
        trigger("open_pipeline_stay_insert", "INSERT", "stage_history", [stay(d, "NEW", "1")]),
        trigger("open_pipeline_stay_delete", "DELETE", "stage_history", [stay(d, "OLD", "-1")]),
        trigger("open_pipeline_stay_update", "UPDATE", "stage_history",
                [stay(d, "OLD", "-1"), stay(d, "NEW", "1")], changed(STAY_COLUMNS, "IS NOT")),
    ]  # fmt: skip


def postgresql_triggers(d: Dialect) -> list[str]:
    """Functions and triggers for PostgreSQL: the same statements on the row records."""

    def function(name: str, body: Sequence[str]) -> str:
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{chr(10).join(body)}\nRETURN NULL;\nEND $$"
        )

    def trigger(name: str, event: str, table: str, when: str = "") -> str:
        condition = f" WHEN ({when})" if when else ""
        return (
            f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name}()"
        )

    return [
        function("open_pipeline_deal_insert", [deal_stays(d, "NEW", "1")]),
        function("open_pipeline_deal_delete", [deal_stays(d, "OLD", "-1")]),
        function("open_pipeline_deal_update",
                 [deal_stays(d, "OLD", "-1"), deal_stays(d, "NEW", "1")]),
        function("open_pipeline_stay_insert", [stay(d, "NEW", "1")]),
        function("open_pipeline_stay_delete", [stay(d, "OLD", "-1")]),
        function("open_pipeline_stay_update", [stay(d, "OLD", "-1"), stay(d, "NEW", "1")]),
        trigger("open_pipeline_deal_insert", "INSERT", "opportunity"),
        trigger("open_pipeline_deal_delete", "DELETE", "opportunity"),
        trigger("open_pipeline_deal_update", "UPDATE", "opportunity",
                changed(DEAL_COLUMNS, "IS DISTINCT FROM")),
        trigger("open_pipeline_stay_insert", "INSERT", "stage_history"),
        trigger("open_pipeline_stay_delete", "DELETE", "stage_history"),
        trigger("open_pipeline_stay_update", "UPDATE", "stage_history",
                changed(STAY_COLUMNS, "IS DISTINCT FROM")),
    ]  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "pipeline_reach",
        sa.Column("days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("days", name=op.f("pk_pipeline_reach")),
    )
    op.bulk_insert(
        sa.table("pipeline_reach", sa.column("days", sa.Integer())),
        [{"days": n} for n in range(REACH + 1)],
    )
    op.create_table(
        "open_pipeline_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("product_line_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("close_month", sa.Date(), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("amount_minor", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "stage_id",
            "product_line_id",
            "region_id",
            "team_id",
            "close_month",
            name=op.f("pk_open_pipeline_day"),
        ),  # fmt: skip
        sqlite_with_rowid=False,
    )
    dialect = Dialect(op.get_bind().dialect.name)
    op.execute(fill(dialect))
    for statement in sqlite_triggers(dialect) if dialect.sqlite else postgresql_triggers(dialect):
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in TRIGGERS:
        table = "stage_history" if "_stay_" in name else "opportunity"
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("open_pipeline_day")
    op.drop_table("pipeline_reach")
