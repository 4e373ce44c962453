"""The target metrics an improvement action can aim at, each computable for any set of teams
over any window, by reusing the figure functions the other pages show (one figure, one
function): the funnel for lead → opportunity, the goal facts for the sales cycle, the stage
stays for time against standard, the key-action and visit figures and the closed deals.

A ``Reading`` keeps the numerator and the denominator (the sample size the verdict of
"did it work" judges), so every number on the page can be traced back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import custom_range
from salesboard.calendar.workdays import load_calendar
from salesboard.figures.facts import metric_facts
from salesboard.figures.sales import closed_deals, key_action_rates, visit_counts
from salesboard.pipeline.durations import stage_info, stay_counts
from salesboard.pipeline.funnel import cohort_funnel
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import GoalMetric

# The stage a lead has to reach to count as an opportunity (商机: needs analysis).
OPPORTUNITY_STAGE = "needs_analysis"


@dataclass(frozen=True)
class Reading:
    """A metric over one group and window: ``value`` = numerator / denominator (a ratio, or
    the mean days of the cycle), None when the denominator is 0; ``denominator`` is the
    sample (leads, won deals, stays, key actions due, closed deals, visits)."""

    numerator: float = 0.0
    denominator: int = 0

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class TargetMetric:
    """A metric code: its unit ("%" ratios are shown as percentages, "days" as days),
    whether lower is better, and how to read it."""

    code: str
    unit: str
    lower_is_better: bool
    read: Callable[[Session, Viewer, tuple[int, ...], date, date], Reading]


def _teams(team_ids: tuple[int, ...] | None) -> OpportunityFilter:
    """The deals of ``team_ids``; None: every deal the viewer may read (no team filter)."""
    return OpportunityFilter(team_ids=() if team_ids is None else tuple(team_ids))


def lead_to_opportunity(session, viewer, team_ids, start, end) -> Reading:
    """Leads created ``start``–``end`` that reached needs analysis ÷ leads created (the
    cohort funnel's first stage and ``OPPORTUNITY_STAGE``)."""
    frame = cohort_funnel(session, custom_range(start, end), _teams(team_ids), viewer=viewer)
    if frame.empty:
        return Reading()
    reached = frame.loc[frame["stage"] == OPPORTUNITY_STAGE, "reached"]
    return Reading(float(reached.iloc[0]) if len(reached) else 0.0, int(frame["reached"].iloc[0]))


def cycle_days(session, viewer, team_ids, start, end) -> Reading:
    """Mean working days lead → won of the deals won ``start``–``end`` (the goal metric
    ``cycle_days``, as goals and attainment count it)."""
    calendar = load_calendar(session)
    facts = metric_facts(session, viewer, GoalMetric.CYCLE_DAYS, start, end, calendar)
    if facts.empty:
        return Reading()
    mine = facts if team_ids is None else facts[facts["team_id"].isin(team_ids)]
    return Reading(float(mine["value_sum"].sum()), int(mine["value_count"].sum()))


def over_standard(session, viewer, team_ids, start, end) -> Reading:
    """Share of stage stays that ended ``start``–``end`` and lasted longer than the stage's
    standard (working days; stages without a standard are left out)."""
    stays = stay_counts(session, viewer, _teams(team_ids), start, end, load_calendar(session))
    standards = stage_info(session).set_index("stage_id")["standard_days"]
    limit = stays["stage_id"].map(standards)
    kept = limit.notna()
    over = np.where(stays["days"] > limit, stays["n"], 0)[kept.to_numpy()]
    return Reading(float(over.sum()), int(stays.loc[kept, "n"].sum()))


def key_actions_on_time(session, viewer, team_ids, start, end) -> Reading:
    """Key actions planned ``start``–``end`` done by their planned day ÷ due."""
    rates = key_action_rates(session, viewer, start, end, end, filters=_teams(team_ids))
    return Reading(float(rates.on_time), rates.due)


def win_rate(session, viewer, team_ids, start, end) -> Reading:
    """Deals won ÷ deals closed (won + lost) ``start``–``end``."""
    closed = closed_deals(session, viewer, start, end, filters=_teams(team_ids))
    return Reading(float(closed.won), closed.won + closed.lost)


def effective_visit_share(session, viewer, team_ids, start, end) -> Reading:
    """Effective visits ÷ visits ``start``–``end`` by the teams' reps."""
    per_team = visit_counts(session, viewer, start, end, by="team")
    mine = [c for team, c in per_team.items() if team_ids is None or team in team_ids]
    return Reading(float(sum(c.effective for c in mine)), sum(c.visits for c in mine))


METRICS: dict[str, TargetMetric] = {
    m.code: m
    for m in (
        TargetMetric("lead_to_opportunity", "%", False, lead_to_opportunity),
        TargetMetric("cycle_days", "days", True, cycle_days),
        TargetMetric("over_standard", "%", True, over_standard),
        TargetMetric("key_actions_on_time", "%", False, key_actions_on_time),
        TargetMetric("win_rate", "%", False, win_rate),
        TargetMetric("effective_visits", "%", False, effective_visit_share),
    )
}


def read_metric(
    session: Session,
    viewer: Viewer,
    code: str,
    team_ids: tuple[int, ...] | None,
    start: date,
    end: date,
) -> Reading:
    """The metric ``code`` of the teams ``team_ids`` over ``start``–``end`` as ``viewer`` may
    see it; None: every team (no team filter, the fast path of every figure); an empty team
    set reads as no data (never as "every team")."""
    if team_ids is not None and not team_ids or end < start:
        return Reading()
    teams = None if team_ids is None else tuple(team_ids)
    return METRICS[code].read(session, viewer, teams, start, end)


def minus(total: Reading, part: Reading) -> Reading:
    """The cases of ``total`` outside ``part`` (numerators and sample sizes add up: every
    deal, stay, key action and visit belongs to exactly one team)."""
    return Reading(total.numerator - part.numerator, total.denominator - part.denominator)
