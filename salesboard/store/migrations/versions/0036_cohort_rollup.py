"""deals per created day, dimensions and the set of stages they entered, kept by triggers

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 20:05:00

Issue 19: the cohort funnel (the deals created in a period and how far each got) looked up
every deal's furthest stage in its stage history: a region's quarter at 10M deals is 349k
deals and as many history reads, 1.1 s. ``cohort_rollup`` keeps, per created day, product
line, region and team, the deals and their amount by the set of stages they entered (a
bit per stage id, ids 1–62; ``stages`` 0: none yet). The set, not the furthest stage: which
stage is furthest depends on the stages' order, which an admin may change; the reader takes
each set's furthest stage in the order of the day (``pipeline.funnel``).

Triggers on ``opportunity`` and ``stage_history`` keep it in step inside the writing
transaction: a stay written, moved or removed moves its deal from its old set to its new one
(the other stays of the deal, and the stay's stage); a deal whose created day, amount or
dimensions change moves too. A stay's trigger reads the deal's other stays, so it must run
as each row is written (SQLite's do; on PostgreSQL they are BEFORE triggers). The SQL is written out here, not imported: a migration must
build the same schema whatever later code says.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AMOUNT = sa.BigInteger().with_variant(sa.Numeric(38, 0), "postgresql")
KEY = "created_on, stages, product_line_id, region_id, team_id"
COLUMNS = f"{KEY}, deals, amount_minor"
UPSERT = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET deals = cohort_rollup.deals + excluded.deals, "
    "amount_minor = cohort_rollup.amount_minor + excluded.amount_minor"
)
DEAL_COLUMNS = ("id", "created_on", "amount_minor", "product_line_id", "region_id", "team_id")
STAY_COLUMNS = ("id", "opportunity_id", "stage_id")
TRIGGERS = {
    "cohort_rollup_deal_insert": "opportunity",
    "cohort_rollup_deal_delete": "opportunity",
    "cohort_rollup_deal_update": "opportunity",
    "cohort_rollup_stay_insert": "stage_history",
    "cohort_rollup_stay_delete": "stage_history",
    "cohort_rollup_stay_update": "stage_history",
}


class Dialect:
    """The bit of a stage id, per backend (ids 1–62: a bigint's bits; others none)."""

    def __init__(self, name: str):
        self.sqlite = name == "sqlite"

    def bit(self, stage: str) -> str:
        one = "1" if self.sqlite else "CAST(1 AS BIGINT)"
        return f"(CASE WHEN {stage} BETWEEN 1 AND 62 THEN {one} << {stage} ELSE 0 END)"

    def set_sum(self) -> str:
        """The stage set of the stays ``h`` an aggregate reads (0 for none)."""
        total = f"COALESCE(SUM(DISTINCT {self.bit('h.stage_id')}), 0)"
        return total if self.sqlite else f"CAST({total} AS BIGINT)"

    def stages(self, deal: str) -> str:
        """The stage set of deal id ``deal`` from its stays."""
        return f"(SELECT {self.set_sum()} FROM stage_history h WHERE h.opportunity_id = {deal})"


def move(d: Dialect, h: str, removed: bool) -> str:
    """Stay record ``h`` taken from its deal (``removed``) or added to it: the deal moves
    between the set of its other stays and that set with the stay's stage (nothing when
    they are equal, or while the deal row does not exist). The other stays' set is read
    once: an aggregate in FROM is computed before the rest, on both backends."""
    bit = d.bit(f"{h}.stage_id")
    with_it, without = f"(x.others | {bit})", "x.others"
    before, after = (with_it, without) if removed else (without, with_it)
    return f"""INSERT INTO cohort_rollup ({COLUMNS})
SELECT o.created_on, CASE WHEN m.n = -1 THEN {before} ELSE {after} END, o.product_line_id,
       o.region_id, o.team_id, m.n, m.n * CAST(o.amount_minor AS NUMERIC)
FROM opportunity o, (SELECT {d.set_sum()} AS others FROM stage_history h
                     WHERE h.opportunity_id = {h}.opportunity_id AND h.id <> {h}.id) AS x,
     (SELECT -1 AS n UNION ALL SELECT 1) AS m
WHERE o.id = {h}.opportunity_id AND {before} <> {after} {UPSERT};"""


def deal(d: Dialect, r: str, sign: str) -> str:
    """Add ``sign`` × deal record ``r`` under its stage set."""
    return f"""INSERT INTO cohort_rollup ({COLUMNS})
SELECT {r}.created_on, {d.stages(f"{r}.id")}, {r}.product_line_id, {r}.region_id, {r}.team_id,
       {sign}, {sign} * CAST({r}.amount_minor AS NUMERIC)
WHERE true {UPSERT};"""


def fill(d: Dialect) -> str:
    """Everything the triggers would have written, from scratch."""
    total = d.set_sum()
    stages = "COALESCE(s.stages, 0)"
    return f"""INSERT INTO cohort_rollup ({COLUMNS})
SELECT o.created_on, {stages}, o.product_line_id, o.region_id, o.team_id, count(*),
       sum(o.amount_minor)
FROM opportunity o LEFT JOIN (SELECT h.opportunity_id, {total} AS stages FROM stage_history h
                              GROUP BY h.opportunity_id) AS s ON s.opportunity_id = o.id
GROUP BY o.created_on, {stages}, o.product_line_id, o.region_id, o.team_id"""


def changed(columns: Sequence[str], distinct: str) -> str:
    """A condition: any of ``columns`` differs between OLD and NEW."""
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def bodies(d: Dialect) -> dict[str, list[str]]:
    """Each trigger's statements."""
    return {
        "cohort_rollup_deal_insert": [deal(d, "NEW", "1")],
        "cohort_rollup_deal_delete": [deal(d, "OLD", "-1")],
        "cohort_rollup_deal_update": [deal(d, "OLD", "-1"), deal(d, "NEW", "1")],
        "cohort_rollup_stay_insert": [move(d, "NEW", removed=False)],
        "cohort_rollup_stay_delete": [move(d, "OLD", removed=True)],
        "cohort_rollup_stay_update": [move(d, "OLD", removed=True), move(d, "NEW", removed=False)],
    }


def events(distinct: str) -> dict[str, tuple[str, str]]:
    """Each trigger's event and condition."""
    return {
        "cohort_rollup_deal_insert": ("INSERT", ""),
        "cohort_rollup_deal_delete": ("DELETE", ""),
        "cohort_rollup_deal_update": ("UPDATE", changed(DEAL_COLUMNS, distinct)),
        "cohort_rollup_stay_insert": ("INSERT", ""),
        "cohort_rollup_stay_delete": ("DELETE", ""),
        "cohort_rollup_stay_update": ("UPDATE", changed(STAY_COLUMNS, distinct)),
    }


def sqlite_triggers(d: Dialect) -> list[str]:
    """CREATE TRIGGER statements for SQLite (bodies with NEW / OLD)."""
    out = []
    for name, (event, when) in events("IS NOT").items():
        condition = f" WHEN {when}" if when else ""
        body = "\n".join(bodies(d)[name])
        out.append(f"CREATE TRIGGER {name} AFTER {event} ON {TRIGGERS[name]} FOR EACH ROW"
                   f"{condition}\nBEGIN\n{body}\nEND")  # fmt: skip
    return out


def postgresql_triggers(d: Dialect) -> list[str]:
    """Functions and triggers for PostgreSQL: the same statements on the row records. The
    stays' run BEFORE the row is written: an AFTER row trigger runs once the whole
    statement is done and would read the deal's other stays as the statement left them (a
    statement deleting three stays of a deal: each would see none left), where a BEFORE one
    sees the rows the statement changed so far, as SQLite's triggers do."""
    out = []
    for name, (event, when) in events("IS DISTINCT FROM").items():
        body = "\n".join(bodies(d)[name])
        before = TRIGGERS[name] == "stage_history"
        returned = ("OLD" if event == "DELETE" else "NEW") if before else "NULL"
        out.append(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                   f"BEGIN\n{body}\nRETURN {returned};\nEND $$")  # fmt: skip
        condition = f" WHEN ({when})" if when else ""
        timing = "BEFORE" if before else "AFTER"
        out.append(f"CREATE TRIGGER {name} {timing} {event} ON {TRIGGERS[name]} FOR EACH ROW"
                   f"{condition} EXECUTE FUNCTION {name}()")  # fmt: skip
    return out


def upgrade() -> None:
    dialect = Dialect(op.get_bind().dialect.name)
    op.create_table(
        "cohort_rollup",
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("stages", sa.BigInteger(), nullable=False),
        sa.Column("product_line_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("deals", sa.Integer(), nullable=False),
        sa.Column("amount_minor", AMOUNT, nullable=False),
        sa.PrimaryKeyConstraint(
            "created_on",
            "stages",
            "product_line_id",
            "region_id",
            "team_id",
            name=op.f("pk_cohort_rollup"),
            **({} if dialect.sqlite else {"postgresql_include": ["deals", "amount_minor"]}),
        ),  # fmt: skip
        sqlite_with_rowid=False,
    )
    op.execute(fill(dialect))
    for statement in sqlite_triggers(dialect) if dialect.sqlite else postgresql_triggers(dialect):
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table in TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgres else ""))
        if postgres:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("cohort_rollup")
