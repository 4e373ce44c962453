"""The naive pattern the benchmark measures the pages against: read every row of the tables a
figure needs into pandas and compute the figure in Python, as a dashboard without query work
would. Each function reads its tables afresh (no cache), all rows but only the columns the
figure needs (``SELECT *`` would only make the naive side slower), and ignores role scoping:
the naive way reads everything and would filter afterwards.

The figures are the headline of the pages mapped to them in ``salesboard.bench.runner``:
the cohort funnel, the open pipeline by stage, the overdue list, won amount by owner, stage
durations, the customer table and the lead counts. Where a figure is also computed by the
app (the funnel: ``salesboard.pipeline.funnel.cohort_funnel``), the tests check both agree.
Working days here are Monday–Friday (``numpy.busday_count``) without the company calendar's
overrides: that changes a few day counts, not the cost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.engine import Engine

from salesboard.calendar.periods import Period
from salesboard.store.models import OpportunityStatus, StageKind


def _read(engine: Engine, sql: str) -> pd.DataFrame:
    with engine.connect() as connection:
        return pd.read_sql_query(sql, connection)


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    # SQLite hands dates back as text, PostgreSQL as date objects: one dtype for both.
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _stages(engine: Engine) -> pd.DataFrame:
    return _read(engine, "SELECT id, code, position, kind, standard_days FROM stage")


def funnel(engine: Engine, period: Period, as_of: date) -> pd.DataFrame:
    """The cohort funnel of ``period`` (deals created in it that reached each non-lost stage,
    by the furthest stage position in their history): ``stage, reached, amount_minor``."""
    opps = _dates(_read(engine, "SELECT id, amount_minor, created_on FROM opportunity"),
                  "created_on")  # fmt: skip
    history = _read(engine, "SELECT opportunity_id, stage_id FROM stage_history")
    stages = _stages(engine)
    positions = history.merge(stages, left_on="stage_id", right_on="id")
    furthest = positions.groupby("opportunity_id")["position"].max().rename("furthest")
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    cohort = opps[(opps["created_on"] >= start) & (opps["created_on"] <= end)]
    cohort = cohort.join(furthest, on="id").dropna(subset=["furthest"])
    rows = []
    for stage in stages[stages["kind"] != StageKind.LOST].sort_values("position").itertuples():
        reached = cohort[cohort["furthest"] >= stage.position]
        rows.append((stage.code, len(reached), int(reached["amount_minor"].sum())))
    return pd.DataFrame(rows, columns=["stage", "reached", "amount_minor"])


def open_pipeline(engine: Engine, period: Period, as_of: date) -> pd.DataFrame:
    """Open deals by current stage: ``stage, deals, amount_minor``."""
    opps = _read(engine, "SELECT status, current_stage_id, amount_minor FROM opportunity")
    open_ = opps[opps["status"] == OpportunityStatus.OPEN]
    by_stage = open_.groupby("current_stage_id")["amount_minor"].agg(["count", "sum"])
    frame = _stages(engine).join(by_stage, on="id", how="inner")
    return frame.rename(columns={"code": "stage", "count": "deals", "sum": "amount_minor"})[
        ["stage", "deals", "amount_minor"]
    ]


def overdue(engine: Engine, period: Period, as_of: date) -> pd.DataFrame:
    """Open deals longer in their stage than its time standard (working days), most overdue
    first: ``id, code, stage, days, over``."""
    opps = _dates(
        _read(engine, "SELECT id, code, status, current_stage_id, stage_entered_on "
                      "FROM opportunity"),
        "stage_entered_on",
    )  # fmt: skip
    stages = _stages(engine)
    open_ = opps[opps["status"] == OpportunityStatus.OPEN].merge(
        stages, left_on="current_stage_id", right_on="id", suffixes=("", "_stage")
    )
    open_ = open_.dropna(subset=["standard_days"])
    entered = open_["stage_entered_on"].values.astype("datetime64[D]")
    open_["days"] = np.busday_count(entered, np.datetime64(as_of, "D"))
    open_["over"] = open_["days"] - open_["standard_days"]
    late = open_[open_["over"] > 0].sort_values("over", ascending=False)
    return late.rename(columns={"code_stage": "stage"})[["id", "code", "stage", "days", "over"]]


def won_by_owner(engine: Engine, period: Period, as_of: date) -> pd.DataFrame:
    """Won amount and deals in ``period`` by owner, biggest first, with the company total as
    the attrs ``total_minor``: ``owner_id, deals, amount_minor``."""
    opps = _dates(
        _read(engine, "SELECT owner_id, status, won_on, amount_minor FROM opportunity"),
        "won_on",
    )
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    won = opps[(opps["status"] == OpportunityStatus.WON) & opps["won_on"].between(start, end)]
    frame = (
        won.groupby("owner_id")["amount_minor"].agg(deals="count", amount_minor="sum")
        .reset_index().sort_values("amount_minor", ascending=False)
    )  # fmt: skip
    frame.attrs["total_minor"] = int(won["amount_minor"].sum())
    return frame


def stage_durations(engine: Engine, period: Period, as_of: date) -> pd.DataFrame:
    """Stays that ended in ``period``, by stage: ``stage, stays, median_days, mean_days``
    (working days from entering to leaving)."""
    history = _dates(
        _read(engine, "SELECT stage_id, entered_on, left_on FROM stage_history"),
        "entered_on", "left_on",
    )  # fmt: skip
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    ended = history[history["left_on"].between(start, end)].copy()
    ended["days"] = np.busday_count(
        ended["entered_on"].values.astype("datetime64[D]"),
        ended["left_on"].values.astype("datetime64[D]"),
    )
    summary = ended.groupby("stage_id")["days"].agg(stays="count", median_days="median",
                                                    mean_days="mean")  # fmt: skip
    frame = _stages(engine).join(summary, on="id", how="inner")
    return frame.rename(columns={"code": "stage"})[["stage", "stays", "median_days", "mean_days"]]


def customers(engine: Engine, period: Period, as_of: date) -> pd.DataFrame:
    """Per customer: deals, won amount in ``period``, open amount, with the customer's
    region: ``customer_id, region_id, deals, won_minor, open_minor``, biggest won first."""
    opps = _dates(
        _read(engine, "SELECT customer_id, status, amount_minor, won_on FROM opportunity"),
        "won_on",
    )
    people = _read(engine, "SELECT id AS customer_id, region_id FROM customer")
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    won = (opps["status"] == OpportunityStatus.WON) & opps["won_on"].between(start, end)
    opps["won_minor"] = opps["amount_minor"].where(won, 0)
    opps["open_minor"] = opps["amount_minor"].where(opps["status"] == OpportunityStatus.OPEN, 0)
    frame = opps.groupby("customer_id").agg(
        deals=("amount_minor", "count"), won_minor=("won_minor", "sum"),
        open_minor=("open_minor", "sum"),
    )  # fmt: skip
    frame = people.join(frame, on="customer_id", how="inner")
    return frame.sort_values("won_minor", ascending=False)


def leads(engine: Engine, period: Period, as_of: date) -> pd.DataFrame:
    """Leads by status and source: ``status, source, leads``."""
    frame = _read(engine, "SELECT status, source FROM lead")
    return frame.groupby(["status", "source"]).size().rename("leads").reset_index()


NaiveFigure = Callable[[Engine, Period, date], pd.DataFrame]

# The naive computations by name (the name shows in the benchmark's table).
FIGURES: dict[str, NaiveFigure] = {
    "funnel": funnel,
    "open pipeline": open_pipeline,
    "overdue": overdue,
    "won by owner": won_by_owner,
    "stage durations": stage_durations,
    "customers": customers,
    "leads": leads,
}
