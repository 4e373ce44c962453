"""Per-day aggregates of the deals kept in step with every write (issue 19).

``deal_rollup`` holds, per day, kind of event, stage and the four dimensions a deal is
credited to (product line, region, team, owner), how many deals (or stage stays) and their
amount. Kinds:

- ``created``: deals opened that day (``created_on``), stage 0;
- ``won`` / ``lost``: deals won (contract signed) / lost that day, stage 0 / the stage lost
  in (0 when unknown);
- ``entered`` / ``left``: stage stays that began / ended that day in the stage.

Amounts are the deals' current amounts. Database triggers on ``opportunity`` and
``stage_history`` (migration 0022) update the rows in the writing transaction, whatever
writes — the app, an import, its undo, a restore, a hand-written SQL fix — so the table
cannot drift from the rows; ``salesboard.store.rollups`` recomputes, compares and rebuilds.
``open_pipeline`` holds the open pipeline over time (migration 0032), ``key_action_rollup``
the key actions per planned day (0034), ``cohort_rollup`` the deals per created day by the
stages they entered (0036), ``team_customer`` each team's deals per customer (0037).
Stage 0 and the dimension ids are plain integers, no foreign keys: an aggregate row must
not stop a deal's row from being changed.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import BigInteger, Column, Index, Numeric, text
from sqlmodel import Field, SQLModel


def summed_amount(**options) -> Column:
    """The column of an aggregate's summed amount (minor units): exact sums of any size on
    PostgreSQL (a cell's bigint sum of stored absurd amounts overflowed and refused the
    write); SQLite's integer arithmetic turns to floating point. ``options``: more of
    ``Column``'s (a server default)."""
    return Column(BigInteger().with_variant(Numeric(38, 0), "postgresql"), nullable=False,
                  **options)  # fmt: skip


class RollupKind(enum.StrEnum):
    """What a ``deal_rollup`` row counts (see the module's doc)."""

    CREATED = "created"
    WON = "won"
    LOST = "lost"
    ENTERED = "entered"
    LEFT = "left"


class DealRollup(SQLModel, table=True):
    """Deals (or stays) and their amount per day, kind, stage and dimensions."""

    __tablename__ = "deal_rollup"
    # Clustered by the key on SQLite (no rowid): a kind's date range is one contiguous read.
    # PostgreSQL keeps rows in write order: the forecast's stage win rates (deals won and lost
    # per day and stage over a year) read this index alone instead of the whole table
    # (10M deals: 0.42 → 0.08 s a read, four reads a forecast page; migration 0024).
    # The stays that ended, with their working days, for stage pace per rep or team read
    # from this partial index alone (migration 0027); one rep's from its owner-first twin
    # (0030), a range of their own rows instead of every rep's of the period. On PostgreSQL
    # the primary key INCLUDEs the deals and amount (migration 0033; Alembic's comparison
    # ignores INCLUDE): a period's sums by kind, day and dimension are index-only reads.
    __table_args__ = (
        Index("ix_deal_rollup_kind_day_stage_deals", "kind", "day", "stage_id", "deals"),
        Index(
            "ix_deal_rollup_stays_left",
            "day",
            "stage_id",
            "team_id",
            "owner_id",
            "deals",
            "worked_days",
            sqlite_where=text("kind = 'left'"),
            postgresql_where=text("kind = 'left'"),
        ),
        Index(
            "ix_deal_rollup_left_owner",
            "owner_id",
            "day",
            "stage_id",
            "deals",
            "worked_days",
            sqlite_where=text("kind = 'left'"),
            postgresql_where=text("kind = 'left'"),
        ),  # fmt: skip
        {"sqlite_with_rowid": False},
    )
    kind: str = Field(primary_key=True, max_length=8)
    day: date = Field(primary_key=True)
    stage_id: int = Field(primary_key=True)
    product_line_id: int = Field(primary_key=True)
    region_id: int = Field(primary_key=True)
    team_id: int = Field(primary_key=True)
    owner_id: int = Field(primary_key=True)
    deals: int = Field(default=0)
    amount_minor: int = Field(default=0, sa_column=summed_amount())
    # ``left`` rows: the working days of those stays, summed (each stay's days counted as
    # ``WorkCalendar.working_days_between`` does, through ``workday``); 0 on other kinds.
    worked_days: int = Field(
        default=0, sa_column=Column(BigInteger(), nullable=False, server_default="0")
    )


# The open pipeline's reach: a stay begun more than this many days before a day counts as a
# dead deal on that day (the forecast's rule, ``goals.forecast.MAX_STAY_DAYS``). Migration
# 0032 wrote it into the triggers; changing it needs a migration that rebuilds them.
PIPELINE_REACH_DAYS = 180
# ``close_month`` of deals without an expected close date: before every period end, so they
# count in every period's pipeline as the forecast's rule says.
NO_CLOSE_MONTH = date(1, 1, 1)


class PipelineKind(enum.StrEnum):
    """What an ``open_pipeline`` row holds (see ``OpenPipeline``)."""

    OPEN = "open"
    CHANGE = "change"


