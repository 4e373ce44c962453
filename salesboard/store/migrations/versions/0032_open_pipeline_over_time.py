"""the open pipeline over time, kept in step by triggers

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 16:45:00

Issue 19: the forecast's back-test needs the open pipeline by stage as it stood on past
days: the stays that covered the day (begun on it or in the 180 days before, not yet left)
and their deals' amounts, for the deals expected to close by the period's end. Read from
the stays, each as-of point was half a year of the company's stays and a seek of each
one's deal (10M deals: 650k–730k stays, 3–5 s a point, five points a page).

``open_pipeline`` keeps, per stage, product line, region, team and month of the expected
close date (``0001-01-01`` for none: counted in every period), two kinds of rows: ``open``,
the stays covering each month's first day, and ``change``, per day the stays that began
covering it less those that stopped (on leaving, or 181 days after they began). A day's
pipeline is its month's ``open`` rows plus the ``change`` rows since. Triggers on
``stage_history`` and ``opportunity`` keep it in step inside the writing transaction, as
0022's do for ``deal_rollup``: a stay adds two changes and the month starts it covers (at
most seven, found through ``month_offset``: SQLite allows no recursive query in a
trigger); a deal whose amount, dimensions or expected close date change moves its stays.
The SQL is written out here, not imported: a migration must build the same schema whatever
later code says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REACH = 180  # a stay begun more than this many days before a day: a dead deal on that day
MONTHS = 7  # month offsets 0–6: the month starts a stay of at most 181 days can cover
AMOUNT = sa.BigInteger().with_variant(sa.Numeric(38, 0), "postgresql")
KEY = "kind, day, stage_id, product_line_id, region_id, team_id, close_month"
COLUMNS = f"{KEY}, deals, amount_minor"
UPSERT = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET deals = open_pipeline.deals + excluded.deals, "
    "amount_minor = open_pipeline.amount_minor + excluded.amount_minor"
)
DEAL_COLUMNS = ("id", "amount_minor", "product_line_id", "region_id", "team_id",
                "expected_close_on")  # fmt: skip
STAY_COLUMNS = ("opportunity_id", "stage_id", "entered_on", "left_on")
TRIGGERS = (
    "open_pipeline_deal_insert", "open_pipeline_deal_delete", "open_pipeline_deal_update",
    "open_pipeline_stay_insert", "open_pipeline_stay_delete", "open_pipeline_stay_update",
)  # fmt: skip


class Dialect:
    """The date expressions the SQL needs, per backend (SQLite keeps dates as text)."""

    def __init__(self, name: str):
        self.sqlite = name == "sqlite"

    def plus_days(self, day: str, days: int) -> str:
        return f"date({day}, '{days} days')" if self.sqlite else f"({day} + {days})"

    def month(self, day: str, months: str = "0") -> str:
        """The first day of the month ``months`` after ``day``'s."""
        if self.sqlite:
            return f"date({day}, 'start of month', {months} || ' months')"
        # Through a timestamp without time zone: the result cannot depend on the session's.
        start = f"date_trunc('month', CAST({day} AS TIMESTAMP))"
        return f"CAST({start} + make_interval(months => {months}) AS DATE)"

    def close_month(self, r: str) -> str:
        """Deal record ``r``'s expected close month, 0001-01-01 for none."""
        none = "'0001-01-01'" if self.sqlite else "DATE '0001-01-01'"
        return f"COALESCE({self.month(f'{r}.expected_close_on')}, {none})"

    def exit(self, h: str) -> str:
        """The first day stay record ``h`` no longer covers: the day it left, or the reach's
        end."""
        cap = self.plus_days(f"{h}.entered_on", REACH + 1)
        return f"(CASE WHEN {h}.left_on IS NOT NULL AND {h}.left_on < {cap} THEN {h}.left_on ELSE {cap} END)"

    def month_starts(self, h: str) -> tuple[str, str]:
        """(day, condition) of the month starts stay record ``h`` covers (``m``: the
        offsets)."""
        day = self.month(f"{h}.entered_on", "m.months")
        return day, f"{day} >= {h}.entered_on AND {day} < {self.exit(h)}"


def stay(d: Dialect, h: str, sign: str) -> list[str]:
    """Add ``sign`` × stay record ``h`` (its two changes, the month starts it covers),
    credited as its deal is; nothing while the deal row does not exist."""
    values = f"o.product_line_id, o.region_id, o.team_id, {d.close_month('o')}"
    day, covers = d.month_starts(h)
    return [
        f"""INSERT INTO open_pipeline ({COLUMNS})
SELECT 'change', c.day, {h}.stage_id, {values}, {sign} * c.n,
       {sign} * c.n * CAST(o.amount_minor AS NUMERIC)
FROM opportunity o,
     (SELECT {h}.entered_on AS day, 1 AS n UNION ALL SELECT {d.exit(h)}, -1) AS c
WHERE o.id = {h}.opportunity_id AND {d.exit(h)} > {h}.entered_on {UPSERT};""",
        f"""INSERT INTO open_pipeline ({COLUMNS})
SELECT 'open', {day}, {h}.stage_id, {values}, {sign}, {sign} * CAST(o.amount_minor AS NUMERIC)
FROM opportunity o, month_offset m
WHERE o.id = {h}.opportunity_id AND {covers} {UPSERT};""",
    ]


