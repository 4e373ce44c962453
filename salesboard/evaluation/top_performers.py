"""What top performers do differently (seed 000: the top converters visit 4×/week): reps
ranked by a result, the top and bottom groups (quartiles by default) compared on their
behaviours, with group statistics, an effect size and a finding in plain words — or an
honest "too few people / too much spread to tell".

Every behaviour is a figure other pages show, per rep: visits and the effective share,
key actions on time (the leaderboard's ``figures.sales`` counts), stage time against the
standard (``pipeline.durations.stage_pace``, the review's stays per rep) and
proposal turnaround (``figures.sales.proposal_turnaround``). The comparison itself is pure
(``compare_groups``), tested by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import parse_period
from salesboard.calendar.workdays import load_calendar
from salesboard.figures.sales import days_counted, proposal_turnaround
from salesboard.goals.leaderboard import leaderboard
from salesboard.pipeline.durations import stage_pace

# Results reps can be ranked by (leaderboard columns); higher is better for each.
RANK_BY = ("attainment", "actual", "win_rate")
# Behaviours compared, and whether more of it is the better direction.
BEHAVIOURS = {
    "visits_per_week": True,
    "effective_share": True,
    "action_on_time": True,
    "stage_pace": False,  # days in stage ÷ standard: lower is faster
    "proposal_days": False,  # working days from entering the proposal stage to submitting
}
# No finding from fewer people per group than this (the issue: "no finding from 3 people").
MIN_GROUP = 5
# Cohen's d from which a difference is called clear; below MODERATE it is no difference.
CLEAR, MODERATE = 0.8, 0.5


def rep_behaviours(
    session: Session, viewer: Viewer, period_label: str, metric: str, as_of: date
) -> pd.DataFrame:
    """One row per rep ``viewer`` may see: the leaderboard's results for ``metric``
    (``attainment``, ``actual``, ``win_rate``) and the behaviours of ``BEHAVIOURS``
    in the period: ``id, name, team, attainment, actual, win_rate, visits_per_week,
    effective_share, action_on_time, stage_pace, proposal_days``."""
    calendar = load_calendar(session)
    board = leaderboard(session, viewer, period_label, metric, as_of, "rep", calendar)
    period = parse_period(period_label)
    first, last = days_counted(period.start, period.end, as_of)
    # Working weeks of five working days in the days counted (first and last included).
    weeks = max(calendar.working_days_between(first - timedelta(days=1), last), 1) / 5
    pace = stage_pace(session, viewer, first, last, calendar).set_index("owner_id")
    proposals = proposal_turnaround(session, viewer, first, last, as_of, calendar)
    out = board[["id", "name", "team", "attainment", "actual", "win_rate"]].copy()
    out["visits_per_week"] = board["visits"] / weeks
    out["effective_share"] = board["effective_share"]
    out["action_on_time"] = board["action_on_time"]
    out["stage_pace"] = out["id"].map(pace["pace"])
    out["proposal_days"] = out["id"].map({k: v[1] for k, v in proposals.items()})
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Comparison:
    """One behaviour in the top and bottom groups: sizes, means, standard deviations, the
    ratio of means (top ÷ bottom), Cohen's d (positive: the top group does more) and the
    verdict: "clear", "moderate", "none" (groups overlap) or "thin" (too few people)."""

    behaviour: str
    top_n: int
    bottom_n: int
    top_mean: float
    bottom_mean: float
    top_sd: float
    bottom_sd: float
    ratio: float
    effect: float
    verdict: str


def split_groups(frame: pd.DataFrame, by: str, share: float = 0.25) -> tuple[pd.Index, pd.Index]:
    """The rows of the top and bottom ``share`` of ``frame`` ranked by ``by`` (reps without
    a value left out; at least one each when there are two or more ranked)."""
    ranked = frame.dropna(subset=[by]).sort_values([by, "id"], ascending=[False, True])
    if len(ranked) < 2:
        return pd.Index([]), pd.Index([])
    size = max(1, math.floor(len(ranked) * share))
    return ranked.index[:size], ranked.index[-size:]


def _sd(values: np.ndarray) -> float:
    return float(np.std(values, ddof=1)) if len(values) > 1 else float("nan")


def compare_groups(top: pd.Series, bottom: pd.Series, behaviour: str) -> Comparison:
    """``behaviour`` in the two groups (missing values left out): means, spreads, Cohen's d
    with the pooled standard deviation, and the verdict (``MIN_GROUP``, ``CLEAR``,
    ``MODERATE``)."""
    a, b = top.dropna().to_numpy(float), bottom.dropna().to_numpy(float)
    mean_a = float(a.mean()) if len(a) else float("nan")
    mean_b = float(b.mean()) if len(b) else float("nan")
    sd_a, sd_b = _sd(a), _sd(b)
    pooled = math.sqrt(((len(a) - 1) * sd_a**2 + (len(b) - 1) * sd_b**2) / (len(a) + len(b) - 2)) \
        if len(a) > 1 and len(b) > 1 else float("nan")  # fmt: skip
    if pooled and not math.isnan(pooled):
        effect = (mean_a - mean_b) / pooled
    elif not math.isnan(mean_a) and not math.isnan(mean_b) and mean_a != mean_b:
        effect = math.copysign(math.inf, mean_a - mean_b)  # no spread at all: all differ alike
    else:
        effect = 0.0 if mean_a == mean_b else float("nan")
    ratio = mean_a / mean_b if mean_b else float("nan")
    if min(len(a), len(b)) < MIN_GROUP or math.isnan(effect):
        verdict = "thin"
    elif abs(effect) >= CLEAR:
        verdict = "clear"
    elif abs(effect) >= MODERATE:
        verdict = "moderate"
    else:
        verdict = "none"
    return Comparison(behaviour, len(a), len(b), mean_a, mean_b, sd_a, sd_b, ratio, effect,
                      verdict)  # fmt: skip


def compare_top_and_bottom(frame: pd.DataFrame, by: str, share: float = 0.25) -> list[Comparison]:
    """Each of ``BEHAVIOURS`` compared between the top and bottom ``share`` of ``frame``
    ranked by ``by`` (``rep_behaviours`` rows)."""
    top, bottom = split_groups(frame, by, share)
    return [compare_groups(frame.loc[top, b], frame.loc[bottom, b], b) for b in BEHAVIOURS]


def groups_of(frame: pd.DataFrame, by: str, share: float = 0.25) -> pd.Series:
    """Each rep's group: "top", "bottom" or "middle" (for colouring the scatter)."""
    top, bottom = split_groups(frame, by, share)
    groups = pd.Series("middle", index=frame.index)
    groups[top], groups[bottom] = "top", "bottom"
    return groups


def better_in_top(comparison: Comparison) -> bool:
    """Whether the top group does better on the behaviour (more of a "more is better" one,
    less of a "less is better" one)."""
    more = comparison.effect > 0
    return more if BEHAVIOURS[comparison.behaviour] else not more