class OpenPipeline(SQLModel, table=True):
    """The open pipeline over time, per stage, product line, region, team and month of the
    deal's expected close date (``NO_CLOSE_MONTH`` when it has none), with the deals'
    current amounts. A stay covers a day when it began on it or in the
    ``PIPELINE_REACH_DAYS`` before and had not left. Kinds:

    - ``open``: on the first day of each month (``day``), the stays covering it;
    - ``change``: per day, the stays that began covering it less those that stopped (left,
      or reached the end of the reach).

    The pipeline on day t is the ``open`` rows of t's month plus the ``change`` rows after
    the month's first day through t: at most a month of rows per point, where the stays
    were half a year of rows and a seek of each one's deal (10M deals: 3–5 s a point). A
    write touches at most nine rows a stay (two changes, the months it covers): triggers
    (migration 0032) keep the table in step as ``deal_rollup``'s do."""

    __tablename__ = "open_pipeline"
    __table_args__ = ({"sqlite_with_rowid": False},)
    kind: str = Field(primary_key=True, max_length=8)
    day: date = Field(primary_key=True)
    stage_id: int = Field(primary_key=True)
    product_line_id: int = Field(primary_key=True)
    region_id: int = Field(primary_key=True)
    team_id: int = Field(primary_key=True)
    close_month: date = Field(primary_key=True)
    deals: int = Field(default=0)
    amount_minor: int = Field(default=0, sa_column=summed_amount())


class MonthOffset(SQLModel, table=True):
    """0 to 6: the months after a stay's first month whose first day it may cover (a stay
    covers at most ``PIPELINE_REACH_DAYS`` + 1 days). Written by migration 0032; the
    triggers join it to find those days (SQLite allows no recursive query in a trigger)."""

    __tablename__ = "month_offset"
    months: int = Field(primary_key=True)


class KeyActionRollup(SQLModel, table=True):
    """Key actions per planned day, stage, the action's owner and its deal's owner and team
    (the copies of migration 0029; 0 for none): how many, how many are done and how many
    were done by their planned day (按时完成). The company's key-action rates of a period
    read these rows instead of every action (10M deals: a quarter is 4.6M actions, 193k
    rows) when nothing was done after the day they are read for. Triggers on
    ``key_action`` (migration 0034) keep it in step as ``deal_rollup``'s do."""

    __tablename__ = "key_action_rollup"
    __table_args__ = ({"sqlite_with_rowid": False},)
    planned_on: date = Field(primary_key=True)
    stage_id: int = Field(primary_key=True)
    owner_id: int = Field(primary_key=True)
    deal_owner_id: int = Field(primary_key=True)
    deal_team_id: int = Field(primary_key=True)
    actions: int = Field(default=0)
    done: int = Field(default=0)
    on_time: int = Field(default=0)


# The stage ids a ``cohort_rollup`` set can hold (a bigint's bits); a company with a stage id
# beyond reads its cohort funnel from the stays.
COHORT_MAX_STAGE_ID = 62


class CohortRollup(SQLModel, table=True):
    """Deals and their amount per created day, product line, region, team and the set of
    stages they entered (``stages``: bit ``1 << id`` per stage id up to
    ``COHORT_MAX_STAGE_ID``; 0 for none yet). The cohort funnel takes each set's furthest
    stage in the stages' order of the day: a period is a range of these rows instead of
    each deal's stage history (10M deals: a region's quarter, 349k history reads, 1.1 s).
    Triggers on ``opportunity`` and ``stage_history`` (migration 0036) keep it in step."""

    __tablename__ = "cohort_rollup"
    __table_args__ = ({"sqlite_with_rowid": False},)
    created_on: date = Field(primary_key=True)
    stages: int = Field(primary_key=True, sa_type=BigInteger)
    product_line_id: int = Field(primary_key=True)
    region_id: int = Field(primary_key=True)
    team_id: int = Field(primary_key=True)
    deals: int = Field(default=0)
    amount_minor: int = Field(default=0, sa_column=summed_amount())


class TeamCustomer(SQLModel, table=True):
    """How many of each team's deals are each customer's (rows left at 0 by writes that took
    back what they added mean none). A manager's customers in sight through their teams'
    deals are a range of the key (``customers.scope.visible``), not every deal the teams
    ever had (10M deals: a team's 414k deals for 42k customers). Triggers on
    ``opportunity`` (migration 0037) keep it in step."""

    __tablename__ = "team_customer"
    __table_args__ = ({"sqlite_with_rowid": False},)
    team_id: int = Field(primary_key=True)
    customer_id: int = Field(primary_key=True)
    deals: int = Field(default=0)


class Workday(SQLModel, table=True):
    """The company calendar as the rollup triggers read it: per day of a fixed span, whether
    it is a working day and ``number``, the working days after the span's first day up to
    it (a stay's working days are the difference of two numbers). Written by the
    application from the calendar (``salesboard.calendar.store_days``), never by hand."""

    __tablename__ = "workday"
    day: date = Field(primary_key=True)
    working: bool
    number: int