def deal_stays(d: Dialect, r: str, sign: str) -> list[str]:
    """Add ``sign`` × every stay of deal record ``r`` (grouped: one upsert may not touch a
    row twice, and two stays of a stage can meet on a day)."""
    values = f"{r}.product_line_id, {r}.region_id, {r}.team_id, {d.close_month(r)}"
    amount = f"CAST({r}.amount_minor AS NUMERIC)"
    day, covers = d.month_starts("h")
    return [
        f"""INSERT INTO open_pipeline ({COLUMNS})
SELECT 'change', c.day, c.stage_id, {values}, {sign} * sum(c.n), {sign} * sum(c.n) * {amount}
FROM (SELECT h.entered_on AS day, h.stage_id AS stage_id, 1 AS n FROM stage_history h
      WHERE h.opportunity_id = {r}.id AND {d.exit("h")} > h.entered_on
      UNION ALL
      SELECT {d.exit("h")}, h.stage_id, -1 FROM stage_history h
      WHERE h.opportunity_id = {r}.id AND {d.exit("h")} > h.entered_on) AS c
WHERE true GROUP BY c.day, c.stage_id {UPSERT};""",
        f"""INSERT INTO open_pipeline ({COLUMNS})
SELECT 'open', {day}, h.stage_id, {values}, {sign} * count(*), {sign} * count(*) * {amount}
FROM stage_history h, month_offset m
WHERE h.opportunity_id = {r}.id AND {covers}
GROUP BY {day}, h.stage_id {UPSERT};""",
    ]


def fill(d: Dialect) -> str:
    """Everything the triggers would have written, from scratch."""
    dims = f"o.product_line_id, o.region_id, o.team_id, {d.close_month('o')}"
    named = ("o.product_line_id AS product_line_id, o.region_id AS region_id, "
             f"o.team_id AS team_id, {d.close_month('o')} AS close_month")  # fmt: skip
    stays = "stage_history h JOIN opportunity o ON o.id = h.opportunity_id"
    amount = "CAST(o.amount_minor AS NUMERIC)"
    covering = f"{d.exit('h')} > h.entered_on"
    day, covers = d.month_starts("h")
    key = "kind, day, stage_id, product_line_id, region_id, team_id, close_month"
    return f"""INSERT INTO open_pipeline ({COLUMNS})
SELECT {key}, sum(n), sum(a) FROM (
  SELECT 'change' AS kind, h.entered_on AS day, h.stage_id AS stage_id, {named}, 1 AS n,
         {amount} AS a FROM {stays} WHERE {covering}
  UNION ALL
  SELECT 'change', {d.exit("h")}, h.stage_id, {dims}, -1, -{amount} FROM {stays}
  WHERE {covering}
  UNION ALL
  SELECT 'open', {day}, h.stage_id, {dims}, 1, {amount} FROM {stays}, month_offset m
  WHERE {covers}
) AS parts
GROUP BY {key} HAVING sum(n) <> 0 OR sum(a) <> 0"""


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
        trigger("open_pipeline_deal_insert", "INSERT", "opportunity", deal_stays(d, "NEW", "1")),
        trigger("open_pipeline_deal_delete", "DELETE", "opportunity", deal_stays(d, "OLD", "-1")),
        trigger("open_pipeline_deal_update", "UPDATE", "opportunity",
                [*deal_stays(d, "OLD", "-1"), *deal_stays(d, "NEW", "1")],
                changed(DEAL_COLUMNS, "IS NOT")),
        trigger("open_pipeline_stay_insert", "INSERT", "stage_history", stay(d, "NEW", "1")),
        trigger("open_pipeline_stay_delete", "DELETE", "stage_history", stay(d, "OLD", "-1")),
        trigger("open_pipeline_stay_update", "UPDATE", "stage_history",
                [*stay(d, "OLD", "-1"), *stay(d, "NEW", "1")], changed(STAY_COLUMNS, "IS NOT")),
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
        function("open_pipeline_deal_insert", deal_stays(d, "NEW", "1")),
        function("open_pipeline_deal_delete", deal_stays(d, "OLD", "-1")),
        function("open_pipeline_deal_update",
                 [*deal_stays(d, "OLD", "-1"), *deal_stays(d, "NEW", "1")]),
        function("open_pipeline_stay_insert", stay(d, "NEW", "1")),
        function("open_pipeline_stay_delete", stay(d, "OLD", "-1")),
        function("open_pipeline_stay_update", [*stay(d, "OLD", "-1"), *stay(d, "NEW", "1")]),
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
        "month_offset",
        sa.Column("months", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("months", name=op.f("pk_month_offset")),
    )
    op.bulk_insert(
        sa.table("month_offset", sa.column("months", sa.Integer())),
        [{"months": n} for n in range(MONTHS)],
    )
    op.create_table(
        "open_pipeline",
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("product_line_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("close_month", sa.Date(), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("amount_minor", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint(
            "kind",
            "day",
            "stage_id",
            "product_line_id",
            "region_id",
            "team_id",
            "close_month",
            name=op.f("pk_open_pipeline"),
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
    op.drop_table("open_pipeline")
    op.drop_table("month_offset")
