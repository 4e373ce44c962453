"""The monthly trend of a goal: target, actual and attainment per month of the year, with
the attainment year to date."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import months_in, parse_period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.facts import AVERAGE_METRICS, DIMENSIONS
from salesboard.goals import tree
from salesboard.goals.queries import node_actual
from salesboard.store.tables import GOAL


def monthly_trend(
    session: Session,
    viewer: Viewer,
    metric: str,
    year_no: int,
    as_of: date,
    scope: str,
    dims: dict[str, int | None],
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """Target, actual and attainment per month of ``year_no`` for the goal with ``scope`` and
    ``dims`` (its month goals), plus cumulative attainment (year to date). Months after
    ``as_of`` have no actual. Columns: ``month, target, actual, attainment,
    cumulative_attainment``."""

    calendar = calendar or load_calendar(session)
    months = months_in(parse_period(str(year_no)))
    labels = [m.label for m in months]
    query = select(GOAL.c.period, GOAL.c.target).where(
        GOAL.c.period.in_(labels), GOAL.c.metric == metric, GOAL.c.scope == scope
    )
    for name in DIMENSIONS:
        value = dims.get(name)
        query = query.where(GOAL.c[name].is_(None) if value is None else GOAL.c[name] == value)
    targets = {p: float(t) for p, t in session.execute(query).all()}
    ranges = [(m.start, min(m.end, as_of)) for m in months if m.start <= as_of]
    actuals = node_actual(session, viewer, metric, dims, ranges, calendar)
    actual = actuals + [None] * (len(months) - len(actuals))
    lower = tree.is_lower_better(metric)
    frame = pd.DataFrame(
        {
            "month": labels,
            "target": [targets.get(label) for label in labels],
            "actual": actual,
        }
    )
    frame["attainment"] = [
        metrics.attainment(a, t, lower_is_better=lower)
        for a, t in zip(frame["actual"], frame["target"], strict=True)
    ]
    done_target, done_actual, cumulative = 0.0, 0.0, []
    for t, a in zip(frame["target"], frame["actual"], strict=True):
        if a is None or pd.isna(a) or metric in AVERAGE_METRICS:
            cumulative.append(None)
            continue
        if t is not None and not pd.isna(t):
            done_target += t
            done_actual += a
        cumulative.append(done_actual / done_target if done_target else None)
    frame["cumulative_attainment"] = cumulative
    return frame.astype(
        {
            "target": "float64",
            "actual": "float64",
            "attainment": "float64",
            "cumulative_attainment": "float64",
        }
    )
