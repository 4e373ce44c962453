"""the working days of the stays that ended, summed in the rollups

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 11:00:00

Issue 19: stage pace (each rep's or team's stays that ended in a period against each stage's
time standard: scorecards, top performers) read every stay of the period and its deal's
owner — 3.8M stays and as many primary-key seeks for a quarter at 10M deals (7 s). The
``left`` rows of ``deal_rollup`` already count those stays per day, stage and owner (471k
rows for that quarter); ``worked_days`` now sums their working days too, so the pace is read
from the rollup.

Working days depend on the company calendar (public holidays, make-up weekends, the
company's own days off), which lives in Python and the settings, not in SQL. ``workday``
holds, for every day of a fixed span, whether it is a working day and its running number
(working days after the span's first day up to that day): a stay's working days are the
difference of the numbers of the day it ended and the day it began, as
``WorkCalendar.working_days_between`` counts them. The triggers read it; the application
writes it from the calendar (``salesboard.calendar.store_days``) and, in the same
transaction, recomputes the sums of the stays that ended on or after the first day whose
status changed. Empty here: until it is written the sums are zero and the readers, which
compare the table with the calendar first, read the stays themselves.

The trigger SQL is written out here, not imported: a migration must build the same schema
whatever later code says. The builders take ``worked``: False gives back 0022's triggers
(the downgrade).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "kind, day, stage_id, product_line_id, region_id, team_id, owner_id"
STAY_FOLLOWING = ("id", "amount_minor", "product_line_id", "region_id", "team_id", "owner_id")
STAY_COLUMNS = ("opportunity_id", "stage_id", "entered_on", "left_on")
# The triggers whose statements count stays (0022's names); the deal's own events are
# untouched.
REBUILT = {
    "deal_rollup_deal_insert": ("INSERT", "opportunity", ("events", "stays")),
    "deal_rollup_deal_delete": ("DELETE", "opportunity", ("events", "stays")),
    "deal_rollup_deal_stays": ("UPDATE", "opportunity", ("stays",)),
    "deal_rollup_stay_insert": ("INSERT", "stage_history", ("stay",)),
    "deal_rollup_stay_delete": ("DELETE", "stage_history", ("stay",)),
    "deal_rollup_stay_update": ("UPDATE", "stage_history", ("stay",)),
}
LEFT_ONLY = sa.text("kind = 'left'")


def columns(worked: bool) -> str:
    return f"{KEY}, deals, amount_minor" + (", worked_days" if worked else "")


def upsert(worked: bool) -> str:
    extra = ", worked_days = deal_rollup.worked_days + excluded.worked_days" if worked else ""
    return (
        f"ON CONFLICT ({KEY}) DO UPDATE SET deals = deal_rollup.deals + excluded.deals, "
        f"amount_minor = deal_rollup.amount_minor + excluded.amount_minor{extra}"
    )


def worked_of(h: str) -> str:
    """Working days of stay ``h`` (0 when it ended the day it began, or a day is not in
    ``workday``)."""
    return (
        f"CASE WHEN {h}.left_on > {h}.entered_on THEN COALESCE("
        f"(SELECT w.number FROM workday w WHERE w.day = {h}.left_on) - "
        f"(SELECT w.number FROM workday w WHERE w.day = {h}.entered_on), 0) ELSE 0 END"
    )


def deal_events(r: str, sign: str) -> str:
    """Add ``sign`` × the created / won / lost events of deal record ``r`` (as 0022)."""
    return f"""INSERT INTO deal_rollup ({columns(False)})
SELECT c.kind, c.day, c.stage_id, {r}.product_line_id, {r}.region_id, {r}.team_id,
       {r}.owner_id, {sign}, {sign} * {r}.amount_minor
FROM (SELECT 'created' AS kind, {r}.created_on AS day, 0 AS stage_id
      UNION ALL SELECT 'won', {r}.won_on, 0
      WHERE {r}.status = 'won' AND {r}.won_on IS NOT NULL
      UNION ALL SELECT 'lost', {r}.lost_on, COALESCE({r}.lost_stage_id, 0)
      WHERE {r}.status = 'lost' AND {r}.lost_on IS NOT NULL) AS c
WHERE true {upsert(False)};"""


def deal_stays(r: str, sign: str, worked: bool) -> str:
    """Add ``sign`` × the stays of deal record ``r`` (entered and left; with ``worked``, the
    working days of those that ended), with its amount and dimensions."""
    days = f", {sign} * c.w" if worked else ""
    entered_w, left_w = (", 0 AS w", f", sum({worked_of('h')})") if worked else ("", "")
    return f"""INSERT INTO deal_rollup ({columns(worked)})
SELECT c.kind, c.day, c.stage_id, {r}.product_line_id, {r}.region_id, {r}.team_id,
       {r}.owner_id, {sign} * c.n, {sign} * c.n * CAST({r}.amount_minor AS NUMERIC){days}
