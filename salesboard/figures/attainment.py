"""Attainment of a viewer, a rep or a team: the one definition every page and report uses
(Overview, goal attainment, forecast, leaderboard, the feedback form, the CLI reports).

The goal tree is the authority. Whose attainment it is decides which goal nodes count: a
rep's own goals, a manager's team goals, the company goal for leaders and admins
(``goal_nodes.owns_goal``); of those, the top ones (``goal_nodes.top_goals``: a rep with
goals on three product lines has three). Then

- target: the sum of those nodes' targets (their mean for an average such as cycle days);
- actual: the metric's events (``facts``: won amount, new customers …) from the period's
  start through the "as of" day (at most the period's end) that the viewer may see and that
  fall under at least one of those nodes — a deal in a product line the rep has no goal on
  counts in their won amount, not in their attainment. Without any goal the actual is
  every event in sight and there is no target, no attainment;
- attainment: actual / target (target / actual when lower is better), judged against the
  share of the period's calendar days elapsed (``pace``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period, parse_period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.facts import AVERAGE_METRICS, DIMENSIONS, actual_value, metric_facts
from salesboard.figures.goal_nodes import (
    GOAL,
    GOAL_COLUMNS,
    fact_rows,
    goal_nodes,
    load_goals,
    owns_goal,
    sum_under,
    top_goals,
    top_goals_by_owner,
    typed_goals,
)
from salesboard.store.models import LOWER_IS_BETTER_METRICS, GoalMetric
from salesboard.store.queries import frame_of


def pace_reference(metric: str, elapsed: float) -> float:
    """Attainment that counts as on pace: the share of the period elapsed for running totals;
    100 % for averages (cycle days), which do not build up over the period."""
    return 1.0 if metric in AVERAGE_METRICS else elapsed


def nodes_target(nodes: list[tuple], metric: str) -> float:
    """The target of several top goals (``goal_nodes``): their sum (their mean for
    averages)."""
    targets = [node[-1] for node in nodes]
    return sum(targets) / len(targets) if metric in AVERAGE_METRICS else float(sum(targets))


@dataclass(frozen=True)
class Attainment:
    """One owner's attainment of ``metric`` in a period; money in minor units, ratios 0–1.

    ``goal_ids``: the top goal nodes counted (empty: no goal, so no ``target``/``ratio``).
    """

    metric: str
    goal_ids: tuple[int, ...]
    target: float | None
    actual: float | None
    ratio: float | None
    elapsed: float

    @property
    def reference(self) -> float:
        """The attainment that is on pace now (``pace_reference``)."""
        return pace_reference(self.metric, self.elapsed)

    @property
    def vs_pace(self) -> float | None:
        """Attainment minus the pace reference, in percentage points."""
        return None if self.ratio is None else (self.ratio - self.reference) * 100.0

    @property
    def pace(self) -> str:
        """ "ahead" / "on_track" / "behind" / "unknown" (``metrics.pace``)."""
        return metrics.pace(self.ratio, self.reference)


def attainment_of(nodes: list[tuple], rows: list[tuple], metric: str, elapsed: float) -> Attainment:
    """The attainment over the top goals ``nodes`` (``goal_nodes``) from the fact ``rows``
    (``fact_rows``) in the owner's sight (pure). Without a goal the actual is every row."""
    if not nodes:
        actual = actual_value(sum(r[-2] for r in rows), sum(r[-1] for r in rows), metric)
        return Attainment(metric, (), None, actual, None, elapsed)
    actual = actual_value(*sum_under(rows, nodes, metric), metric)
    target = nodes_target(nodes, metric)
    ratio = metrics.attainment(actual, target, lower_is_better=metric in LOWER_IS_BETTER_METRICS)
    return Attainment(metric, tuple(node[0] for node in nodes), target, actual, ratio, elapsed)


