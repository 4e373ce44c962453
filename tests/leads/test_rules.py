"""The pure rules of leads, hand-worked: scoring (the best criterion per field), which rule
routes a lead, whose turn it is in a team, and working minutes across a weekend, an evening,
a public holiday and a 调休 make-up Saturday (2026 calendar)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from salesboard.calendar.workdays import make_calendar
from salesboard.leads.rules import (
    Criterion,
    Rule,
    WorkingHours,
    matching_rule,
    next_in_rotation,
    score_lead,
    working_minutes,
)
from tests.leads.company import CRITERIA

CN = make_calendar("CN")
HOURS = WorkingHours(time(9), time(18), "Asia/Shanghai")


@pytest.mark.parametrize(
    ("lead", "score"),
    [
        # 80万 meets ≥50万 (30) and ≥10万 (10): the best, 30; high urgency 20; high fit 30.
        ({"budget_minor": 80_0000_00, "urgency": "high", "fit": "high"}, 80),
        # exactly 10万 reaches the 10万 threshold; medium urgency 10; referral 10.
        ({"budget_minor": 10_0000_00, "urgency": "medium", "source": "referral"}, 30),
        # 9.99万 reaches nothing; low fit scores nothing; 制造业 (any case/space) 5.
        ({"budget_minor": 9_9900_00, "fit": "low", "industry": " 制造业 "}, 5),
        ({"budget_minor": None}, 0),
    ],
)
def test_score_takes_the_best_criterion_of_each_field(lead, score):
    assert score_lead(lead, CRITERIA) == score


def test_a_criterion_without_a_field_value_never_matches():
    assert score_lead({"industry": ""}, [Criterion("industry", "x", 5)]) == 0


RULES = [
    Rule(id=3, position=3, region_id=None, industry="", team_id=9, user_id=None),
    Rule(id=1, position=1, region_id=1, industry="制造业", team_id=None, user_id=7),
    Rule(id=2, position=2, region_id=1, industry="", team_id=5, user_id=None),
]


@pytest.mark.parametrize(
    ("region", "industry", "rule"),
    [(1, "制造业", 1), (1, "Retail", 2), (2, "制造业", 3), (None, "", 3)],
)
def test_the_first_matching_rule_by_position_routes(region, industry, rule):
    assert matching_rule(RULES, region, industry).id == rule


def test_no_rule_matches_without_a_catch_all():
    assert matching_rule(RULES[1:], 2, "x") is None


@pytest.mark.parametrize(
    ("reps", "last", "expected"),
    [([4, 2, 9], None, 2), ([2, 4, 9], 2, 4), ([2, 4, 9], 9, 2), ([2, 4, 9], 5, 9),
     ([2, 4, 9], 10, 2), ([], 3, None)],
)  # fmt: skip
def test_rotation_goes_round_in_id_order(reps, last, expected):
    assert next_in_rotation(reps, last) == expected


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text + "+08:00")


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        # The example: Friday 17:30 → Monday 09:20 (2026-11-20 is a Friday).
        ("2026-11-20T17:30", "2026-11-23T09:20", 50),
        ("2026-11-23T10:00", "2026-11-23T10:45", 45),
        # Arrived in the evening: the clock starts at 09:00 the next working day.
        ("2026-11-23T20:00", "2026-11-24T09:30", 30),
        # Saturday arrival, Monday answer: only Monday's minutes count.
        ("2026-11-21T11:00", "2026-11-23T09:05", 5),
        # 2026-09-20 (Sunday) is a 调休 make-up working day before National Day.
        ("2026-09-19T10:00", "2026-09-20T10:00", 60),
        # National Day week (10-01 … 10-07) is off; 10-10 (Saturday) is a make-up day.
        ("2026-09-30T17:00", "2026-10-08T09:15", 75),
        ("2026-10-09T17:50", "2026-10-10T09:10", 20),
        ("2026-11-23T10:00", "2026-11-23T09:00", 0),
    ],
)
def test_working_minutes_across_weekends_holidays_and_makeup_days(start, end, minutes):
    assert working_minutes(_at(start), _at(end), CN.is_working_day, HOURS) == minutes


def test_working_minutes_read_utc_stamps_in_the_company_zone():
    # 09:30 UTC on a Monday is 17:30 in Shanghai: half an hour before closing.
    start = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    assert working_minutes(start, _at("2026-11-24T09:10"), CN.is_working_day, HOURS) == 40


def test_the_vectorised_count_agrees_with_the_plain_rule():
    import random

    import pandas as pd

    from salesboard.leads.rules import working_minutes_many

    rng = random.Random(7)
    base = _at("2026-09-15T00:00")
    starts, ends = [], []
    for _ in range(400):  # across the National Day week, 调休 Sundays and evenings
        start = base + timedelta(minutes=rng.randrange(0, 60 * 24 * 40))
        starts.append(start)
        ends.append(start + timedelta(minutes=rng.randrange(-60, 60 * 24 * 12)))
    fast = working_minutes_many(pd.Series(starts), pd.Series(ends), CN, HOURS)
    plain = [
        working_minutes(s, e, CN.is_working_day, HOURS) for s, e in zip(starts, ends, strict=True)
    ]
    assert fast.tolist() == plain


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [("2026-11-20T17:30", "2026-11-23T09:20", 50), ("2026-09-19T10:00", "2026-09-20T10:00", 60),
     ("2026-09-30T17:00", "2026-10-08T09:15", 75)],
)  # fmt: skip
def test_the_vectorised_count_on_the_hand_worked_cases(start, end, minutes):
    import pandas as pd

    from salesboard.leads.rules import working_minutes_many

    assert working_minutes_many(
        pd.Series([_at(start)]), pd.Series([_at(end)]), CN, HOURS
    ).tolist() == [minutes]