FROM (SELECT 'entered' AS kind, h.entered_on AS day, h.stage_id AS stage_id, count(*) AS n{entered_w}
      FROM stage_history h WHERE h.opportunity_id = {r}.id GROUP BY h.entered_on, h.stage_id
      UNION ALL
      SELECT 'left', h.left_on, h.stage_id, count(*){left_w}
      FROM stage_history h WHERE h.opportunity_id = {r}.id AND h.left_on IS NOT NULL
      GROUP BY h.left_on, h.stage_id) AS c
WHERE true {upsert(worked)};"""


def stay(h: str, sign: str, worked: bool) -> str:
    """Add ``sign`` × stay record ``h`` (entered, and left once it ended, with its working
    days when ``worked``), credited as its deal is; nothing while the deal row does not
    exist (the deal's own trigger counts the stays it finds)."""
    days = f", {sign} * c.w" if worked else ""
    entered_w, left_w = (", 0 AS w", f", {worked_of(h)}") if worked else ("", "")
    return f"""INSERT INTO deal_rollup ({columns(worked)})
SELECT c.kind, c.day, {h}.stage_id, o.product_line_id, o.region_id, o.team_id, o.owner_id,
       {sign}, {sign} * o.amount_minor{days}
FROM opportunity o,
     (SELECT 'entered' AS kind, {h}.entered_on AS day{entered_w}
      UNION ALL SELECT 'left', {h}.left_on{left_w} WHERE {h}.left_on IS NOT NULL) AS c
WHERE o.id = {h}.opportunity_id {upsert(worked)};"""


def changed(columns_: Sequence[str], distinct: str) -> str:
    """A condition: any of ``columns_`` differs between OLD and NEW."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns_)


def bodies(name: str, worked: bool) -> list[str]:
    """The statements of trigger ``name``."""
    event, _table, parts = REBUILT[name]
    records = {"INSERT": [("NEW", "1")], "DELETE": [("OLD", "-1")],
               "UPDATE": [("OLD", "-1"), ("NEW", "1")]}[event]  # fmt: skip
    out = []
    for record, sign in records:
        if "events" in parts:
            out.append(deal_events(record, sign))
        if "stays" in parts:
            out.append(deal_stays(record, sign, worked))
        if "stay" in parts:
            out.append(stay(record, sign, worked))
    return out


def condition(name: str, distinct: str) -> str:
    """The WHEN condition of trigger ``name`` (the updates only)."""
    if name == "deal_rollup_deal_stays":
        return changed(STAY_FOLLOWING, distinct)
    if name == "deal_rollup_stay_update":
        return changed(STAY_COLUMNS, distinct)
    return ""


def create(dialect: str, worked: bool) -> list[str]:
    """The CREATE statements of the rebuilt triggers (and their functions on PostgreSQL)."""
    out = []
    for name, (event, table, _parts) in REBUILT.items():
        statements = "\n".join(bodies(name, worked))
        if dialect == "sqlite":
            when = condition(name, "IS NOT")
            when = f" WHEN {when}" if when else ""
            out.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when}\n"
                       f"BEGIN\n{statements}\nEND")  # fmt: skip
        else:
            when = condition(name, "IS DISTINCT FROM")
            when = f" WHEN ({when})" if when else ""
            out.append(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                       f"BEGIN\n{statements}\nRETURN NULL;\nEND $$")  # fmt: skip
            out.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW{when} "
                       f"EXECUTE FUNCTION {name}()")  # fmt: skip
    return out


def drop(dialect: str) -> list[str]:
    out = []
    for name, (_event, table, _parts) in REBUILT.items():
        if dialect == "sqlite":
            out.append(f"DROP TRIGGER IF EXISTS {name}")
        else:
            out += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
    return out


def upgrade() -> None:
    op.create_table(
        "workday",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_workday")),
    )
    # A constant default: PostgreSQL adds the column without rewriting the table.
    op.add_column(
        "deal_rollup",
        sa.Column("worked_days", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.create_index("ix_deal_rollup_stays_left", "deal_rollup",
                    ["day", "stage_id", "team_id", "owner_id", "deals", "worked_days"],
                    sqlite_where=LEFT_ONLY, postgresql_where=LEFT_ONLY)  # fmt: skip
    dialect = op.get_bind().dialect.name
    for statement in [*drop(dialect), *create(dialect, worked=True)]:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in [*drop(dialect), *create(dialect, worked=False)]:
        op.execute(statement)
    op.drop_index("ix_deal_rollup_stays_left", table_name="deal_rollup")
    # Not a batch (table copy) on SQLite: deal_rollup has no triggers, but a copy of a
    # WITHOUT ROWID table loses that; DROP COLUMN keeps it.
    op.execute("ALTER TABLE deal_rollup DROP COLUMN worked_days")
    op.drop_table("workday")