def _inputs(
    session: Session,
    viewer: Viewer,
    period: Period,
    metric: str,
    as_of: date,
    effective_visits: bool,
    calendar: WorkCalendar | None,
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """The period's goals, the facts in the viewer's sight and the share elapsed."""
    if metric not in set(GoalMetric):
        raise ValueError(f"unknown goal metric {metric!r}; choose one of {', '.join(GoalMetric)}")
    if metric == GoalMetric.CYCLE_DAYS and calendar is None:
        calendar = load_calendar(session)
    facts = metric_facts(
        session, viewer, metric, period.start, min(period.end, as_of), calendar,
        effective_visits=effective_visits,
    )  # fmt: skip
    elapsed = metrics.time_elapsed_share(period.start, period.end, as_of)
    return load_goals(session, period.label, metric), facts, elapsed


def viewer_attainment(
    session: Session,
    viewer: Viewer,
    period: Period | str,
    metric: str,
    as_of: date,
    effective_visits: bool = False,
    calendar: WorkCalendar | None = None,
) -> Attainment:
    """``viewer``'s own attainment of ``metric`` in ``period`` as of ``as_of`` (the module
    docstring says what counts): the figure every page shows as "their" attainment."""
    period = parse_period(period) if isinstance(period, str) else period
    goals, facts, elapsed = _inputs(
        session, viewer, period, metric, as_of, effective_visits, calendar
    )
    top = goal_nodes(top_goals(goals, owns_goal(goals, viewer)))
    return attainment_of(top, fact_rows(facts), metric, elapsed)


def owner_attainments(
    session: Session,
    viewer: Viewer,
    period: Period | str,
    metric: str,
    as_of: date,
    level: str,
    owner_ids: Sequence[int],
    *,
    calendar: WorkCalendar | None = None,
) -> dict[int, Attainment]:
    """The attainment of each rep (``level`` "rep") or team ("team") in ``owner_ids``, from
    the facts ``viewer`` may see, by the same rule as ``viewer_attainment``: a rep's row
    equals what the rep sees as their own, a team's what its manager sees. One read of the
    goals and facts for everyone."""
    period = parse_period(period) if isinstance(period, str) else period
    return period_attainments(
        session, viewer, [period], metric, as_of, level, owner_ids, calendar=calendar
    )[period.label]


def period_attainments(
    session: Session,
    viewer: Viewer,
    periods: Sequence[Period],
    metric: str,
    as_of: date,
    level: str,
    owner_ids: Sequence[int],
    *,
    calendar: WorkCalendar | None = None,
) -> dict[str, dict[int, Attainment]]:
    """``owner_attainments`` of several periods (by label): one read of the facts for all
    of them (a bucket per period), each period against its own goals."""
    if metric not in set(GoalMetric):
        raise ValueError(f"unknown goal metric {metric!r}; choose one of {', '.join(GoalMetric)}")
    if metric == GoalMetric.CYCLE_DAYS and calendar is None:
        calendar = load_calendar(session)
    ranges = [(p.start, min(p.end, as_of)) for p in periods]
    facts = metric_facts(session, viewer, metric, min(s for s, _ in ranges),
                         max(e for _, e in ranges), calendar, buckets=ranges)  # fmt: skip
    # Every goal of a rep (team) sets their id: only their own fact rows can fall under one.
    column = DIMENSIONS.index("user_id" if level == "rep" else "team_id")
    out = {}
    for bucket, period in enumerate(periods):
        tops = top_goals_by_owner(load_goals(session, period.label, metric), level)
        elapsed = metrics.time_elapsed_share(period.start, period.end, as_of)
        rows: dict[int, list[tuple]] = {}
        for row in fact_rows(facts[facts["bucket"] == bucket].drop(columns="bucket")):
            rows.setdefault(row[column], []).append(row)
        out[period.label] = {
            int(o): attainment_of(tops.get(int(o), []), rows.get(int(o), []), metric, elapsed)
            for o in owner_ids
        }
    return out


def viewer_targets(
    session: Session, viewer: Viewer, labels: Sequence[str], metric: str = GoalMetric.REVENUE
) -> dict[str, float]:
    """``viewer``'s target per period label (the ``viewer_attainment`` target of each), for
    the periods in ``labels`` that have goals of theirs. One query."""
    query = select(*(GOAL.c[c] for c in GOAL_COLUMNS)).where(
        GOAL.c.period.in_(list(labels)), GOAL.c.metric == metric
    )
    goals = typed_goals(frame_of(session, query))
    out = {}
    for label, part in goals.groupby("period"):
        top = top_goals(part, owns_goal(part, viewer))
        if not top.empty:
            out[str(label)] = nodes_target(goal_nodes(top), metric)
    return out
