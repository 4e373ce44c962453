"""The scorecard's arithmetic by hand: each rule, redistribution of what is not rated, and
a whole card from the seeds' numbers."""

from __future__ import annotations

import pytest

from salesboard.evaluation import normalise as n
from salesboard.evaluation.weights import DEFAULT_WEIGHTS, METRIC_GROUPS


@pytest.mark.parametrize(
    ("ratio", "score"),
    [(None, None), (0.85, 85.0), (1.0, 100.0), (1.3, 100.0), (0.0, 0.0), (-0.1, 0.0)],
)
def test_attainment_is_capped_at_100(ratio, score):
    assert n.attainment_score(ratio) == (None if score is None else pytest.approx(score))


@pytest.mark.parametrize(
    ("ratio", "score"),
    [
        (None, None),
        (0.8, 100.0),
        (1.0, 100.0),
        (1.25, 75.0),
        (2.0, 0.0),
        (15 / 7, 0.0),
    ],  # fmt: skip
)
def test_stage_time_within_standard_is_full_marks_and_each_percent_over_a_point(ratio, score):
    # seed 000: negotiation 15 days against a standard of 7 → more than twice → 0
    assert n.stage_time_score(ratio) == (None if score is None else pytest.approx(score))


@pytest.mark.parametrize(("mean", "score"), [(1, 0.0), (5, 100.0), (4.2, 80.0), (4.5, 87.5)])
def test_ratings_map_linearly_seed_002(mean, score):
    assert n.rating_score(mean) == pytest.approx(score)


def test_visits_against_the_goal_else_four_a_week_per_rep():
    assert n.visits_target(31, 120) == 120  # a visits goal wins
    assert n.visits_target(28, None) == pytest.approx(16)  # 4 weeks × 4
    assert n.visits_target(28, None, reps=5) == pytest.approx(80)
    assert n.visits_target(0, None) is None
    assert n.visits_score(100, 120) == pytest.approx(83.33, abs=0.01)  # seed 003: 100 of 120
    assert n.visits_score(30, 16) == 100.0
    assert n.visits_score(5, None) is None


def test_missing_metrics_pass_their_weight_on_in_proportion():
    weights = {"a": 20.0, "b": 20.0, "c": 60.0}
    groups = {"a": "process", "b": "process", "c": "result"}
    lines = n.contributions(weights, groups, {"a": 50.0, "b": None, "c": 100.0})
    a, b, c = lines
    # 80 % is rated: a 20 → 25, c 60 → 75; b drops out
    assert (a.effective_weight, b.effective_weight, c.effective_weight) == (25.0, 0.0, 75.0)
    assert (a.contribution, b.contribution, c.contribution) == (12.5, 0.0, 75.0)
    assert not b.rated
    assert n.totals(lines) == (87.5, 12.5, 75.0)


def test_nothing_rated_scores_zero():
    lines = n.contributions({"a": 100.0}, {"a": "result"}, {"a": None})
    assert n.totals(lines) == (0.0, 0.0, 0.0)


def test_a_whole_card_from_the_seeds_numbers():
    # seed 003's month: sales 85 of 100 (85 %), new customers 12 of 15 (80 %), visits 100
    # of a 120 goal (assume all effective); key actions 90 % done, 80 % on time; on-time
    # collection 75 %; negotiation-like stage time 1.25× standard; satisfaction 4.2.
    scores = {
        "key_action_completion": n.rate_score(0.9),  # 90
        "key_action_on_time": n.rate_score(0.8),  # 80
        "effective_visits": n.visits_score(100, 120),  # 83.33
        "stage_time": n.stage_time_score(1.25),  # 75
        "satisfaction": n.rating_score(4.2),  # 80
        "revenue": n.attainment_score(0.85),  # 85
        "on_time_collection": n.rate_score(0.75),  # 75
        "new_customers": n.attainment_score(0.8),  # 80
    }
    lines = n.contributions(DEFAULT_WEIGHTS, METRIC_GROUPS, scores)
    total, process, result = n.totals(lines)
    # process: 10×.9 + 10×.8 + 10×.8333 + 5×.75 + 5×.8 = 9 + 8 + 8.333 + 3.75 + 4 = 33.083
    # result: 35×.85 + 15×.75 + 10×.8 = 29.75 + 11.25 + 8 = 49
    assert process == pytest.approx(33.0833, abs=1e-3)
    assert result == pytest.approx(49.0)
    assert total == pytest.approx(82.0833, abs=1e-3)
