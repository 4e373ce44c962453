"""The scorecard's arithmetic, pure: each metric's actual to a 0–100 score, the weights of
the metrics that could be rated, and each metric's contribution to the total.

Normalisation (shown on the page, ``evaluation.normalise.*`` in i18n):

- attainment (revenue, new customers): actual ÷ target, capped at 100 % — so one metric
  far over target cannot hide another under it; no goal → not rated;
- rates (key-action completion, on-time rate, on-time collection): the rate in percent;
  nothing due → not rated;
- effective visits: effective visits ÷ the visits goal's target (a visits goal of the rep or
  team), else ÷ the threshold of 4 a week per rep (seed 000: top converters visit 4× a week) over
  the days counted; capped at 100 %;
- stage time vs standard: the stays' mean working days ÷ standard (weighted by stays);
  within standard = 100, over by x % loses x points (twice the standard = 0); no stays
  ended → not rated;
- satisfaction: the mean 1–5 rating mapped linearly (1 → 0, 5 → 100; seed 002's 4.2 → 80,
  4.5 → 87.5); no rating → not rated.

A metric that is not rated drops out and its weight goes to the rated ones in proportion to
their weights (effective weight = weight × 100 ÷ the rated weights' sum), so a total is
always out of 100. Contribution = effective weight × score ÷ 100; total = Σ contributions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# The threshold for effective visits without a visits goal (seed 000: 4 a week).
VISITS_PER_WEEK = 4


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    """``value`` within [low, high]."""
    return max(low, min(high, value))


def attainment_score(ratio: float | None) -> float | None:
    """Attainment (actual ÷ target, 1 = 100 %) as a score: ratio × 100 capped at 100."""
    return None if ratio is None else clamp(ratio * 100.0)


def rate_score(rate: float | None) -> float | None:
    """A rate (0–1) as a score in percent."""
    return None if rate is None else clamp(rate * 100.0)


def visits_target(days: int, goal_target: float | None, reps: int = 1) -> float | None:
    """The effective visits expected: the visits goal's target when there is one, else
    ``VISITS_PER_WEEK`` per rep for every 7 calendar days counted (None for no day or rep)."""
    if goal_target:
        return float(goal_target)
    return VISITS_PER_WEEK * reps * days / 7.0 if days > 0 and reps > 0 else None


def visits_score(effective: int | None, target: float | None) -> float | None:
    """Effective visits against their target (``visits_target``), capped at 100."""
    if effective is None or not target:
        return None
    return clamp(effective / target * 100.0)


def stage_time_score(ratio: float | None) -> float | None:
    """Mean stage time ÷ standard as a score: ≤ 1 → 100; over by x % loses x points."""
    if ratio is None:
        return None
    return 100.0 if ratio <= 1 else clamp(100.0 - (ratio - 1.0) * 100.0)


def rating_score(mean: float | None) -> float | None:
    """A mean 1–5 rating as a score: (mean − 1) ÷ 4 × 100."""
    return None if mean is None else clamp((mean - 1.0) / 4.0 * 100.0)


@dataclass(frozen=True)
class Contribution:
    """One metric's line on a scorecard: its weight (percent of the set), effective weight
    after redistributing what was not rated, score (0–100, None: not rated) and
    contribution in points of the total."""

    metric: str
    group: str  # "process" or "result"
    weight: float
    effective_weight: float
    score: float | None
    contribution: float

    @property
    def rated(self) -> bool:
        """Whether the metric had data."""
        return self.score is not None


def contributions(
    weights: Mapping[str, float], groups: Mapping[str, str], scores: Mapping[str, float | None]
) -> list[Contribution]:
    """Each weighted metric's contribution (in ``weights`` order): weights of metrics
    without a score are redistributed over the scored ones in proportion to their weights.
    No scored metric → every contribution 0."""
    rated = sum(w for m, w in weights.items() if scores.get(m) is not None and w > 0)
    out = []
    for metric, weight in weights.items():
        score = scores.get(metric)
        effective = weight * 100.0 / rated if score is not None and rated else 0.0
        points = effective * score / 100.0 if score is not None else 0.0
        out.append(Contribution(metric, groups[metric], weight, effective, score, points))
    return out


def totals(lines: list[Contribution]) -> tuple[float, float, float]:
    """(total, process subtotal, result subtotal) in points out of 100."""
    process = sum(c.contribution for c in lines if c.group == "process")
    result = sum(c.contribution for c in lines if c.group == "result")
    return process + result, process, result
